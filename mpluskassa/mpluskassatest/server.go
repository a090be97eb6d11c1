// Package mpluskassatest is an in-process fake of the MplusKASSA MplusQapi
// SOAP API for tests, demos and benchmarks.
//
// The fake speaks the wire format of package mpluskassa: it parses SOAP 1.1
// envelopes and dispatches on the body's first element (the SOAPAction
// header is ignored, as the real server evidently does), checks the ident
// and secret query parameters, answers with the "ns" prefix the live server
// uses, and keeps state in memory:
//
//   - products with articles, relations, orders and employees carry a sync
//     marker per entity type, bumped on every create and change; list
//     operations honour syncMarker (inclusive) and syncMarkerLimit, cap pages
//     at 1000 and answer an empty page at the end;
//   - extOrderId is unique; orders need an employee, a relation, lines on
//     existing articles, and a workplace when entered at another branch
//     than the one they are booked at; turnover groups lie in 0–999;
//   - stock is kept per branch with a global stock mutation id; undelivered
//     orders reserve stock (amountReserved) and amountFree is the physical
//     stock minus the reservations, the reading package mpluskassa takes;
//   - createOrderV3 replays the stored answer for a repeated idempotency key.
//
// Direct seeding methods (AddProduct, AddRelation, AddOrder, SetStockLevel,
// ...) bypass HTTP and are fast for thousands of records. Requests are
// counted in total and per operation, answers can be delayed (SetLatency),
// and faults are injected per operation with [Server.Inject]. MplusKASSA
// publishes no rate limit, so the fake applies none: inject a 429 or 503
// fault to test throttling.
//
// Behaviour the vendor does not document is marked UNCONFIRMED where it is
// decided.
package mpluskassatest

import (
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/fakes"
	"github.com/tradelink/tradelink/internal/soap"
	"github.com/tradelink/tradelink/mpluskassa"
)

// The credentials a fake accepts unless [WithCredentials] says otherwise.
const (
	DefaultIdent  = "tradelink-fake-ident"
	DefaultSecret = "tradelink-fake-secret"
)

// DefaultPageCap is the most items one list answer holds, whatever
// syncMarkerLimit asks (the real server caps getRelations at 1000).
const DefaultPageCap = 1000

// ResponsePrefix is the namespace prefix of the fake's answers, as the live
// server writes them.
const ResponsePrefix = "ns"

// Fault is an injected failure, the same shape as in every tradelink fake.
// For SOAP the operation name goes in Path.
type Fault struct {
	// Method is the HTTP method to match; "" matches any (SOAP is always
	// POST).
	Method string
	// Path is the operation to match exactly ("getProducts"); "" matches any.
	Path string
	// Status answers with this HTTP status and a SOAP fault: a Server fault
	// for 5xx and 429, a Client fault otherwise.
	Status int
	// RetryAfter is sent as Retry-After (whole seconds) with a 429 or 503.
	RetryAfter time.Duration
	// Delay answers this late.
	Delay time.Duration
	// Malformed answers 200 with a body that does not parse.
	Malformed bool
	// Drop closes the connection without an answer.
	Drop bool
	// AfterCommit applies the request first, then fails as above (the
	// "write outcome unknown" case).
	AfterCommit bool
	// Times is the number of matching requests affected; 0 means 1.
	Times int
}

func (f *Fault) failing() bool { return f.Status != 0 || f.Malformed || f.Drop }

// Option configures a Server.
type Option func(*Server)

// WithCredentials sets the ident and secret the fake accepts.
func WithCredentials(ident, secret string) Option {
	return func(s *Server) { s.ident, s.secret = ident, secret }
}

// WithPageCap sets the most items one list answer holds (default 1000).
func WithPageCap(n int) Option { return func(s *Server) { s.pageCap = n } }

// WithClock sets the server clock used for timestamps and financial dates.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// Server is the fake. Create it with [New]; it listens on loopback until
// Close. All methods are safe for concurrent use.
type Server struct {
	ts      *httptest.Server
	ident   string
	secret  string
	pageCap int
	now     func() time.Time

	mu      sync.Mutex
	st      *state
	faults  fakes.Faults[Fault]
	latency time.Duration
	counter fakes.Counter

	inflight sync.WaitGroup
}

// New starts a fake on a loopback port, seeded with two branches (1 with
// workplace 1, 2 with workplaces 1 and 2), VAT groups 1 = 21 %, 2 = 9 %,
// 3 = 0 %, turnover groups, payment methods and employee 999999.
func New(opts ...Option) *Server {
	s := &Server{ident: DefaultIdent, secret: DefaultSecret, pageCap: DefaultPageCap, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	s.st = newState(s.now)
	s.st.pageCap = s.pageCap
	s.ts = httptest.NewServer(s)
	return s
}

// URL is the base URL to give mpluskassa.NewClient.
func (s *Server) URL() string { return s.ts.URL }

// Client returns an *http.Client for the fake's listener.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Credentials returns the credentials the fake accepts, ready for
// mpluskassa.NewClient.
func (s *Server) Credentials() mpluskassa.Credentials {
	return mpluskassa.Credentials{Ident: connector.Secret(s.ident), Secret: connector.Secret(s.secret)}
}

// Close stops the listener and waits for requests in flight.
func (s *Server) Close() {
	s.ts.CloseClientConnections()
	s.ts.Close()
	s.inflight.Wait()
}

// Inject adds a fault; faults apply in the order added.
func (s *Server) Inject(f Fault) { s.faults.Add(f, f.Times) }

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// Requests returns the number of requests received, rejected ones included.
func (s *Server) Requests() int64 { return s.counter.Total() }

// RequestsFor returns the number of requests for one operation
// ("getProducts"); requests whose operation could not be read count under
// "".
func (s *Server) RequestsFor(operation string) int64 {
	return s.counter.Get(operation)
}

// Calls returns the request count per operation.
func (s *Server) Calls() map[string]int64 {
	return s.counter.Map()
}

// CallsString lists Calls sorted, one "operation n" per line.
func (s *Server) CallsString() string {
	return s.counter.String()
}

// ResetCounters zeroes the request counters.
func (s *Server) ResetCounters() {
	s.counter.Reset()
}

// ServeHTTP implements http.Handler: count, delay, authenticate, fault,
// dispatch.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer s.inflight.Done()
	s.counter.Hit()
	if r.URL.Path != "/" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		// The real server answers a plain GET on / with 405 when it is up.
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<20))
	if err != nil {
		s.writeFault(w, http.StatusInternalServerError, "Client", "request body unreadable or too large")
		return
	}
	req, rerr := soap.ReadBody(body)
	op := ""
	if rerr == nil {
		op = req.Name.Local
	}
	s.counter.Count(op)
	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if !fakes.Sleep(r.Context(), latency) {
		return
	}
	if !s.authenticate(r) {
		// UNCONFIRMED: the vendor does not document what bad credentials
		// answer; a SOAP Client fault (HTTP 500) is the most plausible.
		s.writeFault(w, http.StatusInternalServerError, "Client.Authentication", "invalid ident or secret")
		return
	}
	if rerr != nil {
		s.writeFault(w, http.StatusInternalServerError, "Client", rerr.Error())
		return
	}
	f := s.takeFault(r.Method, op)
	// AfterCommit: the operation is applied first and the answer comes late
	// (or fails) afterwards, as when a server commits and the reply is lost.
	if f != nil && f.Delay > 0 && !f.AfterCommit && !fakes.Sleep(r.Context(), f.Delay) {
		return
	}
	if f != nil && !f.AfterCommit && f.failing() {
		s.fail(w, f, op)
		return
	}
	if req.Name.Space != mpluskassa.Namespace {
		s.writeFault(w, http.StatusInternalServerError, "Client", fmt.Sprintf("element %s is not in namespace %s", op, mpluskassa.Namespace))
		return
	}
	h, ok := handlers[op]
	if !ok {
		s.writeFault(w, http.StatusInternalServerError, "Client", "operation "+op+" is not supported by the fake")
		return
	}
	s.mu.Lock()
	name, out, err := h(s.st, req)
	s.mu.Unlock()
	if err != nil {
		s.writeFault(w, http.StatusInternalServerError, "Client", err.Error())
		return
	}
	if f != nil && f.AfterCommit && f.Delay > 0 && !fakes.Sleep(r.Context(), f.Delay) {
		return // applied; the client gave up waiting
	}
	if f != nil && f.failing() { // AfterCommit: applied, answer lost
		s.fail(w, f, op)
		return
	}
	resp, err := soap.MarshalResponse(mpluskassa.Namespace, ResponsePrefix, name, out)
	if err != nil {
		s.writeFault(w, http.StatusInternalServerError, "Server", "encode answer: "+err.Error())
		return
	}
	s.write(w, http.StatusOK, resp)
}

func (s *Server) authenticate(r *http.Request) bool {
	q := r.URL.Query()
	ok := subtle.ConstantTimeCompare([]byte(q.Get("ident")), []byte(s.ident)) == 1
	return subtle.ConstantTimeCompare([]byte(q.Get("secret")), []byte(s.secret)) == 1 && ok
}

// takeFault returns the first fault matching the request and uses one of
// its times.
func (s *Server) takeFault(method, op string) *Fault {
	f, ok := s.faults.Take(func(f Fault) bool {
		return (f.Method == "" || strings.EqualFold(f.Method, method)) && (f.Path == "" || f.Path == op)
	})
	if !ok {
		return nil
	}
	return &f
}

// fail answers as the fault says.
func (s *Server) fail(w http.ResponseWriter, f *Fault, op string) {
	switch {
	case f.Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case f.Malformed:
		s.write(w, http.StatusOK, []byte(`<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="`+
			soap.EnvelopeNS+`" xmlns:ns="urn:mplusqapi"><SOAP-ENV:Body><ns:`+op+`Response><ns:result>`))
	default:
		if f.RetryAfter > 0 && (f.Status == http.StatusTooManyRequests || f.Status == http.StatusServiceUnavailable) {
			w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
		}
		code := "Client"
		if f.Status >= 500 || f.Status == http.StatusTooManyRequests {
			code = "Server"
		}
		s.writeFault(w, f.Status, code, "injected fault")
	}
}

func (s *Server) writeFault(w http.ResponseWriter, status int, code, msg string) {
	b, err := soap.MarshalFault(&soap.Fault{Code: code, String: msg})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.write(w, status, b)
}

func (s *Server) write(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", soap.ContentType)
	w.Header().Set("Mplus-Service-Version", "67.1.3 (fake)")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
