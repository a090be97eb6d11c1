package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/internal/demo"
	"github.com/tradelink/tradelink/internal/httpx"
	"github.com/tradelink/tradelink/mpluskassa"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

// The sinks of the two pairs under test.
const (
	books = eaccounting.SystemName // CCV Shop → Visma eAccounting
	pos   = mpluskassa.SystemName  // CCV Shop → MplusKASSA
)

var sinks = []string{books, pos}

// eligibleStatuses and PaidOnly are the order filter of the quickstart: paid
// orders that are being processed or further. CCV Shop reads such a filter
// as one listing per status code, one after another.
var eligibleStatuses = []connector.OrderStatus{connector.StatusProcessing, connector.StatusShipped,
	connector.StatusDelivered, connector.StatusCompleted}

// fault is the fault shape every fake shares (same fields, same order), so
// it converts to ccvshoptest.Fault, eaccountingtest.Fault and
// mpluskassatest.Fault.
type fault struct {
	Method      string
	Path        string
	Status      int
	RetryAfter  time.Duration
	Delay       time.Duration
	Malformed   bool
	Drop        bool
	AfterCommit bool
	Times       int
}

// op names a call of a pair independently of the sink's wire format; each
// fake maps it to its own path or operation.
type op int

const (
	// srcOrders is CCV Shop's GET /orders/ family: the order listings and
	// the rows of each order, in the order the source stream reads them.
	srcOrders op = iota
	sinkFindOrder
	sinkCreateOrder
	sinkFindCustomer
	sinkCreateCustomer
)

func (o op) String() string {
	return [...]string{"source orders", "find order", "create order", "find customer", "create customer"}[o]
}

// clientConfig is how one "process" configures all its clients.
type clientConfig struct {
	// transport carries the requests; nil means a fresh loopback
	// http.Transport per process.
	transport http.RoundTripper
	// timeout bounds one attempt; zero means none.
	timeout time.Duration
	// retry is every client's retry policy; zero keeps each client's own.
	retry httpx.RetryPolicy
	// limits keeps each client's default limiter (the vendor's published
	// rate limit); false turns client-side limiting off.
	limits bool
	// observer receives the call events of every client.
	observer func(connector.CallEvent)
}

// testClients are short: four attempts 10–40 ms apart (the CCV default
// waits 5–60 s), and a timeout far above a loopback answer even under
// -race but short enough to provoke.
func testClients(obs func(connector.CallEvent)) clientConfig {
	return clientConfig{
		timeout:  testTimeout,
		retry:    httpx.RetryPolicy{MaxAttempts: 4, MinBackoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond, MaxTotalWait: 10 * time.Second},
		observer: obs,
	}
}

const testTimeout = 500 * time.Millisecond

func (cc clientConfig) options(hc *http.Client) []httpx.Option {
	opts := []httpx.Option{httpx.WithHTTPClient(hc)}
	if cc.retry != (httpx.RetryPolicy{}) {
		opts = append(opts, httpx.WithRetry(cc.retry))
	}
	if !cc.limits {
		opts = append(opts, httpx.WithLimiter(nil))
	}
	if cc.observer != nil {
		opts = append(opts, httpx.WithObserver(cc.observer))
	}
	return opts
}

// sinkFake is the fake of a pair's sink system.
type sinkFake interface {
	// connect returns a new client and connector on the fake.
	connect(cc clientConfig, hc *http.Client) (connector.System, error)
	inject(target op, f fault)
	setLatency(d time.Duration)
	// counts returns the fake's request counters, keyed by route or
	// operation; isWrite tells which keys change data.
	counts() map[string]int64
	isWrite(key string) bool
	resetCounters()
	close()
}

// booksFake is the fake Visma eAccounting.
type booksFake struct{ srv *eaccountingtest.Server }

func (b booksFake) connect(cc clientConfig, hc *http.Client) (connector.System, error) {
	c, err := b.srv.NewClient(cc.options(hc)...)
	if err != nil {
		return nil, err
	}
	return eaccounting.NewConnector(c, eaccounting.ConnectorConfig{ShippingSKU: demo.ShippingSKU, DiscountSKU: demo.DiscountSKU})
}

func (b booksFake) inject(target op, f fault) {
	switch target {
	case sinkFindOrder:
		f.Method, f.Path = http.MethodGet, "/v2/orders"
	case sinkCreateOrder:
		f.Method, f.Path = http.MethodPost, "/v2/orders"
	case sinkFindCustomer:
		f.Method, f.Path = http.MethodGet, "/v2/customers"
	case sinkCreateCustomer:
		f.Method, f.Path = http.MethodPost, "/v2/customers"
	default:
		panic("eaccounting: no sink op " + target.String())
	}
	b.srv.Inject(eaccountingtest.Fault(f))
}

func (b booksFake) setLatency(d time.Duration) { b.srv.SetLatency(d) }
func (b booksFake) counts() map[string]int64   { return b.srv.RequestCounts() }

// isWrite: every method but GET changes data, except the OAuth token
// endpoint.
func (b booksFake) isWrite(key string) bool {
	method, path, _ := strings.Cut(key, " ")
	return method != http.MethodGet && !strings.HasPrefix(path, "/connect/")
}

func (b booksFake) resetCounters() { b.srv.ResetCounters() }
func (b booksFake) close()         { b.srv.Close() }

// posFake is the fake MplusKASSA.
type posFake struct{ srv *mpluskassatest.Server }

func (p posFake) connect(cc clientConfig, hc *http.Client) (connector.System, error) {
	c, err := mpluskassa.NewClient(p.srv.URL(), p.srv.Credentials(), cc.options(hc)...)
	if err != nil {
		return nil, err
	}
	return mpluskassa.NewConnector(c, mpluskassa.ConnectorConfig{ShippingArticleNumber: 999, DiscountArticleNumber: 998})
}

func (p posFake) inject(target op, f fault) {
	f.Method = ""
	switch target {
	case sinkFindOrder:
		f.Path = "findOrder"
	case sinkCreateOrder:
		f.Path = "createOrderV3"
	case sinkFindCustomer:
		f.Path = "findRelationV2"
	case sinkCreateCustomer:
		f.Path = "createRelation"
	default:
		panic("mpluskassa: no sink op " + target.String())
	}
	p.srv.Inject(mpluskassatest.Fault(f))
}

func (p posFake) setLatency(d time.Duration) { p.srv.SetLatency(d) }
func (p posFake) counts() map[string]int64   { return p.srv.Calls() }

// isWrite: SOAP sends everything as POST; the operations that only read
// are the get… and find… ones.
func (p posFake) isWrite(key string) bool {
	return !strings.HasPrefix(key, "get") && !strings.HasPrefix(key, "find")
}

func (p posFake) resetCounters() { p.srv.ResetCounters() }
func (p posFake) close()         { p.srv.Close() }

// world is one pair of fakes, filled with the demo data, and the state file
// every process of a test shares.
type world struct {
	tb   testing.TB
	sink string
	// statuses is the order flow's status filter (nil: every paid order;
	// CCV Shop then streams one listing in creation order).
	statuses []connector.OrderStatus
	// paidOnly skips unpaid orders.
	paidOnly bool
	shop     *ccvshoptest.Server
	fake     sinkFake
	data     demo.Shop
	state    string
}

// smallShop is the demo data the fault tests use: small, but with every
// kind of order (companies and persons, several countries, paid and
// unpaid, discounts and shipping) and configurable products.
var smallShop = demo.Options{Orders: 24, Products: 6, Seed: 7}

// newWorld starts the fakes of the pair CCV Shop → sink on loopback, with
// their rate limits off (the tests measure correctness, not throttling),
// and seeds them.
func newWorld(tb testing.TB, sink string, o demo.Options) *world {
	tb.Helper()
	shop := ccvshoptest.New()
	shop.DisableLimits()
	fake := newSinkFake(tb, sink)
	tb.Cleanup(fake.close)
	return buildWorld(tb, shop, fake, o)
}

// newSinkFake starts the fake of sink on loopback, without a server-side
// rate limit, seeded with the service articles for shipping and discounts.
func newSinkFake(tb testing.TB, sink string) sinkFake {
	tb.Helper()
	switch sink {
	case books:
		srv := eaccountingtest.New(eaccountingtest.WithRateLimit(1<<30, time.Minute))
		if err := demo.SeedBooks(srv); err != nil {
			tb.Fatal(err)
		}
		return booksFake{srv}
	case pos:
		srv := mpluskassatest.New()
		if err := demo.SeedPOS(srv); err != nil {
			tb.Fatal(err)
		}
		return posFake{srv}
	}
	tb.Fatalf("unknown sink %q", sink)
	return nil
}

// buildWorld seeds shop with the demo data o and pairs it with fake; shop
// is closed when the test ends, fake is the caller's to close.
func buildWorld(tb testing.TB, shop *ccvshoptest.Server, fake sinkFake, o demo.Options) *world {
	tb.Helper()
	w := &world{tb: tb, statuses: eligibleStatuses, paidOnly: true, shop: shop, fake: fake,
		state: filepath.Join(tb.TempDir(), "state.db")}
	switch fake.(type) {
	case booksFake:
		w.sink = books
	case posFake:
		w.sink = pos
	}
	tb.Cleanup(shop.Close)
	w.data = demo.SeedShop(shop, o)
	return w
}

// injectSource adds a fault to the CCV Shop fake.
func (w *world) injectSource(target op, f fault) {
	if target != srcOrders {
		panic("ccvshop: no source op " + target.String())
	}
	f.Method, f.Path = http.MethodGet, "orders/"
	w.shop.Inject(ccvshoptest.Fault(f))
}

// inject adds a fault where target says.
func (w *world) inject(target op, f fault) {
	if target == srcOrders {
		w.injectSource(target, f)
		return
	}
	w.fake.inject(target, f)
}

// writes counts the write requests both fakes received so far.
func (w *world) writes() int64 {
	var n int64
	for k, v := range w.shop.Calls() {
		if !strings.HasPrefix(k, http.MethodGet+" ") {
			n += v
		}
	}
	for k, v := range w.fake.counts() {
		if w.fake.isWrite(k) {
			n += v
		}
	}
	return n
}

// process is one run of tradelink: its own clients, connectors, flows and
// handle on the state file. Two processes of a world share only the file.
type process struct {
	w      *world
	hc     *http.Client
	store  *flow.SQLStore
	shop   *ccvshop.Connector
	sink   connector.System
	job    *demo.Job
	log    *syncBuffer
	events *events
}

// start builds a process; extra observers see every flow event.
func (w *world) start(cc clientConfig, extra ...flow.Observer) *process {
	w.tb.Helper()
	p := &process{w: w, log: &syncBuffer{}, events: newEvents()}
	obs := cc.observer
	cc.observer = func(e connector.CallEvent) {
		p.events.call(e)
		if obs != nil {
			obs(e)
		}
	}
	tr := cc.transport
	if tr == nil {
		tr = &http.Transport{MaxIdleConnsPerHost: 16, IdleConnTimeout: time.Minute}
	}
	p.hc = &http.Client{Transport: tr, Timeout: cc.timeout}
	sc, err := w.shop.Client(cc.options(p.hc)...)
	if err != nil {
		w.tb.Fatal(err)
	}
	if p.shop, err = ccvshop.NewConnector(sc, ccvshop.ConnectorConfig{}); err != nil {
		w.tb.Fatal(err)
	}
	if p.sink, err = w.fake.connect(cc, p.hc); err != nil {
		w.tb.Fatal(err)
	}
	if p.store, err = flow.OpenSQLite(w.state); err != nil {
		w.tb.Fatal(err)
	}
	p.job = &demo.Job{Out: p.log}
	cfg := demo.PairConfig{Store: p.store, Kind: connector.KindOrder, PaidOnly: w.paidOnly, Statuses: w.statuses,
		Observer: fanOut(append([]flow.Observer{p.job.Printer(), p.events}, extra...))}
	cfg.ForSink(p.sink) // the pair's mapping adjustments, as the examples make them
	flows, err := demo.Pair(p.shop, p.sink, cfg)
	if err != nil {
		w.tb.Fatal(err)
	}
	p.job.Flows = flows
	return p
}

// run runs every flow of the process once.
func (p *process) run(ctx context.Context) []demo.Row { return p.job.Run(ctx) }

// runFlow runs the process's flow of entity ("products", "customers",
// "orders" or "stock") once.
func (p *process) runFlow(ctx context.Context, entity string) (*flow.Report, error) {
	for _, f := range p.job.Flows {
		if strings.HasPrefix(f.Name(), entity+" ") {
			return f.Run(ctx)
		}
	}
	p.w.tb.Fatalf("no %s flow", entity)
	return nil, nil
}

// runOnce starts a process, runs every flow once and stops it.
func (w *world) runOnce(ctx context.Context, cc clientConfig, extra ...flow.Observer) (*process, []demo.Row) {
	p := w.start(cc, extra...)
	defer p.stop()
	return p, p.run(ctx)
}

// restart runs a new process without faults, which must complete every
// flow without a failure.
func (w *world) restart(t *testing.T) *process {
	t.Helper()
	p, rows := w.runOnce(t.Context(), testClients(nil))
	if err := failures(rows); err != nil {
		t.Fatalf("restart: %v\n%s", err, p.log)
	}
	return p
}

// stop ends the process: its store is closed and its connections dropped.
func (p *process) stop() {
	if err := p.store.Close(); err != nil {
		p.w.tb.Errorf("close store: %v", err)
	}
	p.hc.CloseIdleConnections()
}

// fanOut sends every event to each observer.
func fanOut(obs []flow.Observer) flow.Observer {
	return flow.ObserverFunc(func(e flow.Event) {
		for _, o := range obs {
			o.Event(e)
		}
	})
}

// events counts flow events by kind and keeps the client retries' waits.
type events struct {
	mu      sync.Mutex
	kinds   map[flow.EventKind]int
	skips   map[string]int // skip reasons of the order flow
	retries []time.Duration
}

func newEvents() *events { return &events{kinds: map[flow.EventKind]int{}, skips: map[string]int{}} }

// Event implements flow.Observer.
func (e *events) Event(ev flow.Event) {
	e.mu.Lock()
	e.kinds[ev.Kind]++
	if ev.Kind == flow.EventSkipped && strings.HasPrefix(ev.Flow, "orders ") {
		e.skips[ev.Message]++
	}
	e.mu.Unlock()
}

// skipped returns how many orders were skipped for reason.
func (e *events) skipped(reason string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.skips[reason]
}

func (e *events) call(ce connector.CallEvent) {
	if ce.Kind != connector.CallRetry {
		return
	}
	e.mu.Lock()
	e.retries = append(e.retries, ce.Wait)
	e.mu.Unlock()
}

func (e *events) count(k flow.EventKind) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.kinds[k]
}

func (e *events) retryWaits() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.retries)
}

// syncBuffer is a bytes.Buffer safe for the flows' concurrent observers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// sinkState is what the sink holds after the runs, read back through a
// fresh connector.
type sinkState struct {
	// orders counts the sink's orders by external reference.
	orders map[string]int
	// customers counts the sink's customers by lower-case e-mail address.
	customers map[string]int
}

// readSink reads every order and customer of the sink.
func (w *world) readSink(ctx context.Context) sinkState {
	w.tb.Helper()
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 30 * time.Second}
	defer hc.CloseIdleConnections()
	cc := testClients(nil)
	sys, err := w.fake.connect(cc, hc)
	if err != nil {
		w.tb.Fatal(err)
	}
	st := sinkState{orders: map[string]int{}, customers: map[string]int{}}
	for o, err := range sys.(connector.OrderSource).Orders(ctx, connector.OrderQuery{}) {
		if err != nil {
			w.tb.Fatalf("read back %s orders: %v", w.sink, err)
		}
		st.orders[o.ExternalRef]++
	}
	for c, err := range sys.(connector.CustomerSource).Customers(ctx, connector.CustomerQuery{}) {
		if err != nil {
			w.tb.Fatalf("read back %s customers: %v", w.sink, err)
		}
		if e := strings.ToLower(strings.TrimSpace(c.Email)); e != "" {
			st.customers[e]++
		}
	}
	return st
}

// eligible returns the shop's orders the pair must sync (paid, with an
// eligible status), by reference, with their customers' e-mail addresses.
func (w *world) eligible(ctx context.Context) map[string]string {
	w.tb.Helper()
	sc, err := w.shop.Client(ccvshop.WithLimiter(nil))
	if err != nil {
		w.tb.Fatal(err)
	}
	shop, err := ccvshop.NewConnector(sc, ccvshop.ConnectorConfig{})
	if err != nil {
		w.tb.Fatal(err)
	}
	out := map[string]string{}
	for o, err := range shop.Orders(ctx, connector.OrderQuery{}) {
		if err != nil {
			w.tb.Fatalf("read shop orders: %v", err)
		}
		if (o.Paid || !w.paidOnly) && (w.statuses == nil || slices.Contains(w.statuses, o.Status)) {
			out[o.Ref()] = strings.ToLower(o.Customer.Email)
		}
	}
	if len(out) == 0 {
		w.tb.Fatal("the demo shop has no eligible orders")
	}
	return out
}

// problems lists how the sink breaks the guarantees: every eligible order
// is in the sink exactly once, no other order is, every such order's
// customer is there and no customer exists twice.
func (w *world) problems(ctx context.Context) []string {
	w.tb.Helper()
	want := w.eligible(ctx)
	got := w.readSink(ctx)
	var out []string
	for ref, email := range want {
		switch n := got.orders[ref]; {
		case n == 0:
			out = append(out, fmt.Sprintf("order %s lost: not in %s", ref, w.sink))
		case n > 1:
			out = append(out, fmt.Sprintf("order %s doubled: %d times in %s", ref, n, w.sink))
		}
		if got.customers[email] == 0 {
			out = append(out, fmt.Sprintf("order %s: its customer %s is not in %s", ref, flow.MaskEmail(email), w.sink))
		}
	}
	for ref, n := range got.orders {
		if _, ok := want[ref]; !ok {
			out = append(out, fmt.Sprintf("%s holds %d order(s) with reference %q, which is not an eligible shop order", w.sink, n, ref))
		}
	}
	for email, n := range got.customers {
		if n > 1 {
			out = append(out, fmt.Sprintf("customer %s doubled: %d times in %s", flow.MaskEmail(email), n, w.sink))
		}
	}
	slices.Sort(out)
	return out
}

// checkIdle runs a fresh process on the state and asserts that it skips
// everything and writes nothing.
func (w *world) checkIdle(ctx context.Context) {
	w.tb.Helper()
	before := w.writes()
	p, rows := w.runOnce(ctx, testClients(nil))
	if n := w.writes() - before; n != 0 {
		w.tb.Errorf("a run after a complete one wrote %d times; want 0\n%s", n, p.log)
	}
	for _, r := range rows {
		if r.Created+r.Updated+r.Failed != 0 || r.Aborted != nil {
			w.tb.Errorf("idle run: %s: %d created, %d updated, %d failed, aborted: %v", r.Flow, r.Created, r.Updated, r.Failed, r.Aborted)
		}
	}
}

// failures describes the failed and stopped flows of a run, for messages.
func failures(rows []demo.Row) error {
	var errs []error
	for _, r := range rows {
		if r.Failed > 0 {
			errs = append(errs, fmt.Errorf("%s: %d failed", r.Flow, r.Failed))
		}
		if r.Aborted != nil {
			errs = append(errs, fmt.Errorf("%s stopped: %w", r.Flow, r.Aborted))
		}
	}
	return errors.Join(errs...)
}
