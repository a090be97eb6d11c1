// Command ccvshop-eaccounting keeps a Visma eAccounting company in step
// with a CCV Shop: products become articles, shop customers become
// debtors (companies with a contact, or private persons), paid orders
// become sales orders, invoice drafts, invoices or quotes, and stock levels
// follow the shop. Run it on a schedule (cron, a systemd timer): each run
// continues where the previous one stopped and writes nothing twice.
//
//	go run ./examples/ccvshop-eaccounting -demo          # on built-in fakes, no credentials
//	go run ./examples/ccvshop-eaccounting -h             # every flag
//
// # Setting it up against the real systems
//
//  1. CCV Shop: in the shop's back office (My web shop → Settings → API
//     settings; the API app must be installed) create an API key pair with
//     read access to orders, order rows, users, products, attributes and
//     categories. Give the shop's address
//     as -shop-url, the public key as -shop-public-key and the secret as
//     -shop-secret (better: the environment variables CCVSHOP_URL,
//     CCVSHOP_PUBLIC_KEY and CCVSHOP_SECRET, which keep the secret out of
//     the process list).
//
//  2. Visma eAccounting: register an application in the Visma Developer
//     Portal with the scopes ea:api, ea:sales and offline_access and a
//     redirect URI. A web page you control is enough: the program never
//     listens on it, you copy the address Visma sends the browser to. Set
//     EACCOUNTING_CLIENT_ID, EACCOUNTING_CLIENT_SECRET and
//     EACCOUNTING_REDIRECT_URL. Use -sandbox for Visma's sandbox.
//
//  3. Authorize once, as a user of the company to sync into (the commands
//     are below): run with -authorize, open the printed address, sign in and
//     choose the company; Visma sends the browser to the redirect URI with
//     ?code=…&state=… added; run again with -authorize -code and that whole
//     address. The token lands in -token-file (default
//     eaccounting-token.json, mode 0600). Visma rotates the refresh token on
//     every refresh; the program replaces the file atomically with each new
//     token before using it. Keep the file private, back it up with care,
//     and never run two copies of the program on one token file at the same
//     time. When Visma rejects the token (a password change, a revoked
//     consent), authorize again.
//
//  4. eAccounting books shipping costs and order discounts on articles:
//     create a service article for each and pass their numbers with
//     -shipping-sku and -discount-sku.
//
//  5. Look before you write: -plan runs everything but the writes and prints
//     the field-level diffs. Then run without -plan. The first run starts
//     at -since (default: everything); state lives in -db (default
//     tradelink.db, SQLite), which holds identifiers, hashes and cursors
//     only, never personal data.
//
// The authorization of step 3:
//
//	ccvshop-eaccounting -authorize
//	ccvshop-eaccounting -authorize -code 'https://your-redirect-uri/?code=…&state=…'
//
// Which flows run (-flows products,customers,orders,stock), which orders
// (-statuses, -paid-only), what they become (-kind order, invoice, quote or
// draft) and how fields are mapped (-mapping, a JSON file: see
// mapping.example.json beside this file) are flags too; every flag can
// also be set through the environment variable the -h output names, and a
// flag wins over its variable. Credentials are never printed: not in the
// log, not in errors, not in -h.
//
// The program exits with status 1 when a record failed (it is tried again
// on the next run) and with status 2 on a usage error.
package main

import (
	"context"
	"io"

	"golang.org/x/oauth2"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/internal/demo"
)

const synopsis = `Usage: ccvshop-eaccounting [flags]

Syncs products, customers, orders and stock from CCV Shop to Visma
eAccounting. Run once with -authorize to connect eAccounting, or with -demo
to try it on built-in fake systems.`

// Visma Connect, the identity server; the endpoints hang below it.
const (
	identityURL        = "https://identity.vismaonline.com"
	sandboxIdentityURL = "https://identity-sandbox.test.vismaonline.com"
)

func main() { demo.Main("ccvshop-eaccounting", run) }

// config is the command line: the shared settings and eAccounting's.
type config struct {
	demo.Settings
	apiURL, identityURL, clientID, redirectURL, tokenFile string
	clientSecret                                          connector.Secret
	shippingSKU, discountSKU                              string
	sandbox, authorize                                    bool
	code                                                  string
}

func (c *config) register(f *demo.Flags) {
	c.Register(f, connector.KindOrder, connector.KindInvoice, connector.KindQuote, connector.KindDraft)
	f.String(&c.apiURL, "eaccounting-url", "EACCOUNTING_URL", eaccounting.ProductionURL, "eAccounting API base `URL`")
	f.String(&c.identityURL, "eaccounting-identity-url", "EACCOUNTING_IDENTITY_URL", identityURL, "Visma Connect `URL` (OAuth2)")
	f.Bool(&c.sandbox, "sandbox", "EACCOUNTING_SANDBOX", false, "use Visma's sandbox API and identity server")
	f.String(&c.clientID, "client-id", "EACCOUNTING_CLIENT_ID", "", "Visma application client `id`")
	f.Secret(&c.clientSecret, "client-secret", "EACCOUNTING_CLIENT_SECRET", "Visma application client `secret`")
	f.String(&c.redirectURL, "redirect-url", "EACCOUNTING_REDIRECT_URL", "", "the application's registered redirect `URL` (for -authorize)")
	f.String(&c.tokenFile, "token-file", "EACCOUNTING_TOKEN_FILE", "eaccounting-token.json", "the `file` that keeps the OAuth2 token (mode 0600)")
	f.Bool(&c.authorize, "authorize", "", false, "connect eAccounting: print the authorization URL, or with -code exchange the code for a token")
	f.String(&c.code, "code", "", "", "with -authorize: the `URL` Visma redirected to (or just its code)")
	f.String(&c.shippingSKU, "shipping-sku", "EACCOUNTING_SHIPPING_SKU", "", "article `number` that carries shipping costs")
	f.String(&c.discountSKU, "discount-sku", "EACCOUNTING_DISCOUNT_SKU", "", "article `number` that carries order discounts")
}

// run is the program; main gives it the process's arguments, environment
// and output.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	var c config
	f := demo.NewFlags("ccvshop-eaccounting", synopsis, env, stderr)
	c.register(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if c.sandbox {
		if !f.Given("eaccounting-url") {
			c.apiURL = eaccounting.SandboxURL
		}
		if !f.Given("eaccounting-identity-url") {
			c.identityURL = sandboxIdentityURL
		}
	}
	if c.authorize {
		if c.Demo {
			return demo.Usagef("-authorize connects the real eAccounting; -demo needs no authorization")
		}
		return c.runAuthorize(ctx, f, stdout)
	}
	if c.code != "" {
		return demo.Usagef("-code goes with -authorize")
	}
	c.Note(stderr, "ccvshop-eaccounting", c.shippingSKU == "", "-shipping-sku (env EACCOUNTING_SHIPPING_SKU) is not set: orders with shipping costs fail until it names the article that carries them")
	c.Note(stderr, "ccvshop-eaccounting", c.discountSKU == "", "-discount-sku (env EACCOUNTING_DISCOUNT_SKU) is not set: orders with a discount coupon fail until it names the article that carries them")
	return c.RunPair(ctx, f, demo.SinkEnd{
		Require: func() error { return f.Require("eAccounting settings", "client-id", "client-secret") },
		Open:    c.open,
		Demo: func(fakes *demo.Fakes) (connector.System, error) {
			return fakes.BooksConnector()
		},
	}, stdout)
}

// credentials are the application's at Visma Connect, with the token file.
func (c *config) credentials() eaccounting.Credentials {
	return eaccounting.Credentials{
		ClientID: c.clientID, ClientSecret: c.clientSecret, RedirectURL: c.redirectURL,
		Endpoint: oauth2.Endpoint{
			AuthURL: c.identityURL + "/connect/authorize", TokenURL: c.identityURL + "/connect/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
		Store: newFileTokenStore(c.tokenFile),
	}
}

// open returns the eAccounting connector. The token must be there: a
// missing one is a clear error now, not a failure of every record.
func (c *config) open(ctx context.Context, meter *demo.Meter) (connector.System, error) {
	creds := c.credentials()
	if _, err := creds.Store.Load(ctx); err != nil {
		return nil, err
	}
	client, err := eaccounting.NewClient(c.apiURL, creds, eaccounting.WithObserver(meter.Observer(eaccounting.SystemName)))
	if err != nil {
		return nil, err
	}
	return eaccounting.NewConnector(client, eaccounting.ConnectorConfig{ShippingSKU: c.shippingSKU, DiscountSKU: c.discountSKU})
}
