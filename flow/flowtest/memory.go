// Package flowtest provides in-memory connectors with fault injection, for
// testing flows without any server: your own flows, and tradelink's.
//
// A [System] implements every capability of package connector over maps
// guarded by a mutex. Seed it with Add* methods (which never fail and are not
// counted), run a flow, then inspect what was written and how many calls it
// took. [Fault] makes chosen operations fail, transiently or after the write
// was applied (the "write outcome unknown" case).
package flowtest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tradelink/tradelink/connector"
)

// Operation names used in [Fault.Op] and [System.Calls].
const (
	OpOrders              = "Orders"
	OpFindOrderByRef      = "FindOrderByRef"
	OpFindOrdersByRef     = "FindOrdersByRef"
	OpCreateOrder         = "CreateOrder"
	OpSetOrderStatus      = "SetOrderStatus"
	OpCustomers           = "Customers"
	OpFindCustomerByEmail = "FindCustomerByEmail"
	OpCreateCustomer      = "CreateCustomer"
	OpUpdateCustomer      = "UpdateCustomer"
	OpProducts            = "Products"
	OpFindProductBySKU    = "FindProductBySKU"
	OpCreateProduct       = "CreateProduct"
	OpUpdateProduct       = "UpdateProduct"
	OpStockLevels         = "StockLevels"
	OpSetStock            = "SetStock"
	OpFindCategory        = "FindCategory"
	OpCreateCategory      = "CreateCategory"
)

var writeOps = map[string]bool{
	OpCreateOrder: true, OpSetOrderStatus: true, OpCreateCustomer: true, OpUpdateCustomer: true,
	OpCreateProduct: true, OpUpdateProduct: true, OpSetStock: true, OpCreateCategory: true,
}

// Fault makes matching operations fail.
type Fault struct {
	// Op is the operation to fail (see the Op constants); "" matches all.
	Op string
	// Err is returned; nil means a retryable 503 *connector.APIError.
	Err error
	// AfterCommit applies the write first and then fails with an error
	// matching connector.ErrOutcomeUnknown (wrapping Err).
	AfterCommit bool
	// Times is how many matching calls fail; 0 means 1, -1 means every call.
	Times int
	// Rate, when above zero, fails each matching call with this probability
	// instead of counting Times (deterministic per System seed).
	Rate float64
}

// System is an in-memory system implementing every connector capability.
// It is safe for concurrent use.
type System struct {
	name string
	// PageSize is the page size used when a query does not set one.
	PageSize int

	mu         sync.Mutex
	seq        int
	orders     map[string]*connector.Order
	orderKind  map[string]connector.OrderKind
	customers  map[string]*connector.Customer
	products   map[string]*connector.Product
	stock      map[string]connector.StockLevel
	categories map[string]*connector.Category
	faults     []*Fault
	calls      map[string]int
	rng        *rand.Rand
	latency    time.Duration
}

// New returns an empty in-memory system with the given name.
func New(name string) *System {
	return &System{
		name: name, PageSize: 50,
		orders: map[string]*connector.Order{}, orderKind: map[string]connector.OrderKind{},
		customers: map[string]*connector.Customer{}, products: map[string]*connector.Product{},
		stock: map[string]connector.StockLevel{}, categories: map[string]*connector.Category{},
		calls: map[string]int{}, rng: rand.New(rand.NewPCG(1, 2)),
	}
}

// System implements connector.System.
func (s *System) System() string { return s.name }

// Seed reseeds the random source used by Fault.Rate.
func (s *System) Seed(a, b uint64) {
	s.mu.Lock()
	s.rng = rand.New(rand.NewPCG(a, b))
	s.mu.Unlock()
}

// SetLatency makes every call wait d (respecting the context), to model a
// remote system in benchmarks.
func (s *System) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// Inject adds a fault.
func (s *System) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times == 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *System) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// Calls returns how often each operation was called (a stream counts one
// call per page), seeding excluded.
func (s *System) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// TotalCalls returns the number of calls of every operation.
func (s *System) TotalCalls() int {
	n := 0
	for _, v := range s.Calls() {
		n += v
	}
	return n
}

// Writes returns the number of write calls (create, update, set).
func (s *System) Writes() int {
	n := 0
	for op, v := range s.Calls() {
		if writeOps[op] {
			n += v
		}
	}
	return n
}

// ResetCalls zeroes the call counters.
func (s *System) ResetCalls() {
	s.mu.Lock()
	s.calls = map[string]int{}
	s.mu.Unlock()
}

// begin counts a call, waits the latency and decides its fault. It returns
// the fault to apply (nil for none).
func (s *System) begin(ctx context.Context, op string) (*Fault, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.calls[op]++
	lat := s.latency
	var hit *Fault
	for _, f := range s.faults {
		if f.Op != "" && f.Op != op {
			continue
		}
		if f.Rate > 0 {
			if s.rng.Float64() < f.Rate {
				hit = f
				break
			}
			continue
		}
		if f.Times != 0 {
			if f.Times > 0 {
				f.Times--
			}
			hit = f
			break
		}
	}
	s.mu.Unlock()
	if lat > 0 {
		t := time.NewTimer(lat)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	return hit, nil
}

func (s *System) faultErr(op string, f *Fault) error {
	err := f.Err
	if err == nil {
		err = &connector.APIError{System: s.name, Method: "MEM", Path: op, StatusCode: 503, Message: "injected fault"}
	}
	if f.AfterCommit {
		return &connector.OutcomeUnknownError{System: s.name, Method: "MEM", Path: op, Err: err}
	}
	return err
}

// call runs a write: fault before, apply, fault after.
func (s *System) write(ctx context.Context, op string, apply func() error) error {
	f, err := s.begin(ctx, op)
	if err != nil {
		return err
	}
	if f != nil && !f.AfterCommit {
		return s.faultErr(op, f)
	}
	s.mu.Lock()
	err = apply()
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if f != nil {
		return s.faultErr(op, f)
	}
	return nil
}

// read runs the fault check of a read. A read changes nothing, so an
// AfterCommit fault fails it like any other: the outcome of a read is never
// unknown.
func (s *System) read(ctx context.Context, op string) error {
	f, err := s.begin(ctx, op)
	if err != nil {
		return err
	}
	if f != nil {
		plain := *f
		plain.AfterCommit = false
		return s.faultErr(op, &plain)
	}
	return nil
}

func (s *System) newID(prefix string) string {
	s.seq++
	return prefix + strconv.Itoa(s.seq)
}

func notFound(what, key string) error {
	return fmt.Errorf("%s %q: %w", what, key, connector.ErrNotFound)
}

// --- seeding and inspection --------------------------------------------------

// AddOrder stores o as a source order (kind order) and returns it with an ID
// when it had none. It never fails and is not counted.
func (s *System) AddOrder(o connector.Order) connector.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.ID == "" {
		o.ID = s.newID("O")
	}
	o = cloneOrder(o)
	s.orders[o.ID] = &o
	s.orderKind[o.ID] = connector.KindOrder
	return cloneOrder(o)
}

// AddCustomer stores c and returns it with an ID.
func (s *System) AddCustomer(c connector.Customer) connector.Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == "" {
		c.ID = s.newID("C")
	}
	c = cloneCustomer(c)
	s.customers[c.ID] = &c
	return cloneCustomer(c)
}

// AddProduct stores p and returns it with an ID.
func (s *System) AddProduct(p connector.Product) connector.Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ID == "" {
		p.ID = s.newID("P")
	}
	p = cloneProduct(p)
	s.products[p.ID] = &p
	return cloneProduct(p)
}

// AddStock stores a stock level for its SKU.
func (s *System) AddStock(l connector.StockLevel) {
	s.mu.Lock()
	s.stock[l.SKU] = l
	s.mu.Unlock()
}

// AddCategory stores c and returns it with an ID.
func (s *System) AddCategory(c connector.Category) connector.Category {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.ID == "" {
		c.ID = s.newID("K")
	}
	s.categories[c.ID] = &c
	return c
}

// UpdateOrder replaces a stored order (as a change in the source would),
// keeping its kind. It is not counted.
func (s *System) UpdateOrder(o connector.Order) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o = cloneOrder(o)
	s.orders[o.ID] = &o
	if _, ok := s.orderKind[o.ID]; !ok {
		s.orderKind[o.ID] = connector.KindOrder
	}
}

// Documents returns the stored orders of a kind ("" for all), by ID.
func (s *System) Documents(kind connector.OrderKind) []connector.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return listed(s.orders, cloneOrder, func(o connector.Order) bool { return kind == "" || s.orderKind[o.ID] == kind },
		func(o connector.Order) string { return o.ID })
}

// CustomerList returns every stored customer, by ID.
func (s *System) CustomerList() []connector.Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return listed(s.customers, cloneCustomer, nil, func(c connector.Customer) string { return c.ID })
}

// ProductList returns every stored product, by ID.
func (s *System) ProductList() []connector.Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	return listed(s.products, cloneProduct, nil, func(p connector.Product) string { return p.ID })
}

// Stock returns the stored stock level of sku.
func (s *System) Stock(sku string) (connector.StockLevel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.stock[sku]
	return l, ok
}

// CategoryList returns every stored category, by ID.
func (s *System) CategoryList() []connector.Category {
	s.mu.Lock()
	defer s.mu.Unlock()
	return listed(s.categories, func(c connector.Category) connector.Category { return c }, nil,
		func(c connector.Category) string { return c.ID })
}

// listed copies the stored records that keep accepts (nil accepts all),
// ordered by ID. The caller holds s.mu.
func listed[T any](m map[string]*T, clone func(T) T, keep func(T) bool, id func(T) string) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		if keep == nil || keep(*v) {
			out = append(out, clone(*v))
		}
	}
	sort.Slice(out, func(i, j int) bool { return idLess(id(out[i]), id(out[j])) })
	return out
}

// idLess orders IDs like "O2" before "O10".
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// --- streams -------------------------------------------------------------------

// stream pages through a snapshot of keys taken per page, so records
// changed during the stream are seen at most once per page boundary.
func stream[T any](ctx context.Context, s *System, op string, pageSize int, page func(offset, size int) ([]T, bool)) iter.Seq2[T, error] {
	if pageSize <= 0 {
		pageSize = s.PageSize
	}
	return func(yield func(T, error) bool) {
		for offset := 0; ; offset += pageSize {
			if err := s.read(ctx, op); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			s.mu.Lock()
			items, more := page(offset, pageSize)
			s.mu.Unlock()
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if !more {
				return
			}
		}
	}
}

func window[T any](all []T, offset, size int) ([]T, bool) {
	if offset >= len(all) {
		return nil, false
	}
	end := min(offset+size, len(all))
	return all[offset:end], end < len(all)
}

// changedPage returns one page of the records in m that keep accepts,
// oldest change first (ties by ID), cloned, and whether more follow. The
// caller holds s.mu.
func changedPage[T any](m map[string]*T, keep func(*T) bool, stamp func(*T) (time.Time, string),
	clone func(T) T, offset, size int) ([]T, bool) {
	var all []*T
	for _, v := range m {
		if keep(v) {
			all = append(all, v)
		}
	}
	sort.Slice(all, func(i, j int) bool {
		ti, idi := stamp(all[i])
		tj, idj := stamp(all[j])
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return idLess(idi, idj)
	})
	page, more := window(all, offset, size)
	out := make([]T, len(page))
	for i, v := range page {
		out[i] = clone(*v)
	}
	return out, more
}

// Orders implements connector.OrderSource: orders of kind order with
// UpdatedAt at or after q.UpdatedSince, oldest first (ties by ID).
func (s *System) Orders(ctx context.Context, q connector.OrderQuery) iter.Seq2[connector.Order, error] {
	return stream(ctx, s, OpOrders, q.PageSize, func(offset, size int) ([]connector.Order, bool) {
		return changedPage(s.orders, func(o *connector.Order) bool {
			return s.orderKind[o.ID] == connector.KindOrder && !o.UpdatedAt.Before(q.UpdatedSince) &&
				(len(q.Statuses) == 0 || slices.Contains(q.Statuses, o.Status))
		}, func(o *connector.Order) (time.Time, string) { return o.UpdatedAt, o.ID }, cloneOrder, offset, size)
	})
}

// Customers implements connector.CustomerSource, oldest change first.
func (s *System) Customers(ctx context.Context, q connector.CustomerQuery) iter.Seq2[connector.Customer, error] {
	return stream(ctx, s, OpCustomers, q.PageSize, func(offset, size int) ([]connector.Customer, bool) {
		return changedPage(s.customers, func(c *connector.Customer) bool { return !c.UpdatedAt.Before(q.UpdatedSince) },
			func(c *connector.Customer) (time.Time, string) { return c.UpdatedAt, c.ID }, cloneCustomer, offset, size)
	})
}

// Products implements connector.ProductSource, oldest change first.
func (s *System) Products(ctx context.Context, q connector.ProductQuery) iter.Seq2[connector.Product, error] {
	return stream(ctx, s, OpProducts, q.PageSize, func(offset, size int) ([]connector.Product, bool) {
		return changedPage(s.products, func(p *connector.Product) bool { return !p.UpdatedAt.Before(q.UpdatedSince) },
			func(p *connector.Product) (time.Time, string) { return p.UpdatedAt, p.ID }, cloneProduct, offset, size)
	})
}

// StockLevels implements connector.StockSource, by SKU.
func (s *System) StockLevels(ctx context.Context, q connector.StockQuery) iter.Seq2[connector.StockLevel, error] {
	return stream(ctx, s, OpStockLevels, 0, func(offset, size int) ([]connector.StockLevel, bool) {
		var all []connector.StockLevel
		for sku, l := range s.stock {
			if len(q.SKUs) > 0 && !slices.Contains(q.SKUs, sku) {
				continue
			}
			if q.Location != "" && l.Location != q.Location {
				continue
			}
			all = append(all, l.Normalize())
		}
		sort.Slice(all, func(i, j int) bool { return all[i].SKU < all[j].SKU })
		return window(all, offset, size)
	})
}

// --- orders ---------------------------------------------------------------------

// FindOrderByRef implements connector.OrderSink.
func (s *System) FindOrderByRef(ctx context.Context, kind connector.OrderKind, ref string) (connector.Order, error) {
	if err := s.read(ctx, OpFindOrderByRef); err != nil {
		return connector.Order{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, o := range s.orders {
		if s.orderKind[id] == kind && o.ExternalRef == ref && ref != "" {
			return cloneOrder(*o), nil
		}
	}
	return connector.Order{}, notFound(string(kind)+" with reference", ref)
}

// FindOrdersByRef implements connector.OrderRefFinder: one call for any
// number of references.
func (s *System) FindOrdersByRef(ctx context.Context, kind connector.OrderKind, refs []string) (map[string]connector.Order, error) {
	if err := s.read(ctx, OpFindOrdersByRef); err != nil {
		return nil, err
	}
	want := make(map[string]bool, len(refs))
	for _, r := range refs {
		want[r] = r != ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]connector.Order{}
	for id, o := range s.orders {
		if s.orderKind[id] == kind && want[o.ExternalRef] {
			out[o.ExternalRef] = cloneOrder(*o)
		}
	}
	return out, nil
}

// CreateOrder implements connector.OrderSink.
func (s *System) CreateOrder(ctx context.Context, kind connector.OrderKind, o connector.Order) (connector.Order, error) {
	if !kind.Valid() {
		return connector.Order{}, fmt.Errorf("%s: order kind %q: %w", s.name, kind, connector.ErrUnsupported)
	}
	if err := o.Validate(); err != nil {
		return connector.Order{}, err
	}
	var out connector.Order
	err := s.write(ctx, OpCreateOrder, func() error {
		if o.Customer.ID != "" {
			if _, ok := s.customers[o.Customer.ID]; !ok {
				return &connector.ValidationError{Record: "order " + strconv.Quote(o.Ref()), Field: "Customer.ID", Value: o.Customer.ID, Reason: "no such customer"}
			}
		}
		o = cloneOrder(o)
		o.ID = s.newID("D")
		if o.Number == "" {
			o.Number = o.ID
		}
		s.orders[o.ID] = &o
		s.orderKind[o.ID] = kind
		out = cloneOrder(o)
		return nil
	})
	return out, err
}

// SetOrderStatus implements connector.OrderStatusSink.
func (s *System) SetOrderStatus(ctx context.Context, id string, status connector.OrderStatus) error {
	if !status.Valid() {
		return &connector.ValidationError{Record: "order " + strconv.Quote(id), Field: "Status", Value: string(status), Reason: "is not a canonical order status"}
	}
	return s.write(ctx, OpSetOrderStatus, func() error {
		o, ok := s.orders[id]
		if !ok {
			return notFound("order", id)
		}
		o.Status = status
		return nil
	})
}

// --- customers ------------------------------------------------------------------

// FindCustomerByEmail implements connector.CustomerSink: exact match,
// ignoring case.
func (s *System) FindCustomerByEmail(ctx context.Context, email string) (connector.Customer, error) {
	if err := s.read(ctx, OpFindCustomerByEmail); err != nil {
		return connector.Customer{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var found *connector.Customer
	for _, c := range s.customers {
		if email != "" && strings.EqualFold(c.Email, email) && (found == nil || idLess(c.ID, found.ID)) {
			found = c
		}
	}
	if found == nil {
		return connector.Customer{}, fmt.Errorf("customer by e-mail: %w", connector.ErrNotFound)
	}
	return cloneCustomer(*found), nil
}

// CreateCustomer implements connector.CustomerSink.
func (s *System) CreateCustomer(ctx context.Context, c connector.Customer) (connector.Customer, error) {
	if err := c.Validate(); err != nil {
		return connector.Customer{}, err
	}
	var out connector.Customer
	err := s.write(ctx, OpCreateCustomer, func() error {
		c = cloneCustomer(c)
		c.ID = s.newID("C")
		s.customers[c.ID] = &c
		out = cloneCustomer(c)
		return nil
	})
	return out, err
}

// UpdateCustomer implements connector.CustomerSink.
func (s *System) UpdateCustomer(ctx context.Context, c connector.Customer) (connector.Customer, error) {
	if err := c.Validate(); err != nil {
		return connector.Customer{}, err
	}
	var out connector.Customer
	err := s.write(ctx, OpUpdateCustomer, func() error {
		if _, ok := s.customers[c.ID]; !ok {
			return notFound("customer", c.ID)
		}
		c = cloneCustomer(c)
		s.customers[c.ID] = &c
		out = cloneCustomer(c)
		return nil
	})
	return out, err
}

// --- products -------------------------------------------------------------------

// FindProductBySKU implements connector.ProductSink. A variant's SKU finds
// the product it belongs to.
func (s *System) FindProductBySKU(ctx context.Context, sku string) (connector.Product, error) {
	if err := s.read(ctx, OpFindProductBySKU); err != nil {
		return connector.Product{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.bySKU(sku); p != nil {
		return cloneProduct(*p), nil
	}
	return connector.Product{}, notFound("product with SKU", sku)
}

func (s *System) bySKU(sku string) *connector.Product {
	if sku == "" {
		return nil
	}
	for _, p := range s.products {
		if p.SKU == sku {
			return p
		}
		for _, v := range p.Variants {
			if v.SKU == sku {
				return p
			}
		}
	}
	return nil
}

// CreateProduct implements connector.ProductSink.
func (s *System) CreateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	if err := p.Validate(); err != nil {
		return connector.Product{}, err
	}
	var out connector.Product
	err := s.write(ctx, OpCreateProduct, func() error {
		if s.bySKU(p.SKU) != nil {
			return &connector.APIError{System: s.name, Method: "MEM", Path: OpCreateProduct, StatusCode: 409, Message: "SKU " + p.SKU + " exists"}
		}
		p = cloneProduct(p)
		p.ID = s.newID("P")
		for i := range p.Variants {
			p.Variants[i].ID = s.newID("V")
		}
		s.products[p.ID] = &p
		out = cloneProduct(p)
		return nil
	})
	return out, err
}

// UpdateProduct implements connector.ProductSink.
func (s *System) UpdateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	if err := p.Validate(); err != nil {
		return connector.Product{}, err
	}
	var out connector.Product
	err := s.write(ctx, OpUpdateProduct, func() error {
		if _, ok := s.products[p.ID]; !ok {
			return notFound("product", p.ID)
		}
		p = cloneProduct(p)
		for i := range p.Variants {
			if p.Variants[i].ID == "" {
				p.Variants[i].ID = s.newID("V")
			}
		}
		s.products[p.ID] = &p
		out = cloneProduct(p)
		return nil
	})
	return out, err
}

// --- stock ----------------------------------------------------------------------

// SetStock implements connector.StockSink: it stores level.Available as the
// available quantity of an existing SKU.
func (s *System) SetStock(ctx context.Context, level connector.StockLevel) error {
	if err := level.Validate(); err != nil {
		return err
	}
	return s.write(ctx, OpSetStock, func() error {
		if s.bySKU(level.SKU) == nil {
			if _, ok := s.stock[level.SKU]; !ok {
				return notFound("product with SKU", level.SKU)
			}
		}
		s.stock[level.SKU] = level
		return nil
	})
}

// --- categories -----------------------------------------------------------------

// FindCategory implements connector.CategorySink.
func (s *System) FindCategory(ctx context.Context, name, parentID string) (connector.Category, error) {
	if err := s.read(ctx, OpFindCategory); err != nil {
		return connector.Category{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.categories {
		if c.Name == name && c.ParentID == parentID {
			return *c, nil
		}
	}
	return connector.Category{}, notFound("category", name)
}

// CreateCategory implements connector.CategorySink.
func (s *System) CreateCategory(ctx context.Context, c connector.Category) (connector.Category, error) {
	if strings.TrimSpace(c.Name) == "" {
		return connector.Category{}, &connector.ValidationError{Record: "category", Field: "Name", Reason: "is required"}
	}
	var out connector.Category
	err := s.write(ctx, OpCreateCategory, func() error {
		if c.ParentID != "" {
			if _, ok := s.categories[c.ParentID]; !ok {
				return notFound("parent category", c.ParentID)
			}
		}
		c.ID = s.newID("K")
		c.Path = slices.Clone(c.Path)
		s.categories[c.ID] = &c
		out = c
		return nil
	})
	return out, err
}

// --- deep copies ----------------------------------------------------------------

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneCustomer(c connector.Customer) connector.Customer {
	c.CustomFields = cloneMap(c.CustomFields)
	return c
}

func cloneOrder(o connector.Order) connector.Order {
	o.Customer = cloneCustomer(o.Customer)
	o.Lines = slices.Clone(o.Lines)
	for i := range o.Lines {
		o.Lines[i].Attributes = slices.Clone(o.Lines[i].Attributes)
	}
	o.Discounts = slices.Clone(o.Discounts)
	o.CustomFields = cloneMap(o.CustomFields)
	return o
}

func cloneStock(l *connector.StockLevel) *connector.StockLevel {
	if l == nil {
		return nil
	}
	c := *l
	return &c
}

func cloneProduct(p connector.Product) connector.Product {
	p.Variants = slices.Clone(p.Variants)
	for i := range p.Variants {
		p.Variants[i].Attributes = slices.Clone(p.Variants[i].Attributes)
		p.Variants[i].Stock = cloneStock(p.Variants[i].Stock)
	}
	p.Attributes = slices.Clone(p.Attributes)
	for i := range p.Attributes {
		p.Attributes[i].Values = slices.Clone(p.Attributes[i].Values)
	}
	p.Features = slices.Clone(p.Features)
	p.Categories = slices.Clone(p.Categories)
	p.Images = slices.Clone(p.Images)
	p.GroupedSKUs = slices.Clone(p.GroupedSKUs)
	p.Stock = cloneStock(p.Stock)
	p.CustomFields = cloneMap(p.CustomFields)
	return p
}

// ErrInjected is a convenient non-retryable error for faults.
var ErrInjected = errors.New("injected failure")

// compile-time checks: System implements every capability.
var (
	_ connector.OrderSource     = (*System)(nil)
	_ connector.OrderSink       = (*System)(nil)
	_ connector.OrderRefFinder  = (*System)(nil)
	_ connector.OrderStatusSink = (*System)(nil)
	_ connector.CustomerSource  = (*System)(nil)
	_ connector.CustomerSink    = (*System)(nil)
	_ connector.ProductSource   = (*System)(nil)
	_ connector.ProductSink     = (*System)(nil)
	_ connector.StockSource     = (*System)(nil)
	_ connector.StockSink       = (*System)(nil)
	_ connector.CategorySink    = (*System)(nil)
)
