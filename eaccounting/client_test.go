package eaccounting_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
)

const mockBase = "https://eaccountingapi.example/v2"

// mockAPI is a client whose requests go to httpmock responders.
type mockAPI struct {
	t    *testing.T
	mt   *httpmock.MockTransport
	c    *eaccounting.Client
	spec *spec
}

func newMock(t *testing.T, opts ...eaccounting.Option) *mockAPI {
	t.Helper()
	mt := httpmock.NewMockTransport()
	store := eaccounting.NewMemoryTokenStore(&oauth2.Token{AccessToken: "test-access", RefreshToken: "test-refresh", Expiry: time.Now().Add(time.Hour)})
	opts = append([]eaccounting.Option{eaccounting.WithHTTPClient(&http.Client{Transport: mt}),
		eaccounting.WithRetry(eaccounting.RetryPolicy{MaxAttempts: 1}), eaccounting.WithLimiter(nil)}, opts...)
	c, err := eaccounting.NewClient(mockBase, eaccounting.Credentials{
		ClientID: "app", ClientSecret: "app-secret", Store: store,
		Endpoint: oauth2.Endpoint{AuthURL: "https://identity.example/connect/authorize", TokenURL: "https://identity.example/connect/token"},
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return &mockAPI{t: t, mt: mt, c: c, spec: loadSpec(t)}
}

func testdata(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pageOf wraps one record of a testdata file into a one-page list answer.
func pageOf(t testing.TB, file string) []byte {
	rec := testdata(t, file)
	return fmt.Appendf(nil, `{"Meta":{"CurrentPage":1,"PageSize":50,"TotalNumberOfPages":1,"TotalNumberOfResults":1,"ServerTimeUtc":"2026-01-15T10:00:00Z"},"Data":[%s]}`, rec)
}

// firstOfPage returns the first record of a list answer in testdata.
func firstOfPage(t testing.TB, file string) []byte {
	var p struct{ Data []json.RawMessage }
	if err := json.Unmarshal(testdata(t, file), &p); err != nil || len(p.Data) == 0 {
		t.Fatalf("%s: %v", file, err)
	}
	return p.Data[0]
}

// call is one expected request with its answer.
type call struct {
	method, path string
	query        url.Values // nil: no query expected
	status       int
	answer       []byte
	body         func(t *testing.T, body map[string]any) // checks of the request body
}

// expect registers the calls in order; each answers once. Every request is
// checked for the bearer token, the JSON headers and, by the OpenAPI
// document, its operation and body.
func (m *mockAPI) expect(calls ...call) {
	var mu sync.Mutex
	next := 0
	m.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		t := m.t
		if next >= len(calls) {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			return httpmock.NewStringResponse(500, ""), nil
		}
		want := calls[next]
		next++
		if r.Method != want.method || r.URL.Path != "/v2"+want.path {
			t.Errorf("request %d: %s %s, want %s /v2%s", next, r.Method, r.URL.Path, want.method, want.path)
		}
		if diff := cmp.Diff(want.query, nilIfEmpty(r.URL.Query())); diff != "" {
			t.Errorf("%s %s query (-want +got):\n%s", r.Method, r.URL.Path, diff)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer test-access" {
			t.Errorf("Authorization = %q", got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("Accept = %q", got)
		}
		if err := m.spec.checkRequest(r); err != nil {
			t.Error(err)
		}
		var b []byte
		if r.Body != nil {
			b, _ = io.ReadAll(r.Body)
		}
		if want.body != nil {
			if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			var body map[string]any
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatalf("body: %v", err)
			}
			want.body(t, body)
		} else if len(b) > 0 {
			t.Errorf("%s %s sent a body: %s", r.Method, r.URL.Path, b)
		}
		status := want.status
		if status == 0 {
			status = http.StatusOK
		}
		resp := httpmock.NewBytesResponse(status, want.answer)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		return resp, nil
	})
	m.t.Cleanup(func() {
		if next != len(calls) {
			m.t.Errorf("%d of %d expected requests were made", next, len(calls))
		}
	})
}

func nilIfEmpty(q url.Values) url.Values {
	if len(q) == 0 {
		return nil
	}
	return q
}

func page1(extra ...string) url.Values {
	q := url.Values{"$page": {"1"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}

// all drains a stream.
func all[T any](seq func(func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func wantKeys(want map[string]any) func(t *testing.T, body map[string]any) {
	return func(t *testing.T, body map[string]any) {
		t.Helper()
		for k, v := range want {
			if diff := cmp.Diff(v, body[k]); diff != "" {
				t.Errorf("body %s (-want +got):\n%s", k, diff)
			}
		}
	}
}

const (
	custID  = "0862e99c-6ab5-48a0-9dc4-5db0b4ca13ac"
	artID   = "640a6b24-3377-4d48-bfec-ce4bcf3e1294"
	orderID = "6630fef7-9fe0-47ed-a871-a2e5c82a1a3c"
	docID   = "2d9c1f0e-5a4b-4c3d-8e7f-6a5b4c3d2e1f"
)

// TestServiceRequests covers each service's request shape: method, path,
// query, headers and body, each body validated against its operation's
// schema; and that the answer decodes.
func TestServiceRequests(t *testing.T) {
	tests := []struct {
		name  string
		calls func(t *testing.T) []call
		run   func(ctx context.Context, c *eaccounting.Client) (any, error)
		check func(t *testing.T, got any)
	}{{
		name: "customers list with filter and page size",
		calls: func(t *testing.T) []call {
			return []call{{method: "GET", path: "/customers", query: page1("$pagesize", "10", "$filter", "CustomerNumber eq 'A''1'"),
				answer: testdata(t, "customers.list.page1.json")}}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			return all(c.Customers.List(ctx, eaccounting.ListOptions{PageSize: 10, Filter: eaccounting.EqString("CustomerNumber", "A'1")}))
		},
		check: func(t *testing.T, got any) {
			cs := got.([]eaccounting.Customer)
			if len(cs) != 1 || cs[0].Name != "Exempel AB" || cs[0].TermsOfPaymentID != "8f2a3c4d-1b2e-4f5a-9c8d-7e6f5a4b3c2d" || cs[0].ChangedUtc.IsZero() {
				t.Errorf("decoded %+v", cs)
			}
		},
	}, {
		name: "customer by e-mail ignores case",
		calls: func(t *testing.T) []call {
			return []call{{method: "GET", path: "/customers", query: page1("$filter", "EmailAddress eq 'INVOICES@example.com'"),
				answer: testdata(t, "customers.list.page1.json")}}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			return c.Customers.FindByEmail(ctx, "INVOICES@example.com")
		},
		check: func(t *testing.T, got any) {
			if got.(*eaccounting.Customer).CustomerNumber != "1001" {
				t.Errorf("got %+v", got)
			}
		},
	}, {
		name: "customer by number",
		calls: func(t *testing.T) []call {
			return []call{{method: "GET", path: "/customers", query: page1("$filter", "CustomerNumber eq '1001'"), answer: testdata(t, "customers.list.page1.json")}}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			return c.Customers.FindByNumber(ctx, "1001")
		},
		check: func(t *testing.T, got any) {
			if got.(*eaccounting.Customer).Name != "Exempel AB" {
				t.Errorf("got %+v", got)
			}
		},
	}, {
		name: "customer get, create, delete",
		calls: func(t *testing.T) []call {
			return []call{
				{method: "GET", path: "/customers/" + custID, answer: testdata(t, "customer.json")},
				{method: "POST", path: "/customers", status: 201, answer: testdata(t, "customer.json"), body: wantKeys(map[string]any{
					"Name": "Acme BV", "IsPrivatePerson": false, "IsActive": true, "InvoicePostalCode": "1000AA", "InvoiceCity": "Amsterdam",
					"TermsOfPaymentId": "8f2a3c4d-1b2e-4f5a-9c8d-7e6f5a4b3c2d", "Id": nil, "CustomerNumber": nil})},
				{method: "DELETE", path: "/customers/" + custID},
			}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			got, err := c.Customers.Get(ctx, custID)
			if err != nil {
				return nil, err
			}
			if _, err := c.Customers.Create(ctx, &eaccounting.Customer{Name: "Acme BV", IsActive: true, InvoicePostalCode: "1000AA",
				InvoiceCity: "Amsterdam", TermsOfPaymentID: "8f2a3c4d-1b2e-4f5a-9c8d-7e6f5a4b3c2d"}); err != nil {
				return nil, err
			}
			return got, c.Customers.Delete(ctx, custID)
		},
		check: func(t *testing.T, got any) {
			if c := got.(*eaccounting.Customer); c.Name != "Bakkerij de Boer BV" || c.VatNumber != "NL123456789B01" {
				t.Errorf("got %+v", c)
			}
		},
	}, {
		name: "customer update keeps what the type does not model",
		calls: func(t *testing.T) []call {
			return []call{
				{method: "GET", path: "/customers/" + custID, answer: testdata(t, "customer.json")},
				{method: "PUT", path: "/customers/" + custID, answer: testdata(t, "customer.json"), body: wantKeys(map[string]any{
					"Telephone": "020 000 0000", "Note": "Levering via achterdeur", "WwwAddress": "https://bakkerijdeboer.example",
					"Name": "Bakkerij de Boer BV", "CustomerNumber": "1001", "IsFutureInvoiceDateAllowed": true,
					"TermsOfPayment": map[string]any{"AvailableForPurchase": true, "AvailableForSales": true, "Id": "8f2a3c4d-1b2e-4f5a-9c8d-7e6f5a4b3c2d",
						"Name": "30 dagen", "NameEnglish": "30 days", "NumberOfDays": float64(30), "TermsOfPaymentTypeId": float64(0), "TermsOfPaymentTypeText": "30 days"},
				})},
			}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			return c.Customers.Update(ctx, custID, func(cu *eaccounting.Customer) error { cu.Telephone = "020 000 0000"; return nil })
		},
	}, {
		name: "articles",
		calls: func(t *testing.T) []call {
			return []call{
				{method: "GET", path: "/articles", query: page1("$filter", "Number eq 'SKU-1'"), answer: pageOf(t, "article.json")},
				{method: "GET", path: "/articles/" + artID, answer: testdata(t, "article.mug.json")},
				{method: "POST", path: "/articles", status: 201, answer: testdata(t, "article.mug.json"), body: wantKeys(map[string]any{
					"Number": "MUG-2", "NetPrice": 10.0, "GrossPrice": 12.1, "StockBalance": 0.0, "StockBalanceAvailable": nil, "Barcodes": []any{
						map[string]any{"Barcode": "8712345678906", "BarcodeType": 0.0}}})},
				{method: "GET", path: "/articles/" + artID, answer: testdata(t, "article.mug.json")},
				{method: "PUT", path: "/articles/" + artID, answer: testdata(t, "article.mug.json"), body: wantKeys(map[string]any{
					"Name": "Grote mok", "NetPrice": 8.26, "SendToWebshop": false, "ShowStockInformation": true})},
			}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			a, err := c.Articles.FindByNumber(ctx, "SKU-1")
			if err != nil || a == nil || !a.StockBalanceAvailable.Equal(dec("7")) || a.GrossPrice.String() != "125" {
				return nil, fmt.Errorf("FindByNumber: %v %+v", err, a)
			}
			if a, err = c.Articles.Get(ctx, artID); err != nil || a.Barcodes[0].Barcode != "8712345678906" {
				return nil, fmt.Errorf("Get: %v %+v", err, a)
			}
			if _, err := c.Articles.Create(ctx, &eaccounting.Article{Number: "MUG-2", Name: "Mok", IsActive: true,
				NetPrice: eaccounting.NumInt(10), GrossPrice: eaccounting.Num(dec("12.1")), CodingID: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c21",
				UnitID: "e1d2c3b4-a596-4877-8899-aabbccddeeff", Barcodes: []eaccounting.Barcode{{Barcode: "8712345678906"}}}); err != nil {
				return nil, err
			}
			return c.Articles.Update(ctx, artID, func(a *eaccounting.Article) error { a.Name = "Grote mok"; return nil })
		},
	}, {
		name: "registers",
		calls: func(t *testing.T) []call {
			return []call{
				{method: "GET", path: "/articleaccountcodings", query: page1(), answer: testdata(t, "articleaccountcodings.page1.json")},
				{method: "GET", path: "/articleaccountcodings/7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c21", answer: firstOfPage(t, "articleaccountcodings.page1.json")},
				{method: "GET", path: "/vatcodes", query: page1(), answer: testdata(t, "vatcodes.page1.json")},
				{method: "GET", path: "/termsofpayments", query: page1(), answer: testdata(t, "termsofpayments.page1.json")},
				{method: "GET", path: "/termsofpayments/8f2a3c4d-1b2e-4f5a-9c8d-7e6f5a4b3c2d", answer: firstOfPage(t, "termsofpayments.page1.json")},
				{method: "GET", path: "/units", query: page1(), answer: testdata(t, "units.page1.json")},
				{method: "GET", path: "/deliverymethods", query: page1(), answer: testdata(t, "deliverymethods.page1.json")},
				{method: "GET", path: "/deliveryterms", query: page1(), answer: testdata(t, "deliveryterms.page1.json")},
				{method: "GET", path: "/countries", query: page1("$pagesize", "3"), answer: testdata(t, "countries.page1.json")},
				{method: "GET", path: "/countries", query: page1("$page", "2", "$pagesize", "3"), answer: []byte(`{"Meta":{"CurrentPage":2,"PageSize":3,"TotalNumberOfPages":2,"TotalNumberOfResults":4,"ServerTimeUtc":"2026-01-15T10:00:00Z"},"Data":[{"Code":"NO","Name":"Norway","NameEnglish":"Norway","IsEuMember":false}]}`)},
				{method: "GET", path: "/countries/NL", answer: testdata(t, "country.nl.json")},
				{method: "GET", path: "/companysettings", answer: testdata(t, "companysettings.json")},
			}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			var out []string
			codings, err := all(c.ArticleAccountCodings.List(ctx, eaccounting.ListOptions{}))
			if err != nil {
				return nil, err
			}
			acct, _ := codings[0].RevenueAccount(eaccounting.EUBusiness)
			out = append(out, fmt.Sprintf("coding %s %s%% eu-b2b %d", codings[0].Name, eaccounting.VATPercent(codings[0].VatRatePercent), acct))
			cd, err := c.ArticleAccountCodings.Get(ctx, codings[0].ID)
			if err != nil {
				return nil, err
			}
			out = append(out, "coding "+cd.VatRate)
			vat, err := all(c.VATCodes.List(ctx, eaccounting.ListOptions{}))
			if err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("vat %s %s", vat[0].Code, vat[0].VatRate))
			terms, err := all(c.TermsOfPayments.List(ctx, eaccounting.ListOptions{}))
			if err != nil {
				return nil, err
			}
			tp, err := c.TermsOfPayments.Get(ctx, terms[0].ID)
			if err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("terms %d %s %d", len(terms), tp.Name, tp.NumberOfDays))
			units, err := all(c.Units.List(ctx, eaccounting.ListOptions{}))
			if err != nil {
				return nil, err
			}
			dm, err := all(c.DeliveryMethods.List(ctx, eaccounting.ListOptions{}))
			if err != nil {
				return nil, err
			}
			dt, err := all(c.DeliveryTerms.List(ctx, eaccounting.ListOptions{}))
			if err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("units %s delivery %s terms %s", units[0].Code, dm[0].Name, dt[0].Code))
			cs, err := all(c.Countries.List(ctx, eaccounting.ListOptions{PageSize: 3}))
			if err != nil {
				return nil, err
			}
			nl, err := c.Countries.Get(ctx, "NL")
			if err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("countries %d %s eu %v", len(cs), nl.Name, nl.IsEuMember))
			s, err := c.CompanySettings.Get(ctx)
			if err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("company %s %s %s", s.CountryCode, s.CurrencyCode, s.TermsOfPaymentID))
			return out, nil
		},
		check: func(t *testing.T, got any) {
			want := []string{"coding Omzet hoog 21% 21% eu-b2b 8100", "coding 21", "vat VH 21", "terms 3 30 dagen 30",
				"units pcs delivery PostNL terms FR", "countries 4 Netherlands eu true", "company NL EUR 8f2a3c4d-1b2e-4f5a-9c8d-7e6f5a4b3c2d"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		},
	}, {
		name: "orders",
		calls: func(t *testing.T) []call {
			return []call{
				{method: "GET", path: "/orders", query: page1("$filter", "BuyersOrderReference eq 'WEB-1001'"), answer: testdata(t, "orders.page1.json")},
				{method: "POST", path: "/orders", status: 201, answer: testdata(t, "order.json"), body: wantKeys(map[string]any{
					"CustomerId": custID, "CurrencyCode": "EUR", "Status": 2.0, "OrderDate": "2026-01-15", "BuyersOrderReference": "WEB-1001",
					"EuThirdParty": false, "RotReducedInvoicingType": 0.0, "ReverseChargeOnConstructionServices": false,
					"Rows": []any{map[string]any{"LineNumber": 1.0, "ArticleId": artID, "IsTextRow": false, "UnitPrice": 8.26, "Quantity": 2.0,
						"DiscountPercentage": 0.0, "IsWorkCost": false, "EligibleForReverseChargeOnVat": false}},
				})},
				{method: "GET", path: "/orders/" + orderID, answer: testdata(t, "order.json")},
				{method: "PUT", path: "/orders/" + orderID, answer: testdata(t, "order.json"), body: wantKeys(map[string]any{
					"Status": 1.0, "DeliveryMethodName": "PostNL", "IsNotDelivered": true})},
				{method: "POST", path: "/orders/" + orderID + "/completed", answer: testdata(t, "order.json")},
				{method: "POST", path: "/orders/" + orderID + "/voided", answer: testdata(t, "order.json")},
				{method: "DELETE", path: "/orders/" + orderID},
			}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			o, err := c.Orders.FindByRef(ctx, "WEB-1001")
			if err != nil || o == nil || *o.Number != 1 || !o.Amount.Equal(dec("16.52")) || len(o.Rows) != 2 || !o.Rows[1].IsTextRow {
				return nil, fmt.Errorf("FindByRef: %v %+v", err, o)
			}
			if _, err := c.Orders.Create(ctx, &eaccounting.Order{CustomerID: custID, CurrencyCode: "EUR", Status: eaccounting.OrderOngoing,
				OrderDate: eaccounting.DateOf(time.Date(2026, 1, 15, 23, 0, 0, 0, time.UTC)), BuyersOrderReference: "WEB-1001",
				Rows: []eaccounting.OrderRow{{LineNumber: 1, Row: eaccounting.Row{ArticleID: artID, UnitPrice: eaccounting.Num(dec("8.26")), Quantity: eaccounting.NumInt(2)}}},
			}); err != nil {
				return nil, err
			}
			if _, err := c.Orders.Update(ctx, orderID, func(o *eaccounting.Order) error { o.Status = eaccounting.OrderDraft; return nil }); err != nil {
				return nil, err
			}
			if _, err := c.Orders.Complete(ctx, orderID); err != nil {
				return nil, err
			}
			if _, err := c.Orders.Void(ctx, orderID); err != nil {
				return nil, err
			}
			return nil, c.Orders.Delete(ctx, orderID)
		},
	}, {
		name: "invoice drafts and invoices",
		calls: func(t *testing.T) []call {
			return []call{
				{method: "GET", path: "/customerinvoicedrafts", query: page1("$filter", "BuyersOrderReference eq 'WEB-1002'"), answer: pageOf(t, "invoicedraft.json")},
				{method: "POST", path: "/customerinvoicedrafts", status: 201, answer: testdata(t, "invoicedraft.json"), body: wantKeys(map[string]any{
					"CustomerId": custID, "BuyersOrderReference": "WEB-1002", "EuThirdParty": false, "RotReducedInvoicingType": 0.0,
					"Rows": []any{map[string]any{"ArticleId": artID, "IsTextRow": false, "UnitPrice": 8.26, "Quantity": 2.0,
						"DiscountPercentage": 0.1, "ReversedConstructionServicesVatFree": false}},
				})},
				{method: "GET", path: "/customerinvoicedrafts/" + docID, answer: testdata(t, "invoicedraft.json")},
				{method: "PUT", path: "/customerinvoicedrafts/" + docID, answer: testdata(t, "invoicedraft.json"), body: wantKeys(map[string]any{
					"YourReference": "Jan", "InvoiceDate": "2026-01-16"})},
				{method: "POST", path: "/customerinvoicedrafts/" + docID + "/convert", status: 201, answer: testdata(t, "invoice.json")},
				{method: "DELETE", path: "/customerinvoicedrafts/" + docID},
				{method: "GET", path: "/customerinvoices", query: page1("modifiedSinceUtc", "2026-01-01T00:00:00Z", "$pagesize", "5"), answer: pageOf(t, "invoice.json")},
				{method: "GET", path: "/customerinvoices", query: page1("$filter", "BuyersOrderReference eq 'WEB-1003'"), answer: pageOf(t, "invoice.json")},
			}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			d, err := c.InvoiceDrafts.FindByRef(ctx, "WEB-1002")
			if err != nil || d == nil || !d.TotalAmount.Equal(dec("14.87")) || d.InvoiceCurrencyCode != "EUR" {
				return nil, fmt.Errorf("FindByRef: %v %+v", err, d)
			}
			if _, err := c.InvoiceDrafts.Create(ctx, &eaccounting.InvoiceDraft{CustomerID: custID, BuyersOrderReference: "WEB-1002",
				Rows: []eaccounting.InvoiceDraftRow{{Row: eaccounting.Row{ArticleID: artID, UnitPrice: eaccounting.Num(dec("8.26")), Quantity: eaccounting.NumInt(2),
					DiscountPercentage: eaccounting.Num(dec("0.1"))}}}}); err != nil {
				return nil, err
			}
			if _, err := c.InvoiceDrafts.Update(ctx, docID, func(d *eaccounting.InvoiceDraft) error { d.YourReference = "Jan"; return nil }); err != nil {
				return nil, err
			}
			inv, err := c.InvoiceDrafts.Convert(ctx, docID)
			if err != nil || inv.InvoiceNumber != 10001 || inv.CreatedFromDraftID == "" {
				return nil, fmt.Errorf("Convert: %v %+v", err, inv)
			}
			if err := c.InvoiceDrafts.Delete(ctx, docID); err != nil {
				return nil, err
			}
			opts := eaccounting.ModifiedSince(time.Date(2026, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)))
			opts.PageSize = 5
			invs, err := all(c.Invoices.List(ctx, opts))
			if err != nil || len(invs) != 1 {
				return nil, fmt.Errorf("List: %v %d", err, len(invs))
			}
			return c.Invoices.FindByRef(ctx, "WEB-1003")
		},
		check: func(t *testing.T, got any) {
			inv := got.(*eaccounting.Invoice)
			if inv.PaymentStatus != 1 || inv.DueDate.Format(time.DateOnly) != "2026-02-15" || len(inv.Rows) != 1 || inv.Rows[0].ArticleNumber != "MUG-1" {
				t.Errorf("invoice %+v", inv)
			}
		},
	}, {
		name: "quotes",
		calls: func(t *testing.T) []call {
			return []call{
				{method: "GET", path: "/quotes", query: page1("$filter", "BuyersOrderReference eq 'WEB-1004'"), answer: pageOf(t, "quote.json")},
				{method: "POST", path: "/quotes", status: 201, answer: testdata(t, "quote.json"), body: wantKeys(map[string]any{
					"CustomerId": custID, "QuoteDate": "2026-01-17", "Status": nil, "Rows": []any{map[string]any{
						"ArticleId": artID, "UnitPrice": 8.26, "Quantity": 1.0, "DiscountPercentage": 0.0, "IsVatFree": false}}})},
				{method: "GET", path: "/quotes/" + docID, answer: testdata(t, "quote.json")},
				{method: "PUT", path: "/quotes/" + docID, answer: testdata(t, "quote.json"), body: wantKeys(map[string]any{"CustomerReference": "Els"})},
				{method: "DELETE", path: "/quotes/" + docID},
			}
		},
		run: func(ctx context.Context, c *eaccounting.Client) (any, error) {
			q, err := c.Quotes.FindByRef(ctx, "WEB-1004")
			if err != nil || q == nil || q.Status != 1 || q.QuoteDate.Format(time.DateOnly) != "2026-01-17" {
				return nil, fmt.Errorf("FindByRef: %v %+v", err, q)
			}
			if _, err := c.Quotes.Create(ctx, &eaccounting.Quote{CustomerID: custID, QuoteDate: eaccounting.DateOf(time.Date(2026, 1, 17, 0, 0, 0, 0, time.UTC)),
				Rows: []eaccounting.QuoteRow{{Row: eaccounting.Row{ArticleID: artID, UnitPrice: eaccounting.Num(dec("8.26")), Quantity: eaccounting.NumInt(1)}}}}); err != nil {
				return nil, err
			}
			if _, err := c.Quotes.Update(ctx, docID, func(q *eaccounting.Quote) error { q.CustomerReference = "Els"; return nil }); err != nil {
				return nil, err
			}
			return nil, c.Quotes.Delete(ctx, docID)
		},
	}}
	sp := loadSpec(t)
	defer func() {
		// Every operation that takes a body was called with one, and it
		// validated. Converting a draft takes an optional body that only
		// asserts totals; the client sends none.
		for _, op := range sp.ops {
			key := op.method + " " + op.path
			if _, ok := sp.validated.Load(key); op.request != "" && !ok && key != "POST /customerinvoicedrafts/{customerInvoiceDraftId}/convert" {
				t.Errorf("no request body of %s was validated", key)
			}
		}
	}()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t)
			m.expect(tt.calls(t)...)
			got, err := tt.run(t.Context(), m.c)
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestPagingIsLazy(t *testing.T) {
	m := newMock(t)
	pageAnswer := func(page, pages int) []byte {
		return fmt.Appendf(nil, `{"Meta":{"CurrentPage":%d,"PageSize":2,"TotalNumberOfPages":%d,"TotalNumberOfResults":%d,"ServerTimeUtc":"2026-01-15T10:00:00Z"},"Data":[{"Code":"a%d"},{"Code":"b%d"}]}`,
			page, pages, 2*pages, page, page)
	}
	m.expect(
		call{method: "GET", path: "/units", query: page1("$pagesize", "2"), answer: pageAnswer(1, 3)},
		call{method: "GET", path: "/units", query: page1("$page", "2", "$pagesize", "2"), answer: pageAnswer(2, 3)},
		call{method: "GET", path: "/units", query: page1("$page", "3", "$pagesize", "2"), answer: pageAnswer(3, 3)},
		call{method: "GET", path: "/units", query: page1("$pagesize", "2"), answer: pageAnswer(1, 3)},
		call{method: "GET", path: "/units", query: page1("$pagesize", "2"), answer: pageAnswer(1, 3)},
		call{method: "GET", path: "/units", query: page1("$page", "2", "$pagesize", "2"), answer: pageAnswer(1, 3)},
	)
	var codes []string
	for u, err := range m.c.Units.List(t.Context(), eaccounting.ListOptions{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, u.Code)
	}
	if fmt.Sprint(codes) != "[a1 b1 a2 b2 a3 b3]" {
		t.Errorf("codes %v", codes)
	}
	// The consumer stops after two records: no second page is fetched.
	for range m.c.Units.List(t.Context(), eaccounting.ListOptions{PageSize: 2}) {
		break
	}
	// A server that ignores $page would loop forever; the client stops.
	var err error
	for _, err = range m.c.Units.List(t.Context(), eaccounting.ListOptions{PageSize: 2}) {
	}
	if err == nil || !strings.Contains(err.Error(), "asked for page 2, got page 1") {
		t.Errorf("err = %v", err)
	}
}

func TestErrorAnswers(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       []byte
		want       eaccounting.APIError
		notFound   bool
		retryable  bool
		retryAfter time.Duration
	}{
		{name: "validation", status: 400, body: testdata(t, "error-400.validation.json"),
			want: eaccounting.APIError{System: "eaccounting", Method: "GET", Path: "/v2/units", StatusCode: 400, Code: "2000",
				Message: "The request is invalid.", RequestID: "5b0c1e2a-7f3d-4c61-9a2e-1d4f6b8c9e01",
				Fields: map[string]string{"InvoicePostalCode": "The InvoicePostalCode field is required."}}},
		{name: "not found", status: 404, body: []byte(`{"ErrorCode":3000,"DeveloperErrorMessage":"Resource not found","ErrorId":"3fa7da17-eeb2-48f6-997d-0be158f4cba4"}`),
			want:     eaccounting.APIError{System: "eaccounting", Method: "GET", Path: "/v2/units", StatusCode: 404, Code: "3000", Message: "Resource not found", RequestID: "3fa7da17-eeb2-48f6-997d-0be158f4cba4"},
			notFound: true},
		{name: "rate limited, wait from the message", status: 429, body: testdata(t, "error-429.rate-limit.json"),
			want: eaccounting.APIError{System: "eaccounting", Method: "GET", Path: "/v2/units", StatusCode: 429, Code: "4010", Temporary: true,
				Message: "API calls quota exceeded! maximum admitted 600 per Minute. Try again in 55 seconds.", RequestID: "3fa7da17-eeb2-48f6-997d-0be158f4cba4",
				RetryAfter: 55 * time.Second},
			retryable: true},
		{name: "rate limited, Retry-After header wins", status: 429, header: http.Header{"Retry-After": {"7"}}, body: testdata(t, "error-429.rate-limit.json"),
			want: eaccounting.APIError{System: "eaccounting", Method: "GET", Path: "/v2/units", StatusCode: 429, Code: "4010", Temporary: true,
				Message: "API calls quota exceeded! maximum admitted 600 per Minute. Try again in 55 seconds.", RequestID: "3fa7da17-eeb2-48f6-997d-0be158f4cba4",
				RetryAfter: 7 * time.Second},
			retryable: true},
		{name: "not the API's body", status: 502, body: []byte("<html>Bad gateway</html>"),
			want:      eaccounting.APIError{System: "eaccounting", Method: "GET", Path: "/v2/units", StatusCode: 502, Message: "<html>Bad gateway</html>"},
			retryable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMock(t, eaccounting.WithRetry(eaccounting.RetryPolicy{MaxAttempts: 3, MaxTotalWait: time.Second, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
			m.mt.RegisterResponder("GET", mockBase+"/units", func(*http.Request) (*http.Response, error) {
				resp := httpmock.NewBytesResponse(tt.status, tt.body)
				for k, v := range tt.header {
					resp.Header[k] = v
				}
				return resp, nil
			})
			_, err := all(m.c.Units.List(t.Context(), eaccounting.ListOptions{Page: 1}))
			var ae *eaccounting.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if diff := cmp.Diff(tt.want, *ae); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			if errors.Is(err, connector.ErrNotFound) != tt.notFound || connector.Retryable(err) != tt.retryable {
				t.Errorf("not found %v retryable %v", errors.Is(err, connector.ErrNotFound), connector.Retryable(err))
			}
			// A wait longer than the retry budget is not waited for.
			if tt.status == 429 && m.mt.GetTotalCallCount() != 1 {
				t.Errorf("%d attempts despite a %s wait", m.mt.GetTotalCallCount(), ae.RetryAfter)
			}
		})
	}
}

func TestRateLimitAnswerIsRetried(t *testing.T) {
	m := newMock(t, eaccounting.WithRetry(eaccounting.RetryPolicy{MaxAttempts: 3}))
	body := strings.Replace(string(testdata(t, "error-429.rate-limit.json")), "55 seconds", "0 seconds", 1)
	m.mt.RegisterResponder("GET", mockBase+"/companysettings", httpmock.ResponderFromMultipleResponses([]*http.Response{
		httpmock.NewStringResponse(429, body), httpmock.NewBytesResponse(200, testdata(t, "companysettings.json")),
	}))
	s, err := m.c.CompanySettings.Get(t.Context())
	if err != nil || s.CountryCode != "NL" {
		t.Fatalf("%v %+v", err, s)
	}
	if n := m.mt.GetTotalCallCount(); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

// TestUnauthorizedRefreshesOnce: a 401 refreshes the token and repeats the
// request once; a second 401 is returned.
func TestUnauthorizedRefreshesOnce(t *testing.T) {
	m := newMock(t)
	refreshes := 0
	m.mt.RegisterResponder("POST", "https://identity.example/connect/token", func(*http.Request) (*http.Response, error) {
		refreshes++
		return httpmock.NewJsonResponse(200, map[string]any{"access_token": fmt.Sprintf("fresh-%d", refreshes), "refresh_token": fmt.Sprintf("rt-%d", refreshes), "expires_in": 3600})
	})
	var seen []string
	m.mt.RegisterResponder("POST", mockBase+"/orders/"+orderID+"/completed", func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") == "Bearer fresh-1" {
			return httpmock.NewBytesResponse(200, testdata(t, "order.json")), nil
		}
		return httpmock.NewStringResponse(401, `{"ErrorCode":4005,"DeveloperErrorMessage":"Authorization has been denied for this request."}`), nil
	})
	if _, err := m.c.Orders.Complete(t.Context(), orderID); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[Bearer test-access Bearer fresh-1]" || refreshes != 1 {
		t.Errorf("tokens sent %v, refreshes %d", seen, refreshes)
	}
	m.mt.RegisterResponder("GET", mockBase+"/units/e1d2c3b4-a596-4877-8899-aabbccddeeff", httpmock.NewStringResponder(401, `{"ErrorCode":4005}`))
	_, err := m.c.Units.Get(t.Context(), "e1d2c3b4-a596-4877-8899-aabbccddeeff")
	var ae *eaccounting.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || refreshes != 2 {
		t.Errorf("err = %v after %d refreshes; want the 401 after one more refresh", err, refreshes)
	}
}

func TestIDsAreEscapedInPaths(t *testing.T) {
	m := newMock(t)
	var got string
	m.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		got = r.URL.EscapedPath()
		return httpmock.NewStringResponse(404, ""), nil
	})
	_, err := m.c.Customers.Get(t.Context(), "../companysettings")
	if got != "/v2/customers/..%2Fcompanysettings" || !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("path %q err %v", got, err)
	}
}

// TestPerEndpointRateLimit runs in a synctest bubble: the limiter's clock
// is the bubble's, so the test checks the request times without waiting.
func TestPerEndpointRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		var mu sync.Mutex
		times := map[string][]time.Time{}
		empty := `{"Meta":{"CurrentPage":1,"PageSize":50,"TotalNumberOfPages":1,"TotalNumberOfResults":0,"ServerTimeUtc":"2026-01-15T10:00:00Z"},"Data":[]}`
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			times[r.URL.Path] = append(times[r.URL.Path], time.Now())
			mu.Unlock()
			return httpmock.NewStringResponse(200, empty), nil
		})
		limited := map[string]int{}
		store := eaccounting.NewMemoryTokenStore(&oauth2.Token{AccessToken: "a", Expiry: time.Now().Add(24 * time.Hour)})
		c, err := eaccounting.NewClient(mockBase, eaccounting.Credentials{ClientID: "id", ClientSecret: "secret", Store: store},
			eaccounting.WithHTTPClient(&http.Client{Transport: mt}),
			eaccounting.WithObserver(func(e connector.CallEvent) {
				if e.Kind == connector.CallRateLimited {
					mu.Lock()
					limited[e.Path]++
					mu.Unlock()
				}
			}))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		get := func(path string) {
			var err error
			switch path {
			case "units":
				_, err = all(c.Units.List(ctx, eaccounting.ListOptions{}))
			case "customers":
				_, err = all(c.Customers.List(ctx, eaccounting.ListOptions{}))
			case "customer":
				_, err = c.Customers.Get(ctx, custID)
			}
			if err != nil && !errors.Is(err, connector.ErrNotFound) {
				t.Fatal(err)
			}
		}
		for range 700 {
			get("units")
		}
		// /customers and /customers/{id} share one quota; /units' quota,
		// used up above, does not slow them.
		for range 5 {
			get("customers")
			get("customer")
		}
		u := times["/v2/units"]
		for i := range u {
			j := i
			for j < len(u) && u[j].Sub(u[i]) < time.Minute {
				j++
			}
			if j-i > 600 {
				t.Fatalf("%d /units requests within one minute from request %d", j-i, i)
			}
		}
		if limited["/v2/units"] != 690 || limited["/v2/customers"]+limited["/v2/customers/"+custID] != 0 {
			t.Errorf("rate-limited waits: %v", limited)
		}
		for range 10 {
			get("customer")
		}
		if limited["/v2/customers/"+custID] == 0 {
			t.Error("the customers quota (10 burst) was not applied across /customers and /customers/{id}")
		}
	})
}

func TestWithLimiterReplacesTheDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		waits := map[string]int{}
		m := newMock(t, eaccounting.WithLimiter(rate.NewLimiter(rate.Every(time.Second), 1)),
			eaccounting.WithObserver(func(e connector.CallEvent) {
				if e.Kind == connector.CallRateLimited {
					waits[e.Path]++
				}
			}))
		m.mt.RegisterNoResponder(httpmock.NewBytesResponder(200, testdata(t, "companysettings.json")))
		for range 3 {
			if _, err := m.c.CompanySettings.Get(context.Background()); err != nil {
				t.Fatal(err)
			}
			if _, err := m.c.Units.Get(context.Background(), "u"); err != nil {
				t.Fatal(err)
			}
		}
		// One limiter for all endpoints: every request after the first waits.
		if diff := cmp.Diff(map[string]int{"/v2/companysettings": 2, "/v2/units/u": 3}, waits); diff != "" {
			t.Errorf("rate-limited waits (-want +got):\n%s", diff)
		}
	})
}
