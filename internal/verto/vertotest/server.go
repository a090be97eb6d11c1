// Package vertotest is the generic part of an in-process fake of the CCV
// Verto platform API: it enforces the HMAC signature and the 5-minute date
// window, signs every response, applies the per-resource, per-method rate
// limits with the real 429 body, injects faults, simulates latency, counts
// requests per route, and pages collections with absolute links. A system's
// fake (ccvshoptest, a future salespostest) registers its routes and keeps
// its own state.
package vertotest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/fakes"
	"github.com/tradelink/tradelink/internal/verto"
)

// CodeInvalidInput is the code the fakes send for a request body that fails
// validation (missing required field, unknown property, wrong type).
// UNCONFIRMED: the platform's status and code for invalid input are not
// documented; 400 with this code is the choice, kept in this one place.
const CodeInvalidInput = "400.10"

// Config configures a [Server].
type Config struct {
	// System names the fake in messages.
	System string
	// PublicKey and Secret are the one key pair the fake accepts.
	PublicKey string
	Secret    connector.Secret
	// Now is the server clock; nil means time.Now.
	Now func() time.Time
}

// Fault is an injected failure. Fields combine: a Delay with a Status
// answers late with that status; AfterCommit applies the request first.
type Fault struct {
	Method string // "" = any
	Path   string // path prefix below /api/rest/v1/ ("orders/") or a full path; "" = any
	Status int    // answer with this HTTP status and the vendor's error body
	// RetryAfter is sent as Retry-After (seconds) with a 429 or 503.
	RetryAfter time.Duration
	Delay      time.Duration // answer this late
	Malformed  bool          // answer 200 with a (signed) body that does not parse
	Drop       bool          // close the connection without an answer
	// AfterCommit applies the write first, then fails as above (the "write
	// outcome unknown" case).
	AfterCommit bool
	Times       int // matching requests affected; 0 means 1
}

// Request is a request as a route handler sees it: authenticated, with its
// body read.
type Request struct {
	*http.Request
	// Body is the raw request body.
	Body []byte
	srv  *Server
}

// Decode decodes the JSON body into v strictly: unknown properties and
// trailing data are errors, as a schema-validating API would reject them.
func (r *Request) Decode(v any) error {
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("request body does not match the schema: %v", err)
	}
	if dec.More() {
		return fmt.Errorf("request body does not match the schema: trailing data")
	}
	return nil
}

// Link returns the absolute URL of a resource path ("orders/12/") on this
// server, as the platform writes its href links.
func (r *Request) Link(path string) string { return r.srv.Link(path) }

// Reply is a route handler's answer.
type Reply struct {
	Status int
	// Body is encoded as JSON; nil sends an empty body.
	Body any
}

// JSON answers status with v as the body.
func JSON(status int, v any) Reply { return Reply{Status: status, Body: v} }

// NoContent answers 204 with an empty body (PATCH, PUT, DELETE).
func NoContent() Reply { return Reply{Status: http.StatusNoContent} }

// Fail answers with the platform's error document.
func Fail(status int, code, message string) Reply {
	return Reply{Status: status, Body: verto.NewErrorBody(status, code, message)}
}

// Invalid answers 400 [CodeInvalidInput] naming what is wrong.
func Invalid(format string, args ...any) Reply {
	return Fail(http.StatusBadRequest, CodeInvalidInput, fmt.Sprintf(format, args...))
}

// NotFound answers 404 for a resource id that does not exist.
func NotFound(resource string, id any) Reply {
	return Fail(http.StatusNotFound, "404.10", fmt.Sprintf("%s %v not found", resource, id))
}

// Handler serves one route.
type Handler func(r *Request) Reply

type window struct{ hits []time.Time }

// Server is the fake platform. Create it with [New]; it listens on loopback
// until Close.
type Server struct {
	cfg Config
	mux *http.ServeMux
	ts  *httptest.Server
	now func() time.Time

	mu      sync.Mutex
	faults  fakes.Faults[Fault]
	latency time.Duration
	limits  verto.Limits
	total   int
	unlim   bool
	windows map[string]*window
	all     window
	counter fakes.Counter

	inflight sync.WaitGroup
}

// New starts a fake on a loopback port.
func New(cfg Config) *Server {
	s := NewUnstarted(cfg)
	s.ts = httptest.NewServer(s)
	return s
}

// NewUnstarted returns a fake that is not listening; use it as an
// http.Handler (tests drive it with httptest.NewRecorder).
func NewUnstarted(cfg Config) *Server {
	s := &Server{cfg: cfg, mux: http.NewServeMux(), now: cfg.Now, limits: verto.DefaultLimits,
		windows: map[string]*window{}}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Start makes an unstarted fake listen on a loopback port.
func (s *Server) Start() {
	if s.ts == nil {
		s.ts = httptest.NewServer(s)
	}
}

// URL returns the shop root ("http://127.0.0.1:port"), the base URL a client
// is given. It is "http://shop.invalid" for an unstarted fake.
func (s *Server) URL() string {
	if s.ts == nil {
		return "http://shop.invalid"
	}
	return s.ts.URL
}

// Client returns an *http.Client for the fake's listener.
func (s *Server) Client() *http.Client {
	if s.ts == nil {
		return http.DefaultClient
	}
	return s.ts.Client()
}

// Close stops the listener and waits for requests in flight.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.CloseClientConnections()
		s.ts.Close()
	}
	s.inflight.Wait()
}

// Link returns the absolute URL of a resource path below /api/rest/v1/.
func (s *Server) Link(path string) string {
	return s.URL() + verto.PathPrefix + strings.TrimLeft(path, "/")
}

// Handle registers h for pattern: a method, a space and a route below
// /api/rest/v1/, e.g. "GET orders/{id}/orderrows/". A trailing slash matches
// that path exactly (with or without the slash, as the platform accepts both).
func (s *Server) Handle(pattern string, h Handler) {
	method, route, ok := strings.Cut(pattern, " ")
	if !ok {
		panic("vertotest: pattern needs a method: " + pattern)
	}
	full := verto.PathPrefix + strings.TrimLeft(route, "/")
	if strings.HasSuffix(full, "/") {
		full += "{$}"
	}
	s.mux.HandleFunc(method+" "+full, func(w http.ResponseWriter, hr *http.Request) {
		req := hr.Context().Value(reqKey{}).(*Request)
		req.Request = hr
		writeReply(w, hr, h(req), s)
	})
}

type reqKey struct{}

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

// SetLimits sets the per-minute limits, counted per resource and method as
// the platform does (zero fields: the published limits), and the overall
// per-minute cap answered with 429.11 (zero: none; its real value is not
// published).
func (s *Server) SetLimits(l verto.Limits, total int) {
	s.mu.Lock()
	s.limits, s.total, s.unlim = l, total, false
	s.mu.Unlock()
}

// DisableLimits turns rate limiting off (for seeding through the API or
// load tests that measure something else).
func (s *Server) DisableLimits() {
	s.mu.Lock()
	s.unlim = true
	s.mu.Unlock()
}

// Requests returns the number of requests received, rejected ones included.
func (s *Server) Requests() int64 { return s.counter.Total() }

// RequestsFor returns the requests received for one route, e.g.
// RequestsFor("GET", "orders/{id}/orderrows/").
func (s *Server) RequestsFor(method, route string) int64 {
	return s.counter.Get(method + " /" + strings.TrimLeft(route, "/"))
}

// Calls returns the request count per "METHOD /route" (routes as
// registered; unmatched paths as sent).
func (s *Server) Calls() map[string]int64 {
	return s.counter.Map()
}

// CallsString lists Calls sorted, one "METHOD /route n" per line.
func (s *Server) CallsString() string {
	return s.counter.String()
}

// ResetCounters zeroes the request counters.
func (s *Server) ResetCounters() {
	s.counter.Reset()
}

// ServeHTTP implements http.Handler: count, delay, authenticate, fault,
// limit, route, sign.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer s.inflight.Done()
	s.counter.Hit()
	body, err := readBody(r)
	if err != nil {
		writeReply(w, r, Fail(http.StatusRequestEntityTooLarge, verto.CodePayloadTooBig, err.Error()), s)
		return
	}
	// Route lookup on the path with a trailing slash: the platform accepts
	// both forms.
	lookup := r.Clone(r.Context())
	if !strings.HasSuffix(lookup.URL.Path, "/") {
		lookup.URL.Path += "/"
		lookup.URL.RawPath = ""
	}
	_, pattern := s.mux.Handler(lookup)
	key := r.Method + " " + routeKey(pattern, lookup.URL.Path)
	s.counter.Count(key)
	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()

	if !fakes.Sleep(r.Context(), latency) {
		return
	}
	if rep, ok := s.authenticate(r, body); !ok {
		writeReply(w, r, rep, s)
		return
	}
	f := s.takeFault(r)
	// AfterCommit: the write is applied first and the answer comes late (or
	// fails) afterwards, as when a server commits and the reply is lost.
	if f != nil && f.Delay > 0 && !f.AfterCommit && !fakes.Sleep(r.Context(), f.Delay) {
		return
	}
	if f != nil && !f.AfterCommit && f.failing() {
		s.fail(w, r, f)
		return
	}
	if pattern == "" {
		writeReply(w, r, s.notRouted(lookup), s)
		return
	}
	if rep, ok := s.admit(r.Method, lookup.URL.Path); !ok {
		writeReply(w, r, rep, s)
		return
	}
	req := &Request{Body: body, srv: s}
	ctx := context.WithValue(r.Context(), reqKey{}, req)
	if f != nil && f.AfterCommit {
		// Apply the request whether or not the client still waits, then
		// answer late, fail, or both.
		rec := httptest.NewRecorder()
		s.mux.ServeHTTP(rec, lookup.WithContext(context.WithoutCancel(ctx)))
		if f.Delay > 0 && !fakes.Sleep(r.Context(), f.Delay) {
			return
		}
		if f.failing() {
			s.fail(w, r, f)
			return
		}
		fakes.Replay(w, rec)
		return
	}
	s.mux.ServeHTTP(w, lookup.WithContext(ctx))
}

func (f *Fault) failing() bool { return f.Status != 0 || f.Malformed || f.Drop }

// routeKey turns a mux pattern back into "/route" below the prefix.
func routeKey(pattern, path string) string {
	if pattern == "" {
		return "/" + strings.TrimPrefix(path, verto.PathPrefix)
	}
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p
	}
	pattern = strings.TrimSuffix(pattern, "{$}")
	return "/" + strings.TrimPrefix(pattern, verto.PathPrefix)
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	const limit = 32 << 20
	var b bytes.Buffer
	n, err := b.ReadFrom(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		return nil, fmt.Errorf("request body unreadable or larger than %d bytes (read %d)", limit, n)
	}
	return b.Bytes(), nil
}

// authenticate checks x-public, the x-date window and x-hash over the
// request URI exactly as received.
func (s *Server) authenticate(r *http.Request, body []byte) (Reply, bool) {
	pub, date, got := r.Header.Get(verto.HeaderPublic), r.Header.Get(verto.HeaderDate), r.Header.Get(verto.HeaderHash)
	switch {
	case pub == "" || date == "" || got == "":
		return Fail(http.StatusUnauthorized, verto.CodeUnauthorized, "x-public, x-date and x-hash headers are required"), false
	case pub != s.cfg.PublicKey:
		return Fail(http.StatusUnauthorized, verto.CodeUnauthorized, "unknown x-public"), false
	}
	t, err := verto.ParseDate(date)
	if err != nil {
		return Fail(http.StatusUnauthorized, verto.CodeUnauthorized, "x-date is not an ISO-8601 date-time"), false
	}
	if d := s.now().Sub(t); d > verto.MaxClockSkew || d < -verto.MaxClockSkew {
		return Fail(http.StatusUnauthorized, verto.CodeUnauthorized, "x-date is more than 5 minutes from server time"), false
	}
	if !verto.Verify(pub, s.cfg.Secret, r.Method, r.RequestURI, body, date, got) {
		return Fail(http.StatusUnauthorized, verto.CodeUnauthorized, "x-hash does not match the request"), false
	}
	return Reply{}, true
}

// takeFault returns the first fault matching r and uses one of its times.
func (s *Server) takeFault(r *http.Request) *Fault {
	f, ok := s.faults.Take(func(f Fault) bool {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			return false
		}
		if f.Path == "" {
			return true
		}
		p := f.Path
		if !strings.HasPrefix(p, "/") {
			p = verto.PathPrefix + p
		}
		return strings.HasPrefix(r.URL.Path, p) || strings.HasPrefix(r.URL.Path+"/", p)
	})
	if !ok {
		return nil
	}
	return &f
}

// fail answers as the fault says.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, f *Fault) {
	switch {
	case f.Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		// No hijacking (HTTP/2 or a recorder): abort the handler, which
		// makes net/http close the connection without a response.
		panic(http.ErrAbortHandler)
	case f.Malformed:
		writeRaw(w, r, http.StatusOK, []byte(`{"href":"`+s.Link("")+`","items":[{"id":`), s)
	default:
		if f.RetryAfter > 0 && (f.Status == http.StatusTooManyRequests || f.Status == http.StatusServiceUnavailable) {
			w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
		}
		writeReply(w, r, Fail(f.Status, faultCode(f.Status), "injected fault"), s)
	}
}

// faultCode is the vendor code sent with an injected status.
func faultCode(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return verto.CodeRateLimit
	case http.StatusNotFound:
		return verto.CodeInvalidResource
	case http.StatusMethodNotAllowed:
		return verto.CodeMethodNotAllowed
	case http.StatusUnauthorized:
		return verto.CodeUnauthorized
	}
	return strconv.Itoa(status)
}

// notRouted answers a path no route serves: 405 when another method would
// match, else 404 with "invalid resource name".
func (s *Server) notRouted(r *http.Request) Reply {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.mux.Handler(probe); p != "" {
			return Fail(http.StatusMethodNotAllowed, verto.CodeMethodNotAllowed, r.Method+" is not allowed on this resource")
		}
	}
	return Fail(http.StatusNotFound, verto.CodeInvalidResource, "invalid resource name")
}

// admit applies the rate limits over a sliding minute: per resource and
// method (429.10), then overall (429.11).
func (s *Server) admit(method, path string) (Reply, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unlim {
		return Reply{}, true
	}
	now := s.now()
	res := verto.Resource(path)
	key := method + " " + res
	w := s.windows[key]
	if w == nil {
		w = &window{}
		s.windows[key] = w
	}
	w.prune(now)
	if len(w.hits) >= s.limits.For(verto.Classify(method, path)) {
		return Fail(http.StatusTooManyRequests, verto.CodeRateLimit,
			fmt.Sprintf("rate limit reached for %s %s", method, res)), false
	}
	if s.total > 0 {
		s.all.prune(now)
		if len(s.all.hits) >= s.total {
			return Fail(http.StatusTooManyRequests, verto.CodeTotalRateLimit, "total API rate limit reached"), false
		}
		s.all.hits = append(s.all.hits, now)
	}
	w.hits = append(w.hits, now)
	return Reply{}, true
}

func (w *window) prune(now time.Time) {
	cut := now.Add(-time.Minute)
	i := 0
	for i < len(w.hits) && !w.hits[i].After(cut) {
		i++
	}
	if i > 0 {
		w.hits = append(w.hits[:0], w.hits[i:]...)
	}
}

func writeReply(w http.ResponseWriter, r *http.Request, rep Reply, s *Server) {
	var body []byte
	if rep.Body != nil {
		var err error
		body, err = json.Marshal(rep.Body)
		if err != nil {
			rep.Status = http.StatusInternalServerError
			body, _ = json.Marshal(verto.NewErrorBody(500, verto.CodeSchemaMismatch, "fake could not encode its answer: "+err.Error()))
		}
	}
	status := rep.Status
	if status == 0 {
		status = http.StatusOK
	}
	writeRaw(w, r, status, body, s)
}

// writeRaw signs and writes an answer: x-date and x-hash over
// public|METHOD|request-uri|body|x-date.
func writeRaw(w http.ResponseWriter, r *http.Request, status int, body []byte, s *Server) {
	date := verto.FormatDate(s.now())
	h := w.Header()
	h.Set(verto.HeaderDate, date)
	h.Set(verto.HeaderHash, verto.Sign(s.cfg.PublicKey, s.cfg.Secret, r.Method, r.RequestURI, body, date))
	if len(body) > 0 {
		h.Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// DefaultPageSize is the page size when a request names none (UNCONFIRMED:
// the platform's default is not documented).
const DefaultPageSize = 25

// Paginate answers one page of items as a collection: it reads start and
// size (size clamped to verto.MaxPageSize), and writes href, first,
// previous and next as absolute links that keep the request's other query
// parameters.
func Paginate[T any](r *Request, items []T) Reply {
	q := r.URL.Query()
	start, size := 0, DefaultPageSize
	if v := q.Get("start"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return Invalid("start must be a non-negative integer")
		}
		start = n
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return Invalid("size must be a positive integer")
		}
		size = min(n, verto.MaxPageSize)
	}
	link := func(st int) string {
		qq := url.Values{}
		for k, v := range q {
			qq[k] = v
		}
		qq.Set("start", strconv.Itoa(st))
		qq.Set("size", strconv.Itoa(size))
		return r.srv.URL() + r.URL.Path + "?" + qq.Encode()
	}
	c := verto.Collection[T]{Href: link(start), Start: verto.Int(start), Size: verto.Int(size), First: link(0)}
	if start > 0 {
		c.Previous = link(max(start-size, 0))
	}
	if start < len(items) {
		end := min(start+size, len(items))
		c.Items = items[start:end]
		if end < len(items) {
			c.Next = link(end)
		}
	}
	return JSON(http.StatusOK, c)
}
