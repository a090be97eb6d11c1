// Package ccvshoptest is an in-process fake CCV Shop REST API for tests,
// benchmarks and demos. It speaks the wire format of package ccvshop:
// HMAC-SHA512 signed requests within a 5-minute date window (a tampered or
// stale request gets 401), signed responses, offset paging with absolute
// next links, the list filters of the real API (including the hidden
// unfinished orders: is_completed defaults to true), required-field
// validation on create, the per-resource, per-method rate limits with the
// real 429 body (code 429.10), in-memory state so create-then-read works,
// webhook deliveries, and fault injection.
//
// It needs no testing.T: the quickstart program runs it. Seed data directly
// with AddOrder, AddProduct, AddUser, AddCategory ... (no HTTP, fast for
// thousands of records).
package ccvshoptest

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/verto"
	"github.com/tradelink/tradelink/internal/verto/vertotest"
)

// The key pair the fake accepts unless WithCredentials says otherwise.
const (
	PublicKey = "tradelink-demo-public"
	Secret    = connector.Secret("tradelink-demo-secret")
)

// Fault is an injected failure; see Server.Inject. Path is a path prefix
// below /api/rest/v1/ such as "orders/" (or a full path).
type Fault = vertotest.Fault

// DefaultPackageID is the shipping package every fake shop has; products
// need one on create.
const DefaultPackageID = 1

// Option configures a Server.
type Option func(*config)

type config struct {
	public string
	secret connector.Secret
	now    func() time.Time
	start  bool
}

// WithCredentials sets the key pair the fake accepts.
func WithCredentials(public string, secret connector.Secret) Option {
	return func(c *config) { c.public, c.secret = public, secret }
}

// WithClock sets the server clock (x-date window, dates of new records).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// Unstarted returns a fake that does not listen; drive it through
// Server.ServeHTTP (e.g. with httptest.NewRecorder inside a synctest
// bubble).
func Unstarted() Option { return func(c *config) { c.start = false } }

// Server is a fake CCV Shop. It is safe for concurrent use.
type Server struct {
	core *vertotest.Server
	cfg  config

	mu       sync.Mutex
	nextID   int64
	nextOrdN int64
	nextInvN int64

	orders      map[int64]*ccvshop.Order
	orderIDs    []int64
	rows        map[int64]*ccvshop.OrderRow
	rowsByOrder map[int64][]int64

	users   map[int64]*ccvshop.User
	userIDs []int64

	products   map[int64]*ccvshop.Product
	productIDs []int64
	combos     map[int64]*ccvshop.AttributeCombination
	combosBy   map[int64][]int64 // product id → combination ids
	attrs      map[int64]*ccvshop.Attribute
	attrIDs    []int64
	values     map[int64]*ccvshop.AttributeValue
	valuesBy   map[int64][]int64 // attribute id → value ids
	pavs       map[int64]*ccvshop.ProductAttributeValue
	pavsBy     map[int64][]int64 // product id → product attribute value ids

	categories map[int64]*ccvshop.Category
	catIDs     []int64
	p2c        map[int64]*ccvshop.ProductToCategory
	p2cIDs     []int64
	photos     map[int64]*ccvshop.ProductPhoto
	photosBy   map[int64][]int64

	webhooks   map[int64]*ccvshop.Webhook
	webhookIDs []int64
	deliveries []Delivery
	pending    sync.WaitGroup
	hookClient *http.Client

	invoices    map[int64]*ccvshop.Invoice
	invoiceIDs  []int64
	invoiceRows map[int64][]ccvshop.InvoiceRow

	paymethods []ccvshop.Paymethod
	packages   map[int64]string
}

// New starts a fake CCV Shop on a loopback port.
func New(opts ...Option) *Server {
	cfg := config{public: PublicKey, secret: Secret, now: time.Now, start: true}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{cfg: cfg, nextID: 1000, nextOrdN: 10000, nextInvN: 20000,
		orders: map[int64]*ccvshop.Order{}, rows: map[int64]*ccvshop.OrderRow{}, rowsByOrder: map[int64][]int64{},
		users: map[int64]*ccvshop.User{}, products: map[int64]*ccvshop.Product{},
		combos: map[int64]*ccvshop.AttributeCombination{}, combosBy: map[int64][]int64{},
		attrs: map[int64]*ccvshop.Attribute{}, values: map[int64]*ccvshop.AttributeValue{}, valuesBy: map[int64][]int64{},
		pavs: map[int64]*ccvshop.ProductAttributeValue{}, pavsBy: map[int64][]int64{},
		categories: map[int64]*ccvshop.Category{}, p2c: map[int64]*ccvshop.ProductToCategory{},
		photos: map[int64]*ccvshop.ProductPhoto{}, photosBy: map[int64][]int64{},
		webhooks: map[int64]*ccvshop.Webhook{}, invoices: map[int64]*ccvshop.Invoice{},
		invoiceRows: map[int64][]ccvshop.InvoiceRow{},
		packages:    map[int64]string{DefaultPackageID: "Standaard pakket"},
		hookClient:  &http.Client{Timeout: 10 * time.Second},
	}
	vc := vertotest.Config{System: ccvshop.SystemName, PublicKey: cfg.public, Secret: cfg.secret, Now: cfg.now}
	s.core = vertotest.NewUnstarted(vc)
	s.paymethods = []ccvshop.Paymethod{
		{ID: 1, Psp: "", Method: "BankTransfer", CombinedName: "BankTransfer", Label: "Vooraf overmaken"},
		{ID: 2, Psp: "CCV", Method: "ideal", CombinedName: "CCV_ideal", Label: "iDEAL"},
		{ID: 3, Psp: "", Method: "OnPickup", CombinedName: "OnPickup", Label: "Betalen bij afhalen",
			ExtraCosts: true, ExtraCostsFixed: verto.MustNum("0.50")},
	}
	s.routes()
	if cfg.start {
		s.core.Start()
	}
	return s
}

// URL returns the shop root to give ccvshop.NewClient.
func (s *Server) URL() string { return s.core.URL() }

// Credentials returns the key pair the fake accepts.
func (s *Server) Credentials() ccvshop.Credentials {
	return ccvshop.Credentials{PublicKey: s.cfg.public, Secret: s.cfg.secret}
}

// Client returns a ccvshop client for this fake with opts.
func (s *Server) Client(opts ...ccvshop.Option) (*ccvshop.Client, error) {
	return ccvshop.NewClient(s.URL(), s.Credentials(), opts...)
}

// Close stops the server and waits for webhook deliveries in flight.
func (s *Server) Close() {
	s.core.Close()
	s.pending.Wait()
}

// ServeHTTP serves one request (useful with an Unstarted fake).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.core.ServeHTTP(w, r) }

// Inject adds a fault: matching requests fail as it says (see Fault).
func (s *Server) Inject(f Fault) { s.core.Inject(f) }

// ClearFaults removes pending faults.
func (s *Server) ClearFaults() { s.core.ClearFaults() }

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) { s.core.SetLatency(d) }

// SetLimits sets the per-minute limits (per resource and method, as the
// real API counts them; zero fields: 150 GET, 100 writes, 30 productqueries)
// and an overall per-minute cap answered with 429.11 (0: none).
func (s *Server) SetLimits(l verto.Limits, total int) { s.core.SetLimits(l, total) }

// DisableLimits turns the fake's rate limiting off.
func (s *Server) DisableLimits() { s.core.DisableLimits() }

// Requests returns how many requests the fake received (rejected ones
// included).
func (s *Server) Requests() int64 { return s.core.Requests() }

// RequestsFor returns the requests for one route, e.g.
// RequestsFor("GET", "orders/{id}/orderrows/").
func (s *Server) RequestsFor(method, route string) int64 { return s.core.RequestsFor(method, route) }

// Calls returns the request count per "METHOD /route".
func (s *Server) Calls() map[string]int64 { return s.core.Calls() }

// ResetCounters zeroes the request counters.
func (s *Server) ResetCounters() { s.core.ResetCounters() }

func (s *Server) now() time.Time { return s.cfg.now().UTC() }

func (s *Server) stamp() string { return verto.FormatDate(s.now()) }

// id returns a fresh id; ids are unique across resources.
func (s *Server) id() int64 {
	s.nextID++
	return s.nextID
}

func (s *Server) link(format string, args ...any) string {
	return s.core.Link(fmt.Sprintf(format, args...))
}

func insertID(ids []int64, id int64) []int64 {
	i := sort.Search(len(ids), func(i int) bool { return ids[i] >= id })
	if i < len(ids) && ids[i] == id {
		return ids
	}
	ids = append(ids, 0)
	copy(ids[i+1:], ids[i:])
	ids[i] = id
	return ids
}

func removeID(ids []int64, id int64) []int64 {
	i := sort.Search(len(ids), func(i int) bool { return ids[i] >= id })
	if i < len(ids) && ids[i] == id {
		return append(ids[:i], ids[i+1:]...)
	}
	return ids
}

func (s *Server) useID(id int64) int64 {
	if id == 0 {
		return s.id()
	}
	if id > s.nextID {
		s.nextID = id
	}
	return id
}
