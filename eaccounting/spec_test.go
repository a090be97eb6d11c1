package eaccounting_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/tradelink/tradelink/eaccounting"
)

// TestTestdataMatchesSpec validates every payload in testdata against the
// schema it stands for, so the httpmock tests answer what Visma would.
func TestTestdataMatchesSpec(t *testing.T) {
	sp := loadSpec(t)
	cases := map[string]string{
		"error-429.rate-limit.json":                "CommonExtendedBadRequest",
		"error-400.validation.json":                "CommonExtendedBadRequest",
		"customers.list.page1.json":                "PaginatedResponseOfCustomerApi",
		"article.json":                             "ArticleApi",
		"customer.create.request.json":             "CustomerApi",
		"order.create.request.json":                "OrderApi",
		"customerinvoicedraft.create.request.json": "CustomerInvoiceDraftApi",
		"customer.json":                            "CustomerApi",
		"article.mug.json":                         "ArticleApi",
		"order.json":                               "OrderApi",
		"orders.page1.json":                        "PaginatedResponseOfOrderApi",
		"invoicedraft.json":                        "CustomerInvoiceDraftApi",
		"invoice.json":                             "CustomerInvoiceApi",
		"quote.json":                               "QuoteApi",
		"articleaccountcodings.page1.json":         "PaginatedResponseOfArticleAccountCodingApi",
		"termsofpayments.page1.json":               "PaginatedResponseOfTermsOfPaymentApi",
		"units.page1.json":                         "PaginatedResponseOfUnitApi",
		"vatcodes.page1.json":                      "PaginatedResponseOfVatCodeApi",
		"deliverymethods.page1.json":               "PaginatedResponseOfDeliveryMethodApi",
		"deliveryterms.page1.json":                 "PaginatedResponseOfDeliveryTermApi",
		"countries.page1.json":                     "PaginatedResponseOfCountryApi",
		"country.nl.json":                          "CountryApi",
		"companysettings.json":                     "CompanySettingsApi",
	}
	for file, schema := range cases {
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + file)
			if err != nil {
				t.Fatal(err)
			}
			if err := sp.validate(schema, b, strings.Contains(file, "request")); err != nil {
				t.Errorf("%s does not match %s: %v", file, schema, err)
			}
		})
	}
}

// TestFakeAnswersMatchSpec reads every GET operation the client uses from
// the fake, with demo data in it, and validates each answer against the
// operation's response schema.
func TestFakeAnswersMatchSpec(t *testing.T) {
	sp := loadSpec(t)
	f := newFixture(t, eaccounting.ConnectorConfig{})
	ctx := t.Context()
	cust := f.seedCustomer(t, "spec@example.com")
	art := f.seedArticle(t, "SPEC-1", "10.00")
	o := newOrderFor(cust, "SPEC-REF", "SPEC-1")
	for _, kind := range []string{"order", "draft", "invoice", "quote"} {
		o.ExternalRef = "SPEC-" + kind
		if _, err := f.conn.CreateOrder(ctx, kindOf(kind), o); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]string{}
	for _, res := range []string{"orders", "customerinvoicedrafts", "customerinvoices", "quotes", "articleaccountcodings",
		"vatcodes", "termsofpayments", "units", "deliverymethods", "deliveryterms"} {
		ids[res] = firstID(t, f, res)
	}
	ids["customers"], ids["articles"], ids["countries"] = cust, art, "SE"
	tok, err := f.client.OAuth.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, op := range sp.ops {
		if op.method != http.MethodGet {
			continue
		}
		path := op.path
		if i := strings.Index(path, "{"); i >= 0 {
			res := strings.Trim(path[:i], "/")
			path = path[:i] + ids[res] + path[strings.Index(path, "}")+1:]
		}
		body := getRaw(t, ctx, f.srv.APIURL()+path, tok.AccessToken)
		if err := sp.validate(op.response, body, false); err != nil {
			t.Errorf("GET %s does not match %s: %v", path, op.response, err)
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("checked %d GET operations, want every one the client uses", checked)
	}
}

func firstID(t *testing.T, f *fixture, resource string) string {
	t.Helper()
	tok, _ := f.client.OAuth.Token(t.Context())
	body := getRaw(t, t.Context(), f.srv.APIURL()+"/"+resource+"?$pagesize=1", tok.AccessToken)
	const key = `"Id":"`
	i := strings.Index(string(body), key)
	if i < 0 {
		t.Fatalf("no record in %s: %s", resource, body)
	}
	rest := string(body)[i+len(key):]
	return rest[:strings.IndexByte(rest, '"')]
}

func getRaw(t *testing.T, ctx context.Context, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return b
}
