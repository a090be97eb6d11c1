package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/tradelink/tradelink/connector"
)

type stateKey struct{}

func withState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

// callState is the bookkeeping of one Do call across its attempts. The
// retry loop is sequential, so only the trace flag needs atomics.
type callState struct {
	c          *Client
	req        *Request
	idempotent bool
	path       string

	attempt int
	wrote   atomic.Bool // the current attempt wrote its request headers
	// applied is set once an attempt may have been processed by the server:
	// it reached the server and no answer proved otherwise.
	applied bool

	status  int
	header  http.Header
	body    []byte
	apiErr  *connector.APIError
	readErr error

	nextWait time.Duration
	waited   time.Duration
}

// run executes the retry loop for req.
func (st *callState) run(req *http.Request) (*Response, error) {
	c := st.c
	rc := &retryablehttp.Client{
		HTTPClient:   c.http,
		RetryMax:     c.retry.MaxAttempts - 1,
		RetryWaitMin: c.retry.MinBackoff,
		RetryWaitMax: c.retry.MaxBackoff,
		CheckRetry:   st.checkRetry,
		Backoff:      func(time.Duration, time.Duration, int, *http.Response) time.Duration { return st.nextWait },
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	var body any
	if st.req.Body != nil {
		body = st.req.Body // []byte: rewound identically for every attempt
	}
	rreq, err := retryablehttp.NewRequestWithContext(req.Context(), req.Method, req.URL.String(), body)
	if err != nil {
		return nil, st.wrap(err)
	}
	rreq.Header = req.Header
	resp, err := rc.Do(rreq)
	ctx := req.Context()
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, st.outcome(ctxErr)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, st.outcome(&redactedError{err: err, msg: c.redact.string(err.Error())})
	}
	if resp.Body != nil {
		resp.Body.Close()
	}
	if st.readErr != nil {
		return nil, st.outcome(&redactedError{err: st.readErr, msg: c.redact.string(st.readErr.Error())})
	}
	if st.status >= 200 && st.status < 300 {
		return &Response{StatusCode: st.status, Header: st.header, Body: st.body, URL: c.redact.url(req.URL.String())}, nil
	}
	ae := st.apiErr
	if !st.idempotent && st.applied {
		return nil, &connector.OutcomeUnknownError{System: c.cfg.System, Method: st.req.Method, Path: st.path, Err: ae}
	}
	return nil, ae
}

// outcome wraps a transport failure: a write that may have been applied
// becomes an OutcomeUnknownError, anything else names the request.
func (st *callState) outcome(err error) error {
	if !st.idempotent && st.applied {
		return &connector.OutcomeUnknownError{System: st.c.cfg.System, Method: st.req.Method, Path: st.path, Err: err}
	}
	return st.wrap(err)
}

func (st *callState) wrap(err error) error {
	return &requestError{system: st.c.cfg.System, method: st.req.Method, path: st.path, err: err}
}

// requestError names the request a transport error belongs to.
type requestError struct {
	system, method, path string
	err                  error
}

func (e *requestError) Error() string {
	return e.system + ": " + e.method + " " + e.path + ": " + e.err.Error()
}

func (e *requestError) Unwrap() error { return e.err }

// authorizeError is a failure of the Authorizer (a token refresh was
// refused, a signing key is missing). The request was never sent and is not
// retried.
type authorizeError struct{ err error }

func (e *authorizeError) Error() string { return "authorize request: " + e.err.Error() }
func (e *authorizeError) Unwrap() error { return e.err }

// redactedError keeps the cause for errors.Is/As (timeouts, net errors) but
// prints a message with secrets removed.
type redactedError struct {
	err error
	msg string
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// checkRetry is go-retryablehttp's CheckRetry: it reads the answer, decides
// whether the attempt may be repeated, and plans the wait.
func (st *callState) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st.nextWait = 0
	st.readErr = nil
	if err != nil {
		if errors.As(err, new(*authorizeError)) {
			return false, nil // credentials could not be attached: retrying cannot help
		}
		if st.wrote.Load() {
			st.applied = true
		}
		if ctx.Err() != nil {
			return false, nil
		}
		if !st.idempotent && st.wrote.Load() {
			return false, nil // may have reached the server: never repeat
		}
		return st.planRetry(nil, err)
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := int64(MaxErrorBody)
	if ok {
		limit = st.c.maxBody
	}
	body, rerr := readCapped(resp.Body, limit)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	st.status, st.header, st.body = resp.StatusCode, resp.Header, body
	st.apiErr = nil
	switch {
	case rerr == nil:
	case errors.Is(rerr, errTooLarge) && !ok:
		// An oversized error body is decoded from its first MaxErrorBody bytes.
	case errors.Is(rerr, errTooLarge):
		st.readErr = rerr
		st.applied = true
		return false, nil
	default:
		// The connection broke while the body was read: the server answered,
		// so a write may have been applied.
		st.readErr = rerr
		st.applied = true
		if ctx.Err() != nil || !st.idempotent {
			return false, nil
		}
		return st.planRetry(resp, rerr)
	}
	if ok {
		st.applied = true
		return false, nil
	}
	st.apiErr = st.c.decode(st.req.Method, st.path, resp.StatusCode, resp.Header, body)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		// Rejected before processing: safe to repeat for every method.
	case !st.apiErr.Retryable():
		return false, nil
	case !st.idempotent:
		st.applied = true // a gateway error: the upstream may have done it
		return false, nil
	}
	return st.planRetry(resp, st.apiErr)
}

// planRetry decides the wait before the next attempt, or stops when the
// attempts or the total wait are used up.
func (st *callState) planRetry(resp *http.Response, cause error) (bool, error) {
	p := st.c.retry
	if st.attempt >= p.MaxAttempts {
		return false, nil
	}
	// The server's word wins: a Retry-After header, else a wait the
	// vendor's error body gave (decoded into APIError.RetryAfter).
	wait, explicit := retryAfter(resp)
	if !explicit && resp != nil && st.apiErr != nil && st.apiErr.RetryAfter > 0 {
		wait, explicit = st.apiErr.RetryAfter, true
	}
	if !explicit {
		wait = backoff(p.MinBackoff, p.MaxBackoff, st.attempt)
	}
	if st.waited+wait > p.MaxTotalWait {
		st.c.log.Warn("giving up: retry wait budget used up", "system", st.c.cfg.System,
			"method", st.req.Method, "path", st.path, "attempt", st.attempt, "wait", wait, "waited", st.waited)
		return false, nil
	}
	st.waited += wait
	st.nextWait = wait
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	st.c.log.Warn("retrying", "system", st.c.cfg.System, "method", st.req.Method, "path", st.path,
		"attempt", st.attempt, "status", status, "wait", wait, "error", st.c.redact.string(cause.Error()))
	st.c.observe(connector.CallEvent{Kind: connector.CallRetry, System: st.c.cfg.System, Method: st.req.Method,
		Path: st.path, Attempt: st.attempt, StatusCode: status, Wait: wait, Err: st.c.redactErr(cause)})
	return true, nil
}

// backoff is exponential in the attempt number with jitter: a random wait
// between half and all of min·2^(attempt-1), capped at max.
func backoff(minWait, maxWait time.Duration, attempt int) time.Duration {
	w := minWait
	for i := 1; i < attempt && w < maxWait; i++ {
		w *= 2
	}
	if w > maxWait {
		w = maxWait
	}
	half := w / 2
	return half + time.Duration(rand.Int64N(int64(w-half)+1))
}

// retryAfter reads a Retry-After header given in seconds or as an HTTP-date.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	return parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
}

func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// decode builds the APIError for an error answer.
func (c *Client) decode(method, path string, status int, h http.Header, body []byte) *connector.APIError {
	var ae *connector.APIError
	if c.cfg.DecodeError != nil {
		ae = c.cfg.DecodeError(status, h, body)
	}
	if ae == nil {
		ae = &connector.APIError{Message: strings.TrimSpace(string(body))}
		if len(ae.Message) > 512 {
			ae.Message = ae.Message[:512] + "…"
		}
	}
	ae.System, ae.Method, ae.Path, ae.StatusCode = c.cfg.System, method, path, status
	ae.Message = c.redact.string(ae.Message)
	// A Retry-After header overrides a wait the decoder read from the body.
	if d, ok := parseRetryAfter(h.Get("Retry-After"), time.Now()); ok {
		ae.RetryAfter = d
	}
	return ae
}

func (c *Client) observe(e connector.CallEvent) {
	if c.cfg.Observer != nil {
		c.cfg.Observer(e)
	}
}

func (c *Client) redactErr(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{err: err, msg: c.redact.string(err.Error())}
}

// attemptTransport runs around every attempt: it waits for the rate limiter,
// signs the request, notes whether the request reached the wire, and logs.
type attemptTransport struct {
	c    *Client
	next http.RoundTripper
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	st, _ := req.Context().Value(stateKey{}).(*callState)
	if st == nil {
		return t.next.RoundTrip(req)
	}
	c := t.c
	ctx := req.Context()
	st.attempt++
	st.wrote.Store(false)
	if err := c.wait(ctx, st); err != nil {
		return nil, err
	}
	out := req.Clone(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteHeaders: func() { st.wrote.Store(true) },
	}))
	if c.cfg.Authorize != nil {
		if err := c.cfg.Authorize(out, st.req.Body); err != nil {
			return nil, &authorizeError{err}
		}
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(out)
	dur := time.Since(start)
	ev := connector.CallEvent{Kind: connector.CallAttempt, System: c.cfg.System, Method: req.Method,
		Path: st.path, Attempt: st.attempt, Duration: dur, Err: c.redactErr(err)}
	attrs := []any{"system", c.cfg.System, "method", req.Method, "url", c.redact.url(req.URL.String()),
		"attempt", st.attempt, "duration", dur}
	if resp != nil {
		ev.StatusCode = resp.StatusCode
		attrs = append(attrs, "status", resp.StatusCode)
	}
	if err != nil {
		attrs = append(attrs, "error", c.redact.string(err.Error()))
	}
	if c.log.Enabled(ctx, slog.LevelDebug) {
		attrs = append(attrs, slog.Group("headers", c.redact.headers(out.Header)...))
	}
	c.log.Debug("http request", attrs...)
	c.observe(ev)
	return resp, err
}

// wait blocks until the limiter admits the request or ctx ends.
func (c *Client) wait(ctx context.Context, st *callState) error {
	lim := st.req.Limiter
	if lim == nil {
		lim = c.cfg.Limiter
	}
	if lim == nil {
		return nil
	}
	r := lim.Reserve()
	if !r.OK() {
		return errors.New("rate limiter cannot admit a request (burst is zero)")
	}
	d := r.Delay()
	if d <= 0 {
		return nil
	}
	c.observe(connector.CallEvent{Kind: connector.CallRateLimited, System: c.cfg.System, Method: st.req.Method,
		Path: st.path, Attempt: st.attempt, Wait: d})
	c.log.Debug("rate limited", "system", c.cfg.System, "method", st.req.Method, "path", st.path, "wait", d)
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
