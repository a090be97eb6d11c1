package fakes

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Faults is the queue of faults injected into a fake server. Each fault
// applies to the next matching requests, as many times as it was added with
// (at least once), in the order added. The zero value is ready; it is safe
// for concurrent use.
type Faults[F any] struct {
	mu   sync.Mutex
	list []*pending[F]
}

type pending[F any] struct {
	f    F
	left int
}

// Add queues f for the next times matching requests (times < 1 means 1).
func (q *Faults[F]) Add(f F, times int) {
	q.mu.Lock()
	q.list = append(q.list, &pending[F]{f: f, left: max(times, 1)})
	q.mu.Unlock()
}

// Clear drops every queued fault.
func (q *Faults[F]) Clear() {
	q.mu.Lock()
	q.list = nil
	q.mu.Unlock()
}

// Take returns the first queued fault that match accepts and uses one of
// its times up.
func (q *Faults[F]) Take(match func(F) bool) (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, p := range q.list {
		if !match(p.f) {
			continue
		}
		if p.left--; p.left <= 0 {
			q.list = append(q.list[:i:i], q.list[i+1:]...)
		}
		return p.f, true
	}
	var zero F
	return zero, false
}

// Sleep waits d, or until ctx ends (the client gave up); it reports whether
// the whole wait passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Replay writes an answer recorded with httptest.ResponseRecorder to w: the
// fakes apply a write first and answer afterwards to model "committed, but
// the answer came late".
func Replay(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}
