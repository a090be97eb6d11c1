package verto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
)

// PathPrefix is the path every resource lives under.
const PathPrefix = "/api/rest/v1/"

// Media types for the Accept header: the web-shop schemas (CCV Shop) and the
// SalesPOS schemas (cashups, fiscal transaction signatures).
const (
	MediaWebshop  = "application/vnd.verto.webshop+json"
	MediaSalesPOS = "application/vnd.verto.salespos+json"
)

// DefaultRetry is the retry policy of platform clients unless WithRetry says
// otherwise. The platform counts its limits per minute and sends no
// Retry-After (none of the sources mentions one; integrations wait about a
// minute), so the backoff grows to a minute: 2.5–5 s, 5–10 s, 10–20 s and
// 20–40 s between five attempts, which outlasts one limit window.
var DefaultRetry = httpx.RetryPolicy{
	MaxAttempts:  5,
	MinBackoff:   5 * time.Second,
	MaxBackoff:   time.Minute,
	MaxTotalWait: 3 * time.Minute,
}

// ErrResponseSignature matches every response whose x-hash is missing or
// does not verify with the API secret.
var ErrResponseSignature = errors.New("response signature does not verify")

// SignatureError reports a successful answer whose signature is missing or
// wrong: the body cannot be trusted.
type SignatureError struct {
	System, Method, Path string
	// Missing is set when the response had no x-hash (or no x-date) at all.
	Missing bool
}

// Error implements error.
func (e *SignatureError) Error() string {
	what := "response signature does not verify"
	if e.Missing {
		what = "response carries no x-hash/x-date signature"
	}
	return fmt.Sprintf("%s: %s %s: %s", e.System, e.Method, e.Path, what)
}

// Is makes errors.Is(err, ErrResponseSignature) true.
func (e *SignatureError) Is(target error) bool { return target == ErrResponseSignature }

// Config configures a [Client].
type Config struct {
	// System names the system in errors, logs and events ("ccvshop").
	System string
	// BaseURL is the shop's scheme and host, e.g. "https://shop.example.com".
	// A trailing "/api/rest/v1" is accepted and ignored.
	BaseURL string
	// PublicKey is the API public key (sent as x-public).
	PublicKey string
	// Secret is the API secret; it only keys the HMAC and is never sent.
	Secret connector.Secret
	// Accept is the media type sent as Accept; empty means [MediaWebshop].
	Accept string
	// Limits are the per-minute limits of the client-side limiters; zero
	// fields take [DefaultLimits].
	Limits Limits
	// Now is the clock for x-date; nil means time.Now.
	Now func() time.Time
}

// Client sends signed requests to one shop. It is safe for concurrent use.
type Client struct {
	http     *httpx.Client
	public   string
	secret   connector.Secret
	now      func() time.Time
	limiters map[Op]*rate.Limiter // nil: the httpx client's own limiter applies
}

// New returns a client for cfg. opts are the shared httpx options
// (WithHTTPClient, WithLogger, WithLimiter, WithObserver, WithRetry). Without
// WithLimiter the client keeps one limiter per rate-limit class at the
// published limits; WithLimiter replaces all three with the given limiter
// (nil: no client-side limit).
func New(cfg Config, opts ...httpx.Option) (*Client, error) {
	if cfg.System == "" {
		cfg.System = "verto"
	}
	if strings.TrimSpace(cfg.PublicKey) == "" {
		return nil, fmt.Errorf("%s: the API public key is required", cfg.System)
	}
	if cfg.Secret == "" {
		return nil, fmt.Errorf("%s: the API secret is required", cfg.System)
	}
	root, err := rootURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.System, err)
	}
	accept := cfg.Accept
	if accept == "" {
		accept = MediaWebshop
	}
	c := &Client{public: cfg.PublicKey, secret: cfg.Secret, now: cfg.Now}
	if c.now == nil {
		c.now = time.Now
	}
	// A sentinel tells whether an option replaced the limiter.
	sentinel := rate.NewLimiter(rate.Inf, 1)
	hc := httpx.Config{
		System:      cfg.System,
		BaseURL:     root,
		Limiter:     sentinel,
		Retry:       DefaultRetry,
		DecodeError: DecodeError,
		Authorize:   c.authorize,
		Header:      http.Header{"Accept": {accept}},
		Secrets:     []string{cfg.Secret.Reveal()},
	}
	for _, o := range opts {
		if o != nil {
			o(&hc)
		}
	}
	if hc.Limiter == sentinel {
		hc.Limiter = nil
		c.limiters = map[Op]*rate.Limiter{
			OpRead:         NewLimiter(cfg.Limits.For(OpRead)),
			OpWrite:        NewLimiter(cfg.Limits.For(OpWrite)),
			OpProductQuery: NewLimiter(cfg.Limits.For(OpProductQuery)),
		}
	}
	c.http, err = httpx.New(hc)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// rootURL reduces a shop URL to scheme://host[:port].
func rootURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("invalid base URL %q: want https://<shop-host>", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("invalid base URL %q: scheme must be http or https", raw)
	}
	p := strings.TrimRight(u.Path, "/")
	if p != "" && p+"/" != PathPrefix {
		return "", fmt.Errorf("invalid base URL %q: the API lives at the shop's root (%s), give scheme and host only", raw, PathPrefix)
	}
	return u.Scheme + "://" + u.Host, nil
}

// System returns the configured system name.
func (c *Client) System() string { return c.http.System() }

// BaseURL returns the shop root the client sends to.
func (c *Client) BaseURL() string { return c.http.BaseURL().String() }

// Limiter returns the client-side limiter of op, or nil when WithLimiter
// replaced the per-class limiters.
func (c *Client) Limiter(op Op) *rate.Limiter { return c.limiters[op] }

// authorize is the httpx.Authorizer: it signs every attempt afresh over the
// request URI exactly as it goes on the wire.
func (c *Client) authorize(req *http.Request, body []byte) error {
	date := FormatDate(c.now())
	req.Header.Set(HeaderPublic, c.public)
	req.Header.Set(HeaderDate, date)
	req.Header.Set(HeaderHash, Sign(c.public, c.secret, req.Method, req.URL.RequestURI(), body, date))
	return nil
}

// Request is one API call.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is a resource path relative to /api/rest/v1/ ("orders/12/"), a
	// full path ("/api/rest/v1/orders/12/") or a link the API returned
	// ("https://shop/api/rest/v1/orders/?start=25&size=25"); only its path
	// and query are used, always against the configured shop.
	Path string
	// Query is appended to the path's query string (encoded, sorted by key).
	Query url.Values
	// In is encoded as the JSON body when not nil.
	In any
	// Out receives the decoded JSON answer when not nil and the answer has a
	// body.
	Out any
	// Idempotent marks a PATCH (or POST) as safe to repeat: one that sets
	// absolute values. PUT, DELETE and GET are idempotent anyway.
	Idempotent bool
}

// Do sends r, verifies the response signature and decodes the answer.
// Error answers are *connector.APIError (404 matches connector.ErrNotFound);
// a response that does not verify is a *SignatureError, wrapped in a
// connector.OutcomeUnknownError for a non-idempotent write, whose effect is
// then unknown.
func (c *Client) Do(ctx context.Context, r Request) error {
	_, err := c.Raw(ctx, r)
	return err
}

// Raw is [Client.Do] that also returns the verified response.
func (c *Client) Raw(ctx context.Context, r Request) (*httpx.Response, error) {
	path := c.resolve(r.Path)
	if len(r.Query) > 0 {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + r.Query.Encode()
	}
	hr := &httpx.Request{Method: r.Method, Path: path, Idempotent: r.Idempotent}
	if c.limiters != nil {
		hr.Limiter = c.limiters[Classify(r.Method, path)]
	}
	if r.In != nil {
		b, err := json.Marshal(r.In)
		if err != nil {
			return nil, fmt.Errorf("%s: %s %s: encode request: %w", c.System(), r.Method, pathOnly(path), err)
		}
		hr.Body = b
		hr.Header = http.Header{"Content-Type": {"application/json"}}
	}
	resp, err := c.http.Do(ctx, hr)
	if err != nil {
		return nil, err
	}
	if err := c.verify(r.Method, path, resp); err != nil {
		if !r.Idempotent && (r.Method == http.MethodPost || r.Method == http.MethodPatch) {
			return nil, &connector.OutcomeUnknownError{System: c.System(), Method: r.Method, Path: pathOnly(path), Err: err}
		}
		return nil, err
	}
	if r.Out != nil && len(strings.TrimSpace(string(resp.Body))) > 0 {
		if err := json.Unmarshal(resp.Body, r.Out); err != nil {
			return resp, c.http.DecodeError(r.Method, path, resp.Body, err)
		}
	}
	return resp, nil
}

// verify checks the response signature the way the official SDK does: over
// public|METHOD|request-uri|raw body|response x-date.
func (c *Client) verify(method, path string, resp *httpx.Response) error {
	date, got := resp.Header.Get(HeaderDate), resp.Header.Get(HeaderHash)
	se := &SignatureError{System: c.System(), Method: method, Path: pathOnly(path)}
	if date == "" || got == "" {
		se.Missing = true
		return se
	}
	u, err := url.Parse(c.http.URL(path, nil))
	if err != nil {
		return se
	}
	if !Verify(c.public, c.secret, method, u.RequestURI(), resp.Body, date, got) {
		return se
	}
	return nil
}

// resolve turns a resource path, full path or API link into the path+query
// to request.
func (c *Client) resolve(p string) string {
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		if u, err := url.Parse(p); err == nil {
			return u.RequestURI()
		}
	}
	if strings.HasPrefix(p, PathPrefix) {
		return p
	}
	return PathPrefix + strings.TrimLeft(p, "/")
}

// Get decodes GET path?query into out.
func (c *Client) Get(ctx context.Context, path string, query url.Values, out any) error {
	return c.Do(ctx, Request{Method: http.MethodGet, Path: path, Query: query, Out: out})
}

// Post sends in and decodes the created resource into out. The platform
// sometimes answers a successful POST without a body; out is then left as
// it was.
func (c *Client) Post(ctx context.Context, path string, in, out any) error {
	return c.Do(ctx, Request{Method: http.MethodPost, Path: path, In: in, Out: out})
}

// Patch sends in. idempotent marks a body of absolute values as safe to
// repeat after a lost answer.
func (c *Client) Patch(ctx context.Context, path string, in any, idempotent bool) error {
	return c.Do(ctx, Request{Method: http.MethodPatch, Path: path, In: in, Idempotent: idempotent})
}

// Put sends in.
func (c *Client) Put(ctx context.Context, path string, in any) error {
	return c.Do(ctx, Request{Method: http.MethodPut, Path: path, In: in})
}

// Delete deletes path.
func (c *Client) Delete(ctx context.Context, path string) error {
	return c.Do(ctx, Request{Method: http.MethodDelete, Path: path})
}

func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}
