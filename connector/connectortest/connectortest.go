// Package connectortest is the conformance suite every connector and its
// fake server must pass.
//
// A system package wires its adapter to a fresh fake server in a
// [Harness] and calls [Run]. The suite runs the checks of every capability
// the connector implements:
//
//   - an order created in a sink is found by its external reference, of the
//     same kind, and a reference that is a prefix of it finds nothing;
//   - a customer is found by e-mail exactly (ignoring case), never partially;
//   - a product is found by its exact SKU, and a configurable product by
//     the SKU of one of its variants;
//   - stock available = on hand − reserved where the system exposes both;
//   - streams spanning at least three pages end, with every record once,
//     and stop when the consumer stops;
//   - unknown ids, references, e-mail addresses and SKUs give
//     [connector.ErrNotFound];
//   - invalid input gives a *[connector.ValidationError] and writes nothing.
package connectortest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// Harness describes a connector under test, backed by a fresh fake server.
type Harness struct {
	// Connector is the adapter under test. The checks of every capability
	// it implements run.
	Connector connector.System
	// PageSize is passed in queries; stream checks seed 3*PageSize+1
	// records so streams span at least three pages. Zero means 5.
	PageSize int
	// SeedOrders creates n orders in the fake directly (no API calls); it
	// is required when the connector is an OrderSource. The orders must be
	// visible to an OrderQuery without filters.
	SeedOrders func(t *testing.T, n int)
	// SeedCustomers creates n customers; required for a CustomerSource.
	SeedCustomers func(t *testing.T, n int)
	// SeedProducts creates n products; required for a ProductSource.
	SeedProducts func(t *testing.T, n int)
	// SeedStock gives sku (created if needed) the on-hand and reserved
	// quantities; nil when the system exposes no reserved quantity.
	SeedStock func(t *testing.T, sku string, onHand, reserved decimal.Decimal)
	// NewOrder returns an order the sink accepts: its SKUs exist in the
	// fake and Customer.ID names a customer there. The suite sets
	// ExternalRef to ref. Required for an OrderSink.
	NewOrder func(t *testing.T, ref string) connector.Order
	// OrderKinds are the kinds the sink supports; empty means KindOrder.
	OrderKinds []connector.OrderKind
	// NewProduct returns a product the sink accepts with the given SKU;
	// nil means a simple product with a price, 21 % tax and EUR.
	NewProduct func(t *testing.T, sku string) connector.Product
	// NewCustomer returns a customer the sink accepts with the given e-mail
	// address; nil means a private person in Amsterdam.
	NewCustomer func(t *testing.T, email string) connector.Customer
	// UnknownID is a well-formed ID that names no record, for systems whose
	// IDs are not numeric (a GUID, say); empty means "999999999".
	UnknownID string
}

func (h *Harness) unknownID() string {
	if h.UnknownID != "" {
		return h.UnknownID
	}
	return "999999999"
}

func (h *Harness) pageSize() int {
	if h.PageSize <= 0 {
		return 5
	}
	return h.PageSize
}

func (h *Harness) product(t *testing.T, sku string) connector.Product {
	if h.NewProduct != nil {
		return h.NewProduct(t, sku)
	}
	return connector.Product{
		SKU: sku, Name: "Conformance product " + sku, Price: decimal.RequireFromString("12.50"),
		TaxRate: decimal.NewFromInt(21), Currency: "EUR", Type: connector.ProductSimple, Active: true,
	}
}

func (h *Harness) customer(t *testing.T, email string) connector.Customer {
	if h.NewCustomer != nil {
		return h.NewCustomer(t, email)
	}
	addr := connector.Address{Street: "Damrak", HouseNumber: "1", PostalCode: "1012LG", City: "Amsterdam", Country: "NL"}
	return connector.Customer{
		Email: email, FirstName: "Conformance", LastName: "Tester", Phone: "0201234567",
		BillingAddress: addr, ShippingAddress: addr, Active: true,
	}
}

// Run runs the conformance checks. newHarness is called once per check
// and must return a connector backed by a fresh, empty fake server.
func Run(t *testing.T, newHarness func(t *testing.T) *Harness) {
	t.Helper()
	probe := newHarness(t)
	c := probe.Connector
	if c == nil {
		t.Fatal("connectortest: Harness.Connector is nil")
	}
	if c.System() == "" {
		t.Error("connectortest: System() is empty")
	}
	ran := 0
	check := func(name string, ok bool, fn func(t *testing.T, h *Harness)) {
		if !ok {
			return
		}
		ran++
		t.Run(name, func(t *testing.T) { fn(t, newHarness(t)) })
	}
	caps := map[string]bool{}
	for _, name := range Capabilities(c) {
		caps[name] = true
	}
	isOrderSource, isOrderSink, isStatusSink := caps["OrderSource"], caps["OrderSink"], caps["OrderStatusSink"]
	isCustomerSource, isCustomerSink := caps["CustomerSource"], caps["CustomerSink"]
	isProductSource, isProductSink := caps["ProductSource"], caps["ProductSink"]
	isStockSource, isStockSink, isCategorySink := caps["StockSource"], caps["StockSink"], caps["CategorySink"]

	check("OrderSink/CreateThenFindByRef", isOrderSink, orderCreateFind)
	check("OrderSink/UnknownRef", isOrderSink, orderUnknownRef)
	check("OrderSink/InvalidOrder", isOrderSink, orderInvalid)
	check("OrderSource/StreamPages", isOrderSource, orderStream)
	check("OrderSource/ConsumerStops", isOrderSource, orderStreamStop)
	check("OrderStatusSink/UnknownID", isStatusSink, statusUnknown)
	check("CustomerSink/FindByEmailExact", isCustomerSink, customerFindExact)
	check("CustomerSink/Update", isCustomerSink, customerUpdate)
	check("CustomerSink/UnknownID", isCustomerSink, customerUnknown)
	check("CustomerSink/Invalid", isCustomerSink, customerInvalid)
	check("CustomerSource/StreamPages", isCustomerSource, customerStream)
	check("ProductSink/FindBySKUExact", isProductSink, productFindExact)
	check("ProductSink/FindByVariantSKU", isProductSink, productFindVariant)
	check("ProductSink/Update", isProductSink, productUpdate)
	check("ProductSink/UnknownID", isProductSink, productUnknown)
	check("ProductSink/Invalid", isProductSink, productInvalid)
	check("ProductSource/StreamPages", isProductSource, productStream)
	check("StockSource/AvailableIsOnHandMinusReserved", isStockSource && probe.SeedStock != nil, stockAvailable)
	check("StockSink/SetAndUnknownSKU", isStockSink, stockSet)
	check("CategorySink/CreateThenFind", isCategorySink, categoryCreateFind)
	if ran == 0 {
		t.Error("connectortest: the connector implements no capability")
	}
}

// Capabilities lists the connector capabilities c implements, by interface
// name, in a fixed order.
func Capabilities(c connector.System) []string {
	var out []string
	add := func(name string, ok bool) {
		if ok {
			out = append(out, name)
		}
	}
	_, ok := c.(connector.OrderSource)
	add("OrderSource", ok)
	_, ok = c.(connector.OrderSink)
	add("OrderSink", ok)
	_, ok = c.(connector.OrderStatusSink)
	add("OrderStatusSink", ok)
	_, ok = c.(connector.CustomerSource)
	add("CustomerSource", ok)
	_, ok = c.(connector.CustomerSink)
	add("CustomerSink", ok)
	_, ok = c.(connector.ProductSource)
	add("ProductSource", ok)
	_, ok = c.(connector.ProductSink)
	add("ProductSink", ok)
	_, ok = c.(connector.StockSource)
	add("StockSource", ok)
	_, ok = c.(connector.StockSink)
	add("StockSink", ok)
	_, ok = c.(connector.CategorySink)
	add("CategorySink", ok)
	return out
}

// ctx returns the test's context.
func ctx(t *testing.T) context.Context { return t.Context() }

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("%s: err = %v, want connector.ErrNotFound", what, err)
	}
}

func wantValidation(t *testing.T, what string, err error) {
	t.Helper()
	var ve *connector.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%s: err = %v, want a *connector.ValidationError", what, err)
	}
	if ve.Field == "" || !strings.Contains(err.Error(), ve.Field) {
		t.Errorf("%s: the error %q does not name the field", what, err)
	}
}

func need(t *testing.T, what string, f any) {
	t.Helper()
	if f == nil {
		t.Fatalf("connectortest: Harness.%s is required for this capability", what)
	}
}

func kinds(h *Harness) []connector.OrderKind {
	if len(h.OrderKinds) == 0 {
		return []connector.OrderKind{connector.KindOrder}
	}
	return h.OrderKinds
}

func orderCreateFind(t *testing.T, h *Harness) {
	if h.NewOrder == nil {
		t.Fatal("connectortest: Harness.NewOrder is required for an OrderSink")
	}
	sink := h.Connector.(connector.OrderSink)
	for i, kind := range kinds(h) {
		ref := fmt.Sprintf("CT-%d-100", i)
		o := h.NewOrder(t, ref)
		o.ExternalRef = ref
		created, err := sink.CreateOrder(ctx(t), kind, o)
		if err != nil {
			t.Fatalf("CreateOrder(%s): %v", kind, err)
		}
		if created.ID == "" {
			t.Errorf("CreateOrder(%s) returned no ID", kind)
		}
		found, err := sink.FindOrderByRef(ctx(t), kind, ref)
		if err != nil {
			t.Fatalf("FindOrderByRef(%s, %q) after create: %v", kind, ref, err)
		}
		if found.ID != created.ID {
			t.Errorf("FindOrderByRef(%s) found ID %q, created %q", kind, found.ID, created.ID)
		}
		if found.ExternalRef != ref {
			t.Errorf("found ExternalRef = %q, want %q", found.ExternalRef, ref)
		}
		// A prefix of the reference is a different reference.
		_, err = sink.FindOrderByRef(ctx(t), kind, fmt.Sprintf("CT-%d-10", i))
		wantNotFound(t, "FindOrderByRef(prefix of an existing reference)", err)
	}
}

func orderUnknownRef(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.OrderSink)
	for _, kind := range kinds(h) {
		_, err := sink.FindOrderByRef(ctx(t), kind, "CT-NEVER-CREATED")
		wantNotFound(t, "FindOrderByRef(unknown "+string(kind)+")", err)
	}
}

func orderInvalid(t *testing.T, h *Harness) {
	need(t, "NewOrder", h.NewOrder)
	sink := h.Connector.(connector.OrderSink)
	o := h.NewOrder(t, "CT-INVALID")
	o.ExternalRef = "CT-INVALID"
	if len(o.Lines) == 0 {
		t.Fatal("NewOrder returned an order without lines")
	}
	o.Lines[0].Quantity = decimal.NewFromInt(-1)
	kind := kinds(h)[0]
	_, err := sink.CreateOrder(ctx(t), kind, o)
	wantValidation(t, "CreateOrder(negative quantity)", err)
	_, err = sink.FindOrderByRef(ctx(t), kind, "CT-INVALID")
	wantNotFound(t, "the invalid order must not be written", err)
}

// streamPages checks that a stream spanning at least three pages returns
// every record once: it counts what is there, seeds 3*PageSize+1 records
// and counts again.
func streamPages[T any](t *testing.T, h *Harness, label string, seed func(*testing.T, int),
	stream func() iter.Seq2[T, error], id func(T) string) {
	t.Helper()
	before := drain(t, stream(), id)
	n := 3*h.pageSize() + 1
	seed(t, n)
	if got := drain(t, stream(), id); got != before+n {
		t.Errorf("streamed %d %s, want %d (%d before seeding + %d seeded)", got, label, before+n, before, n)
	}
}

// drain consumes a stream and checks that IDs are unique and non-empty.
func drain[T any](t *testing.T, seq iter.Seq2[T, error], id func(T) string) int {
	t.Helper()
	seen := map[string]bool{}
	n := 0
	for rec, err := range seq {
		if err != nil {
			t.Fatalf("stream error after %d records: %v", n, err)
		}
		n++
		k := id(rec)
		if k == "" {
			t.Errorf("record %d has no ID", n)
		}
		if seen[k] {
			t.Errorf("record %q streamed twice", k)
		}
		seen[k] = true
		if n > 100000 {
			t.Fatal("stream does not end")
		}
	}
	return n
}

func orderStream(t *testing.T, h *Harness) {
	need(t, "SeedOrders", h.SeedOrders)
	src := h.Connector.(connector.OrderSource)
	streamPages(t, h, "orders", h.SeedOrders, func() iter.Seq2[connector.Order, error] {
		return src.Orders(ctx(t), connector.OrderQuery{PageSize: h.pageSize()})
	}, func(o connector.Order) string { return o.ID })
}

func orderStreamStop(t *testing.T, h *Harness) {
	need(t, "SeedOrders", h.SeedOrders)
	h.SeedOrders(t, 2*h.pageSize()+1)
	src := h.Connector.(connector.OrderSource)
	n := 0
	for _, err := range src.Orders(ctx(t), connector.OrderQuery{PageSize: h.pageSize()}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("consumed %d records before stopping, want 2", n)
	}
}

func statusUnknown(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.OrderStatusSink)
	err := sink.SetOrderStatus(ctx(t), h.unknownID(), connector.StatusShipped)
	wantNotFound(t, "SetOrderStatus(unknown order)", err)
}

func customerFindExact(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.CustomerSink)
	anna, err := sink.CreateCustomer(ctx(t), h.customer(t, "anna.ct@example.com"))
	if err != nil {
		t.Fatalf("CreateCustomer: %v", err)
	}
	if anna.ID == "" {
		t.Fatal("CreateCustomer returned no ID")
	}
	hanna, err := sink.CreateCustomer(ctx(t), h.customer(t, "hanna.ct@example.com"))
	if err != nil {
		t.Fatalf("CreateCustomer: %v", err)
	}
	for _, q := range []string{"anna.ct@example.com", "ANNA.CT@Example.com"} {
		got, err := sink.FindCustomerByEmail(ctx(t), q)
		if err != nil {
			t.Fatalf("FindCustomerByEmail(%s): %v", q, err)
		}
		if got.ID != anna.ID {
			t.Errorf("FindCustomerByEmail(%s) = ID %q, want %q (not %q)", q, got.ID, anna.ID, hanna.ID)
		}
	}
	for _, q := range []string{"nna.ct@example.com", "anna.ct@example", "anna", "ct@example.com", "zz.ct@example.com"} {
		_, err := sink.FindCustomerByEmail(ctx(t), q)
		wantNotFound(t, "FindCustomerByEmail(partial "+q+")", err)
	}
}

func customerUpdate(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.CustomerSink)
	c, err := sink.CreateCustomer(ctx(t), h.customer(t, "update.ct@example.com"))
	if err != nil {
		t.Fatalf("CreateCustomer: %v", err)
	}
	c.Phone = "0612345678"
	c.BillingAddress.City = "Utrecht"
	if _, err := sink.UpdateCustomer(ctx(t), c); err != nil {
		t.Fatalf("UpdateCustomer: %v", err)
	}
	got, err := sink.FindCustomerByEmail(ctx(t), "update.ct@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != c.ID || got.Phone != "0612345678" || got.BillingAddress.City != "Utrecht" {
		t.Errorf("after update: ID %q phone %q city %q", got.ID, got.Phone, got.BillingAddress.City)
	}
}

func customerUnknown(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.CustomerSink)
	_, err := sink.FindCustomerByEmail(ctx(t), "nobody.ct@example.com")
	wantNotFound(t, "FindCustomerByEmail(unknown)", err)
	c := h.customer(t, "ghost.ct@example.com")
	c.ID = h.unknownID()
	_, err = sink.UpdateCustomer(ctx(t), c)
	wantNotFound(t, "UpdateCustomer(unknown ID)", err)
}

func customerInvalid(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.CustomerSink)
	c := h.customer(t, "invalid.ct@example.com")
	c.Email = "not-an-address"
	_, err := sink.CreateCustomer(ctx(t), c)
	wantValidation(t, "CreateCustomer(malformed e-mail)", err)
	c = h.customer(t, "invalid2.ct@example.com")
	c.BillingAddress.Country = "Netherlands"
	_, err = sink.CreateCustomer(ctx(t), c)
	wantValidation(t, "CreateCustomer(country not alpha-2)", err)
	_, err = sink.FindCustomerByEmail(ctx(t), "invalid2.ct@example.com")
	wantNotFound(t, "the invalid customer must not be written", err)
}

func customerStream(t *testing.T, h *Harness) {
	need(t, "SeedCustomers", h.SeedCustomers)
	src := h.Connector.(connector.CustomerSource)
	streamPages(t, h, "customers", h.SeedCustomers, func() iter.Seq2[connector.Customer, error] {
		return src.Customers(ctx(t), connector.CustomerQuery{PageSize: h.pageSize()})
	}, func(c connector.Customer) string { return c.ID })
}

func productFindExact(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.ProductSink)
	p, err := sink.CreateProduct(ctx(t), h.product(t, "800001"))
	if err != nil {
		t.Fatalf("CreateProduct: %v", err)
	}
	if p.ID == "" {
		t.Fatal("CreateProduct returned no ID")
	}
	long, err := sink.CreateProduct(ctx(t), h.product(t, "8000010"))
	if err != nil {
		t.Fatalf("CreateProduct: %v", err)
	}
	got, err := sink.FindProductBySKU(ctx(t), "800001")
	if err != nil {
		t.Fatalf("FindProductBySKU: %v", err)
	}
	if got.ID != p.ID || got.SKU != "800001" {
		t.Errorf("FindProductBySKU(800001) = %q/%q, want %q (not %q)", got.ID, got.SKU, p.ID, long.ID)
	}
	for _, q := range []string{"80000", "00001", "8000011"} {
		_, err := sink.FindProductBySKU(ctx(t), q)
		wantNotFound(t, "FindProductBySKU(partial "+q+")", err)
	}
}

func productFindVariant(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.ProductSink)
	p := h.product(t, "800050")
	p.Type = connector.ProductConfigurable
	p.Attributes = []connector.Attribute{{Name: "Size", Values: []string{"S", "M"}}}
	for i, size := range []string{"S", "M"} {
		p.Variants = append(p.Variants, connector.Variant{SKU: fmt.Sprint(8000501 + i), Active: true,
			Attributes: []connector.AttributeValue{{Name: "Size", Value: size}}})
	}
	if _, err := sink.CreateProduct(ctx(t), p); err != nil {
		t.Fatalf("CreateProduct(configurable): %v", err)
	}
	got, err := sink.FindProductBySKU(ctx(t), "8000502")
	if err != nil {
		t.Fatalf("FindProductBySKU(variant SKU): %v", err)
	}
	has := got.SKU == "8000502"
	for _, v := range got.Variants {
		has = has || v.SKU == "8000502"
	}
	if !has || got.ID == "" {
		t.Errorf("FindProductBySKU(8000502) = %q (ID %q) with variants %v: the variant is not in it", got.SKU, got.ID, got.Variants)
	}
	_, err = sink.FindProductBySKU(ctx(t), "8000503")
	wantNotFound(t, "FindProductBySKU(unknown variant SKU)", err)
}

func productUpdate(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.ProductSink)
	p, err := sink.CreateProduct(ctx(t), h.product(t, "800002"))
	if err != nil {
		t.Fatalf("CreateProduct: %v", err)
	}
	p.Name = "Renamed conformance product"
	if _, err := sink.UpdateProduct(ctx(t), p); err != nil {
		t.Fatalf("UpdateProduct: %v", err)
	}
	got, err := sink.FindProductBySKU(ctx(t), "800002")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Renamed conformance product" || got.ID != p.ID {
		t.Errorf("after update: %q %q", got.ID, got.Name)
	}
}

func productUnknown(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.ProductSink)
	_, err := sink.FindProductBySKU(ctx(t), "899999")
	wantNotFound(t, "FindProductBySKU(unknown)", err)
	p := h.product(t, "899998")
	p.ID = h.unknownID()
	_, err = sink.UpdateProduct(ctx(t), p)
	wantNotFound(t, "UpdateProduct(unknown ID)", err)
}

func productInvalid(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.ProductSink)
	p := h.product(t, "800003")
	p.SKU = ""
	_, err := sink.CreateProduct(ctx(t), p)
	wantValidation(t, "CreateProduct(no SKU)", err)
	p = h.product(t, "800004")
	p.Price = decimal.NewFromInt(-5)
	_, err = sink.CreateProduct(ctx(t), p)
	wantValidation(t, "CreateProduct(negative price)", err)
	_, err = sink.FindProductBySKU(ctx(t), "800004")
	wantNotFound(t, "the invalid product must not be written", err)
}

func productStream(t *testing.T, h *Harness) {
	need(t, "SeedProducts", h.SeedProducts)
	src := h.Connector.(connector.ProductSource)
	streamPages(t, h, "products", h.SeedProducts, func() iter.Seq2[connector.Product, error] {
		return src.Products(ctx(t), connector.ProductQuery{PageSize: h.pageSize()})
	}, func(p connector.Product) string { return p.ID })
}

func stockAvailable(t *testing.T, h *Harness) {
	src := h.Connector.(connector.StockSource)
	h.SeedStock(t, "800010", decimal.NewFromInt(10), decimal.NewFromInt(3))
	var got []connector.StockLevel
	for l, err := range src.StockLevels(ctx(t), connector.StockQuery{SKUs: []string{"800010"}}) {
		if err != nil {
			t.Fatal(err)
		}
		if l.SKU == "800010" {
			got = append(got, l)
		}
	}
	if len(got) == 0 {
		t.Fatal("StockLevels returned no level for the seeded SKU")
	}
	l := got[0]
	if !l.OnHand.Equal(decimal.NewFromInt(10)) || !l.Reserved.Equal(decimal.NewFromInt(3)) || !l.Available.Equal(decimal.NewFromInt(7)) {
		t.Errorf("stock = on hand %s, reserved %s, available %s; want 10, 3, 7", l.OnHand, l.Reserved, l.Available)
	}
}

func stockSet(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.StockSink)
	if ps, ok := h.Connector.(connector.ProductSink); ok {
		if _, err := ps.CreateProduct(ctx(t), h.product(t, "800020")); err != nil {
			t.Fatalf("CreateProduct: %v", err)
		}
	} else if h.SeedStock != nil {
		h.SeedStock(t, "800020", decimal.NewFromInt(1), decimal.Zero)
	} else {
		need(t, "SeedStock (or a ProductSink)", nil)
	}
	err := sink.SetStock(ctx(t), connector.StockLevel{SKU: "800020", OnHand: decimal.NewFromInt(12), Available: decimal.NewFromInt(12), Managed: true})
	if err != nil {
		t.Fatalf("SetStock: %v", err)
	}
	if src, ok := h.Connector.(connector.StockSource); ok {
		for l, err := range src.StockLevels(ctx(t), connector.StockQuery{SKUs: []string{"800020"}}) {
			if err != nil {
				t.Fatal(err)
			}
			if l.SKU == "800020" && !l.Available.Equal(decimal.NewFromInt(12)) && !l.OnHand.Equal(decimal.NewFromInt(12)) {
				t.Errorf("after SetStock(12): on hand %s, available %s", l.OnHand, l.Available)
			}
		}
	}
	err = sink.SetStock(ctx(t), connector.StockLevel{SKU: "899997", Available: decimal.NewFromInt(1)})
	wantNotFound(t, "SetStock(unknown SKU)", err)
	err = sink.SetStock(ctx(t), connector.StockLevel{SKU: "", Available: decimal.NewFromInt(1)})
	wantValidation(t, "SetStock(no SKU)", err)
}

func categoryCreateFind(t *testing.T, h *Harness) {
	sink := h.Connector.(connector.CategorySink)
	_, err := sink.FindCategory(ctx(t), "CT Never", "")
	wantNotFound(t, "FindCategory(unknown)", err)
	parent, err := sink.CreateCategory(ctx(t), connector.Category{Name: "CT Kitchen"})
	if err != nil {
		t.Fatalf("CreateCategory: %v", err)
	}
	child, err := sink.CreateCategory(ctx(t), connector.Category{Name: "CT Mugs", ParentID: parent.ID})
	if err != nil {
		t.Fatalf("CreateCategory(child): %v", err)
	}
	got, err := sink.FindCategory(ctx(t), "CT Mugs", parent.ID)
	if err != nil {
		t.Fatalf("FindCategory(child): %v", err)
	}
	if got.ID != child.ID {
		t.Errorf("FindCategory = %q, want %q", got.ID, child.ID)
	}
	_, err = sink.FindCategory(ctx(t), "CT Mugs", "")
	wantNotFound(t, "FindCategory(child name at root)", err)
	_, err = sink.CreateCategory(ctx(t), connector.Category{Name: ""})
	wantValidation(t, "CreateCategory(no name)", err)
}
