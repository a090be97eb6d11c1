package demo

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/mapping"
	"github.com/tradelink/tradelink/mpluskassa"
)

// FlowsAll names the flows of a pair in the order they run: products first
// (orders need the articles), then customers, orders and stock.
var FlowsAll = []string{"products", "customers", "orders", "stock"}

// PairConfig configures the flows between a shop and an accounting or
// point-of-sale system.
type PairConfig struct {
	Store flow.Store
	// Flows selects flows by name (see FlowsAll); nil means all.
	Flows map[string]bool
	// Kind is the document orders become in the sink.
	Kind connector.OrderKind
	// Statuses and PaidOnly filter orders.
	Statuses []connector.OrderStatus
	PaidOnly bool
	// Since is where the first run starts.
	Since time.Time
	// Lookback makes every order run read this far back before its cursor
	// (see flow.Options.Lookback).
	Lookback time.Duration
	// RevealPersonalData logs e-mail addresses and names unmasked.
	RevealPersonalData bool
	// Defaults are the pair's own mapping adjustments; Overrides (from a
	// user's file) go on top of them.
	Defaults, Overrides Mappings
	// Stock is the stock calculation.
	Stock flow.StockCalculation
	// DefaultDebtor books every order on one sink customer.
	DefaultDebtor string
	// Axes, when set, renames the attributes of source products before
	// they are mapped (see RenameAxes and POSAxes).
	Axes map[string]string
	// SKUs is where the order flow checks that line SKUs exist; nil means
	// the sink.
	SKUs     connector.ProductSink
	Observer flow.Observer
	Logger   *slog.Logger

	// planned, when set (by a Session's plan), collects the SKUs of the
	// product plan for the order plan (see plannedSKUs).
	planned *plannedSKUs
}

// System is a connector with every capability a pair uses at either end.
type System interface {
	connector.System
}

// Pair builds the selected flows from src to sink. src must be a source of
// what each selected flow moves and sink a sink of it; a flow the systems
// cannot carry is an error naming it.
func Pair(src, sink connector.System, cfg PairConfig) ([]Flow, error) {
	opts := flow.Options{Store: cfg.Store, Observer: cfg.Observer, Logger: cfg.Logger, Since: cfg.Since,
		RevealPersonalData: cfg.RevealPersonalData}
	want := func(name string) bool { return cfg.Flows == nil || cfg.Flows[name] }
	merge := func(e mapping.Entity, base, over *mapping.Mapping) *mapping.Mapping {
		m := mapping.Default(e)
		if base != nil {
			m = m.With(base)
		}
		if over != nil {
			m = m.With(over)
		}
		return m
	}
	var out []Flow
	if want("products") {
		ps, ok1 := src.(connector.ProductSource)
		pk, ok2 := sink.(connector.ProductSink)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("flow products: %s → %s cannot carry products", src.System(), sink.System())
		}
		if len(cfg.Axes) > 0 {
			ps = RenameAxes(ps, cfg.Axes)
		}
		if cfg.planned != nil {
			ps = recordingSource{ProductSource: ps, into: cfg.planned}
		}
		f, err := flow.NewProducts(ps, pk, flow.ProductConfig{Options: opts,
			Mapping: merge(mapping.EntityProduct, cfg.Defaults.Product, cfg.Overrides.Product)})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if want("customers") {
		cs, ok1 := src.(connector.CustomerSource)
		ck, ok2 := sink.(connector.CustomerSink)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("flow customers: %s → %s cannot carry customers", src.System(), sink.System())
		}
		f, err := flow.NewCustomers(cs, ck, flow.CustomerConfig{Options: opts,
			Mapping: merge(mapping.EntityCustomer, cfg.Defaults.Customer, cfg.Overrides.Customer)})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if want("orders") {
		os, ok1 := src.(connector.OrderSource)
		ok, ok2 := sink.(connector.OrderSink)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("flow orders: %s → %s cannot carry orders", src.System(), sink.System())
		}
		oo := opts
		oo.Lookback = cfg.Lookback
		skus := cfg.SKUs
		if cfg.planned != nil && want("products") {
			if skus == nil {
				skus, _ = sink.(connector.ProductSink)
			}
			if skus != nil {
				skus = plannedSink{ProductSink: skus, planned: cfg.planned}
			}
		}
		f, err := flow.NewOrders(os, ok, flow.OrderConfig{Options: oo, Kind: cfg.Kind, Statuses: cfg.Statuses, PaidOnly: cfg.PaidOnly,
			DefaultDebtor: cfg.DefaultDebtor, Products: skus,
			Mapping:         merge(mapping.EntityOrder, cfg.Defaults.Order, cfg.Overrides.Order),
			CustomerMapping: merge(mapping.EntityCustomer, cfg.Defaults.Customer, cfg.Overrides.Customer)})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if want("stock") {
		ss, ok1 := src.(connector.StockSource)
		sk, ok2 := sink.(connector.StockSink)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("flow stock: %s → %s cannot carry stock", src.System(), sink.System())
		}
		f, err := flow.NewStock(ss, sk, flow.StockConfig{Options: opts, Calculation: cfg.Stock})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// ShopToBooks are the mapping adjustments of CCV Shop → eAccounting: shop
// payment methods become eAccounting terms of payment.
var ShopToBooks = Mappings{
	Order: &mapping.Mapping{Tables: mapping.Tables{PaymentTerms: map[string]string{
		"BankTransfer": "14 dagen", "iDEAL": "Contant", "PayPal": "Contant", "Bancontact": "Contant", "CreditCard": "Contant",
	}}},
}

// ShopToPOS are the mapping adjustments of CCV Shop → MplusKASSA.
//
// Orders: an order's paymentMethod in MplusKASSA must be one of the
// database's payment method codes (getPaymentMethods); the table maps the
// shop's methods onto the codes of a standard database (and of the fake):
// iDEAL to IDEAL. The other online methods have no counterpart there, so
// they map to "": the order is booked without a payment method rather than
// with a code the POS does not know. A method missing from the table is
// booked the same way and reported as a lookup miss. Adjust the table in
// the mapping file to the codes of your database.
//
// Products: the POS owns an article's custom fields (its vatCode,
// turnoverGroup and pluNumber), so the shop's are written on create only;
// and a product with variants has no barcode of its own in MplusKASSA (its
// articles have), so its EAN is not written. Both keep an unchanged product
// from comparing as changed when the flow has no content hash for it (a
// new state database, a changed mapping).
var ShopToPOS = Mappings{
	Order: &mapping.Mapping{
		Rules: []mapping.Rule{{Field: "PaymentMethod", Expr: `lookup("payment_methods", Order.PaymentMethod, "")`}},
		Tables: mapping.Tables{PaymentMethods: map[string]string{
			"iDEAL": "IDEAL", "BankTransfer": "", "PayPal": "", "Bancontact": "", "CreditCard": "",
		}},
	},
	Product: &mapping.Mapping{Rules: []mapping.Rule{
		{Field: "CustomFields", Expr: "Product.CustomFields", On: mapping.OnCreate},
		{Field: "EAN", Expr: `len(Product.Variants) > 0 ? "" : Product.EAN`},
	}},
}

// ForSink sets the adjustments a CCV Shop pair needs for sink: ShopToBooks
// for eAccounting; ShopToPOS and POSAxes for MplusKASSA.
// Settings already made are kept.
func (cfg *PairConfig) ForSink(sink connector.System) {
	switch sink.(type) {
	case *eaccounting.Connector:
		if cfg.Defaults == (Mappings{}) {
			cfg.Defaults = ShopToBooks
		}
	case *mpluskassa.Connector:
		if cfg.Defaults == (Mappings{}) {
			cfg.Defaults = ShopToPOS
		}
		if cfg.Axes == nil {
			cfg.Axes = POSAxes
		}
	}
}
