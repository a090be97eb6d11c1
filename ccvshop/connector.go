package ccvshop

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/cache"
	"github.com/tradelink/tradelink/internal/verto"
)

// ConnectorConfig holds the shop settings the API does not expose.
type ConnectorConfig struct {
	// Currency is the shop's currency for products (orders carry their
	// own); empty means EUR.
	Currency string
	// ProductPricesExcludeTax says the shop keeps product prices without
	// VAT. The product resource does not say; the zero value assumes
	// prices include VAT, the usual setting of a Dutch consumer shop.
	ProductPricesExcludeTax bool
	// PackageID is the shipping package given to products the connector
	// creates and to order rows without a product; zero means the shop's
	// first package (one call, then remembered).
	PackageID int64
	// ReservedStatuses are the order status codes whose rows count as
	// reserved stock (see StockLevels). nil means [StatusReserved] (14);
	// an empty, non-nil slice turns reservations off.
	ReservedStatuses []int
	// MailOnStatusChange makes SetOrderStatus ask the shop to e-mail the
	// customer about the new status.
	MailOnStatusChange bool
	// IndexTTL bounds how long the connector trusts its e-mail and order
	// reference indexes before rescanning in full; zero means 10 minutes.
	IndexTTL time.Duration
	// PageSize is the page size of streams whose query names none; zero
	// means DefaultPageSize.
	PageSize int
}

// Connector adapts a Client to the connector capabilities CCV Shop
// supports: OrderSource, OrderSink (KindOrder), OrderStatusSink,
// CustomerSource, CustomerSink, ProductSource, ProductSink (simple and
// configurable products), StockSource, StockSink and CategorySink. It is safe
// for concurrent use.
type Connector struct {
	c        *Client
	cfg      ConnectorConfig
	reserved []int

	refs   *lookupIndex // order reservationnumber → order id
	emails *lookupIndex // lower-case e-mail → user id

	mu        sync.Mutex
	skus      *cache.LRU[string, skuLocation] // bounded: see skuCacheSize
	packageID int64
	attrs     map[string]*attributeEntry // lower-case attribute name → attribute and values
}

var (
	_ connector.OrderSource     = (*Connector)(nil)
	_ connector.OrderSink       = (*Connector)(nil)
	_ connector.OrderStatusSink = (*Connector)(nil)
	_ connector.CustomerSource  = (*Connector)(nil)
	_ connector.CustomerSink    = (*Connector)(nil)
	_ connector.ProductSource   = (*Connector)(nil)
	_ connector.ProductSink     = (*Connector)(nil)
	_ connector.StockSource     = (*Connector)(nil)
	_ connector.StockSink       = (*Connector)(nil)
	_ connector.CategorySink    = (*Connector)(nil)
)

// skuCacheSize bounds the SKU-location cache: enough for a large shop's
// stock run without extra look-ups, about 5 MiB at most.
const skuCacheSize = 50000

// NewConnector returns the adapter for c.
func NewConnector(c *Client, cfg ConnectorConfig) (*Connector, error) {
	if c == nil {
		return nil, errors.New("ccvshop: NewConnector needs a client")
	}
	if cfg.Currency == "" {
		cfg.Currency = "EUR"
	}
	if cfg.IndexTTL <= 0 {
		cfg.IndexTTL = 10 * time.Minute
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	reserved := cfg.ReservedStatuses
	if reserved == nil {
		reserved = []int{StatusReserved}
	}
	for _, s := range reserved {
		if _, err := CanonicalStatus(s); err != nil {
			return nil, fmt.Errorf("ccvshop: ConnectorConfig.ReservedStatuses: %w", err)
		}
	}
	return &Connector{c: c, cfg: cfg, reserved: reserved,
		refs: newLookupIndex(cfg.IndexTTL), emails: newLookupIndex(cfg.IndexTTL),
		skus: cache.New[string, skuLocation](skuCacheSize, 0), attrs: map[string]*attributeEntry{}}, nil
}

// System returns "ccvshop".
func (c *Connector) System() string { return SystemName }

// Client returns the underlying API client.
func (c *Connector) Client() *Client { return c.c }

func (c *Connector) pageSize(n int) int {
	if n > 0 {
		return n
	}
	return c.cfg.PageSize
}

// parseID parses a record ID; anything but a positive integer names no
// record, so it is connector.ErrNotFound.
func parseID(what, id string) (int64, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("ccvshop: %s %q: %w (CCV Shop ids are positive integers)", what, id, connector.ErrNotFound)
	}
	return v, nil
}

func idString(id Int) string { return strconv.FormatInt(int64(id), 10) }

// parseTime parses a date of record rec's field; empty is the zero time.
func parseTime(rec, field, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	t, err := verto.ParseDate(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("ccvshop: %s: field %s: %q is not an ISO-8601 date-time", rec, field, s)
	}
	return t.UTC(), nil
}

// lookupIndex maps a key (an e-mail address, an order reference) to the id
// of the record that has it, for lookups the API has no filter for. It is
// filled by one full scan, then kept current: a miss scans only records
// newer than the newest id seen (one request when there are none), and the
// whole index is rebuilt when older than its TTL or when a hit turns out
// stale. A key held by several records maps to the oldest.
type lookupIndex struct {
	ttl   time.Duration
	mu    sync.Mutex
	byKey map[string]int64
	maxID int64
	built time.Time
}

func newLookupIndex(ttl time.Duration) *lookupIndex {
	return &lookupIndex{ttl: ttl}
}

// scanFunc visits records newest first and stops at an id ≤ newerThan.
type scanFunc func(ctx context.Context, newerThan int64, visit func(id int64, keys ...string)) error

// find returns the id for key. verify checks a hit against the record
// (false: stale, rebuild and retry once).
func (ix *lookupIndex) find(ctx context.Context, key string, scan scanFunc, verify func(id int64) (bool, error)) (int64, error) {
	for attempt := 0; attempt < 2; attempt++ {
		id, err := ix.lookup(ctx, key, scan, attempt > 0)
		if err != nil || id == 0 {
			return 0, err
		}
		ok, err := verify(id)
		if err != nil && !errors.Is(err, connector.ErrNotFound) {
			return 0, err
		}
		if ok {
			return id, nil
		}
		ix.mu.Lock()
		ix.built = time.Time{} // stale: rebuild
		ix.mu.Unlock()
	}
	return 0, nil
}

func (ix *lookupIndex) lookup(ctx context.Context, key string, scan scanFunc, rebuild bool) (int64, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if rebuild || ix.byKey == nil || time.Since(ix.built) > ix.ttl {
		fresh := map[string]int64{}
		var maxID int64
		started := time.Now()
		err := scan(ctx, 0, func(id int64, keys ...string) {
			maxID = max(maxID, id)
			for _, k := range keys {
				if old, ok := fresh[k]; k != "" && (!ok || id < old) {
					fresh[k] = id
				}
			}
		})
		if err != nil {
			return 0, err
		}
		ix.byKey, ix.maxID, ix.built = fresh, maxID, started
		return ix.byKey[key], nil
	}
	if id, ok := ix.byKey[key]; ok {
		return id, nil
	}
	maxID := ix.maxID
	err := scan(ctx, ix.maxID, func(id int64, keys ...string) {
		maxID = max(maxID, id)
		for _, k := range keys {
			if _, ok := ix.byKey[k]; k != "" && !ok {
				ix.byKey[k] = id
			}
		}
	})
	if err != nil {
		return 0, err
	}
	ix.maxID = maxID
	return ix.byKey[key], nil
}

// add records a key the connector itself just wrote.
func (ix *lookupIndex) add(id int64, keys ...string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.byKey == nil {
		return // not built yet: the first lookup scans anyway
	}
	for _, k := range keys {
		if k != "" {
			ix.byKey[k] = id
		}
	}
}

// drop forgets the keys that map to id (the record's keys changed).
func (ix *lookupIndex) drop(id int64, keys ...string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, k := range keys {
		if ix.byKey[k] == id {
			delete(ix.byKey, k)
		}
	}
}

// packageFor returns the package for new products and free rows.
func (c *Connector) packageFor(ctx context.Context) (Int, error) {
	if c.cfg.PackageID != 0 {
		return Int(c.cfg.PackageID), nil
	}
	c.mu.Lock()
	id := c.packageID
	c.mu.Unlock()
	if id != 0 {
		return Int(id), nil
	}
	page, err := c.c.Packages.List(ctx, Paging{Size: 1})
	if err != nil {
		return 0, err
	}
	if len(page.Items) == 0 {
		return 0, errors.New("ccvshop: the shop has no shipping package; set ConnectorConfig.PackageID")
	}
	c.mu.Lock()
	c.packageID = int64(page.Items[0].ID)
	c.mu.Unlock()
	return page.Items[0].ID, nil
}

// numPtr returns a pointer to d as a wire number.
func numPtr(d decimal.Decimal) *Number { return &Number{Decimal: d} }

// validation returns a ValidationErrors with one error.
func validation(record, field, reason string) error {
	return connector.ValidationErrors{{Record: record, Field: field, Reason: reason}}
}
