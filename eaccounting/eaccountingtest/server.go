// Package eaccountingtest is an in-process fake of the Visma eAccounting API
// v2 and its Visma Connect token endpoint, for tests and demos.
//
// The fake speaks the wire format of the real API: PascalCase JSON, Meta/Data
// paging with $page and $pagesize, the $filter subset the eaccounting client
// uses, full-replace PUT, the required fields, lengths and formats of Visma's
// OpenAPI document, the business checks a sync runs into (unique numbers,
// known references, article gross price = net price × (1 + VAT)), bearer
// tokens with expiry, rotating refresh tokens, the 600-requests-per-minute
// limit with its 429 body (ErrorCode 4010) and fault injection. State lives
// in memory: what a test creates it can read back.
//
// It needs no testing.T, so programs such as the quickstart can run it:
//
//	srv := eaccountingtest.New()
//	defer srv.Close()
//	c, err := srv.NewClient() // a client with a valid token
package eaccountingtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/internal/fakes"
)

// Credentials the fake accepts at its token endpoint.
const (
	ClientID     = "tradelink-fake-client"
	ClientSecret = "tradelink-fake-secret"
	// RedirectURL is the registered callback of the authorization-code flow.
	RedirectURL = "http://localhost/callback"
)

// Defaults of the fake.
const (
	// DefaultTokenLifetime is the access tokens' lifetime (expires_in 3600).
	DefaultTokenLifetime = time.Hour
	// DefaultRateLimit is the published limit per endpoint and window.
	DefaultRateLimit = 600
	// DefaultMaxPageSize caps $pagesize; Visma's real cap is unconfirmed.
	DefaultMaxPageSize = 1000
)

// Fault makes matching requests fail. The shape is shared by every fake in
// tradelink.
type Fault struct {
	// Method matches the HTTP method; "" matches any.
	Method string
	// Path is a prefix of the request path, e.g. "/v2/orders" or
	// "/connect/token"; "" matches any.
	Path string
	// Status answers with this HTTP status and the API's error body.
	Status int
	// RetryAfter is sent with a 429 or 503.
	RetryAfter time.Duration
	// Delay answers this late.
	Delay time.Duration
	// Malformed answers 200 with a body that does not parse.
	Malformed bool
	// Drop closes the connection without an answer.
	Drop bool
	// AfterCommit applies the request first, then fails as above: the
	// "write outcome unknown" case.
	AfterCommit bool
	// Times is how many matching requests are affected; 0 means 1.
	Times int
}

// Option configures a Server.
type Option func(*Server)

// WithRateLimit sets the limit to n requests per window and endpoint.
func WithRateLimit(n int, window time.Duration) Option {
	return func(s *Server) { s.limit, s.window = n, window }
}

// WithTokenLifetime sets the lifetime of the access tokens issued.
func WithTokenLifetime(d time.Duration) Option { return func(s *Server) { s.tokenLifetime = d } }

// WithClock makes the server read the time from now instead of the system
// clock: record timestamps, token expiry and rate-limit windows follow it.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithMaxPageSize caps $pagesize.
func WithMaxPageSize(n int) Option { return func(s *Server) { s.maxPageSize = n } }

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server

	mu       sync.Mutex
	counter  fakes.Counter
	latency  time.Duration
	faults   fakes.Faults[Fault]
	rejected map[string]bool // properties $filter may not name

	// OAuth state.
	tokenLifetime time.Duration
	access        map[string]time.Time // access token -> expiry
	refresh       map[string]bool      // live refresh tokens
	codes         map[string]string    // authorization code -> redirect_uri
	grants        map[string]int

	// Rate limit.
	limit   int
	window  time.Duration
	windows map[string]*rateWindow

	now         func() time.Time
	maxPageSize int
	company     record
	data        map[string]*collection
	seq         map[string]int // number series
}

type rateWindow struct {
	start time.Time
	n     int
}

// New starts a fake server with demo reference data: a Dutch company
// (EUR), terms of payment, units, article account codings for 21 %, 9 %
// and 0 % VAT, delivery methods and terms, VAT codes and countries.
func New(opts ...Option) *Server {
	s := &Server{
		rejected:      map[string]bool{},
		tokenLifetime: DefaultTokenLifetime, access: map[string]time.Time{}, refresh: map[string]bool{},
		codes: map[string]string{}, grants: map[string]int{},
		limit: DefaultRateLimit, window: time.Minute, windows: map[string]*rateWindow{},
		maxPageSize: DefaultMaxPageSize, data: map[string]*collection{}, seq: map[string]int{}, now: time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	for name := range resources {
		s.data[name] = &collection{recs: map[string]record{}}
	}
	s.seedReferenceData()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// URL is the server's root, where /connect/token lives.
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the base URL of the API, to pass to eaccounting.NewClient.
func (s *Server) APIURL() string { return s.srv.URL + "/v2" }

// Endpoint is the fake's Visma Connect endpoint.
func (s *Server) Endpoint() oauth2.Endpoint {
	return oauth2.Endpoint{
		AuthURL: s.srv.URL + "/connect/authorize", TokenURL: s.srv.URL + "/connect/token",
		AuthStyle: oauth2.AuthStyleInHeader,
	}
}

// Credentials returns the credentials the fake accepts, with store as the
// token store.
func (s *Server) Credentials(store eaccounting.TokenStore) eaccounting.Credentials {
	return eaccounting.Credentials{
		ClientID: ClientID, ClientSecret: connector.Secret(ClientSecret), RedirectURL: RedirectURL,
		Endpoint: s.Endpoint(), Store: store,
	}
}

// NewClient returns a client of the fake whose token store holds a freshly
// minted token.
func (s *Server) NewClient(opts ...eaccounting.Option) (*eaccounting.Client, error) {
	return eaccounting.NewClient(s.APIURL(), s.Credentials(eaccounting.NewMemoryTokenStore(s.Token())), opts...)
}

// Token mints a valid access and refresh token, as the authorization-code
// exchange would.
func (s *Server) Token() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue()
}

func (s *Server) issue() *oauth2.Token {
	t := &oauth2.Token{
		AccessToken: "at-" + randomHex(16), RefreshToken: "rt-" + randomHex(16), TokenType: "Bearer",
		Expiry: s.now().Add(s.tokenLifetime),
	}
	s.access[t.AccessToken] = t.Expiry
	s.refresh[t.RefreshToken] = true
	return t
}

// ExpireAccessTokens makes every access token issued so far invalid, as if
// their hour had passed; refresh tokens stay valid.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.access)
}

// TokenGrants returns how many tokens the token endpoint issued for grant
// ("authorization_code" or "refresh_token").
func (s *Server) TokenGrants(grant string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.grants[grant]
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Inject adds a fault; faults apply in the order they were added.
func (s *Server) Inject(f Fault) { s.faults.Add(f, f.Times) }

// ClearFaults removes every pending fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// RejectFilterOn makes every $filter that names property answer 400, as
// the real API does for properties it cannot filter on.
func (s *Server) RejectFilterOn(property string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected[property] = true
}

// Requests returns the number of requests served, token requests included.
func (s *Server) Requests() int64 { return s.counter.Total() }

// RequestsFor returns the number of requests for method and path pattern,
// where ids are written {id}: RequestsFor("GET", "/v2/customers/{id}").
func (s *Server) RequestsFor(method, pattern string) int64 {
	return s.counter.Get(method + " " + pattern)
}

// RequestCounts returns the counts per "METHOD pattern".
func (s *Server) RequestCounts() map[string]int64 {
	return s.counter.Map()
}

// ResetCounters sets the request counters to zero.
func (s *Server) ResetCounters() {
	s.counter.Reset()
}

// pattern replaces ids in a path with {id}.
func pattern(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if guidRE.MatchString(p) || i == 3 && len(parts) > 2 && parts[2] == "countries" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.counter.Hit()
	s.counter.Count(r.Method + " " + pattern(r.URL.Path))
	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	f := s.takeFault(r)
	if !fakes.Sleep(r.Context(), latency) {
		return
	}
	if f == nil {
		s.route(w, r)
		return
	}
	if f.AfterCommit {
		// Apply the request whether or not the client still waits, then
		// answer late, fail, or both (as when a server commits and the reply
		// is lost).
		rec := httptest.NewRecorder()
		s.route(rec, r.WithContext(context.WithoutCancel(r.Context())))
		if !fakes.Sleep(r.Context(), f.Delay) {
			return
		}
		if !f.Drop && !f.Malformed && f.Status == 0 {
			fakes.Replay(w, rec)
			return
		}
	} else if !fakes.Sleep(r.Context(), f.Delay) {
		return
	}
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
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, `{"Meta": {"CurrentPage": 1, "Data": [`)
	case f.Status != 0:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", fmt.Sprint(int(f.RetryAfter.Round(time.Second)/time.Second)))
		}
		code := 0
		switch f.Status {
		case http.StatusTooManyRequests:
			code = eaccounting.CodeRateLimited
		case http.StatusNotFound:
			code = eaccounting.CodeNotFound
		case http.StatusBadRequest:
			code = eaccounting.CodeValidation
		}
		writeError(w, f.Status, code, http.StatusText(f.Status)+" (injected)", nil)
	default:
		s.route(w, r)
	}
}

// takeFault returns the first fault matching r and uses one of its times.
func (s *Server) takeFault(r *http.Request) *Fault {
	f, ok := s.faults.Take(func(f Fault) bool {
		return (f.Method == "" || f.Method == r.Method) && strings.HasPrefix(r.URL.Path, f.Path)
	})
	if !ok {
		return nil
	}
	return &f
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/connect/token":
		s.serveToken(w, r)
	case r.URL.Path == "/connect/authorize":
		s.serveAuthorize(w, r)
	case strings.HasPrefix(r.URL.Path, "/v2/"):
		if !s.authorized(w, r) || !s.admit(w, r) {
			return
		}
		s.serveAPI(w, r)
	default:
		writeError(w, http.StatusNotFound, eaccounting.CodeNotFound, "No HTTP resource was found that matches the request URI.", nil)
	}
}

// authorized checks the bearer token.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	exp, known := s.access[tok]
	s.mu.Unlock()
	if ok && known && s.now().Before(exp) {
		return true
	}
	writeError(w, http.StatusUnauthorized, 4005, "Authorization has been denied for this request.", nil)
	return false
}

// admit applies the rate limit per endpoint (the first path segment after
// /v2) in fixed windows.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) bool {
	key := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/v2/"), "/", 2)[0]
	now := s.now()
	s.mu.Lock()
	win := s.windows[key]
	if win == nil || now.Sub(win.start) >= s.window {
		win = &rateWindow{start: now}
		s.windows[key] = win
	}
	win.n++
	over := win.n > s.limit
	wait := win.start.Add(s.window).Sub(now)
	limit, window := s.limit, s.window
	s.mu.Unlock()
	if !over {
		return true
	}
	secs := int((wait + time.Second - 1) / time.Second)
	per := "Minute"
	if window != time.Minute {
		per = window.String()
	}
	w.Header().Set("Retry-After", fmt.Sprint(secs))
	writeError(w, http.StatusTooManyRequests, eaccounting.CodeRateLimited,
		fmt.Sprintf("API calls quota exceeded! maximum admitted %d per %s. Try again in %d seconds.", limit, per, secs), nil)
	return false
}

// writeError writes the API's error body (CommonExtendedBadRequest).
func writeError(w http.ResponseWriter, status, code int, msg string, fields []eaccounting.FieldError) {
	writeJSON(w, status, eaccounting.ErrorBody{ErrorCode: code, DeveloperErrorMessage: msg, ErrorID: newID(), Errors: fields})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

// newID returns a random version 4 UUID.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
