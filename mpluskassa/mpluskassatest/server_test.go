package mpluskassatest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
	"github.com/tradelink/tradelink/internal/soap"
	"github.com/tradelink/tradelink/mpluskassa"
)

func start(t *testing.T, opts ...Option) (*Server, *mpluskassa.Client) {
	t.Helper()
	s := New(opts...)
	t.Cleanup(s.Close)
	return s, client(t, s, s.Credentials())
}

// client returns a client of s that tries once (faults stay visible).
func client(t *testing.T, s *Server, creds mpluskassa.Credentials) *mpluskassa.Client {
	t.Helper()
	c, err := mpluskassa.NewClient(s.URL(), creds, mpluskassa.WithLimiter(nil),
		mpluskassa.WithRetry(mpluskassa.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// post sends a raw body and returns status, header and body.
func post(t *testing.T, s *Server, query, soapAction string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL()+"/"+query, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("SOAPAction", soapAction)
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

const auth = "?ident=" + DefaultIdent + "&secret=" + DefaultSecret

func envelope(t *testing.T, op string, body any) []byte {
	t.Helper()
	b, err := soap.Marshal(mpluskassa.Namespace, "ns1", op, body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := mpluskassa.ResultCode(err); got != code {
		t.Errorf("result code = %q, want %q (err %v)", got, code, err)
	}
}

func TestAuthentication(t *testing.T) {
	s, _ := start(t)
	for _, creds := range []mpluskassa.Credentials{
		{Ident: DefaultIdent, Secret: "wrong-secret"},
		{Ident: "wrong-ident", Secret: DefaultSecret},
	} {
		_, err := client(t, s, creds).Reference.GetBranches(t.Context())
		var ae *connector.APIError
		if !errors.As(err, &ae) || ae.Code != "Client.Authentication" || ae.StatusCode != 500 || ae.Retryable() {
			t.Errorf("bad credentials: %v", err)
		}
	}
	status, _, body := post(t, s, "", "getBranches", envelope(t, "getBranches", nil))
	if f := soap.ParseFault(body); status != 500 || f == nil || f.Code != "Client.Authentication" {
		t.Errorf("no credentials: %d %s", status, body)
	}
	other := New(WithCredentials("other-ident", "other-secret"))
	defer other.Close()
	if _, err := client(t, other, other.Credentials()).Reference.GetBranches(t.Context()); err != nil {
		t.Errorf("WithCredentials: %v", err)
	}
}

func TestHTTPSurface(t *testing.T) {
	s, _ := start(t)
	resp, err := s.Client().Get(s.URL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET / = %d, want 405 (the availability probe)", resp.StatusCode)
	}
	if status, _, _ := post(t, s, "wsdl"+auth, "", nil); status != http.StatusNotFound {
		t.Errorf("POST /wsdl = %d", status)
	}
}

// TestDispatchOnBody checks that the operation is the body's first element,
// whatever SOAPAction says, and that broken requests get Client faults.
func TestDispatchOnBody(t *testing.T) {
	s, _ := start(t)
	for _, action := range []string{"", "getBranches", `"getVatGroupList"`} {
		status, hdr, body := post(t, s, auth, action, envelope(t, "getVatGroupList", nil))
		var out mpluskassa.GetVatGroupListResponse
		if err := soap.Unmarshal(body, &out, "getVatGroupListResponse"); status != 200 || err != nil || len(out.VatGroup) != 6 {
			t.Errorf("SOAPAction %q: %d %v %s", action, status, err, body)
		}
		if !strings.Contains(string(body), "<ns:getVatGroupListResponse>") || hdr.Get("Content-Type") != soap.ContentType {
			t.Errorf("answer not written with prefix ns: %s", body)
		}
	}
	faults := []struct {
		name string
		body []byte
		want string
	}{
		{"unknown operation", envelope(t, "getWeather", nil), "not supported"},
		{"wrong namespace", []byte(`<e:Envelope xmlns:e="` + soap.EnvelopeNS + `"><e:Body><getBranches xmlns="urn:other"/></e:Body></e:Envelope>`), "not in namespace"},
		{"not XML", []byte("hello"), "malformed"},
		{"required element missing", envelope(t, "getProducts", nil), "request is missing"},
		{"wrong type", envelope(t, "getStock", struct {
			R struct {
				B string `xml:"branchNumber"`
			} `xml:"request"`
		}{R: struct {
			B string `xml:"branchNumber"`
		}{B: "one"}}), "request/branchNumber"},
	}
	for _, f := range faults {
		status, _, body := post(t, s, auth, "", f.body)
		fault := soap.ParseFault(body)
		if status != 500 || fault == nil || fault.Code != "Client" || !strings.Contains(fault.String, f.want) {
			t.Errorf("%s: %d %s", f.name, status, body)
		}
	}
}

// TestSyncMarkerPaging checks >= semantics, syncMarkerLimit, the page cap,
// the empty page at the end, and that a change moves a record to the end.
func TestSyncMarkerPaging(t *testing.T) {
	s, c := start(t, WithPageCap(4))
	var nums []int64
	for i := range 7 {
		r, err := s.AddRelation(mpluskassa.Relation{Name: mpluskassa.Ptr("R" + string(rune('a'+i)))})
		if err != nil {
			t.Fatal(err)
		}
		nums = append(nums, *r.RelationNumber)
	}
	page := func(from int64, limit *int) []int64 {
		t.Helper()
		rs, err := c.Relations.GetRelations(t.Context(), mpluskassa.GetRelationsRequest{SyncMarker: &from, SyncMarkerLimit: limit})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range rs {
			out = append(out, *r.SyncMarker)
		}
		return out
	}
	three := mpluskassa.Ptr(3)
	tests := []struct {
		from  int64
		limit *int
		want  []int64
	}{
		{0, three, []int64{1, 2, 3}},
		{3, three, []int64{3, 4, 5}}, // inclusive lower bound
		{6, three, []int64{6, 7}},
		{8, three, nil},                              // the end: an empty page
		{1, mpluskassa.Ptr(10), []int64{1, 2, 3, 4}}, // capped at 4
		{1, nil, []int64{1, 2, 3, 4}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, page(tt.from, tt.limit)); diff != "" {
			t.Errorf("from %d: (-want +got)\n%s", tt.from, diff)
		}
	}
	if _, err := c.Relations.UpdateRelation(t.Context(), mpluskassa.Relation{RelationNumber: &nums[1], City: mpluskassa.Ptr("Utrecht")}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{7, 8}, page(7, three)); diff != "" {
		t.Errorf("after an update (-want +got)\n%s", diff)
	}
	var seen []int64
	for r, err := range c.Relations.All(t.Context(), mpluskassa.GetRelationsRequest{SyncMarkerLimit: three}) {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, *r.RelationNumber)
	}
	if len(seen) != 7 {
		t.Errorf("All streamed %d relations, want 7", len(seen))
	}
	// ceil(7/3) pages with items plus the empty page, plus the 7 calls above.
	if n := s.RequestsFor("getRelations"); n != 7+4 {
		t.Errorf("getRelations calls = %d, want 11", n)
	}
}

func seedBasics(t *testing.T, s *Server) (relation int64) {
	t.Helper()
	if _, err := s.AddSimpleProduct(100101, "T-shirt", 1995); err != nil {
		t.Fatal(err)
	}
	nonStock := false
	if _, err := s.AddProduct(mpluskassa.Product{ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{{
		ArticleNumber: mpluskassa.Ptr[int64](999), Description: mpluskassa.Ptr("Shipping"), PriceIncl: mpluskassa.Ptr[int64](495),
		VatCode: mpluskassa.Ptr(1), StockArticle: &nonStock}}}}); err != nil {
		t.Fatal(err)
	}
	r, err := s.AddRelation(mpluskassa.Relation{Name: mpluskassa.Ptr("Jan Jansen"), Email: mpluskassa.Ptr("jan@example.nl")})
	if err != nil {
		t.Fatal(err)
	}
	return *r.RelationNumber
}

func newOrder(ext string, rel int64, lines ...mpluskassa.Line) mpluskassa.Order {
	if lines == nil {
		lines = []mpluskassa.Line{{ArticleNumber: 100101, Data: &mpluskassa.LineData{Quantity: 3, DecimalPlaces: mpluskassa.Ptr(0)}}}
	}
	return mpluskassa.Order{ExtOrderID: &ext, EmployeeNumber: mpluskassa.Ptr(mpluskassa.DefaultEmployeeNumber), RelationNumber: &rel,
		LineList: &mpluskassa.LineList{Line: lines}}
}

// TestOrderRules checks the mandatory fields and business rules of
// createOrder, applied to direct seeding and API calls alike.
func TestOrderRules(t *testing.T) {
	s, c := start(t)
	rel := seedBasics(t, s)
	if _, err := s.AddOrder(newOrder("TAKEN", rel)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		mod  func(*mpluskassa.Order)
		want string // result code and message fragment; "" = accepted
	}{
		{"accepted", func(*mpluskassa.Order) {}, ""},
		{"extOrderId reused", func(o *mpluskassa.Order) { o.ExtOrderID = mpluskassa.Ptr("TAKEN") }, "CREATE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-EXISTS"},
		{"orderId given", func(o *mpluskassa.Order) { o.OrderID = "abc" }, "FAILED: orderId must be empty"},
		{"no employee", func(o *mpluskassa.Order) { o.EmployeeNumber = nil }, "FAILED: employeeNumber is required"},
		{"unknown employee", func(o *mpluskassa.Order) { o.EmployeeNumber = mpluskassa.Ptr[int64](42) }, "employee 42 not found"},
		{"no relation", func(o *mpluskassa.Order) { o.RelationNumber = nil }, "relationNumber is required"},
		{"unknown relation", func(o *mpluskassa.Order) { o.RelationNumber = mpluskassa.Ptr[int64](1) }, "relation 1 not found"},
		{"no lines", func(o *mpluskassa.Order) { o.LineList = nil }, "at least one line"},
		{"unknown article", func(o *mpluskassa.Order) { o.LineList.Line[0].ArticleNumber = 5 }, "article 5 not found"},
		{"line without data", func(o *mpluskassa.Order) { o.LineList.Line[0].Data = nil }, "data with a quantity is required"},
		{"zero quantity", func(o *mpluskassa.Order) { o.LineList.Line[0].Data.Quantity = 0 }, "is not a quantity"},
		{"turnover group 1000", func(o *mpluskassa.Order) { o.LineList.Line[0].Data.TurnoverGroup = mpluskassa.Ptr(1000) }, "turnoverGroup 1000"},
		{"unknown branch", func(o *mpluskassa.Order) { o.FinancialBranchNumber = mpluskassa.Ptr(7) }, "branch 7 not found"},
		{"entered elsewhere without workplace", func(o *mpluskassa.Order) {
			o.EntryBranchNumber, o.FinancialBranchNumber = mpluskassa.Ptr(2), mpluskassa.Ptr(1)
		}, "workplaceNumber is required"},
		{"entered elsewhere with workplace", func(o *mpluskassa.Order) {
			o.EntryBranchNumber, o.FinancialBranchNumber, o.WorkplaceNumber = mpluskassa.Ptr(2), mpluskassa.Ptr(1), mpluskassa.Ptr(2)
		}, ""},
		{"unknown workplace", func(o *mpluskassa.Order) { o.WorkplaceNumber = mpluskassa.Ptr(9) }, "workplace 9 not found in branch 1"},
		{"impossible financial date", func(o *mpluskassa.Order) { o.FinancialDate = &mpluskassa.Date{Day: 31, Mon: 2, Year: 2025} }, "financialDate"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOrder("R-"+string(rune('A'+i)), rel)
			tt.mod(&o)
			stored, err := s.AddOrder(o)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if stored.OrderID == "" || stored.OrderNumber == nil || val(stored.TotalInclAmount) != 3*1995 || val(stored.TotalExclAmount) != 4946 {
					t.Errorf("stored %+v", stored)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	// The same rules answer in-band over the wire, where the client's own
	// checks let the request through.
	_, err := c.Orders.CreateOrder(t.Context(), newOrder("TAKEN", rel))
	wantCode(t, err, mpluskassa.CreateOrderExtOrderIDExists)
	_, err = c.Orders.CreateOrder(t.Context(), newOrder("X-1", 1))
	wantCode(t, err, mpluskassa.CreateOrderFailed)
	if err == nil || !strings.Contains(err.Error(), "relation 1 not found") {
		t.Errorf("errorMessage not passed on: %v", err)
	}
}

// TestReservations follows the stock of an article through order create,
// delivery and cancellation.
func TestReservations(t *testing.T) {
	s, c := start(t)
	rel := seedBasics(t, s)
	if err := s.SetStockLevel(1, 100101, dec("10"), decimal.Zero); err != nil {
		t.Fatal(err)
	}
	stock := func() (free, reserved decimal.Decimal) {
		t.Helper()
		ss, err := c.Stock.GetStock(t.Context(), mpluskassa.GetStockRequest{BranchNumber: 1,
			ArticleNumbers: mpluskassa.ArticleNumberList{ArticleNumbers: []int64{100101, 999}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ss) != 1 {
			t.Fatalf("getStock returned %d records, want 1 (999 keeps no stock)", len(ss))
		}
		f, _ := ss[0].Free()
		r, _ := ss[0].Reserved()
		return f, r
	}
	check := func(step, wantFree, wantReserved string) {
		t.Helper()
		f, r := stock()
		if !f.Equal(dec(wantFree)) || !r.Equal(dec(wantReserved)) {
			t.Errorf("%s: free %s reserved %s, want %s %s", step, f, r, wantFree, wantReserved)
		}
	}
	ship := mpluskassa.Line{ArticleNumber: 999, Data: &mpluskassa.LineData{Quantity: 1, DecimalPlaces: mpluskassa.Ptr(0)}}
	half := mpluskassa.Line{ArticleNumber: 100101, Data: &mpluskassa.LineData{Quantity: 25, DecimalPlaces: mpluskassa.Ptr(1)}}
	a, err := c.Orders.CreateOrder(t.Context(), newOrder("A", rel, half, ship))
	if err != nil {
		t.Fatal(err)
	}
	check("after an order of 2.5", "7.5", "2.5")
	b, err := c.Orders.CreateOrder(t.Context(), newOrder("B", rel))
	if err != nil {
		t.Fatal(err)
	}
	check("after an order of 3", "4.5", "5.5")
	if _, err := c.Orders.DeliverOrder(t.Context(), a.Info.OrderID); err != nil {
		t.Fatal(err)
	}
	check("after delivering 2.5", "4.5", "3")
	if on, _ := s.Stock(1, 100101); !on.Equal(dec("7.5")) {
		t.Errorf("on hand after delivery = %s, want 7.5", on)
	}
	_, err = c.Orders.DeliverOrder(t.Context(), a.Info.OrderID)
	wantCode(t, err, mpluskassa.DeliverOrderAlreadyDelivered)
	_, err = c.Orders.CancelOrder(t.Context(), a.Info.OrderID)
	wantCode(t, err, mpluskassa.CancelOrderFailed)
	if _, err := c.Orders.CancelOrder(t.Context(), b.Info.OrderID); err != nil {
		t.Fatal(err)
	}
	check("after cancelling 3", "7.5", "0")
	_, err = c.Orders.CancelOrder(t.Context(), b.Info.OrderID)
	wantCode(t, err, mpluskassa.CancelOrderAlreadyCancelled)
	_, err = c.Orders.CancelOrder(t.Context(), "nope")
	if !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("cancel unknown: %v", err)
	}
	_, err = c.Orders.DeliverOrder(t.Context(), "nope")
	wantCode(t, err, mpluskassa.DeliverOrderFailed)
	got, err := c.Orders.GetOrder(t.Context(), b.Info.OrderID)
	if err != nil || val(got.CancelState) != mpluskassa.CancelStateComplete {
		t.Errorf("cancelled order: %+v %v", got, err)
	}
	// Stock changes over the API.
	if _, err := c.Stock.UpdateStock(t.Context(), mpluskassa.UpdateStockRequest{BranchNumber: 1, ArticleNumber: 100101, AmountChanged: -5, DecimalPlaces: mpluskassa.Ptr(1)}); err != nil {
		t.Fatal(err)
	}
	check("after updateStock -0.5", "7", "0")
	if _, err := c.Stock.SetStock(t.Context(), mpluskassa.SetStockRequest{BranchNumber: 1, ArticleNumber: 100101, Amount: 12, DecimalPlaces: mpluskassa.Ptr(0)}); err != nil {
		t.Fatal(err)
	}
	check("after setStock 12", "12", "0")
	for _, tc := range []struct {
		branch  int
		article int64
		code    string
	}{{3, 100101, mpluskassa.SetStockBranchNotFound}, {1, 5, mpluskassa.SetStockArticleNotFound}, {1, 999, mpluskassa.SetStockNoStockArticle}} {
		_, err := c.Stock.SetStock(t.Context(), mpluskassa.SetStockRequest{BranchNumber: tc.branch, ArticleNumber: tc.article, Amount: 1, DecimalPlaces: mpluskassa.Ptr(0)})
		wantCode(t, err, tc.code)
	}
	// stockId: only changes at or after it.
	markers, err := c.GetCurrentSyncMarkers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ss, err := c.Stock.GetStock(t.Context(), mpluskassa.GetStockRequest{BranchNumber: 1, StockID: mpluskassa.Ptr(*markers.StockID + 1)})
	if err != nil || len(ss) != 0 {
		t.Errorf("stock after the last mutation: %v %v", ss, err)
	}
	ss, err = c.Stock.GetStock(t.Context(), mpluskassa.GetStockRequest{BranchNumber: 1, StockID: markers.StockID})
	if err != nil || len(ss) != 1 {
		t.Errorf("stock at the last mutation: %v %v", ss, err)
	}
}

func TestCreateOrderV3Replay(t *testing.T) {
	s, c := start(t)
	rel := seedBasics(t, s)
	req := mpluskassa.CreateOrderV3Request{IdempotencyKey: "key-1", Order: newOrder("V3", rel)}
	first, err := c.Orders.CreateOrderV3(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Orders.CreateOrderV3(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if first.IdempotencyResult != mpluskassa.IdempotencyOriginalResponse || again.IdempotencyResult != mpluskassa.IdempotencyReplayResponse ||
		again.Info.OrderID != first.Info.OrderID || first.Order == nil {
		t.Errorf("first %+v, again %+v", first, again)
	}
	if _, _, orders := s.Counts(); orders != 1 {
		t.Errorf("%d orders stored, want 1", orders)
	}
	// A new key for the same extOrderId is a new request: refused.
	req.IdempotencyKey = "key-2"
	_, err = c.Orders.CreateOrderV3(t.Context(), req)
	wantCode(t, err, mpluskassa.CreateOrderExtOrderIDExists)
}

func TestSaveOrder(t *testing.T) {
	s, c := start(t)
	rel := seedBasics(t, s)
	created, err := c.Orders.SaveOrder(t.Context(), newOrder("S-1", rel))
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.Orders.GetOrder(t.Context(), created.Info.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	o.Reference = mpluskassa.Ptr("changed")
	if _, err := c.Orders.SaveOrder(t.Context(), *o); err != nil {
		t.Fatal(err)
	}
	saved, _ := s.OrderByExtID("S-1")
	if val(saved.Reference) != "changed" || val(saved.ChangeCounter) != 2 {
		t.Errorf("saved %+v", saved)
	}
	_, err = c.Orders.SaveOrder(t.Context(), *o) // stale changeCounter
	wantCode(t, err, mpluskassa.SaveOrderHasChanged)
	o.ChangeCounter = saved.ChangeCounter
	if resp, err := c.Orders.SaveOrder(t.Context(), *o); err != nil || resp.Result != mpluskassa.SaveOrderNoChanges {
		t.Errorf("unchanged save: %+v %v", resp, err)
	}
	o.OrderID = "unknown"
	_, err = c.Orders.SaveOrder(t.Context(), *o)
	if !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("save unknown: %v", err)
	}
}

func TestProducts(t *testing.T) {
	s, c := start(t)
	ctx := t.Context()
	resp, err := c.Products.CreateProduct(ctx, mpluskassa.Product{Description: mpluskassa.Ptr("Mug"), GroupNumbers: []int{3},
		ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{
			{PluNumber: mpluskassa.Ptr("MUG-S"), PriceIncl: mpluskassa.Ptr[int64](1210), VatCode: mpluskassa.Ptr(1)},
			{ArticleNumber: mpluskassa.Ptr[int64](555), PriceExcl: mpluskassa.Ptr[int64](1000), VatCode: mpluskassa.Ptr(2), Active: mpluskassa.Ptr(false)},
		}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.ArticleNumbers) != 2 || resp.ArticleNumbers[1] != 555 || resp.ProductNumber == 0 {
		t.Fatalf("created %+v", resp)
	}
	stored, _ := s.Product(555)
	a0, a1 := stored.ArticleList.Article[0], stored.ArticleList.Article[1]
	if val(a0.PriceExcl) != 1000 || val(a1.PriceIncl) != 1090 || val(a0.VatPercentage) != 21 || !val(a0.StockArticle) {
		t.Errorf("prices not completed: %+v %+v", a0, a1)
	}
	for _, tc := range []struct {
		p    mpluskassa.Product
		code string
	}{
		{mpluskassa.Product{ProductNumber: &resp.ProductNumber, ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{{}}}}, mpluskassa.CreateProductProductNumberTaken},
		{mpluskassa.Product{ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{{ArticleNumber: mpluskassa.Ptr[int64](555)}}}}, mpluskassa.CreateProductArticleNumberTaken},
		{mpluskassa.Product{}, mpluskassa.CreateProductFailed},
		{mpluskassa.Product{ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{{VatCode: mpluskassa.Ptr(77)}}}}, mpluskassa.CreateProductFailed},
	} {
		_, err := c.Products.CreateProduct(ctx, tc.p)
		wantCode(t, err, tc.code)
	}
	// Update: absent fields stay, a new price recomputes the other, an
	// unknown article is added.
	up, err := c.Products.UpdateProduct(ctx, mpluskassa.Product{ProductNumber: &resp.ProductNumber, ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{
		{ArticleNumber: mpluskassa.Ptr[int64](555), PriceIncl: mpluskassa.Ptr[int64](2180)},
		{ArticleNumber: mpluskassa.Ptr[int64](556), Description: mpluskassa.Ptr("Mug XL")},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{555}, up.ExistingArticleNumbers); diff != "" || len(up.NewArticleNumbers) != 1 || up.NewArticleNumbers[0] != 556 {
		t.Errorf("update answer %+v", up)
	}
	stored, _ = s.Product(555)
	a1 = stored.ArticleList.Article[1]
	if val(a1.PriceIncl) != 2180 || val(a1.PriceExcl) != 2000 || val(a1.Active) || val(a1.VatCode) != 2 {
		t.Errorf("after update: %+v", a1)
	}
	if val(stored.Description) != "Mug" || len(stored.Articles()) != 3 {
		t.Errorf("product after update: %+v", stored)
	}
	_, err = c.Products.UpdateProduct(ctx, mpluskassa.Product{ProductNumber: mpluskassa.Ptr[int64](1)})
	if !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("update unknown: %v", err)
	}
	other, err := s.AddSimpleProduct(777, "Other", 100)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Products.UpdateProduct(ctx, mpluskassa.Product{ProductNumber: other.ProductNumber,
		ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{{ArticleNumber: mpluskassa.Ptr[int64](555)}}}})
	wantCode(t, err, mpluskassa.UpdateProductArticleNumberTaken)

	// Filters.
	count := func(req mpluskassa.GetProductsRequest) (products, articles int) {
		t.Helper()
		ps, err := c.Products.GetProducts(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			articles += len(p.Articles())
		}
		return len(ps), articles
	}
	for _, tc := range []struct {
		name     string
		req      mpluskassa.GetProductsRequest
		products int
		articles int
	}{
		{"all", mpluskassa.GetProductsRequest{}, 2, 4},
		{"by article", mpluskassa.GetProductsRequest{ArticleNumbers: []int64{555}}, 1, 1},
		{"by article, whole product", mpluskassa.GetProductsRequest{ArticleNumbers: []int64{555}, IncludeAllArticlesOfSelectedProducts: mpluskassa.Ptr(true)}, 1, 3},
		{"by plu", mpluskassa.GetProductsRequest{PluNumbers: mpluskassa.NewTextList("MUG-S")}, 1, 1},
		{"only active", mpluskassa.GetProductsRequest{OnlyActive: mpluskassa.Ptr(true)}, 2, 3},
		{"by product", mpluskassa.GetProductsRequest{ProductNumbers: []int64{*other.ProductNumber}}, 1, 1},
		{"by group", mpluskassa.GetProductsRequest{GroupNumbers: []int{3}}, 1, 3},
		{"changed since the future", mpluskassa.GetProductsRequest{ChangedSinceTimestamp: mpluskassa.Ptr(mpluskassa.NewDateTime(time.Now().Add(time.Hour)))}, 0, 0},
	} {
		if p, a := count(tc.req); p != tc.products || a != tc.articles {
			t.Errorf("%s: %d products, %d articles; want %d, %d", tc.name, p, a, tc.products, tc.articles)
		}
	}
}

func TestFindRelation(t *testing.T) {
	s, c := start(t)
	for _, r := range []mpluskassa.Relation{
		{Name: mpluskassa.Ptr("John Doe"), Email: mpluskassa.Ptr("john.doe@example.com"), City: mpluskassa.Ptr("Utrecht")},
		{Name: mpluskassa.Ptr("Hanna Smit"), Email: mpluskassa.Ptr("hanna@example.com")},
		{Name: mpluskassa.Ptr("Anna Smit"), Email: mpluskassa.Ptr("anna@example.com")},
	} {
		if _, err := s.AddRelation(r); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		q     mpluskassa.Relation
		exact bool
		want  string // name found; "" = NOT-FOUND
	}{
		{"partial name", mpluskassa.Relation{Name: mpluskassa.Ptr("john d")}, false, "John Doe"},
		{"partial e-mail finds the first", mpluskassa.Relation{Email: mpluskassa.Ptr("anna@")}, false, "Hanna Smit"},
		{"exact e-mail", mpluskassa.Relation{Email: mpluskassa.Ptr("anna@example.com")}, true, "Anna Smit"},
		{"exact e-mail ignores case", mpluskassa.Relation{Email: mpluskassa.Ptr("ANNA@Example.COM")}, true, "Anna Smit"},
		{"exact never partial", mpluskassa.Relation{Email: mpluskassa.Ptr("nna@example.com")}, true, ""},
		{"all terms must match", mpluskassa.Relation{Name: mpluskassa.Ptr("John"), City: mpluskassa.Ptr("Amsterdam")}, false, ""},
		{"no terms", mpluskassa.Relation{}, false, ""},
	}
	for _, tt := range tests {
		r, err := c.Relations.FindRelationV2(t.Context(), mpluskassa.FindRelationV2Request{Relation: tt.q, ExactMatch: &tt.exact})
		switch {
		case tt.want == "" && !errors.Is(err, connector.ErrNotFound):
			t.Errorf("%s: %v, %v; want NOT-FOUND", tt.name, r, err)
		case tt.want != "" && (err != nil || val(r.Name) != tt.want):
			t.Errorf("%s: %v, %v; want %s", tt.name, r, err, tt.want)
		}
	}
	_, err := c.Relations.GetRelation(t.Context(), 1)
	if !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("getRelation unknown: %v", err)
	}
	_, err = c.Relations.UpdateRelation(t.Context(), mpluskassa.Relation{RelationNumber: mpluskassa.Ptr[int64](1)})
	if !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("updateRelation unknown: %v", err)
	}
	_, err = c.Relations.CreateRelation(t.Context(), mpluskassa.Relation{Email: mpluskassa.Ptr("x@example.com")})
	wantCode(t, err, mpluskassa.CreateRelationFailed)
}

// TestFaults checks every field of the common Fault shape.
func TestFaults(t *testing.T) {
	t.Run("status, path and times", func(t *testing.T) {
		s, c := start(t)
		s.Inject(Fault{Path: "getBranches", Status: 500, Times: 2})
		if _, err := c.Reference.GetVatGroupList(t.Context()); err != nil {
			t.Errorf("another operation was hit: %v", err)
		}
		for i := range 2 {
			_, err := c.Reference.GetBranches(t.Context())
			var ae *connector.APIError
			if !errors.As(err, &ae) || ae.Code != "Server" || !ae.Temporary || ae.StatusCode != 500 {
				t.Errorf("attempt %d: %v", i, err)
			}
		}
		if _, err := c.Reference.GetBranches(t.Context()); err != nil {
			t.Errorf("fault outlived Times: %v", err)
		}
	})
	t.Run("4xx is a Client fault; method must match", func(t *testing.T) {
		s, c := start(t)
		s.Inject(Fault{Method: http.MethodGet, Status: 400})
		if _, err := c.Reference.GetBranches(t.Context()); err != nil {
			t.Errorf("GET fault hit a POST: %v", err)
		}
		s.ClearFaults()
		s.Inject(Fault{Method: http.MethodPost, Status: 400})
		_, err := c.Reference.GetBranches(t.Context())
		wantCode(t, err, "Client")
	})
	t.Run("retry-after", func(t *testing.T) {
		s, _ := start(t)
		s.Inject(Fault{Status: 429, RetryAfter: 1500 * time.Millisecond})
		status, hdr, body := post(t, s, auth, "", envelope(t, "getBranches", nil))
		if status != 429 || hdr.Get("Retry-After") != "2" || soap.ParseFault(body).Code != "Server" {
			t.Errorf("%d %v %s", status, hdr, body)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		s, c := start(t)
		s.Inject(Fault{Path: "getBranches", Malformed: true})
		_, err := c.Reference.GetBranches(t.Context())
		var me *httpx.MalformedError
		if !errors.As(err, &me) {
			t.Errorf("err = %v, want a MalformedError", err)
		}
	})
	t.Run("drop", func(t *testing.T) {
		s, c := start(t)
		s.Inject(Fault{Drop: true})
		if _, err := c.Reference.GetBranches(t.Context()); err == nil {
			t.Error("dropped connection gave no error")
		}
	})
	t.Run("after commit: write applied, outcome unknown", func(t *testing.T) {
		s, c := start(t)
		s.Inject(Fault{Path: "createRelation", Status: 502, AfterCommit: true})
		_, err := c.Relations.CreateRelation(t.Context(), mpluskassa.Relation{Name: mpluskassa.Ptr("Ghost")})
		if !errors.Is(err, connector.ErrOutcomeUnknown) {
			t.Errorf("err = %v, want outcome unknown", err)
		}
		if _, rels, _ := s.Counts(); rels != 1 {
			t.Errorf("%d relations stored, want 1 (applied before failing)", rels)
		}
	})
	t.Run("delay", func(t *testing.T) {
		s, c := start(t)
		s.Inject(Fault{Delay: time.Hour})
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		if _, err := c.Reference.GetBranches(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want deadline exceeded", err)
		}
	})
	t.Run("latency", func(t *testing.T) {
		s, c := start(t)
		s.SetLatency(time.Hour)
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		if _, err := c.Reference.GetBranches(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want deadline exceeded", err)
		}
		s.SetLatency(0)
		if _, err := c.Reference.GetBranches(t.Context()); err != nil {
			t.Error(err)
		}
	})
}

func TestCounters(t *testing.T) {
	s, c := start(t)
	_, _ = c.Reference.GetBranches(t.Context())
	_, _ = c.Reference.GetBranches(t.Context())
	_, _ = c.GetAPIVersion(t.Context())
	post(t, s, auth, "", []byte("junk"))
	if s.Requests() != 4 || s.RequestsFor("getBranches") != 2 || s.RequestsFor("") != 1 {
		t.Errorf("requests %d, getBranches %d, unreadable %d", s.Requests(), s.RequestsFor("getBranches"), s.RequestsFor(""))
	}
	if got := s.CallsString(); got != " 1\ngetApiVersion 1\ngetBranches 2\n" {
		t.Errorf("CallsString = %q", got)
	}
	s.ResetCounters()
	if s.Requests() != 0 || len(s.Calls()) != 0 {
		t.Error("counters not reset")
	}
}

func TestReferenceData(t *testing.T) {
	s, c := start(t)
	ctx := t.Context()
	bs, err := c.Reference.GetBranches(ctx)
	if err != nil || len(bs) != 2 || len(bs[1].Workplaces.Workplace) != 2 {
		t.Errorf("branches %+v %v", bs, err)
	}
	tg, err := c.Reference.GetTurnoverGroups(ctx, mpluskassa.GetTurnoverGroupsRequest{})
	if err != nil || len(tg) != 3 {
		t.Errorf("turnover groups %+v %v", tg, err)
	}
	pm, err := c.Reference.GetPaymentMethods(ctx)
	if err != nil || len(pm) != 3 || pm[0].Method != "CONTANT" {
		t.Errorf("payment methods %+v %v", pm, err)
	}
	if _, err := s.AddEmployee(mpluskassa.Employee{EmployeeNumber: mpluskassa.Ptr[int64](7), Name: mpluskassa.Ptr("Piet")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEmployee(mpluskassa.Employee{}); err == nil {
		t.Error("employee without number accepted")
	}
	var emps []int64
	for e, err := range c.Employees.All(ctx, mpluskassa.GetEmployeesRequest{SyncMarkerLimit: mpluskassa.Ptr(1)}) {
		if err != nil {
			t.Fatal(err)
		}
		emps = append(emps, *e.EmployeeNumber)
	}
	if diff := cmp.Diff([]int64{999999, 7}, emps); diff != "" {
		t.Errorf("employees (-want +got)\n%s", diff)
	}
	v, err := c.GetAPIVersion(ctx)
	if err != nil || v.MajorNumber != 67 {
		t.Errorf("version %+v %v", v, err)
	}
	s.AddVatGroup(mpluskassa.VatGroup{VatCode: 4, VatPercentage: 13})
	vg, err := c.Reference.GetVatGroupList(ctx)
	if err != nil || len(vg) != 7 {
		t.Errorf("vat groups %d %v", len(vg), err)
	}
}

func TestCloneIsDeep(t *testing.T) {
	a := mpluskassa.Order{ExtOrderID: mpluskassa.Ptr("x"), LineList: &mpluskassa.LineList{Line: []mpluskassa.Line{{ArticleNumber: 1,
		Data: &mpluskassa.LineData{Quantity: 1, AveragePurchasePrice: mpluskassa.Ptr(dec("1.5"))}}}}}
	b := clone(a)
	*b.ExtOrderID = "y"
	b.LineList.Line[0].Data.Quantity = 2
	if *a.ExtOrderID != "x" || a.LineList.Line[0].Data.Quantity != 1 || !b.LineList.Line[0].Data.AveragePurchasePrice.Equal(dec("1.5")) {
		t.Errorf("clone shares memory: %+v", a)
	}
	m := map[string][]int{"a": {1}}
	mc := clone(m)
	mc["a"][0] = 9
	if m["a"][0] != 1 {
		t.Error("map clone shares slices")
	}
	dst := mpluskassa.Relation{Name: mpluskassa.Ptr("keep"), City: mpluskassa.Ptr("old")}
	merge(&dst, mpluskassa.Relation{City: mpluskassa.Ptr("new"), RelationNumber: mpluskassa.Ptr[int64](5)}, "RelationNumber")
	if *dst.Name != "keep" || *dst.City != "new" || dst.RelationNumber != nil {
		t.Errorf("merge: %+v", dst)
	}
}
