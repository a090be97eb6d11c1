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

	"github.com/tradelink/tradelink/connector"
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

	// The fakes, filled with demo data. Their vendor rate limits are off so
	// the demo finishes in seconds; against real systems the clients keep
	// them. The meter counts every API call the clients make.
	meter := demo.NewMeter()
	fakes := demo.StartFakes(demo.Options{}, meter)
	defer fakes.Close()
	shop, err := fakes.ShopConnector()
	if err != nil {
		return err
	}
	books, err := fakes.BooksConnector() // with the shipping and discount articles
	if err != nil {
		return err
	}
	d := fakes.Data
	fmt.Fprintf(out, "demo shop: %d products (%d variants), %d registered customers, %d orders (%d paid), %d stock reservations\n",
		d.Products, d.Variants, d.Users, d.Orders, d.Paid, d.Reserved)

	// State lives in the embedded SQLite store, as it would in production.
	store, closeStore, err := demo.TempStore()
	if err != nil {
		return err
	}
	defer closeStore()

	job := &demo.Job{Out: log, Meter: meter}
	meter.Forward(job.Printer()) // client retries and rate-limit waits in the log
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
	writesBefore := fakes.Writes()
	second := job.Run(ctx)
	writes := fakes.Writes() - writesBefore
	demo.PrintSummary(out, "second run", second)
	fmt.Fprintf(out, "\nwrites in the second run: %d\n", writes)

	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case demo.Failed(first) || demo.Failed(second):
		return fmt.Errorf("some records failed; see above")
	case writes != 0:
		return fmt.Errorf("the second run wrote %d times; it must write nothing", writes)
	}
	for _, r := range second {
		if r.Created+r.Updated != 0 {
			return fmt.Errorf("%s: the second run changed %d records", r.Flow, r.Created+r.Updated)
		}
	}
	fmt.Fprintln(out, "ok: every record synced once; the second run skipped everything")
	return nil
}
