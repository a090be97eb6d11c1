package ccvshop_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
)

var d = decimal.RequireFromString

func TestStatusMapping(t *testing.T) {
	want := map[int]connector.OrderStatus{
		1: connector.StatusNew, 2: connector.StatusProcessing, 3: connector.StatusOnHold, 4: connector.StatusAwaitingPayment,
		5: connector.StatusShipped, 6: connector.StatusDelivered, 7: connector.StatusCompleted, 8: connector.StatusCancelled,
		9: connector.StatusOnHold, 10: connector.StatusProcessing, 11: connector.StatusReadyForPickup, 12: connector.StatusProcessing,
		13: connector.StatusOnHold, 14: connector.StatusOnHold,
	}
	for code, s := range want {
		got, err := ccvshop.CanonicalStatus(code)
		if err != nil || got != s {
			t.Errorf("CanonicalStatus(%d) = %q, %v; want %q", code, got, err, s)
		}
	}
	for _, code := range []int{0, 15, -1} {
		if _, err := ccvshop.CanonicalStatus(code); err == nil {
			t.Errorf("CanonicalStatus(%d) accepted", code)
		}
	}
	// Every canonical status writes back to a code that reads as itself,
	// except refunded, which CCV Shop does not have.
	for _, s := range connector.Statuses {
		code, err := ccvshop.StatusCode(s)
		if err != nil {
			t.Fatalf("StatusCode(%s): %v", s, err)
		}
		back, _ := ccvshop.CanonicalStatus(code)
		if back != s && s != connector.StatusRefunded {
			t.Errorf("%s → %d → %s", s, code, back)
		}
	}
	if _, err := ccvshop.StatusCode("lost"); err == nil {
		t.Error("StatusCode(lost) accepted")
	}
	if diff := cmp.Diff([]int{3, 9, 13, 14}, ccvshop.StatusCodes(connector.StatusOnHold)); diff != "" {
		t.Error(diff)
	}
}

func TestOrderToCanonical(t *testing.T) {
	var o ccvshop.Order
	mustDecode(t, "order.json", &o)
	var rows ccvshop.Collection[ccvshop.OrderRow]
	mustDecode(t, "orderrows.json", &rows)
	got, err := ccvshop.OrderToCanonical(&o, rows.Items)
	if err != nil {
		t.Fatal(err)
	}
	want := connector.Order{
		ID: "339323562", Number: "W-10587", Status: connector.StatusNew, RawStatus: "1", Paid: true,
		CreatedAt: time.Date(2022, 11, 7, 21, 51, 0, 0, time.UTC), UpdatedAt: time.Date(2022, 11, 7, 21, 51, 0, 0, time.UTC),
		Currency: "EUR", PricesIncludeTax: true,
		Customer: connector.Customer{ID: "24464274", Email: "jantje@example.nl", FirstName: "Jantje", LastName: "de Vries",
			Phone: "0201234567", Active: true,
			BillingAddress: connector.Address{FirstName: "Jantje", LastName: "de Vries", Street: "Keizersgracht", HouseNumber: "123",
				HouseNumberSuffix: "B", PostalCode: "1015cj", City: "Amsterdam", Country: "NL", Phone: "0201234567"},
			ShippingAddress: connector.Address{FirstName: "Jantje", LastName: "de Vries"}},
		BillingAddress: connector.Address{FirstName: "Jantje", LastName: "de Vries", Street: "Keizersgracht", HouseNumber: "123",
			HouseNumberSuffix: "B", PostalCode: "1015cj", City: "Amsterdam", Country: "NL", Phone: "0201234567"},
		ShippingAddress: connector.Address{FirstName: "Jantje", LastName: "de Vries"},
		ShippingMethod:  "shipping", ShippingCost: d("4.95"), ShippingTaxRate: d("21"), PaymentMethod: "BankTransfer",
		Discounts: []connector.Discount{{Code: "WELKOM10", Description: "percentage", Amount: d("10")}},
		Totals:    connector.Totals{Subtotal: d("585.05"), Shipping: d("4.95"), Tax: d("102.4"), Total: d("590")},
		Lines: []connector.OrderLine{
			{ID: "901", ProductID: "1234", SKU: "800001", Name: "Espressomachine Barista", Quantity: d("1"), UnitPrice: d("549"),
				TaxRate: d("21"), Total: d("549"), Unit: "stuk"},
			{ID: "902", ProductID: "1300", SKU: "7001002", Name: "T-shirt Koffie", Quantity: d("2"), UnitPrice: d("18.525"),
				TaxRate: d("21"), Discount: d("1"), Total: d("36.05"), Unit: "stuk",
				Attributes: []connector.AttributeValue{{Name: "Maat", Value: "M"}, {Name: "Kleur", Value: "Rood"}}},
		},
		CustomFields: map[string]string{"paymethod_label": "Vooraf overmaken", "transaction_id": "tr_WDqYK6vllg",
			"orderedinlng": "nl", "paymethod_id": "1"},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestOrderShippingBasisAndBadDate(t *testing.T) {
	o := ccvshop.Order{ID: 1, CreateDate: "2024-01-01T10:00:00+0000", OrderRowTaxesIncluded: false, ShippingTaxesIncluded: true,
		TotalShipping: ccvshop.Num("12.10"), ShippingTaxPercentage: ccvshop.Num("21"), Status: 99}
	got, err := ccvshop.OrderToCanonical(&o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ShippingCost.Equal(d("10")) || got.PricesIncludeTax {
		t.Errorf("net shipping = %s (incl %v), want 10 excl.", got.ShippingCost, got.PricesIncludeTax)
	}
	if got.Status != "" || got.RawStatus != "99" {
		t.Errorf("unknown code: status %q raw %q", got.Status, got.RawStatus)
	}
	o.CreateDate = "07-11-2022"
	_, err = ccvshop.OrderToCanonical(&o, nil)
	if err == nil || !strings.Contains(err.Error(), "create_date") || !strings.Contains(err.Error(), `order "1"`) {
		t.Errorf("bad date: %v", err)
	}
}

func TestOrdersStreamFiltersAndCalls(t *testing.T) {
	srv, _, conn := newShop(t, ccvshop.WithLimiter(nil))
	old := srv.AddOrder(ccvshop.Order{CreateDate: "2024-01-01T10:00:00Z", Status: 5},
		ccvshop.OrderRow{ProductNumber: "A", Count: ccvshop.Num("1"), Price: ccvshop.Num("1")})
	fresh := srv.AddOrder(ccvshop.Order{CreateDate: "2024-03-02T00:30:00Z", Status: 1},
		ccvshop.OrderRow{ProductNumber: "B", Count: ccvshop.Num("1"), Price: ccvshop.Num("1")})
	srv.AddOrder(ccvshop.Order{CreateDate: "2024-03-01T23:00:00Z", Status: 4})
	srv.AddBasket(ccvshop.Order{CreateDate: "2024-03-05T00:00:00Z"})
	ids := func(q connector.OrderQuery) []string {
		var out []string
		for o, err := range conn.Orders(context.Background(), q) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, o.ID)
		}
		return out
	}
	srv.ResetCounters()
	all := ids(connector.OrderQuery{})
	if len(all) != 3 {
		t.Errorf("all orders = %v, want 3 (the basket is hidden)", all)
	}
	// One list request plus one rows request per order.
	if got := srv.Requests(); got != 4 {
		t.Errorf("requests = %d, want 4\n%v", got, srv.Calls())
	}
	since := ids(connector.OrderQuery{UpdatedSince: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)})
	if diff := cmp.Diff([]string{fmt.Sprint(int64(fresh.ID))}, since); diff != "" {
		t.Errorf("UpdatedSince (-want +got)\n%s", diff)
	}
	shipped := ids(connector.OrderQuery{Statuses: []connector.OrderStatus{connector.StatusShipped}})
	if diff := cmp.Diff([]string{fmt.Sprint(int64(old.ID))}, shipped); diff != "" {
		t.Errorf("Statuses (-want +got)\n%s", diff)
	}
	for _, err := range conn.Orders(context.Background(), connector.OrderQuery{Statuses: []connector.OrderStatus{"bogus"}}) {
		var ve *connector.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("bogus status: %v", err)
		}
	}
}

func TestCreateOrderWithVariantAndFreeRow(t *testing.T) {
	srv, _, conn := newShop(t, ccvshop.WithLimiter(nil))
	ctx := context.Background()
	p, _ := srv.AddProduct(ccvshop.Product{Productnumber: "700100", Name: "T-shirt", Price: ccvshop.Num("15"), IsActive: true,
		Stockenabled: true},
		ccvshop.AttributeCombination{SkuNumber: "7001001", Stock: ccvshop.Num("5"), Active: true,
			Combination: []ccvshop.CombinationPart{{Attribute: ccvshop.NamedRef{Name: "Maat"}, AttributeValue: ccvshop.NamedRef{Name: "S"}}}},
		ccvshop.AttributeCombination{SkuNumber: "7001002", Stock: ccvshop.Num("5"), Active: true,
			Combination: []ccvshop.CombinationPart{{Attribute: ccvshop.NamedRef{Name: "Maat"}, AttributeValue: ccvshop.NamedRef{Name: "M"},
				ExtraPrice: ccvshop.Num("2")}}})
	o := connector.Order{Number: "POS-77", ExternalRef: "POS-77", Currency: "EUR", PricesIncludeTax: true, Paid: true,
		Status:   connector.StatusCompleted,
		Customer: connector.Customer{Email: "walkin@example.nl", LastName: "Balie"},
		BillingAddress: connector.Address{Street: "Hoofdstraat", HouseNumber: "12a", HouseNumberSuffix: "bis", PostalCode: "3511AB",
			City: "Utrecht", Country: "NL"},
		Lines: []connector.OrderLine{
			{SKU: "7001002", Name: "T-shirt M", Quantity: d("2"), UnitPrice: d("17"), TaxRate: d("21"), Discount: d("1")},
			{SKU: "STATIEGELD", Name: "Statiegeld", Quantity: d("1"), UnitPrice: d("0.25"), TaxRate: d("0")},
		},
		Discounts: []connector.Discount{{Code: "VIP", Amount: d("3")}},
	}
	created, err := conn.CreateOrder(ctx, connector.KindOrder, o)
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID
	var oid int64
	fmt.Sscan(id, &oid)
	stored, _ := srv.Order(oid)
	rows := srv.OrderRows(oid)
	if stored.Reservationnumber != "POS-77" || int(stored.Status) != ccvshop.StatusCompleted || !stored.Paid {
		t.Errorf("stored order: ref %q status %d paid %v", stored.Reservationnumber, stored.Status, stored.Paid)
	}
	b := stored.Customer.Billingaddress
	if b.Street != "Hoofdstraat" || b.Housenumber != 12 || b.HousenumberSuffix != "a bis" || b.CountryCode != "NL" {
		t.Errorf("billing address %+v", b)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %d", len(rows))
	}
	v := rows[0]
	if int64(v.ProductID) != int64(p.ID) || v.SubSkuNumber != "7001002" || !v.Price.Equal(ccvshop.Num("15")) ||
		!v.Discount.Equal(ccvshop.Num("0.5")) || !v.TotalPriceWithAttributes.Equal(ccvshop.Num("33")) {
		t.Errorf("variant row: product %d sku %q price %s discount %s total %s", v.ProductID, v.SubSkuNumber, v.Price, v.Discount, v.TotalPriceWithAttributes)
	}
	if rows[1].ProductID != 0 || rows[1].PackageID != ccvshoptest.DefaultPackageID || rows[1].ProductNumber != "STATIEGELD" {
		t.Errorf("free row: %+v", rows[1])
	}
	if !stored.ExtraCosts.Equal(ccvshop.Num("-3")) || !strings.Contains(stored.ExtraCostsDescription, "VIP") {
		t.Errorf("discount as extra costs: %s %q", stored.ExtraCosts, stored.ExtraCostsDescription)
	}
	// The shop lowered the variant's stock.
	if got := srv.Combinations(int64(p.ID)); !got[1].Stock.Equal(ccvshop.Num("3")) {
		t.Errorf("variant stock after the order = %s, want 3", got[1].Stock)
	}
	// Read back through the source: same lines.
	back, err := conn.FindOrderByRef(ctx, connector.KindOrder, "POS-77")
	if err != nil {
		t.Fatal(err)
	}
	if back.Lines[0].SKU != "7001002" || !back.Lines[0].UnitPrice.Equal(d("17")) || !back.Lines[0].Total.Equal(d("33")) {
		t.Errorf("read back line: %+v", back.Lines[0])
	}
	if _, err := conn.CreateOrder(ctx, connector.KindInvoice, o); !errors.Is(err, connector.ErrUnsupported) {
		t.Errorf("invoice kind: %v", err)
	}
	o.ExternalRef = ""
	var ve *connector.ValidationError
	if _, err := conn.CreateOrder(ctx, connector.KindOrder, o); !errors.As(err, &ve) || ve.Field != "ExternalRef" {
		t.Errorf("no reference: %v", err)
	}
	o.ExternalRef, o.Customer.ID = "POS-78", "abc"
	if _, err := conn.CreateOrder(ctx, connector.KindOrder, o); !errors.As(err, &ve) || ve.Field != "Customer.ID" {
		t.Errorf("non-numeric customer: %v", err)
	}
}

// A POST that was applied but whose answer was lost is ErrOutcomeUnknown;
// the order is then found by its reference, so it is never written twice.
func TestCreateOrderOutcomeUnknown(t *testing.T) {
	srv, _, conn := newShop(t, ccvshop.WithLimiter(nil))
	srv.AddProduct(ccvshop.Product{Productnumber: "800001", Name: "Mok", Price: ccvshop.Num("5")})
	o := connector.Order{Number: "X1", ExternalRef: "X1", Currency: "EUR",
		Lines: []connector.OrderLine{{SKU: "800001", Quantity: d("1"), UnitPrice: d("5"), TaxRate: d("21")}}}
	ctx := context.Background()
	if _, err := conn.FindOrderByRef(ctx, connector.KindOrder, "X1"); !errors.Is(err, connector.ErrNotFound) {
		t.Fatalf("before: %v", err)
	}
	srv.Inject(ccvshoptest.Fault{Method: "POST", Path: "orders/", Status: 504, AfterCommit: true})
	_, err := conn.CreateOrder(ctx, connector.KindOrder, o)
	if !errors.Is(err, connector.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	found, err := conn.FindOrderByRef(ctx, connector.KindOrder, "X1")
	if err != nil || found.ExternalRef != "X1" {
		t.Fatalf("after the lost answer: %v %+v", err, found)
	}
	if srv.OrderCount() != 1 {
		t.Errorf("orders = %d, want 1", srv.OrderCount())
	}
}

// The reference index: one scan, then a miss costs one request, and a
// stale hit (the reference was edited in the shop) is not returned.
func TestFindOrderByRefIndex(t *testing.T) {
	srv, c, conn := newShop(t, ccvshop.WithLimiter(nil))
	ctx := context.Background()
	for i := range 30 {
		srv.AddOrder(ccvshop.Order{Reservationnumber: fmt.Sprintf("R-%d", i)})
	}
	if _, err := conn.FindOrderByRef(ctx, connector.KindOrder, "R-3"); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounters()
	if _, err := conn.FindOrderByRef(ctx, connector.KindOrder, "R-99"); !errors.Is(err, connector.ErrNotFound) {
		t.Fatal(err)
	}
	if got := srv.Requests(); got != 1 {
		t.Errorf("a miss after the first scan cost %d requests, want 1", got)
	}
	n := srv.AddOrder(ccvshop.Order{Reservationnumber: "R-new"})
	got, err := conn.FindOrderByRef(ctx, connector.KindOrder, "R-new")
	if err != nil || got.ID != fmt.Sprint(int64(n.ID)) {
		t.Errorf("newer order: %v %q", err, got.ID)
	}
	if err := c.Orders.Update(ctx, int64(n.ID), &ccvshop.OrderPatch{Reservationnumber: "R-renamed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.FindOrderByRef(ctx, connector.KindOrder, "R-new"); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("stale hit returned: %v", err)
	}
	if _, err := conn.FindOrderByRef(ctx, connector.KindOrder, "R-renamed"); err != nil {
		t.Errorf("renamed: %v", err)
	}
}

func TestSetOrderStatus(t *testing.T) {
	srv, _, conn := newShop(t, ccvshop.WithLimiter(nil))
	o := srv.AddOrder(ccvshop.Order{})
	id := fmt.Sprint(int64(o.ID))
	if err := conn.SetOrderStatus(context.Background(), id, connector.StatusReadyForPickup); err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.Order(int64(o.ID)); got.Status != ccvshop.StatusReadyForPickup {
		t.Errorf("status = %d", got.Status)
	}
	if err := conn.SetOrderStatus(context.Background(), "abc", connector.StatusShipped); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("non-numeric id: %v", err)
	}
	var ve *connector.ValidationError
	if err := conn.SetOrderStatus(context.Background(), id, "lost"); !errors.As(err, &ve) {
		t.Errorf("bad status: %v", err)
	}
}

func TestCustomers(t *testing.T) {
	srv, _, conn := newShop(t, ccvshop.WithLimiter(nil))
	ctx := context.Background()
	var u ccvshop.User
	mustDecode(t, "user.json", &u)
	u.ID = 0
	stored, _ := srv.AddUser(u)
	got, err := conn.FindCustomerByEmail(ctx, "JANTJE@example.NL")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != fmt.Sprint(int64(stored.ID)) || got.CompanyName != "Koffiebar De Boon" || got.VATNumber != "NL001234567B01" ||
		got.BillingAddress.HouseNumber != "123" || got.BillingAddress.Country != "NL" || got.Phone != "0612345678" ||
		got.ShippingAddress.Street != "Prinsengracht" || got.ShippingAddress.FirstName != "Jantje" {
		t.Errorf("customer %+v", got)
	}
	// Update keeps what the canonical model lacks (gender, initials).
	got.BillingAddress.City = "Haarlem"
	if _, err := conn.UpdateCustomer(ctx, got); err != nil {
		t.Fatal(err)
	}
	after, _ := srv.User(int64(stored.ID))
	if b := after.Userinfo.Billingaddress; b.City != "Haarlem" || b.Gender != "female" || b.Initials != "J." {
		t.Errorf("after update: %+v", b)
	}
	if after.Userinfo.Website != "https://deboon.example.nl" {
		t.Errorf("website lost: %q", after.Userinfo.Website)
	}
	// A new customer's username is its e-mail address; no password leaks.
	nc, err := conn.CreateCustomer(ctx, connector.Customer{Email: "new@example.nl", FirstName: "Nieuw", LastName: "Klant"})
	if err != nil {
		t.Fatal(err)
	}
	var nid int64
	fmt.Sscan(nc.ID, &nid)
	if u, _ := srv.User(nid); u.Username != "new@example.nl" {
		t.Errorf("username = %q", u.Username)
	}
	var ve *connector.ValidationError
	if _, err := conn.CreateCustomer(ctx, connector.Customer{LastName: "Zonder Mail"}); !errors.As(err, &ve) || ve.Field != "Email" {
		t.Errorf("no e-mail: %v", err)
	}
	n := 0
	for cu, err := range conn.Customers(ctx, connector.CustomerQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		if cu.CustomFields["username"] == "" {
			t.Errorf("customer %s without username", cu.ID)
		}
		n++
	}
	if n != 2 {
		t.Errorf("streamed %d customers", n)
	}
}

func TestProducts(t *testing.T) {
	srv, _, conn := newShop(t, ccvshop.WithLimiter(nil))
	ctx := context.Background()
	cat := srv.AddCategory(ccvshop.Category{Name: "Kleding"})
	sub := srv.AddCategory(ccvshop.Category{Name: "Shirts", Parentcategory: &ccvshop.Ref{ID: cat.ID}})
	in := connector.Product{
		SKU: "700100", Name: "T-shirt", Price: d("15"), TaxRate: d("21"), Currency: "EUR", Type: connector.ProductConfigurable, Active: true,
		Attributes: []connector.Attribute{{Name: "Maat", Values: []string{"S", "M"}}, {Name: "Kleur", Values: []string{"Rood", "Blauw"}}},
		Variants: []connector.Variant{
			{SKU: "7001001", Active: true, Price: decimal.NewNullDecimal(d("15")), Attributes: []connector.AttributeValue{{Name: "Maat", Value: "S"}, {Name: "Kleur", Value: "Rood"}},
				Stock: &connector.StockLevel{Available: d("4"), Managed: true}},
			{SKU: "7001002", Active: true, Price: decimal.NewNullDecimal(d("17")), Attributes: []connector.AttributeValue{{Name: "Maat", Value: "M"}, {Name: "Kleur", Value: "Rood"}}},
			{SKU: "7001003", Active: true, Price: decimal.NewNullDecimal(d("16")), Attributes: []connector.AttributeValue{{Name: "Maat", Value: "S"}, {Name: "Kleur", Value: "Blauw"}}},
		},
		Categories: []connector.Category{{ID: fmt.Sprint(int64(sub.ID))}, {Name: "Nieuw"}},
		Images:     []connector.Image{{Data: []byte("\x89PNG\r\n\x1a\nfake"), Alt: "Voorkant"}},
	}
	created, err := conn.CreateProduct(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := conn.FindProductBySKU(ctx, "700100")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != created.ID || got.Type != connector.ProductConfigurable || len(got.Variants) != 3 {
		t.Fatalf("read back: %+v", got)
	}
	prices := map[string]string{}
	for _, v := range got.Variants {
		prices[v.SKU] = v.Price.Decimal.String()
		if !v.Active {
			t.Errorf("variant %s inactive", v.SKU)
		}
	}
	if diff := cmp.Diff(map[string]string{"7001001": "15", "7001002": "17", "7001003": "16"}, prices); diff != "" {
		t.Errorf("variant prices (-want +got)\n%s", diff)
	}
	// The fourth combination (M/Blauw) no variant asked for is inactive.
	var pid int64
	fmt.Sscan(created.ID, &pid)
	inactive := 0
	for _, ac := range srv.Combinations(pid) {
		if !ac.Active {
			inactive++
		}
	}
	if inactive != 1 {
		t.Errorf("inactive combinations = %d, want 1", inactive)
	}
	var names []string
	for _, c := range got.Categories {
		names = append(names, strings.Join(c.Path, "/"))
	}
	if diff := cmp.Diff([]string{"Kleding/Shirts", "Nieuw"}, names); diff != "" {
		t.Errorf("categories (-want +got)\n%s", diff)
	}
	if len(got.Images) != 1 || !got.Images[0].Main || got.Images[0].URL == "" {
		t.Errorf("images %+v", got.Images)
	}
	// A variant's SKU finds the configurable product it belongs to.
	if byVariant, err := conn.FindProductBySKU(ctx, "7001002"); err != nil || byVariant.ID != got.ID {
		t.Errorf("FindProductBySKU(variant) = %q, %v; want product %q", byVariant.ID, err, got.ID)
	}
	// Non-additive prices are refused before anything is written.
	bad := in
	bad.SKU = "700200"
	bad.Variants = append([]connector.Variant(nil), in.Variants...)
	bad.Variants = append(bad.Variants, connector.Variant{SKU: "7002004", Price: decimal.NewNullDecimal(d("30")),
		Attributes: []connector.AttributeValue{{Name: "Maat", Value: "M"}, {Name: "Kleur", Value: "Blauw"}}})
	for i := range bad.Variants[:3] {
		bad.Variants[i].SKU = fmt.Sprint("7002", i)
	}
	var ve *connector.ValidationError
	if _, err := conn.CreateProduct(ctx, bad); !errors.As(err, &ve) || !strings.Contains(ve.Field, "Price") {
		t.Errorf("non-additive prices: %v", err)
	}
	if _, err := conn.FindProductBySKU(ctx, "700200"); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("refused product was written: %v", err)
	}
	// Update keeps the shop's discount and renames a variant SKU.
	got.Name = "T-shirt Koffie"
	got.Variants[0].SKU = "7001001-N"
	if _, err := conn.UpdateProduct(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, _ := conn.FindProductBySKU(ctx, "700100")
	skus := []string{}
	for _, v := range again.Variants {
		if v.Active {
			skus = append(skus, v.SKU)
		}
	}
	if again.Name != "T-shirt Koffie" || !strings.Contains(strings.Join(skus, ","), "7001001-N") {
		t.Errorf("after update: %q %v", again.Name, skus)
	}
}

func TestStock(t *testing.T) {
	srv, _, conn := newShop(t, ccvshop.WithLimiter(nil))
	ctx := context.Background()
	seedStock(srv, "800010", d("10"), d("3"))
	srv.AddProduct(ccvshop.Product{Productnumber: "700100", Name: "T-shirt", Price: ccvshop.Num("15")},
		ccvshop.AttributeCombination{SkuNumber: "7001001", Stock: ccvshop.Num("6"), Active: true,
			Combination: []ccvshop.CombinationPart{{Attribute: ccvshop.NamedRef{Name: "Maat"}, AttributeValue: ccvshop.NamedRef{Name: "S"}}}})
	levels := map[string]connector.StockLevel{}
	for l, err := range conn.StockLevels(ctx, connector.StockQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		levels[l.SKU] = l
	}
	if l := levels["800010"]; !l.OnHand.Equal(d("10")) || !l.Reserved.Equal(d("3")) || !l.Available.Equal(d("7")) {
		t.Errorf("800010: %+v", l)
	}
	if l := levels["7001001"]; !l.Available.Equal(d("6")) || !l.OnHand.Equal(d("6")) {
		t.Errorf("variant: %+v", l)
	}
	if _, ok := levels["700100"]; ok {
		t.Error("a configurable parent got a level of its own")
	}
	// Variant stock is written on the combination; Managed turns the
	// parent's stock tracking on.
	srv.ResetCounters()
	if err := conn.SetStock(ctx, connector.StockLevel{SKU: "7001001", OnHand: d("9"), Reserved: d("1"), Managed: true}); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	if calls["PATCH /attributecombinations/{id}/"] != 1 || calls["PATCH /products/{id}/"] != 1 {
		t.Errorf("calls: %v", calls)
	}
	n := 0
	for l, err := range conn.StockLevels(ctx, connector.StockQuery{SKUs: []string{"unknown-sku", "7001001"}}) {
		if err != nil || l.SKU != "7001001" || !l.Available.Equal(d("8")) || !l.Managed {
			t.Errorf("after SetStock: %+v %v", l, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("levels for [unknown, 7001001] = %d, want 1", n)
	}
	// A SKU seen before costs no lookup; a product lookup goes through the
	// ordinary read bucket, not the 30/min product queries.
	srv.ResetCounters()
	if err := conn.SetStock(ctx, connector.StockLevel{SKU: "800010", Available: d("12")}); err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != 1 {
		t.Errorf("SetStock of a known SKU: %v", srv.Calls())
	}
	if err := conn.SetStock(ctx, connector.StockLevel{SKU: "nope", Available: d("1")}); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("unknown SKU: %v", err)
	}
}

func TestNewConnectorValidates(t *testing.T) {
	if _, err := ccvshop.NewConnector(nil, ccvshop.ConnectorConfig{}); err == nil {
		t.Error("nil client accepted")
	}
	srv := ccvshoptest.New()
	defer srv.Close()
	c, _ := srv.Client()
	if _, err := ccvshop.NewConnector(c, ccvshop.ConnectorConfig{ReservedStatuses: []int{99}}); err == nil {
		t.Error("unknown reserved status accepted")
	}
	conn, err := ccvshop.NewConnector(c, ccvshop.ConnectorConfig{ReservedStatuses: []int{}})
	if err != nil || conn.System() != "ccvshop" {
		t.Errorf("%v %v", conn, err)
	}
}
