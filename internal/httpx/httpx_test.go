package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"github.com/tradelink/tradelink/connector"
)

// step is one scripted answer of the fake transport.
type step struct {
	status int
	header http.Header
	body   string
	err    error
	// reached says whether the request reached the server before err.
	reached bool
}

// seen is what the fake transport received in one attempt.
type seen struct {
	method, url string
	header      http.Header
	body        []byte
	at          time.Time
}

// script is an in-memory http.RoundTripper answering with its steps in
// order; the last step repeats.
type script struct {
	mu    sync.Mutex
	steps []step
	seen  []seen
}

func (s *script) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	s.mu.Lock()
	s.seen = append(s.seen, seen{req.Method, req.URL.String(), req.Header.Clone(), body, time.Now()})
	st := s.steps[min(len(s.seen)-1, len(s.steps)-1)]
	s.mu.Unlock()
	if st.err != nil {
		if st.reached {
			if tr := httptrace.ContextClientTrace(req.Context()); tr != nil && tr.WroteHeaders != nil {
				tr.WroteHeaders()
			}
		}
		return nil, st.err
	}
	if tr := httptrace.ContextClientTrace(req.Context()); tr != nil && tr.WroteHeaders != nil {
		tr.WroteHeaders()
	}
	h := st.header
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{StatusCode: st.status, Header: h, Body: io.NopCloser(strings.NewReader(st.body)), Request: req}, nil
}

func (s *script) attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

func newTestClient(t *testing.T, tr http.RoundTripper, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		System:     "test",
		BaseURL:    "https://shop.example.com/api",
		HTTPClient: &http.Client{Transport: tr},
		Retry:      RetryPolicy{MaxAttempts: 4, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, MaxTotalWait: time.Minute},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var errNet = &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
var errDial = &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}

func TestAttempts(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		idempotent bool
		steps      []step
		want       int
		check      func(t *testing.T, err error)
	}{
		{"GET 200", "GET", false, []step{{status: 200}}, 1, isNil},
		{"GET 503 then 200", "GET", false, []step{{status: 503}, {status: 200}}, 2, isNil},
		{"GET 429 then 200", "GET", false, []step{{status: 429}, {status: 200}}, 2, isNil},
		{"GET 502 504 200", "GET", false, []step{{status: 502}, {status: 504}, {status: 200}}, 3, isNil},
		{"GET network error then 200", "GET", false, []step{{err: errNet, reached: true}, {status: 200}}, 2, isNil},
		{"GET 503 forever", "GET", false, []step{{status: 503}}, 4, apiStatus(503)},
		{"GET 500 not retried", "GET", false, []step{{status: 500}}, 1, apiStatus(500)},
		{"GET 400 not retried", "GET", false, []step{{status: 400}}, 1, apiStatus(400)},
		{"GET 404 is ErrNotFound", "GET", false, []step{{status: 404}}, 1, isNotFound},
		{"PUT 503 retried", "PUT", false, []step{{status: 503}, {status: 204}}, 2, isNil},
		{"DELETE network error retried", "DELETE", false, []step{{err: errNet, reached: true}, {status: 204}}, 2, isNil},
		{"POST 429 retried (rejected before processing)", "POST", false, []step{{status: 429}, {status: 201}}, 2, isNil},
		{"POST dial error retried (never sent)", "POST", false, []step{{err: errDial}, {status: 201}}, 2, isNil},
		{"POST 503 not retried", "POST", false, []step{{status: 503}, {status: 201}}, 1, isUnknown(503)},
		{"POST 502 not retried", "POST", false, []step{{status: 502}, {status: 201}}, 1, isUnknown(502)},
		{"POST 504 not retried", "POST", false, []step{{status: 504}, {status: 201}}, 1, isUnknown(504)},
		{"POST network error after send", "POST", false, []step{{err: errNet, reached: true}, {status: 201}}, 1, isUnknown(0)},
		{"PATCH network error after send", "PATCH", false, []step{{err: errNet, reached: true}, {status: 204}}, 1, isUnknown(0)},
		{"POST 400 not retried", "POST", false, []step{{status: 400}}, 1, apiStatus(400)},
		{"POST idempotent 503 retried", "POST", true, []step{{status: 503}, {status: 201}}, 2, isNil},
		{"POST idempotent network error retried", "POST", true, []step{{err: errNet, reached: true}, {status: 201}}, 2, isNil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{steps: tt.steps}
				c := newTestClient(t, s, nil)
				_, err := c.Do(t.Context(), &Request{Method: tt.method, Path: "/things", Body: []byte(`{"a":1}`), Idempotent: tt.idempotent})
				if got := s.attempts(); got != tt.want {
					t.Errorf("attempts = %d, want %d (err %v)", got, tt.want, err)
				}
				tt.check(t, err)
			})
		})
	}
}

func isNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("err = %v", err)
	}
}

func isNotFound(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func apiStatus(code int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		ae, ok := errors.AsType[*connector.APIError](err)
		if !ok || ae.StatusCode != code || ae.System != "test" || ae.Path != "/api/things" {
			t.Errorf("err = %#v, want APIError %d", err, code)
		}
		if errors.Is(err, connector.ErrOutcomeUnknown) {
			t.Errorf("err = %v must not be outcome-unknown", err)
		}
	}
}

func isUnknown(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, connector.ErrOutcomeUnknown) {
			t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
		}
		if status != 0 {
			if ae, ok := errors.AsType[*connector.APIError](err); !ok || ae.StatusCode != status {
				t.Errorf("err = %v, want wrapped APIError %d", err, status)
			}
		}
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		header func(now time.Time) string
		want   time.Duration
	}{
		{"seconds", func(time.Time) string { return "7" }, 7 * time.Second},
		{"http-date", func(now time.Time) string { return now.Add(42 * time.Second).UTC().Format(http.TimeFormat) }, 42 * time.Second},
		{"date in the past", func(now time.Time) string { return now.Add(-time.Hour).UTC().Format(http.TimeFormat) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// Start on a whole second: HTTP-dates have second precision.
				time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
				now := time.Now()
				s := &script{steps: []step{
					{status: 429, header: http.Header{"Retry-After": {tt.header(now)}}},
					{status: 200, body: "ok"},
				}}
				var waits []time.Duration
				c := newTestClient(t, s, func(c *Config) {
					c.Observer = func(e connector.CallEvent) {
						if e.Kind == connector.CallRetry {
							waits = append(waits, e.Wait)
						}
					}
				})
				resp, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/x"})
				if err != nil || string(resp.Body) != "ok" {
					t.Fatalf("Do: %v", err)
				}
				gap := s.seen[1].at.Sub(s.seen[0].at)
				if gap != tt.want {
					t.Errorf("second attempt after %v, want %v", gap, tt.want)
				}
				if diff := cmp.Diff([]time.Duration{tt.want}, waits); diff != "" {
					t.Errorf("observed waits: %s", diff)
				}
			})
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true}, {"120", 2 * time.Minute, true}, {"-1", 0, false}, {"soon", 0, false}, {"", 0, false},
		{"Tue, 24 Nov 2026 10:00:30 GMT", 30 * time.Second, true},
		{"Tuesday, 24-Nov-26 10:01:00 GMT", time.Minute, true},
	} {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v", tt.in, got, ok)
		}
	}
}

func TestRetryWaitBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []step{{status: 503, header: http.Header{"Retry-After": {"50"}}}}}
		c := newTestClient(t, s, func(c *Config) { c.Retry.MaxTotalWait = 90 * time.Second })
		start := time.Now()
		_, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/x"})
		if s.attempts() != 2 {
			t.Errorf("attempts = %d, want 2 (a second 50 s wait passes the 90 s budget)", s.attempts())
		}
		if el := time.Since(start); el != 50*time.Second {
			t.Errorf("waited %v", el)
		}
		if ae, ok := errors.AsType[*connector.APIError](err); !ok || ae.RetryAfter != 50*time.Second {
			t.Errorf("err = %v", err)
		}
	})
}

func TestBackoffIsExponentialWithJitter(t *testing.T) {
	for attempt := 1; attempt <= 6; attempt++ {
		full := min(100*time.Millisecond<<(attempt-1), 2*time.Second)
		for range 50 {
			w := backoff(100*time.Millisecond, 2*time.Second, attempt)
			if w < full/2 || w > full {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, w, full/2, full)
			}
		}
	}
}

func TestCancelEndsBackoffWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []step{{status: 503, header: http.Header{"Retry-After": {"3600"}}}}}
		c := newTestClient(t, s, func(c *Config) { c.Retry.MaxTotalWait = 2 * time.Hour })
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() {
			_, err := c.Do(ctx, &Request{Method: "GET", Path: "/x"})
			done <- err
		}()
		synctest.Wait() // the call now sleeps in its hour-long backoff
		start := time.Now()
		cancel()
		err := <-done
		if el := time.Since(start); el != 0 {
			t.Errorf("returned %v after cancel, want at once", el)
		}
		if !errors.Is(err, context.Canceled) || errors.Is(err, connector.ErrOutcomeUnknown) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestCancelEndsLimiterWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []step{{status: 200}}}
		lim := rate.NewLimiter(rate.Every(time.Hour), 1)
		c := newTestClient(t, s, func(c *Config) { c.Limiter = lim })
		if _, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/x"}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() {
			_, err := c.Do(ctx, &Request{Method: "POST", Path: "/x", Body: []byte("{}")})
			done <- err
		}()
		synctest.Wait()
		start := time.Now()
		cancel()
		err := <-done
		if el := time.Since(start); el != 0 {
			t.Errorf("returned %v after cancel", el)
		}
		if !errors.Is(err, context.Canceled) || errors.Is(err, connector.ErrOutcomeUnknown) {
			t.Errorf("err = %v (a request that never left must not be outcome-unknown)", err)
		}
		if s.attempts() != 1 {
			t.Errorf("attempts = %d", s.attempts())
		}
		// The cancelled reservation was given back: the limiter's next slot
		// is still one hour after the first request.
		if d := lim.Reserve().Delay(); d > time.Hour {
			t.Errorf("limiter delay %v: cancelled wait kept its token", d)
		}
	})
}

func TestCancelAfterSendIsOutcomeUnknown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		tr := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			httptrace.ContextClientTrace(req.Context()).WroteHeaders()
			cancel()
			<-req.Context().Done()
			return nil, req.Context().Err()
		})
		c := newTestClient(t, tr, nil)
		_, err := c.Do(ctx, &Request{Method: "POST", Path: "/orders", Body: []byte("{}")})
		if !errors.Is(err, connector.ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestBodyIdenticalOnEveryAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []step{{status: 503}, {status: 429}, {status: 200}}}
		var signed [][]byte
		c := newTestClient(t, s, func(c *Config) {
			c.Authorize = func(req *http.Request, body []byte) error {
				signed = append(signed, append([]byte(nil), body...))
				req.Header.Set("X-Date", time.Now().UTC().Format(time.RFC3339Nano))
				return nil
			}
		})
		body := []byte(`{"name":"Mug","price":"9.95"}`)
		if _, err := c.Do(t.Context(), &Request{Method: "PUT", Path: "/p/1", Body: body}); err != nil {
			t.Fatal(err)
		}
		if len(s.seen) != 3 {
			t.Fatalf("attempts = %d", len(s.seen))
		}
		for i, a := range s.seen {
			if !bytes.Equal(a.body, body) || !bytes.Equal(signed[i], body) {
				t.Errorf("attempt %d sent %q, signed %q, want %q", i+1, a.body, signed[i], body)
			}
		}
		if s.seen[0].header.Get("X-Date") == s.seen[1].header.Get("X-Date") {
			t.Error("the signature was not refreshed for the retry")
		}
	})
}

func TestLimiterSpacesRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []step{{status: 200}}}
		// 120 per minute with no burst beyond one: one request every 500 ms.
		lim := rate.NewLimiter(rate.Limit(120.0/60), 1)
		var waits int
		c := newTestClient(t, s, func(c *Config) {
			c.Limiter = lim
			c.Observer = func(e connector.CallEvent) {
				if e.Kind == connector.CallRateLimited {
					waits++
				}
			}
		})
		// A second client sharing the credential shares the limiter.
		c2 := newTestClient(t, s, func(c *Config) { c.Limiter = lim })
		for i := range 6 {
			cl := c
			if i%2 == 1 {
				cl = c2
			}
			if _, err := cl.Do(t.Context(), &Request{Method: "GET", Path: "/x"}); err != nil {
				t.Fatal(err)
			}
		}
		for i := 1; i < len(s.seen); i++ {
			if gap := s.seen[i].at.Sub(s.seen[i-1].at); gap != 500*time.Millisecond {
				t.Errorf("gap %d = %v, want 500ms", i, gap)
			}
		}
		if waits != 2 { // only c has the observer: requests 2 and 4 waited, its first did not
			t.Errorf("rate-limit events = %d, want 2", waits)
		}
	})
}

func TestPerRequestLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []step{{status: 200}}}
		slow := rate.NewLimiter(rate.Every(2*time.Second), 1)
		c := newTestClient(t, s, func(c *Config) { c.Limiter = rate.NewLimiter(rate.Inf, 1) })
		for range 3 {
			if _, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/q", Limiter: slow}); err != nil {
				t.Fatal(err)
			}
		}
		if gap := s.seen[2].at.Sub(s.seen[0].at); gap != 4*time.Second {
			t.Errorf("per-request limiter gap = %v", gap)
		}
	})
}

func TestSecretsNeverLeak(t *testing.T) {
	const sentinel = "SeNtInEl-7f3a9"
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var events []string
	// A server that answers with errors that echo the request, headers and all.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/echo":
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, "bad credentials in %s auth=%s", r.URL.String(), r.Header.Get("Authorization"))
		case "/api/flaky":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()
	cfg := Config{
		System:  "test",
		BaseURL: srv.URL + "/api",
		Logger:  logger,
		Retry:   RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
		Authorize: func(req *http.Request, _ []byte) error {
			req.Header.Set("Authorization", "Bearer "+sentinel)
			req.Header.Set("X-Hash", sentinel)
			return nil
		},
		Secrets: []string{sentinel},
		Observer: func(e connector.CallEvent) {
			events = append(events, fmt.Sprintf("%+v", e))
		},
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	q := map[string][]string{"ident": {sentinel}, "secret": {sentinel}, "access_token": {sentinel}, "page": {"2"}}
	var errs []string
	for _, p := range []string{"/echo", "/flaky", "/ok"} {
		_, err := c.Do(t.Context(), &Request{Method: "GET", Path: p, Query: q, Header: http.Header{"X-Api-Key": {sentinel}}})
		if err != nil {
			errs = append(errs, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	// A transport error: nothing listens there, and net/http quotes the URL.
	dead, _ := New(Config{System: "test", BaseURL: "http://127.0.0.1:1/api", Secrets: []string{sentinel}, Logger: logger,
		Retry: RetryPolicy{MaxAttempts: 1}})
	_, err = dead.Do(t.Context(), &Request{Method: "POST", Path: "/orders?secret=" + sentinel, Body: []byte("{}")})
	if err == nil {
		t.Fatal("expected a dial error")
	}
	errs = append(errs, err.Error())
	all := logs.String() + strings.Join(errs, "\n") + strings.Join(events, "\n")
	if strings.Contains(all, sentinel) {
		t.Errorf("sentinel leaked:\n%s", all)
	}
	for _, want := range []string{`"status":401`, `"attempt":2`, "page=2", "[REDACTED]"} {
		if !strings.Contains(all, want) {
			t.Errorf("logs/errors lack %s:\n%s", want, all)
		}
	}
}

func TestRedactor(t *testing.T) {
	r := newRedactor([]string{"session"}, []string{"X-Custom"}, []string{"pa$$word!"})
	tests := []struct{ in, want string }{
		{"https://h/x?ident=abc&secret=def&page=1", "https://h/x?ident=[REDACTED]&secret=[REDACTED]&page=1"},
		{"https://h/x?Session=abc", "https://h/x?Session=[REDACTED]"},
		{"https://h/x?token", "https://h/x?token"},
		{"https://h/x?q=pa%24%24word%21", "https://h/x?q=[REDACTED]"},
	}
	for _, tt := range tests {
		if got := r.url(tt.in); got != tt.want {
			t.Errorf("url(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := r.string(`Post "http://h/?access_token=xyz&b=1": EOF pa$$word!`); got != `Post "http://h/?access_token=[REDACTED]&b=1": EOF [REDACTED]` {
		t.Errorf("string = %q", got)
	}
	h := r.headers(http.Header{"Authorization": {"Bearer x"}, "X-Custom": {"y"}, "Accept": {"application/json"}})
	if diff := cmp.Diff([]any{"Accept", "application/json", "Authorization", "[REDACTED]", "X-Custom", "[REDACTED]"}, h); diff != "" {
		t.Error(diff)
	}
}

func TestDoJSONAndErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []step{{status: 200, body: `{"name":"Mug"`}}}
		c := newTestClient(t, s, func(c *Config) {
			c.DecodeError = func(status int, _ http.Header, body []byte) *connector.APIError {
				return &connector.APIError{Code: "E1", Message: string(body)}
			}
		})
		var out struct{ Name string }
		_, err := c.DoJSON(t.Context(), &Request{Method: "POST", Path: "/p", Idempotent: true}, map[string]int{"a": 1}, &out)
		var me *MalformedError
		if !errors.As(err, &me) || me.Path != "/p" || !strings.Contains(err.Error(), "malformed response body") {
			t.Errorf("err = %v", err)
		}
		if got := s.seen[0].header.Get("Content-Type"); got != "application/json" {
			t.Errorf("content type %q", got)
		}
		s2 := &script{steps: []step{{status: 422, body: "name missing"}}}
		c2 := newTestClient(t, s2, func(c *Config) {
			c.DecodeError = func(status int, _ http.Header, body []byte) *connector.APIError {
				return &connector.APIError{Code: "E1", Message: string(body)}
			}
		})
		_, err = c2.DoJSON(t.Context(), &Request{Method: "GET", Path: "/p"}, nil, &out)
		ae, ok := errors.AsType[*connector.APIError](err)
		if !ok || ae.Code != "E1" || ae.Message != "name missing" || ae.StatusCode != 422 || ae.Method != "GET" {
			t.Errorf("err = %#v", err)
		}
	})
}

func TestErrorBodyCapped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		big := strings.Repeat("x", MaxErrorBody+100)
		var got int
		s := &script{steps: []step{{status: 400, body: big}}}
		c := newTestClient(t, s, func(c *Config) {
			c.DecodeError = func(_ int, _ http.Header, body []byte) *connector.APIError {
				got = len(body)
				return nil
			}
		})
		_, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/x"})
		if got != MaxErrorBody {
			t.Errorf("decoder saw %d bytes, want %d", got, MaxErrorBody)
		}
		if ae, ok := errors.AsType[*connector.APIError](err); !ok || len(ae.Message) > 600 {
			t.Errorf("err message not shortened: %d", len(err.Error()))
		}
	})
}

func TestURL(t *testing.T) {
	c, err := New(Config{System: "x", BaseURL: "https://h.example/api/rest/v1/"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.URL("/orders/?start=0&size=25", map[string][]string{"status": {"1"}}); got != "https://h.example/api/rest/v1/orders/?start=0&size=25&status=1" {
		t.Errorf("URL = %q", got)
	}
	if _, err := New(Config{System: "x", BaseURL: "not a url"}); err == nil {
		t.Error("bad base URL accepted")
	}
	if _, err := New(Config{BaseURL: "https://h"}); err == nil {
		t.Error("missing system accepted")
	}
}

func TestRetryAfterFromErrorBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Visma-style: the wait is in the body only.
		s := &script{steps: []step{{status: 429, body: `Try again in 9 seconds`}, {status: 200}}}
		c := newTestClient(t, s, func(c *Config) {
			c.DecodeError = func(status int, _ http.Header, body []byte) *connector.APIError {
				var n int
				fmt.Sscanf(string(body), "Try again in %d seconds", &n)
				return &connector.APIError{Code: "4010", RetryAfter: time.Duration(n) * time.Second}
			}
		})
		if _, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/x"}); err != nil {
			t.Fatal(err)
		}
		if gap := s.seen[1].at.Sub(s.seen[0].at); gap != 9*time.Second {
			t.Errorf("waited %v, want the 9 s the body asked for", gap)
		}
	})
}

func TestAuthorizeErrorIsNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{steps: []step{{status: 200}}}
		refused := errors.New("refresh token rejected")
		calls := 0
		c := newTestClient(t, s, func(c *Config) {
			c.Authorize = func(*http.Request, []byte) error { calls++; return refused }
		})
		_, err := c.Do(t.Context(), &Request{Method: "GET", Path: "/x"})
		if !errors.Is(err, refused) || calls != 1 || s.attempts() != 0 {
			t.Errorf("err = %v, authorize calls %d, requests sent %d", err, calls, s.attempts())
		}
		if errors.Is(err, connector.ErrOutcomeUnknown) {
			t.Error("a request never sent is not outcome-unknown")
		}
	})
}
