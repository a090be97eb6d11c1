package mpluskassa

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// ConnectorConfig holds the settings of one MplusKASSA database that the
// canonical model has no place for. The zero value works for a database
// whose main branch is 1.
type ConnectorConfig struct {
	// BranchNumber is the branch orders are booked at
	// (financialBranchNumber) and whose stock is read and written when a
	// query or level names no Location. Zero means 1.
	BranchNumber int
	// EntryBranchNumber is the branch orders are entered at; zero means
	// BranchNumber. When it differs, WorkplaceNumber is required (§7).
	EntryBranchNumber int
	// WorkplaceNumber is the workplace orders are entered at; zero sends
	// none.
	WorkplaceNumber int
	// EmployeeNumber is the employee orders and stock changes are booked
	// under; zero means DefaultEmployeeNumber (999999).
	EmployeeNumber int64
	// TurnoverGroup is the turnover group (0–999) of new articles when the
	// product carries no "turnoverGroup" custom field; zero sends none and
	// the server's default applies.
	TurnoverGroup int
	// ShippingArticleNumber is the article shipping costs are booked on, as
	// an ordinary order line (the vendor's tutorial uses 999). Zero means
	// none: an order with shipping costs is then rejected.
	ShippingArticleNumber int64
	// DiscountArticleNumber is the article order-level discounts are booked
	// on, as a line with a negative price. Zero means none: an order with
	// such discounts is then rejected.
	DiscountArticleNumber int64
	// Currency is the currency of the database's amounts; empty means EUR.
	Currency string
	// PageSize is the syncMarkerLimit of streams whose query sets none;
	// zero means DefaultSyncMarkerLimit.
	PageSize int
	// Now is the clock for orders without a creation time; nil means
	// time.Now.
	Now func() time.Time
}

// Connector adapts a [Client] to tradelink's canonical model. It implements
// connector.ProductSource, ProductSink, StockSource, StockSink, OrderSource,
// OrderSink, OrderStatusSink, CustomerSource and CustomerSink.
type Connector struct {
	c   *Client
	cfg ConnectorConfig

	vatMu sync.Mutex
	vat   []VatGroup // loaded on first use
}

var (
	_ connector.ProductSource   = (*Connector)(nil)
	_ connector.ProductSink     = (*Connector)(nil)
	_ connector.StockSource     = (*Connector)(nil)
	_ connector.StockSink       = (*Connector)(nil)
	_ connector.OrderSource     = (*Connector)(nil)
	_ connector.OrderSink       = (*Connector)(nil)
	_ connector.OrderStatusSink = (*Connector)(nil)
	_ connector.CustomerSource  = (*Connector)(nil)
	_ connector.CustomerSink    = (*Connector)(nil)
)

// NewConnector returns the adapter for c. It fills the defaults of cfg and
// rejects settings MplusKASSA would refuse: negative numbers, a turnover
// group outside 0–999, and an entry branch other than the booking branch
// without a workplace.
func NewConnector(c *Client, cfg ConnectorConfig) (*Connector, error) {
	if c == nil {
		return nil, errors.New("mpluskassa: NewConnector needs a *Client")
	}
	if cfg.BranchNumber == 0 {
		cfg.BranchNumber = 1
	}
	if cfg.EntryBranchNumber == 0 {
		cfg.EntryBranchNumber = cfg.BranchNumber
	}
	if cfg.EmployeeNumber == 0 {
		cfg.EmployeeNumber = DefaultEmployeeNumber
	}
	if cfg.Currency == "" {
		cfg.Currency = "EUR"
	}
	if cfg.PageSize == 0 {
		cfg.PageSize = DefaultSyncMarkerLimit
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	r := rules{record: "ConnectorConfig"}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"BranchNumber", int64(cfg.BranchNumber)}, {"EntryBranchNumber", int64(cfg.EntryBranchNumber)},
		{"EmployeeNumber", cfg.EmployeeNumber}, {"PageSize", int64(cfg.PageSize)},
	} {
		r.positive(f.name, f.v)
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"WorkplaceNumber", int64(cfg.WorkplaceNumber)}, {"ShippingArticleNumber", cfg.ShippingArticleNumber},
		{"DiscountArticleNumber", cfg.DiscountArticleNumber},
	} {
		if f.v < 0 {
			r.add(f.name, strconv.FormatInt(f.v, 10), "must not be negative")
		}
	}
	if cfg.TurnoverGroup != 0 {
		r.turnoverGroup("TurnoverGroup", &cfg.TurnoverGroup)
	}
	if cfg.EntryBranchNumber != cfg.BranchNumber && cfg.WorkplaceNumber == 0 {
		r.add("WorkplaceNumber", "", "is required when EntryBranchNumber differs from BranchNumber")
	}
	if err := r.err(); err != nil {
		return nil, err
	}
	return &Connector{c: c, cfg: cfg}, nil
}

// System returns "mpluskassa".
func (k *Connector) System() string { return SystemName }

// Client returns the underlying client, for the operations the canonical
// model does not cover.
func (k *Connector) Client() *Client { return k.c }

// Canonical SKUs are MplusKASSA article numbers (xsd:long), written in
// canonical decimal form: "800001" is article 800001, while "SKU-1",
// "00123" (leading zero), "-5" or "0" cannot name an article. Writes with
// such a SKU fail with a *connector.ValidationError naming the field; use a
// mapping to put a numeric code into SKU (and, for example, the shop's own
// code into CustomFields["pluNumber"], MplusKASSA's free-text article code).

// parseNumber reads a canonical SKU or id as a positive int64 in canonical
// form, so the number formats back to the same string.
func parseNumber(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

// numberField parses s or returns a ValidationError for field of record.
func numberField(record, field, s, what string) (int64, error) {
	if n, ok := parseNumber(s); ok {
		return n, nil
	}
	return 0, &connector.ValidationError{Record: record, Field: field, Value: s,
		Reason: what + " must be a positive whole number without leading zeros"}
}

func skuField(record, field, sku string) (int64, error) {
	return numberField(record, field, sku, "MplusKASSA article numbers are numeric: the SKU")
}

func format(n int64) string { return strconv.FormatInt(n, 10) }

// opt returns a pointer to s, or nil for an empty s: empty canonical fields
// are not written, so a value the sink holds is never cleared by a source
// that lacks it.
func opt(s string) *string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return &s
}

// timeOf converts an optional wire timestamp; a malformed one is an error
// naming the record and field.
func timeOf(record, field string, d *DateTime) (time.Time, error) {
	if d == nil {
		return time.Time{}, nil
	}
	t, err := d.Time()
	if err != nil {
		return time.Time{}, &connector.ValidationError{Record: record, Field: field, Reason: err.Error()}
	}
	return t, nil
}

// wireErr names the record and field of a value read from the wire that does
// not convert.
func wireErr(record, field string, err error) error {
	return &connector.ValidationError{Record: record, Field: field, Reason: err.Error()}
}

// splitName splits "Jan van Dijk" into "Jan" and "van Dijk".
func splitName(s string) (first, last string) {
	s = strings.TrimSpace(s)
	first, last, _ = strings.Cut(s, " ")
	return first, strings.TrimSpace(last)
}

// cursorOf reads a query's Cursor, a sync marker or stock id: nil when
// empty, a ValidationError when it is not a non-negative integer.
func cursorOf(record, cursor, what string) (*int64, error) {
	if cursor == "" {
		return nil, nil
	}
	m, err := strconv.ParseInt(cursor, 10, 64)
	if err != nil || m < 0 {
		return nil, &connector.ValidationError{Record: record, Field: "Cursor", Value: cursor, Reason: "is not a MplusKASSA " + what}
	}
	return &m, nil
}

// failed is a stream that yields err and ends.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// convert streams the wire records of src as canonical ones, leaving out
// those keep rejects (nil keeps all). The first error, of src or of a
// conversion, is yielded and ends the stream.
func convert[W, C any](src iter.Seq2[W, error], conv func(W) (C, error), keep func(C) bool) iter.Seq2[C, error] {
	return func(yield func(C, error) bool) {
		var zero C
		for w, err := range src {
			if err != nil {
				yield(zero, err)
				return
			}
			c, err := conv(w)
			if err == nil && keep != nil && !keep(c) {
				continue
			}
			if !yield(c, err) || err != nil {
				return
			}
		}
	}
}

// vatCode returns the VAT code of branch BranchNumber whose percentage is
// rate, loading getVatGroupList once.
func (k *Connector) vatCode(ctx context.Context, record, field string, rate decimal.Decimal) (int, error) {
	pct, err := ToVATPercentage(rate)
	if err != nil {
		return 0, &connector.ValidationError{Record: record, Field: field, Value: rate.String(), Reason: err.Error()}
	}
	groups, err := k.vatGroups(ctx)
	if err != nil {
		return 0, err
	}
	found, ok := 0, false
	for _, g := range groups {
		if g.VatPercentage != pct {
			continue
		}
		if g.BranchNumber != nil && *g.BranchNumber == k.cfg.BranchNumber {
			return g.VatCode, nil
		}
		if g.BranchNumber == nil && !ok {
			found, ok = g.VatCode, true
		}
	}
	if ok {
		return found, nil
	}
	return 0, &connector.ValidationError{Record: record, Field: field, Value: rate.String(),
		Reason: fmt.Sprintf("no VAT group of branch %d has this rate", k.cfg.BranchNumber)}
}

func (k *Connector) vatGroups(ctx context.Context) ([]VatGroup, error) {
	k.vatMu.Lock()
	defer k.vatMu.Unlock()
	if k.vat != nil {
		return k.vat, nil
	}
	groups, err := k.c.Reference.GetVatGroupList(ctx)
	if err != nil {
		return nil, err
	}
	if groups == nil {
		groups = []VatGroup{}
	}
	k.vat = groups
	return groups, nil
}

// ResetCache forgets the VAT groups read from the server, so changes made in
// the back office are picked up.
func (k *Connector) ResetCache() {
	k.vatMu.Lock()
	k.vat = nil
	k.vatMu.Unlock()
}
