package connector

import "time"

// CallEventKind says what a [CallEvent] reports.
type CallEventKind int

// Kinds of call events.
const (
	// CallAttempt reports one HTTP attempt that got an answer or failed.
	CallAttempt CallEventKind = iota + 1
	// CallRetry reports that a failed attempt will be retried after Wait.
	CallRetry
	// CallRateLimited reports that a request waited Wait for the client-side
	// rate limiter before it was sent.
	CallRateLimited
)

// String implements fmt.Stringer.
func (k CallEventKind) String() string {
	switch k {
	case CallAttempt:
		return "attempt"
	case CallRetry:
		return "retry"
	case CallRateLimited:
		return "rate_limited"
	}
	return "unknown"
}

// CallEvent reports one step of a call to a remote API. Clients send it to
// the observer they were configured with, so a host application can count API
// calls and alert on retries and throttling. It carries no credentials: Path
// has no query string and Err is redacted.
type CallEvent struct {
	Kind       CallEventKind
	System     string
	Method     string
	Path       string
	Attempt    int
	StatusCode int
	// Duration is how long the attempt took (CallAttempt).
	Duration time.Duration
	// Wait is the backoff before a retry or the time spent waiting for the
	// rate limiter.
	Wait time.Duration
	Err  error
}

// CallObserver receives call events. It is called synchronously from the
// requesting goroutine and must be safe for concurrent use.
type CallObserver func(CallEvent)
