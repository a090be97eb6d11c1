package ccvshop

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
	"github.com/tradelink/tradelink/internal/verto"
)

// SystemName is the name the connector reports from System() and puts in
// errors and call events.
const SystemName = "ccvshop"

// Credentials are a shop's API key pair, created in the shop backend (My web
// shop / Settings / API settings) or handed to an App on installation.
type Credentials struct {
	// PublicKey is the API public key, sent as x-public.
	PublicKey string
	// Secret is the API secret. It keys the request signature and is never
	// sent or printed.
	Secret connector.Secret
}

// Option configures a Client.
type Option = httpx.Option

// RetryPolicy says how often and how long a request is retried.
type RetryPolicy = httpx.RetryPolicy

// WithHTTPClient sets the *http.Client that sends requests.
var WithHTTPClient = httpx.WithHTTPClient

// WithLogger sets the slog logger for request lines (credentials redacted).
var WithLogger = httpx.WithLogger

// WithLimiter replaces the client's three per-operation limiters (reads
// 150/min, writes 100/min, product queries 30/min) with one limiter; nil
// disables client-side limiting.
var WithLimiter = httpx.WithLimiter

// WithObserver sets a function that receives every attempt, retry and
// rate-limit wait.
var WithObserver = httpx.WithObserver

// WithRetry sets the retry policy. The default waits up to about a minute
// between attempts because the platform counts limits per minute and sends
// no Retry-After.
var WithRetry = httpx.WithRetry

// Number is a decimal amount or quantity that travels as a bare JSON number;
// it decodes numbers, numeric strings and null.
type Number = verto.Number

// Int is an integer (id, order number, house number) that also decodes from
// a numeric string, as real payloads sometimes send ids.
type Int = verto.Int

// Collection is one page of a list: href, start, size, first, previous,
// next (empty on the last page) and the items.
type Collection[T any] = verto.Collection[T]

// Link is a link object: {"href": "..."}.
type Link struct {
	Href string `json:"href"`
}

// Expandable is a link to a sub-collection that carries the collection's
// items when the request asked for it with expand=<name>.
type Expandable[T any] struct {
	Href       string `json:"href"`
	Collection []T    `json:"collection,omitempty"`
}

// Ref is a reference to another resource: {"id", "href"}.
type Ref struct {
	ID   Int    `json:"id"`
	Href string `json:"href,omitempty"`
}

// NamedRef is a reference with a name: {"href", "id", "name"}.
type NamedRef struct {
	Href string `json:"href,omitempty"`
	ID   Int    `json:"id"`
	Name string `json:"name"`
}

// Num returns a Number for a decimal literal such as "12.95"; it panics on a
// malformed literal (meant for constants).
func Num(s string) Number { return verto.MustNum(s) }

// Client is a typed CCV Shop REST API client. Every request is signed with
// HMAC-SHA512 and every answer's signature is verified. It is safe for
// concurrent use.
type Client struct {
	api *verto.Client

	Orders                 *OrdersService
	OrderRows              *OrderRowsService
	Users                  *UsersService
	Products               *ProductsService
	ProductQueries         *ProductQueriesService
	Attributes             *AttributesService
	AttributeValues        *AttributeValuesService
	ProductAttributeValues *ProductAttributeValuesService
	AttributeCombinations  *AttributeCombinationsService
	Categories             *CategoriesService
	ProductToCategories    *ProductToCategoriesService
	ProductPhotos          *ProductPhotosService
	Webhooks               *WebhooksService
	Invoices               *InvoicesService
	PayMethods             *PayMethodsService
	Packages               *PackagesService
}

// NewClient returns a client for the shop at baseURL (scheme and host, e.g.
// "https://shop.example.com"; the API lives under /api/rest/v1/ there).
func NewClient(baseURL string, creds Credentials, opts ...Option) (*Client, error) {
	api, err := verto.New(verto.Config{
		System:    SystemName,
		BaseURL:   baseURL,
		PublicKey: creds.PublicKey,
		Secret:    creds.Secret,
		Accept:    verto.MediaWebshop,
	}, opts...)
	if err != nil {
		return nil, err
	}
	s := service{api: api}
	return &Client{
		api:                    api,
		Orders:                 &OrdersService{s},
		OrderRows:              &OrderRowsService{s},
		Users:                  &UsersService{s},
		Products:               &ProductsService{s},
		ProductQueries:         &ProductQueriesService{s},
		Attributes:             &AttributesService{s},
		AttributeValues:        &AttributeValuesService{s},
		ProductAttributeValues: &ProductAttributeValuesService{s},
		AttributeCombinations:  &AttributeCombinationsService{s},
		Categories:             &CategoriesService{s},
		ProductToCategories:    &ProductToCategoriesService{s},
		ProductPhotos:          &ProductPhotosService{s},
		Webhooks:               &WebhooksService{s},
		Invoices:               &InvoicesService{s},
		PayMethods:             &PayMethodsService{s},
		Packages:               &PackagesService{s},
	}, nil
}

// BaseURL returns the shop root the client talks to.
func (c *Client) BaseURL() string { return c.api.BaseURL() }

// String describes the client without credentials.
func (c *Client) String() string { return "ccvshop.Client(" + c.api.BaseURL() + ")" }

// service is what every resource service shares.
type service struct{ api *verto.Client }

// Paging selects one page of a list.
type Paging struct {
	// Start is the offset of the first item (0-based).
	Start int
	// Size is the page length; zero means DefaultPageSize. The platform's
	// maximum is unconfirmed; sizes above 250 are lowered to 250.
	Size int
}

// DefaultPageSize is the page size of list calls that name none.
const DefaultPageSize = 100

func (p Paging) query(q url.Values) url.Values {
	return verto.PageQuery(q, p.Start, p.Size, DefaultPageSize)
}

func listPage[T any](ctx context.Context, s service, path string, q url.Values, p Paging) (*Collection[T], error) {
	return verto.GetPage[T](ctx, s.api, path, p.query(q))
}

func listAll[T any](ctx context.Context, s service, path string, q url.Values, p Paging) iter.Seq2[T, error] {
	return verto.All[T](ctx, s.api, path, p.query(q))
}

func getOne[T any](ctx context.Context, s service, path string, q url.Values) (*T, error) {
	var out T
	if err := s.api.Get(ctx, path, q, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// create POSTs in and returns the created resource. When the platform
// answers a successful POST without a body (it sometimes does), the result
// is the zero value with only what the caller can know.
func create[T any](ctx context.Context, s service, path string, in any) (*T, error) {
	var out T
	if err := s.api.Post(ctx, path, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// idPath formats "<resource>/<id>/<sub...>".
func idPath(resource string, id int64, sub ...string) string {
	p := resource + "/" + strconv.FormatInt(id, 10) + "/"
	for _, s := range sub {
		p += s + "/"
	}
	return p
}

// setInt sets key to v when v is not zero.
func setInt(q url.Values, key string, v int64) {
	if v != 0 {
		q.Set(key, strconv.FormatInt(v, 10))
	}
}

// setStr sets key to v when v is not empty.
func setStr(q url.Values, key, v string) {
	if v != "" {
		q.Set(key, v)
	}
}

// setBool sets key to "true"/"false" when v is not nil.
func setBool(q url.Values, key string, v *bool) {
	if v != nil {
		q.Set(key, strconv.FormatBool(*v))
	}
}

// setDate sets key to t as YYYY-MM-DD (UTC) when t is set.
func setDate(q url.Values, key string, t time.Time) {
	if !t.IsZero() {
		q.Set(key, t.UTC().Format(time.DateOnly))
	}
}

// Bool returns a pointer to v, for optional fields and filters.
func Bool(v bool) *bool { return &v }

// WireSecret is a secret that has to travel in a JSON body (a new user's
// password, a webhook's key): it encodes its real value in JSON but prints,
// formats and logs as "[REDACTED]".
type WireSecret string

// String implements fmt.Stringer.
func (s WireSecret) String() string { return connector.Secret(s).String() }

// GoString implements fmt.GoStringer.
func (s WireSecret) GoString() string { return `ccvshop.WireSecret("` + s.String() + `")` }

// Format implements fmt.Formatter.
func (s WireSecret) Format(f fmt.State, verb rune) { connector.Secret(s).Format(f, verb) }

// Reveal returns the secret's value.
func (s WireSecret) Reveal() string { return string(s) }

// LogValue implements slog.LogValuer.
func (s WireSecret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// NumPtrFor returns a pointer to Num(s), for optional fields of write
// bodies.
func NumPtrFor(s string) *Number { n := Num(s); return &n }
