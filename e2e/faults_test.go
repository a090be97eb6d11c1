package e2e

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/tradelink/tradelink/flow"
)

// placed is a fault and where it goes.
type placed struct {
	at op
	f  fault
}

// scenario is one fault test: faults injected before a first run, then a
// restart without faults; the guarantees are checked after the restart.
type scenario struct {
	name   string
	faults []placed
	// clean: the first run ends without a failed record or a stopped
	// flow (the clients and the flows absorbed every fault).
	clean bool
	// recovered: a create whose answer was lost was found applied by the
	// flow's look-up (flow.EventRecovered), not written again.
	recovered bool
	// retryAfter: a client retry waited exactly this long, as the 429's
	// Retry-After said (the wait the client reports, not a clock reading).
	retryAfter time.Duration
}

var scenarios = []scenario{
	{
		name: "5xx on reads",
		faults: []placed{
			{srcOrders, fault{Status: http.StatusServiceUnavailable, Times: 2}},
			{sinkFindOrder, fault{Status: http.StatusServiceUnavailable, Times: 2}},
			{sinkFindCustomer, fault{Status: http.StatusBadGateway}},
		},
		clean: true,
	},
	{
		// 500 is not retryable: the source stream fails and the order flow
		// stops; the restart picks up where the cursor stood.
		name:   "500 on the source listing",
		faults: []placed{{srcOrders, fault{Status: http.StatusInternalServerError}}},
	},
	{
		// A gateway error on a POST may hide an applied write: the client
		// reports an unknown outcome and the flow looks the record up. Not
		// finding it, the flow does not create it again in the same run (a
		// write that timed out may still land and would be doubled); the
		// record fails and the restart writes it.
		name: "5xx on writes",
		faults: []placed{
			{sinkCreateOrder, fault{Status: http.StatusServiceUnavailable}},
			{sinkCreateCustomer, fault{Status: http.StatusBadGateway}},
		},
	},
	{
		name: "5xx after the write was applied",
		faults: []placed{
			{sinkCreateOrder, fault{Status: http.StatusServiceUnavailable, AfterCommit: true, Times: 2}},
			{sinkCreateCustomer, fault{Status: http.StatusBadGateway, AfterCommit: true}},
		},
		clean: true, recovered: true,
	},
	{
		name: "429 with Retry-After",
		faults: []placed{
			{srcOrders, fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second}},
			{sinkFindOrder, fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second}},
			{sinkCreateOrder, fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second}},
		},
		clean: true, retryAfter: time.Second,
	},
	{
		name: "connection dropped after the write was applied",
		faults: []placed{
			{sinkCreateOrder, fault{Drop: true, AfterCommit: true, Times: 2}},
			{sinkCreateCustomer, fault{Drop: true, AfterCommit: true}},
		},
		clean: true, recovered: true,
	},
	{
		name: "timeout after the write was applied",
		faults: []placed{
			{sinkCreateOrder, fault{Delay: 2 * testTimeout, AfterCommit: true}},
			{sinkCreateCustomer, fault{Delay: 2 * testTimeout, AfterCommit: true}},
		},
		clean: true, recovered: true,
	},
	{
		name: "slow answers",
		faults: []placed{
			{srcOrders, fault{Delay: testTimeout / 3, Times: 2}},
			{sinkFindOrder, fault{Delay: testTimeout / 3, Times: 3}},
			{sinkCreateOrder, fault{Delay: testTimeout / 3}},
		},
		clean: true,
	},
	{
		// A read that times out is simply asked again.
		name: "timeouts on reads",
		faults: []placed{
			{srcOrders, fault{Delay: 2 * testTimeout}},
			{sinkFindOrder, fault{Delay: 2 * testTimeout}},
		},
		clean: true,
	},
	{
		name:   "malformed source listing",
		faults: []placed{{srcOrders, fault{Malformed: true}}},
	},
	{
		// A malformed answer fails the record; the one to a create that
		// was applied leaves an order the restart finds by reference.
		name: "malformed sink answers",
		faults: []placed{
			{sinkFindOrder, fault{Malformed: true}},
			{sinkCreateOrder, fault{Malformed: true, AfterCommit: true}},
		},
	},
}

// TestFaults runs every scenario on both pairs: faults in a first run, a
// restart as a new process without faults, then the guarantees — every
// eligible order in the sink exactly once, no customer twice, and a further
// run that writes nothing.
func TestFaults(t *testing.T) {
	for _, sc := range scenarios {
		for _, sink := range sinks {
			t.Run(sc.name+"/"+sink, func(t *testing.T) {
				t.Parallel()
				ctx := t.Context()
				w := newWorld(t, sink, smallShop)
				for _, pf := range sc.faults {
					w.inject(pf.at, pf.f)
				}
				first, rows := w.runOnce(ctx, testClients(nil))
				if err := failures(rows); sc.clean && err != nil {
					t.Errorf("first run: %v\n%s", err, first.log)
				}
				if sc.retryAfter > 0 && !slices.Contains(first.events.retryWaits(), sc.retryAfter) {
					t.Errorf("no retry waited the Retry-After of %v; waits: %v", sc.retryAfter, first.events.retryWaits())
				}

				w.restart(t)
				problems := w.problems(ctx)
				w.checkIdle(ctx)
				recovered := first.events.count(flow.EventRecovered) > 0
				for _, p := range problems {
					t.Error(p)
				}
				if sc.recovered && !recovered {
					t.Errorf("no write was recovered after its answer was lost\n%s", first.log)
				}
			})
		}
	}
}
