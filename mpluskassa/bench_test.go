package mpluskassa_test

import (
	"fmt"
	"testing"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/soap"
	"github.com/tradelink/tradelink/mpluskassa"
)

// BenchmarkMarshalOrder measures writing a createOrder envelope with ten
// lines.
func BenchmarkMarshalOrder(b *testing.B) {
	o := filled[mpluskassa.Order]()
	line := o.LineList.Line[0]
	for range 9 {
		o.LineList.Line = append(o.LineList.Line, line)
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		env, err := soap.Marshal(mpluskassa.Namespace, mpluskassa.RequestPrefix, "createOrder", struct {
			Order mpluskassa.Order `xml:"order"`
		}{o})
		if err != nil {
			b.Fatal(err)
		}
		size = len(env)
	}
	b.ReportMetric(float64(size), "bytes/envelope")
}

// BenchmarkProductsStream streams 1000 products from the fake in pages of
// 100 and reports API calls per product.
func BenchmarkProductsStream(b *testing.B) {
	srv, k := newFake(b, mpluskassa.ConnectorConfig{PageSize: 100})
	for i := range 1000 {
		seedArticle(b, srv, int64(800000+i), 995)
	}
	b.ReportAllocs()
	srv.ResetCounters()
	records := 0
	for b.Loop() {
		for _, err := range k.Products(b.Context(), connector.ProductQuery{}) {
			if err != nil {
				b.Fatal(err)
			}
			records++
		}
	}
	b.ReportMetric(float64(srv.Requests())/float64(records), "calls/product")
}

// BenchmarkCreateOrder creates orders end to end on the fake and reports
// API calls per order (findOrder, then createOrderV3).
func BenchmarkCreateOrder(b *testing.B) {
	srv, k := newFake(b, mpluskassa.ConnectorConfig{})
	seedArticle(b, srv, 100101, 1995)
	rel := seedRelation(b, srv, "Bench Customer", "bench@example.com")
	b.ReportAllocs()
	srv.ResetCounters()
	n := 0
	for b.Loop() {
		ref := fmt.Sprintf("B-%d", n)
		n++
		_, err := k.CreateOrder(b.Context(), connector.KindOrder, connector.Order{Number: ref, ExternalRef: ref,
			Customer: connector.Customer{ID: fmt.Sprint(rel)},
			Lines:    []connector.OrderLine{{SKU: "100101", Quantity: dec("1"), UnitPrice: dec("19.95")}}, Currency: "EUR"})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(srv.Requests())/float64(n), "calls/order")
}
