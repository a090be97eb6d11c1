// Command ccvshop-mpluskassa keeps a MplusKASSA point-of-sale database in
// step with a CCV Shop: products become articles (a configurable product
// becomes a product with one article per size or colour), shop customers
// become relations, paid orders become POS orders booked at a branch, and
// the POS's stock follows the shop. Run it on a schedule (cron, a systemd
// timer): each run continues where the previous one stopped and writes
// nothing twice.
//
//	go run ./examples/ccvshop-mpluskassa -demo          # on built-in fakes, no credentials
//	go run ./examples/ccvshop-mpluskassa -h             # every flag
//
// # Setting it up against the real systems
//
//  1. CCV Shop: in the shop's back office (My web shop → Settings → API
//     settings; the API app must be installed) create an API key pair with
//     read access to orders, order rows, users, products, attributes and
//     categories. Set CCVSHOP_URL (the shop's address), CCVSHOP_PUBLIC_KEY
//     and CCVSHOP_SECRET, or the flags -shop-url, -shop-public-key and
//     -shop-secret (the environment keeps the secret out of the process
//     list).
//  2. MplusKASSA: Mplus issues an API ident and secret per customer
//     database, and the database listens on its own port of the hosted API
//     (https://api.mpluskassa.nl:<port>). Set MPLUS_PORT (or MPLUS_URL for
//     another address), MPLUS_IDENT and MPLUS_SECRET.
//  3. Decide where orders are booked: -branch (default 1) is the branch
//     whose stock is written and where orders are booked; orders entered at
//     another branch (-entry-branch) need a -workplace. -employee is the
//     employee orders are booked under (default 999999, the integrations'
//     user). Shipping costs and order discounts are order lines on service
//     articles: create them in MplusKASSA and pass their numbers with
//     -shipping-article and -discount-article (the vendor's examples use
//     999; orders with shipping costs fail without one). -turnover-group
//     is the turnover group of new articles.
//  4. MplusKASSA article numbers are numbers: a shop product number such as
//     "TS-BLK-M" cannot be one. Products whose number is not a positive
//     whole number fail with an error naming the SKU; give them numeric
//     product numbers in the shop, or map another field into SKU with the
//     mapping file and keep the shop's code in CustomFields.pluNumber (the
//     POS's free-text article code). Variants vary by "Colour" and "Size"
//     only: the shop's axes "Maat"/"Size"/"Grootte" and "Kleur"/"Color"
//     are renamed to those before comparing (a mapping cannot rename them);
//     other axes fail with an error naming the attribute.
//  5. Orders carry a payment method code of the database (getPaymentMethods).
//     The default mapping books iDEAL as IDEAL and the shop's other methods
//     without a code; set your codes in the mapping file (see
//     mapping.example.json).
//  6. Look before you write: -plan runs everything but the writes and prints
//     the field-level diffs. Then run without -plan. The first run starts at
//     -since (default: everything); state lives in -db (default
//     tradelink.db, SQLite), which holds identifiers, hashes and cursors
//     only, never personal data.
//
// Which flows run (-flows products,customers,orders,stock), which orders
// (-statuses, -paid-only) and how fields are mapped (-mapping) are flags
// too; every flag can also be set through the environment variable the -h
// output names, and a flag wins over its variable. MplusKASSA takes orders
// only (-kind order). Credentials are never printed: not in the log, not
// in errors, not in -h.
//
// The program exits with status 1 when a record failed (it is tried again
// on the next run) and with status 2 on a usage error.
package main

import (
	"context"
	"io"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/demo"
	"github.com/tradelink/tradelink/mpluskassa"
)

const synopsis = `Usage: ccvshop-mpluskassa [flags]

Syncs products, customers, orders and stock from CCV Shop to MplusKASSA.
Run with -demo to try it on built-in fake systems.`

func main() { demo.Main("ccvshop-mpluskassa", run) }

// config is the command line: the shared settings and MplusKASSA's.
type config struct {
	demo.Settings
	url                                           string
	port                                          int64
	ident, secret                                 connector.Secret
	branch, entryBranch, workplace, turnoverGroup int64
	employee, shippingArticle, discountArticle    int64
}

func (c *config) register(f *demo.Flags) {
	c.Register(f, connector.KindOrder)
	f.String(&c.url, "mplus-url", "MPLUS_URL", "", "MplusKASSA API `URL` (instead of -mplus-port)")
	f.Int(&c.port, "mplus-port", "MPLUS_PORT", 0, "`port` of the database on the hosted API "+mpluskassa.HostedHost)
	f.Secret(&c.ident, "mplus-ident", "MPLUS_IDENT", "MplusKASSA API `ident`")
	f.Secret(&c.secret, "mplus-secret", "MPLUS_SECRET", "MplusKASSA API `secret`")
	f.Int(&c.branch, "branch", "MPLUS_BRANCH", 1, "branch `number` orders are booked at and whose stock is written")
	f.Int(&c.entryBranch, "entry-branch", "MPLUS_ENTRY_BRANCH", 0, "branch `number` orders are entered at (default: -branch)")
	f.Int(&c.workplace, "workplace", "MPLUS_WORKPLACE", 0, "workplace `number` orders are entered at (required with -entry-branch)")
	f.Int(&c.employee, "employee", "MPLUS_EMPLOYEE", mpluskassa.DefaultEmployeeNumber, "employee `number` orders and stock changes are booked under")
	f.Int(&c.turnoverGroup, "turnover-group", "MPLUS_TURNOVER_GROUP", 0, "turnover `group` (0-999) of new articles (default: the server's)")
	f.Int(&c.shippingArticle, "shipping-article", "MPLUS_SHIPPING_ARTICLE", 0, "article `number` that carries shipping costs")
	f.Int(&c.discountArticle, "discount-article", "MPLUS_DISCOUNT_ARTICLE", 0, "article `number` that carries order discounts")
}

// run is the program; main gives it the process's arguments, environment
// and output.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	var c config
	f := demo.NewFlags("ccvshop-mpluskassa", synopsis, env, stderr)
	c.register(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	c.Note(stderr, "ccvshop-mpluskassa", c.shippingArticle == 0, "-shipping-article (env MPLUS_SHIPPING_ARTICLE) is not set: orders with shipping costs fail until it names the article that carries them")
	c.Note(stderr, "ccvshop-mpluskassa", c.discountArticle == 0, "-discount-article (env MPLUS_DISCOUNT_ARTICLE) is not set: orders with a discount coupon fail until it names the article that carries them")
	return c.RunPair(ctx, f, demo.SinkEnd{
		Require: func() error {
			return f.Require("MplusKASSA settings", "mplus-url|mplus-port", "mplus-ident", "mplus-secret")
		},
		Open: c.open,
		Demo: func(fakes *demo.Fakes) (connector.System, error) {
			return fakes.POSConnector()
		},
	}, stdout)
}

// open returns the MplusKASSA connector. Its settings are checked before
// anything is sent.
func (c *config) open(_ context.Context, meter *demo.Meter) (connector.System, error) {
	url := c.url
	if url == "" {
		url = mpluskassa.HostedURL(int(c.port))
	}
	client, err := mpluskassa.NewClient(url, mpluskassa.Credentials{Ident: c.ident, Secret: c.secret},
		mpluskassa.WithObserver(meter.Observer(mpluskassa.SystemName)))
	if err != nil {
		return nil, err
	}
	k, err := mpluskassa.NewConnector(client, mpluskassa.ConnectorConfig{
		BranchNumber: int(c.branch), EntryBranchNumber: int(c.entryBranch), WorkplaceNumber: int(c.workplace),
		EmployeeNumber: c.employee, TurnoverGroup: int(c.turnoverGroup),
		ShippingArticleNumber: c.shippingArticle, DiscountArticleNumber: c.discountArticle,
	})
	if err != nil {
		return nil, demo.Usagef("MplusKASSA settings (-branch, -entry-branch, -workplace, -employee, -turnover-group, -shipping-article, -discount-article): %v", err)
	}
	return k, nil
}
