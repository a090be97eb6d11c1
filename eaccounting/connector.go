package eaccounting

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/cache"
)

// ConnectorConfig configures a Connector. Every field is optional.
type ConnectorConfig struct {
	// PageSize is the page size of streams when a query sets none; zero
	// means the server's default (50).
	PageSize int
	// TermsOfPaymentID is the payment term of new customers whose
	// PaymentTerms names none; empty means the company's default.
	TermsOfPaymentID string
	// UnitID is the unit of new articles whose Unit names none; empty
	// means the first unit the API lists.
	UnitID string
	// CodingID is the article account coding preferred for new articles
	// when several codings carry the product's VAT rate (see codingFor).
	CodingID string
	// ShippingSKU is the article number of the article that carries
	// shipping costs on documents. An order with shipping costs fails
	// validation without it: eAccounting rows need an article to carry an
	// amount.
	ShippingSKU string
	// DiscountSKU is the article number of the article that carries
	// order-level discounts (as a row with a negative price, converted to
	// the document's VAT basis with the first line's tax rate).
	DiscountSKU string
	// OrderStatus is the status of created orders: OrderOngoing (the
	// default) or OrderDraft.
	OrderStatus int
}

// Connector adapts eAccounting to tradelink's canonical model. It is a
// CustomerSource and CustomerSink (debtors: IsPrivatePerson tells persons
// from companies, found by e-mail), a ProductSource and ProductSink
// (articles), a StockSource (available = on hand − reserved), an OrderSink
// (orders, invoice drafts, booked invoices and quotes, found by RefField),
// an OrderSource (sales orders) and an OrderStatusSink.
//
// Revenue account and VAT are not sent per row: eAccounting books a row by
// its article's coding and the customer's VAT situation (see rules.go).
// The Connector therefore picks the coding when it writes an article
// (Product.TaxCode, TaxRate and RevenueAccount) and writes the customer's
// country, VAT number and private flag; on an order line it checks that a
// TaxCode or RevenueAccount set by a mapping is what eAccounting will book,
// and rejects the line otherwise, rather than book silently elsewhere.
//
// The Connector caches the company settings, codings, units and terms of
// payment, and the article of every SKU it has seen (article numbers are
// not expected to change while it runs; articles cannot be deleted). It is
// safe for concurrent use.
type Connector struct {
	c   *Client
	cfg ConnectorConfig

	settings cached[CompanySettings]
	codings  cached[[]ArticleAccountCoding]
	units    cached[[]Unit]
	terms    cached[[]TermsOfPayment]

	// articles remembers the article of the SKUs seen lately (bounded, so
	// a large catalogue does not grow the heap); numbers maps article id to
	// number to notice renames.
	artMu    sync.Mutex
	articles *cache.LRU[string, articleRef]
	numbers  *cache.LRU[string, string]
	// customers remembers the customers this Connector just found, created
	// or updated, so that writing an order for one does not read it again;
	// briefly, because someone may change it in eAccounting.
	customers *cache.LRU[string, Customer]
}

// Cache sizes: enough for the SKUs and customers of a busy day's orders.
const (
	articleCacheSize  = 10000
	customerCacheSize = 5000
	customerCacheTTL  = 5 * time.Minute
)

// articleRef is what orders need of an article.
type articleRef struct {
	id, number, name, codingID string
	usesMoss                   bool
}

// Compile-time checks of the capabilities.
var (
	_ connector.CustomerSource  = (*Connector)(nil)
	_ connector.CustomerSink    = (*Connector)(nil)
	_ connector.ProductSource   = (*Connector)(nil)
	_ connector.ProductSink     = (*Connector)(nil)
	_ connector.StockSource     = (*Connector)(nil)
	_ connector.OrderSource     = (*Connector)(nil)
	_ connector.OrderSink       = (*Connector)(nil)
	_ connector.OrderStatusSink = (*Connector)(nil)
)

// NewConnector returns the adapter over c.
func NewConnector(c *Client, cfg ConnectorConfig) (*Connector, error) {
	if c == nil {
		return nil, errors.New("eaccounting: NewConnector: nil client")
	}
	switch cfg.OrderStatus {
	case 0:
		cfg.OrderStatus = OrderOngoing
	case OrderDraft, OrderOngoing:
	default:
		return nil, fmt.Errorf("eaccounting: ConnectorConfig.OrderStatus %d: want OrderDraft (1) or OrderOngoing (2)", cfg.OrderStatus)
	}
	if cfg.PageSize < 0 {
		return nil, fmt.Errorf("eaccounting: ConnectorConfig.PageSize %d is negative", cfg.PageSize)
	}
	cn := &Connector{c: c, cfg: cfg,
		articles:  cache.New[string, articleRef](articleCacheSize, 0),
		numbers:   cache.New[string, string](articleCacheSize, 0),
		customers: cache.New[string, Customer](customerCacheSize, customerCacheTTL)}
	cn.settings.load = c.CompanySettings.Get
	cn.codings.load = collector(c.ArticleAccountCodings.List)
	cn.units.load = collector(c.Units.List)
	cn.terms.load = collector(c.TermsOfPayments.List)
	return cn, nil
}

// System implements connector.System.
func (cn *Connector) System() string { return SystemName }

// cached is a value fetched once, on first use; a failed fetch is tried
// again by the next caller. Concurrent callers share one fetch.
type cached[T any] struct {
	mu   sync.Mutex
	v    *T
	load func(context.Context) (*T, error)
}

func (c *cached[T]) get(ctx context.Context) (*T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.v != nil {
		return c.v, nil
	}
	v, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	c.v = v
	return v, nil
}

// collector turns a register's List into a loader of all its entries.
func collector[T any](listFn func(context.Context, ListOptions) iter.Seq2[T, error]) func(context.Context) (*[]T, error) {
	return func(ctx context.Context) (*[]T, error) {
		var out []T
		for v, err := range listFn(ctx, ListOptions{}) {
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return &out, nil
	}
}

func (cn *Connector) pageSize(q int) int {
	if q > 0 {
		return q
	}
	return cn.cfg.PageSize
}

// coding returns the coding with this id, or nil.
func (cn *Connector) coding(ctx context.Context, id string) (*ArticleAccountCoding, error) {
	all, err := cn.codings.get(ctx)
	if err != nil {
		return nil, err
	}
	for i := range *all {
		if strings.EqualFold((*all)[i].ID, id) {
			return &(*all)[i], nil
		}
	}
	return nil, nil
}

// codingFor picks the article account coding of a product (the one place
// that decides it):
//
//  1. taxCode, when set, names the coding by Id or Name (case-insensitive),
//     and a non-zero rate must be the coding's;
//  2. otherwise the active codings whose VAT rate equals rate qualify;
//     among them the one posting domestic sales to revenueAccount when that
//     is set, else ConnectorConfig.CodingID, else the first the API lists.
//
// A coding that does not match a set revenueAccount or rate is a
// validation error naming that field.
func (cn *Connector) codingFor(ctx context.Context, ck *checker, taxCode string, rate decimal.Decimal, revenueAccount string) (*ArticleAccountCoding, error) {
	all, err := cn.codings.get(ctx)
	if err != nil {
		return nil, err
	}
	if taxCode != "" {
		for i, c := range *all {
			if strings.EqualFold(c.ID, taxCode) || strings.EqualFold(c.Name, taxCode) {
				cd := &(*all)[i]
				if p := VATPercent(cd.VatRatePercent); !rate.IsZero() && !p.Equal(rate) {
					ck.add("TaxRate", rate.String(), fmt.Sprintf("coding %q named by TaxCode has %s %% VAT", cd.Name, p))
				}
				cn.checkAccount(ck, "RevenueAccount", cd, Domestic, revenueAccount)
				return cd, nil
			}
		}
		ck.add("TaxCode", taxCode, "names no article account coding in eAccounting")
		return nil, nil
	}
	var pick *ArticleAccountCoding
	for i, c := range *all {
		if !c.IsActive || !VATPercent(c.VatRatePercent).Equal(rate) {
			continue
		}
		cd := &(*all)[i]
		if revenueAccount != "" {
			if a, ok := cd.RevenueAccount(Domestic); ok && strconv.FormatInt(a, 10) == revenueAccount {
				return cd, nil
			}
			continue
		}
		if pick == nil || strings.EqualFold(c.ID, cn.cfg.CodingID) {
			pick = cd
		}
	}
	if pick == nil {
		if revenueAccount != "" {
			ck.add("RevenueAccount", revenueAccount, fmt.Sprintf("no active article account coding with %s %% VAT books domestic sales to this account", rate))
		} else {
			ck.add("TaxRate", rate.String(), "no active article account coding in eAccounting has this VAT rate")
		}
	}
	return pick, nil
}

// checkAccount reports a set revenue account that coding cd does not book
// situation s to.
func (cn *Connector) checkAccount(ck *checker, field string, cd *ArticleAccountCoding, s SalesSituation, account string) {
	if account == "" {
		return
	}
	a, ok := cd.RevenueAccount(s)
	switch {
	case !ok:
		ck.add(field, account, fmt.Sprintf("coding %q has no revenue account for %s sales; eAccounting books by the article's coding", cd.Name, s))
	case strconv.FormatInt(a, 10) != account:
		ck.add(field, account, fmt.Sprintf("eAccounting books %s sales of coding %q to account %d; use an article whose coding posts to this account", s, cd.Name, a))
	}
}

// unitFor returns the id of the unit named name (by Code, Abbreviation or
// Name, case-insensitive), ConnectorConfig.UnitID or the first unit.
func (cn *Connector) unitFor(ctx context.Context, ck *checker, name string) (string, error) {
	all, err := cn.units.get(ctx)
	if err != nil {
		return "", err
	}
	if name != "" {
		for _, u := range *all {
			if strings.EqualFold(u.Code, name) || strings.EqualFold(u.Abbreviation, name) ||
				strings.EqualFold(u.AbbreviationEnglish, name) || strings.EqualFold(u.Name, name) || strings.EqualFold(u.ID, name) {
				return u.ID, nil
			}
		}
		ck.add("Unit", name, "names no unit in eAccounting")
		return "", nil
	}
	if cn.cfg.UnitID != "" {
		return cn.cfg.UnitID, nil
	}
	if len(*all) == 0 {
		return "", errors.New("eaccounting: the company has no units")
	}
	return (*all)[0].ID, nil
}

// termsFor returns the id of the payment term named name (by Id, Name,
// NameEnglish or number of days), or "" for none.
func (cn *Connector) termsFor(ctx context.Context, ck *checker, field, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	all, err := cn.terms.get(ctx)
	if err != nil {
		return "", err
	}
	for _, t := range *all {
		if strings.EqualFold(t.ID, name) || strings.EqualFold(t.Name, name) || strings.EqualFold(t.NameEnglish, name) {
			return t.ID, nil
		}
	}
	if days, err := strconv.Atoi(name); err == nil {
		for _, t := range *all {
			if t.NumberOfDays == days && t.AvailableForSales && t.TermsOfPaymentTypeID == 0 {
				return t.ID, nil
			}
		}
	}
	ck.add(field, name, "names no terms of payment in eAccounting")
	return "", nil
}

// articleBySKU returns the article with number sku, from the cache or the
// API, or nil.
func (cn *Connector) articleBySKU(ctx context.Context, sku string) (*articleRef, error) {
	ref, ok := cn.articles.Get(sku)
	if ok {
		return &ref, nil
	}
	a, err := cn.c.Articles.FindByNumber(ctx, sku)
	if err != nil || a == nil {
		return nil, err
	}
	return cn.remember(a), nil
}

// remember caches a's reference under its number.
func (cn *Connector) remember(a *Article) *articleRef {
	ref := articleRef{id: a.ID, number: a.Number, name: a.Name, codingID: a.CodingID, usesMoss: a.UsesMoss}
	cn.artMu.Lock()
	defer cn.artMu.Unlock()
	if old, ok := cn.numbers.Get(a.ID); ok && old != a.Number { // renamed through this Connector
		cn.articles.Delete(old)
	}
	cn.articles.Put(a.Number, ref)
	cn.numbers.Put(a.ID, a.Number)
	return &ref
}

// checker collects the validation problems of one record, in the shape of
// connector.ValidationErrors. Personal data is never put in Value.
type checker struct {
	record string
	errs   connector.ValidationErrors
}

func (c *checker) add(field, value, reason string) {
	c.errs = append(c.errs, &connector.ValidationError{Record: c.record, Field: field, Value: value, Reason: reason})
}

// max reports a value longer than n characters; personal says the value
// must not be shown.
func (c *checker) max(field, v string, n int, personal bool) {
	if utf8.RuneCountInString(v) <= n {
		return
	}
	shown := v
	if personal {
		shown = ""
	}
	c.add(field, shown, fmt.Sprintf("is longer than the %d characters eAccounting allows", n))
}

func (c *checker) required(field, v, why string) {
	if strings.TrimSpace(v) == "" {
		c.add(field, "", "is required by eAccounting"+why)
	}
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

// notFound wraps connector.ErrNotFound with what was looked for; the value
// is left out when it is personal data.
func notFound(what string) error {
	return fmt.Errorf("%s: %s: %w", SystemName, what, connector.ErrNotFound)
}

// isGUID reports whether s has the 8-4-4-4-12 hexadecimal form of the API's
// ids. An id of another form names no record.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
