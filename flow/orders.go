package flow

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mapping"
)

// OrderConfig configures an order flow.
type OrderConfig struct {
	Options
	// Kind is the document the sink creates; zero means connector.KindOrder.
	Kind connector.OrderKind
	// Statuses selects orders with one of these canonical statuses; the
	// source is asked for them and each order is checked again.
	Statuses []connector.OrderStatus
	// PaidOnly skips orders that are not paid.
	PaidOnly bool
	// Mapping maps a source order to the order written into the sink; its
	// Filters are the custom filter. Nil means mapping.Default(EntityOrder).
	Mapping *mapping.Mapping
	// CustomerMapping maps an order's customer to the sink's debtor; nil
	// means mapping.Default(EntityCustomer).
	CustomerMapping *mapping.Mapping
	// DefaultDebtor, when set, is the sink customer ID every order is
	// booked on (a "cash sales" debtor); no customer is looked up.
	DefaultDebtor string
	// Customers is where debtors are found and created; nil means the sink
	// itself when it is a connector.CustomerSink.
	Customers connector.CustomerSink
	// Products is where the SKUs of order lines are checked; nil means the
	// sink itself when it is a connector.ProductSink, and no check when it
	// is not.
	Products connector.ProductSink
	// CreateMissingProducts creates a product from the order line when its
	// SKU does not exist in the sink, instead of failing the order.
	CreateMissingProducts bool
	// StatusWriteBack, when set, is written back to the source order after
	// the sink confirmed the write (the source must be a
	// connector.OrderStatusSink).
	StatusWriteBack connector.OrderStatus
	// Reference returns the external reference written into the sink and
	// used to find orders there; nil means the order number, else its ID.
	Reference func(connector.Order) string
}

// OrderFlow copies orders from a source to a sink, in this order per order:
// status and custom filters; skip when already linked in the store or found
// in the sink by external reference; resolve the debtor (default debtor, or
// find by e-mail, create, or update when changed — a company debtor with the
// person as contact when a company name is present); check every SKU exists
// in the sink; map; create as the configured kind; store the link only after
// the sink confirmed the write; optionally write a status back.
type OrderFlow struct {
	cfg        OrderConfig
	src        connector.OrderSource
	sink       connector.OrderSink
	customers  connector.CustomerSink
	products   connector.ProductSink
	statusBack connector.OrderStatusSink
	prog       *mapping.Program[connector.Order]
	cprog      *mapping.Program[connector.Customer]
	name       string
}

// NewOrders returns an order flow from src to sink. It compiles the
// mappings, so a mapping error is reported here.
func NewOrders(src connector.OrderSource, sink connector.OrderSink, cfg OrderConfig) (*OrderFlow, error) {
	if src == nil || sink == nil {
		return nil, errors.New("flow: NewOrders needs a source and a sink")
	}
	cfg.Options.defaults()
	if cfg.Kind == "" {
		cfg.Kind = connector.KindOrder
	}
	if !cfg.Kind.Valid() {
		return nil, fmt.Errorf("flow: unknown order kind %q", cfg.Kind)
	}
	for _, s := range cfg.Statuses {
		if !s.Valid() {
			return nil, fmt.Errorf("flow: unknown order status %q in Statuses", s)
		}
	}
	f := &OrderFlow{cfg: cfg, src: src, sink: sink, customers: cfg.Customers, products: cfg.Products}
	f.name = "orders " + src.System() + "->" + sink.System()
	if f.customers == nil {
		f.customers, _ = sink.(connector.CustomerSink)
	}
	if f.customers == nil && cfg.DefaultDebtor == "" {
		return nil, fmt.Errorf("flow: %s: the sink cannot find or create customers; set Customers or DefaultDebtor", f.name)
	}
	if f.products == nil {
		f.products, _ = sink.(connector.ProductSink)
	}
	if cfg.CreateMissingProducts && f.products == nil {
		return nil, fmt.Errorf("flow: %s: CreateMissingProducts needs a product sink", f.name)
	}
	if cfg.StatusWriteBack != "" {
		if !cfg.StatusWriteBack.Valid() {
			return nil, fmt.Errorf("flow: unknown StatusWriteBack %q", cfg.StatusWriteBack)
		}
		sb, ok := src.(connector.OrderStatusSink)
		if !ok {
			return nil, fmt.Errorf("flow: %s: StatusWriteBack is set but the source cannot write statuses", f.name)
		}
		f.statusBack = sb
	}
	var err error
	if f.prog, err = compile[connector.Order](cfg.Mapping, mapping.EntityOrder); err != nil {
		return nil, fmt.Errorf("flow: %s: order mapping: %w", f.name, err)
	}
	if f.cprog, err = compile[connector.Customer](cfg.CustomerMapping, mapping.EntityCustomer); err != nil {
		return nil, fmt.Errorf("flow: %s: customer mapping: %w", f.name, err)
	}
	return f, nil
}

func compile[T mapping.Record](m *mapping.Mapping, e mapping.Entity) (*mapping.Program[T], error) {
	if m == nil {
		m = mapping.Default(e)
	}
	return mapping.Compile[T](m)
}

// Name returns the flow's label, e.g. "orders ccvshop->eaccounting".
func (f *OrderFlow) Name() string { return f.name }

// Run syncs the orders changed since the last run and returns the report.
// One bad order never stops the run; the error is non-nil only when the
// run itself stopped early (context, stop window, source or store failure).
func (f *OrderFlow) Run(ctx context.Context) (*Report, error) { return f.run(ctx, false) }

// Plan does everything Run does except writing: nothing is created in the
// sink or stored, and each entry says what Run would do, with field-level
// diffs.
func (f *OrderFlow) Plan(ctx context.Context) (*Report, error) { return f.run(ctx, true) }

func (f *OrderFlow) pair() string { return f.src.System() + "->" + f.sink.System() }

func (f *OrderFlow) run(ctx context.Context, dry bool) (*Report, error) {
	o := &f.cfg.Options
	r := &orderRun{f: f, dry: dry, now: o.Now(),
		em:        &emitter{flow: f.name, observer: o.Observer, log: o.Logger, reveal: o.RevealPersonalData, now: o.Now},
		linkScope: o.key("orders", f.pair(), string(f.cfg.Kind)),
	}
	if f.customers != nil && f.cfg.DefaultDebtor == "" {
		r.debtors = newDebtors(o, r.em, f.customers, f.cprog, r.now, dry)
	}
	return execute(ctx, spec[connector.Order]{
		flow: f.name, key: o.key("orders", f.pair()), opts: o, em: r.em, dry: dry, cursors: true,
		stream: func(ctx context.Context, from Position) iter.Seq2[connector.Order, error] {
			return f.src.Orders(ctx, connector.OrderQuery{UpdatedSince: from.Time, Cursor: from.Token, Statuses: f.cfg.Statuses})
		},
		meta: func(o connector.Order) meta {
			return meta{id: o.ID, record: "order " + strconv.Quote(o.Ref()), pos: Position{Time: o.UpdatedAt, Token: o.Cursor}}
		},
		process: r.process,
		prepare: r.prepare,
	})
}

// orderRun is the state of one run: caches of debtors and SKUs.
type orderRun struct {
	f         *OrderFlow
	dry       bool
	now       time.Time
	em        *emitter
	linkScope string
	debtors   *debtors // nil with a default debtor
	skus      keyed[skuState]
	// known holds what prepare found by reference: *connector.Order, nil
	// for "not in the sink"; each answer is used once.
	known sync.Map
}

func (r *orderRun) ref(o connector.Order) string {
	if r.f.cfg.Reference != nil {
		return r.f.cfg.Reference(o)
	}
	return o.Ref()
}

// skipReason says why an order is filtered out ("" when it passes).
func (r *orderRun) skipReason(src *connector.Order, record string) (string, error) {
	f := r.f
	if len(f.cfg.Statuses) > 0 && !slices.Contains(f.cfg.Statuses, src.Status) {
		return "filtered: status " + string(src.Status), nil
	}
	if f.cfg.PaidOnly && !src.Paid {
		return "filtered: not paid", nil
	}
	ok, err := f.prog.Match(src, mapping.Options{Now: r.now, Record: record})
	if err != nil || ok {
		return "", err
	}
	return "filtered by mapping", nil
}

// prepare looks up, in one request where the sink can
// (connector.OrderRefFinder), the references of the orders in a batch that
// pass the filters and are not linked yet; process then needs no lookup of
// its own. A failed batch lookup leaves each order to look itself up.
func (r *orderRun) prepare(ctx context.Context, batch []connector.Order) {
	finder, ok := r.f.sink.(connector.OrderRefFinder)
	if !ok {
		return
	}
	var refs []string
	for i := range batch {
		o := &batch[i]
		if reason, err := r.skipReason(o, ""); err != nil || reason != "" {
			continue
		}
		if _, linked, err := r.f.cfg.Store.Link(ctx, r.linkScope, o.ID); err != nil || linked {
			continue
		}
		if ref := r.ref(*o); ref != "" {
			refs = append(refs, ref)
		}
	}
	if len(refs) == 0 {
		return
	}
	found, err := finder.FindOrdersByRef(ctx, r.f.cfg.Kind, refs)
	if err != nil {
		r.em.emit(Event{Kind: EventRetried, Err: err, Message: "batch look-up by reference failed; looking orders up one by one"})
		return
	}
	for _, ref := range refs {
		if o, ok := found[ref]; ok {
			r.known.Store(ref, &o)
		} else {
			r.known.Store(ref, (*connector.Order)(nil))
		}
	}
}

// findByRef looks an order up by reference, using what prepare found.
func (r *orderRun) findByRef(ctx context.Context, m meta, ref string) (connector.Order, error) {
	if v, ok := r.known.LoadAndDelete(ref); ok {
		if o := v.(*connector.Order); o != nil {
			return *o, nil
		}
		return connector.Order{}, fmt.Errorf("%s with reference %q: %w", r.f.cfg.Kind, ref, connector.ErrNotFound)
	}
	return call(ctx, &r.f.cfg.Options, r.em, m, "find order by reference", func(ctx context.Context) (connector.Order, error) {
		return r.f.sink.FindOrderByRef(ctx, r.f.cfg.Kind, ref)
	})
}

func (r *orderRun) process(ctx context.Context, src connector.Order, m meta) Entry {
	f, o := r.f, &r.f.cfg.Options
	// 1. Filters.
	if reason, err := r.skipReason(&src, m.record); err != nil {
		return fail(r.em, m, err)
	} else if reason != "" {
		return r.filtered(m, reason)
	}
	if err := src.Validate(); err != nil {
		return fail(r.em, m, err)
	}
	ref := r.ref(src)
	if ref == "" {
		return fail(r.em, m, &connector.ValidationError{Record: m.record, Field: "Number", Reason: "the order has no reference to write into the sink"})
	}
	// 2. Already synced?
	if id, ok, err := o.Store.Link(ctx, r.linkScope, src.ID); err != nil {
		return fail(r.em, m, err)
	} else if ok {
		return skip(r.em, m, id, "already synced")
	}
	if found, err := r.findByRef(ctx, m, ref); err == nil {
		if !r.dry {
			if err := o.Store.SetLink(context.WithoutCancel(ctx), r.linkScope, src.ID, found.ID); err != nil {
				return fail(r.em, m, err)
			}
		}
		return skip(r.em, m, found.ID, "exists in sink")
	} else if !errors.Is(err, connector.ErrNotFound) {
		return fail(r.em, m, err)
	}
	// 3. Debtor.
	debtor, err := r.debtor(ctx, m, src)
	if err != nil {
		return fail(r.em, m, err)
	}
	// 4. SKUs.
	productIDs, err := r.checkSKUs(ctx, m, src)
	if err != nil {
		return fail(r.em, m, err)
	}
	// 5. Map.
	var out connector.Order
	res, err := f.prog.Apply(&src, &out, mapping.Options{Mode: mapping.Create, Now: r.now, Record: m.record})
	if err != nil {
		return fail(r.em, m, err)
	}
	misses := r.misses(m, res)
	out.ID = ""
	out.ExternalRef = ref
	out.Customer = debtor
	for i := range out.Lines {
		out.Lines[i].ProductID = productIDs[out.Lines[i].SKU]
	}
	if r.dry {
		r.em.emit(Event{Kind: EventCreated, Record: m.record, SourceID: m.id, Message: "would create " + string(f.cfg.Kind)})
		return Entry{Outcome: Created, Reason: "would create " + string(f.cfg.Kind),
			Changes: changes(res.Fields, diff(connector.Order{}, out), misses)}
	}
	// 6. Create, recovering an unknown outcome by looking the order up.
	created, recovered, err := createOrRecover(ctx, o, r.em, m, "create "+string(f.cfg.Kind),
		func(ctx context.Context) (connector.Order, error) { return f.sink.CreateOrder(ctx, f.cfg.Kind, out) },
		func(ctx context.Context) (connector.Order, error) { return f.sink.FindOrderByRef(ctx, f.cfg.Kind, ref) })
	if err != nil {
		return fail(r.em, m, err)
	}
	// 7. Link only after the sink confirmed the write.
	if err := o.Store.SetLink(context.WithoutCancel(ctx), r.linkScope, src.ID, created.ID); err != nil {
		return fail(r.em, m, fmt.Errorf("created in %s as %s, but the link could not be stored (the next run finds it by reference): %w",
			f.sink.System(), created.ID, err))
	}
	reason := "created " + string(f.cfg.Kind)
	if recovered {
		reason += " (recovered after an unknown write outcome)"
	}
	r.em.emit(Event{Kind: EventCreated, Record: m.record, SourceID: m.id, SinkID: created.ID, Message: reason})
	e := Entry{Outcome: Created, SinkID: created.ID, Reason: reason, Changes: changes(nil, "", misses)}
	if f.statusBack != nil {
		_, err := callIdempotent(ctx, o, r.em, m, "write status back", func(ctx context.Context) (struct{}, error) {
			return struct{}{}, f.statusBack.SetOrderStatus(ctx, src.ID, f.cfg.StatusWriteBack)
		})
		if err != nil {
			e.Reason += "; status write-back failed"
			e.Err = err
			r.em.emit(Event{Kind: EventFailed, Record: m.record, SourceID: m.id, Err: err, Message: "status write-back failed"})
		} else {
			r.em.emit(Event{Kind: EventStatusWritten, Record: m.record, SourceID: m.id, Message: "status " + string(f.cfg.StatusWriteBack) + " written to " + f.src.System()})
		}
	}
	return e
}

func (r *orderRun) filtered(m meta, reason string) Entry {
	r.em.emit(Event{Kind: EventFiltered, Record: m.record, SourceID: m.id, Message: reason})
	return Entry{Outcome: Skipped, Reason: reason}
}

func (r *orderRun) misses(m meta, res mapping.Result) []string {
	var out []string
	for _, ms := range res.Misses {
		s := fmt.Sprintf("%s: no %q in table %s", ms.Field, ms.Key, ms.Table)
		out = append(out, s)
		r.em.emit(Event{Kind: EventLookupMiss, Record: m.record, SourceID: m.id, Message: s})
	}
	return out
}

// debtor resolves the sink customer of an order.
func (r *orderRun) debtor(ctx context.Context, m meta, o connector.Order) (connector.Customer, error) {
	f := r.f
	if f.cfg.DefaultDebtor != "" {
		return connector.Customer{ID: f.cfg.DefaultDebtor}, nil
	}
	c := o.Customer
	if c.BillingAddress.IsZero() {
		c.BillingAddress = o.BillingAddress
	}
	if c.ShippingAddress.IsZero() {
		c.ShippingAddress = o.ShippingAddress
	}
	if c.CompanyName == "" {
		c.CompanyName = c.BillingAddress.CompanyName
	}
	if c.Currency == "" {
		c.Currency = o.Currency
	}
	if strings.TrimSpace(c.Email) == "" {
		return connector.Customer{}, &connector.ValidationError{Record: m.record, Field: "Customer.Email",
			Reason: "is required to find the debtor; set DefaultDebtor for orders without one"}
	}
	got, _, err := r.debtors.upsert(ctx, m, c)
	return got, err
}

// checkSKUs makes sure every line's SKU exists in the sink and returns
// the sink's product IDs by SKU. Results are cached for the run.
func (r *orderRun) checkSKUs(ctx context.Context, m meta, o connector.Order) (map[string]string, error) {
	f := r.f
	ids := map[string]string{}
	if f.products == nil {
		return ids, nil
	}
	for i, l := range o.Lines {
		if _, ok := ids[l.SKU]; ok {
			continue
		}
		st, err := r.skus.do(ctx, l.SKU, func(known bool, cur skuState) (skuState, error) {
			if known {
				return cur, nil
			}
			p, err := call(ctx, &f.cfg.Options, r.em, m, "find product by SKU", func(ctx context.Context) (connector.Product, error) {
				return f.products.FindProductBySKU(ctx, l.SKU)
			})
			if err == nil {
				return skuState{id: p.ID}, nil
			}
			if !errors.Is(err, connector.ErrNotFound) {
				return cur, err
			}
			r.em.emit(Event{Kind: EventSKUMissing, Record: m.record, SourceID: m.id, Message: "SKU " + strconv.Quote(l.SKU) + " is missing in " + f.products.System()})
			if !f.cfg.CreateMissingProducts {
				return skuState{missing: true}, nil
			}
			id, err := r.createProduct(ctx, m, o, l)
			return skuState{id: id}, err
		})
		if err != nil {
			return nil, err
		}
		if st.missing {
			return nil, &connector.ValidationError{Record: m.record, Field: fmt.Sprintf("Lines[%d].SKU", i), Value: l.SKU,
				Reason: "does not exist in " + f.products.System()}
		}
		id := st.id
		ids[l.SKU] = id
	}
	return ids, nil
}

// skuState is what a run knows of a SKU in the sink.
type skuState struct {
	id      string
	missing bool
}

// createProduct creates a minimal product from an order line.
func (r *orderRun) createProduct(ctx context.Context, m meta, o connector.Order, l connector.OrderLine) (string, error) {
	f := r.f
	p := connector.Product{SKU: l.SKU, Name: l.Name, Price: l.UnitPrice, PriceIncludesTax: o.PricesIncludeTax,
		TaxRate: l.TaxRate, Currency: o.Currency, Type: connector.ProductSimple, Active: true, Unit: l.Unit}
	if p.Name == "" {
		p.Name = l.SKU
	}
	if r.dry {
		r.em.emit(Event{Kind: EventProductCreated, Record: m.record, SourceID: m.id, Message: "would create product " + strconv.Quote(l.SKU)})
		return "", nil
	}
	created, _, err := createOrRecover(ctx, &f.cfg.Options, r.em, m, "create product",
		func(ctx context.Context) (connector.Product, error) { return f.products.CreateProduct(ctx, p) },
		func(ctx context.Context) (connector.Product, error) { return f.products.FindProductBySKU(ctx, l.SKU) })
	if err != nil {
		return "", fmt.Errorf("create missing product %q: %w", l.SKU, err)
	}
	r.em.emit(Event{Kind: EventProductCreated, Record: m.record, SourceID: m.id, SinkID: created.ID, Message: "created product " + strconv.Quote(l.SKU)})
	return created.ID, nil
}

// createOrRecover creates a record. When the outcome is unknown it looks the
// record up: found, the write had been applied; not found, the record fails
// and the next run looks again. Creating again at once could double it: a
// write that timed out may still land after the look-up.
func createOrRecover[R any](ctx context.Context, o *Options, em *emitter, m meta, what string,
	create, find func(context.Context) (R, error)) (R, bool, error) {
	var zero R
	r, err := call(ctx, o, em, m, what, create)
	if err == nil {
		return r, false, nil
	}
	if !errors.Is(err, connector.ErrOutcomeUnknown) {
		return zero, false, err
	}
	found, ferr := call(ctx, o, em, m, "look up after unknown outcome", find)
	switch {
	case ferr == nil:
		em.emit(Event{Kind: EventRecovered, Record: m.record, SourceID: m.id, Message: what + ": the write had been applied"})
		return found, true, nil
	case errors.Is(ferr, connector.ErrNotFound):
		return zero, false, fmt.Errorf("%s: not found right after an unknown outcome; the next run looks it up again before writing: %w", what, err)
	default:
		return zero, false, fmt.Errorf("%w (and the look-up failed: %v)", err, ferr)
	}
}

// keyed serialises work per key and caches its result for a run, so that
// two orders of one new customer do not both create it. Waiting for a key
// honours the context.
type keyed[V any] struct {
	mu sync.Mutex
	m  map[string]*keyedEntry[V]
}

type keyedEntry[V any] struct {
	sem   chan struct{} // holds one token while fn runs
	known bool
	v     V
}

// do runs fn under the key's lock with the cached value (known reports
// whether there is one) and caches what it returns on success.
func (k *keyed[V]) do(ctx context.Context, key string, fn func(known bool, cur V) (V, error)) (V, error) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyedEntry[V]{}
	}
	e := k.m[key]
	if e == nil {
		e = &keyedEntry[V]{sem: make(chan struct{}, 1)}
		k.m[key] = e
	}
	k.mu.Unlock()
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
	defer func() { <-e.sem }()
	v, err := fn(e.known, e.v)
	if err != nil {
		return v, err
	}
	e.v, e.known = v, true
	return v, nil
}
