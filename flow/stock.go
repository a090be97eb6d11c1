package flow

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mapping"
)

// StockCalculation selects how the quantity written to the sink is
// computed from a source stock level.
type StockCalculation int

// Stock calculations.
const (
	// AvailableMinusReserved writes on hand − reserved (the default).
	AvailableMinusReserved StockCalculation = iota
	// OnHand writes the physical stock.
	OnHand
	// Expression writes the result of StockConfig.Expression.
	Expression
)

// StockConfig configures a stock flow.
type StockConfig struct {
	Options
	// Calculation selects the quantity to write; the zero value is
	// AvailableMinusReserved.
	Calculation StockCalculation
	// Expression computes the quantity when Calculation is Expression, in
	// the mapping language over `Stock` (a connector.StockLevel), e.g.
	// `Stock.OnHand - Stock.Reserved - 2`.
	Expression string
	// Managed, when set, overrides the source's managed-stock flag toward
	// the sink.
	Managed *bool
	// AllowNegative writes negative quantities as they are; by default
	// they are written as zero.
	AllowNegative bool
	// SKUs and Location narrow the source query.
	SKUs     []string
	Location string
}

var stockChanges = &Changes{Fields: []string{"Available", "Managed"}}

// StockFlow writes stock levels from a source to a sink. Only levels that
// changed since the last run are written.
type StockFlow struct {
	cfg  StockConfig
	src  connector.StockSource
	sink connector.StockSink
	prog *mapping.Program[connector.StockLevel]
	name string
}

// NewStock returns a stock flow from src to sink.
func NewStock(src connector.StockSource, sink connector.StockSink, cfg StockConfig) (*StockFlow, error) {
	if src == nil || sink == nil {
		return nil, errors.New("flow: NewStock needs a source and a sink")
	}
	cfg.Options.defaults()
	f := &StockFlow{cfg: cfg, src: src, sink: sink, name: "stock " + src.System() + "->" + sink.System()}
	m := mapping.Default(mapping.EntityStock)
	switch cfg.Calculation {
	case AvailableMinusReserved:
		m = m.With(&mapping.Mapping{Rules: []mapping.Rule{{Field: "Available", Expr: "Stock.OnHand - Stock.Reserved"}}})
	case OnHand:
		m = m.With(&mapping.Mapping{Rules: []mapping.Rule{{Field: "Available", Expr: "Stock.OnHand"}}})
	case Expression:
		if cfg.Expression == "" {
			return nil, fmt.Errorf("flow: %s: Calculation is Expression but Expression is empty", f.name)
		}
		m = m.With(&mapping.Mapping{Rules: []mapping.Rule{{Field: "Available", Expr: cfg.Expression}}})
	default:
		return nil, fmt.Errorf("flow: %s: unknown stock calculation %d", f.name, cfg.Calculation)
	}
	var err error
	if f.prog, err = mapping.Compile[connector.StockLevel](m); err != nil {
		return nil, fmt.Errorf("flow: %s: stock calculation: %w", f.name, err)
	}
	return f, nil
}

// Name returns the flow's label.
func (f *StockFlow) Name() string { return f.name }

// Run writes the stock levels that changed since the last run.
func (f *StockFlow) Run(ctx context.Context) (*Report, error) { return f.run(ctx, false) }

// Plan reports which levels Run would write, without writing.
func (f *StockFlow) Plan(ctx context.Context) (*Report, error) { return f.run(ctx, true) }

func (f *StockFlow) run(ctx context.Context, dry bool) (*Report, error) {
	o := &f.cfg.Options
	scope := o.key("stock", f.src.System()+"->"+f.sink.System())
	em := &emitter{flow: f.name, observer: o.Observer, log: o.Logger, reveal: o.RevealPersonalData, now: o.Now}
	now := o.Now()
	return execute(ctx, spec[connector.StockLevel]{
		flow: f.name, key: scope, opts: o, em: em, dry: dry, cursors: false,
		stream: func(ctx context.Context, _ Position) iter.Seq2[connector.StockLevel, error] {
			return f.src.StockLevels(ctx, connector.StockQuery{SKUs: f.cfg.SKUs, Location: f.cfg.Location})
		},
		meta: func(l connector.StockLevel) meta {
			return meta{id: l.SKU, record: "stock " + strconv.Quote(l.SKU)}
		},
		process: func(ctx context.Context, l connector.StockLevel, m meta) Entry {
			if err := l.Validate(); err != nil {
				return fail(em, m, err)
			}
			out := l
			if _, err := f.prog.Apply(&l, &out, mapping.Options{Mode: mapping.Create, Now: now, Record: m.record}); err != nil {
				return fail(em, m, err)
			}
			out.SKU, out.ProductID, out.Location = l.SKU, "", l.Location
			if out.Available.IsNegative() && !f.cfg.AllowNegative {
				out.Available = decimal.Zero
			}
			if f.cfg.Managed != nil {
				out.Managed = *f.cfg.Managed
			}
			key := l.SKU
			if l.Location != "" {
				key += "@" + l.Location
			}
			hash := contentHash("stock", struct {
				Available string
				Managed   bool
			}{out.Available.String(), out.Managed})
			if old, ok, err := o.Store.Hash(ctx, scope, key); err == nil && ok && old == hash {
				return skip(em, m, "", "unchanged")
			}
			if dry {
				em.emit(Event{Kind: EventUpdated, Record: m.record, SourceID: m.id, Message: "would set " + out.Available.String()})
				return Entry{Outcome: Updated, Reason: "would set " + out.Available.String(), Changes: stockChanges}
			}
			if _, err := callIdempotent(ctx, o, em, m, "set stock", func(ctx context.Context) (struct{}, error) {
				return struct{}{}, f.sink.SetStock(ctx, out)
			}); err != nil {
				return fail(em, m, err)
			}
			if err := o.Store.SetHash(context.WithoutCancel(ctx), scope, key, hash); err != nil {
				return fail(em, m, err)
			}
			em.emit(Event{Kind: EventUpdated, Record: m.record, SourceID: m.id, Message: "set to " + out.Available.String()})
			return Entry{Outcome: Updated, Reason: "set to " + out.Available.String(), Changes: stockChanges}
		},
	})
}
