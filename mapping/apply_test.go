package mapping

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// deepCopy copies v through JSON, for checking that Apply leaves its source
// alone.
func deepCopy[T any](t *testing.T, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkUnchanged fails when Apply changed its source.
func checkUnchanged[T any](t *testing.T, before, after T) {
	t.Helper()
	if diff := cmp.Diff(before, after, decimalCmp); diff != "" {
		t.Errorf("Apply changed the source (-before +after):\n%s", diff)
	}
}

// configured is the default mapping of entity e with the tables and
// settings of testdata/override.json.
func configured(t *testing.T, e Entity) *Mapping {
	o := loadMapping(t, "override.json")
	return Default(e).With(&Mapping{Tables: o.Tables, Settings: o.Settings})
}

// sinkOrder is what the default order mapping makes of src: the order
// without the identifiers of the source system.
func sinkOrder(src connector.Order) connector.Order {
	want := src
	want.ID, want.ExternalRef, want.Cursor = "", "", ""
	want.Lines = make([]connector.OrderLine, len(src.Lines))
	for i, l := range src.Lines {
		l.ID, l.ProductID = "", ""
		want.Lines[i] = l
	}
	return want
}

var orderOpt = Options{Mode: Create, Now: runTime, Record: `order "1001"`}

func TestDefaultOrderMappingUnconfigured(t *testing.T) {
	src := load[connector.Order](t, "order.json")
	before := deepCopy(t, src)
	p := mustCompile[connector.Order](t, Default(EntityOrder))
	var dst connector.Order
	res, err := p.Apply(&src, &dst, orderOpt)
	if err != nil {
		t.Fatal(err)
	}
	// Without tables every value passes unchanged and nothing is a miss.
	if diff := cmp.Diff(sinkOrder(src), dst, decimalCmp); diff != "" {
		t.Errorf("mapped order (-want +got):\n%s", diff)
	}
	if res.Misses != nil {
		t.Errorf("misses = %v, want none", res.Misses)
	}
	if diff := cmp.Diff(p.Fields(Create), res.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	checkUnchanged(t, before, src)
}

func TestDefaultOrderMappingConfigured(t *testing.T) {
	src := load[connector.Order](t, "order.json")
	p := mustCompile[connector.Order](t, configured(t, EntityOrder))
	var dst connector.Order
	res, err := p.Apply(&src, &dst, orderOpt)
	if err != nil {
		t.Fatal(err)
	}
	want := sinkOrder(src)
	want.ShippingMethod = "POSTNL" // postnl_standard in shipping_methods
	want.PaymentMethod = "IDEAL"   // ideal in payment_methods
	want.PaymentTerms = "14"       // payment_terms is empty: the order's own terms
	for i := range want.Lines {
		// Shipped to BE for a customer with a VAT number: EU business.
		want.Lines[i].TaxCode, want.Lines[i].RevenueAccount = "ICL", "8110"
	}
	if diff := cmp.Diff(want, dst, decimalCmp); diff != "" {
		t.Errorf("mapped order (-want +got):\n%s", diff)
	}
	if res.Misses != nil {
		t.Errorf("misses = %v, want none", res.Misses)
	}

	t.Run("consumer in the home country", func(t *testing.T) {
		src := src
		src.Customer.VATNumber = ""
		src.ShippingAddress = connector.Address{}
		var dst connector.Order
		if _, err := p.Apply(&src, &dst, orderOpt); err != nil {
			t.Fatal(err)
		}
		var got [][2]string
		for _, l := range dst.Lines {
			got = append(got, [2]string{l.TaxCode, l.RevenueAccount})
		}
		// Billing country NL (shipping empty): codes per rate, domestic account.
		want := [][2]string{{"VL", "8000"}, {"VH", "8000"}, {"VL", "8000"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("tax codes and accounts (-want +got):\n%s", diff)
		}
	})
	t.Run("misses", func(t *testing.T) {
		src := deepCopy(t, src)
		src.PaymentMethod = "klarna"
		src.ShippingAddress.Country = "XX"
		var dst connector.Order
		res, err := p.Apply(&src, &dst, orderOpt)
		if err != nil {
			t.Fatal(err)
		}
		if dst.PaymentMethod != "klarna" {
			t.Errorf("PaymentMethod = %q, want the source value", dst.PaymentMethod)
		}
		want := []Miss{
			{Field: "PaymentMethod", Table: "payment_methods", Key: "klarna"},
			{Field: "Lines[].TaxCode", Table: "tax_codes", Key: "XX:9"},
			{Field: "Lines[].RevenueAccount", Table: "revenue_accounts", Key: "XX:9"},
			{Field: "Lines[].TaxCode", Table: "tax_codes", Key: "XX:21"},
			{Field: "Lines[].RevenueAccount", Table: "revenue_accounts", Key: "XX:21"},
		}
		if diff := cmp.Diff(want, res.Misses); diff != "" {
			t.Errorf("misses (-want +got):\n%s", diff)
		}
	})
}

func TestUpdateKeepsWhatTheTargetOwns(t *testing.T) {
	src := load[connector.Order](t, "order.json")
	p := mustCompile[connector.Order](t, configured(t, EntityOrder))
	existing := connector.Order{
		ID:          "T-9",
		Number:      "T-55",
		ExternalRef: "1001",
		Notes:       "picked by Kees",
		Status:      connector.StatusNew,
		Lines: []connector.OrderLine{
			{ID: "t1", ProductID: "sink-1", SKU: "old"},
			{ID: "t2", ProductID: "sink-2"},
			{ID: "t3", ProductID: "sink-3"},
			{ID: "t4", ProductID: "sink-4"},
		},
	}
	dst := existing
	res, err := p.Apply(&src, &dst, Options{Mode: Update, Now: runTime})
	if err != nil {
		t.Fatal(err)
	}
	// Create-only and unmapped fields keep the target's values.
	if dst.Number != "T-55" || dst.Notes != "picked by Kees" || dst.ID != "T-9" || dst.ExternalRef != "1001" {
		t.Errorf("target-owned fields changed: %+v", dst)
	}
	if dst.Status != connector.StatusProcessing || dst.PaymentMethod != "IDEAL" || !dst.Totals.Total.Equal(dec("95.35")) {
		t.Errorf("update fields not written: status %q, payment %q, total %s", dst.Status, dst.PaymentMethod, dst.Totals.Total)
	}
	// One line per source line, each starting from the target's line at
	// the same position.
	if len(dst.Lines) != 3 {
		t.Fatalf("%d lines, want 3", len(dst.Lines))
	}
	for i, l := range dst.Lines {
		if l.ProductID != existing.Lines[i].ProductID || l.ID != existing.Lines[i].ID || l.SKU != src.Lines[i].SKU {
			t.Errorf("line %d = %+v", i, l)
		}
	}
	if existing.Lines[0].SKU != "old" {
		t.Error("Apply wrote into the target's original line slice")
	}
	for _, f := range []string{"Number", "Notes"} {
		if contains(res.Fields, f) {
			t.Errorf("update wrote %s", f)
		}
	}
}

func TestApplyErrors(t *testing.T) {
	src := load[connector.Order](t, "order.json")
	compile := func(rules ...Rule) *Program[connector.Order] {
		return mustCompile[connector.Order](t, &Mapping{Rules: rules})
	}
	t.Run("runtime error names record and line", func(t *testing.T) {
		p := compile(Rule{Field: "Lines[].Total", Expr: "Line.UnitPrice / (Line.Quantity - 2)"})
		var dst connector.Order
		_, err := p.Apply(&src, &dst, orderOpt)
		var ae *ApplyError
		if !errors.As(err, &ae) {
			t.Fatalf("Apply = %v, want an *ApplyError", err)
		}
		if ae.Record != `order "1001"` || ae.Field != "Lines[1].Total" || !errors.Is(err, errDivByZero) {
			t.Errorf("error = %#v", ae)
		}
		want := `mapping: order "1001": field Lines[1].Total: expression "Line.UnitPrice / (Line.Quantity - 2)": column 16: division by zero`
		if err.Error() != want {
			t.Errorf("error =\n%v\nwant\n%s", err, want)
		}
	})
	t.Run("no personal data in errors", func(t *testing.T) {
		p := compile(Rule{Field: "Notes", Expr: `string(int(Order.Customer.Email))`})
		var dst connector.Order
		_, err := p.Apply(&src, &dst, orderOpt)
		if err == nil {
			t.Fatal("Apply succeeded")
		}
		if strings.Contains(err.Error(), "bakkerij") || strings.Contains(err.Error(), "inkoop") {
			t.Errorf("error leaks the e-mail address: %v", err)
		}
		if !strings.Contains(err.Error(), "field Notes") {
			t.Errorf("error does not name the field: %v", err)
		}
	})
	t.Run("value of unknown type", func(t *testing.T) {
		p := compile(Rule{Field: "Notes", Expr: `Order.Paid ? "paid" : 0`})
		var dst connector.Order
		if _, err := p.Apply(&src, &dst, orderOpt); err != nil || dst.Notes != "paid" {
			t.Fatalf("paid: %v, %q", err, dst.Notes)
		}
		unpaid := src
		unpaid.Paid = false
		_, err := p.Apply(&unpaid, &dst, orderOpt)
		if err == nil || !strings.Contains(err.Error(), "field Notes: the expression gives int, the field needs string") {
			t.Errorf("Apply = %v", err)
		}
	})
	t.Run("memory budget", func(t *testing.T) {
		p := compile(Rule{Field: "Notes", Expr: `string(len(map(1..10000000, # + 1)))`})
		var dst connector.Order
		if _, err := p.Apply(&src, &dst, orderOpt); err == nil || !strings.Contains(err.Error(), "memory budget exceeded") {
			t.Errorf("Apply = %v", err)
		}
	})
	t.Run("engine messages without record data are kept", func(t *testing.T) {
		for _, tc := range []struct{ field, expr, want string }{
			{"Notes", `Order.Lines[5].SKU`, "index out of range: 5 (array length is 3)"},
			{"Notes", `Order.Discounts[0].Code + Order.Lines[-9].SKU`, "index out of range: -6 (array length is 3)"},
			{"Lines[].Name", `string(10 % (LineIndex - 1))`, "integer divide by zero"},
		} {
			p := compile(Rule{Field: tc.field, Expr: tc.expr})
			var dst connector.Order
			_, err := p.Apply(&src, &dst, orderOpt)
			var ee *EvalError
			if !errors.As(err, &ee) || !strings.Contains(ee.Msg, tc.want) {
				t.Errorf("%s: Apply = %v, want %q", tc.expr, err, tc.want)
			}
		}
	})
	t.Run("through a nil pointer", func(t *testing.T) {
		p := mustCompile[connector.Product](t, &Mapping{Rules: []Rule{{Field: "Price", Expr: "Product.Stock.OnHand"}}})
		prod := connector.Product{SKU: "1"}
		var dst connector.Product
		_, err := p.Apply(&prod, &dst, Options{Mode: Create, Record: `product "1"`})
		if err == nil || !strings.Contains(err.Error(), `product "1": field Price: expression "Product.Stock.OnHand": column 1: cannot get OnHand from Stock`) {
			t.Errorf("Apply = %v", err)
		}
	})
	t.Run("bad calls", func(t *testing.T) {
		p := compile(Rule{Field: "Notes", Expr: "Order.Notes"})
		var dst connector.Order
		if _, err := p.Apply(&src, &dst, Options{Record: "order 1"}); err == nil || !strings.Contains(err.Error(), "mapping: order 1: Options.Mode is Mode(0), want Create or Update") {
			t.Errorf("Apply without mode = %v", err)
		}
		if _, err := p.Apply(nil, &dst, orderOpt); err == nil {
			t.Error("Apply(nil, ...) succeeded")
		}
		if _, err := p.Apply(&src, nil, orderOpt); err == nil {
			t.Error("Apply(..., nil) succeeded")
		}
		if _, err := p.Match(nil, orderOpt); err == nil {
			t.Error("Match(nil) succeeded")
		}
		var zero Program[connector.Order]
		if _, err := zero.Apply(&src, &dst, orderOpt); err == nil {
			t.Error("Apply of a zero Program succeeded")
		}
		if _, err := zero.Match(&src, orderOpt); err == nil {
			t.Error("Match of a zero Program succeeded")
		}
		if zero.Fields(Create) != nil || zero.Mapping() != nil {
			t.Error("a zero Program has fields or a mapping")
		}
	})
}

func TestConversionsAndTargets(t *testing.T) {
	src := load[connector.Product](t, "product.json")
	before := deepCopy(t, src)
	p := mustCompile[connector.Product](t, &Mapping{Rules: []Rule{
		{Field: "CustomFields", Expr: "Product.CustomFields"},
		{Field: "CustomFields.source", Expr: `"webshop"`},
		{Field: "CustomFields.sku", Expr: `lower(Product.SKU)`},
		{Field: "CostPrice", Expr: "5"},                           // int into a decimal
		{Field: "Type", Expr: `"simple"`},                         // string into a ProductType
		{Field: "Stock.OnHand", Expr: "Product.Stock.OnHand + 1"}, // through a nil pointer of dst
		{Field: "Variants[].Price", Expr: "Product.Price * 2"},    // decimal into a NullDecimal
		{Field: "Variants[].SKU", Expr: `Product.SKU + "-" + string(VariantIndex)`},
		{Field: "Variants[].EAN", Expr: "Variant.EAN"},
	}})
	var dst connector.Product
	if _, err := p.Apply(&src, &dst, Options{Mode: Create}); err != nil {
		t.Fatal(err)
	}
	want := connector.Product{
		CustomFields: map[string]string{"brand": "Keukenhof", "source": "webshop", "sku": "800002"},
		CostPrice:    dec("5"),
		Type:         connector.ProductSimple,
		Stock:        &connector.StockLevel{OnHand: dec("11")},
		Variants: []connector.Variant{
			{SKU: "800002-0", EAN: "8712345000034", Price: decimal.NewNullDecimal(dec("49.90"))},
			{SKU: "800002-1", EAN: "8712345000041", Price: decimal.NewNullDecimal(dec("49.90"))},
		},
	}
	if diff := cmp.Diff(want, dst, decimalCmp); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	checkUnchanged(t, before, src)
}

func TestDefaultCustomerMapping(t *testing.T) {
	src := load[connector.Customer](t, "customer.json")
	p := mustCompile[connector.Customer](t, configured(t, EntityCustomer))
	var dst connector.Customer
	if _, err := p.Apply(&src, &dst, Options{Mode: Create, Record: `customer "C77"`}); err != nil {
		t.Fatal(err)
	}
	want := src
	want.ID, want.Cursor = "", ""
	want.TaxCode, want.RevenueAccount = "ICL", "8110" // BE with a VAT number
	if diff := cmp.Diff(want, dst); diff != "" {
		t.Errorf("create (-want +got):\n%s", diff)
	}

	// Update keeps number, currency and payment terms of the target.
	existing := connector.Customer{ID: "D-1", Number: "20001", Currency: "EUR", PaymentTerms: "14", Email: "old@example.com"}
	dst = existing
	if _, err := p.Apply(&src, &dst, Options{Mode: Update}); err != nil {
		t.Fatal(err)
	}
	want.ID, want.Number, want.PaymentTerms = "D-1", "20001", "14"
	if diff := cmp.Diff(want, dst); diff != "" {
		t.Errorf("update (-want +got):\n%s", diff)
	}
}

func TestDefaultProductMapping(t *testing.T) {
	src := load[connector.Product](t, "product.json")
	p := mustCompile[connector.Product](t, configured(t, EntityProduct))
	var dst connector.Product
	if _, err := p.Apply(&src, &dst, Options{Mode: Create}); err != nil {
		t.Fatal(err)
	}
	want := deepCopy(t, src)
	want.ID, want.Cursor = "", ""
	want.TaxCode, want.RevenueAccount = "VH", "8000" // home country NL at 21 %
	for i := range want.Variants {
		want.Variants[i].ID = ""
	}
	if diff := cmp.Diff(want, dst, decimalCmp, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("create (-want +got):\n%s", diff)
	}

	// Update keeps the shop's content, categories, images and stock.
	shop := connector.Product{
		ID:          "shop-1",
		Description: "<p>Rewritten by the shop's copywriter</p>",
		Categories:  []connector.Category{{ID: "9", Name: "Sale"}},
		Images:      []connector.Image{{URL: "https://shop.example/new.jpg", Main: true}},
		Stock:       &connector.StockLevel{SKU: "800002", OnHand: dec("99")},
		Variants:    []connector.Variant{{ID: "v1", Stock: &connector.StockLevel{OnHand: dec("5")}}},
	}
	dst = shop
	if _, err := p.Apply(&src, &dst, Options{Mode: Update}); err != nil {
		t.Fatal(err)
	}
	if dst.Description != shop.Description || !cmp.Equal(dst.Categories, shop.Categories) || !cmp.Equal(dst.Images, shop.Images) || dst.Stock != shop.Stock {
		t.Errorf("update overwrote shop content: %+v", dst)
	}
	if dst.Name != src.Name || !dst.Price.Equal(src.Price) || len(dst.Variants) != 2 {
		t.Errorf("update did not write name, price and variants: %+v", dst)
	}
	if dst.Variants[0].ID != "v1" || !dst.Variants[0].Stock.OnHand.Equal(dec("5")) || dst.Variants[1].Stock != nil {
		t.Errorf("variants = %+v", dst.Variants)
	}
}

func TestDefaultStockMapping(t *testing.T) {
	src := load[connector.StockLevel](t, "stock.json")
	p := mustCompile[connector.StockLevel](t, Default(EntityStock))
	var dst connector.StockLevel
	if _, err := p.Apply(&src, &dst, Options{Mode: Update}); err != nil {
		t.Fatal(err)
	}
	want := connector.StockLevel{SKU: "800001", OnHand: dec("25"), Reserved: dec("4.5"), Available: dec("20.5"), Managed: true, Location: "Amsterdam"}
	if diff := cmp.Diff(want, dst, decimalCmp); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestMatch(t *testing.T) {
	src := load[connector.Order](t, "order.json")
	p := mustCompile[connector.Order](t, Default(EntityOrder).With(loadMapping(t, "override.json")))
	tests := []struct {
		name   string
		change func(*connector.Order)
		want   bool
	}{
		{"paid with a total", func(*connector.Order) {}, true},
		{"not paid", func(o *connector.Order) { o.Paid = false }, false},
		{"zero total", func(o *connector.Order) { o.Totals.Total = decimal.Zero }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := src
			tc.change(&o)
			got, err := p.Match(&o, orderOpt)
			if err != nil || got != tc.want {
				t.Errorf("Match = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	t.Run("no filters", func(t *testing.T) {
		got, err := mustCompile[connector.Order](t, Default(EntityOrder)).Match(&src, orderOpt)
		if err != nil || !got {
			t.Errorf("Match = %v, %v", got, err)
		}
	})
	t.Run("category in a list", func(t *testing.T) {
		prod := load[connector.Product](t, "product.json")
		p := mustCompile[connector.Product](t, &Mapping{Filters: []string{
			`any(Product.Categories, .Name in ["Textiel", "Keuken"])`, `Product.Price > 0`,
		}})
		if ok, err := p.Match(&prod, Options{}); err != nil || !ok {
			t.Errorf("Match = %v, %v", ok, err)
		}
		prod.Categories = nil
		if ok, err := p.Match(&prod, Options{}); err != nil || ok {
			t.Errorf("Match without categories = %v, %v", ok, err)
		}
	})
	t.Run("error names the filter", func(t *testing.T) {
		p := mustCompile[connector.Order](t, &Mapping{Filters: []string{"Order.Paid", "Order.Totals.Total / 0 > 1"}})
		_, err := p.Match(&src, orderOpt)
		var ae *ApplyError
		if !errors.As(err, &ae) || ae.Field != "filters[1]" || ae.Record != `order "1001"` {
			t.Errorf("Match = %v", err)
		}
	})
}

// TestNativeMatchesVM runs mappings once with the native fast paths and
// once with every rule in the VM, and wants the same records and misses.
func TestNativeMatchesVM(t *testing.T) {
	src := load[connector.Order](t, "order.json")
	extra := &Mapping{Rules: []Rule{
		{Field: "Notes", Expr: `upper(trim(Order.Notes)) + "/" + lower(country(Order.ShippingAddress.Country))`},
		{Field: "RawStatus", Expr: `coalesce("", Order.RawStatus, "x")`},
		{Field: "ShippingCost", Expr: `-(Order.ShippingCost * 2 + dec("0.05") - 1)`},
		{Field: "Currency", Expr: `lookup("payment_methods", "nope", "EUR")`},
		{Field: "Lines[].Discount", Expr: `Line.UnitPrice * Line.Quantity - Line.Total`},
		{Field: "Lines[].Unit", Expr: `taxCode(Order.BillingAddress.Country) + revenueAccount("US", Line.TaxRate) + taxCode("", Line.TaxRate, "x")`},
	}}
	mappings := map[string]*Mapping{
		"default":    Default(EntityOrder),
		"configured": configured(t, EntityOrder),
		"extra":      configured(t, EntityOrder).With(extra),
	}
	variants := []func(*connector.Order){
		func(*connector.Order) {},
		func(o *connector.Order) {
			o.ShippingAddress.Country, o.Customer.VATNumber, o.PaymentMethod = "xx", "", "paypal"
		},
		func(o *connector.Order) { o.ShippingAddress.Country, o.BillingAddress.Country = "", "" },
	}
	for name, m := range mappings {
		for i, change := range variants {
			o := deepCopy(t, src)
			change(&o)
			run := func(native bool) (connector.Order, Result) {
				useNative = native
				defer func() { useNative = true }()
				p := mustCompile[connector.Order](t, m)
				var dst connector.Order
				res, err := p.Apply(&o, &dst, orderOpt)
				if err != nil {
					t.Fatalf("%s/%d native=%v: %v", name, i, native, err)
				}
				return dst, res
			}
			nd, nr := run(true)
			vd, vr := run(false)
			if diff := cmp.Diff(vd, nd, decimalCmp); diff != "" {
				t.Errorf("%s/%d: native differs from VM (-vm +native):\n%s", name, i, diff)
			}
			if diff := cmp.Diff(vr, nr); diff != "" {
				t.Errorf("%s/%d: results differ (-vm +native):\n%s", name, i, diff)
			}
		}
	}
}

func TestConcurrentApply(t *testing.T) {
	src := load[connector.Order](t, "order.json")
	p := mustCompile[connector.Order](t, configured(t, EntityOrder).With(loadMapping(t, "override.json")))
	var want connector.Order
	if _, err := p.Apply(&src, &want, orderOpt); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 200 {
				var dst connector.Order
				if _, err := p.Apply(&src, &dst, orderOpt); err != nil {
					errs <- err
					return
				}
				if ok, err := p.Match(&src, orderOpt); err != nil || !ok {
					errs <- errors.New("match failed")
					return
				}
				if !cmp.Equal(want, dst, decimalCmp) {
					errs <- errors.New(cmp.Diff(want, dst, decimalCmp))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
