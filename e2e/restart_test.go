package e2e

import (
	"context"
	"errors"
	"iter"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/flow/flowtest"
)

// cancelAfter returns an observer that cancels the run once n orders were
// created: the interruption lands in the middle of the order flow, with
// other orders in flight.
func cancelAfter(n int64, cancel context.CancelFunc) flow.Observer {
	var created atomic.Int64
	return flow.ObserverFunc(func(e flow.Event) {
		if e.Kind == flow.EventCreated && strings.HasPrefix(e.Flow, "orders ") && created.Add(1) == n {
			cancel()
		}
	})
}

// filterCase is an order filter the restart tests run with.
type filterCase struct {
	name     string
	statuses []connector.OrderStatus
}

var filterCases = []filterCase{
	// One listing in creation order: the stream only moves forward.
	{name: "all paid orders"},
	// The quickstart's filter: one CCV listing per status code, so the
	// stream goes back in time between listings; a run cut short must keep
	// its cursor.
	{name: "status filter", statuses: eligibleStatuses},
}

// checkRestarted checks the guarantees after a restart.
func checkRestarted(t *testing.T, w *world) {
	t.Helper()
	problems := w.problems(t.Context())
	w.checkIdle(t.Context())
	for _, p := range problems {
		t.Error(p)
	}
}

// TestInterruptedRun cancels a run after a few orders, while others are
// being written (the sink answers 20 ms late so that writes are in flight),
// and restarts it — in the same process, and in a new process (new
// clients, connectors, flows and store handle on the same state file).
// Nothing may be lost or doubled, and a further run writes nothing.
func TestInterruptedRun(t *testing.T) {
	for _, fc := range filterCases {
		for _, restart := range []string{"same process", "new process"} {
			for _, sink := range sinks {
				t.Run(fc.name+"/"+restart+"/"+sink, func(t *testing.T) {
					t.Parallel()
					w := newWorld(t, sink, smallShop)
					w.statuses = fc.statuses
					w.fake.setLatency(20 * time.Millisecond)
					ctx, cancel := context.WithCancel(t.Context())
					defer cancel()
					first := w.start(testClients(nil), cancelAfter(4, cancel))
					rows := first.run(ctx)
					stopped := false
					for _, r := range rows {
						stopped = stopped || errors.Is(r.Aborted, context.Canceled)
					}
					if !stopped {
						t.Fatalf("the run was not interrupted: %+v\n%s", rows, first.log)
					}
					w.fake.setLatency(0)

					if restart == "new process" {
						first.stop()
						w.restart(t)
					} else {
						rows = first.run(t.Context())
						first.stop()
						if err := failures(rows); err != nil {
							t.Fatalf("restart: %v\n%s", err, first.log)
						}
					}
					checkRestarted(t, w)
				})
			}
		}
	}
}

// TestCrashAfterCommit is the crash between a write and its link: the sink
// applies a create but the connection drops before the answer, and the
// process dies at that moment (its context is cancelled from the client's
// observer, before the flow can look the order up). A new process must find
// the order by its reference instead of writing it again.
func TestCrashAfterCommit(t *testing.T) {
	for _, fc := range filterCases {
		for _, sink := range sinks {
			t.Run(fc.name+"/"+sink, func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, sink, smallShop)
				w.statuses = fc.statuses
				w.inject(sinkCreateOrder, fault{Drop: true, AfterCommit: true})
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				var once sync.Once
				crash := func(e connector.CallEvent) {
					if e.Kind == connector.CallAttempt && e.Err != nil {
						once.Do(cancel)
					}
				}
				first, _ := w.runOnce(ctx, testClients(crash))
				if ctx.Err() == nil {
					t.Fatalf("the dropped write did not end the first process\n%s", first.log)
				}

				again := w.restart(t)
				if again.events.skipped("exists in sink") == 0 {
					t.Errorf("the restart found no order in the sink by reference; the dropped write was applied\n%s", again.log)
				}
				checkRestarted(t, w)
			})
		}
	}
}

// lateCommit is a customer sink whose first create is still being worked
// on when the client gives up: the call reports an unknown outcome, and the
// write lands just after the flow's look-up answered "not found" — a slow
// server that commits after the client's timeout.
type lateCommit struct {
	mem     *flowtest.System
	mu      sync.Mutex
	held    bool
	pending func()
}

func (l *lateCommit) System() string { return l.mem.System() }

func (l *lateCommit) UpdateCustomer(ctx context.Context, c connector.Customer) (connector.Customer, error) {
	return l.mem.UpdateCustomer(ctx, c)
}

func (l *lateCommit) CreateCustomer(ctx context.Context, c connector.Customer) (connector.Customer, error) {
	l.mu.Lock()
	if !l.held {
		l.held = true
		l.pending = func() { l.mem.AddCustomer(c) }
		l.mu.Unlock()
		return connector.Customer{}, &connector.OutcomeUnknownError{System: l.mem.System(), Method: "POST", Path: "/customers",
			Err: context.DeadlineExceeded}
	}
	l.mu.Unlock()
	return l.mem.CreateCustomer(ctx, c)
}

func (l *lateCommit) FindCustomerByEmail(ctx context.Context, email string) (connector.Customer, error) {
	c, err := l.mem.FindCustomerByEmail(ctx, email)
	l.mu.Lock()
	if l.pending != nil {
		l.pending() // the slow write lands now, after the look-up answered
		l.pending = nil
	}
	l.mu.Unlock()
	return c, err
}

// TestLateCommitWritesTwice is the minimal reproduction of what the
// eAccounting pair showed in "timeout after the write was applied": when a
// write commits after the client's timeout and after the flow's one
// look-up, flow's createOrRecover creates the record again at once, and the
// sink holds it twice. (The same path serves orders, products and
// categories.)
func TestLateCommitWritesTwice(t *testing.T) {
	src := flowtest.New("shop")
	src.AddCustomer(connector.Customer{ID: "1", Email: "late@example.org", FirstName: "Late", LastName: "Commit",
		BillingAddress: connector.Address{Street: "Markt", HouseNumber: "1", PostalCode: "5611EC", City: "Eindhoven", Country: "NL"}})
	sink := &lateCommit{mem: flowtest.New("books")}
	f, err := flow.NewCustomers(src, sink, flow.CustomerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range sink.mem.CustomerList() {
		if strings.EqualFold(c.Email, "late@example.org") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("flow: a create that commits after the client's timeout and after the look-up is written again at once: the sink holds the customer %d times (report: %s)", n, summary(rep))
	}
}

// listings is an order source that reads two filters one after another,
// each in creation order, as CCV Shop reads a status filter: the stream
// turns back in time where the second listing starts. It honours
// UpdatedSince (inclusive), as sources do.
type listings [2][]connector.Order

func (l listings) System() string { return "shop" }

func (l listings) Orders(_ context.Context, q connector.OrderQuery) iter.Seq2[connector.Order, error] {
	return func(yield func(connector.Order, error) bool) {
		for _, list := range l {
			for _, o := range list {
				if !o.UpdatedAt.Before(q.UpdatedSince) && !yield(o, nil) {
					return
				}
			}
		}
	}
}

// TestCutShortBeforeStreamTurns is the minimal reproduction of the orders
// the restart tests lose under the quickstart's status filter. A run is
// cancelled while still in the first listing (orders at 10:00–13:00); the
// flow sees a stream that only moved forward, so it keeps a cursor at the
// last order it finished. The restart starts there, and the second
// listing's older orders (08:00, 09:00) are never synced.
func TestCutShortBeforeStreamTurns(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 2, h, 0, 0, 0, time.UTC) }
	order := func(n, h int) connector.Order {
		return connector.Order{ID: strconv.Itoa(n), Number: "TL-" + strconv.Itoa(n), Status: connector.StatusProcessing, Paid: true,
			CreatedAt: at(h), UpdatedAt: at(h), Currency: "EUR",
			Lines: []connector.OrderLine{{SKU: "100001", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(10)}}}
	}
	src := listings{
		{order(10, 10), order(11, 11), order(12, 12), order(13, 13)}, // e.g. status "in process"
		{order(8, 8), order(9, 9)},                                   // e.g. status "shipped"
	}
	sink := flowtest.New("books")
	sink.AddProduct(connector.Product{SKU: "100001", Name: "Mok", Type: connector.ProductSimple, Active: true})
	debtor := sink.AddCustomer(connector.Customer{CompanyName: "Kassaverkoop"})
	store := flow.NewMemoryStore()
	newFlow := func(obs flow.Observer) *flow.OrderFlow {
		f, err := flow.NewOrders(src, sink, flow.OrderConfig{DefaultDebtor: debtor.ID,
			Options: flow.Options{Store: store, Concurrency: 1, Observer: obs}})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	if rep, err := newFlow(cancelAfter(1, cancel)).Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: err = %v, want it cancelled (%s)", err, summary(rep))
	}
	if _, err := newFlow(nil).Run(t.Context()); err != nil {
		t.Fatalf("restart: %v", err)
	}
	var missing []string
	for _, list := range src {
		for _, o := range list {
			if _, err := sink.FindOrderByRef(t.Context(), connector.KindOrder, o.Number); err != nil {
				missing = append(missing, o.Number)
			}
		}
	}
	if len(missing) > 0 {
		t.Errorf("flow: after a run cut short in the first listing, the restart never synced %v", missing)
	}
}
