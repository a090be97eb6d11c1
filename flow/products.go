package flow

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mapping"
)

// ProductConfig configures a product flow.
type ProductConfig struct {
	Options
	// Mapping maps a source product to the sink's; its Filters are the
	// custom filters, and its update ownership decides which fields an
	// update writes. Nil means mapping.Default(EntityProduct).
	Mapping *mapping.Mapping
	// Categories is where the product's categories are found and created
	// when missing; nil means the sink itself when it is a
	// connector.CategorySink. Without one, categories are not written.
	Categories connector.CategorySink
	// LockTTL bounds how long a crashed run keeps the pair's direction lock;
	// zero means one hour.
	LockTTL time.Duration
}

// ProductFlow creates or updates products by SKU: simple, configurable
// (variants with attributes) and grouped products with their features,
// categories (created when missing) and images where the sink takes them.
// Updates write only update-owned fields, a content hash makes an unchanged
// product cost no call, and a lock in the store keeps one system pair from
// syncing products in both directions at once.
type ProductFlow struct {
	cfg        ProductConfig
	src        connector.ProductSource
	sink       connector.ProductSink
	categories connector.CategorySink
	prog       *mapping.Program[connector.Product]
	name       string
}

// ErrOppositeDirection is returned when a product flow starts while the
// same pair of systems syncs products the other way.
var ErrOppositeDirection = errors.New("products of this pair are syncing in the other direction")

// NewProducts returns a product flow from src to sink.
func NewProducts(src connector.ProductSource, sink connector.ProductSink, cfg ProductConfig) (*ProductFlow, error) {
	if src == nil || sink == nil {
		return nil, errors.New("flow: NewProducts needs a source and a sink")
	}
	cfg.Options.defaults()
	if cfg.LockTTL <= 0 {
		cfg.LockTTL = time.Hour
	}
	f := &ProductFlow{cfg: cfg, src: src, sink: sink, categories: cfg.Categories,
		name: "products " + src.System() + "->" + sink.System()}
	if f.categories == nil {
		f.categories, _ = sink.(connector.CategorySink)
	}
	var err error
	if f.prog, err = compile[connector.Product](cfg.Mapping, mapping.EntityProduct); err != nil {
		return nil, fmt.Errorf("flow: %s: product mapping: %w", f.name, err)
	}
	return f, nil
}

// Name returns the flow's label.
func (f *ProductFlow) Name() string { return f.name }

// Run syncs the products changed since the last run.
func (f *ProductFlow) Run(ctx context.Context) (*Report, error) { return f.run(ctx, false) }

// Plan reports what Run would do, with field-level diffs, without writing.
func (f *ProductFlow) Plan(ctx context.Context) (*Report, error) { return f.run(ctx, true) }

func (f *ProductFlow) run(ctx context.Context, dry bool) (*Report, error) {
	o := &f.cfg.Options
	a, b := f.src.System(), f.sink.System()
	pair := a + "->" + b
	if !dry {
		ends := []string{a, b}
		slices.Sort(ends)
		var nonce [6]byte
		_, _ = rand.Read(nonce[:])
		unlock, err := o.Store.Lock(ctx, o.key("products-lock", ends[0], ends[1]), pair+"#"+hex.EncodeToString(nonce[:]), f.cfg.LockTTL)
		if err != nil {
			if errors.Is(err, ErrLocked) {
				return nil, fmt.Errorf("flow: %s: %w (%v)", f.name, ErrOppositeDirection, err)
			}
			return nil, err
		}
		defer unlock()
	}
	r := &productRun{f: f, dry: dry, now: o.Now(), scope: o.key("products", pair),
		em: &emitter{flow: f.name, observer: o.Observer, log: o.Logger, reveal: o.RevealPersonalData, now: o.Now}}
	r.fingerprint = fingerprintOf(f.prog.Mapping())
	return execute(ctx, spec[connector.Product]{
		flow: f.name, key: r.scope, opts: o, em: r.em, dry: dry, cursors: true,
		stream: func(ctx context.Context, from Position) iter.Seq2[connector.Product, error] {
			return f.src.Products(ctx, connector.ProductQuery{UpdatedSince: from.Time, Cursor: from.Token})
		},
		meta: func(p connector.Product) meta {
			return meta{id: p.ID, record: "product " + strconv.Quote(p.SKU), pos: Position{Time: p.UpdatedAt, Token: p.Cursor}}
		},
		process: r.process,
	})
}

type productRun struct {
	f           *ProductFlow
	dry         bool
	now         time.Time
	scope       string
	fingerprint string
	em          *emitter
	cats        keyed[string]
}

func (r *productRun) process(ctx context.Context, src connector.Product, m meta) Entry {
	f, o := r.f, &r.f.cfg.Options
	mo := mapping.Options{Now: r.now, Record: m.record}
	if ok, err := f.prog.Match(&src, mo); err != nil {
		return fail(r.em, m, err)
	} else if !ok {
		r.em.emit(Event{Kind: EventFiltered, Record: m.record, SourceID: m.id, Message: "filtered by mapping"})
		return Entry{Outcome: Skipped, Reason: "filtered by mapping"}
	}
	if err := src.Validate(); err != nil {
		return fail(r.em, m, err)
	}
	// The hash ignores the change stamps: a product touched without any
	// change costs nothing.
	stamped := src
	stamped.UpdatedAt, stamped.Cursor = time.Time{}, ""
	hash := contentHash(r.fingerprint, stamped)
	if id, ok := unchanged(ctx, o, r.scope, src.SKU, hash); ok {
		return skip(r.em, m, id, "unchanged")
	}
	existing, err := call(ctx, o, r.em, m, "find product by SKU", func(ctx context.Context) (connector.Product, error) {
		return f.sink.FindProductBySKU(ctx, src.SKU)
	})
	switch {
	case errors.Is(err, connector.ErrNotFound):
		return r.create(ctx, m, src, hash)
	case err != nil:
		return fail(r.em, m, err)
	}
	desired := existing
	res, err := f.prog.Apply(&src, &desired, mapping.Options{Mode: mapping.Update, Now: r.now, Record: m.record})
	if err != nil {
		return fail(r.em, m, err)
	}
	desired.ID = existing.ID
	matchVariants(&desired, existing)
	if err := r.resolveCategories(ctx, m, &desired); err != nil {
		return fail(r.em, m, err)
	}
	if equal(existing, desired) {
		if !r.dry {
			if err := remember(ctx, o, r.scope, src.SKU, existing.ID, hash); err != nil {
				return fail(r.em, m, err)
			}
		}
		return skip(r.em, m, existing.ID, "unchanged in sink")
	}
	fields := changedFields(existing, desired)
	if r.dry {
		r.em.emit(Event{Kind: EventUpdated, Record: m.record, SourceID: m.id, SinkID: existing.ID, Message: "would update " + strings.Join(fields, ", ")})
		return Entry{Outcome: Updated, SinkID: existing.ID, Reason: "would update", Changes: changes(fields, diff(existing, desired), missList(res))}
	}
	updated, err := callIdempotent(ctx, o, r.em, m, "update product", func(ctx context.Context) (connector.Product, error) {
		return f.sink.UpdateProduct(ctx, desired)
	})
	if err != nil {
		return fail(r.em, m, err)
	}
	if err := remember(ctx, o, r.scope, src.SKU, updated.ID, hash); err != nil {
		return fail(r.em, m, err)
	}
	r.em.emit(Event{Kind: EventUpdated, Record: m.record, SourceID: m.id, SinkID: updated.ID, Message: "updated " + strings.Join(fields, ", ")})
	return Entry{Outcome: Updated, SinkID: updated.ID, Reason: "updated", Changes: changes(fields, "", missList(res))}
}

func (r *productRun) create(ctx context.Context, m meta, src connector.Product, hash string) Entry {
	f, o := r.f, &r.f.cfg.Options
	var desired connector.Product
	res, err := f.prog.Apply(&src, &desired, mapping.Options{Mode: mapping.Create, Now: r.now, Record: m.record})
	if err != nil {
		return fail(r.em, m, err)
	}
	// Identifiers of the source mean nothing in the sink.
	desired.ID = ""
	for i := range desired.Variants {
		desired.Variants[i].ID = ""
	}
	for i := range desired.Images {
		desired.Images[i].ID = ""
	}
	if err := r.resolveCategories(ctx, m, &desired); err != nil {
		return fail(r.em, m, err)
	}
	if r.dry {
		r.em.emit(Event{Kind: EventCreated, Record: m.record, SourceID: m.id, Message: "would create"})
		return Entry{Outcome: Created, Reason: "would create", Changes: changes(res.Fields, diff(connector.Product{}, desired), missList(res))}
	}
	created, recovered, err := createOrRecover(ctx, o, r.em, m, "create product",
		func(ctx context.Context) (connector.Product, error) { return f.sink.CreateProduct(ctx, desired) },
		func(ctx context.Context) (connector.Product, error) { return f.sink.FindProductBySKU(ctx, src.SKU) })
	if err != nil {
		return fail(r.em, m, err)
	}
	if err := remember(ctx, o, r.scope, src.SKU, created.ID, hash); err != nil {
		return fail(r.em, m, err)
	}
	reason := "created"
	if recovered {
		reason = "created (recovered after an unknown write outcome)"
	}
	r.em.emit(Event{Kind: EventCreated, Record: m.record, SourceID: m.id, SinkID: created.ID, Message: reason})
	return Entry{Outcome: Created, SinkID: created.ID, Reason: reason, Changes: changes(nil, "", missList(res))}
}

func missList(res mapping.Result) []string {
	var out []string
	for _, ms := range res.Misses {
		out = append(out, fmt.Sprintf("%s: no %q in table %s", ms.Field, ms.Key, ms.Table))
	}
	return out
}

// matchVariants gives desired variants the sink IDs of the existing
// variants with the same SKU, so an update changes variants in place.
func matchVariants(desired *connector.Product, existing connector.Product) {
	ids := make(map[string]string, len(existing.Variants))
	for _, v := range existing.Variants {
		ids[v.SKU] = v.ID
	}
	for i := range desired.Variants {
		desired.Variants[i].ID = ids[desired.Variants[i].SKU]
	}
}

// resolveCategories replaces each category by the sink's category with
// the same path (names from the root), creating what is missing. Without a
// category sink, categories are left out.
func (r *productRun) resolveCategories(ctx context.Context, m meta, p *connector.Product) error {
	if len(p.Categories) == 0 {
		return nil
	}
	cs := r.f.categories
	if cs == nil {
		p.Categories = nil
		return nil
	}
	out := make([]connector.Category, 0, len(p.Categories))
	for _, c := range p.Categories {
		path := c.Path
		if len(path) == 0 {
			path = []string{c.Name}
		}
		parent := ""
		for i, name := range path {
			key := strings.Join(path[:i+1], "\x00")
			id, err := r.cats.do(ctx, key, func(known bool, cur string) (string, error) {
				if known {
					return cur, nil
				}
				found, err := call(ctx, &r.f.cfg.Options, r.em, m, "find category", func(ctx context.Context) (connector.Category, error) {
					return cs.FindCategory(ctx, name, parent)
				})
				if err == nil {
					return found.ID, nil
				}
				if !errors.Is(err, connector.ErrNotFound) {
					return "", err
				}
				if r.dry {
					r.em.emit(Event{Kind: EventCategoryCreated, Record: m.record, SourceID: m.id, Message: "would create category " + strconv.Quote(name)})
					return "(new " + name + ")", nil
				}
				created, _, err := createOrRecover(ctx, &r.f.cfg.Options, r.em, m, "create category",
					func(ctx context.Context) (connector.Category, error) {
						return cs.CreateCategory(ctx, connector.Category{Name: name, ParentID: parent, Path: path[:i+1]})
					},
					func(ctx context.Context) (connector.Category, error) { return cs.FindCategory(ctx, name, parent) })
				if err != nil {
					return "", fmt.Errorf("create category %q: %w", name, err)
				}
				r.em.emit(Event{Kind: EventCategoryCreated, Record: m.record, SourceID: m.id, SinkID: created.ID, Message: "created category " + strconv.Quote(name)})
				return created.ID, nil
			})
			if err != nil {
				return err
			}
			if i == len(path)-1 {
				out = append(out, connector.Category{ID: id, Name: name, ParentID: parent, Path: slices.Clone(path)})
			}
			parent = id
		}
	}
	p.Categories = out
	return nil
}
