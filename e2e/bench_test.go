package e2e

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"

	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/internal/demo"
	"github.com/tradelink/tradelink/internal/verto"
	"github.com/tradelink/tradelink/mapping"
	"github.com/tradelink/tradelink/mpluskassa"
)

// orderMix is the data of the order benchmarks: the demo's 18 people place
// all orders, so almost every order comes from a repeat customer (the
// customer flow has synced the registered ones before, as in the
// quickstart). Every order is synced: no status or payment filter, so the
// figures are per synced order and CCV Shop streams one listing. (The demo
// shop also holds three stock reservations, orders without a customer that
// fail every run; their row and look-up calls count, spread over the
// synced orders.)
var orderMix = demo.Options{Orders: 200, Products: 24, Seed: 3}

// everyOrder makes w sync every order.
func everyOrder(w *world) { w.statuses, w.paidOnly = nil, false }

// prepare runs the product and customer flows once, with client-side
// limits off, so that the order flow that follows finds every SKU and the
// registered customers in the sink.
func prepare(tb testing.TB, w *world, cc clientConfig) {
	tb.Helper()
	cc.limits = false
	p := w.start(cc)
	defer p.stop()
	for _, entity := range []string{"products", "customers"} {
		if rep, err := p.runFlow(tb.Context(), entity); err != nil || rep.Count(flow.Failed) > 0 {
			tb.Fatalf("prepare %s: %v %s\n%s", entity, err, summary(rep), p.log)
		}
	}
}

// routes lists request counts sorted, for the benchmark log.
func routes(counts map[string]int64) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-40s %d\n", k, counts[k])
	}
	return b.String()
}

// created and summary read a report that may be nil (a run that could not
// start returns none).
func created(rep *flow.Report) int {
	if rep == nil {
		return 0
	}
	return rep.Count(flow.Created)
}

func summary(rep *flow.Report) string {
	if rep == nil {
		return "no report"
	}
	return rep.Summary()
}

func sum(counts map[string]int64) int64 {
	var n int64
	for _, v := range counts {
		n += v
	}
	return n
}

// BenchmarkCallsPerOrder reports the API calls the order flow makes per
// synced order, counted on both fakes — CCV Shop's listing and row calls
// included — for CCV Shop → eAccounting (goal ≤ 3.2) and CCV Shop →
// MplusKASSA, in a fresh process (empty connector caches) after the
// product and customer flows ran.
func BenchmarkCallsPerOrder(b *testing.B) {
	for _, sink := range sinks {
		b.Run(sink, func(b *testing.B) {
			var total, src, dst float64
			var breakdown string
			for b.Loop() {
				w := newWorld(b, sink, orderMix)
				everyOrder(w)
				prepare(b, w, testClients(nil))
				p := w.start(testClients(nil))
				w.shop.ResetCounters()
				w.fake.resetCounters()
				rep, err := p.runFlow(b.Context(), "orders")
				p.stop()
				n := created(rep)
				if err != nil || n != w.data.Orders {
					b.Fatalf("orders: %v: %s (want %d created)\n%s", err, summary(rep), w.data.Orders, p.log)
				}
				shop, sinkCounts := w.shop.Calls(), w.fake.counts()
				src, dst = float64(sum(shop))/float64(n), float64(sum(sinkCounts))/float64(n)
				total = src + dst
				breakdown = fmt.Sprintf("%d orders\nccvshop:\n%s%s:\n%s", n, routes(shop), sink, routes(sinkCounts))
			}
			b.Logf("requests by route:\n%s", breakdown)
			b.ReportMetric(total, "calls/order")
			b.ReportMetric(src, "ccvshop-calls/order")
			b.ReportMetric(dst, sink+"-calls/order")
		})
	}
}

// Latency of every fake answer in the throughput benchmark.
const answerLatency = 50 * time.Millisecond

// BenchmarkOrderThroughput syncs orders with 50 ms latency on every answer
// of every fake and the vendors' real rate limits applied by the clients,
// and reports orders per second as a ratio of the most those limits allow
// (goal ≥ 0.95).
//
// The bound, per order: CCV Shop streams orders as one listing call per
// page of 100 plus one GET /orders/{id}/orderrows/ per order, all through
// the client's read limiter (150 GET a minute: a burst of 10, then 140 a
// minute). The sink's calls per order — find the order by reference,
// create it, look up the customer and SKUs (cached per run) — go through
// eAccounting's per-endpoint limiters (600 a minute each, burst 10; the
// /orders endpoint takes two calls per order) or MplusKASSA's one limiter
// (10 a second, burst 10; three calls per order). So CCV Shop's read
// limiter binds: about 140/60 ÷ 1.01 ≈ 2.3 orders a second. The benchmark
// does not assume this: it counts the calls each limiter admitted during
// the run (on the fakes, which see every attempt) and takes as the bound the
// slowest limiter's least time, (calls − burst) ÷ rate, since a bucket
// starts full.
//
// Real time would make this take minutes, so it runs in virtual time: a
// testing/synctest bubble in which the clients reach CCV Shop's and
// MplusKASSA's http.Handler in memory (no sockets), so limiter waits and
// latency sleeps run on the bubble's clock. eAccounting's fake exposes no
// http.Handler; its requests cross a loopback bridge that costs no virtual
// time (see bridge), and its 50 ms are added on the bubble's clock.
func BenchmarkOrderThroughput(b *testing.B) {
	for _, sink := range sinks {
		b.Run(sink, func(b *testing.B) {
			var res throughput
			for b.Loop() {
				res = measureThroughput(b, sink)
			}
			b.Logf("%d orders in %v of virtual time; bound %v (%s, %d calls); %d answers were 429",
				res.orders, res.elapsed.Round(time.Millisecond), res.bound.Round(time.Millisecond), res.binding, res.bindingCalls, res.throttled)
			b.ReportMetric(float64(res.orders)/res.elapsed.Seconds(), "orders/s")
			b.ReportMetric(float64(res.orders)/res.bound.Seconds(), "max-orders/s")
			b.ReportMetric(res.bound.Seconds()/res.elapsed.Seconds(), "ratio")
		})
	}
}

// throughput is the outcome of one throughput run.
type throughput struct {
	orders       int
	elapsed      time.Duration // virtual time of the order flow's run
	bound        time.Duration // the least time the rate limits allow for its calls
	binding      string        // the limiter that sets the bound
	bindingCalls int64
	throttled    int64 // 429 answers (the client limiters should prevent every one)
}

// throughputMix: enough orders that the start (full buckets) matters little.
var throughputMix = demo.Options{Orders: 240, Products: 24, Seed: 3}

func measureThroughput(b *testing.B, sink string) throughput {
	// The sink fake listens on loopback, so it is made outside the bubble
	// (a listener's goroutine would keep the bubble's clock from moving).
	fake := newSinkFake(b, sink)
	var sinkTransport http.RoundTripper
	var br *bridge
	switch f := fake.(type) {
	case booksFake:
		defer fake.close()
		br = newBridge(16)
		defer br.close()
		sinkTransport = br
	case posFake:
		// Served inside the bubble, so closed there: its WaitGroup of
		// requests in flight belongs to the bubble from the first request.
		sinkTransport = handlerTransport{f.srv}
	}
	var res throughput
	inBubble(b, func(t *testing.T) {
		if br == nil {
			t.Cleanup(fake.close)
		}
		shop := ccvshoptest.New(ccvshoptest.Unstarted())
		w := buildWorld(t, shop, fake, throughputMix)
		everyOrder(w)
		transport := hostRouter{hostOf(shop.URL()): handlerTransport{shop}, hostOf(w.fakeURL()): sinkTransport}
		// Products and customers first, at full speed: no limits, no
		// latency (see soloOrders for why nothing may sleep here).
		shop.DisableLimits()
		prepare(t, w, clientConfig{transport: transport})

		// Now the platform's own limits, on the bubble's clock, and 50 ms
		// on every answer.
		shop.SetLimits(verto.Limits{}, 0)
		shop.SetLatency(answerLatency)
		if br != nil {
			br.latency.Store(int64(answerLatency)) // on the bubble's clock, not the fake's
		} else {
			fake.setLatency(answerLatency)
		}
		var throttled atomic.Int64
		p := w.start(clientConfig{transport: transport, limits: true, observer: func(e connector.CallEvent) {
			if e.Kind == connector.CallAttempt && e.StatusCode == http.StatusTooManyRequests {
				throttled.Add(1)
			}
		}})
		defer p.stop()
		f := soloOrders(t, p)
		w.shop.ResetCounters()
		w.fake.resetCounters()
		start := time.Now()
		rep, err := f.Run(t.Context())
		res.elapsed = time.Since(start)
		if res.orders = created(rep); err != nil || res.orders != w.data.Orders {
			t.Fatalf("orders: %v: %s (want %d created)\n%s", err, summary(rep), w.data.Orders, p.log)
		}
		res.throttled = throttled.Load()
		res.bound, res.binding, res.bindingCalls = limiterBound(limiterCalls(w))
	})
	return res
}

// soloOrders builds the process's order flow as demo.Pair does (the same
// filters and mapping adjustments), with one worker instead of four.
//
// A synctest bubble's clock only moves when every goroutine in it is
// durably blocked, and a goroutine waiting for a sync.Mutex is not. The
// flow serialises the work per customer e-mail and per SKU with a mutex
// held across the sink calls (flow.keyed), and the connectors fill caches
// under a mutex held across the call (eaccounting's company settings and
// codings, mpluskassa's VAT groups). With several workers, one waits for
// such a lock while the holder sleeps in the fake's latency, and the bubble
// never wakes. One worker takes no such lock against another. It costs no
// throughput here: the source's read limiter allows an order every ~430 ms
// and one worker's four sink calls take ~200 ms. (demo.PairConfig has no
// Concurrency; with one, this function would be demo.Pair.)
func soloOrders(t *testing.T, p *process) *flow.OrderFlow {
	t.Helper()
	var cfg demo.PairConfig
	cfg.ForSink(p.sink)
	with := func(e mapping.Entity, m *mapping.Mapping) *mapping.Mapping { return mapping.Default(e).With(m) }
	f, err := flow.NewOrders(p.shop, p.sink.(connector.OrderSink), flow.OrderConfig{
		Options: flow.Options{Store: p.store, Concurrency: 1, Observer: p.events},
		Kind:    connector.KindOrder, Statuses: p.w.statuses, PaidOnly: p.w.paidOnly, Products: cfg.SKUs,
		Mapping:         with(mapping.EntityOrder, cfg.Defaults.Order),
		CustomerMapping: with(mapping.EntityCustomer, cfg.Defaults.Customer),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// fakeURL is the base URL the sink's client is given.
func (w *world) fakeURL() string {
	switch f := w.fake.(type) {
	case booksFake:
		return f.srv.APIURL()
	case posFake:
		return f.srv.URL()
	}
	panic("unknown fake")
}

// inBubble runs f in a synctest bubble. synctest.Test needs a *testing.T and
// a benchmark has a *testing.B, so f runs as a test of its own through
// testing.RunTests (matching whatever -test.run says).
func inBubble(b *testing.B, f func(t *testing.T)) {
	b.Helper()
	ok := testing.RunTests(func(string, string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: b.Name() + "/bubble", F: func(t *testing.T) { synctest.Test(t, f) }}})
	if !ok {
		b.Fatal("the run in the synctest bubble failed")
	}
}

// limited is one client-side limiter and the calls it admitted.
type limited struct {
	name  string
	calls int64
	lim   *rate.Limiter // a limiter with the client's parameters
}

// eAccounting's client limits each endpoint (the first path segment after
// /v2) to 600 requests a minute with a burst of 10 (eaccounting/client.go
// keeps these unexported; this copy is the one place that repeats them).
func booksLimiter() *rate.Limiter { return rate.NewLimiter(rate.Every(time.Minute/(600-10)), 10) }

// limiterCalls groups the calls the fakes counted by the client-side
// limiter each went through.
func limiterCalls(w *world) []limited {
	var out []limited
	// CCV Shop: one limiter per class (read, write, product query) at the
	// platform's published limits.
	byOp := map[verto.Op]int64{}
	for k, v := range w.shop.Calls() {
		method, route, _ := strings.Cut(k, " ")
		byOp[verto.Classify(method, verto.PathPrefix+strings.TrimPrefix(route, "/"))] += v
	}
	for op, n := range byOp {
		out = append(out, limited{"ccvshop " + op.String(), n, verto.NewLimiter(verto.DefaultLimits.For(op))})
	}
	switch w.fake.(type) {
	case booksFake:
		byEndpoint := map[string]int64{}
		for k, v := range w.fake.counts() {
			_, path, _ := strings.Cut(k, " ")
			if seg, ok := strings.CutPrefix(path, "/v2/"); ok {
				seg, _, _ = strings.Cut(seg, "/")
				byEndpoint[seg] += v
			}
		}
		for ep, n := range byEndpoint {
			out = append(out, limited{"eaccounting /" + ep, n, booksLimiter()})
		}
	case posFake:
		out = append(out, limited{"mpluskassa", sum(w.fake.counts()),
			rate.NewLimiter(mpluskassa.DefaultRequestsPerSecond, mpluskassa.DefaultBurst)})
	}
	return out
}

// limiterBound returns the least time the calls need: a token bucket that
// starts full with burst b and refills at r a second admits c calls no
// sooner than (c − b) / r; the slowest limiter sets the bound.
func limiterBound(ls []limited) (time.Duration, string, int64) {
	var best time.Duration
	name, calls := "", int64(0)
	for _, l := range ls {
		extra := math.Max(0, float64(l.calls)-float64(l.lim.Burst()))
		d := time.Duration(extra / float64(l.lim.Limit()) * float64(time.Second))
		if d > best || name == "" {
			best, name, calls = d, l.name, l.calls
		}
	}
	return best, name, calls
}
