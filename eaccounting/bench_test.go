package eaccounting_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
)

// benchFixture is a fake without a practical rate limit and a connector
// over it.
func benchFixture(b *testing.B) (*eaccountingtest.Server, *eaccounting.Connector) {
	b.Helper()
	srv := eaccountingtest.New(eaccountingtest.WithRateLimit(1<<30, time.Minute))
	b.Cleanup(srv.Close)
	c, err := srv.NewClient(eaccounting.WithLimiter(nil), eaccounting.WithHTTPClient(&http.Client{}))
	if err != nil {
		b.Fatal(err)
	}
	conn, err := eaccounting.NewConnector(c, eaccounting.ConnectorConfig{})
	if err != nil {
		b.Fatal(err)
	}
	return srv, conn
}

// BenchmarkCreateOrder writes orders of three lines and reports the API
// calls each costs once the connector's caches are warm.
func BenchmarkCreateOrder(b *testing.B) {
	srv, conn := benchFixture(b)
	cust, err := srv.SeedCustomer(eaccounting.Customer{Name: "Klant", IsPrivatePerson: true, IsActive: true, InvoicePostalCode: "1", InvoiceCity: "A"})
	if err != nil {
		b.Fatal(err)
	}
	skus := []string{"B1", "B2", "B3"}
	for _, sku := range skus {
		if _, err := srv.SeedArticle(eaccounting.Article{Number: sku, Name: sku, IsActive: true, NetPrice: eaccounting.NumInt(5)}); err != nil {
			b.Fatal(err)
		}
	}
	ctx := b.Context()
	if _, err := conn.CreateOrder(ctx, connector.KindOrder, newOrderFor(cust, "WARM", skus...)); err != nil {
		b.Fatal(err)
	}
	srv.ResetCounters()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := conn.CreateOrder(ctx, connector.KindOrder, newOrderFor(cust, fmt.Sprintf("B-%d", n), skus...)); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(srv.Requests())/float64(n), "calls/order")
}

// BenchmarkProductStream streams 1000 articles in pages of 100 and reports
// the calls per record.
func BenchmarkProductStream(b *testing.B) {
	srv, conn := benchFixture(b)
	for i := range 1000 {
		if _, err := srv.SeedArticle(eaccounting.Article{Number: fmt.Sprintf("P%04d", i), Name: "P", IsActive: true, NetPrice: eaccounting.NumInt(1)}); err != nil {
			b.Fatal(err)
		}
	}
	srv.ResetCounters()
	b.ReportAllocs()
	records := 0
	for b.Loop() {
		for _, err := range conn.Products(b.Context(), connector.ProductQuery{PageSize: 100}) {
			if err != nil {
				b.Fatal(err)
			}
			records++
		}
	}
	b.ReportMetric(float64(srv.Requests())/float64(records), "calls/record")
}
