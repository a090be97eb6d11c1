package eaccounting

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
)

// SystemName is the name of the system in errors, events and reports.
const SystemName = "eaccounting"

// Option configures a Client.
type Option = httpx.Option

// RetryPolicy says how often and how long a request is retried.
type RetryPolicy = httpx.RetryPolicy

// APIError is an error answer of the API, decoded from its error body
// (ErrorCode, DeveloperErrorMessage, ErrorId, Errors). A 404 matches
// connector.ErrNotFound; a 429 (ErrorCode 4010) is retryable.
type APIError = connector.APIError

// WithHTTPClient sets the *http.Client that sends API and token requests.
var WithHTTPClient = httpx.WithHTTPClient

// WithLogger sets the slog logger for request lines; nothing is logged by
// default.
var WithLogger = httpx.WithLogger

// WithLimiter replaces the default per-endpoint limiters (600 requests per
// minute each) with one limiter for all requests; nil disables limiting.
var WithLimiter = httpx.WithLimiter

// WithObserver sets a function that receives every attempt, retry and
// rate-limit wait.
var WithObserver = httpx.WithObserver

// WithRetry sets the retry policy.
var WithRetry = httpx.WithRetry

// The published limit is 600 requests per minute, counted per client and
// per endpoint. A token bucket with burst b and rate r admits b + 60·r
// requests in a minute, so the rate leaves room for the burst: no 60-second
// window ever holds more than 600 requests.
const (
	limitPerMinute = 600
	limitBurst     = 10
)

// Which requests share a quota is "per endpoint/URL" in Visma's words. The
// client counts per resource (the first path segment: "customers" covers
// /customers and /customers/{id}): if Visma counts per exact URL this is
// stricter than needed, never looser. Unconfirmed; this is the one place
// that decides it.
func endpointKey(path string) string {
	p := strings.TrimLeft(path, "/")
	if i := strings.IndexAny(p, "/?"); i >= 0 {
		p = p[:i]
	}
	return p
}

// Client is a typed client of the Visma eAccounting API v2. It is safe for
// concurrent use.
type Client struct {
	// OAuth holds the user's token and does the authorization-code
	// exchange and refreshes.
	OAuth *OAuth

	Customers             *CustomersService
	Articles              *ArticlesService
	ArticleAccountCodings *ReadService[ArticleAccountCoding]
	// VATCodes needs the ea:accounting or ea:accounting_readonly scope.
	VATCodes        *ReadService[VATCode]
	TermsOfPayments *ReadService[TermsOfPayment]
	Units           *ReadService[Unit]
	DeliveryMethods *ReadService[DeliveryMethod]
	DeliveryTerms   *ReadService[DeliveryTerm]
	// Countries are got by their ISO 3166-1 alpha-2 code.
	Countries       *ReadService[Country]
	CompanySettings *CompanySettingsService
	Orders          *OrdersService
	InvoiceDrafts   *InvoiceDraftsService
	Invoices        *InvoicesService
	Quotes          *QuotesService

	http *httpx.Client

	// limiters holds one limiter per endpoint; nil when the user set one
	// limiter (or none) with WithLimiter.
	limMu    sync.Mutex
	limiters map[string]*rate.Limiter

	// unfilterable remembers the filters the server rejected (see
	// filtered).
	unfilterable sync.Map
	log          *slog.Logger
}

// NewClient returns a client of the API at baseURL (ProductionURL,
// SandboxURL or a fake server's URL, including the /v2 path) for the user
// whose token creds.Store holds.
func NewClient(baseURL string, creds Credentials, opts ...Option) (*Client, error) {
	auth, err := NewOAuth(creds, opts...)
	if err != nil {
		return nil, err
	}
	// A sentinel tells whether WithLimiter was given (even with nil).
	sentinel := rate.NewLimiter(rate.Inf, 1)
	cfg := httpx.Config{Limiter: sentinel}
	for _, o := range opts {
		o(&cfg)
	}
	c := &Client{OAuth: auth}
	if cfg.Limiter == sentinel {
		cfg.Limiter = nil
		c.limiters = map[string]*rate.Limiter{}
	}
	cfg.System = SystemName
	cfg.BaseURL = baseURL
	cfg.DecodeError = decodeErrorBody
	cfg.Authorize = c.authorize
	cfg.Secrets = append(cfg.Secrets, creds.ClientSecret.Reveal())
	// $filter carries e-mail addresses (personal data): logs and errors
	// show it redacted.
	cfg.SecretParams = append(cfg.SecretParams, "$filter")
	cfg.Header = http.Header{"Accept": {"application/json"}}
	c.http, err = httpx.New(cfg)
	if err != nil {
		return nil, err
	}
	c.log = cfg.Logger
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.Customers = &CustomersService{newCollection[Customer](c, "customers")}
	c.Articles = &ArticlesService{newCollection[Article](c, "articles")}
	c.ArticleAccountCodings = &ReadService[ArticleAccountCoding]{c, "articleaccountcodings"}
	c.VATCodes = &ReadService[VATCode]{c, "vatcodes"}
	c.TermsOfPayments = &ReadService[TermsOfPayment]{c, "termsofpayments"}
	c.Units = &ReadService[Unit]{c, "units"}
	c.DeliveryMethods = &ReadService[DeliveryMethod]{c, "deliverymethods"}
	c.DeliveryTerms = &ReadService[DeliveryTerm]{c, "deliveryterms"}
	c.Countries = &ReadService[Country]{c, "countries"}
	c.CompanySettings = &CompanySettingsService{c}
	c.Orders = &OrdersService{newCollection[Order](c, "orders")}
	c.InvoiceDrafts = &InvoiceDraftsService{newCollection[InvoiceDraft](c, "customerinvoicedrafts")}
	c.Invoices = &InvoicesService{ReadService[Invoice]{c, "customerinvoices"}}
	c.Quotes = &QuotesService{newCollection[Quote](c, "quotes")}
	return c, nil
}

// String describes the client without credentials.
func (c *Client) String() string { return "eaccounting.Client(" + c.http.BaseURL().String() + ")" }

// GoString is String, so %#v shows no credentials either.
func (c *Client) GoString() string { return c.String() }

func (c *Client) limiter(path string) *rate.Limiter {
	if c.limiters == nil {
		return nil
	}
	key := endpointKey(path)
	c.limMu.Lock()
	defer c.limMu.Unlock()
	l := c.limiters[key]
	if l == nil {
		l = rate.NewLimiter(rate.Every(time.Minute/(limitPerMinute-limitBurst)), limitBurst)
		c.limiters[key] = l
	}
	return l
}

// usedToken records the access token an attempt carried, so a 401 can
// invalidate exactly that token.
type usedToken struct {
	mu     sync.Mutex
	access string
}

type usedTokenKey struct{}

func (c *Client) authorize(req *http.Request, _ []byte) error {
	t, err := c.OAuth.Token(req.Context())
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+t.AccessToken)
	if u, ok := req.Context().Value(usedTokenKey{}).(*usedToken); ok {
		u.mu.Lock()
		u.access = t.AccessToken
		u.mu.Unlock()
	}
	return nil
}

// do sends one API call. in (when not nil) is the JSON body and out
// receives the JSON answer. A 401 refreshes the token once and repeats the
// call: the server rejected the request before processing it, so even a
// POST is safe to repeat.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	// Get the token before httpx's retry loop: a failing refresh is not
	// worth retrying.
	if _, err := c.OAuth.Token(ctx); err != nil {
		return err
	}
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = b
	}
	for attempt := 0; ; attempt++ {
		used := &usedToken{}
		req := &httpx.Request{Method: method, Path: path, Query: query, Body: body, Limiter: c.limiter(path)}
		if body != nil {
			req.Header = http.Header{"Content-Type": {"application/json; charset=utf-8"}}
		}
		resp, err := c.http.Do(context.WithValue(ctx, usedTokenKey{}, used), req)
		if ae, ok := errors.AsType[*APIError](err); ok && ae.StatusCode == http.StatusUnauthorized && attempt == 0 {
			used.mu.Lock()
			c.OAuth.invalidate(used.access)
			used.mu.Unlock()
			continue
		}
		if err != nil {
			return err
		}
		if out != nil && len(bytes.TrimSpace(resp.Body)) > 0 {
			if err := json.Unmarshal(resp.Body, out); err != nil {
				return c.decodeError(method, path, resp.Body, err)
			}
		}
		return nil
	}
}

// decodeError reports an answer that does not decode, naming the request
// and never echoing the body.
func (c *Client) decodeError(method, path string, body []byte, err error) error {
	return c.http.DecodeError(method, c.fullPath(path), body, err)
}

// fullPath is the path of a request as sent, e.g. /v2/customers.
func (c *Client) fullPath(path string) string {
	return c.http.BaseURL().Path + "/" + strings.TrimLeft(path, "/")
}

// ErrorBody is the API's error answer (CommonExtendedBadRequest).
type ErrorBody struct {
	ErrorCode             int          `json:"ErrorCode"`
	DeveloperErrorMessage string       `json:"DeveloperErrorMessage"`
	ErrorID               string       `json:"ErrorId,omitempty"`
	Errors                []FieldError `json:"Errors"`
}

// FieldError is one entry of ErrorBody.Errors (CommonError).
type FieldError struct {
	Field     string `json:"Field"`
	ErrorCode string `json:"ErrorCode"`
	Message   string `json:"Message"`
	Key       string `json:"Key"`
}

// Error codes of the API that the client and adapter act on.
const (
	// CodeValidation is DataModelValidationError: a model rule is broken.
	CodeValidation = 2000
	// CodeNotFound is ResourceNotFound: a referenced object does not exist.
	CodeNotFound = 3000
	// CodeConflict is Conflict: a duplicate of something that must be
	// unique.
	CodeConflict = 4000
	// CodeRateLimited is the rate-limit answer (HTTP 429).
	CodeRateLimited = 4010
)

var tryAgainIn = regexp.MustCompile(`(?i)try again in (\d+) seconds?`)

// decodeErrorBody is the httpx hook that turns the error body into an APIError.
func decodeErrorBody(status int, h http.Header, body []byte) *connector.APIError {
	var e ErrorBody
	if json.Unmarshal(body, &e) != nil || (e.ErrorCode == 0 && e.DeveloperErrorMessage == "" && len(e.Errors) == 0) {
		return nil
	}
	ae := &connector.APIError{Message: e.DeveloperErrorMessage, RequestID: e.ErrorID}
	if e.ErrorCode != 0 {
		ae.Code = strconv.Itoa(e.ErrorCode)
	}
	for _, fe := range e.Errors {
		if ae.Fields == nil {
			ae.Fields = map[string]string{}
		}
		ae.Fields[fe.Field] = fe.Message
		if ae.Message == "" {
			ae.Message = fe.Message
		}
	}
	if e.ErrorCode == CodeRateLimited {
		ae.Temporary = true
		// The documented 429 says "Try again in 55 seconds." without a
		// Retry-After header (a header is claimed by a third party,
		// unconfirmed). The seconds from the message become the wait; a
		// Retry-After header, when one comes, overrides them in httpx.
		if m := tryAgainIn.FindStringSubmatch(e.DeveloperErrorMessage); m != nil {
			if secs, err := strconv.Atoi(m[1]); err == nil {
				ae.RetryAfter = time.Duration(secs) * time.Second
			}
		}
	}
	return ae
}

// pathID escapes an id for use as a path segment, so an id that came from
// user input cannot address another path.
func pathID(id string) string { return url.PathEscape(id) }
