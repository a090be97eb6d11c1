package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
)

// Flow is what a job runs: any of the flow package's flows.
type Flow interface {
	Name() string
	Run(ctx context.Context) (*flow.Report, error)
}

// Meter counts API calls per system through client observers.
type Meter struct {
	mu     sync.Mutex
	calls  map[string]int64
	writes map[string]int64
}

// NewMeter returns an empty meter.
func NewMeter() *Meter { return &Meter{calls: map[string]int64{}, writes: map[string]int64{}} }

// Observer returns the call observer to give the client of system; it
// counts every HTTP attempt, and the attempts that may write (every method
// but GET and HEAD; SOAP reads over POST count as writes too).
func (m *Meter) Observer(system string) connector.CallObserver {
	return func(e connector.CallEvent) {
		if e.Kind != connector.CallAttempt {
			return
		}
		m.mu.Lock()
		m.calls[system]++
		if e.Method != "GET" && e.Method != "HEAD" {
			m.writes[system]++
		}
		m.mu.Unlock()
	}
}

// Total returns all calls counted so far.
func (m *Meter) Total() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for _, v := range m.calls {
		n += v
	}
	return n
}

// Row is one line of a job's summary.
type Row struct {
	Flow                              string
	Created, Updated, Skipped, Failed int
	// Calls is the number of API calls the flow made, on both ends.
	Calls   int64
	Aborted error
}

// Job runs flows one after the other, printing an activity log.
type Job struct {
	Flows []Flow
	Out   io.Writer
	Meter *Meter
	// Quiet prints one progress line per flow instead of a line per record
	// (for runs where everything is expected to be skipped).
	Quiet bool
}

// Run runs every flow, even after one failed, and returns the summary rows.
func (j *Job) Run(ctx context.Context) []Row {
	var rows []Row
	for _, f := range j.Flows {
		if ctx.Err() != nil {
			break
		}
		before := int64(0)
		if j.Meter != nil {
			before = j.Meter.Total()
		}
		fmt.Fprintf(j.Out, "\n▶ %s\n", f.Name())
		rep, err := f.Run(ctx)
		row := Row{Flow: f.Name(), Aborted: err}
		if rep != nil {
			row.Created, row.Updated = rep.Count(flow.Created), rep.Count(flow.Updated)
			row.Skipped, row.Failed = rep.Count(flow.Skipped), rep.Count(flow.Failed)
			if j.Quiet {
				fmt.Fprintf(j.Out, "  %d records: %d skipped, %d created, %d updated, %d failed\n",
					len(rep.Entries), row.Skipped, row.Created, row.Updated, row.Failed)
			}
			for _, e := range rep.Failures() {
				fmt.Fprintf(j.Out, "  ✗ %s: %v\n", e.Record, e.Err)
			}
		}
		if err != nil {
			fmt.Fprintf(j.Out, "  ✗ run stopped: %v\n", err)
		}
		if j.Meter != nil {
			row.Calls = j.Meter.Total() - before
		}
		rows = append(rows, row)
	}
	return rows
}

// Printer returns a flow observer that writes one readable line per record
// outcome and per customer, product or category it created, numbered per
// flow. Names and e-mail addresses arrive masked.
func (j *Job) Printer() flow.Observer {
	var mu sync.Mutex
	seen := map[string]int{}
	return flow.ObserverFunc(func(e flow.Event) {
		var mark, text string
		switch e.Kind {
		case flow.EventCreated:
			mark, text = "+", e.Message
		case flow.EventUpdated:
			mark, text = "~", e.Message
		case flow.EventSkipped, flow.EventFiltered:
			mark, text = "·", e.Message
		case flow.EventFailed:
			mark, text = "✗", fmt.Sprint(e.Err)
		case flow.EventCustomerCreated, flow.EventCustomerUpdated:
			mark, text = " ", e.Customer+": "+e.Message
		case flow.EventCategoryCreated, flow.EventProductCreated, flow.EventRecovered, flow.EventStatusWritten:
			mark, text = " ", e.Message
		case flow.EventSKUMissing, flow.EventLookupMiss, flow.EventRetried, flow.EventRateLimited:
			mark, text = "!", e.Message
			if e.Err != nil {
				text += ": " + e.Err.Error()
			}
		default:
			return
		}
		mu.Lock()
		defer mu.Unlock()
		outcome := mark == "+" || mark == "~" || mark == "·" || mark == "✗"
		if outcome {
			seen[e.Flow]++
		}
		if j.Quiet && mark != "✗" && mark != "!" {
			return
		}
		n := ""
		if outcome {
			n = fmt.Sprintf("%4d", seen[e.Flow])
		} else {
			n = "    "
		}
		sink := ""
		if e.SinkID != "" && outcome {
			sink = " → " + short(e.SinkID)
		}
		if r := []rune(text); len(r) > 72 {
			text = string(r[:71]) + "…"
		}
		fmt.Fprintf(j.Out, "  %s %s %-22s %s%s\n", n, mark, e.Record, text, sink)
	})
}

func short(id string) string {
	if len(id) > 13 {
		return id[:8] + "…"
	}
	return id
}

// PrintSummary writes the rows as a table.
func PrintSummary(w io.Writer, title string, rows []Row) {
	fmt.Fprintf(w, "\n%s\n", title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "FLOW\tCREATED\tUPDATED\tSKIPPED\tFAILED\tAPI CALLS\t")
	var total Row
	for _, r := range rows {
		name := r.Flow
		if r.Aborted != nil {
			name += " (stopped)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", name, r.Created, r.Updated, r.Skipped, r.Failed, r.Calls)
		total.Created += r.Created
		total.Updated += r.Updated
		total.Skipped += r.Skipped
		total.Failed += r.Failed
		total.Calls += r.Calls
	}
	fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", "total", total.Created, total.Updated, total.Skipped, total.Failed, total.Calls)
	tw.Flush()
}

// Failed reports whether any row failed or stopped.
func Failed(rows []Row) bool {
	for _, r := range rows {
		if r.Failed > 0 || r.Aborted != nil {
			return true
		}
	}
	return false
}

// FlowNames parses a comma-separated list of flows ("products,orders"),
// checking each against known; "all" or "" selects every known flow.
func FlowNames(list string, known []string) (map[string]bool, error) {
	out := map[string]bool{}
	if list == "" || list == "all" {
		for _, k := range known {
			out[k] = true
		}
		return out, nil
	}
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		ok := false
		for _, k := range known {
			ok = ok || k == n
		}
		if !ok {
			return nil, fmt.Errorf("unknown flow %q (known: %s)", n, strings.Join(known, ", "))
		}
		out[n] = true
	}
	return out, nil
}
