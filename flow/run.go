package flow

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/tradelink/tradelink/connector"
)

// Options are the settings every flow shares. The zero value works: an
// in-memory store, four workers, three attempts per call and a stop window
// of 10 failures in the last 20 records.
type Options struct {
	// Store keeps links, hashes and cursors between runs; nil means a new
	// MemoryStore (state then ends with the flow value).
	Store Store
	// Name distinguishes flows that share a store and a system pair (for
	// example two shops); it prefixes every state key.
	Name string
	// Concurrency bounds how many records are processed at once; zero
	// means 4.
	Concurrency int
	// StopWindow aborts a run when too many recent records failed.
	StopWindow StopWindow
	// Retry is how often a record's failing call is tried within a run.
	Retry RetryPolicy
	// Since is where the first run starts when no cursor is stored yet;
	// zero means from the beginning.
	Since time.Time
	// Lookback makes every run read this far back before its cursor (time
	// cursors only) and look at those records again. Use it for sources
	// whose records change without a new change time — CCV Shop orders have
	// only a creation date, so an order that was unpaid when first seen and
	// is paid a day later would otherwise never sync. Records looked at
	// again that are still synced or filtered cost no write and stay out of
	// the report.
	Lookback time.Duration
	// Logger receives the activity log; nil discards it.
	Logger *slog.Logger
	// Observer receives every event; nil means none.
	Observer Observer
	// RevealPersonalData logs e-mail addresses and names unmasked.
	RevealPersonalData bool
	// Now returns the run time (expressions see it as Now); nil means
	// time.Now.
	Now func() time.Time
}

// StopWindow aborts a run when Failures of the last Window records failed
// (a revoked credential fails every record; there is no point going on).
type StopWindow struct {
	Failures int
	Window   int
	// Disabled turns the window off.
	Disabled bool
}

// RetryPolicy says how a flow retries a call that failed transiently
// (connector.Retryable) within one run. Clients already retry at the HTTP
// level; this covers what is left, and in-memory connectors.
type RetryPolicy struct {
	// Attempts per call, including the first; zero means 3.
	Attempts int
	// Backoff is the wait before the second attempt, doubled after that;
	// zero means 200 ms.
	Backoff time.Duration
}

func (o *Options) defaults() {
	if o.Store == nil {
		o.Store = NewMemoryStore()
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.StopWindow.Failures <= 0 || o.StopWindow.Window <= 0 {
		o.StopWindow.Failures, o.StopWindow.Window = 10, 20
	}
	if o.StopWindow.Window < o.StopWindow.Failures {
		o.StopWindow.Window = o.StopWindow.Failures
	}
	if o.Retry.Attempts <= 0 {
		o.Retry.Attempts = 3
	}
	if o.Retry.Backoff <= 0 {
		o.Retry.Backoff = 200 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

func (o *Options) key(parts ...string) string {
	k := ""
	if o.Name != "" {
		k = o.Name + "/"
	}
	for i, p := range parts {
		if i > 0 {
			k += "/"
		}
		k += p
	}
	return k
}

// ErrStopWindow is the cause of a run aborted by its stop window.
var ErrStopWindow = errors.New("too many failures")

// meta is what the runner needs to know of a record.
type meta struct {
	id, record string
	pos        Position
}

// job is one record with its place in the stream.
type job[T any] struct {
	seq   int
	rec   T
	m     meta
	retry bool
	// revisit marks a record before the cursor looked at again
	// (Options.Lookback); if it is still skipped it stays out of the report.
	revisit bool
}

// spec describes one flow run for the generic runner.
type spec[T any] struct {
	flow    string // flow label for events and the report
	key     string // state key of the cursor and the retries
	opts    *Options
	em      *emitter
	dry     bool
	cursors bool // false: every run streams everything (stock)
	stream  func(ctx context.Context, from Position) iter.Seq2[T, error]
	meta    func(T) meta
	process func(ctx context.Context, rec T, m meta) Entry
	// prepare, when set, sees each batch of records before they are
	// dispatched (to look many of them up in one request).
	prepare func(ctx context.Context, batch []T)
}

// prepareBatch is how many records the dispatcher gathers for spec.prepare.
const prepareBatch = 20

// execute streams the source and processes records with bounded
// concurrency. The cursor advances over the contiguous prefix of records
// that are done — succeeded, skipped, or failed and recorded for retry —
// and only when the run completes, so a crash or cancellation never skips a
// record.
func execute[T any](ctx context.Context, s spec[T]) (*Report, error) {
	o := s.opts
	bg := context.WithoutCancel(ctx) // bookkeeping must outlive cancellation
	rep := &Report{Flow: s.flow, DryRun: s.dry, Started: o.Now()}
	s.em.emit(Event{Kind: EventRunStarted, Message: "run started"})

	cur := Cursor{}
	retries := map[string]Retry{}
	if s.cursors {
		var err error
		if cur, err = o.Store.Cursor(ctx, s.key); err != nil {
			return nil, err
		}
		rs, err := o.Store.Retries(ctx, s.key)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			retries[r.SourceID] = r
		}
	}
	from := cur.Position
	if from.IsZero() && !o.Since.IsZero() {
		from = Position{Time: o.Since}
		cur.Position = from
	}
	// The dispatcher compares records with the cursor as it stood when the
	// run began; the collector advances cur meanwhile.
	start := cur
	ties := map[string]bool{}
	for _, id := range start.Ties {
		ties[id] = true
	}
	// The window of records looked at again (see Options.Lookback).
	revisitFrom := start.Position
	revisiting := s.cursors && o.Lookback > 0 && start.Token == "" && !start.Time.IsZero()
	if revisiting {
		revisitFrom = Position{Time: start.Time.Add(-o.Lookback)}
		if revisitFrom.Compare(from) < 0 {
			from = revisitFrom
		}
	}
	for _, r := range retries {
		if r.Position.Compare(from) < 0 {
			from = r.Position
		}
	}

	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan job[T])
	type result struct {
		job   job[T]
		entry Entry
	}
	results := make(chan result)
	var workers sync.WaitGroup
	for range o.Concurrency {
		workers.Go(func() {
			for j := range jobs {
				e := s.process(runCtx, j.rec, j.m)
				if e.Record == "" {
					e.Record = j.m.record
				}
				if e.SourceID == "" {
					e.SourceID = j.m.id
				}
				results <- result{j, e}
			}
		})
	}
	var sourceErr error
	go func() {
		defer func() {
			close(jobs)
			workers.Wait()
			close(results)
		}()
		seq := 0
		batch := 1
		if s.prepare != nil {
			batch = prepareBatch
		}
		var buf []job[T]
		flush := func() bool {
			if len(buf) == 0 {
				return true
			}
			if s.prepare != nil {
				recs := make([]T, len(buf))
				for i, j := range buf {
					recs[i] = j.rec
				}
				s.prepare(runCtx, recs)
			}
			for _, j := range buf {
				select {
				case jobs <- j:
				case <-runCtx.Done():
					return false
				}
			}
			buf = buf[:0]
			return true
		}
		for rec, err := range s.stream(runCtx, from) {
			if err != nil {
				if runCtx.Err() == nil {
					sourceErr = fmt.Errorf("source: %w", err)
				}
				flush()
				return
			}
			m := s.meta(rec)
			_, isRetry := retries[m.id]
			revisit := false
			if s.cursors && !isRetry {
				c := m.pos.Compare(start.Position)
				if c < 0 || (c == 0 && ties[m.id]) {
					if !revisiting || m.pos.Compare(revisitFrom) < 0 {
						continue // done in an earlier run
					}
					revisit = true
				}
			}
			s.em.emit(Event{Kind: EventFetched, Record: m.record, SourceID: m.id})
			buf = append(buf, job[T]{seq: seq, rec: rec, m: m, retry: isRetry, revisit: revisit})
			seq++
			if len(buf) >= batch && !flush() {
				return
			}
		}
		flush()
	}()

	// Collect results in completion order; advance the cursor over the
	// contiguous prefix in stream order.
	pending := map[int]result{}
	next := 0
	var window []bool
	var lastErr error
	var storeErr error
	ordered := []Entry{}
	for res := range results {
		pending[res.job.seq] = res
		e := res.entry
		if e.Outcome == Failed {
			lastErr = e.Err
		}
		if !s.dry && s.cursors {
			if e.Outcome == Failed {
				if err := o.Store.AddRetry(bg, s.key, Retry{SourceID: res.job.m.id, Position: res.job.m.pos, Attempts: 1}); err != nil && storeErr == nil {
					storeErr = err
				}
			} else if res.job.retry {
				if err := o.Store.RemoveRetry(bg, s.key, res.job.m.id); err != nil && storeErr == nil {
					storeErr = err
				}
			}
		}
		// Stop window, in completion order.
		// Records cut short by the run's own cancellation do not count.
		if !o.StopWindow.Disabled && !errors.Is(e.Err, context.Canceled) {
			window = append(window, e.Outcome == Failed)
			if len(window) > o.StopWindow.Window {
				window = window[1:]
			}
			if countTrue(window) >= o.StopWindow.Failures && runCtx.Err() == nil {
				cancel(fmt.Errorf("%w: %d of the last %d records failed; last error: %v",
					ErrStopWindow, countTrue(window), len(window), lastErr))
			}
		}
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if !(r.job.revisit && r.entry.Outcome == Skipped) {
				ordered = append(ordered, r.entry)
			}
			if r.job.m.pos.IsZero() {
				continue
			}
			switch c := r.job.m.pos.Compare(cur.Position); {
			case c > 0:
				cur = Cursor{Position: r.job.m.pos, Ties: []string{r.job.m.id}}
			case c == 0 && !slices.Contains(cur.Ties, r.job.m.id):
				cur.Ties = append(cur.Ties, r.job.m.id)
			}
		}
	}
	rep.Entries = ordered
	// A run cut short keeps the cursor it started with. The records it did
	// finish are linked (or hashed), so the next run passes them cheaply;
	// advancing could skip records the source had yet to deliver, because
	// not every source streams in cursor order (CCV Shop reads one listing
	// per status, each going back in time).
	if sourceErr != nil || runCtx.Err() != nil {
		cur = start
	}
	if s.cursors && !s.dry {
		if err := o.Store.SetCursor(bg, s.key, cur); err != nil && storeErr == nil {
			storeErr = err
		}
	}
	rep.Cursor = cur
	rep.Finished = o.Now()
	switch {
	case sourceErr != nil:
		rep.Aborted = sourceErr
	case context.Cause(runCtx) != nil && ctx.Err() == nil:
		rep.Aborted = context.Cause(runCtx)
	case ctx.Err() != nil:
		rep.Aborted = ctx.Err()
	}
	if storeErr != nil && rep.Aborted == nil {
		rep.Aborted = storeErr
	}
	s.em.emit(Event{Kind: EventRunFinished, Message: rep.Summary(), Err: rep.Aborted})
	return rep, rep.Aborted
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// call runs op, retrying transient failures (connector.Retryable, except
// an unknown write outcome, which the caller resolves by lookup) with
// exponential backoff.
func call[R any](ctx context.Context, o *Options, em *emitter, m meta, what string, op func(context.Context) (R, error)) (R, error) {
	return retrying(ctx, o, em, m, what, false, op)
}

// callIdempotent runs a write that may be repeated (an update that writes
// the whole record, setting a stock level or a status): an unknown outcome
// is retried like any transient failure.
func callIdempotent[R any](ctx context.Context, o *Options, em *emitter, m meta, what string, op func(context.Context) (R, error)) (R, error) {
	return retrying(ctx, o, em, m, what, true, op)
}

func retrying[R any](ctx context.Context, o *Options, em *emitter, m meta, what string, idempotent bool, op func(context.Context) (R, error)) (R, error) {
	var zero R
	wait := o.Retry.Backoff
	for attempt := 1; ; attempt++ {
		r, err := op(ctx)
		if err == nil {
			return r, nil
		}
		if attempt >= o.Retry.Attempts || !connector.Retryable(err) || ctx.Err() != nil ||
			(!idempotent && errors.Is(err, connector.ErrOutcomeUnknown)) {
			return zero, err
		}
		em.emit(Event{Kind: EventRetried, Record: m.record, SourceID: m.id, Err: err, Wait: wait,
			Message: fmt.Sprintf("%s failed (attempt %d), retrying", what, attempt)})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return zero, ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
}

// fail builds a failed entry and emits its event.
func fail(em *emitter, m meta, err error) Entry {
	em.emit(Event{Kind: EventFailed, Record: m.record, SourceID: m.id, Err: err})
	return Entry{Outcome: Failed, Err: err, Reason: "failed"}
}

// skip builds a skipped entry and emits its event.
func skip(em *emitter, m meta, sinkID, reason string) Entry {
	em.emit(Event{Kind: EventSkipped, Record: m.record, SourceID: m.id, SinkID: sinkID, Message: reason})
	return Entry{Outcome: Skipped, SinkID: sinkID, Reason: reason}
}
