package e2e

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/internal/demo"
)

// Example is the pattern every test here follows: a pair on the fakes, a
// run that syncs, and a second run that must write nothing — counted on the
// fakes themselves.
func Example() {
	ctx := context.Background()
	shopSrv := ccvshoptest.New()
	defer shopSrv.Close()
	shopSrv.DisableLimits()
	booksSrv := eaccountingtest.New(eaccountingtest.WithRateLimit(1<<30, time.Minute))
	defer booksSrv.Close()
	demo.SeedShop(shopSrv, demo.Options{Orders: 12, Products: 6, Seed: 1})
	if err := demo.SeedBooks(booksSrv); err != nil {
		panic(err)
	}

	shopClient, err := shopSrv.Client(ccvshop.WithLimiter(nil))
	if err != nil {
		panic(err)
	}
	booksClient, err := booksSrv.NewClient(eaccounting.WithLimiter(nil))
	if err != nil {
		panic(err)
	}
	shop, err := ccvshop.NewConnector(shopClient, ccvshop.ConnectorConfig{})
	if err != nil {
		panic(err)
	}
	books, err := eaccounting.NewConnector(booksClient, eaccounting.ConnectorConfig{ShippingSKU: demo.ShippingSKU, DiscountSKU: demo.DiscountSKU})
	if err != nil {
		panic(err)
	}
	cfg := demo.PairConfig{Store: flow.NewMemoryStore(), Kind: connector.KindOrder, PaidOnly: true, Statuses: eligibleStatuses}
	cfg.ForSink(books)
	flows, err := demo.Pair(shop, books, cfg)
	if err != nil {
		panic(err)
	}
	writes := func() (n int64) {
		for k, v := range booksSrv.RequestCounts() {
			if !strings.HasPrefix(k, "GET ") {
				n += v
			}
		}
		return n
	}

	for _, run := range []string{"first", "second"} {
		before := writes()
		for _, f := range flows {
			rep, err := f.Run(ctx)
			if err != nil {
				panic(err)
			}
			fmt.Printf("%s run, %s: %d created, %d updated, %d failed\n", run, strings.Fields(f.Name())[0],
				rep.Count(flow.Created), rep.Count(flow.Updated), rep.Count(flow.Failed))
		}
		if run == "second" {
			fmt.Printf("second run: %d writes to eAccounting\n", writes()-before)
		}
	}
	// Output:
	// first run, products: 6 created, 0 updated, 0 failed
	// first run, customers: 14 created, 0 updated, 0 failed
	// first run, orders: 9 created, 0 updated, 0 failed
	// first run, stock: 0 created, 9 updated, 0 failed
	// second run, products: 0 created, 0 updated, 0 failed
	// second run, customers: 0 created, 0 updated, 0 failed
	// second run, orders: 0 created, 0 updated, 0 failed
	// second run, stock: 0 created, 0 updated, 0 failed
	// second run: 0 writes to eAccounting
}
