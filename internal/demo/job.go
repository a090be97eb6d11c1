package demo

import (
	"context"
	"fmt"
	"io"
	"regexp"
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

// Meter counts API calls per system through client observers, and can
// forward the clients' retries and rate-limit waits to the activity log.
type Meter struct {
	mu      sync.Mutex
	calls   map[string]int64
	forward map[string]connector.CallObserver
	to      flow.Observer
}

// NewMeter returns an empty meter.
func NewMeter() *Meter {
	return &Meter{calls: map[string]int64{}, forward: map[string]connector.CallObserver{}}
}

// Forward sends every call event to o as a flow event (see
// flow.CallObserver): retries and rate-limit waits then show in the
// activity log.
func (m *Meter) Forward(o flow.Observer) {
	m.mu.Lock()
	m.to = o
	clear(m.forward)
	m.mu.Unlock()
}

// Observer returns the call observer to give the client of system; it
// counts every HTTP attempt and forwards the events (see Forward).
func (m *Meter) Observer(system string) connector.CallObserver {
	return func(e connector.CallEvent) {
		m.mu.Lock()
		if e.Kind == connector.CallAttempt {
			m.calls[system]++
		}
		fw := m.forward[system]
		if fw == nil && m.to != nil {
			fw = flow.CallObserver(system, m.to)
			m.forward[system] = fw
		}
		m.mu.Unlock()
		if fw != nil {
			fw(e)
		}
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
	// Plan runs each flow's Plan instead of Run: nothing is written, and
	// every record that would be created or updated is printed with its
	// field diff.
	Plan bool
	// Reveal shows personal data in plan diffs; by default the values of
	// PersonalFields are masked.
	Reveal bool
}

// planner is a flow that can report what it would do without writing.
type planner interface {
	Plan(ctx context.Context) (*flow.Report, error)
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
		rep, err := j.run(ctx, f)
		row := Row{Flow: f.Name(), Aborted: err}
		if rep != nil {
			if j.Plan {
				j.printPlan(rep)
			}
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

func (j *Job) run(ctx context.Context, f Flow) (*flow.Report, error) {
	if !j.Plan {
		return f.Run(ctx)
	}
	p, ok := f.(planner)
	if !ok {
		return nil, fmt.Errorf("%s cannot plan", f.Name())
	}
	return p.Plan(ctx)
}

// printPlan writes each record a plan would create or update, with the
// fields and the diff.
func (j *Job) printPlan(rep *flow.Report) {
	for _, e := range rep.Entries {
		if e.Outcome != flow.Created && e.Outcome != flow.Updated {
			continue
		}
		mark := "+"
		if e.Outcome == flow.Updated {
			mark = "~"
		}
		fmt.Fprintf(j.Out, "  %s %s: %s", mark, e.Record, e.Reason)
		if e.Outcome == flow.Updated && len(e.Fields()) > 0 {
			fmt.Fprintf(j.Out, " (%s)", strings.Join(e.Fields(), ", "))
		}
		fmt.Fprintln(j.Out)
		if e.Changes != nil {
			for _, m := range e.Changes.Misses {
				fmt.Fprintf(j.Out, "      ! %s\n", m)
			}
		}
		if d := strings.TrimRight(e.Diff(), "\n"); d != "" {
			if e.Outcome == flow.Created {
				d = createdLines(d)
			}
			if !j.Reveal {
				d = MaskDiff(d)
			}
			for line := range strings.SplitSeq(d, "\n") {
				fmt.Fprintf(j.Out, "      %s\n", line)
			}
		}
	}
}

// createdLines shortens the diff of a record from nothing: it keeps the
// added lines and the lines that open and close a struct, and drops the
// removed zero values and unchanged empty fields.
func createdLines(diff string) string {
	var out []string
	for line := range strings.SplitSeq(diff, "\n") {
		t := strings.TrimLeft(line, " \t\u00a0")
		switch {
		case strings.HasPrefix(t, "+"):
			out = append(out, line)
		case strings.HasPrefix(t, "-"):
		case strings.HasSuffix(t, "{"), strings.HasPrefix(t, "}"):
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// PersonalFields are the canonical fields whose values MaskDiff masks:
// e-mail addresses, names, phone numbers, street addresses and tax
// numbers of customers and their addresses, and order notes.
var PersonalFields = []string{"Email", "FirstName", "LastName", "CompanyName", "Phone", "Street", "Street2",
	"HouseNumber", "HouseNumberSuffix", "PostalCode", "VATNumber", "CoCNumber", "Notes"}

// personalValue matches a personal field with a quoted value in a go-cmp
// diff, wherever it stands on a line (go-cmp prints short structs on one
// line and may indent with non-breaking spaces).
var personalValue = regexp.MustCompile(`\b(` + strings.Join(PersonalFields, "|") + `)(:[\s\x{a0}]*)"(?:[^"\\]|\\.)+"`)

// MaskDiff replaces the non-empty values of PersonalFields in a go-cmp
// diff by "…".
func MaskDiff(diff string) string {
	return personalValue.ReplaceAllString(diff, `$1$2"…"`)
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
		if (j.Quiet || j.Plan) && mark != "✗" && mark != "!" {
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
