package ccvshop_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/connector"
)

const hookAddress = "https://hooks.example.nl/ccv/status"

func TestWebhookHandlerFailsClosed(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "delivery_status.json"))
	if err != nil {
		t.Fatal(err)
	}
	key := connector.Secret("5f2b9c0e1d7a4c3b8e6f")
	var got []ccvshop.WebhookDelivery
	h, err := ccvshop.NewWebhookHandler(ccvshop.WebhookHandlerConfig{Address: hookAddress, Key: key,
		Event: ccvshop.EventOrderStatusChanged, MaxBody: 4096},
		func(_ context.Context, d ccvshop.WebhookDelivery) error {
			if d.ID == 13 {
				return errors.New("database down")
			}
			got = append(got, d)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	good := ccvshop.WebhookSignature(key, hookAddress, body)
	tests := []struct {
		name, method, body, hash string
		want                     int
	}{
		{"valid", "POST", string(body), good, 200},
		{"valid, upper-case hex", "POST", string(body), strings.ToUpper(good), 200},
		{"missing signature", "POST", string(body), "", 401},
		{"signature of another body", "POST", strings.Replace(string(body), `"status":5`, `"status":8`, 1), good, 401},
		{"signature with another key", "POST", string(body), ccvshop.WebhookSignature("other", hookAddress, body), 401},
		{"signature for another address", "POST", string(body), ccvshop.WebhookSignature(key, "https://evil.example/", body), 401},
		{"not hex", "POST", string(body), "zz" + good[2:], 401},
		{"GET", "GET", "", "", 405},
		{"too large", "POST", strings.Repeat(" ", 5000), "", 413},
		{"signed but not JSON", "POST", "status=5", ccvshop.WebhookSignature(key, hookAddress, []byte("status=5")), 400},
		{"signed but names nothing", "POST", `{"status":5}`, ccvshop.WebhookSignature(key, hookAddress, []byte(`{"status":5}`)), 400},
		{"handler fails", "POST", `{"id":13}`, ccvshop.WebhookSignature(key, hookAddress, []byte(`{"id":13}`)), 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(got)
			req := httptest.NewRequest(tt.method, "http://internal:8080/ccv/status", strings.NewReader(tt.body))
			if tt.hash != "" {
				req.Header.Set("x-hash", tt.hash)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
			if tt.want != 200 && len(got) != before {
				t.Error("a rejected delivery reached the handler")
			}
			if strings.Contains(w.Body.String(), "jantje") || strings.Contains(w.Body.String(), "database") {
				t.Errorf("answer leaks details: %s", w.Body)
			}
		})
	}
	if len(got) != 2 || got[0].ID != 339323562 || got[0].Status != 5 || got[0].PreviousStatus != 1 ||
		got[0].Event != ccvshop.EventOrderStatusChanged || len(got[0].Raw) == 0 {
		t.Errorf("deliveries: %+v", got)
	}
	for _, cfg := range []ccvshop.WebhookHandlerConfig{{Key: key}, {Address: hookAddress}} {
		if _, err := ccvshop.NewWebhookHandler(cfg, func(context.Context, ccvshop.WebhookDelivery) error { return nil }); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
	if _, err := ccvshop.NewWebhookHandler(ccvshop.WebhookHandlerConfig{Address: hookAddress, Key: key}, nil); err == nil {
		t.Error("nil handle accepted")
	}
}

// End to end: register a webhook in the fake shop, change an order's
// status through the API, and receive the signed delivery.
func TestWebhookDeliveredByFake(t *testing.T) {
	srv, c, conn := newShop(t, ccvshop.WithLimiter(nil))
	var (
		mu   sync.Mutex
		seen []ccvshop.WebhookDelivery
		h    http.Handler
	)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer receiver.Close()
	ctx := context.Background()
	hook, err := c.Webhooks.Create(ctx, &ccvshop.WebhookInput{Event: ccvshop.EventOrderStatusChanged, Address: receiver.URL + "/ccv"})
	if err != nil {
		t.Fatal(err)
	}
	h, err = ccvshop.NewWebhookHandler(ccvshop.WebhookHandlerConfig{Address: hook.Address, Key: connector.Secret(hook.Key.Reveal()),
		Event: hook.Event}, func(_ context.Context, d ccvshop.WebhookDelivery) error {
		mu.Lock()
		seen = append(seen, d)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	o := srv.AddOrder(ccvshop.Order{Customer: &ccvshop.PersonalInfo{Email: "k@example.nl"}})
	if err := conn.SetOrderStatus(ctx, o.ID.String(), connector.StatusShipped); err != nil {
		t.Fatal(err)
	}
	srv.FlushWebhooks()
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0].ID != o.ID || seen[0].Status != ccvshop.StatusSent || seen[0].PreviousStatus != ccvshop.StatusNew {
		t.Fatalf("deliveries: %+v\n%+v", seen, srv.Deliveries())
	}
	if ds := srv.Deliveries(); len(ds) != 1 || ds[0].Status != 200 {
		t.Errorf("fake's delivery log: %+v", ds)
	}
}
