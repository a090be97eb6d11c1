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

// RetryPolicy says how often and how long a client retries a request that
// failed transiently (429, 502–504, network errors). Every client's
// WithRetry option takes one; zero fields take the client's defaults.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts including the first; 1 disables
	// retries.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the jittered exponential backoff.
	MinBackoff, MaxBackoff time.Duration
	// MaxTotalWait caps the sum of all waits between attempts of one
	// request, Retry-After included; when the next wait would pass it the
	// last error is returned instead.
	MaxTotalWait time.Duration
}
