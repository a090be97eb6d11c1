package main

import (
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/demo"
	"github.com/tradelink/tradelink/mapping"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

// invoke runs the program with args and the environment env.
func invoke(t *testing.T, env map[string]string, args ...string) demo.Output {
	t.Helper()
	return demo.Call(t.Context(), run, env, args...)
}

// TestDemo runs every flow on the fakes: products with variants, customers
// as relations, orders and stock, and nothing fails.
func TestDemo(t *testing.T) {
	r := invoke(t, nil, "-demo")
	if r.Err != nil {
		t.Fatalf("-demo: %v\n%s", r.Err, r.Stdout)
	}
	for _, want := range []string{"demo: fake CCV Shop → fake MplusKASSA", "products ccvshop->mpluskassa", "customers ccvshop->mpluskassa",
		"orders ccvshop->mpluskassa", "stock ccvshop->mpluskassa", "person debtor created", "summary"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(r.Stdout, "@example.") {
		t.Error("the activity log shows an unmasked e-mail address")
	}
}

// TestDemoPlanWithMapping plans with the example mapping: the payment
// method codes of its table reach the orders.
func TestDemoPlanWithMapping(t *testing.T) {
	r := invoke(t, nil, "-demo", "-plan", "-q", "-flows", "products,orders", "-mapping", "mapping.example.json")
	if r.Err != nil {
		t.Fatalf("-demo -plan: %v\n%s", r.Err, r.Stdout)
	}
	for _, want := range []string{"plan (nothing was written)", "would create order", `"IDEAL",`, `"PAYPAL",`,
		`"pluNumber": "100001"`} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// TestMappingExample loads the example file beside the program; it
// compiles on top of the pair's defaults.
func TestMappingExample(t *testing.T) {
	m, err := demo.LoadMappings("mapping.example.json")
	if err != nil {
		t.Fatal(err)
	}
	if m.Order == nil || m.Customer == nil || m.Product == nil {
		t.Fatalf("an entity is missing: %+v", m)
	}
	if _, err := mapping.Compile[connector.Order](mapping.Default(mapping.EntityOrder).With(demo.ShopToPOS.Order).With(m.Order)); err != nil {
		t.Error(err)
	}
	if _, err := mapping.Compile[connector.Customer](mapping.Default(mapping.EntityCustomer).With(m.Customer)); err != nil {
		t.Error(err)
	}
	if _, err := mapping.Compile[connector.Product](mapping.Default(mapping.EntityProduct).With(demo.ShopToPOS.Product).With(m.Product)); err != nil {
		t.Error(err)
	}
}

func TestUsageErrors(t *testing.T) {
	shop := map[string]string{"CCVSHOP_URL": "http://127.0.0.1:1", "CCVSHOP_PUBLIC_KEY": "p", "CCVSHOP_SECRET": "s",
		"MPLUS_PORT": "44300", "MPLUS_IDENT": "i", "MPLUS_SECRET": "s"}
	with := func(k, v string) map[string]string {
		env := map[string]string{}
		for a, b := range shop {
			env[a] = b
		}
		env[k] = v
		return env
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"no credentials", nil, nil, []string{"missing CCV Shop settings: set -shop-url (env CCVSHOP_URL)",
			"missing MplusKASSA settings: set -mplus-url (env MPLUS_URL) or -mplus-port (env MPLUS_PORT); -mplus-ident (env MPLUS_IDENT); -mplus-secret (env MPLUS_SECRET)"}},
		{"no address", with("MPLUS_PORT", ""), nil, []string{"missing MplusKASSA settings: set -mplus-url (env MPLUS_URL) or -mplus-port (env MPLUS_PORT) (or"}},
		{"invoices", nil, []string{"-demo", "-kind", "invoice"}, []string{`unknown order kind "invoice" (want order only)`}},
		{"unknown flow", nil, []string{"-demo", "-flows", "relations"}, []string{`unknown flow "relations" (known: products, customers, orders, stock)`}},
		{"branch not a number", with("MPLUS_BRANCH", "main"), nil, []string{"environment variable MPLUS_BRANCH (for -branch): not a whole number"}},
		{"entry branch without workplace", shop, []string{"-entry-branch", "2"}, []string{"MplusKASSA settings", "WorkplaceNumber"}},
		{"bad mapping", nil, []string{"-demo", "-mapping", "main.go"}, []string{"mappings main.go: mapping: line 1, column 1: invalid character '/'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := invoke(t, tt.env, tt.args...)
			if !errors.Is(r.Err, demo.ErrUsage) {
				t.Fatalf("run = %v, want a usage error", r.Err)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Err.Error(), w) {
					t.Errorf("error %q lacks %q", r.Err, w)
				}
			}
		})
	}
}

// pos are a fake CCV Shop and a fake MplusKASSA reached as real systems:
// by URL, over loopback, with the clients' own rate limits.
type pos struct {
	shop *ccvshoptest.Server
	pos  *mpluskassatest.Server
	env  map[string]string
}

const (
	shopSecret  = "ccv-shop-secret-55aa"
	mplusIdent  = "mplus-ident-0b9c"
	mplusSecret = "mplus-secret-d41f"
)

func startPOS(t *testing.T) *pos {
	t.Helper()
	p := &pos{shop: ccvshoptest.New(ccvshoptest.WithCredentials("pub", shopSecret)), pos: mpluskassatest.New(mpluskassatest.WithCredentials(mplusIdent, mplusSecret))}
	t.Cleanup(p.shop.Close)
	t.Cleanup(p.pos.Close)
	demo.SeedShop(p.shop, demo.Options{Products: 2, Orders: 2})
	if err := demo.SeedPOS(p.pos); err != nil {
		t.Fatal(err)
	}
	p.env = map[string]string{"CCVSHOP_URL": p.shop.URL(), "CCVSHOP_PUBLIC_KEY": "pub", "CCVSHOP_SECRET": shopSecret,
		"MPLUS_URL": p.pos.URL(), "MPLUS_IDENT": mplusIdent, "MPLUS_SECRET": mplusSecret,
		"MPLUS_SHIPPING_ARTICLE": "999", "MPLUS_DISCOUNT_ARTICLE": "998", "MPLUS_BRANCH": "2",
		"TRADELINK_DB": filepath.Join(t.TempDir(), "state.db")}
	return p
}

// TestSync runs the program against the systems by URL: everything
// arrives, at the configured branch, and a second run writes nothing. The
// customers flow is left out to keep the test quick under the client's
// rate limit (10 requests a second); the orders create their customers.
func TestSync(t *testing.T) {
	p := startPOS(t)
	p.env["TRADELINK_FLOWS"] = "products,orders,stock"
	first := invoke(t, p.env, "-q")
	if first.Err != nil {
		t.Fatalf("first run: %v\n%s", first.Err, first.Stdout)
	}
	products, relations, orders := p.pos.Counts()
	if products < 2+2 || relations == 0 || orders == 0 { // with the two service articles
		t.Errorf("MplusKASSA holds %d products, %d relations, %d orders", products, relations, orders)
	}
	// Stock is written at branch 2 (-branch), not at the main branch.
	at1, _ := p.pos.Stock(1, 100001)
	at2, _ := p.pos.Stock(2, 100001)
	if !at1.IsZero() || at2.IsZero() {
		t.Errorf("stock of 100001: %s at branch 1, %s at branch 2; want it at branch 2 only", at1, at2)
	}
	fakes := demo.Fakes{Shop: p.shop, POS: p.pos}
	before := fakes.Writes()
	second := invoke(t, p.env, "-q")
	if second.Err != nil {
		t.Fatalf("second run: %v\n%s", second.Err, second.Stdout)
	}
	if w := fakes.Writes() - before; w != 0 {
		t.Errorf("the second run wrote %d times", w)
	}
	for _, r := range []demo.Output{first, second} {
		assertHidden(t, r, shopSecret, mplusIdent, mplusSecret)
	}
}

// TestSecretsNeverPrinted hands the credentials over by flag and by
// environment to runs that fail in different places.
func TestSecretsNeverPrinted(t *testing.T) {
	p := startPOS(t)
	const flagIdent, flagSecret = "flag-ident-93e0", "flag-secret-77c2"
	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"wrong ident and secret by flag", p.env, []string{"-flows", "products", "-mplus-ident", flagIdent, "-mplus-secret", flagSecret}},
		{"by flag, shop missing", nil, []string{"-mplus-ident", flagIdent, "-mplus-secret", flagSecret, "-shop-secret", flagSecret}},
		{"environment, help", p.env, []string{"-h"}},
		{"environment, bad value", p.env, []string{"-branch", mplusSecret}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := invoke(t, tt.env, tt.args...)
			if r.Err == nil {
				t.Fatalf("run succeeded:\n%s", r.Stdout)
			}
			if tt.name == "environment, help" && !errors.Is(r.Err, flag.ErrHelp) {
				t.Errorf("-h = %v", r.Err)
			}
			assertHidden(t, r, shopSecret, mplusIdent, mplusSecret, flagIdent, flagSecret)
		})
	}
}

// assertHidden fails when a secret shows in the run's output.
func assertHidden(t *testing.T, o demo.Output, secrets ...string) {
	t.Helper()
	if shown := o.Shown(secrets...); len(shown) > 0 {
		t.Errorf("secrets show in the output: %q\n%s", shown, o.Text())
	}
}
