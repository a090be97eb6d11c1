package demo

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
	"github.com/tradelink/tradelink/flow"
)

// small sizes the demo data so that a test run takes a fraction of a
// second while still holding configurable products, repeat customers and
// unpaid orders.
var small = Options{Products: 36, Orders: 24}

// sinks starts each fake sink of the pair programs.
var sinks = []struct {
	name  string
	start func(*Fakes) (connector.System, error)
}{
	{"eaccounting", func(f *Fakes) (connector.System, error) { return f.BooksConnector() }},
	{"mpluskassa", func(f *Fakes) (connector.System, error) { return f.POSConnector() }},
}

// pair starts the fakes of one pair with small data.
func pair(t *testing.T, start func(*Fakes) (connector.System, error)) (*Fakes, *ccvshop.Connector, connector.System) {
	t.Helper()
	fk := StartFakes(small, NewMeter())
	t.Cleanup(fk.Close)
	shop, err := fk.ShopConnector()
	if err != nil {
		t.Fatal(err)
	}
	sink, err := start(fk)
	if err != nil {
		t.Fatal(err)
	}
	return fk, shop, sink
}

// session returns a session of every flow with the pair's adjustments.
func session(shop, sink connector.System, store flow.Store, out *bytes.Buffer) Session {
	cfg := PairConfig{Store: store, Kind: connector.KindOrder, PaidOnly: true, Statuses: DefaultStatuses}
	cfg.ForSink(sink)
	return Session{Src: shop, Sink: sink, Config: cfg, Out: out}
}

// eligible returns the order numbers the flows must carry: paid, in one of
// DefaultStatuses.
func eligible(t *testing.T, shop *ccvshop.Connector) []string {
	t.Helper()
	var out []string
	for o, err := range shop.Orders(t.Context(), connector.OrderQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range DefaultStatuses {
			if o.Paid && o.Status == s {
				out = append(out, o.Number)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("the demo data has no eligible order")
	}
	return out
}

// inSink counts the orders the sink holds for each reference.
func inSink(t *testing.T, sink connector.System, refs []string) {
	t.Helper()
	os := sink.(connector.OrderSink)
	for _, ref := range refs {
		if _, err := os.FindOrderByRef(t.Context(), connector.KindOrder, ref); err != nil {
			t.Errorf("order %s is not in %s: %v", ref, sink.System(), err)
		}
	}
}

// TestSessionTwice runs every flow of both pairs twice on one store: the
// first run carries everything without a failure, the second writes
// nothing.
func TestSessionTwice(t *testing.T) {
	for _, s := range sinks {
		t.Run(s.name, func(t *testing.T) {
			fk, shop, sink := pair(t, s.start)
			store := flow.NewMemoryStore()
			var out bytes.Buffer
			rows, err := session(shop, sink, store, &out).Run(t.Context())
			if err != nil {
				t.Fatalf("first run: %v\n%s", err, out.String())
			}
			if len(rows) != len(FlowsAll) {
				t.Fatalf("%d summary rows, want %d", len(rows), len(FlowsAll))
			}
			for _, r := range rows {
				if r.Created+r.Updated == 0 {
					t.Errorf("first run: flow %s wrote nothing", r.Flow)
				}
			}
			inSink(t, sink, eligible(t, shop))

			before := fk.Writes()
			out.Reset()
			rows, err = session(shop, sink, store, &out).Run(t.Context())
			if err != nil {
				t.Fatalf("second run: %v\n%s", err, out.String())
			}
			if w := fk.Writes() - before; w != 0 {
				t.Errorf("the second run wrote %d times", w)
			}
			for _, r := range rows {
				if r.Created+r.Updated+r.Failed != 0 {
					t.Errorf("second run: %+v", r)
				}
			}
			if !strings.Contains(out.String(), "summary") {
				t.Errorf("no summary:\n%s", out.String())
			}
		})
	}
}

// TestSessionPlan plans a first run: it writes nothing, counts the orders
// whose products only the product flow would create as creatable, and the
// real run afterwards creates what the plan announced.
func TestSessionPlan(t *testing.T) {
	for _, s := range sinks {
		t.Run(s.name, func(t *testing.T) {
			fk, shop, sink := pair(t, s.start)
			store := flow.NewMemoryStore()
			var out bytes.Buffer
			plan := session(shop, sink, store, &out)
			plan.Plan = true
			planned, err := plan.Run(t.Context())
			if err != nil {
				t.Fatalf("plan: %v\n%s", err, out.String())
			}
			if w := fk.Writes(); w != 0 {
				t.Errorf("the plan wrote %d times", w)
			}
			for _, want := range []string{"plan (nothing was written)", "would create order", "+ order \"TL-"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("plan output lacks %q", want)
				}
			}
			if strings.Contains(out.String(), "@example.") {
				t.Error("the plan shows an e-mail address")
			}
			ran, err := session(shop, sink, store, &bytes.Buffer{}).Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for i := range planned {
				p, r := planned[i], ran[i]
				if p.Created != r.Created || p.Updated != r.Updated || p.Failed != 0 {
					t.Errorf("%s: planned %d created, %d updated, %d failed; the run created %d and updated %d",
						p.Flow, p.Created, p.Updated, p.Failed, r.Created, r.Updated)
				}
			}
		})
	}
}

// TestSessionFailureIsAnError checks that a failed record makes Run return
// an error: orders alone fail when their products are not in the sink.
func TestSessionFailureIsAnError(t *testing.T) {
	_, shop, sink := pair(t, sinks[1].start)
	var out bytes.Buffer
	s := session(shop, sink, flow.NewMemoryStore(), &out)
	s.Config.Flows = map[string]bool{"orders": true}
	rows, err := s.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "records failed") {
		t.Fatalf("Run = %v, want records failed (the products are missing)", err)
	}
	if !Failed(rows) || !strings.Contains(out.String(), "does not exist in mpluskassa") {
		t.Errorf("rows %+v; output:\n%s", rows, out.String())
	}
}

// TestPOSUnchangedWithoutState runs the product flow into MplusKASSA, then
// plans it again with an empty store: with the pair's adjustments (the
// renamed axes, the POS's custom fields, no parent EAN) every product
// compares as unchanged in the sink, so losing the state costs no writes.
func TestPOSUnchangedWithoutState(t *testing.T) {
	_, shop, sink := pair(t, sinks[1].start)
	cfg := PairConfig{Store: flow.NewMemoryStore(), Flows: map[string]bool{"products": true}}
	cfg.ForSink(sink)
	flows, err := Pair(shop, sink, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := flows[0].Run(t.Context()); err != nil || rep.Count(flow.Created) != small.Products {
		t.Fatalf("run: %v, %v", err, rep.Summary())
	}
	cfg.Store = flow.NewMemoryStore()
	flows, err = Pair(shop, sink, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := flows[0].(planner).Plan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Entries {
		if e.Outcome != flow.Skipped {
			t.Errorf("%s: %s %s\n%s", e.Record, e.Outcome, e.Reason, e.Diff())
		}
	}
}

func TestMaskDiff(t *testing.T) {
	in := "  connector.Customer{\n-\tEmail:       \"\",\n+\tEmail:       \"sanne@example.nl\",\n" +
		"+\u00a0BillingAddress: connector.Address{Street: \"Prinsengracht\", HouseNumber: \"263\", City: \"Amsterdam\"},\n" +
		"+\tLastName: \"de \\\"Vries\\\"\",\n  \tCountry: \"NL\",\n"
	want := "  connector.Customer{\n-\tEmail:       \"\",\n+\tEmail:       \"…\",\n" +
		"+\u00a0BillingAddress: connector.Address{Street: \"…\", HouseNumber: \"…\", City: \"Amsterdam\"},\n" +
		"+\tLastName: \"…\",\n  \tCountry: \"NL\",\n"
	if got := MaskDiff(in); got != want {
		t.Errorf("MaskDiff:\n%s\nwant\n%s", got, want)
	}
}

func TestCreatedLines(t *testing.T) {
	in := "  connector.Order{\n  \tID: \"\",\n- \tNumber: \"\",\n+ \tNumber: \"TL-1\",\n  \tCustomer: connector.Customer{\n- \t\tEmail: \"\",\n  \t},\n  }"
	want := "  connector.Order{\n+ \tNumber: \"TL-1\",\n  \tCustomer: connector.Customer{\n  \t},\n  }"
	if got := createdLines(in); got != want {
		t.Errorf("createdLines:\n%s\nwant\n%s", got, want)
	}
}

// A client retry reaches the activity log: the meter forwards the clients'
// call events to the printer.
func TestSessionLogsClientRetries(t *testing.T) {
	meter := NewMeter()
	fk := StartFakes(small, meter)
	t.Cleanup(fk.Close)
	shop, err := fk.ShopConnector()
	if err != nil {
		t.Fatal(err)
	}
	books, err := fk.BooksConnector()
	if err != nil {
		t.Fatal(err)
	}
	fk.Books.Inject(eaccountingtest.Fault{Method: "POST", Path: "/v2/orders", Status: 429, RetryAfter: time.Second})
	var out bytes.Buffer
	s := session(shop, books, flow.NewMemoryStore(), &out)
	s.Meter = meter
	if _, err := s.Run(t.Context()); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "! ") || !strings.Contains(out.String(), "eaccounting POST /v2/orders") {
		t.Errorf("the 429 retry is not in the activity log:\n%s", out.String())
	}
}
