package eaccountingtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
)

// raw sends one request to the fake and returns status, headers and body.
func raw(t *testing.T, method, u, token string, body any) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func decodeErr(t *testing.T, b []byte) eaccounting.ErrorBody {
	t.Helper()
	var e eaccounting.ErrorBody
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("error body %s: %v", b, err)
	}
	if e.ErrorID == "" {
		t.Errorf("error body without ErrorId: %s", b)
	}
	return e
}

func tokenRequest(t *testing.T, srv *eaccountingtest.Server, id, secret string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(id, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestTokenEndpoint(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	tok := srv.Token()
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}
	tests := []struct {
		name       string
		id, secret string
		form       url.Values
		status     int
		errCode    string
	}{
		{"no client authentication", "", "", refresh, 401, "invalid_client"},
		{"wrong secret", eaccountingtest.ClientID, "nope", refresh, 401, "invalid_client"},
		{"unknown grant", eaccountingtest.ClientID, eaccountingtest.ClientSecret, url.Values{"grant_type": {"password"}}, 400, "unsupported_grant_type"},
		{"unknown code", eaccountingtest.ClientID, eaccountingtest.ClientSecret, url.Values{"grant_type": {"authorization_code"}, "code": {"x"}}, 400, "invalid_grant"},
		{"refresh", eaccountingtest.ClientID, eaccountingtest.ClientSecret, refresh, 200, ""},
		{"the used refresh token again", eaccountingtest.ClientID, eaccountingtest.ClientSecret, refresh, 400, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := tokenRequest(t, srv, tt.id, tt.secret, tt.form)
			if status != tt.status || tt.errCode != "" && body["error"] != tt.errCode {
				t.Fatalf("%d %v, want %d %s", status, body, tt.status, tt.errCode)
			}
			if status == 200 {
				if body["token_type"] != "Bearer" || body["expires_in"] != float64(3600) || body["refresh_token"] == tok.RefreshToken || body["access_token"] == "" {
					t.Errorf("token answer %v", body)
				}
				if code, _, _ := raw(t, "GET", srv.APIURL()+"/units", body["access_token"].(string), nil); code != 200 {
					t.Errorf("the new access token is refused: %d", code)
				}
			}
		})
	}
	if srv.TokenGrants("refresh_token") != 1 {
		t.Errorf("%d refresh grants", srv.TokenGrants("refresh_token"))
	}
}

func TestBearerTokens(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	tok := srv.Token()
	for _, token := range []string{"", "made-up"} {
		code, _, b := raw(t, "GET", srv.APIURL()+"/units", token, nil)
		if code != 401 || decodeErr(t, b).ErrorCode != 4005 {
			t.Errorf("token %q: %d %s", token, code, b)
		}
	}
	if code, _, _ := raw(t, "GET", srv.APIURL()+"/units", tok.AccessToken, nil); code != 200 {
		t.Errorf("valid token: %d", code)
	}
	srv.ExpireAccessTokens()
	if code, _, _ := raw(t, "GET", srv.APIURL()+"/units", tok.AccessToken, nil); code != 401 {
		t.Errorf("expired token: %d", code)
	}
	short := eaccountingtest.New(eaccountingtest.WithTokenLifetime(time.Nanosecond))
	defer short.Close()
	if code, _, _ := raw(t, "GET", short.APIURL()+"/units", short.Token().AccessToken, nil); code != 401 {
		t.Errorf("token past its lifetime: %d", code)
	}
}

func seedCustomers(t *testing.T, srv *eaccountingtest.Server, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		id, err := srv.SeedCustomer(eaccounting.Customer{Name: fmt.Sprintf("Klant %d", i), IsPrivatePerson: i%2 == 0, IsActive: true,
			EmailAddress: fmt.Sprintf("klant%d@example.com", i), InvoicePostalCode: "1000AA", InvoiceCity: []string{"Utrecht", "Amsterdam"}[i%2]})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

type listAnswer struct {
	Meta eaccounting.Meta
	Data []map[string]any
}

func TestPaging(t *testing.T) {
	srv := eaccountingtest.New(eaccountingtest.WithMaxPageSize(4))
	defer srv.Close()
	seedCustomers(t, srv, 7)
	tok := srv.Token().AccessToken
	tests := []struct {
		query            string
		page, size, tot  int
		results, records int
	}{
		{"", 1, 50, 1, 7, 7},
		{"?$page=2&$pagesize=3", 2, 3, 3, 7, 3},
		{"?$page=3&$pagesize=3", 3, 3, 3, 7, 1},
		{"?$page=4&$pagesize=3", 4, 3, 3, 7, 0},
		{"?$pagesize=100", 1, 4, 2, 7, 4},
	}
	srv2 := eaccountingtest.New()
	defer srv2.Close()
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			s, token := srv, tok
			if tt.query == "" { // default page size on a server without cap
				s, token = srv2, srv2.Token().AccessToken
				seedCustomers(t, s, 7)
			}
			code, _, b := raw(t, "GET", s.APIURL()+"/customers"+tt.query, token, nil)
			var a listAnswer
			if err := json.Unmarshal(b, &a); code != 200 || err != nil {
				t.Fatalf("%d %v %s", code, err, b)
			}
			m := a.Meta
			if m.CurrentPage != tt.page || m.PageSize != tt.size || m.TotalNumberOfPages != tt.tot || m.TotalNumberOfResults != tt.results ||
				len(a.Data) != tt.records || m.ServerTimeUtc.IsZero() {
				t.Errorf("meta %+v with %d records", m, len(a.Data))
			}
		})
	}
	for _, q := range []string{"?$page=0", "?$pagesize=x", "?$page=-1"} {
		if code, _, b := raw(t, "GET", srv.APIURL()+"/customers"+q, tok, nil); code != 400 || decodeErr(t, b).ErrorCode != 2000 {
			t.Errorf("%s: %d %s", q, code, b)
		}
	}
}

func TestFilter(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	ids := seedCustomers(t, srv, 6)
	tok := srv.Token().AccessToken
	tests := []struct {
		filter string
		want   []string // customer names
	}{
		{"EmailAddress eq 'KLANT1@example.com'", []string{"Klant 1"}},
		{"EmailAddress eq 'klant1@example'", nil},
		{"CustomerNumber eq '1001' or CustomerNumber eq '1003'", []string{"Klant 0", "Klant 2"}},
		{"IsPrivatePerson eq true and InvoiceCity eq 'Utrecht'", []string{"Klant 0", "Klant 2", "Klant 4"}},
		{"(IsPrivatePerson eq false) and not (Name eq 'Klant 1')", []string{"Klant 3", "Klant 5"}},
		{"contains(Name,'nt 5') or startswith(Name,'Klant 4') or endswith(EmailAddress,'klant3@example.com')", []string{"Klant 3", "Klant 4", "Klant 5"}},
		{"Id eq " + ids[2], []string{"Klant 2"}},
		{"ChangedUtc ge 2000-01-01T00:00:00Z and ChangedUtc lt 2999-01-01T00:00:00Z", []string{"Klant 0", "Klant 1", "Klant 2", "Klant 3", "Klant 4", "Klant 5"}},
		{"Note eq null and Name ne 'Klant 0' and Name gt 'Klant 3'", []string{"Klant 4", "Klant 5"}},
		{"TermsOfPayment/NumberOfDays eq 30 and Name eq 'It''s'", nil},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			code, _, b := raw(t, "GET", srv.APIURL()+"/customers?$filter="+url.QueryEscape(tt.filter), tok, nil)
			var a listAnswer
			if err := json.Unmarshal(b, &a); code != 200 || err != nil {
				t.Fatalf("%d %s", code, b)
			}
			var got []string
			for _, c := range a.Data {
				got = append(got, c["Name"].(string))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{"Name eq", "Name eq 'open", "Rows/any(r: r/Text eq 'x')", "Name like 'x'", "eq 'x'", "Name eq 'a' and"} {
		if code, _, b := raw(t, "GET", srv.APIURL()+"/customers?$filter="+url.QueryEscape(bad), tok, nil); code != 400 || decodeErr(t, b).ErrorCode != 2000 {
			t.Errorf("%q: %d %s", bad, code, b)
		}
	}
	srv.RejectFilterOn("EmailAddress")
	if code, _, b := raw(t, "GET", srv.APIURL()+"/customers?$filter="+url.QueryEscape("Name eq 'x' or EmailAddress eq 'y'"), tok, nil); code != 400 {
		t.Errorf("rejected property: %d %s", code, b)
	}
}

func TestFullReplacePUT(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	id, err := srv.SeedRaw("customers", map[string]any{"Name": "A", "IsPrivatePerson": true, "IsActive": true, "InvoicePostalCode": "1",
		"InvoiceCity": "B", "TermsOfPaymentId": eaccountingtest.TermsNet30ID, "Note": "keep me?", "Telephone": "123"})
	if err != nil {
		t.Fatal(err)
	}
	put := map[string]any{"Name": "A2", "IsPrivatePerson": true, "IsActive": true, "InvoicePostalCode": "1", "InvoiceCity": "B",
		"TermsOfPaymentId": eaccountingtest.TermsNet30ID, "Telephone": "456", "Id": "ignored-read-only"}
	code, _, b := raw(t, "PUT", srv.APIURL()+"/customers/"+id, srv.Token().AccessToken, put)
	if code != 200 {
		t.Fatalf("%d %s", code, b)
	}
	rec := srv.Record("customers", id)
	if rec["Note"] != nil || rec["Name"] != "A2" || rec["Telephone"] != "456" || rec["Id"] != id || rec["CustomerNumber"] != "1001" {
		t.Errorf("after PUT: %v", rec)
	}
	if code, _, _ := raw(t, "PUT", srv.APIURL()+"/customers/0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b", srv.Token().AccessToken, put); code != 404 {
		t.Errorf("PUT of an unknown id: %d", code)
	}
}

func TestValidation(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	tok := srv.Token().AccessToken
	cust, _ := srv.SeedCustomer(eaccounting.Customer{Name: "A", IsActive: true, InvoicePostalCode: "1", InvoiceCity: "B", CustomerNumber: "K1"})
	art, _ := srv.SeedArticle(eaccounting.Article{Number: "A1", Name: "A", IsActive: true, NetPrice: eaccounting.NumInt(10)})
	tests := []struct {
		name   string
		path   string
		body   any
		code   int
		fields []string
	}{
		{"customer without required fields", "/customers", map[string]any{}, 2000,
			[]string{"InvoiceCity", "InvoicePostalCode", "Name", "TermsOfPaymentId"}},
		{"customer name too long", "/customers", map[string]any{"Name": strings.Repeat("n", 51), "InvoiceCity": "B", "InvoicePostalCode": "1",
			"TermsOfPaymentId": eaccountingtest.TermsNet30ID}, 2000, []string{"Name"}},
		{"customer with a bad id and a wrong type", "/customers", map[string]any{"Name": "N", "InvoiceCity": "B", "InvoicePostalCode": "1",
			"TermsOfPaymentId": "not-a-guid", "IsActive": "yes"}, 2000, []string{"IsActive", "TermsOfPaymentId"}},
		{"unknown terms of payment", "/customers", map[string]any{"Name": "N", "InvoiceCity": "B", "InvoicePostalCode": "1",
			"TermsOfPaymentId": "0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b"}, 3000, []string{"TermsOfPaymentId"}},
		{"duplicate customer number", "/customers", map[string]any{"Name": "N", "InvoiceCity": "B", "InvoicePostalCode": "1",
			"TermsOfPaymentId": eaccountingtest.TermsNet30ID, "CustomerNumber": "K1"}, 4000, []string{"CustomerNumber"}},
		{"gross price off by a cent", "/articles", map[string]any{"Number": "A2", "Name": "A", "IsActive": true, "NetPrice": 10, "GrossPrice": 12.11,
			"CodingId": eaccountingtest.Coding21ID, "UnitId": eaccountingtest.UnitPiecesID}, 2000, []string{"GrossPrice"}},
		{"duplicate article number", "/articles", map[string]any{"Number": "A1", "Name": "A", "IsActive": true, "NetPrice": 10, "GrossPrice": 12.1,
			"CodingId": eaccountingtest.Coding21ID, "UnitId": eaccountingtest.UnitPiecesID}, 4000, []string{"Number"}},
		{"order row with unknown article", "/orders", map[string]any{"CustomerId": cust, "CurrencyCode": "EUR", "Status": 2,
			"Rows": []any{map[string]any{"LineNumber": 1, "ArticleId": "0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b", "IsTextRow": false}}}, 3000, []string{"Rows[0].ArticleId"}},
		{"order status out of range", "/orders", map[string]any{"CustomerId": cust, "CurrencyCode": "EUR", "Status": 7}, 2000, []string{"Status"}},
		{"order without currency", "/orders", map[string]any{"CustomerId": cust, "Status": 2,
			"Rows": []any{map[string]any{"ArticleId": art, "LineNumber": 1}}}, 2000, []string{"CurrencyCode"}},
		{"text row without text", "/customerinvoicedrafts", map[string]any{"CustomerId": cust, "Rows": []any{map[string]any{"IsTextRow": true}}},
			2000, []string{"Rows[0].Text"}},
		{"draft for an unknown customer", "/customerinvoicedrafts", map[string]any{"CustomerId": "0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b"}, 3000, []string{"CustomerId"}},
		{"body is not an object", "/quotes", "[1,2]", 2000, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, b := raw(t, "POST", srv.APIURL()+tt.path, tok, tt.body)
			e := decodeErr(t, b)
			if code != 400 || e.ErrorCode != tt.code {
				t.Fatalf("%d %s", code, b)
			}
			var fields []string
			for _, f := range e.Errors {
				fields = append(fields, f.Field)
			}
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	srv := eaccountingtest.New(eaccountingtest.WithRateLimit(2, time.Minute))
	defer srv.Close()
	tok := srv.Token().AccessToken
	for range 2 {
		if code, _, _ := raw(t, "GET", srv.APIURL()+"/units", tok, nil); code != 200 {
			t.Fatal(code)
		}
	}
	code, h, b := raw(t, "GET", srv.APIURL()+"/units/"+eaccountingtest.UnitPiecesID, tok, nil)
	e := decodeErr(t, b)
	if code != 429 || e.ErrorCode != 4010 ||
		!regexp.MustCompile(`^API calls quota exceeded! maximum admitted 2 per Minute\. Try again in \d+ seconds\.$`).MatchString(e.DeveloperErrorMessage) ||
		h.Get("Retry-After") == "" {
		t.Errorf("%d %v %s", code, h, b)
	}
	// The same shape as Visma's documented body.
	var doc, got map[string]any
	_ = json.Unmarshal(b, &got)
	fixture, _ := readFixture("error-429.rate-limit.json")
	_ = json.Unmarshal(fixture, &doc)
	if keys(doc) != keys(got) {
		t.Errorf("keys %s, want %s", keys(got), keys(doc))
	}
	if code, _, _ := raw(t, "GET", srv.APIURL()+"/articles", tok, nil); code != 200 {
		t.Errorf("another endpoint is limited too: %d", code)
	}
}

func readFixture(name string) ([]byte, error) { return os.ReadFile("../testdata/" + name) }

// keys lists the non-null keys of m, sorted.
func keys(m map[string]any) string {
	var ks []string
	for k, v := range m {
		if v != nil {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return fmt.Sprint(ks)
}

func TestFaults(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	tok := srv.Token().AccessToken
	u := srv.APIURL() + "/units"
	srv.Inject(eaccountingtest.Fault{Method: "POST", Path: "/v2/units", Status: 500}) // does not match GET
	srv.Inject(eaccountingtest.Fault{Path: "/v2/units", Status: 503, RetryAfter: 3 * time.Second, Times: 2})
	for range 2 {
		code, h, b := raw(t, "GET", u, tok, nil)
		if code != 503 || h.Get("Retry-After") != "3" || decodeErr(t, b).DeveloperErrorMessage == "" {
			t.Errorf("%d %v %s", code, h, b)
		}
	}
	if code, _, _ := raw(t, "GET", u, tok, nil); code != 200 {
		t.Errorf("after Times: %d", code)
	}
	srv.Inject(eaccountingtest.Fault{Path: "/v2/units", Malformed: true, Delay: time.Millisecond})
	code, _, b := raw(t, "GET", u, tok, nil)
	if code != 200 || json.Valid(b) {
		t.Errorf("malformed: %d %s", code, b)
	}
	srv.Inject(eaccountingtest.Fault{Path: "/v2/units", Drop: true})
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	// A fresh connection: net/http repeats a GET that fails on a reused one.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Error("drop: got an answer")
	}
	srv.Inject(eaccountingtest.Fault{Method: "POST", Path: "/v2/customers", Status: 504, AfterCommit: true})
	code, _, _ = raw(t, "POST", srv.APIURL()+"/customers", tok, map[string]any{"Name": "N", "InvoiceCity": "B", "InvoicePostalCode": "1",
		"TermsOfPaymentId": eaccountingtest.TermsNet30ID, "IsActive": true, "IsPrivatePerson": true})
	if code != 504 || srv.Count("customers") != 1 {
		t.Errorf("after commit: %d with %d customers stored", code, srv.Count("customers"))
	}
}

func TestCountersAndLatency(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	srv.SetLatency(time.Millisecond)
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := c.Units.Get(ctx, eaccountingtest.UnitPiecesID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Countries.Get(ctx, "se"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Customers.Get(ctx, "0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b"); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
	want := map[string]int64{"GET /v2/units/{id}": 1, "GET /v2/countries/{id}": 1, "GET /v2/customers/{id}": 1}
	if diff := cmp.Diff(want, srv.RequestCounts()); diff != "" || srv.Requests() != 3 || srv.RequestsFor("GET", "/v2/units/{id}") != 1 {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	srv.ResetCounters()
	if srv.Requests() != 0 || len(srv.RequestCounts()) != 0 {
		t.Error("ResetCounters left counts")
	}
}

func TestBookDraftAndOrderActions(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx := t.Context()
	cust, _ := srv.SeedCustomer(eaccounting.Customer{Name: "A", IsActive: true, InvoicePostalCode: "1", InvoiceCity: "B", EmailAddress: "a@example.com"})
	art, _ := srv.SeedArticle(eaccounting.Article{Number: "A1", Name: "Mok", IsActive: true, NetPrice: eaccounting.NumInt(10)})
	d, err := c.InvoiceDrafts.Create(ctx, &eaccounting.InvoiceDraft{CustomerID: cust, BuyersOrderReference: "R1",
		Rows: []eaccounting.InvoiceDraftRow{{Row: eaccounting.Row{ArticleID: art, Quantity: eaccounting.NumInt(3), UnitPrice: eaccounting.NumInt(10)}}}})
	if err != nil {
		t.Fatal(err)
	}
	if !d.TotalAmount.Equal(decimal.NewFromInt(30)) || !d.TotalVatAmount.Equal(decimal.RequireFromString("6.3")) || d.InvoiceCurrencyCode != "EUR" {
		t.Errorf("draft %+v", d)
	}
	inv, err := c.InvoiceDrafts.Convert(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.InvoiceNumber != 10001 || inv.CreatedFromDraftID != d.ID || inv.BuyersOrderReference != "R1" || inv.CustomerEmail != "a@example.com" ||
		!inv.TotalAmountInvoiceCurrency.Equal(decimal.NewFromInt(30)) || inv.DueDate.Sub(inv.InvoiceDate.Time) != 30*24*time.Hour {
		t.Errorf("invoice %+v", inv)
	}
	if srv.Count("customerinvoicedrafts") != 0 {
		t.Error("the draft is still there")
	}
	o, err := c.Orders.Create(ctx, &eaccounting.Order{CustomerID: cust, CurrencyCode: "EUR", Status: eaccounting.OrderDraft,
		Rows: []eaccounting.OrderRow{{LineNumber: 1, Row: eaccounting.Row{ArticleID: art, Quantity: eaccounting.NumInt(1), UnitPrice: eaccounting.NumInt(10)}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Orders.Complete(ctx, o.ID); err == nil {
		t.Error("a draft order was completed")
	}
	if _, err := c.Orders.Void(ctx, o.ID); err == nil {
		t.Error("an unshipped order was voided")
	}
	if err := c.Orders.Delete(ctx, o.ID); err != nil || srv.Count("orders") != 0 {
		t.Errorf("delete: %v", err)
	}
}

func TestSeedingAndRecords(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	if _, err := srv.SeedRaw("units", map[string]any{}); err == nil {
		t.Error("seeding a read-only register worked")
	}
	if _, err := srv.SeedCustomer(eaccounting.Customer{Name: "no address"}); err == nil {
		t.Error("seeding an invalid customer worked")
	}
	if err := srv.SetStock("missing", decimal.NewFromInt(1), decimal.Zero); err == nil {
		t.Error("SetStock of a missing article worked")
	}
	if srv.Record("nothing", "x") != nil || srv.Record("customers", "x") != nil || srv.Count("nothing") != 0 {
		t.Error("Record or Count of unknown things")
	}
	if err := srv.SetCompany(map[string]any{"CountryCode": "SE", "CurrencyCode": "SEK"}); err != nil {
		t.Fatal(err)
	}
	c, _ := srv.NewClient()
	s, err := c.CompanySettings.Get(t.Context())
	if err != nil || s.CountryCode != "SE" || s.CurrencyCode != "SEK" || s.TermsOfPaymentID != eaccountingtest.TermsNet30ID {
		t.Errorf("company %+v %v", s, err)
	}
}
