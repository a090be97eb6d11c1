package demo

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
)

// Session is one run of a pair program: the flows from Src to Sink, run
// or planned once, with an activity log and a summary.
type Session struct {
	Src, Sink connector.System
	// Config configures the flows; Store is required. The session's
	// activity log is added to Config.Observer.
	Config PairConfig
	// Plan makes the session a dry run that prints diffs (see Job.Plan).
	Plan bool
	// Quiet prints the summary and failures only.
	Quiet bool
	// Meter, when set, counts the API calls shown in the summary.
	Meter *Meter
	Out   io.Writer
}

// Run builds the flows (a mapping that does not compile is an error here,
// before any call), runs or plans them, prints the activity log and the
// summary, and returns the summary rows. The error says how many records
// failed or which flows stopped, if any did.
func (s Session) Run(ctx context.Context) ([]Row, error) {
	job := &Job{Out: s.Out, Meter: s.Meter, Quiet: s.Quiet, Plan: s.Plan, Reveal: s.Config.RevealPersonalData}
	cfg := s.Config
	printer := job.Printer()
	if s.Meter != nil {
		s.Meter.Forward(printer) // client retries and rate-limit waits in the log
	}
	if prev := cfg.Observer; prev != nil {
		cfg.Observer = flow.ObserverFunc(func(e flow.Event) {
			prev.Event(e)
			printer.Event(e)
		})
	} else {
		cfg.Observer = printer
	}
	if s.Plan {
		cfg.planned = &plannedSKUs{}
	}
	flows, err := Pair(s.Src, s.Sink, cfg)
	if err != nil {
		return nil, err
	}
	job.Flows = flows
	rows := job.Run(ctx)
	title := "summary"
	if s.Plan {
		title = "plan (nothing was written)"
	}
	PrintSummary(s.Out, title, rows)
	if err := ctx.Err(); err != nil {
		return rows, err
	}
	failed, stopped := 0, 0
	for _, r := range rows {
		failed += r.Failed
		if r.Aborted != nil {
			stopped++
		}
	}
	var what []string
	if failed > 0 {
		what = append(what, count(failed, "record")+" failed")
	}
	if stopped > 0 {
		what = append(what, count(stopped, "flow")+" stopped")
	}
	if len(what) > 0 {
		return rows, fmt.Errorf("%s; see above (what failed is tried again on the next run)", strings.Join(what, " and "))
	}
	return rows, nil
}

// count returns "1 record", "2 records".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
