package eaccounting_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
)

// authorize runs the browser leg of the authorization-code flow against the
// fake: it follows AuthCodeURL and returns the code and state of the
// redirect to the callback.
func authorize(t *testing.T, o *eaccounting.OAuth, state string) (code, gotState string) {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(o.AuthCodeURL(state))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %d %v", resp.StatusCode, err)
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

func TestAuthorizationCodeFlow(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	store := eaccounting.NewMemoryTokenStore(nil)
	c, err := eaccounting.NewClient(srv.APIURL(), srv.Credentials(store))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := c.CompanySettings.Get(ctx); !errors.Is(err, eaccounting.ErrNoToken) {
		t.Fatalf("before authorization: err = %v, want ErrNoToken", err)
	}
	u, _ := url.Parse(c.OAuth.AuthCodeURL("xyz"))
	q := u.Query()
	for k, want := range map[string]string{"client_id": eaccountingtest.ClientID, "redirect_uri": eaccountingtest.RedirectURL,
		"response_type": "code", "scope": "ea:api ea:sales offline_access", "state": "xyz", "prompt": "select_account"} {
		if q.Get(k) != want {
			t.Errorf("AuthCodeURL %s = %q, want %q", k, q.Get(k), want)
		}
	}
	code, state := authorize(t, c.OAuth, "xyz")
	if state != "xyz" || code == "" {
		t.Fatalf("callback code %q state %q", code, state)
	}
	tok, err := c.OAuth.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if saved := store.Saved(); len(saved) != 1 || saved[0].AccessToken != tok.AccessToken || saved[0].RefreshToken == "" {
		t.Errorf("store after exchange: %+v", saved)
	}
	if _, err := c.CompanySettings.Get(ctx); err != nil {
		t.Errorf("after authorization: %v", err)
	}
	if _, err := c.OAuth.Exchange(ctx, code); !errors.Is(err, eaccounting.ErrReauthorize) {
		t.Errorf("reusing the code: err = %v, want ErrReauthorize", err)
	}
}

// TestRefreshRotationUnderConcurrency: many requests find the token expired
// at once; one refresh runs, every caller uses its token, and the store
// has seen it before any request carried it.
func TestRefreshRotationUnderConcurrency(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	first := srv.Token()
	expired := &oauth2.Token{AccessToken: "expired", RefreshToken: first.RefreshToken, Expiry: time.Now().Add(-time.Minute)}
	store := &recordingStore{MemoryTokenStore: eaccounting.NewMemoryTokenStore(expired)}
	var sentMu sync.Mutex
	var sent []string // access tokens on API requests, in order
	spy := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			sentMu.Lock()
			sent = append(sent, tok)
			if !store.has(tok) {
				t.Errorf("a request carried token %q before the store saw it", tok)
			}
			sentMu.Unlock()
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	c, err := eaccounting.NewClient(srv.APIURL(), srv.Credentials(store),
		eaccounting.WithHTTPClient(&http.Client{Transport: spy}), eaccounting.WithLimiter(nil))
	if err != nil {
		t.Fatal(err)
	}
	const callers = 40
	var wg sync.WaitGroup
	tokens := make([]string, callers)
	for i := range callers {
		wg.Go(func() {
			tok, err := c.OAuth.Token(t.Context())
			if err != nil {
				t.Error(err)
				return
			}
			tokens[i] = tok.AccessToken
			if _, err := c.Units.Get(t.Context(), eaccountingtest.UnitPiecesID); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := srv.TokenGrants("refresh_token"); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	saved := store.Saved()
	if len(saved) != 1 || saved[0].RefreshToken == first.RefreshToken {
		t.Fatalf("store saw %d tokens (want 1 with a rotated refresh token)", len(saved))
	}
	for i, tok := range tokens {
		if tok != saved[0].AccessToken {
			t.Errorf("caller %d got %q, want the refreshed token", i, tok)
		}
	}
	// The server invalidates the access token: the 401 makes the client
	// refresh once more, with the rotated refresh token, and repeat.
	srv.ExpireAccessTokens()
	if _, err := c.Units.Get(t.Context(), eaccountingtest.UnitPiecesID); err != nil {
		t.Fatalf("after the server expired the token: %v", err)
	}
	saved = store.Saved()
	if srv.TokenGrants("refresh_token") != 2 || len(saved) != 2 || saved[1].RefreshToken == saved[0].RefreshToken {
		t.Errorf("refreshes %d, saved %d; want 2 and 2 distinct refresh tokens", srv.TokenGrants("refresh_token"), len(saved))
	}
	if last := sent[len(sent)-1]; last != saved[1].AccessToken {
		t.Errorf("the repeated request carried %q, want the newest token", last)
	}
}

// recordingStore remembers every token saved, for lookups by access token.
type recordingStore struct {
	*eaccounting.MemoryTokenStore
	failSaves int // fail this many saves first
	mu        sync.Mutex
}

func (s *recordingStore) Save(ctx context.Context, t *oauth2.Token) error {
	s.mu.Lock()
	if s.failSaves > 0 {
		s.failSaves--
		s.mu.Unlock()
		return errors.New("disk full")
	}
	s.mu.Unlock()
	return s.MemoryTokenStore.Save(ctx, t)
}

func (s *recordingStore) has(access string) bool {
	for _, t := range s.Saved() {
		if t.AccessToken == access {
			return true
		}
	}
	tok, _ := s.Load(context.Background())
	return tok != nil && tok.AccessToken == access
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestFailedSaveKeepsTheNewToken: the refresh already rotated the token at
// Visma, so a token the store failed to save must not be lost; it is saved
// before it is used.
func TestFailedSaveKeepsTheNewToken(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	expired := srv.Token()
	expired.Expiry = time.Now().Add(-time.Minute)
	store := &recordingStore{MemoryTokenStore: eaccounting.NewMemoryTokenStore(expired), failSaves: 1}
	c, err := eaccounting.NewClient(srv.APIURL(), srv.Credentials(store))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Units.Get(t.Context(), eaccountingtest.UnitPiecesID); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the save failure", err)
	}
	if len(store.Saved()) != 0 {
		t.Fatal("setup: the first save should fail")
	}
	if _, err := c.Units.Get(t.Context(), eaccountingtest.UnitPiecesID); err != nil {
		t.Fatal(err)
	}
	if srv.TokenGrants("refresh_token") != 1 || len(store.Saved()) != 1 {
		t.Errorf("refreshes %d saved %d; want the pending token saved without a second refresh",
			srv.TokenGrants("refresh_token"), len(store.Saved()))
	}
}

func TestRejectedRefreshToken(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	store := eaccounting.NewMemoryTokenStore(&oauth2.Token{AccessToken: "old", RefreshToken: "rt-revoked-0123456789", Expiry: time.Now().Add(-time.Hour)})
	var logs bytes.Buffer
	c, err := eaccounting.NewClient(srv.APIURL(), srv.Credentials(store),
		eaccounting.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Customers.Get(t.Context(), "0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b")
	if !errors.Is(err, eaccounting.ErrReauthorize) {
		t.Fatalf("err = %v, want ErrReauthorize", err)
	}
	for _, secret := range []string{"rt-revoked-0123456789", eaccountingtest.ClientSecret} {
		if strings.Contains(err.Error(), secret) || strings.Contains(logs.String(), secret) {
			t.Errorf("a secret leaked: %q / %q", err, logs.String())
		}
	}
	store = eaccounting.NewMemoryTokenStore(&oauth2.Token{AccessToken: "x", Expiry: time.Now().Add(-time.Hour)})
	c, _ = eaccounting.NewClient(srv.APIURL(), srv.Credentials(store))
	if _, err := c.OAuth.Token(t.Context()); !errors.Is(err, eaccounting.ErrReauthorize) {
		t.Errorf("no refresh token: err = %v, want ErrReauthorize", err)
	}
}

// TestTokenRequestShape checks the refresh request on the wire: POST to
// /connect/token, client credentials as HTTP Basic only, the refresh grant.
func TestTokenRequestShape(t *testing.T) {
	mt := httpmock.NewMockTransport()
	const tokenURL = "https://identity.example/connect/token"
	mt.RegisterResponder(http.MethodPost, tokenURL, func(r *http.Request) (*http.Response, error) {
		wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("app-id:app-secret"))
		if got := r.Header.Get("Authorization"); got != wantAuth {
			t.Errorf("Authorization = %q, want %q", got, wantAuth)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type = %q", ct)
		}
		b, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(b))
		want := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt-1"}}
		if form.Encode() != want.Encode() {
			t.Errorf("form = %s, want %s (no client secret in the body)", form.Encode(), want.Encode())
		}
		return httpmock.NewJsonResponse(200, map[string]any{"access_token": "at-2", "refresh_token": "rt-2", "token_type": "Bearer", "expires_in": 3600})
	})
	store := eaccounting.NewMemoryTokenStore(&oauth2.Token{AccessToken: "at-1", RefreshToken: "rt-1", Expiry: time.Now().Add(-time.Second)})
	o, err := eaccounting.NewOAuth(eaccounting.Credentials{
		ClientID: "app-id", ClientSecret: connector.Secret("app-secret"), Store: store,
		Endpoint: oauth2.Endpoint{AuthURL: "https://identity.example/connect/authorize", TokenURL: tokenURL},
	}, eaccounting.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := o.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "at-2" || tok.RefreshToken != "rt-2" || time.Until(tok.Expiry) < 59*time.Minute {
		t.Errorf("token %+v", tok)
	}
	if mt.GetTotalCallCount() != 1 {
		t.Errorf("%d token requests", mt.GetTotalCallCount())
	}
}

func TestEndpointsAndCredentialChecks(t *testing.T) {
	for _, ep := range []oauth2.Endpoint{eaccounting.ProductionEndpoint, eaccounting.SandboxEndpoint} {
		if !strings.HasSuffix(ep.TokenURL, "/connect/token") || !strings.HasSuffix(ep.AuthURL, "/connect/authorize") || ep.AuthStyle != oauth2.AuthStyleInHeader {
			t.Errorf("endpoint %+v", ep)
		}
	}
	store := eaccounting.NewMemoryTokenStore(nil)
	for _, creds := range []eaccounting.Credentials{
		{ClientSecret: "s", Store: store}, {ClientID: "id", Store: store}, {ClientID: "id", ClientSecret: "s"},
	} {
		if _, err := eaccounting.NewClient(eaccounting.SandboxURL, creds); err == nil {
			t.Errorf("NewClient accepted %+v", creds)
		}
	}
	c, err := eaccounting.NewClient(eaccounting.SandboxURL, eaccounting.Credentials{ClientID: "id", ClientSecret: "very-secret", Store: store})
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprintf("%v %+v %#v", c, c, c); strings.Contains(s, "very-secret") {
		t.Errorf("the client prints its secret: %s", s)
	}
}

// TestNoSecretsOrPersonalDataInOutput: tokens, the client secret and the
// e-mail address of a lookup appear in no log line, error or fmt output.
func TestNoSecretsOrPersonalDataInOutput(t *testing.T) {
	srv := eaccountingtest.New()
	defer srv.Close()
	tok := srv.Token()
	store := eaccounting.NewMemoryTokenStore(tok)
	var logs bytes.Buffer
	c, err := eaccounting.NewClient(srv.APIURL(), srv.Credentials(store),
		eaccounting.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err != nil {
		t.Fatal(err)
	}
	srv.RejectFilterOn("EmailAddress")
	if _, err := c.Customers.FindByEmail(t.Context(), "jane.private@example.com"); err != nil {
		t.Fatal(err)
	}
	srv.Inject(eaccountingtest.Fault{Path: "/v2/customers", Status: 400})
	_, lookupErr := c.Customers.FindByEmail(t.Context(), "jane.private@example.com")
	out := fmt.Sprintf("%s\n%v\n%v %+v %#v\n%v %+v %#v", logs.String(), lookupErr, c.OAuth, c.OAuth, c.OAuth, store, store, store)
	if !strings.Contains(logs.String(), "$filter") && !strings.Contains(logs.String(), "%24filter") {
		t.Fatalf("the lookups were not logged: %s", logs.String())
	}
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken, eaccountingtest.ClientSecret, "jane.private"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q appears in the output:\n%s", secret, out)
		}
	}
}
