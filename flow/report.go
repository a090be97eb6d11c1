package flow

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Outcome is what happened to one record in a run.
type Outcome string

// Outcomes of a record.
const (
	Created Outcome = "created"
	Updated Outcome = "updated"
	Skipped Outcome = "skipped"
	Failed  Outcome = "failed"
)

// Entry is the report line of one record.
type Entry struct {
	// Record names the record, e.g. `order "1001"` or `product "MUG-1"`.
	Record string
	// SourceID and SinkID are the record's IDs in the two systems.
	SourceID, SinkID string
	Outcome          Outcome
	// Reason says why, e.g. "already synced", "filtered: status new",
	// "unchanged", "exists in sink".
	Reason string
	// Err is the error of a failed record.
	Err error
	// Changes details what an update wrote or a plan would write, and the
	// value-table lookups that found no entry; nil when there is nothing to
	// say (most records of a large run), which keeps reports small.
	Changes *Changes
}

// Changes details the fields of one record.
type Changes struct {
	// Fields lists the target fields an update wrote, or, in a plan, the
	// fields a create or update would write.
	Fields []string
	// Diff is the field-level difference a plan found (go-cmp format).
	Diff string
	// Misses lists value-table lookups that found no entry.
	Misses []string
}

// changes returns nil when there is nothing to report.
func changes(fields []string, diff string, misses []string) *Changes {
	if len(fields) == 0 && diff == "" && len(misses) == 0 {
		return nil
	}
	return &Changes{Fields: fields, Diff: diff, Misses: misses}
}

// Fields returns the entry's changed fields, if any.
func (e Entry) Fields() []string {
	if e.Changes == nil {
		return nil
	}
	return e.Changes.Fields
}

// Diff returns the entry's field-level diff, if any.
func (e Entry) Diff() string {
	if e.Changes == nil {
		return ""
	}
	return e.Changes.Diff
}

// Report is the result of a run or a plan: one entry per record, in the
// order the source returned them.
type Report struct {
	// Flow names the flow, e.g. "orders ccvshop->eaccounting".
	Flow string
	// DryRun is set for a report made by Plan: nothing was written.
	DryRun bool
	// Started and Finished bound the run.
	Started, Finished time.Time
	Entries           []Entry
	// Aborted is the cause when the run stopped early: the context ended,
	// the stop window tripped, or the source failed.
	Aborted error
	// Cursor is the position the next run continues from.
	Cursor Cursor
}

// Count returns how many entries have outcome o.
func (r *Report) Count(o Outcome) int {
	n := 0
	for _, e := range r.Entries {
		if e.Outcome == o {
			n++
		}
	}
	return n
}

// Failures returns the failed entries.
func (r *Report) Failures() []Entry {
	var out []Entry
	for _, e := range r.Entries {
		if e.Outcome == Failed {
			out = append(out, e)
		}
	}
	return out
}

// Summary is a one-line account of the run.
func (r *Report) Summary() string {
	s := fmt.Sprintf("%s: %d created, %d updated, %d skipped, %d failed",
		r.Flow, r.Count(Created), r.Count(Updated), r.Count(Skipped), r.Count(Failed))
	if r.DryRun {
		s = "plan " + s
	}
	if r.Aborted != nil {
		s += " (aborted: " + r.Aborted.Error() + ")"
	}
	return s
}

// WriteTable writes the entries as an aligned table.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RECORD\tOUTCOME\tSOURCE\tSINK\tREASON")
	for _, e := range r.Entries {
		reason := e.Reason
		if e.Err != nil {
			reason = strings.TrimSpace(reason + " " + e.Err.Error())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Record, e.Outcome, e.SourceID, e.SinkID, reason)
	}
	return tw.Flush()
}
