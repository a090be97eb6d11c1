package eaccounting

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
)

// Visma Connect, the identity server of eAccounting, and the API hosts.
const (
	// ProductionURL is the base URL of the production API, version 2.
	ProductionURL = "https://eaccountingapi.vismaonline.com/v2"
	// SandboxURL is the base URL of the sandbox API, version 2.
	SandboxURL = "https://eaccountingapi-sandbox.test.vismaonline.com/v2"
)

// ProductionEndpoint is Visma Connect's production OAuth2 endpoint. The
// client authenticates with HTTP Basic on /connect/token.
var ProductionEndpoint = oauth2.Endpoint{
	AuthURL:   "https://identity.vismaonline.com/connect/authorize",
	TokenURL:  "https://identity.vismaonline.com/connect/token",
	AuthStyle: oauth2.AuthStyleInHeader,
}

// SandboxEndpoint is Visma Connect's sandbox OAuth2 endpoint.
var SandboxEndpoint = oauth2.Endpoint{
	AuthURL:   "https://identity-sandbox.test.vismaonline.com/connect/authorize",
	TokenURL:  "https://identity-sandbox.test.vismaonline.com/connect/token",
	AuthStyle: oauth2.AuthStyleInHeader,
}

// DefaultScopes are the scopes a sales integration asks for: the API itself,
// sales documents and registers, and offline_access for a refresh token.
// VAT codes need "ea:accounting_readonly" in addition.
var DefaultScopes = []string{"ea:api", "ea:sales", "offline_access"}

// ErrNoToken is returned when the token store holds no token: the user has
// not authorized the application yet (see [OAuth.AuthCodeURL] and
// [OAuth.Exchange]).
var ErrNoToken = errors.New("eaccounting: no OAuth2 token stored; run the authorization-code flow first")

// ErrReauthorize matches errors that only a new authorization by the user
// can cure: Visma Connect rejected the refresh token (it was used already,
// revoked, or the user changed the Visma password).
var ErrReauthorize = errors.New("eaccounting: the user must authorize the application again")

// TokenStore keeps the OAuth2 token of one user and company. Visma rotates
// refresh tokens: every refresh returns a new refresh token and invalidates
// the old one, so a token that is lost breaks the integration until the user
// authorizes again. [OAuth] therefore saves every new token before it uses
// it. Implementations must be safe for concurrent use; several processes
// that share one store should also share one [OAuth] or serialise refreshes
// themselves.
type TokenStore interface {
	// Load returns the stored token, or ErrNoToken when there is none.
	Load(ctx context.Context) (*oauth2.Token, error)
	// Save stores t, replacing the previous token.
	Save(ctx context.Context, t *oauth2.Token) error
}

// MemoryTokenStore is a TokenStore in memory, for tests, the quickstart and
// programs that persist the token elsewhere. The zero value is empty and
// ready to use.
type MemoryTokenStore struct {
	mu    sync.Mutex
	tok   *oauth2.Token
	saved []*oauth2.Token
}

// NewMemoryTokenStore returns a store holding t (which may be nil).
func NewMemoryTokenStore(t *oauth2.Token) *MemoryTokenStore {
	return &MemoryTokenStore{tok: t}
}

// Load implements TokenStore.
func (s *MemoryTokenStore) Load(context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok == nil {
		return nil, ErrNoToken
	}
	t := *s.tok
	return &t, nil
}

// Save implements TokenStore.
func (s *MemoryTokenStore) Save(_ context.Context, t *oauth2.Token) error {
	if t == nil {
		return errors.New("eaccounting: MemoryTokenStore.Save: nil token")
	}
	cp := *t
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tok = &cp
	s.saved = append(s.saved, &cp)
	return nil
}

// String describes the store without its tokens.
func (s *MemoryTokenStore) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("eaccounting.MemoryTokenStore(%d saved)", len(s.saved))
}

// GoString is String, so %#v shows no tokens either.
func (s *MemoryTokenStore) GoString() string { return s.String() }

// Saved returns every token saved so far, oldest first.
func (s *MemoryTokenStore) Saved() []*oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*oauth2.Token, len(s.saved))
	for i, t := range s.saved {
		cp := *t
		out[i] = &cp
	}
	return out
}

// Credentials are an application's registration at Visma Connect plus the
// store of the user's token.
type Credentials struct {
	// ClientID and ClientSecret identify the application.
	ClientID     string
	ClientSecret connector.Secret
	// RedirectURL is the registered callback of the authorization-code flow.
	RedirectURL string
	// Scopes are requested at authorization; nil means DefaultScopes.
	Scopes []string
	// Endpoint is Visma Connect; the zero value means ProductionEndpoint.
	// Use SandboxEndpoint with SandboxURL, or a fake server's endpoint.
	Endpoint oauth2.Endpoint
	// Store keeps the token; it is required.
	Store TokenStore
}

// OAuth does the OAuth2 work for one user: the authorization-code exchange
// and refreshes with rotating refresh tokens. It is safe for concurrent use:
// however many requests find the access token expired at once, one refresh
// runs, its token is saved to the store, and every caller gets it.
type OAuth struct {
	conf  oauth2.Config
	store TokenStore
	hc    *http.Client

	// sem admits one refresh or exchange at a time; waiting for it honours
	// the caller's context, which a mutex would not.
	sem chan struct{}

	mu  sync.Mutex
	cur *oauth2.Token
	// unsaved is a token the server issued whose Save failed. It is saved
	// before anything uses it, and never dropped: its refresh token is the
	// only one that still works.
	unsaved *oauth2.Token
}

// NewOAuth returns the OAuth2 helper for creds. Of the options only
// WithHTTPClient matters: it also carries the token requests.
func NewOAuth(creds Credentials, opts ...Option) (*OAuth, error) {
	if creds.ClientID == "" {
		return nil, errors.New("eaccounting: Credentials.ClientID is required")
	}
	if creds.ClientSecret == "" {
		return nil, errors.New("eaccounting: Credentials.ClientSecret is required")
	}
	if creds.Store == nil {
		return nil, errors.New("eaccounting: Credentials.Store is required")
	}
	var cfg httpx.Config
	for _, o := range opts {
		o(&cfg)
	}
	ep := creds.Endpoint
	if ep.TokenURL == "" {
		ep = ProductionEndpoint
	}
	if ep.AuthStyle == oauth2.AuthStyleAutoDetect {
		ep.AuthStyle = oauth2.AuthStyleInHeader
	}
	scopes := creds.Scopes
	if scopes == nil {
		scopes = DefaultScopes
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: httpx.DefaultTimeout}
	}
	return &OAuth{
		conf: oauth2.Config{
			ClientID: creds.ClientID, ClientSecret: creds.ClientSecret.Reveal(),
			Endpoint: ep, RedirectURL: creds.RedirectURL, Scopes: append([]string(nil), scopes...),
		},
		store: creds.Store,
		hc:    hc,
		sem:   make(chan struct{}, 1),
	}, nil
}

// String describes the helper without its credentials and tokens.
func (a *OAuth) String() string {
	return "eaccounting.OAuth(" + a.conf.ClientID + " at " + a.conf.Endpoint.TokenURL + ")"
}

// GoString is String, so %#v shows no credentials either.
func (a *OAuth) GoString() string { return a.String() }

// AuthCodeURL returns the Visma Connect URL to send the user to. state
// protects the callback against forgery; check it there. The URL asks Visma
// to show the company picker (prompt=select_account), so the user chooses
// the company the token is bound to instead of landing in a default one.
func (a *OAuth) AuthCodeURL(state string, opts ...oauth2.AuthCodeOption) string {
	opts = append([]oauth2.AuthCodeOption{oauth2.SetAuthURLParam("prompt", "select_account")}, opts...)
	return a.conf.AuthCodeURL(state, opts...)
}

// Exchange trades the code from the authorization callback for a token,
// saves it to the store and returns it.
func (a *OAuth) Exchange(ctx context.Context, code string) (*oauth2.Token, error) {
	if err := a.acquire(ctx); err != nil {
		return nil, err
	}
	defer a.release()
	t, err := a.conf.Exchange(a.httpContext(ctx), code)
	if err != nil {
		return nil, tokenError("exchange authorization code", err)
	}
	if err := a.store.Save(ctx, t); err != nil {
		return nil, fmt.Errorf("eaccounting: save token: %w", err)
	}
	a.mu.Lock()
	a.cur, a.unsaved = t, nil
	a.mu.Unlock()
	return t, nil
}

// Token returns a valid access token, refreshing it when it has expired.
// The refreshed token is saved to the store before it is returned.
func (a *OAuth) Token(ctx context.Context) (*oauth2.Token, error) {
	if t := a.current(); t.Valid() {
		return t, nil
	}
	if err := a.acquire(ctx); err != nil {
		return nil, err
	}
	defer a.release()
	// Another caller may have refreshed while this one waited.
	a.mu.Lock()
	t, pending := a.cur, a.unsaved
	a.mu.Unlock()
	if t.Valid() {
		return t, nil
	}
	if pending != nil {
		if err := a.save(ctx, pending); err != nil {
			return nil, err
		}
		if pending.Valid() {
			return pending, nil
		}
		t = pending
	}
	// The store may hold a newer token (another worker refreshed, or the
	// host application saved one after an authorization).
	stored, err := a.store.Load(ctx)
	switch {
	case errors.Is(err, ErrNoToken):
	case err != nil:
		return nil, fmt.Errorf("eaccounting: load token: %w", err)
	case t == nil || stored.RefreshToken != t.RefreshToken || stored.AccessToken != t.AccessToken:
		t = stored
		a.mu.Lock()
		a.cur = t
		a.mu.Unlock()
		if t.Valid() {
			return t, nil
		}
	}
	if t == nil {
		return nil, ErrNoToken
	}
	if t.RefreshToken == "" {
		return nil, fmt.Errorf("%w: the access token expired and there is no refresh token (request the offline_access scope)", ErrReauthorize)
	}
	nt, err := a.conf.TokenSource(a.httpContext(ctx), &oauth2.Token{RefreshToken: t.RefreshToken}).Token()
	if err != nil {
		return nil, tokenError("refresh token", err)
	}
	if err := a.save(ctx, nt); err != nil {
		return nil, err
	}
	return nt, nil
}

// save hands t to the store and makes it current. When the store fails, t
// is kept as unsaved and the next Token call saves it before using it.
func (a *OAuth) save(ctx context.Context, t *oauth2.Token) error {
	if err := a.store.Save(ctx, t); err != nil {
		a.mu.Lock()
		a.unsaved = t
		a.mu.Unlock()
		return fmt.Errorf("eaccounting: a new token was issued but could not be saved (kept in memory and saved before use): %w", err)
	}
	a.mu.Lock()
	a.cur, a.unsaved = t, nil
	a.mu.Unlock()
	return nil
}

// invalidate marks the current token expired when its access token is
// access, so the next Token call refreshes. The server rejected it (401)
// although its expiry had not passed.
func (a *OAuth) invalidate(access string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cur != nil && a.cur.AccessToken == access {
		cp := *a.cur
		cp.Expiry = time.Unix(1, 0) // expired; still equal to the stored token, so Token refreshes
		a.cur = &cp
	}
}

func (a *OAuth) current() *oauth2.Token {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cur
}

func (a *OAuth) acquire(ctx context.Context) error {
	select {
	case a.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *OAuth) release() { <-a.sem }

func (a *OAuth) httpContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, a.hc)
}

// tokenError describes a failed token request without echoing the response
// body, and marks a rejected grant as ErrReauthorize.
func tokenError(what string, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return fmt.Errorf("eaccounting: %s: %w", what, err)
	}
	msg := re.ErrorCode
	if msg == "" && re.Response != nil {
		msg = re.Response.Status
	}
	if re.ErrorDescription != "" {
		msg += ": " + re.ErrorDescription
	}
	if re.ErrorCode == "invalid_grant" || re.ErrorCode == "unauthorized_client" || re.ErrorCode == "invalid_client" {
		return fmt.Errorf("eaccounting: %s: %s: %w", what, msg, ErrReauthorize)
	}
	return fmt.Errorf("eaccounting: %s: %s", what, msg)
}
