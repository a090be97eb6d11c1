package ccvshoptest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/verto"
)

var quick = ccvshop.WithRetry(ccvshop.RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})

func newClient(t *testing.T, srv *ccvshoptest.Server, opts ...ccvshop.Option) *ccvshop.Client {
	t.Helper()
	c, err := srv.Client(append([]ccvshop.Option{quick, ccvshop.WithLimiter(nil)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A request signed with the wrong secret is rejected with 401 and the
// platform's error body.
func TestTamperedRequestRejected(t *testing.T) {
	srv := ccvshoptest.New()
	defer srv.Close()
	bad, err := ccvshop.NewClient(srv.URL(), ccvshop.Credentials{PublicKey: ccvshoptest.PublicKey, Secret: "not-the-secret"},
		quick, ccvshop.WithLimiter(nil))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Orders.List(context.Background(), nil)
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Code != verto.CodeUnauthorized {
		t.Fatalf("err = %v", err)
	}
	other, _ := ccvshop.NewClient(srv.URL(), ccvshop.Credentials{PublicKey: "someone-else", Secret: ccvshoptest.Secret}, quick)
	if _, err := other.Orders.List(context.Background(), nil); !errors.As(err, &ae) || ae.StatusCode != 401 {
		t.Errorf("unknown public key: %v", err)
	}
}

// The fake's clock decides the 5-minute window.
func TestDateWindow(t *testing.T) {
	skew := 0 * time.Minute
	srv := ccvshoptest.New(ccvshoptest.WithClock(func() time.Time { return time.Now().Add(skew) }))
	defer srv.Close()
	c := newClient(t, srv)
	for _, tt := range []struct {
		skew time.Duration
		ok   bool
	}{{0, true}, {4 * time.Minute, true}, {6 * time.Minute, false}, {-6 * time.Minute, false}} {
		skew = tt.skew
		_, err := c.Orders.List(context.Background(), nil)
		if (err == nil) != tt.ok {
			t.Errorf("server clock %v off: err = %v", tt.skew, err)
		}
	}
}

func TestOrderFilters(t *testing.T) {
	srv := ccvshoptest.New()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	a := srv.AddOrder(ccvshop.Order{CreateDate: "2024-03-01T10:00:00Z", Status: 1, Paid: true, PaymethodID: 2, TransactionID: "T9"})
	b := srv.AddOrder(ccvshop.Order{CreateDate: "2024-03-05T10:00:00Z", Status: 5})
	basket := srv.AddBasket(ccvshop.Order{CreateDate: "2024-03-06T10:00:00Z"})
	ids := func(o *ccvshop.OrderListOptions) []ccvshop.Int {
		var out []ccvshop.Int
		for x, err := range c.Orders.All(ctx, o) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, x.ID)
		}
		return out
	}
	tests := []struct {
		name string
		opts *ccvshop.OrderListOptions
		want []ccvshop.Int
	}{
		{"default hides unfinished", nil, []ccvshop.Int{a.ID, b.ID}},
		{"unfinished only", &ccvshop.OrderListOptions{IsCompleted: ccvshop.Bool(false)}, []ccvshop.Int{basket.ID}},
		{"status", &ccvshop.OrderListOptions{Status: 5}, []ccvshop.Int{b.ID}},
		{"paid", &ccvshop.OrderListOptions{IsPaid: ccvshop.Bool(true)}, []ccvshop.Int{a.ID}},
		{"ordernumber", &ccvshop.OrderListOptions{Ordernumber: int64(b.Ordernumber)}, []ccvshop.Int{b.ID}},
		{"paymethod", &ccvshop.OrderListOptions{PaymethodID: 2}, []ccvshop.Int{a.ID}},
		{"transaction", &ccvshop.OrderListOptions{TransactionID: "T9"}, []ccvshop.Int{a.ID}},
		{"min date", &ccvshop.OrderListOptions{MinCreateDate: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)}, []ccvshop.Int{b.ID}},
		{"max date", &ccvshop.OrderListOptions{MaxCreateDate: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}, []ccvshop.Int{a.ID}},
		{"newest first", &ccvshop.OrderListOptions{OrderBy: "id_desc"}, []ccvshop.Int{b.ID, a.ID}},
		{"by date desc", &ccvshop.OrderListOptions{OrderBy: "create_date_desc"}, []ccvshop.Int{b.ID, a.ID}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ids(tt.opts)); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tt.name, diff)
		}
	}
	if basket.Ordernumber != 0 || basket.CheckoutHref == "" || a.OrdernumberFull == "" {
		t.Errorf("numbers: basket %d %q, order %q", basket.Ordernumber, basket.CheckoutHref, a.OrdernumberFull)
	}
	var ae *connector.APIError
	if _, err := c.Orders.List(ctx, &ccvshop.OrderListOptions{OrderBy: "total"}); !errors.As(err, &ae) || ae.StatusCode != 400 {
		t.Errorf("bad orderby: %v", err)
	}
}

// Required fields on create are enforced like the schemas do.
func TestCreateValidation(t *testing.T) {
	srv := ccvshoptest.New()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	cases := []struct {
		name string
		call func() error
	}{
		{"product without package", func() error {
			_, err := c.Products.Create(ctx, &ccvshop.ProductInput{Name: "x", Price: ccvshop.NumPtrFor("1"), Discount: ccvshop.NumPtrFor("0"), Taxtariff: "normal"})
			return err
		}},
		{"product without tax", func() error {
			_, err := c.Products.Create(ctx, &ccvshop.ProductInput{Name: "x", Price: ccvshop.NumPtrFor("1"), Discount: ccvshop.NumPtrFor("0"), PackageID: 1})
			return err
		}},
		{"product with unknown tariff", func() error {
			_, err := c.Products.Create(ctx, &ccvshop.ProductInput{Name: "x", Price: ccvshop.NumPtrFor("1"), Discount: ccvshop.NumPtrFor("0"), PackageID: 1, Taxtariff: "high"})
			return err
		}},
		{"order without customer", func() error {
			_, err := c.Orders.Create(ctx, &ccvshop.OrderInput{Orderrows: []ccvshop.OrderRowInput{{Count: ccvshop.Num("1"), ProductName: "x", PackageID: 1}}})
			return err
		}},
		{"order row without product or package", func() error {
			_, err := c.Orders.Create(ctx, &ccvshop.OrderInput{Customer: &ccvshop.PersonalInfo{}, Orderrows: []ccvshop.OrderRowInput{{Count: ccvshop.Num("1"), ProductName: "x"}}})
			return err
		}},
		{"order row with unknown product", func() error {
			_, err := c.Orders.Create(ctx, &ccvshop.OrderInput{Customer: &ccvshop.PersonalInfo{}, Orderrows: []ccvshop.OrderRowInput{{Count: ccvshop.Num("1"), ProductID: 424242}}})
			return err
		}},
		{"order row with zero count", func() error {
			_, err := c.Orders.Create(ctx, &ccvshop.OrderInput{Customer: &ccvshop.PersonalInfo{}, Orderrows: []ccvshop.OrderRowInput{{ProductName: "x", PackageID: 1}}})
			return err
		}},
		{"user without password", func() error { _, err := c.Users.Create(ctx, &ccvshop.UserInput{Username: "a@b.nl"}); return err }},
		{"category without name", func() error { _, err := c.Categories.Create(ctx, &ccvshop.CategoryInput{}); return err }},
		{"webhook with unknown event", func() error {
			_, err := c.Webhooks.Create(ctx, &ccvshop.WebhookInput{Event: "orders.status", Address: "https://x.example/"})
			return err
		}},
		{"attribute value without attribute", func() error {
			_, err := c.AttributeValues.Create(ctx, 424242, &ccvshop.AttributeValueInput{Name: "S"})
			return err
		}},
		{"photo with data: prefix", func() error {
			p, _ := srv.AddProduct(ccvshop.Product{Name: "p"})
			_, err := c.ProductPhotos.Create(ctx, int64(p.ID), &ccvshop.ProductPhotoInput{Source: "data:image/png;base64,AAAA", FileType: "png"})
			return err
		}},
	}
	for _, tt := range cases {
		var ae *connector.APIError
		if err := tt.call(); !errors.As(err, &ae) || ae.StatusCode < 400 || ae.Message == "" {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
	if srv.OrderCount() != 0 || srv.ProductCount() != 1 {
		t.Errorf("rejected creates were stored: %d orders, %d products", srv.OrderCount(), srv.ProductCount())
	}
	// Duplicate usernames are refused with the platform's code.
	if _, err := c.Users.Create(ctx, &ccvshop.UserInput{Username: "dup@example.nl", Password: "secret1"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Users.Create(ctx, &ccvshop.UserInput{Username: "DUP@example.nl", Password: "secret1"})
	if verto.Code(err) != verto.CodePropertyExists {
		t.Errorf("duplicate username: %v", err)
	}
}

// The fake enforces the per-resource, per-method limit with the real 429
// body; a client without its own limiter sees it once retries run out.
func TestRateLimitedWithRealBody(t *testing.T) {
	srv := ccvshoptest.New()
	defer srv.Close()
	srv.SetLimits(verto.Limits{Read: 3}, 0)
	c := newClient(t, srv)
	ctx := context.Background()
	var err error
	for range 4 {
		if _, err = c.Users.List(ctx, nil); err != nil {
			break
		}
	}
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 429 || ae.Code != verto.CodeRateLimit || ae.Message == "" {
		t.Fatalf("err = %v", err)
	}
	// Another resource still has its own budget.
	if _, err := c.Orders.List(ctx, nil); err != nil {
		t.Errorf("orders after users were limited: %v", err)
	}
}

func TestFaultsAndCounters(t *testing.T) {
	srv := ccvshoptest.New()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	srv.Inject(ccvshoptest.Fault{Method: "GET", Path: "products/", Status: 503})
	if _, err := c.Products.List(ctx, nil); err != nil {
		t.Errorf("one 503 is retried: %v", err)
	}
	srv.Inject(ccvshoptest.Fault{Path: "orders/", Malformed: true})
	if _, err := c.Orders.List(ctx, nil); err == nil {
		t.Error("malformed body accepted")
	}
	srv.Inject(ccvshoptest.Fault{Method: "PATCH", Path: "products/", Drop: true, Times: 2})
	p, _ := srv.AddProduct(ccvshop.Product{Name: "p"})
	if err := c.Products.Update(ctx, int64(p.ID), &ccvshop.ProductInput{Name: "q"}); err == nil {
		t.Error("dropped connection accepted")
	}
	srv.ResetCounters()
	_, _ = c.Orders.Get(ctx, 1)
	_, _ = c.Orders.Get(ctx, 2)
	if got := srv.RequestsFor("GET", "orders/{id}/"); got != 2 || srv.Requests() != 2 {
		t.Errorf("counters: %d %d %v", got, srv.Requests(), srv.Calls())
	}
}

// Seeding thousands of records is direct and fast: no HTTP.
func TestSeedingIsDirect(t *testing.T) {
	srv := ccvshoptest.New()
	defer srv.Close()
	for i := range 2000 {
		srv.AddProduct(ccvshop.Product{Productnumber: fmt.Sprint(i), Name: "p"})
		srv.AddOrder(ccvshop.Order{}, ccvshop.OrderRow{ProductNumber: fmt.Sprint(i), Count: ccvshop.Num("1"), Price: ccvshop.Num("2")})
	}
	if srv.Requests() != 0 || srv.ProductCount() != 2000 || srv.OrderCount() != 2000 {
		t.Errorf("requests %d, products %d, orders %d", srv.Requests(), srv.ProductCount(), srv.OrderCount())
	}
	o := srv.AddOrder(ccvshop.Order{OrderRowTaxesIncluded: true, TotalShipping: ccvshop.Num("4.95"),
		ShippingTaxPercentage: ccvshop.Num("21"), ShippingTaxesIncluded: true},
		ccvshop.OrderRow{Count: ccvshop.Num("2"), Price: ccvshop.Num("12.10"), Tax: ccvshop.Num("21")})
	if !o.TotalPrice.Equal(ccvshop.Num("29.15")) || !o.TotalTax.Equal(ccvshop.Num("5.06")) {
		t.Errorf("totals %s tax %s", o.TotalPrice, o.TotalTax)
	}
}

// Attribute values attached through the API generate the combinations.
func TestCombinationsGenerated(t *testing.T) {
	srv := ccvshoptest.New()
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	p, _ := srv.AddProduct(ccvshop.Product{Productnumber: "T", Name: "T-shirt", Price: ccvshop.Num("10")})
	size, _ := c.Attributes.Create(ctx, &ccvshop.AttributeInput{Name: "Maat", Type: "option_menu"})
	color, _ := c.Attributes.Create(ctx, &ccvshop.AttributeInput{Name: "Kleur", Type: "option_menu"})
	var ids []int64
	for _, v := range []struct {
		attr  *ccvshop.Attribute
		name  string
		extra string
	}{{size, "S", "0"}, {size, "M", "1"}, {color, "Rood", "0.5"}} {
		val, err := c.AttributeValues.Create(ctx, int64(v.attr.ID), &ccvshop.AttributeValueInput{Name: v.name})
		if err != nil {
			t.Fatal(err)
		}
		pv, err := c.ProductAttributeValues.Create(ctx, int64(p.ID), &ccvshop.ProductAttributeValueInput{Optionvalue: val.ID,
			Price: ccvshop.Num(v.extra), Stock: ccvshop.NumPtrFor("2")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, int64(pv.ID))
	}
	var extras []string
	for ac, err := range c.AttributeCombinations.All(ctx, int64(p.ID)) {
		if err != nil {
			t.Fatal(err)
		}
		extras = append(extras, ac.Note+"="+ac.NettoExtraPrice.String())
	}
	if diff := cmp.Diff([]string{"S / Rood=0.5", "M / Rood=1.5"}, extras); diff != "" {
		t.Errorf("combinations (-want +got)\n%s", diff)
	}
	if err := c.ProductAttributeValues.Delete(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	if got := srv.Combinations(int64(p.ID)); len(got) != 1 {
		t.Errorf("after removing M: %d combinations", len(got))
	}
}

// A reservation of a variant is read back as reserved stock of its SKU.
func TestReserveStockVariant(t *testing.T) {
	srv := ccvshoptest.New()
	defer srv.Close()
	srv.AddProduct(ccvshop.Product{Productnumber: "T", Name: "T-shirt", Price: ccvshop.Num("10"), Stockenabled: true},
		ccvshop.AttributeCombination{SkuNumber: "T-M", Stock: ccvshop.Num("4"), Active: true,
			Combination: []ccvshop.CombinationPart{{Attribute: ccvshop.NamedRef{Name: "Maat"}, AttributeValue: ccvshop.NamedRef{Name: "M"}}}})
	o := srv.ReserveStock("T-M", ccvshop.Num("2").Decimal)
	rows := srv.OrderRows(int64(o.ID))
	if int(o.Status) != ccvshop.StatusReserved || len(rows) != 1 || rows[0].SubSkuNumber != "T-M" || rows[0].ProductID == 0 {
		t.Fatalf("reservation %+v rows %+v", o, rows)
	}
	conn, _ := ccvshop.NewConnector(newClient(t, srv), ccvshop.ConnectorConfig{})
	for l, err := range conn.StockLevels(context.Background(), connector.StockQuery{SKUs: []string{"T-M"}}) {
		if err != nil || !l.Reserved.Equal(ccvshop.Num("2").Decimal) || !l.OnHand.Equal(ccvshop.Num("6").Decimal) {
			t.Errorf("level %+v %v", l, err)
		}
	}
}
