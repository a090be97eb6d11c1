package ccvshop_test

import (
	"fmt"
	"testing"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/connector"
)

// BenchmarkOrdersSource reports API calls per order of the order stream:
// one list request per page plus one rows request per order.
func BenchmarkOrdersSource(b *testing.B) {
	srv, _, conn := newShop(b, ccvshop.WithLimiter(nil))
	srv.DisableLimits() // measures calls, not the limit
	seedOrders(srv, 200)
	srv.ResetCounters()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, err := range conn.Orders(b.Context(), connector.OrderQuery{PageSize: 100}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(srv.Requests())/float64(n), "calls/order")
}

// BenchmarkFindCustomerByEmail reports API calls per lookup once the index
// is built (a hit is confirmed with one GET).
func BenchmarkFindCustomerByEmail(b *testing.B) {
	srv, _, conn := newShop(b, ccvshop.WithLimiter(nil))
	srv.DisableLimits()
	seedUsers(srv, 1000)
	if _, err := conn.FindCustomerByEmail(b.Context(), "seeded1@example.nl"); err != nil {
		b.Fatal(err)
	}
	srv.ResetCounters()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := conn.FindCustomerByEmail(b.Context(), fmt.Sprintf("seeded%d@example.nl", n%1000)); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(srv.Requests())/float64(n), "calls/lookup")
}
