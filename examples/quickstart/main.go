// Command quickstart is tradelink's main job, on built-in fake servers: no
// credentials, no network.
//
// It starts a fake CCV Shop and a fake Visma eAccounting in-process, fills
// the shop with demo data (orders from companies and private persons in the
// Netherlands, Belgium, Germany, France and outside the EU, paid and
// unpaid; a catalogue with configurable products; stock with
// reservations), then runs the product, customer, order and stock flows
// from CCV Shop to eAccounting with an activity log and a summary. It then
// runs them again to show that nothing is written twice. It exits with
// status 1 when anything failed.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/internal/demo"
)

func main() {
	quiet := flag.Bool("q", false, "print the summaries only")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var log io.Writer = os.Stdout
	if *quiet {
		log = io.Discard
	}
	if err := run(ctx, os.Stdout, log); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out, log io.Writer) error {
	fmt.Fprintln(out, "tradelink quickstart: CCV Shop → Visma eAccounting, on in-process fake servers")

	// The fakes. Their vendor rate limits are switched off here so the demo
	// finishes in seconds; against real systems the clients keep them.
	shopSrv := ccvshoptest.New()
	defer shopSrv.Close()
	shopSrv.DisableLimits()
	booksSrv := eaccountingtest.New(eaccountingtest.WithRateLimit(1<<30, time.Minute))
	defer booksSrv.Close()

	data := demo.SeedShop(shopSrv, demo.Options{})
	if err := demo.SeedBooks(booksSrv); err != nil {
		return err
	}
	fmt.Fprintf(out, "demo shop: %d products (%d variants), %d registered customers, %d orders (%d paid), %d stock reservations\n",
		data.Products, data.Variants, data.Users, data.Orders, data.Paid, data.Reserved)

	meter := demo.NewMeter()
	shopClient, err := shopSrv.Client(ccvshop.WithLimiter(nil), ccvshop.WithObserver(meter.Observer("ccvshop")))
	if err != nil {
		return err
	}
	booksClient, err := booksSrv.NewClient(eaccounting.WithLimiter(nil), eaccounting.WithObserver(meter.Observer("eaccounting")))
	if err != nil {
		return err
	}
	shop, err := ccvshop.NewConnector(shopClient, ccvshop.ConnectorConfig{})
	if err != nil {
		return err
	}
	books, err := eaccounting.NewConnector(booksClient, eaccounting.ConnectorConfig{ShippingSKU: demo.ShippingSKU, DiscountSKU: demo.DiscountSKU})
	if err != nil {
		return err
	}

	// State lives in the embedded SQLite store, as it would in production.
	dir, err := os.MkdirTemp("", "tradelink-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := flow.OpenSQLite(filepath.Join(dir, "state.db"))
	if err != nil {
		return err
	}
	defer store.Close()

	job := &demo.Job{Out: log, Meter: meter}
	flows, err := demo.Pair(shop, books, demo.PairConfig{
		Store: store, Kind: connector.KindOrder, PaidOnly: true,
		Statuses: []connector.OrderStatus{connector.StatusProcessing, connector.StatusShipped, connector.StatusDelivered, connector.StatusCompleted},
		Defaults: demo.ShopToBooks, Observer: job.Printer(),
	})
	if err != nil {
		return err
	}
	job.Flows = flows

	fmt.Fprintln(log, "\n== first run: everything is new")
	first := job.Run(ctx)
	demo.PrintSummary(out, "first run", first)

	fmt.Fprintln(log, "\n== second run: nothing changed, so nothing may be written")
	job.Quiet = true
	writesBefore := writes(shopSrv.Calls()) + writes(booksSrv.RequestCounts())
	second := job.Run(ctx)
	writesAfter := writes(shopSrv.Calls()) + writes(booksSrv.RequestCounts())
	demo.PrintSummary(out, "second run", second)
	fmt.Fprintf(out, "\nwrites in the second run: %d\n", writesAfter-writesBefore)

	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case demo.Failed(first) || demo.Failed(second):
		return fmt.Errorf("some records failed; see above")
	case writesAfter != writesBefore:
		return fmt.Errorf("the second run wrote %d times; it must write nothing", writesAfter-writesBefore)
	}
	for _, r := range second {
		if r.Created+r.Updated != 0 {
			return fmt.Errorf("%s: the second run changed %d records", r.Flow, r.Created+r.Updated)
		}
	}
	fmt.Fprintln(out, "ok: every record synced once; the second run skipped everything")
	return nil
}

// writes sums the request counts ("METHOD route") of methods that write.
func writes(counts map[string]int64) int64 {
	var n int64
	for k, v := range counts {
		if len(k) > 4 && (k[:4] == "POST" || k[:3] == "PUT" || k[:5] == "PATCH" || k[:6] == "DELETE") {
			n += v
		}
	}
	return n
}
