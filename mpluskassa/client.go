package mpluskassa

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"golang.org/x/time/rate"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
	"github.com/tradelink/tradelink/internal/soap"
)

// SystemName is the name of the system in errors, events and reports.
const SystemName = "mpluskassa"

// Namespace is the target namespace of the MplusQapi schema.
const Namespace = "urn:mplusqapi"

// RequestPrefix is the namespace prefix the client writes, as the official
// clients do (any prefix works on the wire).
const RequestPrefix = "ns1"

// HostedHost is the host of the hosted API; every customer database has its
// own port on it.
const HostedHost = "api.mpluskassa.nl"

// HostedURL returns the base URL of a customer database on the hosted API:
// https://api.mpluskassa.nl:<port>.
func HostedURL(port int) string { return "https://" + HostedHost + ":" + strconv.Itoa(port) }

// DefaultRequestsPerSecond and DefaultBurst are the client-side rate limit.
//
// UNCONFIRMED: MplusKASSA publishes no rate limit. The notes advise keeping
// client-side concurrency low, so the default spaces requests to 10 per
// second with bursts of 10; override it with [WithLimiter].
const (
	DefaultRequestsPerSecond = 10
	DefaultBurst             = 10
)

// DefaultTimeout bounds one request. The official client allows 600 s per
// call because some operations (large getProducts pages) are slow.
const DefaultTimeout = 600 * time.Second

// Credentials are the ident and secret Mplus issues per customer database
// (per port). Both travel as URL query parameters; they are redacted from
// every URL, log line and error.
type Credentials struct {
	Ident  connector.Secret
	Secret connector.Secret
}

// Option configures a Client.
type Option = httpx.Option

// RetryPolicy says how often and how long a request is retried; see
// [WithRetry].
type RetryPolicy = httpx.RetryPolicy

// WithHTTPClient sets the *http.Client that sends requests (custom
// transport, proxy, TLS pinning, timeout). The default allows
// [DefaultTimeout] per request.
var WithHTTPClient = httpx.WithHTTPClient

// WithLogger sets the slog logger that receives one line per request, with
// ident and secret redacted. Nothing is logged by default.
var WithLogger = httpx.WithLogger

// WithLimiter replaces the default client-side rate limiter
// ([DefaultRequestsPerSecond]); nil disables limiting. Share one limiter
// between clients of one customer database.
var WithLimiter = httpx.WithLimiter

// WithObserver sets a function that receives every attempt, retry and
// rate-limit wait.
var WithObserver = httpx.WithObserver

// WithRetry sets the retry policy. Reads are retried on network errors,
// 429, 502–504 and SOAP Server faults; writes only when they carry an
// idempotency key (createOrderV3).
var WithRetry = httpx.WithRetry

// Client calls the MplusQapi SOAP API of one customer database. It is safe
// for concurrent use. Operations are grouped by resource; their method names
// are the WSDL's operation names.
type Client struct {
	http *httpx.Client
	// query returns the credential query parameters. A func, not fields,
	// so that printing a Client value with %v shows an address instead of
	// the ident and secret.
	query func() url.Values

	// Products reads, creates and updates products with their articles.
	Products *ProductsService
	// Stock reads and changes stock per branch.
	Stock *StockService
	// Orders reads, finds and creates sales orders.
	Orders *OrdersService
	// Relations finds, reads, creates and updates relations (customers).
	Relations *RelationsService
	// Employees reads employees.
	Employees *EmployeesService
	// Reference reads VAT groups, turnover groups, payment methods and
	// branches.
	Reference *ReferenceService
}

// NewClient returns a client for the database at baseURL (for the hosted API
// [HostedURL] with the customer's port; the fake server's URL in tests).
func NewClient(baseURL string, creds Credentials, opts ...Option) (*Client, error) {
	if creds.Ident == "" || creds.Secret == "" {
		return nil, errors.New("mpluskassa: Credentials.Ident and Credentials.Secret are required")
	}
	hc := cleanhttp.DefaultPooledClient()
	hc.Timeout = DefaultTimeout
	cfg := httpx.Config{
		System:      SystemName,
		BaseURL:     baseURL,
		HTTPClient:  hc,
		Limiter:     rate.NewLimiter(DefaultRequestsPerSecond, DefaultBurst),
		DecodeError: decodeFault,
		Header: http.Header{
			"Content-Type": {soap.ContentType},
			"Accept":       {"text/xml"},
			"User-Agent":   {"tradelink-mpluskassa"},
		},
		SecretParams: []string{"ident", "secret"},
		Secrets:      []string{creds.Ident.Reveal(), creds.Secret.Reveal()},
	}
	for _, o := range opts {
		o(&cfg)
	}
	h, err := httpx.New(cfg)
	if err != nil {
		return nil, err
	}
	ident, secret := creds.Ident.Reveal(), creds.Secret.Reveal()
	c := &Client{http: h, query: func() url.Values { return url.Values{"ident": {ident}, "secret": {secret}} }}
	c.Products = &ProductsService{c}
	c.Stock = &StockService{c}
	c.Orders = &OrdersService{c}
	c.Relations = &RelationsService{c}
	c.Employees = &EmployeesService{c}
	c.Reference = &ReferenceService{c}
	return c, nil
}

// String names the client and its endpoint, never the credentials.
func (c *Client) String() string { return "mpluskassa.Client(" + c.http.BaseURL().String() + ")" }

// operation describes one WSDL operation.
type operation struct {
	// name is the operation and its input element, e.g. "getProducts".
	name string
	// response is the output element as the WSDL names it; it is matched
	// without regard to case.
	response string
	// idempotent marks reads and idempotency-key writes: httpx retries them.
	idempotent bool
	// ok lists result codes besides …-RESULT-OK that mean success.
	ok []string
}

// resulter is an answer with an in-band result code and message.
type resulter interface {
	resultOf() (code, message string)
}

// do calls op with in and returns the decoded answer.
func do[T any](ctx context.Context, c *Client, op operation, in any) (*T, error) {
	var out T
	if err := c.call(ctx, op, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// list calls op with in and returns the list items picks from the answer.
func list[R, E any](ctx context.Context, c *Client, op operation, in any, items func(*R) []E) ([]E, error) {
	out, err := do[R](ctx, c, op, in)
	if err != nil {
		return nil, err
	}
	return items(out), nil
}

// call sends in as the body of op and decodes the answer into out; an
// answer with an in-band result code (a resulter) must report success.
// Errors name the operation; API errors are *connector.APIError.
func (c *Client) call(ctx context.Context, op operation, in, out any) error {
	body, err := soap.Marshal(Namespace, RequestPrefix, op.name, in)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", SystemName, op.name, err)
	}
	reqID := newRequestID()
	resp, err := c.http.Do(ctx, &httpx.Request{
		Method: http.MethodPost,
		Path:   "/",
		Query:  c.query(),
		Header: http.Header{
			// The bare operation name, as the official clients send it; the
			// server dispatches on the body element.
			"Soapaction":   {op.name},
			"X-Request-Id": {reqID},
		},
		Body:       body,
		Idempotent: op.idempotent,
	})
	if err != nil {
		if ae, ok := errors.AsType[*connector.APIError](err); ok && ae.RequestID == "" {
			ae.RequestID = reqID
		}
		return fmt.Errorf("%s: %w", op.name, err)
	}
	if err := soap.Unmarshal(resp.Body, out, op.response); err != nil {
		if f, ok := errors.AsType[*soap.Fault](err); ok {
			// A fault inside an HTTP 2xx answer.
			ae := faultError(f)
			ae.System, ae.Method, ae.Path, ae.StatusCode, ae.RequestID = SystemName, http.MethodPost, "/", resp.StatusCode, reqID
			ae.Message = c.http.Redact(ae.Message)
			return fmt.Errorf("%s: %w", op.name, ae)
		}
		return fmt.Errorf("%s: %w", op.name, c.http.DecodeError(http.MethodPost, "/", resp.Body, err))
	}
	if r, ok := out.(resulter); ok {
		code, msg := r.resultOf()
		return c.checkResult(op, reqID, code, msg)
	}
	return nil
}

// decodeFault is the httpx error-body hook: a SOAP fault in an error answer
// becomes the APIError's code and message.
func decodeFault(_ int, _ http.Header, body []byte) *connector.APIError {
	f := soap.ParseFault(body)
	if f == nil {
		return nil
	}
	return faultError(f)
}

// faultError classifies a fault: "Client…" faults need a changed request and
// are not retried; "Server…" faults are temporary and retried for reads.
func faultError(f *soap.Fault) *connector.APIError {
	return &connector.APIError{Code: f.Code, Message: f.String, Temporary: f.Temporary()}
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "tradelink_" + hex.EncodeToString(b[:])
}

// checkResult turns an in-band result code of an HTTP-200 answer into an
// error: codes ending in -RESULT-OK (and any listed in op.ok) succeed; any
// other code is a *connector.APIError carrying the code and the server's
// errorMessage, and codes containing NOT-FOUND also match
// connector.ErrNotFound.
func (c *Client) checkResult(op operation, reqID, result, message string) error {
	if strings.HasSuffix(result, "-RESULT-OK") || slices.Contains(op.ok, result) {
		return nil
	}
	ae := &connector.APIError{
		System: SystemName, Method: http.MethodPost, Path: "/", StatusCode: http.StatusOK,
		Code: result, Message: c.http.Redact(strings.TrimSpace(message)), RequestID: reqID,
	}
	if ae.Code == "" {
		ae.Code = "(no result code)"
	}
	var err error = ae
	if strings.Contains(result, "NOT-FOUND") {
		err = &notFoundError{ae}
	}
	return fmt.Errorf("%s: %w", op.name, err)
}

// notFoundError is an in-band NOT-FOUND result: an *connector.APIError that
// also matches connector.ErrNotFound (APIError itself matches it only for
// HTTP 404).
type notFoundError struct{ api *connector.APIError }

// Error is the APIError's message.
func (e *notFoundError) Error() string { return e.api.Error() }

// Unwrap makes errors.As find the APIError and errors.Is find ErrNotFound.
func (e *notFoundError) Unwrap() []error { return []error{e.api, connector.ErrNotFound} }

// ResultCode returns the in-band result code or SOAP faultcode carried by
// err, or "" when err carries none.
func ResultCode(err error) string {
	if ae, ok := errors.AsType[*connector.APIError](err); ok {
		return ae.Code
	}
	return ""
}

// GetAPIVersion calls getApiVersion: the API's version numbers.
func (c *Client) GetAPIVersion(ctx context.Context) (*APIVersion, error) {
	return do[APIVersion](ctx, c, opGetAPIVersion, nil)
}

// GetCurrentSyncMarkers calls getCurrentSyncMarkers: the current high-water
// sync marker of every entity type, to start a sync "from now".
func (c *Client) GetCurrentSyncMarkers(ctx context.Context) (*SyncMarkers, error) {
	return do[SyncMarkers](ctx, c, opGetCurrentSyncMarkers, nil)
}

var (
	opGetAPIVersion         = operation{name: "getApiVersion", response: "getApiVersionResponse", idempotent: true}
	opGetCurrentSyncMarkers = operation{name: "getCurrentSyncMarkers", response: "getCurrentSyncMarkersResponse", idempotent: true}
)

// APIVersion is getApiVersionResponse (a subset of its fields).
type APIVersion struct {
	MajorNumber                 int     `xml:"majorNumber"`
	MinorNumber                 int     `xml:"minorNumber"`
	RevisionNumber              int     `xml:"revisionNumber"`
	InDebugMode                 bool    `xml:"inDebugMode"`
	IsSlaveAPI                  *bool   `xml:"isSlaveApi"`
	ServiceVersionDisplayString *string `xml:"serviceVersionDisplayString"`
}

// SyncMarkers is getCurrentSyncMarkersResponse (a subset of its fields):
// the highest sync marker per entity type, and the highest stock mutation id.
type SyncMarkers struct {
	ArticleSyncMarker      int64  `xml:"articleSyncMarker"`
	ArticleGroupSyncMarker *int64 `xml:"articleGroupSyncMarker,omitempty"`
	RelationSyncMarker     int64  `xml:"relationSyncMarker"`
	EmployeeSyncMarker     int64  `xml:"employeeSyncMarker"`
	InvoiceSyncMarker      int64  `xml:"invoiceSyncMarker"`
	ReceiptSyncMarker      int64  `xml:"receiptSyncMarker"`
	OrderSyncMarker        int64  `xml:"orderSyncMarker"`
	ProposalSyncMarker     *int64 `xml:"proposalSyncMarker,omitempty"`
	StockID                *int64 `xml:"stockId,omitempty"`
}
