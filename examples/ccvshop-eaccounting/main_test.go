package main

import (
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"golang.org/x/oauth2"

	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
	"github.com/tradelink/tradelink/internal/demo"
	"github.com/tradelink/tradelink/mapping"
)

// runWith runs the program with args and the environment env.
func runWith(t *testing.T, env map[string]string, args ...string) demo.Output {
	t.Helper()
	return demo.Call(t.Context(), run, env, args...)
}

// TestDemo runs the whole job on the fakes, as `-demo` promises: no
// credentials, every flow, nothing failed.
func TestDemo(t *testing.T) {
	o := runWith(t, nil, "-demo")
	if o.Err != nil {
		t.Fatalf("-demo: %v\n%s", o.Err, o.Stdout)
	}
	for _, want := range []string{"demo: fake CCV Shop → fake Visma eAccounting", "products ccvshop->eaccounting",
		"customers ccvshop->eaccounting", "orders ccvshop->eaccounting", "stock ccvshop->eaccounting", "company debtor created", "summary"} {
		if !strings.Contains(o.Stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(o.Stdout, "@example.") {
		t.Error("the activity log shows an unmasked e-mail address")
	}
}

// TestDemoPlanWithMapping plans a run with the example mapping file and a
// kind other than the default: nothing fails, the plan says what it would
// create, with personal data masked unless it is asked for.
func TestDemoPlanWithMapping(t *testing.T) {
	args := []string{"-demo", "-plan", "-q", "-flows", "orders,products", "-mapping", "mapping.example.json"}
	env := map[string]string{"TRADELINK_ORDER_KIND": "invoice"}
	masked := runWith(t, env, args...)
	if masked.Err != nil {
		t.Fatalf("-demo -plan: %v\n%s", masked.Err, masked.Stdout)
	}
	for _, want := range []string{"plan (nothing was written)", "would create invoice", `Notes:`, `Email:`} {
		if !strings.Contains(masked.Stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	revealed := runWith(t, env, append(args, "-reveal-personal-data")...)
	if revealed.Err != nil {
		t.Fatal(revealed.Err)
	}
	for _, o := range []struct {
		out  string
		want bool
	}{{masked.Stdout, false}, {revealed.Stdout, true}} {
		for _, personal := range []string{`"Webshop order TL-`, "@example.nl"} {
			if strings.Contains(o.out, personal) != o.want {
				t.Errorf("%q shown: %v, want %v", personal, !o.want, o.want)
			}
		}
	}
}

// TestMappingExample loads the example file beside the program; its
// overrides compile on top of the pair's defaults.
func TestMappingExample(t *testing.T) {
	m, err := demo.LoadMappings("mapping.example.json")
	if err != nil {
		t.Fatal(err)
	}
	if m.Order == nil || m.Customer == nil || m.Product == nil {
		t.Fatalf("an entity is missing: %+v", m)
	}
	order := mapping.Default(mapping.EntityOrder).With(demo.ShopToBooks.Order).With(m.Order)
	if _, err := mapping.Compile[connector.Order](order); err != nil {
		t.Error(err)
	}
	if _, err := mapping.Compile[connector.Customer](mapping.Default(mapping.EntityCustomer).With(m.Customer)); err != nil {
		t.Error(err)
	}
	if _, err := mapping.Compile[connector.Product](mapping.Default(mapping.EntityProduct).With(m.Product)); err != nil {
		t.Error(err)
	}
}

// TestUsageErrors checks the errors of the command line and the
// environment: each names what is wrong and where to set it.
func TestUsageErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("{\n  \"order\": {\"rules\": [{\"field\": \"Notes\", \"expr\": \"1\", \"on\": \"never\"}]}\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	creds := map[string]string{"CCVSHOP_URL": "http://127.0.0.1:1", "CCVSHOP_PUBLIC_KEY": "pub", "CCVSHOP_SECRET": "x",
		"EACCOUNTING_CLIENT_ID": "id", "EACCOUNTING_CLIENT_SECRET": "y"}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"no credentials", nil, nil, []string{
			"missing CCV Shop settings: set -shop-url (env CCVSHOP_URL); -shop-public-key (env CCVSHOP_PUBLIC_KEY); -shop-secret (env CCVSHOP_SECRET)",
			"missing eAccounting settings: set -client-id (env EACCOUNTING_CLIENT_ID); -client-secret (env EACCOUNTING_CLIENT_SECRET)"}},
		{"shop secret missing", map[string]string{"CCVSHOP_URL": "u", "CCVSHOP_PUBLIC_KEY": "p", "EACCOUNTING_CLIENT_ID": "i", "EACCOUNTING_CLIENT_SECRET": "s"},
			nil, []string{"missing CCV Shop settings: set -shop-secret (env CCVSHOP_SECRET)"}},
		{"unknown flow", creds, []string{"-flows", "products,invoices"}, []string{`-flows (env TRADELINK_FLOWS): unknown flow "invoices"`}},
		{"unknown flow in the environment", map[string]string{"TRADELINK_FLOWS": "articles"}, []string{"-demo"}, []string{`unknown flow "articles"`}},
		{"unknown kind", nil, []string{"-demo", "-kind", "receipt"}, []string{`unknown order kind "receipt" (want order, invoice, quote or draft)`}},
		{"bad mapping file", nil, []string{"-demo", "-mapping", bad}, []string{"mappings " + bad + ": mapping: line 2, column 61: order.rules[0].on:"}},
		{"unknown flag", nil, []string{"-shop"}, []string{"flag provided but not defined: -shop"}},
		{"authorize without redirect", map[string]string{"EACCOUNTING_CLIENT_ID": "id"}, []string{"-authorize"},
			[]string{"missing eAccounting settings: set -client-secret (env EACCOUNTING_CLIENT_SECRET); -redirect-url (env EACCOUNTING_REDIRECT_URL)"}},
		{"code without authorize", nil, []string{"-code", "abc"}, []string{"-code goes with -authorize"}},
		{"authorize on the fakes", nil, []string{"-demo", "-authorize"}, []string{"-demo needs no authorization"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := runWith(t, tt.env, tt.args...)
			if !errors.Is(o.Err, demo.ErrUsage) {
				t.Fatalf("run = %v, want a usage error", o.Err)
			}
			for _, w := range tt.want {
				if !strings.Contains(o.Err.Error(), w) {
					t.Errorf("error %q lacks %q", o.Err, w)
				}
			}
		})
	}
}

// TestFlagWinsOverEnvironment: an unknown flow in the environment does not
// matter when the flag names a good one.
func TestFlagWinsOverEnvironment(t *testing.T) {
	o := runWith(t, map[string]string{"TRADELINK_FLOWS": "articles"}, "-demo", "-q", "-flows", "customers")
	if o.Err != nil {
		t.Fatal(o.Err)
	}
	if !strings.Contains(o.Stdout, "customers ccvshop->eaccounting") || strings.Contains(o.Stdout, "products ccvshop->eaccounting") {
		t.Errorf("-flows customers ran other flows:\n%s", o.Stdout)
	}
}

// TestHelp prints the flags with their variables and without the secrets
// the environment holds.
func TestHelp(t *testing.T) {
	env := map[string]string{"CCVSHOP_SECRET": "shop-secret-from-env", "EACCOUNTING_CLIENT_SECRET": "client-secret-from-env"}
	o := runWith(t, env, "-h")
	if !errors.Is(o.Err, flag.ErrHelp) {
		t.Fatalf("-h = %v", o.Err)
	}
	for _, want := range []string{"Usage: ccvshop-eaccounting", "-shop-secret secret", "(env CCVSHOP_SECRET)", "-token-file file",
		"(env EACCOUNTING_TOKEN_FILE)", "-authorize", "-plan", "-demo"} {
		if !strings.Contains(o.Stderr, want) {
			t.Errorf("usage lacks %q", want)
		}
	}
	assertNoSecrets(t, o, env["CCVSHOP_SECRET"], env["EACCOUNTING_CLIENT_SECRET"])
}

// assertNoSecrets fails when a secret shows in the run's output.
func assertNoSecrets(t *testing.T, o demo.Output, secrets ...string) {
	t.Helper()
	if shown := o.Shown(secrets...); len(shown) > 0 {
		t.Errorf("secrets show in the output: %q\n%s", shown, o.Text())
	}
}

// realSystems are a fake CCV Shop and a fake eAccounting reached as real
// systems: by URL, over loopback, with the clients' own rate limits.
type realSystems struct {
	shop  *ccvshoptest.Server
	books *eaccountingtest.Server
	env   map[string]string
	token string // the token file
}

const shopSecret = "ccv-shop-secret-7c1e"

func startReal(t *testing.T) *realSystems {
	t.Helper()
	r := &realSystems{shop: ccvshoptest.New(ccvshoptest.WithCredentials("shop-public", shopSecret)), books: eaccountingtest.New()}
	t.Cleanup(r.shop.Close)
	t.Cleanup(r.books.Close)
	demo.SeedShop(r.shop, demo.Options{Products: 3, Orders: 2})
	if err := demo.SeedBooks(r.books); err != nil {
		t.Fatal(err)
	}
	r.token = filepath.Join(t.TempDir(), "token.json")
	r.env = map[string]string{
		"CCVSHOP_URL": r.shop.URL(), "CCVSHOP_PUBLIC_KEY": "shop-public", "CCVSHOP_SECRET": shopSecret,
		"EACCOUNTING_URL": r.books.APIURL(), "EACCOUNTING_IDENTITY_URL": r.books.URL(),
		"EACCOUNTING_CLIENT_ID": eaccountingtest.ClientID, "EACCOUNTING_CLIENT_SECRET": eaccountingtest.ClientSecret,
		"EACCOUNTING_REDIRECT_URL": eaccountingtest.RedirectURL, "EACCOUNTING_TOKEN_FILE": r.token,
		"TRADELINK_DB": filepath.Join(t.TempDir(), "state.db"),
	}
	return r
}

// authorize runs both steps of -authorize, following the authorization
// URL like a browser whose user consents, and returns the outputs.
func (r *realSystems) authorize(t *testing.T) (first, second demo.Output) {
	t.Helper()
	first = runWith(t, r.env, "-authorize")
	if first.Err != nil {
		t.Fatalf("-authorize: %v", first.Err)
	}
	var authURL string
	for _, l := range strings.Split(first.Stdout, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, r.books.URL()) {
			authURL = l
		}
	}
	if authURL == "" {
		t.Fatalf("-authorize printed no URL:\n%s", first.Stdout)
	}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	callback := resp.Header.Get("Location")
	if !strings.HasPrefix(callback, eaccountingtest.RedirectURL) {
		t.Fatalf("the authorization page sent the browser to %q", callback)
	}
	second = runWith(t, r.env, "-authorize", "-code", callback)
	if second.Err != nil {
		t.Fatalf("-authorize -code: %v", second.Err)
	}
	return first, second
}

func (r *realSystems) storedToken(t *testing.T) oauth2.Token {
	t.Helper()
	data, err := os.ReadFile(r.token)
	if err != nil {
		t.Fatal(err)
	}
	var tok oauth2.Token
	if err := json.Unmarshal(data, &tok); err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestAuthorizeAndSync connects eAccounting with -authorize, syncs, lets
// the server drop the access token and syncs again: the rotated refresh
// token reaches the token file, which stays private, and no credential or
// token ever shows in the output.
func TestAuthorizeAndSync(t *testing.T) {
	r := startReal(t)
	first, second := r.authorize(t)
	info, err := os.Stat(r.token)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("the token file has mode %04o, want 0600", perm)
	}
	if _, err := os.Stat(r.token + ".state"); !os.IsNotExist(err) {
		t.Errorf("the pending state was not removed: %v", err)
	}
	issued := r.storedToken(t)

	sync := runWith(t, r.env, "-flows", "products")
	if sync.Err != nil {
		t.Fatalf("sync: %v\n%s", sync.Err, sync.Stdout)
	}
	if !strings.Contains(sync.Stdout, "products ccvshop->eaccounting") {
		t.Errorf("sync output:\n%s", sync.Stdout)
	}

	r.books.ExpireAccessTokens()
	r.shop.SetStock("100001", decimalOf(t, "5"))
	again := runWith(t, r.env, "-flows", "stock")
	if again.Err != nil {
		t.Fatalf("sync after the token expired: %v\n%s", again.Err, again.Stdout)
	}
	if n := r.books.TokenGrants("refresh_token"); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	rotated := r.storedToken(t)
	if rotated.RefreshToken == issued.RefreshToken || rotated.AccessToken == issued.AccessToken {
		t.Error("the refreshed token was not saved to the token file")
	}
	for _, o := range []demo.Output{first, second, sync, again} {
		assertNoSecrets(t, o, shopSecret, eaccountingtest.ClientSecret, issued.AccessToken, issued.RefreshToken,
			rotated.AccessToken, rotated.RefreshToken)
	}
}

// TestAuthorizeSandbox: -sandbox points the authorization at Visma's
// sandbox identity server; the URL asks for the company picker and the
// scopes of a sales integration.
func TestAuthorizeSandbox(t *testing.T) {
	env := map[string]string{"EACCOUNTING_CLIENT_ID": "my-app", "EACCOUNTING_CLIENT_SECRET": "my-app-secret",
		"EACCOUNTING_REDIRECT_URL": "https://example.nl/callback", "EACCOUNTING_TOKEN_FILE": filepath.Join(t.TempDir(), "token.json")}
	o := runWith(t, env, "-authorize", "-sandbox")
	if o.Err != nil {
		t.Fatal(o.Err)
	}
	for _, want := range []string{"https://identity-sandbox.test.vismaonline.com/connect/authorize?", "client_id=my-app",
		"prompt=select_account", "scope=ea%3Aapi+ea%3Asales+offline_access", "state="} {
		if !strings.Contains(o.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, o.Stdout)
		}
	}
	assertNoSecrets(t, o, "my-app-secret")
}

// TestAuthorizeRejectsForeignState refuses a callback whose state this
// program did not send.
func TestAuthorizeRejectsForeignState(t *testing.T) {
	r := startReal(t)
	if o := runWith(t, r.env, "-authorize"); o.Err != nil {
		t.Fatal(o.Err)
	}
	o := runWith(t, r.env, "-authorize", "-code", eaccountingtest.RedirectURL+"?code=abc&state=forged")
	if o.Err == nil || !strings.Contains(o.Err.Error(), "state") {
		t.Errorf("-authorize -code with a forged state: %v", o.Err)
	}
	o = runWith(t, r.env, "-authorize", "-code", eaccountingtest.RedirectURL+"?error=access_denied&error_description=user+cancelled")
	if o.Err == nil || !strings.Contains(o.Err.Error(), "access_denied (user cancelled)") {
		t.Errorf("-authorize -code with a refusal: %v", o.Err)
	}
	if _, err := os.Stat(r.token); !os.IsNotExist(err) {
		t.Errorf("a token file was written: %v", err)
	}
}

// TestSyncWithoutToken names the missing authorization before any call.
func TestSyncWithoutToken(t *testing.T) {
	r := startReal(t)
	o := runWith(t, r.env)
	if o.Err == nil || !strings.Contains(o.Err.Error(), "run with -authorize") {
		t.Fatalf("run without a token: %v", o.Err)
	}
	if n := r.shop.Requests() + r.books.Requests(); n != 0 {
		t.Errorf("%d requests before the missing token was noticed", n)
	}
}

// TestSecretsNeverPrinted gives the secrets by flag and by environment to
// runs that fail in different places; none shows them.
func TestSecretsNeverPrinted(t *testing.T) {
	r := startReal(t)
	r.authorize(t)
	const flagShopSecret, flagClientSecret = "flag-shop-secret-31d5", "flag-client-secret-8a2b"
	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"wrong shop secret by flag", r.env, []string{"-flows", "customers", "-shop-secret", flagShopSecret}},
		{"wrong client secret by flag", r.env, []string{"-flows", "customers", "-client-secret", flagClientSecret, "-db", filepath.Join(t.TempDir(), "new.db")}},
		{"secrets by flag, other settings missing", nil, []string{"-shop-secret", flagShopSecret, "-client-secret", flagClientSecret}},
		{"secrets in the environment, bad flag", r.env, []string{"-nope"}},
		{"secrets in the environment, help", r.env, []string{"-help"}},
		{"secrets in the environment, plan", r.env, []string{"-plan", "-flows", "customers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refresh := tt.name == "wrong client secret by flag"
			if refresh {
				// The client secret is sent on a refresh only; a new state
				// database makes the customers flow call eAccounting.
				r.books.ExpireAccessTokens()
			}
			o := runWith(t, tt.env, tt.args...)
			if o.Err == nil && tt.name != "secrets in the environment, plan" {
				t.Errorf("run succeeded:\n%s", o.Stdout)
			}
			if refresh && !strings.Contains(o.Text(), "authorize the application again") {
				t.Errorf("the wrong client secret did not reach the token endpoint:\n%s", o.Text())
			}
			tok := r.storedToken(t)
			assertNoSecrets(t, o, shopSecret, eaccountingtest.ClientSecret, flagShopSecret, flagClientSecret, tok.AccessToken, tok.RefreshToken)
		})
	}
}

func decimalOf(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
