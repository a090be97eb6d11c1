package verto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jarcoal/httpmock"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
)

const (
	testPublic = "pub-key"
	testSecret = connector.Secret("very-secret-value")
	testBase   = "https://shop.example.com"
)

// seenReq is what the mock transport received.
type seenReq struct {
	Method, URI string
	Header      http.Header
	Body        string
}

// mockAPI answers every request with the next scripted reply, signing it
// like the platform unless told not to.
type mockAPI struct {
	mu      sync.Mutex
	seen    []seenReq
	replies []mockReply
}

type mockReply struct {
	status   int
	body     string
	unsigned bool
	badHash  bool
}

func (m *mockAPI) responder(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	m.mu.Lock()
	m.seen = append(m.seen, seenReq{req.Method, req.URL.RequestURI(), req.Header.Clone(), string(body)})
	rep := m.replies[min(len(m.seen)-1, len(m.replies)-1)]
	m.mu.Unlock()
	resp := httpmock.NewStringResponse(rep.status, rep.body)
	if !rep.unsigned {
		date := FormatDate(time.Now())
		h := Sign(testPublic, testSecret, req.Method, req.URL.RequestURI(), []byte(rep.body), date)
		if rep.badHash {
			h = Sign(testPublic, testSecret, req.Method, req.URL.RequestURI(), []byte(rep.body+" "), date)
		}
		resp.Header.Set(HeaderDate, date)
		resp.Header.Set(HeaderHash, h)
	}
	return resp, nil
}

func newMockClient(t *testing.T, m *mockAPI, opts ...httpx.Option) *Client {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(m.responder)
	all := append([]httpx.Option{
		httpx.WithHTTPClient(&http.Client{Transport: mt}),
		httpx.WithRetry(httpx.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}),
		httpx.WithLimiter(nil),
	}, opts...)
	c, err := New(Config{System: "ccvshop", BaseURL: testBase, PublicKey: testPublic, Secret: testSecret}, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkSigned verifies the request signature of every request seen.
func checkSigned(t *testing.T, m *mockAPI) {
	t.Helper()
	for i, s := range m.seen {
		date := s.Header.Get(HeaderDate)
		if s.Header.Get(HeaderPublic) != testPublic {
			t.Errorf("request %d: x-public = %q", i, s.Header.Get(HeaderPublic))
		}
		if _, err := time.Parse(DateLayout, date); err != nil {
			t.Errorf("request %d: x-date %q is not %s", i, date, DateLayout)
		}
		if !Verify(testPublic, testSecret, s.Method, s.URI, []byte(s.Body), date, s.Header.Get(HeaderHash)) {
			t.Errorf("request %d (%s %s): x-hash does not verify", i, s.Method, s.URI)
		}
		if h := s.Header.Get(HeaderHash); len(h) != 128 || strings.ToLower(h) != h {
			t.Errorf("request %d: x-hash %q is not 128 lower-case hex digits", i, h)
		}
	}
}

func TestClientSignsEveryAttemptAndVerifiesAnswer(t *testing.T) {
	m := &mockAPI{replies: []mockReply{
		{status: 503, body: `{"status":503,"code":"503","developermessage":"busy"}`},
		{status: 200, body: `{"id":7,"name":"Mok"}`},
	}}
	c := newMockClient(t, m)
	var out struct {
		ID   Int
		Name string
	}
	err := c.Get(context.Background(), "products/7/", url.Values{"expand": {"productphotos,attributecombinations"}}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if out.ID != 7 || out.Name != "Mok" {
		t.Errorf("decoded %+v", out)
	}
	if len(m.seen) != 2 {
		t.Fatalf("attempts = %d, want 2", len(m.seen))
	}
	want := "/api/rest/v1/products/7/?expand=productphotos%2Cattributecombinations"
	for _, s := range m.seen {
		if s.URI != want {
			t.Errorf("URI = %s, want %s", s.URI, want)
		}
		if s.Header.Get("Accept") != MediaWebshop {
			t.Errorf("Accept = %q", s.Header.Get("Accept"))
		}
	}
	checkSigned(t, m)
}

func TestClientBodyAndWrites(t *testing.T) {
	m := &mockAPI{replies: []mockReply{{status: 204}}}
	c := newMockClient(t, m)
	ctx := context.Background()
	stock := struct {
		Stock Number `json:"stock"`
	}{MustNum("99")}
	if err := c.Patch(ctx, "products/1234/", stock, true); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(ctx, "/api/rest/v1/orders/5/orderrows/", map[string]any{"orderrows": []any{}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, "orderrows/9/"); err != nil {
		t.Fatal(err)
	}
	got := []seenReq{}
	for _, s := range m.seen {
		got = append(got, seenReq{Method: s.Method, URI: s.URI, Body: s.Body,
			Header: http.Header{"Content-Type": s.Header.Values("Content-Type")}})
	}
	want := []seenReq{
		{"PATCH", "/api/rest/v1/products/1234/", http.Header{"Content-Type": {"application/json"}}, `{"stock":99}`},
		{"PUT", "/api/rest/v1/orders/5/orderrows/", http.Header{"Content-Type": {"application/json"}}, `{"orderrows":[]}`},
		{"DELETE", "/api/rest/v1/orderrows/9/", http.Header{"Content-Type": nil}, ``},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	checkSigned(t, m)
}

func TestResponseSignatureFailsClosed(t *testing.T) {
	tests := []struct {
		name        string
		reply       mockReply
		method      string
		idempotent  bool
		wantMissing bool
		wantUnknown bool
	}{
		{"GET unsigned", mockReply{status: 200, body: `{}`, unsigned: true}, "GET", false, true, false},
		{"GET wrong hash", mockReply{status: 200, body: `{}`, badHash: true}, "GET", false, false, false},
		{"POST wrong hash: outcome unknown", mockReply{status: 201, body: `{"id":1}`, badHash: true}, "POST", false, false, true},
		{"PATCH idempotent unsigned", mockReply{status: 204, unsigned: true}, "PATCH", true, true, false},
		{"PATCH unsigned: outcome unknown", mockReply{status: 204, unsigned: true}, "PATCH", false, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &mockAPI{replies: []mockReply{tt.reply}}
			c := newMockClient(t, m)
			var in any
			if tt.method != "GET" {
				in = map[string]int{"a": 1}
			}
			err := c.Do(context.Background(), Request{Method: tt.method, Path: "orders/", In: in, Out: &struct{}{}, Idempotent: tt.idempotent})
			if !errors.Is(err, ErrResponseSignature) {
				t.Fatalf("err = %v, want ErrResponseSignature", err)
			}
			var se *SignatureError
			if !errors.As(err, &se) || se.Missing != tt.wantMissing {
				t.Errorf("SignatureError = %+v, want Missing %v", se, tt.wantMissing)
			}
			if got := errors.Is(err, connector.ErrOutcomeUnknown); got != tt.wantUnknown {
				t.Errorf("outcome unknown = %v, want %v (%v)", got, tt.wantUnknown, err)
			}
		})
	}
}

func TestErrorAnswers(t *testing.T) {
	m := &mockAPI{replies: []mockReply{{status: 404, body: `{"status":404,"code":"404.20","developermessage":"invalid resource name"}`}}}
	c := newMockClient(t, m)
	err := c.Get(context.Background(), "nothing/", nil, nil)
	if !errors.Is(err, connector.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	var ae *connector.APIError
	if !errors.As(err, &ae) || ae.Code != "404.20" || ae.System != "ccvshop" || ae.Path != "/api/rest/v1/nothing/" {
		t.Errorf("APIError = %+v", ae)
	}

	m = &mockAPI{replies: []mockReply{{status: 200, body: `{"id":`}}}
	c = newMockClient(t, m)
	var out struct{ ID Int }
	err = c.Get(context.Background(), "orders/1/", nil, &out)
	var me *httpx.MalformedError
	if !errors.As(err, &me) {
		t.Errorf("err = %v, want a MalformedError", err)
	}
}

func TestPagesFollowNextAndStop(t *testing.T) {
	page := func(start int, next string) string {
		n := "null"
		if next != "" {
			n = `"` + next + `"`
		}
		return fmt.Sprintf(`{"href":"x","start":%d,"size":2,"first":"x","previous":null,"next":%s,"items":[{"id":%d},{"id":%d}]}`,
			start, n, start+1, start+2)
	}
	// The links name another host: only path and query are followed, on
	// the configured shop.
	m := &mockAPI{replies: []mockReply{
		{status: 200, body: page(0, "https://other.example/api/rest/v1/orders/?is_paid=true&size=2&start=2")},
		{status: 200, body: page(2, "https://other.example/api/rest/v1/orders/?is_paid=true&size=2&start=4")},
		{status: 200, body: page(4, "")},
	}}
	c := newMockClient(t, m)
	type item struct{ ID Int }
	var ids []Int
	for it, err := range All[item](context.Background(), c, "orders/", PageQuery(url.Values{"is_paid": {"true"}}, 0, 2, 25)) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	if diff := cmp.Diff([]Int{1, 2, 3, 4, 5, 6}, ids); diff != "" {
		t.Errorf("ids (-want +got)\n%s", diff)
	}
	wantURIs := []string{
		"/api/rest/v1/orders/?is_paid=true&size=2&start=0",
		"/api/rest/v1/orders/?is_paid=true&size=2&start=2",
		"/api/rest/v1/orders/?is_paid=true&size=2&start=4",
	}
	var got []string
	for _, s := range m.seen {
		got = append(got, s.URI)
	}
	if diff := cmp.Diff(wantURIs, got); diff != "" {
		t.Errorf("URIs (-want +got)\n%s", diff)
	}
	checkSigned(t, m)

	// A consumer that stops after the first item costs one request.
	m2 := &mockAPI{replies: m.replies}
	c2 := newMockClient(t, m2)
	for range All[item](context.Background(), c2, "orders/", nil) {
		break
	}
	if len(m2.seen) != 1 {
		t.Errorf("requests after early stop = %d, want 1", len(m2.seen))
	}
}

func TestPagesDetectLoop(t *testing.T) {
	loop := `{"href":"x","start":0,"size":1,"next":"https://shop.example.com/api/rest/v1/orders/?start=1&size=1","items":[{"id":1}]}`
	m := &mockAPI{replies: []mockReply{{status: 200, body: loop}}}
	c := newMockClient(t, m)
	var err error
	n := 0
	for _, e := range All[struct{ ID Int }](context.Background(), c, "orders/", nil) {
		if e != nil {
			err = e
			break
		}
		n++
	}
	if err == nil || !strings.Contains(err.Error(), "loops") {
		t.Fatalf("err = %v, want a paging loop error", err)
	}
	if n != 2 || len(m.seen) != 2 {
		t.Errorf("items %d, requests %d; want 2 and 2", n, len(m.seen))
	}
}

func TestSingleObjectCollection(t *testing.T) {
	var c Collection[struct {
		ID   Int
		Name string
	}]
	if err := c.UnmarshalJSON([]byte(`{"id":3,"name":"merchant"}`)); err != nil {
		t.Fatal(err)
	}
	if len(c.Items) != 1 || c.Items[0].ID != 3 {
		t.Errorf("items = %+v", c.Items)
	}
	out, _ := Collection[int]{Href: "h"}.MarshalJSON()
	if string(out) != `{"href":"h","start":0,"size":0,"first":null,"previous":null,"next":null,"items":[]}` {
		t.Errorf("marshal = %s", out)
	}
}

func TestNewValidates(t *testing.T) {
	tests := []Config{
		{BaseURL: testBase, Secret: testSecret},
		{BaseURL: testBase, PublicKey: testPublic},
		{BaseURL: "shop.example.com", PublicKey: testPublic, Secret: testSecret},
		{BaseURL: "ftp://shop.example.com", PublicKey: testPublic, Secret: testSecret},
		{BaseURL: "https://shop.example.com/shop", PublicKey: testPublic, Secret: testSecret},
	}
	for _, cfg := range tests {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		} else if strings.Contains(err.Error(), testSecret.Reveal()) {
			t.Errorf("error leaks the secret: %v", err)
		}
	}
	c, err := New(Config{BaseURL: testBase + "/api/rest/v1/", PublicKey: testPublic, Secret: testSecret})
	if err != nil || c.BaseURL() != testBase {
		t.Errorf("New with API path: %v, base %q", err, c.BaseURL())
	}
	if c.Limiter(OpRead) == nil || c.Limiter(OpProductQuery) == nil {
		t.Error("default per-class limiters missing")
	}
	c, _ = New(Config{BaseURL: testBase, PublicKey: testPublic, Secret: testSecret}, httpx.WithLimiter(nil))
	if c.Limiter(OpRead) != nil {
		t.Error("WithLimiter(nil) kept the per-class limiters")
	}
}

func TestSecretNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	m := &mockAPI{replies: []mockReply{{status: 500, body: `{"status":500,"code":"500","developermessage":"echo very-secret-value"}`}}}
	c := newMockClient(t, m, httpx.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	err := c.Get(context.Background(), "orders/", nil, nil)
	if err == nil {
		t.Fatal("want an error")
	}
	for what, s := range map[string]string{"logs": logs.String(), "error": err.Error()} {
		if strings.Contains(s, testSecret.Reveal()) {
			t.Errorf("%s contain the secret: %s", what, s)
		}
		if strings.Contains(s, m.seen[0].Header.Get(HeaderHash)) {
			t.Errorf("%s contain the x-hash", what)
		}
	}
}

// The per-class limiters never let more than the published number of
// requests through in any minute.
func TestDefaultLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := &mockAPI{replies: []mockReply{{status: 200, body: `{"items":[]}`}}}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(m.responder)
		c, err := New(Config{BaseURL: testBase, PublicKey: testPublic, Secret: testSecret},
			httpx.WithHTTPClient(&http.Client{Transport: mt}))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var at []time.Duration
		for range 70 {
			if err := c.Get(context.Background(), "productqueries/", url.Values{"skunumber": {"1"}}, nil); err != nil {
				t.Fatal(err)
			}
			at = append(at, time.Since(start))
		}
		for i := range at {
			n := 0
			for j := i; j < len(at) && at[j]-at[i] < time.Minute; j++ {
				n++
			}
			if n > 30 {
				t.Fatalf("%d product queries within a minute from request %d, limit 30", n, i)
			}
		}
		// Reads have their own, larger bucket: 10 reads go at once.
		before := time.Now()
		for range 10 {
			if err := c.Get(context.Background(), "orders/", nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		if d := time.Since(before); d != 0 {
			t.Errorf("10 reads waited %v; the read bucket is separate from product queries", d)
		}
	})
}
