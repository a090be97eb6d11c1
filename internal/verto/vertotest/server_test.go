package vertotest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
	"github.com/tradelink/tradelink/internal/verto"
)

const (
	pub    = "fake-public"
	secret = connector.Secret("fake-secret")
)

type thing struct {
	ID   verto.Int `json:"id"`
	Name string    `json:"name"`
}

// newFake is a fake with a small "things" resource.
func newFake(cfg Config) (*Server, *[]thing) {
	cfg.PublicKey, cfg.Secret = pub, secret
	s := NewUnstarted(cfg)
	items := &[]thing{}
	s.Handle("GET things/", func(r *Request) Reply { return Paginate(r, *items) })
	s.Handle("POST things/", func(r *Request) Reply {
		var in thing
		if err := r.Decode(&in); err != nil {
			return Invalid("%v", err)
		}
		in.ID = verto.Int(len(*items) + 1)
		*items = append(*items, in)
		return JSON(http.StatusCreated, in)
	})
	s.Handle("GET productqueries/", func(r *Request) Reply { return JSON(200, map[string]any{"items": []any{}}) })
	return s, items
}

// signed builds a request signed at t.
func signed(method, uri, body string, t time.Time) *http.Request {
	r := httptest.NewRequest(method, uri, strings.NewReader(body))
	date := verto.FormatDate(t)
	r.Header.Set(verto.HeaderPublic, pub)
	r.Header.Set(verto.HeaderDate, date)
	r.Header.Set(verto.HeaderHash, verto.Sign(pub, secret, method, uri, []byte(body), date))
	return r
}

func serve(s *Server, r *http.Request) (*httptest.ResponseRecorder, verto.ErrorBody) {
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var eb verto.ErrorBody
	_ = json.Unmarshal(w.Body.Bytes(), &eb)
	return w, eb
}

func TestAuthentication(t *testing.T) {
	now := time.Now()
	s, _ := newFake(Config{})
	uri := "/api/rest/v1/things/?start=0&size=25"
	tamper := func(f func(r *http.Request)) *http.Request {
		r := signed("GET", uri, "", now)
		f(r)
		return r
	}
	tests := []struct {
		name string
		req  *http.Request
		want int
	}{
		{"valid", signed("GET", uri, "", now), 200},
		{"valid without trailing slash", signed("GET", "/api/rest/v1/things?size=2", "", now), 200},
		{"tampered query", tamper(func(r *http.Request) {
			r.URL.RawQuery = "start=0&size=26"
			r.RequestURI = "/api/rest/v1/things/?start=0&size=26"
		}), 401},
		{"tampered body", func() *http.Request {
			r := signed("POST", "/api/rest/v1/things/", `{"name":"a"}`, now)
			r.Body = io.NopCloser(strings.NewReader(`{"name":"b"}`))
			return r
		}(), 401},
		{"other method", tamper(func(r *http.Request) { r.Method = "DELETE" }), 401},
		{"missing hash", tamper(func(r *http.Request) { r.Header.Del(verto.HeaderHash) }), 401},
		{"unknown public key", tamper(func(r *http.Request) { r.Header.Set(verto.HeaderPublic, "intruder") }), 401},
		{"stale date", signed("GET", uri, "", now.Add(-6*time.Minute)), 401},
		{"future date", signed("GET", uri, "", now.Add(6*time.Minute)), 401},
		{"date within window", signed("GET", uri, "", now.Add(-4*time.Minute)), 200},
		{"garbled date", tamper(func(r *http.Request) { r.Header.Set(verto.HeaderDate, "yesterday") }), 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, eb := serve(s, tt.req)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.want, w.Body)
			}
			if tt.want == 401 && (eb.Code != verto.CodeUnauthorized || eb.Status != 401 || eb.DeveloperMessage == "") {
				t.Errorf("error body = %+v", eb)
			}
			// Every answer is signed over the request URI as received.
			if !verto.Verify(pub, secret, tt.req.Method, tt.req.RequestURI, w.Body.Bytes(), w.Header().Get(verto.HeaderDate), w.Header().Get(verto.HeaderHash)) {
				t.Error("response signature does not verify")
			}
		})
	}
}

func TestRoutingAndValidation(t *testing.T) {
	now := time.Now()
	s, _ := newFake(Config{})
	tests := []struct {
		name, method, uri, body string
		status                  int
		code                    string
	}{
		{"unknown resource", "GET", "/api/rest/v1/nothing/", "", 404, verto.CodeInvalidResource},
		{"method not allowed", "DELETE", "/api/rest/v1/things/", "", 405, verto.CodeMethodNotAllowed},
		{"unknown property", "POST", "/api/rest/v1/things/", `{"nmae":"x"}`, 400, CodeInvalidInput},
		{"bad size", "GET", "/api/rest/v1/things/?size=0", "", 400, CodeInvalidInput},
		{"bad start", "GET", "/api/rest/v1/things/?start=-1", "", 400, CodeInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, eb := serve(s, signed(tt.method, tt.uri, tt.body, now))
			if w.Code != tt.status || eb.Code != tt.code {
				t.Errorf("got %d %q, want %d %q: %s", w.Code, eb.Code, tt.status, tt.code, w.Body)
			}
		})
	}
}

func TestPaginateLinks(t *testing.T) {
	now := time.Now()
	s, items := newFake(Config{})
	for i := range 5 {
		*items = append(*items, thing{ID: verto.Int(i + 1)})
	}
	w, _ := serve(s, signed("GET", "/api/rest/v1/things/?size=2&start=2&x=y", "", now))
	var c verto.Collection[thing]
	if err := json.Unmarshal(w.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	base := "http://shop.invalid/api/rest/v1/things/"
	want := verto.Collection[thing]{Href: base + "?size=2&start=2&x=y", Start: 2, Size: 2,
		First: base + "?size=2&start=0&x=y", Previous: base + "?size=2&start=0&x=y", Next: base + "?size=2&start=4&x=y",
		Items: []thing{{ID: 3}, {ID: 4}}}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	w, _ = serve(s, signed("GET", "/api/rest/v1/things/?size=2&start=4", "", now))
	if !strings.Contains(w.Body.String(), `"next":null`) {
		t.Errorf("last page: %s", w.Body)
	}
}

// The limits are per resource and method over a sliding minute, with the
// platform's 429 body; the total cap answers 429.11.
func TestRateLimits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _ := newFake(Config{})
		s.SetLimits(verto.Limits{Read: 3, Write: 2, ProductQuery: 1}, 0)
		get := func(uri string) (int, string) {
			w, eb := serve(s, signed("GET", uri, "", time.Now()))
			return w.Code, eb.Code
		}
		for i := range 3 {
			if st, _ := get("/api/rest/v1/things/"); st != 200 {
				t.Fatalf("GET %d: %d", i, st)
			}
		}
		if st, code := get("/api/rest/v1/things/"); st != 429 || code != verto.CodeRateLimit {
			t.Fatalf("4th GET: %d %s, want 429 429.10", st, code)
		}
		// Another resource has its own budget; product queries a smaller one.
		if st, _ := get("/api/rest/v1/productqueries/?skunumber=1"); st != 200 {
			t.Fatalf("product query: %d", st)
		}
		if st, _ := get("/api/rest/v1/productqueries/?skunumber=1"); st != 429 {
			t.Fatalf("2nd product query: %d, want 429", st)
		}
		// POST has its own budget on the same resource.
		w, _ := serve(s, signed("POST", "/api/rest/v1/things/", `{"name":"a"}`, time.Now()))
		if w.Code != 201 {
			t.Fatalf("POST: %d", w.Code)
		}
		time.Sleep(61 * time.Second)
		if st, _ := get("/api/rest/v1/things/"); st != 200 {
			t.Fatalf("after a minute: %d", st)
		}
		s.SetLimits(verto.Limits{}, 1)
		time.Sleep(61 * time.Second)
		get("/api/rest/v1/things/")
		if st, code := get("/api/rest/v1/things/"); st != 429 || code != verto.CodeTotalRateLimit {
			t.Fatalf("over the total cap: %d %s", st, code)
		}
		s.DisableLimits()
		for range 10 {
			if st, _ := get("/api/rest/v1/things/"); st != 200 {
				t.Fatalf("limits disabled: %d", st)
			}
		}
	})
}

// Faults through a real listener and the real HTTP stack.
func TestFaults(t *testing.T) {
	s, items := newFake(Config{})
	s.Start()
	defer s.Close()
	c, err := verto.New(verto.Config{BaseURL: s.URL(), PublicKey: pub, Secret: secret},
		httpx.WithRetry(httpx.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}),
		httpx.WithLimiter(nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	list := func() error { return c.Get(ctx, "things/", nil, &verto.Collection[thing]{}) }
	create := func() error { return c.Post(ctx, "things/", thing{Name: "x"}, &thing{}) }

	s.Inject(Fault{Method: "GET", Path: "things/", Status: 503, Times: 2})
	if err := list(); err != nil {
		t.Errorf("two 503s then success: %v", err)
	}
	s.Inject(Fault{Status: 429, RetryAfter: time.Second, Times: 5})
	err = list()
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 429 || ae.Code != verto.CodeRateLimit || ae.RetryAfter != time.Second {
		t.Errorf("persistent 429: %v (%+v)", err, ae)
	}
	s.ClearFaults()
	s.Inject(Fault{Path: "/api/rest/v1/things/", Malformed: true})
	var me *httpx.MalformedError
	if err := list(); !errors.As(err, &me) {
		t.Errorf("malformed: %v", err)
	}
	s.Inject(Fault{Method: "POST", Drop: true})
	if err := create(); !errors.Is(err, connector.ErrOutcomeUnknown) {
		t.Errorf("dropped POST: %v, want outcome unknown", err)
	}
	n := len(*items)
	s.Inject(Fault{Method: "POST", Status: 502, AfterCommit: true})
	if err := create(); !errors.Is(err, connector.ErrOutcomeUnknown) {
		t.Errorf("POST failing after commit: %v", err)
	}
	if len(*items) != n+1 {
		t.Errorf("AfterCommit did not apply the write: %d items, want %d", len(*items), n+1)
	}
	s.Inject(Fault{Method: "GET", Delay: 20 * time.Millisecond})
	if err := list(); err != nil {
		t.Errorf("delayed answer: %v", err)
	}
	s.Inject(Fault{Method: "PATCH", Status: 500})
	if err := list(); err != nil {
		t.Errorf("a fault for another method hit: %v", err)
	}
	s.ClearFaults()
	if got := s.RequestsFor("GET", "things/"); got < 5 {
		t.Errorf("RequestsFor(GET things/) = %d", got)
	}
	if s.Requests() < 10 || !strings.Contains(s.CallsString(), "POST /things/") {
		t.Errorf("counters: %d\n%s", s.Requests(), s.CallsString())
	}
	s.ResetCounters()
	if s.Requests() != 0 || len(s.Calls()) != 0 {
		t.Error("ResetCounters")
	}
}

func TestLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _ := newFake(Config{})
		s.SetLatency(50 * time.Millisecond)
		start := time.Now()
		w, _ := serve(s, signed("GET", "/api/rest/v1/things/", "", time.Now()))
		if w.Code != 200 || time.Since(start) != 50*time.Millisecond {
			t.Errorf("status %d after %v, want 200 after 50ms", w.Code, time.Since(start))
		}
	})
}
