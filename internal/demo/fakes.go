package demo

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/internal/httpx"
	"github.com/tradelink/tradelink/mpluskassa"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

// Fakes are in-process fake systems with demo data, for the -demo mode of
// the pair programs: a fake CCV Shop and the fake sinks started on demand.
// Their rate limits are off and the clients they hand out have no limiter,
// so a demo takes seconds; against real systems the clients keep the
// vendors' limits.
type Fakes struct {
	Shop  *ccvshoptest.Server
	Books *eaccountingtest.Server
	POS   *mpluskassatest.Server
	// Data is what SeedShop put into the shop.
	Data  Shop
	meter *Meter
}

// StartFakes starts a fake CCV Shop filled by SeedShop(o). meter, when not
// nil, counts the calls of every client the Fakes hand out.
func StartFakes(o Options, meter *Meter) *Fakes {
	f := &Fakes{Shop: ccvshoptest.New(), meter: meter}
	f.Shop.DisableLimits()
	f.Data = SeedShop(f.Shop, o)
	return f
}

// opts are the client options of a fake: no limiter, and the meter.
func (f *Fakes) opts(system string) []httpx.Option {
	opts := []httpx.Option{httpx.WithLimiter(nil)}
	if f.meter != nil {
		opts = append(opts, httpx.WithObserver(f.meter.Observer(system)))
	}
	return opts
}

// ShopConnector returns a connector of the fake shop.
func (f *Fakes) ShopConnector() (*ccvshop.Connector, error) {
	c, err := f.Shop.Client(f.opts(ccvshop.SystemName)...)
	if err != nil {
		return nil, err
	}
	return ccvshop.NewConnector(c, ccvshop.ConnectorConfig{})
}

// BooksConnector starts a fake eAccounting with the service articles of
// SeedBooks and returns a connector of it with those as shipping and
// discount articles.
func (f *Fakes) BooksConnector() (*eaccounting.Connector, error) {
	f.Books = eaccountingtest.New(eaccountingtest.WithRateLimit(1<<30, time.Minute))
	if err := SeedBooks(f.Books); err != nil {
		return nil, err
	}
	c, err := f.Books.NewClient(f.opts(eaccounting.SystemName)...)
	if err != nil {
		return nil, err
	}
	return eaccounting.NewConnector(c, eaccounting.ConnectorConfig{ShippingSKU: ShippingSKU, DiscountSKU: DiscountSKU})
}

// POSConnector starts a fake MplusKASSA with the service articles of
// SeedPOS and returns a connector of it with those as shipping and
// discount articles.
func (f *Fakes) POSConnector() (*mpluskassa.Connector, error) {
	f.POS = mpluskassatest.New()
	if err := SeedPOS(f.POS); err != nil {
		return nil, err
	}
	c, err := mpluskassa.NewClient(f.POS.URL(), f.POS.Credentials(), f.opts(mpluskassa.SystemName)...)
	if err != nil {
		return nil, err
	}
	return mpluskassa.NewConnector(c, mpluskassa.ConnectorConfig{ShippingArticleNumber: article(ShippingSKU),
		DiscountArticleNumber: article(DiscountSKU)})
}

func article(sku string) int64 {
	n, _ := strconv.ParseInt(sku, 10, 64)
	return n
}

// Writes counts the requests the fakes received that may have changed
// something: POST, PUT, PATCH and DELETE on the REST fakes, and every
// MplusKASSA operation but get… and find….
func (f *Fakes) Writes() int64 {
	var n int64
	rest := func(counts map[string]int64) {
		for k, v := range counts {
			method, _, _ := strings.Cut(k, " ")
			switch method {
			case "POST", "PUT", "PATCH", "DELETE":
				n += v
			}
		}
	}
	rest(f.Shop.Calls())
	if f.Books != nil {
		rest(f.Books.RequestCounts())
	}
	if f.POS != nil {
		for op, v := range f.POS.Calls() {
			if !strings.HasPrefix(op, "get") && !strings.HasPrefix(op, "find") {
				n += v
			}
		}
	}
	return n
}

// Close stops every fake.
func (f *Fakes) Close() {
	f.Shop.Close()
	if f.Books != nil {
		f.Books.Close()
	}
	if f.POS != nil {
		f.POS.Close()
	}
}

// TempStore opens a state store in a new temporary directory, for runs on
// fakes that start empty each time; closing it removes the directory.
func TempStore() (*flow.SQLStore, func() error, error) {
	dir, err := os.MkdirTemp("", "tradelink-demo-")
	if err != nil {
		return nil, nil, err
	}
	store, err := flow.OpenSQLite(filepath.Join(dir, "state.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return store, func() error {
		err := store.Close()
		if rerr := os.RemoveAll(dir); err == nil {
			err = rerr
		}
		return err
	}, nil
}
