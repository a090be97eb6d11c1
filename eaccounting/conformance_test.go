package eaccounting_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/connector/connectortest"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
)

// fixture is a fresh fake server with a client and a connector whose every
// API request is validated against Visma's OpenAPI document.
type fixture struct {
	srv    *eaccountingtest.Server
	client *eaccounting.Client
	conn   *eaccounting.Connector
	check  *checkingTransport
}

func newFixture(t *testing.T, cfg eaccounting.ConnectorConfig, opts ...eaccountingtest.Option) *fixture {
	t.Helper()
	srv := eaccountingtest.New(opts...)
	t.Cleanup(srv.Close)
	ct := &checkingTransport{spec: loadSpec(t), next: http.DefaultTransport}
	// No client-side limiter: tests stay fast, and the fake still enforces
	// the published limit.
	c, err := srv.NewClient(eaccounting.WithHTTPClient(&http.Client{Transport: ct}), eaccounting.WithLimiter(nil),
		eaccounting.WithRetry(eaccounting.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	cn, err := eaccounting.NewConnector(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, err := range ct.failures() {
			t.Errorf("request not valid by the OpenAPI document: %v", err)
		}
	})
	return &fixture{srv: srv, client: c, conn: cn, check: ct}
}

// seedCustomer stores a private customer in Amsterdam.
func (f *fixture) seedCustomer(t *testing.T, email string) string {
	t.Helper()
	id, err := f.srv.SeedCustomer(eaccounting.Customer{
		Name: "Jan Jansen", IsPrivatePerson: true, IsActive: true, EmailAddress: email,
		InvoiceAddress1: "Damrak 1", InvoicePostalCode: "1012LG", InvoiceCity: "Amsterdam", InvoiceCountryCode: "NL",
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// seedArticle stores an article of 21 % VAT with a net price.
func (f *fixture) seedArticle(t *testing.T, number, net string) string {
	t.Helper()
	id, err := f.srv.SeedArticle(eaccounting.Article{
		Number: number, Name: "Article " + number, IsActive: true, NetPrice: eaccounting.Num(decimal.RequireFromString(net)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestConformance(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) *connectortest.Harness {
		f := newFixture(t, eaccounting.ConnectorConfig{})
		customerID := f.seedCustomer(t, "harness@example.com")
		f.seedArticle(t, "700001", "10.00")
		f.seedArticle(t, "700002", "4.50")
		return &connectortest.Harness{
			Connector: f.conn,
			PageSize:  4,
			UnknownID: "0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b",
			SeedCustomers: func(t *testing.T, n int) {
				for i := range n {
					f.seedCustomer(t, fmt.Sprintf("seed%d@example.com", i))
				}
			},
			SeedProducts: func(t *testing.T, n int) {
				for i := range n {
					f.seedArticle(t, fmt.Sprintf("9%05d", i), "1.00")
				}
			},
			SeedOrders: func(t *testing.T, n int) {
				art := f.seedArticle(t, "SEEDORDERS", "2.00")
				for i := range n {
					_, err := f.srv.SeedOrder(eaccounting.Order{
						CustomerID: customerID, CurrencyCode: "EUR", Status: eaccounting.OrderOngoing,
						BuyersOrderReference: fmt.Sprintf("SEED-%d", i),
						Rows:                 []eaccounting.OrderRow{{LineNumber: 1, Row: eaccounting.Row{ArticleID: art, Quantity: eaccounting.NumInt(1), UnitPrice: eaccounting.NumInt(2)}}},
					})
					if err != nil {
						t.Fatal(err)
					}
				}
			},
			SeedStock: func(t *testing.T, sku string, onHand, reserved decimal.Decimal) {
				if _, err := f.conn.FindProductBySKU(t.Context(), sku); err != nil {
					f.seedArticle(t, sku, "1.00")
				}
				if err := f.srv.SetStock(sku, onHand, reserved); err != nil {
					t.Fatal(err)
				}
			},
			NewOrder: func(t *testing.T, ref string) connector.Order {
				return connector.Order{
					Number: ref, ExternalRef: ref, Currency: "EUR", Status: connector.StatusProcessing,
					Customer: connector.Customer{ID: customerID, Email: "harness@example.com", FirstName: "Jan", LastName: "Jansen"},
					Lines: []connector.OrderLine{
						{SKU: "700001", Name: "Mug", Quantity: decimal.NewFromInt(2), UnitPrice: decimal.RequireFromString("10.00"), TaxRate: decimal.NewFromInt(21)},
						{SKU: "700002", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.RequireFromString("4.50"), TaxRate: decimal.NewFromInt(21)},
					},
				}
			},
			OrderKinds: []connector.OrderKind{connector.KindOrder, connector.KindDraft, connector.KindInvoice, connector.KindQuote},
		}
	})
}
