package mpluskassa_test

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mpluskassa"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

var decimalEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// wantField checks that err is a validation error naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	for _, ve := range unwrapAll(err) {
		if ve.Field == field {
			if !strings.Contains(err.Error(), field) {
				t.Errorf("error %q does not name %s", err, field)
			}
			return
		}
	}
	t.Errorf("err = %v, want a ValidationError for field %s", err, field)
}

func TestNewConnector(t *testing.T) {
	c, err := mpluskassa.NewClient("https://example.invalid", mpluskassa.Credentials{Ident: "i", Secret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mpluskassa.NewConnector(nil, mpluskassa.ConnectorConfig{}); err == nil {
		t.Error("nil client accepted")
	}
	tests := []struct {
		cfg   mpluskassa.ConnectorConfig
		field string
	}{
		{mpluskassa.ConnectorConfig{BranchNumber: -1}, "BranchNumber"},
		{mpluskassa.ConnectorConfig{EmployeeNumber: -5}, "EmployeeNumber"},
		{mpluskassa.ConnectorConfig{TurnoverGroup: 1000}, "TurnoverGroup"},
		{mpluskassa.ConnectorConfig{TurnoverGroup: -1}, "TurnoverGroup"},
		{mpluskassa.ConnectorConfig{EntryBranchNumber: 2}, "WorkplaceNumber"},
		{mpluskassa.ConnectorConfig{ShippingArticleNumber: -1}, "ShippingArticleNumber"},
		{mpluskassa.ConnectorConfig{PageSize: -1}, "PageSize"},
	}
	for _, tt := range tests {
		_, err := mpluskassa.NewConnector(c, tt.cfg)
		wantField(t, err, tt.field)
	}
	k, err := mpluskassa.NewConnector(c, mpluskassa.ConnectorConfig{EntryBranchNumber: 2, WorkplaceNumber: 1, TurnoverGroup: 999})
	if err != nil || k.System() != "mpluskassa" || k.Client() != c {
		t.Errorf("valid config: %v", err)
	}
}

func TestProductMapping(t *testing.T) {
	srv, k := newFake(t, mpluskassa.ConnectorConfig{TurnoverGroup: 1})
	ctx := t.Context()
	simple := connector.Product{SKU: "200001", Name: "Mug", Description: "Stoneware mug", Price: dec("9.95"), PriceIncludesTax: true,
		CostPrice: dec("3.10"), TaxRate: dec("9"), EAN: "8712345678906", Currency: "EUR", Unit: "piece", Type: connector.ProductSimple, Active: true,
		Stock: &connector.StockLevel{Managed: true}, CustomFields: map[string]string{"pluNumber": "MUG-1", "turnoverGroup": "10"}}
	created, err := k.CreateProduct(ctx, simple)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.Product(200001)
	a := stored.Articles()[0]
	if created.ID != strconv.FormatInt(*stored.ProductNumber, 10) || *a.PriceIncl != 995 || *a.PurchasePrice != 310 ||
		*a.VatCode != 2 || *a.TurnoverGroup != 10 || *a.PluNumber != "MUG-1" || *a.Barcode != "8712345678906" || *a.Unit != "piece" {
		t.Errorf("stored article %+v", a)
	}
	got, err := k.FindProductBySKU(ctx, "200001")
	if err != nil {
		t.Fatal(err)
	}
	want := simple
	want.ID, want.Stock = created.ID, nil
	want.CustomFields = map[string]string{"pluNumber": "MUG-1", "turnoverGroup": "10", "vatCode": "2"}
	if diff := cmp.Diff(want, got, decimalEqual, cmpopts.IgnoreFields(connector.Product{}, "UpdatedAt", "Cursor")); diff != "" {
		t.Errorf("simple product (-want +got):\n%s", diff)
	}
	if got.Cursor == "" || got.UpdatedAt.IsZero() {
		t.Errorf("cursor %q, updated %v", got.Cursor, got.UpdatedAt)
	}

	conf := connector.Product{SKU: "3001", Name: "T-shirt", Price: dec("16.49"), TaxRate: dec("21"), Type: connector.ProductConfigurable, Active: true, Currency: "EUR",
		// Axis names are matched without regard to case or language.
		Attributes: []connector.Attribute{{Name: "color", Values: []string{"Black"}}, {Name: "Maat", Values: []string{"M", "L"}}},
		Variants: []connector.Variant{
			{SKU: "300101", EAN: "8712345678913", Active: true, Attributes: []connector.AttributeValue{{Name: "color", Value: "Black"}, {Name: "Maat", Value: "M"}}},
			{SKU: "300102", Active: false, Price: decimal.NewNullDecimal(dec("18.00")), Attributes: []connector.AttributeValue{{Name: "color", Value: "Black"}, {Name: "Maat", Value: "L"}}},
		}}
	if _, err := k.CreateProduct(ctx, conf); err != nil {
		t.Fatal(err)
	}
	got, err = k.FindProductBySKU(ctx, "3001")
	if err != nil {
		t.Fatal(err)
	}
	// Written excluding VAT; the server computed the prices including VAT,
	// which is what a till sells at and what the connector reads.
	wantConf := connector.Product{ID: "3001", SKU: "3001", Name: "T-shirt", Price: dec("19.95"), PriceIncludesTax: true, TaxRate: dec("21"),
		Type: connector.ProductConfigurable, Active: true, Currency: "EUR",
		Attributes: []connector.Attribute{{Name: "Colour", Values: []string{"Black"}}, {Name: "Size", Values: []string{"M", "L"}}},
		Variants: []connector.Variant{
			{ID: "300101", SKU: "300101", EAN: "8712345678913", Active: true, Price: decimal.NewNullDecimal(dec("19.95")),
				Attributes: []connector.AttributeValue{{Name: "Colour", Value: "Black"}, {Name: "Size", Value: "M"}}},
			{ID: "300102", SKU: "300102", Active: false, Price: decimal.NewNullDecimal(dec("21.78")),
				Attributes: []connector.AttributeValue{{Name: "Colour", Value: "Black"}, {Name: "Size", Value: "L"}}},
		}}
	if diff := cmp.Diff(wantConf, got, decimalEqual, cmpopts.IgnoreFields(connector.Product{}, "UpdatedAt", "Cursor")); diff != "" {
		t.Errorf("configurable product (-want +got):\n%s", diff)
	}
	// A variant's article number finds the configurable product.
	if byVariant, err := k.FindProductBySKU(ctx, "300101"); err != nil || byVariant.ID != got.ID {
		t.Errorf("FindProductBySKU(variant article) = %q, %v; want product %q", byVariant.ID, err, got.ID)
	}
	// Update keeps what the canonical product does not carry.
	got.Name = "T-shirt basic"
	got.Variants[1].Active = true
	if _, err := k.UpdateProduct(ctx, got); err != nil {
		t.Fatal(err)
	}
	after, _ := srv.Product(300102)
	if *after.Description != "T-shirt basic" || !*after.Articles()[1].Active || *after.Articles()[0].Barcode != "8712345678913" {
		t.Errorf("after update: %+v", after)
	}
}

func TestProductValidation(t *testing.T) {
	srv, k := newFake(t, mpluskassa.ConnectorConfig{})
	base := func() connector.Product {
		return connector.Product{SKU: "400001", Name: "Thing", Price: dec("5"), TaxRate: dec("21"), Type: connector.ProductSimple, Active: true}
	}
	variant := func(sku, attr string) connector.Variant {
		return connector.Variant{SKU: sku, Attributes: []connector.AttributeValue{{Name: attr, Value: "x"}}}
	}
	tests := []struct {
		name  string
		mod   func(*connector.Product)
		field string
	}{
		{"SKU with letters", func(p *connector.Product) { p.SKU = "TS-BLK-M" }, "SKU"},
		{"SKU with a leading zero", func(p *connector.Product) { p.SKU = "0400001" }, "SKU"},
		{"SKU zero", func(p *connector.Product) { p.SKU = "0" }, "SKU"},
		{"SKU beyond int64", func(p *connector.Product) { p.SKU = "92233720368547758070" }, "SKU"},
		{"no SKU", func(p *connector.Product) { p.SKU = "" }, "SKU"},
		{"fraction of a cent", func(p *connector.Product) { p.Price = dec("1.999") }, "Price"},
		{"cost price fraction", func(p *connector.Product) { p.CostPrice = dec("0.001") }, "CostPrice"},
		{"rate without VAT group", func(p *connector.Product) { p.TaxRate = dec("19") }, "TaxRate"},
		{"rate with a fraction", func(p *connector.Product) { p.TaxRate = dec("5.5") }, "TaxRate"},
		{"other currency", func(p *connector.Product) { p.Currency = "USD" }, "Currency"},
		{"turnover group 1000", func(p *connector.Product) { p.CustomFields = map[string]string{"turnoverGroup": "1000"} }, "CustomFields[turnoverGroup]"},
		{"turnover group not a number", func(p *connector.Product) { p.CustomFields = map[string]string{"turnoverGroup": "food"} }, "CustomFields[turnoverGroup]"},
		{"grouped", func(p *connector.Product) { p.Type = connector.ProductGrouped }, "Type"},
		{"configurable without variants", func(p *connector.Product) { p.Type = connector.ProductConfigurable }, "Variants"},
		{"variant SKU with letters", func(p *connector.Product) {
			p.Type, p.Variants = connector.ProductConfigurable, []connector.Variant{variant("V-1", "Size")}
		}, "Variants[0].SKU"},
		{"axis articles do not have", func(p *connector.Product) {
			p.Type, p.Variants = connector.ProductConfigurable, []connector.Variant{variant("400002", "Material")}
		}, "Variants[0].Attributes[0].Name"},
		{"configurable SKU with letters", func(p *connector.Product) {
			p.Type, p.SKU, p.Variants = connector.ProductConfigurable, "TS", []connector.Variant{variant("400002", "Size")}
		}, "SKU"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.mod(&p)
			_, err := k.CreateProduct(t.Context(), p)
			wantField(t, err, tt.field)
			p.ID = "1001"
			_, err = k.UpdateProduct(t.Context(), p)
			wantField(t, err, tt.field)
		})
	}
	p := base()
	p.ID = "P-1"
	_, err := k.UpdateProduct(t.Context(), p)
	wantField(t, err, "ID")
	if n := srv.RequestsFor("createProduct") + srv.RequestsFor("updateProduct"); n != 0 {
		t.Errorf("%d writes sent for invalid products", n)
	}
	if _, err := k.FindProductBySKU(t.Context(), "TS-BLK-M"); !errors.Is(err, connector.ErrNotFound) || srv.RequestsFor("getProducts") != 0 {
		t.Errorf("find by a non-numeric SKU: %v", err)
	}
}

func TestProductsStream(t *testing.T) {
	srv, k := newFake(t, mpluskassa.ConnectorConfig{PageSize: 2})
	for i := range 5 {
		seedArticle(t, srv, int64(500001+i), 100)
	}
	var cursors []string
	for p, err := range k.Products(t.Context(), connector.ProductQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		cursors = append(cursors, p.Cursor)
	}
	if diff := cmp.Diff([]string{"1", "2", "3", "4", "5"}, cursors); diff != "" {
		t.Errorf("cursors (-want +got)\n%s", diff)
	}
	if n := srv.RequestsFor("getProducts"); n != 4 { // 2+2+1 and the empty page
		t.Errorf("%d pages requested, want 4", n)
	}
	var resumed []string
	for p, err := range k.Products(t.Context(), connector.ProductQuery{Cursor: "3", PageSize: 10}) {
		if err != nil {
			t.Fatal(err)
		}
		resumed = append(resumed, p.SKU)
	}
	if diff := cmp.Diff([]string{"500003", "500004", "500005"}, resumed); diff != "" {
		t.Errorf("resume from cursor 3 is inclusive (-want +got)\n%s", diff)
	}
	srv.ResetCounters()
	for range k.Products(t.Context(), connector.ProductQuery{}) {
		break
	}
	if n := srv.RequestsFor("getProducts"); n != 1 {
		t.Errorf("a consumer that stops after one record cost %d pages", n)
	}
	for _, err := range k.Products(t.Context(), connector.ProductQuery{Cursor: "abc"}) {
		wantField(t, err, "Cursor")
	}
}

func TestStockLevels(t *testing.T) {
	srv, k := newFake(t, mpluskassa.ConnectorConfig{})
	skus := []string{"not-a-sku", "0042"}
	for i := range 502 {
		n := int64(600000 + i)
		seedArticle(t, srv, n, 100)
		skus = append(skus, strconv.FormatInt(n, 10))
	}
	if err := srv.SetStockLevel(1, 600000, dec("10"), dec("3")); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetStockLevel(2, 600000, dec("4.25"), dec("0")); err != nil {
		t.Fatal(err)
	}
	levels := map[string]connector.StockLevel{}
	for l, err := range k.StockLevels(t.Context(), connector.StockQuery{SKUs: skus}) {
		if err != nil {
			t.Fatal(err)
		}
		levels[l.SKU] = l
	}
	if len(levels) != 502 || srv.RequestsFor("getStock") != 2 {
		t.Errorf("%d levels in %d calls, want 502 in 2 (chunks of 500)", len(levels), srv.RequestsFor("getStock"))
	}
	want := connector.StockLevel{SKU: "600000", ProductID: "600000", OnHand: dec("10"), Reserved: dec("3"), Available: dec("7"), Managed: true, Location: "1"}
	if diff := cmp.Diff(want, levels["600000"], decimalEqual, cmpopts.IgnoreFields(connector.StockLevel{}, "UpdatedAt")); diff != "" {
		t.Errorf("branch 1 (-want +got)\n%s", diff)
	}
	for l, err := range k.StockLevels(t.Context(), connector.StockQuery{SKUs: []string{"600000"}, Location: "2"}) {
		if err != nil || !l.Available.Equal(dec("4.25")) || l.Location != "2" {
			t.Errorf("branch 2: %+v %v", l, err)
		}
	}
	// The cursor is a stock id: only changes at or after it.
	markers, err := k.Client().GetCurrentSyncMarkers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range k.StockLevels(t.Context(), connector.StockQuery{Cursor: strconv.FormatInt(*markers.StockID-1, 10)}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d levels changed at or after the stock id before the last, want 1 (branch 1)", n)
	}
	for _, q := range []connector.StockQuery{{Location: "main"}, {Cursor: "x"}} {
		for _, err := range k.StockLevels(t.Context(), q) {
			if unwrapAll(err) == nil {
				t.Errorf("query %+v: %v", q, err)
			}
		}
	}
}

func TestSetStock(t *testing.T) {
	srv, k := newFake(t, mpluskassa.ConnectorConfig{})
	ctx := t.Context()
	seedArticle(t, srv, 610001, 100)
	if err := srv.SetStockLevel(1, 610001, dec("5"), dec("3")); err != nil {
		t.Fatal(err)
	}
	check := func(step, onHand, reserved string) {
		t.Helper()
		on, res := srv.Stock(1, 610001)
		if !on.Equal(dec(onHand)) || !res.Equal(dec(reserved)) {
			t.Errorf("%s: on hand %s reserved %s, want %s %s", step, on, res, onHand, reserved)
		}
	}
	// Sellable 10 with 3 reserved: physical 13.
	if err := k.SetStock(ctx, connector.StockLevel{SKU: "610001", Available: dec("10"), Managed: true}); err != nil {
		t.Fatal(err)
	}
	check("available 10", "13", "3")
	// Available unset: derived from OnHand − Reserved.
	if err := k.SetStock(ctx, connector.StockLevel{SKU: "610001", OnHand: dec("2.5"), Managed: true}); err != nil {
		t.Fatal(err)
	}
	check("on hand 2.5", "5.5", "3")
	// Not managed: only the flag is written.
	srv.ResetCounters()
	if err := k.SetStock(ctx, connector.StockLevel{SKU: "610001", Available: dec("99")}); err != nil {
		t.Fatal(err)
	}
	p, _ := srv.Product(610001)
	if *p.Articles()[0].StockArticle || srv.RequestsFor("setStock") != 0 {
		t.Errorf("stockArticle %v, setStock calls %d", *p.Articles()[0].StockArticle, srv.RequestsFor("setStock"))
	}
	// Managed again: NO-STOCK-ARTICLE switches stock keeping on, then sets.
	if err := k.SetStock(ctx, connector.StockLevel{SKU: "610001", Available: dec("1"), Managed: true}); err != nil {
		t.Fatal(err)
	}
	p, _ = srv.Product(610001)
	if !*p.Articles()[0].StockArticle {
		t.Error("stock keeping not switched on")
	}
	check("managed again", "4", "3")
	if err := k.SetStock(ctx, connector.StockLevel{SKU: "610001", Available: dec("1"), Managed: true, Location: "9"}); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("unknown branch: %v", err)
	}
	for _, tc := range []struct {
		level connector.StockLevel
		field string
	}{
		{connector.StockLevel{SKU: "A-1", Managed: true}, "SKU"},
		{connector.StockLevel{SKU: "610001", Location: "main", Managed: true}, "Location"},
		{connector.StockLevel{SKU: "610001", Reserved: dec("-1")}, "Reserved"},
	} {
		wantField(t, k.SetStock(ctx, tc.level), tc.field)
	}
}

// orderFixture seeds what an order needs and returns a canonical order.
func orderFixture(t *testing.T, srv *mpluskassatest.Server, ref string) connector.Order {
	t.Helper()
	seedArticle(t, srv, 100101, 1995)
	seedArticle(t, srv, 999, 495)
	seedArticle(t, srv, 998, 0)
	rel := seedRelation(t, srv, "Jansen Fietsen B.V.", "info@jansen.example")
	return connector.Order{Number: ref, ExternalRef: ref, Currency: "EUR", PricesIncludeTax: true,
		CreatedAt: time.Date(2025, 6, 3, 8, 15, 5, 0, time.UTC),
		Customer:  connector.Customer{ID: strconv.FormatInt(rel, 10), CompanyName: "Jansen Fietsen B.V.", FirstName: "Jan", LastName: "Jansen"},
		BillingAddress: connector.Address{CompanyName: "Jansen Fietsen B.V.", FirstName: "Jan", LastName: "Jansen",
			Street: "Dorpsstraat", HouseNumber: "1", PostalCode: "1234 AB", City: "Utrecht", Country: "NL"},
		ShippingAddress: connector.Address{FirstName: "Piet", LastName: "Jansen", Street: "Kade", HouseNumber: "7", HouseNumberSuffix: "a",
			Street2: "2nd floor", PostalCode: "1234 AC", City: "Utrecht", Country: "NL"},
		ShippingMethod: "PostNL", ShippingCost: dec("4.95"), PaymentMethod: "IDEAL", Notes: "leave at the door",
		Discounts: []connector.Discount{{Code: "SUMMER", Amount: dec("2.00")}},
		Lines:     []connector.OrderLine{{SKU: "100101", Name: "T-shirt", Quantity: dec("1.5"), UnitPrice: dec("19.95"), Discount: dec("1"), TaxRate: dec("21")}},
	}
}

func TestCreateOrder(t *testing.T) {
	cfg := mpluskassa.ConnectorConfig{ShippingArticleNumber: 999, DiscountArticleNumber: 998, EmployeeNumber: 999999}
	srv, k := newFake(t, cfg)
	ctx := t.Context()
	o := orderFixture(t, srv, "WEB-1")
	created, err := k.CreateOrder(ctx, connector.KindOrder, o)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := srv.OrderByExtID("WEB-1")
	if !ok || created.ID != w.OrderID || created.Number == "" {
		t.Fatalf("created %+v, stored %v", created, ok)
	}
	// What MplusKASSA received.
	if *w.EmployeeNumber != 999999 || strconv.FormatInt(*w.RelationNumber, 10) != o.Customer.ID || *w.FinancialBranchNumber != 1 ||
		*w.EntryBranchNumber != 1 || *w.VatMethod != mpluskassa.VatMethodInclusive || *w.Reference != "leave at the door" ||
		*w.DeliveryMethod != "PostNL" || *w.PaymentMethod != "IDEAL" || *w.FinancialDate != (mpluskassa.Date{Day: 3, Mon: 6, Year: 2025}) {
		t.Errorf("header %+v", w)
	}
	inv := mpluskassa.Address{Name: mpluskassa.Ptr("Jansen Fietsen B.V."), Contact: mpluskassa.Ptr("Jan Jansen"), Address: mpluskassa.Ptr("Dorpsstraat 1"),
		Zipcode: mpluskassa.Ptr("1234 AB"), City: mpluskassa.Ptr("Utrecht"), Country: mpluskassa.Ptr("NL"), CompanyName: mpluskassa.Ptr("Jansen Fietsen B.V.")}
	if diff := cmp.Diff(inv, *w.InvoiceAddress); diff != "" {
		t.Errorf("invoice address: company with contact (-want +got)\n%s", diff)
	}
	// The customer is a company, so the delivery address names it too.
	if *w.DeliveryAddress.Name != "Jansen Fietsen B.V." || *w.DeliveryAddress.Contact != "Piet Jansen" || *w.DeliveryAddress.Address != "Kade 7a, 2nd floor" {
		t.Errorf("delivery address %+v", w.DeliveryAddress)
	}
	type line struct {
		Article  int64
		Quantity int64
		Places   int
		Price    int64
		Discount int64
		Text     string
	}
	var lines []line
	for _, x := range w.Lines() {
		lines = append(lines, line{x.ArticleNumber, x.Data.Quantity, *x.Data.DecimalPlaces, *x.Data.Price,
			valOf(x.Data.DiscountAmount), valOf(x.Text)})
	}
	wantLines := []line{
		{100101, 15, 1, 1995, 100, "T-shirt"}, // 1.5 pieces, 1.00 discount
		{999, 1, 0, 495, 0, "PostNL"},         // shipping on the shipping article
		{998, 1, 0, -200, 0, "SUMMER"},        // order discount on the discount article
	}
	if diff := cmp.Diff(wantLines, lines); diff != "" {
		t.Errorf("lines (-want +got)\n%s", diff)
	}

	// Idempotent on the reference: MplusKASSA refuses the second create
	// and the existing order is returned.
	again, err := k.CreateOrder(ctx, connector.KindOrder, o)
	if err != nil || again.ID != created.ID {
		t.Errorf("second CreateOrder: %+v %v", again, err)
	}
	if _, _, n := srv.Counts(); n != 1 {
		t.Errorf("orders stored = %d, want 1", n)
	}

	// Read back through the order source: shipping and discount lines
	// return to their canonical fields.
	back, err := k.FindOrderByRef(ctx, connector.KindOrder, "WEB-1")
	if err != nil {
		t.Fatal(err)
	}
	if !back.ShippingCost.Equal(dec("4.95")) || len(back.Discounts) != 1 || !back.Discounts[0].Amount.Equal(dec("2")) ||
		len(back.Lines) != 1 || !back.Lines[0].Quantity.Equal(dec("1.5")) || !back.Lines[0].UnitPrice.Equal(dec("19.95")) ||
		!back.Lines[0].Total.Equal(dec("28.93")) /* 1.5 × 19.95 − 1, rounded by the server */ || back.Status != connector.StatusNew || back.Notes != "leave at the door" ||
		back.Customer.ID != o.Customer.ID || back.Customer.CompanyName != "Jansen Fietsen B.V." || back.BillingAddress.FirstName != "Jan" ||
		!back.CreatedAt.Equal(o.CreatedAt) || !back.Totals.Total.Equal(dec("31.88")) {
		t.Errorf("read back %+v", back)
	}
}

func valOf[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func TestCreateOrderInvalid(t *testing.T) {
	srv, k := newFake(t, mpluskassa.ConnectorConfig{})
	tests := []struct {
		name  string
		mod   func(*connector.Order)
		field string
	}{
		{"no relation", func(o *connector.Order) { o.Customer.ID = "" }, "Customer.ID"},
		{"relation not a number", func(o *connector.Order) { o.Customer.ID = "cus_123" }, "Customer.ID"},
		{"no reference", func(o *connector.Order) { o.ExternalRef = "" }, "ExternalRef"},
		{"SKU with letters", func(o *connector.Order) { o.Lines[0].SKU = "TS-1" }, "Lines[0].SKU"},
		{"fraction of a cent", func(o *connector.Order) { o.Lines[0].UnitPrice = dec("19.999") }, "Lines[0].UnitPrice"},
		{"negative quantity", func(o *connector.Order) { o.Lines[0].Quantity = dec("-1") }, "Lines[0].Quantity"},
		{"shipping without article", func(o *connector.Order) {}, "ShippingCost"},
		{"discount without article", func(o *connector.Order) {}, "Discounts[0].Amount"},
		{"other currency", func(o *connector.Order) { o.Currency = "USD" }, "Currency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := orderFixture(t, srv, "BAD-1")
			tt.mod(&o)
			_, err := k.CreateOrder(t.Context(), connector.KindOrder, o)
			wantField(t, err, tt.field)
		})
	}
	if n := srv.RequestsFor("createOrderV3") + srv.RequestsFor("findOrder"); n != 0 {
		t.Errorf("%d calls for invalid orders", n)
	}
	_, err := k.CreateOrder(t.Context(), connector.KindInvoice, orderFixture(t, srv, "INV-1"))
	if !errors.Is(err, connector.ErrUnsupported) {
		t.Errorf("invoice: %v", err)
	}
	if _, err := k.FindOrderByRef(t.Context(), connector.KindQuote, "x"); !errors.Is(err, connector.ErrUnsupported) {
		t.Errorf("quote: %v", err)
	}
	if _, err := k.FindOrderByRef(t.Context(), connector.KindOrder, ""); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("empty reference: %v", err)
	}
}

// TestCreateOrderRetriesSafely loses createOrderV3's answer after the
// order was stored: the client repeats the request with the same
// idempotency key and the server replays the answer, so there is one order.
func TestCreateOrderRetriesSafely(t *testing.T) {
	for _, f := range []mpluskassatest.Fault{
		{Path: "createOrderV3", Drop: true, AfterCommit: true},
		{Path: "createOrderV3", Status: http.StatusBadGateway, AfterCommit: true},
		{Path: "createOrderV3", Status: http.StatusInternalServerError, AfterCommit: true},
	} {
		t.Run(fmt.Sprintf("drop=%v status=%d", f.Drop, f.Status), func(t *testing.T) {
			srv, k := newFake(t, mpluskassa.ConnectorConfig{ShippingArticleNumber: 999, DiscountArticleNumber: 998},
				mpluskassa.WithRetry(mpluskassa.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
			o := orderFixture(t, srv, "WEB-R")
			srv.Inject(f)
			created, err := k.CreateOrder(t.Context(), connector.KindOrder, o)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, orders := srv.Counts(); orders != 1 || srv.RequestsFor("createOrderV3") != 2 {
				t.Errorf("%d orders after %d createOrderV3 calls, want 1 after 2", orders, srv.RequestsFor("createOrderV3"))
			}
			if w, _ := srv.OrderByExtID("WEB-R"); w.OrderID != created.ID {
				t.Errorf("returned %q, stored %q", created.ID, w.OrderID)
			}
		})
	}
}

// TestCreateOrderLostRace covers an order created between findOrder and
// createOrderV3: the EXT-ORDER-ID-ALREADY-EXISTS answer leads to the
// existing order.
func TestCreateOrderLostRace(t *testing.T) {
	c, mt := mockClient(t)
	k, err := mpluskassa.NewConnector(c, mpluskassa.ConnectorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	finds := 0
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		switch r.Header.Get("SOAPAction") {
		case "findOrder":
			finds++
			return httpmock.NewStringResponse(200, envelope(`<ns:GetOrderResponse><ns:result>GET-ORDER-RESULT-OK</ns:result><ns:order>`+
				`<ns:orderId>abc</ns:orderId><ns:extOrderId>WEB-2</ns:extOrderId></ns:order></ns:GetOrderResponse>`)), nil
		case "createOrderV3":
			return httpmock.NewStringResponse(200, envelope(`<ns:CreateOrderV3Response><ns:idempotencyResult>IDEMPOTENCY-RESULT-ORIGINAL-RESPONSE</ns:idempotencyResult>`+
				`<ns:result>CREATE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-EXISTS</ns:result><ns:info><ns:orderId/><ns:orderString/></ns:info></ns:CreateOrderV3Response>`)), nil
		}
		return nil, fmt.Errorf("unexpected %s", r.Header.Get("SOAPAction"))
	})
	o := connector.Order{Number: "WEB-2", ExternalRef: "WEB-2", Customer: connector.Customer{ID: "5"},
		Lines: []connector.OrderLine{{SKU: "1", Quantity: dec("1")}}}
	got, err := k.CreateOrder(t.Context(), connector.KindOrder, o)
	if err != nil || got.ID != "abc" || got.ExternalRef != "WEB-2" {
		t.Errorf("got %+v, %v", got, err)
	}
	if finds != 1 {
		t.Errorf("findOrder sent %d times, want 1 (only after the refusal)", finds)
	}
}

func TestOrdersSource(t *testing.T) {
	srv, k := newFake(t, mpluskassa.ConnectorConfig{PageSize: 2})
	ctx := t.Context()
	var ids []string
	for i := range 4 {
		o := orderFixture(t, srv, fmt.Sprintf("S-%d", i))
		o.ShippingCost, o.Discounts = decimal.Zero, nil
		o.CreatedAt = time.Date(2025, 6, 1+i, 10, 0, 0, 0, time.UTC)
		created, err := k.CreateOrder(ctx, connector.KindOrder, o)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, created.ID)
	}
	if err := k.SetOrderStatus(ctx, ids[1], connector.StatusShipped); err != nil {
		t.Fatal(err)
	}
	if err := k.SetOrderStatus(ctx, ids[2], connector.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	type seen struct {
		Ref, Cursor string
		Status      connector.OrderStatus
	}
	stream := func(q connector.OrderQuery) []seen {
		t.Helper()
		var out []seen
		for o, err := range k.Orders(ctx, q) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, seen{o.ExternalRef, o.Cursor, o.Status})
		}
		return out
	}
	all := []seen{{"S-0", "1", connector.StatusNew}, {"S-3", "4", connector.StatusNew},
		{"S-1", "5", connector.StatusShipped}, {"S-2", "6", connector.StatusCancelled}}
	if diff := cmp.Diff(all, stream(connector.OrderQuery{})); diff != "" {
		t.Errorf("all orders by sync marker (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff(all[2:], stream(connector.OrderQuery{Cursor: "5"})); diff != "" {
		t.Errorf("from cursor 5, inclusive (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff(all[2:3], stream(connector.OrderQuery{Statuses: []connector.OrderStatus{connector.StatusShipped}})); diff != "" {
		t.Errorf("shipped only (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]seen{all[1], all[3]}, stream(connector.OrderQuery{UpdatedSince: time.Date(2025, 6, 3, 0, 0, 0, 0, time.UTC)})); diff != "" {
		t.Errorf("by financial date (-want +got)\n%s", diff)
	}
	for _, err := range k.Orders(ctx, connector.OrderQuery{Cursor: "-3"}) {
		wantField(t, err, "Cursor")
	}
	// Delivering released the reservation; the shipped order is left alone
	// the second time.
	if _, res := srv.Stock(1, 100101); !res.Equal(dec("3")) { // two open orders of 1.5
		t.Errorf("reserved = %s, want 3", res)
	}
	srv.ResetCounters()
	if err := k.SetOrderStatus(ctx, ids[1], connector.StatusDelivered); err != nil || srv.RequestsFor("deliverOrder") != 0 {
		t.Errorf("second delivery: %v, %d deliverOrder calls", err, srv.RequestsFor("deliverOrder"))
	}
	if err := k.SetOrderStatus(ctx, ids[2], connector.StatusCancelled); err != nil || srv.RequestsFor("cancelOrder") != 0 {
		t.Errorf("second cancel: %v", err)
	}
	if err := k.SetOrderStatus(ctx, ids[0], connector.StatusOnHold); !errors.Is(err, connector.ErrUnsupported) {
		t.Errorf("on hold: %v", err)
	}
	if err := k.SetOrderStatus(ctx, "nope", connector.StatusShipped); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
}

func TestCustomerMapping(t *testing.T) {
	srv, k := newFake(t, mpluskassa.ConnectorConfig{})
	ctx := t.Context()
	company := connector.Customer{Email: "info@jansen.example", CompanyName: "Jansen Fietsen B.V.", FirstName: "Jan", LastName: "van Dijk",
		Phone: "0301234567", VATNumber: "NL001234567B01", CoCNumber: "12345678", Active: true,
		BillingAddress:  connector.Address{Street: "Dorpsstraat", HouseNumber: "1", PostalCode: "1234 AB", City: "Utrecht", Country: "NL"},
		ShippingAddress: connector.Address{Street: "Kade 7", PostalCode: "1234 AC", City: "Utrecht", Country: "NL"}}
	created, err := k.CreateCustomer(ctx, company)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.ParseInt(created.ID, 10, 64)
	r, _ := srv.Relation(n)
	if *r.Name != "Jansen Fietsen B.V." || *r.CompanyName != "Jansen Fietsen B.V." || *r.Contact != "Jan van Dijk" ||
		*r.Address != "Dorpsstraat 1" || *r.DeliveryAddress != "Kade 7" || *r.CommerceNumber != "12345678" {
		t.Errorf("company relation %+v", r)
	}
	person, err := k.CreateCustomer(ctx, connector.Customer{Email: "piet@example.com", FirstName: "Piet", LastName: "Puk"})
	if err != nil {
		t.Fatal(err)
	}
	n, _ = strconv.ParseInt(person.ID, 10, 64)
	if r, _ := srv.Relation(n); *r.Name != "Piet Puk" || r.CompanyName != nil || r.Contact != nil || !*r.Active {
		t.Errorf("person relation %+v", r)
	}
	got, err := k.FindCustomerByEmail(ctx, "INFO@jansen.example")
	if err != nil {
		t.Fatal(err)
	}
	want := company
	want.ID, want.Number, want.Currency = created.ID, created.ID, "EUR"
	want.BillingAddress = connector.Address{CompanyName: "Jansen Fietsen B.V.", FirstName: "Jan", LastName: "van Dijk", Street: "Dorpsstraat 1",
		PostalCode: "1234 AB", City: "Utrecht", Country: "NL", Phone: "0301234567"}
	want.ShippingAddress = connector.Address{CompanyName: "Jansen Fietsen B.V.", FirstName: "Jan", LastName: "van Dijk", Street: "Kade 7",
		PostalCode: "1234 AC", City: "Utrecht", Country: "NL"}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(connector.Customer{}, "UpdatedAt", "Cursor")); diff != "" {
		t.Errorf("found (-want +got)\n%s", diff)
	}
	// Empty fields do not clear what the relation holds.
	got.Phone, got.BillingAddress.City, got.VATNumber = "", "", "NL009999999B01"
	if _, err := k.UpdateCustomer(ctx, got); err != nil {
		t.Fatal(err)
	}
	r, _ = srv.Relation(mustInt(t, created.ID))
	if *r.Telephone != "0301234567" || *r.City != "Utrecht" || *r.VatNumber != "NL009999999B01" {
		t.Errorf("after update %+v", r)
	}
	got.ID = "C-1"
	_, err = k.UpdateCustomer(ctx, got)
	wantField(t, err, "ID")
	// The stream and its UpdatedSince filter.
	count := func(q connector.CustomerQuery) int {
		n := 0
		for _, err := range k.Customers(ctx, q) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	if count(connector.CustomerQuery{PageSize: 1}) != 2 || count(connector.CustomerQuery{UpdatedSince: time.Now().Add(time.Hour)}) != 0 {
		t.Error("customer stream")
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFindCustomerNeverPartial guards against a server that matches
// partially despite exactMatch: the answer's address must equal the query.
func TestFindCustomerNeverPartial(t *testing.T) {
	c, mt := mockClient(t)
	k, err := mpluskassa.NewConnector(c, mpluskassa.ConnectorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, envelope(`<ns:FindRelationV2Response><ns:result>FIND-RELATION-RESULT-OK</ns:result>`+
		`<ns:relation><ns:relationNumber>7</ns:relationNumber><ns:email>hanna@example.com</ns:email></ns:relation></ns:FindRelationV2Response>`)))
	_, err = k.FindCustomerByEmail(t.Context(), "anna@example.com")
	if !errors.Is(err, connector.ErrNotFound) || strings.Contains(err.Error(), "anna@") {
		t.Errorf("err = %v, want ErrNotFound without the address", err)
	}
	if _, err := k.FindCustomerByEmail(t.Context(), "HANNA@example.com"); err != nil {
		t.Errorf("same address in other case: %v", err)
	}
	if _, err := k.FindCustomerByEmail(t.Context(), " "); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("blank address: %v", err)
	}
}

// TestCreateOrderConcurrently creates every order from several goroutines at
// once: each reference ends up as one order, and every caller gets it.
func TestCreateOrderConcurrently(t *testing.T) {
	srv, k := newFake(t, mpluskassa.ConnectorConfig{ShippingArticleNumber: 999, DiscountArticleNumber: 998})
	base := orderFixture(t, srv, "C-0")
	const refs, callers = 5, 4
	ids := make([][]string, refs)
	errs := make(chan error, refs*callers)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for r := range refs {
		for range callers {
			wg.Go(func() {
				o := base
				o.Number, o.ExternalRef = fmt.Sprintf("C-%d", r), fmt.Sprintf("C-%d", r)
				got, err := k.CreateOrder(t.Context(), connector.KindOrder, o)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				ids[r] = append(ids[r], got.ID)
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, _, orders := srv.Counts(); orders != refs {
		t.Errorf("%d orders for %d references", orders, refs)
	}
	for r, got := range ids {
		for _, id := range got {
			if id != got[0] {
				t.Errorf("reference C-%d returned IDs %v", r, got)
				break
			}
		}
	}
}
