package demo

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/mapping"
)

// FlowsAll names the flows of a pair in the order they run: products first
// (orders need the articles), then customers, orders and stock.
var FlowsAll = []string{"products", "customers", "orders", "stock"}

// Mappings are per-entity overrides of the default mappings, kept per
// client as one JSON file:
//
//	{"order": {"tables": {"payment_terms": {"BankTransfer": "14 dagen"}}},
//	 "customer": {"rules": [{"field": "Number", "expr": "Customer.ID", "on": "create"}]},
//	 "product": {"filters": ["Product.Price > 0"]}}
type Mappings struct {
	Order    *mapping.Mapping `json:"order,omitempty"`
	Customer *mapping.Mapping `json:"customer,omitempty"`
	Product  *mapping.Mapping `json:"product,omitempty"`
}

// LoadMappings reads a mappings file; errors name the entity and the
// position in the JSON.
func LoadMappings(path string) (Mappings, error) {
	var m Mappings
	data, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return m, fmt.Errorf("mappings %s: %w", path, err)
	}
	for key, dst := range map[string]**mapping.Mapping{"order": &m.Order, "customer": &m.Customer, "product": &m.Product} {
		body, ok := raw[key]
		if !ok {
			continue
		}
		delete(raw, key)
		mp, err := mapping.Parse(body)
		if err != nil {
			return m, fmt.Errorf("mappings %s: %s: %w", path, key, err)
		}
		*dst = mp
	}
	for key := range raw {
		return m, fmt.Errorf("mappings %s: unknown entity %q (want order, customer or product)", path, key)
	}
	return m, nil
}

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
	// Defaults are the pair's own mapping adjustments; Overrides (from a
	// user's file) go on top of them.
	Defaults, Overrides Mappings
	// Stock is the stock calculation.
	Stock flow.StockCalculation
	// DefaultDebtor books every order on one sink customer.
	DefaultDebtor string
	Observer      flow.Observer
	Logger        *slog.Logger
}

// System is a connector with every capability a pair uses at either end.
type System interface {
	connector.System
}

// Pair builds the selected flows from src to sink. src must be a source of
// what each selected flow moves and sink a sink of it; a flow the systems
// cannot carry is an error naming it.
func Pair(src, sink connector.System, cfg PairConfig) ([]Flow, error) {
	opts := flow.Options{Store: cfg.Store, Observer: cfg.Observer, Logger: cfg.Logger, Since: cfg.Since}
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
		f, err := flow.NewOrders(os, ok, flow.OrderConfig{Options: opts, Kind: cfg.Kind, Statuses: cfg.Statuses, PaidOnly: cfg.PaidOnly,
			DefaultDebtor:   cfg.DefaultDebtor,
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
