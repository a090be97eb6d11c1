// Package httpx is the one HTTP stack every tradelink client uses.
//
// It is built on hashicorp/go-retryablehttp and golang.org/x/time/rate and is
// the single place for:
//
//   - a client-side rate limiter, set to the vendor's published limit and
//     shareable by clients that use one credential;
//   - retries with jittered exponential backoff on 429, 502, 503, 504 and
//     network errors, honouring Retry-After (seconds and HTTP-date) and
//     capped in total wait;
//   - the rule that a non-idempotent write (POST, PATCH) is never repeated
//     once it may have reached the server: it fails with a
//     [connector.OutcomeUnknownError] so the caller can look the record up;
//   - decoding the vendor's error body into a *[connector.APIError] through a
//     per-system hook, with 404 matching [connector.ErrNotFound];
//   - log/slog logging and an observer hook, with credentials, auth headers
//     and secret query parameters redacted everywhere.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"golang.org/x/time/rate"

	"github.com/tradelink/tradelink/connector"
)

// Defaults for [RetryPolicy].
const (
	DefaultMaxAttempts  = 4
	DefaultMinBackoff   = 500 * time.Millisecond
	DefaultMaxBackoff   = 30 * time.Second
	DefaultMaxTotalWait = 2 * time.Minute
	// DefaultTimeout bounds one attempt, body included.
	DefaultTimeout = 60 * time.Second
	// MaxErrorBody caps how much of an error response is read.
	MaxErrorBody = 1 << 20
	// DefaultMaxBody caps how much of a successful response is read.
	DefaultMaxBody = 64 << 20
)

// RetryPolicy says how often and how long a request is retried; it is
// [connector.RetryPolicy], which every client's WithRetry takes.
type RetryPolicy = connector.RetryPolicy

func withDefaults(p RetryPolicy) RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.MinBackoff <= 0 {
		p.MinBackoff = DefaultMinBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = p.MinBackoff
	}
	if p.MaxTotalWait <= 0 {
		p.MaxTotalWait = DefaultMaxTotalWait
	}
	return p
}

// ErrorDecoder turns a vendor's error body into an APIError. It fills what
// the body says (Code, Message, RequestID, Fields, Temporary, and RetryAfter
// when the body names a wait); httpx fills System, Method, Path and
// StatusCode, and a Retry-After header overrides RetryAfter. Retries wait
// RetryAfter when it is set. It may return nil when the body says nothing
// useful.
type ErrorDecoder func(status int, header http.Header, body []byte) *connector.APIError

// Authorizer adds credentials to an outgoing request. It is called before
// every attempt with the exact body that attempt sends, so a signature that
// covers a timestamp is fresh on each retry. An error it returns ends the
// call at once (the request is not sent and not retried).
type Authorizer func(req *http.Request, body []byte) error

// Config configures a [Client]. System and BaseURL are required.
type Config struct {
	// System names the vendor in errors, logs and events ("ccvshop").
	System string
	// BaseURL is the scheme, host and optional path prefix every request
	// path is appended to.
	BaseURL string
	// HTTPClient sends the requests; nil means a pooled client with
	// DefaultTimeout per attempt.
	HTTPClient *http.Client
	// Limiter spaces all requests of the client; nil means no client-side
	// limit. Share one limiter between clients that use one credential.
	Limiter *rate.Limiter
	// Logger receives one line per attempt; nil discards.
	Logger *slog.Logger
	// Observer receives call events; nil means none.
	Observer connector.CallObserver
	// Retry is the retry policy; zero fields take the defaults.
	Retry RetryPolicy
	// DecodeError decodes the vendor's error body; nil keeps the raw text.
	DecodeError ErrorDecoder
	// Authorize signs or authenticates each attempt; nil sends as is.
	Authorize Authorizer
	// Header is sent with every request (Accept, User-Agent, ...).
	Header http.Header
	// SecretParams names extra query parameters to redact.
	SecretParams []string
	// SecretHeaders names extra headers to redact.
	SecretHeaders []string
	// Secrets are literal values (API secrets, tokens) scrubbed from every
	// log line and error string in case a server or library echoes them.
	Secrets []string
	// MaxBody caps successful response bodies; zero means DefaultMaxBody.
	MaxBody int64
}

// Option changes a Config. System packages re-export the options below as
// their own, so users configure every client the same way.
type Option func(*Config)

// WithHTTPClient sets the *http.Client that sends requests, for example one
// with a custom transport, proxy or timeout.
func WithHTTPClient(c *http.Client) Option { return func(cfg *Config) { cfg.HTTPClient = c } }

// WithLogger sets the slog logger for request lines. Nothing is logged by
// default.
func WithLogger(l *slog.Logger) Option { return func(cfg *Config) { cfg.Logger = l } }

// WithLimiter replaces the client's default rate limiter. Pass one limiter
// to several clients that share a credential; pass nil to disable limiting.
func WithLimiter(l *rate.Limiter) Option { return func(cfg *Config) { cfg.Limiter = l } }

// WithObserver sets a function that receives every attempt, retry and
// rate-limit wait.
func WithObserver(o connector.CallObserver) Option { return func(cfg *Config) { cfg.Observer = o } }

// WithRetry sets the retry policy.
func WithRetry(p RetryPolicy) Option { return func(cfg *Config) { cfg.Retry = p } }

// Client sends requests to one vendor API. It is safe for concurrent use.
type Client struct {
	cfg     Config
	base    *url.URL
	http    *http.Client
	log     *slog.Logger
	redact  *redactor
	retry   RetryPolicy
	maxBody int64
}

// New returns a client for cfg.
func New(cfg Config) (*Client, error) {
	if cfg.System == "" {
		return nil, errors.New("httpx: Config.System is required")
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("%s: invalid base URL %q: want scheme://host[/path]", cfg.System, cfg.BaseURL)
	}
	c := &Client{cfg: cfg, base: base, retry: withDefaults(cfg.Retry), maxBody: cfg.MaxBody}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBody
	}
	c.redact = newRedactor(cfg.SecretParams, cfg.SecretHeaders, cfg.Secrets)
	hc := cfg.HTTPClient
	if hc == nil {
		hc = cleanhttp.DefaultPooledClient()
		hc.Timeout = DefaultTimeout
	}
	// Each attempt goes through our transport: limiter, signing, tracing,
	// logging. A copy keeps the caller's client untouched.
	cp := *hc
	base0 := cp.Transport
	if base0 == nil {
		base0 = http.DefaultTransport
	}
	cp.Transport = &attemptTransport{c: c, next: base0}
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &cp
	c.log = cfg.Logger
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// System returns the configured system name.
func (c *Client) System() string { return c.cfg.System }

// BaseURL returns the base URL requests are sent to.
func (c *Client) BaseURL() *url.URL { u := *c.base; return &u }

// Redact returns s with every configured secret and secret parameter
// redacted. System packages use it for messages they build themselves.
func (c *Client) Redact(s string) string { return c.redact.string(s) }

// Request is one API call.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is appended to the base URL. It may carry a query string, which
	// is sent byte for byte as given (signatures cover it).
	Path string
	// Query is appended to the query string (encoded, sorted by key).
	Query url.Values
	// Header holds per-request headers.
	Header http.Header
	// Body is sent identically on every attempt.
	Body []byte
	// Idempotent marks a POST or PATCH as safe to repeat (a read over POST,
	// a write carrying a vendor idempotency key, a write that sets absolute
	// values). GET, HEAD, OPTIONS, PUT and DELETE are idempotent anyway.
	Idempotent bool
	// Limiter overrides the client's limiter for this request (vendors with
	// per-operation limits).
	Limiter *rate.Limiter
}

func (r *Request) idempotent() bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return r.Idempotent
}

// Response is a successful (2xx) answer with its body read.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	// URL is the request URL with secrets redacted.
	URL string
}

// URL builds the absolute URL of path (which may carry a query) with query
// appended. The result is what Do sends, so it is what a signature covers.
func (c *Client) URL(path string, query url.Values) string {
	u := c.base.String() + "/" + strings.TrimLeft(path, "/")
	if len(query) > 0 {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + query.Encode()
	}
	return u
}

// Do sends r with rate limiting and retries and returns the 2xx response.
// Any other answer is an error: *connector.APIError (404 matching
// connector.ErrNotFound), a connector.OutcomeUnknownError for a
// non-idempotent write that may have been applied, or the context's error.
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("httpx: nil context")
	}
	rawURL := c.URL(r.Path, r.Query)
	st := &callState{c: c, req: r, idempotent: r.idempotent(), path: pathOnly(rawURL)}
	req, err := http.NewRequestWithContext(withState(ctx, st), r.Method, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %s %s: %s", c.cfg.System, r.Method, st.path, c.redact.string(err.Error()))
	}
	for k, vs := range c.cfg.Header {
		req.Header[k] = vs
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	resp, err := st.run(req)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// DoJSON sends in (when not nil) as a JSON body and decodes a JSON answer
// into out (when not nil and the answer has a body). A body that does not
// decode is an error naming the system, request and position.
func (c *Client) DoJSON(ctx context.Context, r *Request, in, out any) (*Response, error) {
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %s %s: encode request: %w", c.cfg.System, r.Method, pathOnly(r.Path), err)
		}
		r.Body = b
		if r.Header == nil {
			r.Header = http.Header{}
		}
		if r.Header.Get("Content-Type") == "" {
			r.Header.Set("Content-Type", "application/json")
		}
	}
	resp, err := c.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	if out != nil && len(bytes.TrimSpace(resp.Body)) > 0 {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return resp, c.DecodeError(r.Method, r.Path, resp.Body, err)
		}
	}
	return resp, nil
}

// DecodeError wraps an error decoding a response body so it names the
// system, the request and the problem, without echoing the body.
func (c *Client) DecodeError(method, path string, body []byte, err error) error {
	return &MalformedError{System: c.cfg.System, Method: method, Path: pathOnly(path), Err: err, Size: len(body)}
}

// MalformedError reports a response body that does not decode.
type MalformedError struct {
	System, Method, Path string
	// Size is the length of the body in bytes.
	Size int
	Err  error
}

// Error implements error.
func (e *MalformedError) Error() string {
	return fmt.Sprintf("%s: %s %s: malformed response body (%d bytes): %v", e.System, e.Method, e.Path, e.Size, e.Err)
}

// Unwrap returns the decoding error.
func (e *MalformedError) Unwrap() error { return e.Err }

// pathOnly strips scheme, host and query from a URL or path.
func pathOnly(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
		return "/"
	}
	return u
}

var errTooLarge = errors.New("response body too large")

// readCapped reads at most limit bytes of r; more is an error.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > limit {
		return b[:limit], fmt.Errorf("%w: more than %d bytes", errTooLarge, limit)
	}
	return b, nil
}
