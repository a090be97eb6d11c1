package flow_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/flow/flowtest"
)

// BenchmarkOrderFlowAPICalls measures API calls per order for a mix where
// most orders come from repeat customers (1 000 orders, 100 customers,
// three SKUs), counting every call on both ends. The goal is ≤ 3.2.
func BenchmarkOrderFlowAPICalls(b *testing.B) {
	const orders, customers = 1000, 100
	var perOrder float64
	for b.Loop() {
		p := newPair()
		for i := range orders {
			company := ""
			if (i%customers)%4 == 0 { // a quarter of the customers are companies
				company = fmt.Sprintf("Firma %d", i%customers)
			}
			p.shop.AddOrder(shopOrder(i, fmt.Sprintf("k%d@example.nl", i%customers), company, true, connector.StatusProcessing, "MUG-1", "TEA-1"))
		}
		p.shop.ResetCalls()
		p.books.ResetCalls()
		f, err := flow.NewOrders(p.shop, p.books, flow.OrderConfig{Options: flow.Options{Store: p.store, Concurrency: 8}})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := f.Run(b.Context())
		if err != nil || rep.Count(flow.Created) != orders {
			b.Fatalf("run: %v %s", err, counts(rep))
		}
		perOrder = float64(p.shop.TotalCalls()+p.books.TotalCalls()) / orders
	}
	b.ReportMetric(perOrder, "calls/order")
}

// BenchmarkProductFlowHeap streams 100 000 generated products through the
// product flow, with the embedded SQLite state store, into a sink that keeps
// nothing, and reports the peak heap in use (goal < 64 MiB).
func BenchmarkProductFlowHeap(b *testing.B) {
	const n = 100_000
	var peak atomic.Uint64
	for b.Loop() {
		runtime.GC()
		src := &flowtest.Catalog{N: n, Since: t0}
		sink := &flowtest.Discard{}
		store, err := flow.OpenSQLite(filepath.Join(b.TempDir(), "state.db"))
		if err != nil {
			b.Fatal(err)
		}
		f, err := flow.NewProducts(src, sink, flow.ProductConfig{Options: flow.Options{Concurrency: 8, Store: store}})
		if err != nil {
			b.Fatal(err)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			var ms runtime.MemStats
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			for {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		})
		rep, err := f.Run(b.Context())
		close(stop)
		wg.Wait()
		store.Close()
		if err != nil || rep.Count(flow.Created) != n {
			b.Fatalf("run: %v %s", err, counts(rep))
		}
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(n), "products")
}
