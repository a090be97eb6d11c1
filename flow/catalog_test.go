package flow_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/flow/flowtest"
	"github.com/tradelink/tradelink/mapping"
)

func tshirt() connector.Product {
	return connector.Product{
		SKU: "TS", Name: "T-shirt", ShortDescription: "Organic cotton", Description: "Long text", Price: dec("19.95"),
		PriceIncludesTax: true, TaxRate: dec("21"), Currency: "EUR", Type: connector.ProductConfigurable, Active: true,
		Attributes: []connector.Attribute{{Name: "Size", Values: []string{"S", "M"}}},
		Variants: []connector.Variant{
			{ID: "src-v1", SKU: "TS-S", Attributes: []connector.AttributeValue{{Name: "Size", Value: "S"}}, Active: true},
			{ID: "src-v2", SKU: "TS-M", Price: decimal.NewNullDecimal(dec("21.95")), Attributes: []connector.AttributeValue{{Name: "Size", Value: "M"}}, Active: true},
		},
		Features:   []connector.Feature{{Name: "Material", Value: "Cotton"}},
		Categories: []connector.Category{{ID: "src-cat", Name: "Shirts", Path: []string{"Clothing", "Shirts"}}},
		UpdatedAt:  t0,
	}
}

func products(t *testing.T, src, sink *flowtest.System, store flow.Store, m *mapping.Mapping) *flow.ProductFlow {
	t.Helper()
	f, err := flow.NewProducts(src, sink, flow.ProductConfig{Options: flow.Options{Store: store}, Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestProductFlowCreatesEveryType(t *testing.T) {
	shop, pos, store := flowtest.New("shop"), flowtest.New("pos"), flow.NewMemoryStore()
	shop.AddProduct(connector.Product{SKU: "MUG", Name: "Mug", Price: dec("8.50"), TaxRate: dec("21"), Currency: "EUR", Type: connector.ProductSimple, Active: true, UpdatedAt: t0})
	shop.AddProduct(tshirt())
	shop.AddProduct(connector.Product{SKU: "SET", Name: "Breakfast set", Type: connector.ProductGrouped, GroupedSKUs: []string{"MUG", "TS-S"}, Active: true, UpdatedAt: t0,
		Categories: []connector.Category{{Name: "Shirts", Path: []string{"Clothing", "Shirts"}}}})
	rep := run(t, products(t, shop, pos, store, nil))
	if rep.Count(flow.Created) != 3 {
		t.Fatalf("%s %v", counts(rep), rep.Failures())
	}
	got, err := pos.FindProductBySKU(t.Context(), "TS-M")
	if err != nil {
		t.Fatal(err)
	}
	if got.SKU != "TS" || len(got.Variants) != 2 || !got.Variants[1].Price.Decimal.Equal(dec("21.95")) || got.Variants[0].ID == "src-v1" {
		t.Errorf("configurable product: %+v", got)
	}
	if len(got.Features) != 1 || got.Features[0].Value != "Cotton" {
		t.Errorf("features: %+v", got.Features)
	}
	cats := pos.CategoryList()
	if len(cats) != 2 {
		t.Fatalf("categories created = %+v, want Clothing and Clothing/Shirts once", cats)
	}
	if len(got.Categories) != 1 || got.Categories[0].ID == "src-cat" || got.Categories[0].ID == "" {
		t.Errorf("product category not resolved to the sink's: %+v", got.Categories)
	}
	set, _ := pos.FindProductBySKU(t.Context(), "SET")
	if set.Type != connector.ProductGrouped || len(set.GroupedSKUs) != 2 {
		t.Errorf("grouped: %+v", set)
	}
	// Unchanged: no calls at all.
	pos.ResetCalls()
	rep = run(t, products(t, shop, pos, store, nil))
	if pos.TotalCalls() != 0 {
		t.Errorf("unchanged products cost %d calls: %v (%s)", pos.TotalCalls(), pos.Calls(), counts(rep))
	}
}

func TestProductFlowUpdatesOnlyUpdateOwnedFields(t *testing.T) {
	shop, pos, store := flowtest.New("shop"), flowtest.New("pos"), flow.NewMemoryStore()
	p := shop.AddProduct(tshirt())
	run(t, products(t, shop, pos, store, nil))
	// The sink enriches the description; the shop changes price and name.
	enriched, _ := pos.FindProductBySKU(t.Context(), "TS")
	enriched.Description = "Written by the shop's copywriter"
	pos.AddProduct(enriched)
	p.Price, p.Name, p.Description, p.UpdatedAt = dec("24.95"), "T-shirt organic", "Source text changed", t0.Add(time.Hour)
	shop.AddProduct(p)
	own := mapping.Default(mapping.EntityProduct).With(&mapping.Mapping{Rules: []mapping.Rule{
		{Field: "Description", Expr: "Product.Description", On: mapping.OnCreate},
	}})
	pos.ResetCalls()
	rep := run(t, products(t, shop, pos, store, own))
	if rep.Count(flow.Updated) != 1 {
		t.Fatalf("%s %v", counts(rep), rep.Failures())
	}
	got, _ := pos.FindProductBySKU(t.Context(), "TS")
	if !got.Price.Equal(dec("24.95")) || got.Name != "T-shirt organic" {
		t.Errorf("update-owned fields not written: %s %q", got.Price, got.Name)
	}
	if got.Description != "Written by the shop's copywriter" {
		t.Errorf("create-only field overwritten: %q", got.Description)
	}
	if got.Variants[0].ID != enriched.Variants[0].ID {
		t.Errorf("variant replaced instead of updated: %q vs %q", got.Variants[0].ID, enriched.Variants[0].ID)
	}
	fields := strings.Join(rep.Entries[0].Fields(), ",")
	if !strings.Contains(fields, "Price") || strings.Contains(fields, "Description") {
		t.Errorf("fields = %s", fields)
	}
	if pos.Calls()[flowtest.OpUpdateProduct] != 1 || pos.Calls()[flowtest.OpCreateProduct] != 0 {
		t.Errorf("calls: %v", pos.Calls())
	}
}

func TestProductFlowPlanShowsDiff(t *testing.T) {
	shop, pos, store := flowtest.New("shop"), flowtest.New("pos"), flow.NewMemoryStore()
	p := shop.AddProduct(tshirt())
	run(t, products(t, shop, pos, store, nil))
	p.Price, p.UpdatedAt = dec("29.95"), t0.Add(time.Hour)
	shop.AddProduct(p)
	pos.ResetCalls()
	rep, err := products(t, shop, pos, store, nil).Plan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if pos.Writes() != 0 || rep.Count(flow.Updated) != 1 {
		t.Fatalf("plan: %s, writes %d", counts(rep), pos.Writes())
	}
	d := rep.Entries[0].Diff()
	if !strings.Contains(d, "Price") || !strings.Contains(d, "29.95") {
		t.Errorf("diff:\n%s", d)
	}
}

func TestProductFlowDirectionGuard(t *testing.T) {
	a, b, store := flowtest.New("a"), flowtest.New("b"), flow.NewMemoryStore()
	for i := range 20 {
		a.AddProduct(connector.Product{SKU: fmt.Sprint(i), Name: "P", UpdatedAt: t0})
	}
	a.SetLatency(5 * time.Millisecond)
	ab := products(t, a, b, store, nil)
	ba := products(t, b, a, store, nil)
	done := make(chan error)
	go func() { _, err := ab.Run(t.Context()); done <- err }()
	// Wait until a->b holds the lock.
	deadline := time.Now().Add(5 * time.Second)
	for a.Calls()[flowtest.OpProducts] == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	_, err := ba.Run(t.Context())
	if !errors.Is(err, flow.ErrOppositeDirection) {
		t.Errorf("b->a during a->b: err = %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := ba.Run(t.Context()); err != nil {
		t.Errorf("b->a after a->b finished: %v", err)
	}
}

func TestProductFlowFilter(t *testing.T) {
	shop, pos := flowtest.New("shop"), flowtest.New("pos")
	shop.AddProduct(connector.Product{SKU: "FREE", Name: "Sample", UpdatedAt: t0})
	shop.AddProduct(connector.Product{SKU: "MUG", Name: "Mug", Price: dec("5"), Currency: "EUR", UpdatedAt: t0,
		Categories: []connector.Category{{Name: "Kitchen"}}})
	shop.AddProduct(connector.Product{SKU: "HAT", Name: "Hat", Price: dec("5"), Currency: "EUR", UpdatedAt: t0,
		Categories: []connector.Category{{Name: "Clothing"}}})
	m := mapping.Default(mapping.EntityProduct)
	m.Filters = []string{"Product.Price > 0", `any(Product.Categories, .Name in ["Kitchen", "Garden"])`}
	rep := run(t, products(t, shop, pos, flow.NewMemoryStore(), m))
	if rep.Count(flow.Created) != 1 || rep.Count(flow.Skipped) != 2 {
		t.Errorf("%s", counts(rep))
	}
}

func TestCustomerFlow(t *testing.T) {
	shop, books, store := flowtest.New("shop"), flowtest.New("books"), flow.NewMemoryStore()
	nl := connector.Address{Street: "Damrak", HouseNumber: "1", PostalCode: "1012LG", City: "Amsterdam", Country: "NL"}
	de := connector.Address{Street: "Hauptstraße", HouseNumber: "5", PostalCode: "10115", City: "Berlin", Country: "DE"}
	us := connector.Address{Street: "Main Street", HouseNumber: "12", PostalCode: "10001", City: "New York", Country: "US"}
	shop.AddCustomer(connector.Customer{Email: "nl@example.com", FirstName: "Anna", LastName: "Visser", BillingAddress: nl, UpdatedAt: t0})
	shop.AddCustomer(connector.Customer{Email: "de@example.com", CompanyName: "GmbH", VATNumber: "DE123456789", BillingAddress: de, UpdatedAt: t0})
	shop.AddCustomer(connector.Customer{Email: "us@example.com", FirstName: "Bob", BillingAddress: us, UpdatedAt: t0})
	shop.AddCustomer(connector.Customer{FirstName: "No Mail", UpdatedAt: t0})
	existing := books.AddCustomer(connector.Customer{Email: "NL@example.com", FirstName: "Anna", Number: "K-1"})
	m := mapping.Default(mapping.EntityCustomer)
	m.Settings = map[string]string{"homeCountry": "NL"}
	m.Tables.RevenueAccounts = mapping.CountryTable{Domestic: "8000", EU: "8100", OutsideEU: "8200"}
	m.Tables.TaxCodes = mapping.CountryTable{Domestic: "HIGH", EU: "EU", OutsideEU: "EXPORT"}
	f, err := flow.NewCustomers(shop, books, flow.CustomerConfig{Options: flow.Options{Store: store}, Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	rep := run(t, f)
	if counts(rep) != "created 2 updated 1 skipped 0 failed 1" {
		t.Fatalf("%s %+v", counts(rep), rep.Entries)
	}
	byEmail := map[string]connector.Customer{}
	for _, c := range books.CustomerList() {
		byEmail[strings.ToLower(c.Email)] = c
	}
	if len(byEmail) != 3 || byEmail["nl@example.com"].ID != existing.ID || byEmail["nl@example.com"].Number != "K-1" {
		t.Errorf("customers: %+v", byEmail)
	}
	for email, want := range map[string][2]string{
		"nl@example.com": {"8000", "HIGH"}, "de@example.com": {"8100", "EU"}, "us@example.com": {"8200", "EXPORT"},
	} {
		c := byEmail[email]
		if c.RevenueAccount != want[0] || c.TaxCode != want[1] {
			t.Errorf("%s: revenue account %q tax code %q, want %v", email, c.RevenueAccount, c.TaxCode, want)
		}
	}
	var ve *connector.ValidationError
	if f := rep.Failures(); len(f) != 1 || !errors.As(f[0].Err, &ve) || ve.Field != "Email" {
		t.Errorf("failures: %+v", rep.Failures())
	}
	books.ResetCalls()
	run(t, f)
	if books.Writes() != 0 {
		t.Errorf("re-run wrote %d times", books.Writes())
	}
	// Touched in the shop without a change: no call to the sink at all.
	for _, c := range shop.CustomerList() {
		if c.Email == "us@example.com" {
			c.UpdatedAt = t0.Add(time.Hour)
			shop.AddCustomer(c)
		}
	}
	books.ResetCalls()
	rep = run(t, f)
	if books.TotalCalls() != 0 || rep.Count(flow.Skipped) != 1 {
		t.Errorf("a touched but unchanged customer cost %v (%s)", books.Calls(), counts(rep))
	}
}

func TestStockFlow(t *testing.T) {
	pos, shop, store := flowtest.New("pos"), flowtest.New("shop"), flow.NewMemoryStore()
	for _, sku := range []string{"A", "B", "C"} {
		shop.AddProduct(connector.Product{SKU: sku, Name: sku})
	}
	pos.AddStock(connector.StockLevel{SKU: "A", OnHand: dec("10"), Reserved: dec("3"), Managed: true})
	pos.AddStock(connector.StockLevel{SKU: "B", OnHand: dec("2"), Reserved: dec("5"), Managed: true})
	pos.AddStock(connector.StockLevel{SKU: "C", OnHand: dec("1.5"), Reserved: dec("0"), Managed: false})
	tests := []struct {
		name string
		cfg  flow.StockConfig
		want map[string]string
	}{
		{"available minus reserved", flow.StockConfig{}, map[string]string{"A": "7", "B": "0", "C": "1.5"}},
		{"on hand", flow.StockConfig{Calculation: flow.OnHand}, map[string]string{"A": "10", "B": "2", "C": "1.5"}},
		{"expression", flow.StockConfig{Calculation: flow.Expression, Expression: "Stock.OnHand - Stock.Reserved - 1", AllowNegative: true},
			map[string]string{"A": "6", "B": "-4", "C": "0.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Store = flow.NewMemoryStore()
			f, err := flow.NewStock(pos, shop, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			run(t, f)
			for sku, want := range tt.want {
				l, _ := shop.Stock(sku)
				if !l.Available.Equal(dec(want)) {
					t.Errorf("%s = %s, want %s", sku, l.Available, want)
				}
			}
		})
	}
	managed := true
	f, err := flow.NewStock(pos, shop, flow.StockConfig{Options: flow.Options{Store: store}, Managed: &managed})
	if err != nil {
		t.Fatal(err)
	}
	run(t, f)
	if l, _ := shop.Stock("C"); !l.Managed {
		t.Error("managed flag not forced")
	}
	shop.ResetCalls()
	pos.AddStock(connector.StockLevel{SKU: "A", OnHand: dec("11"), Reserved: dec("3"), Managed: true})
	rep := run(t, f)
	if shop.Writes() != 1 || rep.Count(flow.Updated) != 1 || rep.Count(flow.Skipped) != 2 {
		t.Errorf("only the changed level should be written: %d writes, %s", shop.Writes(), counts(rep))
	}
	if _, err := flow.NewStock(pos, shop, flow.StockConfig{Calculation: flow.Expression, Expression: "Stock.Nope"}); err == nil {
		t.Error("invalid expression accepted")
	}
}
