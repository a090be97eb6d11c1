package flow

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mapping"
)

// debtors finds, creates and updates customers of one sink by e-mail for
// one run (or plan) of a flow. Results are cached per e-mail for the run,
// and the work for one e-mail is serialised, so concurrent orders of one
// new customer create it once.
type debtors struct {
	o           *Options
	em          *emitter
	sink        connector.CustomerSink
	prog        *mapping.Program[connector.Customer]
	fingerprint string
	now         time.Time
	dry         bool
	cache       keyed[connector.Customer]
}

func newDebtors(o *Options, em *emitter, sink connector.CustomerSink, prog *mapping.Program[connector.Customer], now time.Time, dry bool) *debtors {
	return &debtors{o: o, em: em, sink: sink, prog: prog, fingerprint: fingerprintOf(prog.Mapping()), now: now, dry: dry}
}

// customerHash hashes a source customer without its change stamps, so a
// record touched without a change hashes the same.
func customerHash(fingerprint string, c connector.Customer) string {
	c.UpdatedAt, c.Cursor = time.Time{}, ""
	return contentHash(fingerprint, c)
}

// upsert finds c in the sink by e-mail, creates it when missing and
// updates it only when it changed.
//
// "Changed" means the source changed since tradelink last wrote the
// customer: a content hash of the source customer (and the mapping) is kept
// per e-mail address (hashed) in the store. Comparing with what the sink
// returns would not do, because each system stores addresses and names in
// its own shape. A customer first met in the sink is updated when the
// mapping changes something in it.
func (d *debtors) upsert(ctx context.Context, m meta, c connector.Customer) (connector.Customer, Outcome, error) {
	em, o, sink, prog, dry := d.em, d.o, d.sink, d.prog, d.dry
	key := strings.ToLower(strings.TrimSpace(c.Email))
	who := em.person(c)
	mo := mapping.Options{Now: d.now, Record: m.record}
	outcome := Skipped
	scope, hkey := o.key("debtors", sink.System()), keyOf(key)
	hash := customerHash(d.fingerprint, c)
	written := func() error {
		if dry {
			return nil
		}
		return o.Store.SetHash(context.WithoutCancel(ctx), scope, hkey, hash)
	}
	got, err := d.cache.do(ctx, key, func(known bool, cur connector.Customer) (connector.Customer, error) {
		if !known {
			found, err := call(ctx, o, em, m, "find customer by e-mail", func(ctx context.Context) (connector.Customer, error) {
				return sink.FindCustomerByEmail(ctx, c.Email)
			})
			switch {
			case err == nil:
				cur = found
			case errors.Is(err, connector.ErrNotFound):
				var desired connector.Customer
				mo.Mode = mapping.Create
				if _, err := prog.Apply(&c, &desired, mo); err != nil {
					return cur, err
				}
				desired.ID = ""
				if dry {
					em.emit(Event{Kind: EventCustomerCreated, Record: m.record, SourceID: m.id, Customer: who, Message: "would create customer"})
					desired.ID = "(new)"
					outcome = Created
					return desired, nil
				}
				created, _, err := createOrRecover(ctx, o, em, m, "create customer",
					func(ctx context.Context) (connector.Customer, error) { return sink.CreateCustomer(ctx, desired) },
					func(ctx context.Context) (connector.Customer, error) { return sink.FindCustomerByEmail(ctx, c.Email) })
				if err != nil {
					return cur, fmt.Errorf("create customer: %w", err)
				}
				em.emit(Event{Kind: EventCustomerCreated, Record: m.record, SourceID: m.id, SinkID: created.ID, Customer: who,
					Message: customerKind(created) + " created"})
				outcome = Created
				return created, written()
			default:
				return cur, err
			}
		}
		if old, ok, err := o.Store.Hash(ctx, scope, hkey); err == nil && ok && old == hash {
			em.emit(Event{Kind: EventCustomerFound, Record: m.record, SourceID: m.id, SinkID: cur.ID, Customer: who, Message: "customer found, unchanged"})
			return cur, nil
		}
		desired := cloneCustomer(cur)
		mo.Mode = mapping.Update
		if _, err := prog.Apply(&c, &desired, mo); err != nil {
			return cur, err
		}
		desired.ID = cur.ID
		if equal(cur, desired) {
			em.emit(Event{Kind: EventCustomerFound, Record: m.record, SourceID: m.id, SinkID: cur.ID, Customer: who, Message: "customer found, unchanged"})
			return cur, written()
		}
		if dry {
			em.emit(Event{Kind: EventCustomerUpdated, Record: m.record, SourceID: m.id, SinkID: cur.ID, Customer: who, Message: "would update customer"})
			outcome = Updated
			return desired, nil
		}
		updated, err := callIdempotent(ctx, o, em, m, "update customer", func(ctx context.Context) (connector.Customer, error) {
			return sink.UpdateCustomer(ctx, desired)
		})
		if err != nil {
			return cur, fmt.Errorf("update customer %s: %w", cur.ID, err)
		}
		em.emit(Event{Kind: EventCustomerUpdated, Record: m.record, SourceID: m.id, SinkID: updated.ID, Customer: who,
			Message: "customer updated: " + strings.Join(changedFields(cur, desired), ", ")})
		outcome = Updated
		return updated, written()
	})
	return got, outcome, err
}

func customerKind(c connector.Customer) string {
	if c.IsCompany() {
		return "company debtor"
	}
	return "person debtor"
}

func cloneCustomer(c connector.Customer) connector.Customer {
	if c.CustomFields != nil {
		m := make(map[string]string, len(c.CustomFields))
		for k, v := range c.CustomFields {
			m[k] = v
		}
		c.CustomFields = m
	}
	return c
}

// CustomerConfig configures a customer flow.
type CustomerConfig struct {
	Options
	// Mapping maps a source customer to the sink's; its Filters select
	// which customers sync. Nil means mapping.Default(EntityCustomer),
	// which sets the tax code and revenue account per country from its
	// tables.
	Mapping *mapping.Mapping
}

// CustomerFlow creates or updates customers by e-mail address. A customer
// whose source record did not change since it was last synced costs no
// call to the sink.
type CustomerFlow struct {
	cfg  CustomerConfig
	src  connector.CustomerSource
	sink connector.CustomerSink
	prog *mapping.Program[connector.Customer]
	name string
}

// NewCustomers returns a customer flow from src to sink.
func NewCustomers(src connector.CustomerSource, sink connector.CustomerSink, cfg CustomerConfig) (*CustomerFlow, error) {
	if src == nil || sink == nil {
		return nil, errors.New("flow: NewCustomers needs a source and a sink")
	}
	cfg.Options.defaults()
	f := &CustomerFlow{cfg: cfg, src: src, sink: sink, name: "customers " + src.System() + "->" + sink.System()}
	var err error
	if f.prog, err = compile[connector.Customer](cfg.Mapping, mapping.EntityCustomer); err != nil {
		return nil, fmt.Errorf("flow: %s: customer mapping: %w", f.name, err)
	}
	return f, nil
}

// Name returns the flow's label.
func (f *CustomerFlow) Name() string { return f.name }

// Run syncs the customers changed since the last run.
func (f *CustomerFlow) Run(ctx context.Context) (*Report, error) { return f.run(ctx, false) }

// Plan reports what Run would do without writing.
func (f *CustomerFlow) Plan(ctx context.Context) (*Report, error) { return f.run(ctx, true) }

func (f *CustomerFlow) run(ctx context.Context, dry bool) (*Report, error) {
	o := &f.cfg.Options
	pair := f.src.System() + "->" + f.sink.System()
	em := &emitter{flow: f.name, observer: o.Observer, log: o.Logger, reveal: o.RevealPersonalData, now: o.Now}
	scope := o.key("customers", pair)
	now := o.Now()
	debtors := newDebtors(o, em, f.sink, f.prog, now, dry)
	return execute(ctx, spec[connector.Customer]{
		flow: f.name, key: scope, opts: o, em: em, dry: dry, cursors: true,
		stream: func(ctx context.Context, from Position) iter.Seq2[connector.Customer, error] {
			return f.src.Customers(ctx, connector.CustomerQuery{UpdatedSince: from.Time, Cursor: from.Token})
		},
		meta: func(c connector.Customer) meta {
			return meta{id: c.ID, record: "customer " + strconv.Quote(c.ID), pos: Position{Time: c.UpdatedAt, Token: c.Cursor}}
		},
		process: func(ctx context.Context, c connector.Customer, m meta) Entry {
			if ok, err := f.prog.Match(&c, mapping.Options{Now: now, Record: m.record}); err != nil {
				return fail(em, m, err)
			} else if !ok {
				em.emit(Event{Kind: EventFiltered, Record: m.record, SourceID: m.id, Message: "filtered by mapping"})
				return Entry{Outcome: Skipped, Reason: "filtered by mapping"}
			}
			if err := c.Validate(); err != nil {
				return fail(em, m, err)
			}
			if strings.TrimSpace(c.Email) == "" {
				return fail(em, m, &connector.ValidationError{Record: m.record, Field: "Email", Reason: "is required to match customers by e-mail"})
			}
			hash := customerHash(debtors.fingerprint, c)
			if id, ok := unchanged(ctx, o, scope, c.ID, hash); ok {
				return skip(em, m, id, "unchanged")
			}
			got, outcome, err := debtors.upsert(ctx, m, c)
			if err != nil {
				return fail(em, m, err)
			}
			if !dry {
				if err := remember(ctx, o, scope, c.ID, got.ID, hash); err != nil {
					return fail(em, m, err)
				}
			}
			reason := map[Outcome]string{Created: "created", Updated: "updated", Skipped: "unchanged in sink"}[outcome]
			if dry && outcome != Skipped {
				reason = "would be " + reason
			}
			return Entry{Outcome: outcome, SinkID: got.ID, Reason: reason}
		},
	})
}
