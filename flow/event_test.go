package flow_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
)

// CallObserver turns a client's call events into flow events: retries and
// rate-limit waits (with their wait and error) and one event per attempt.
func TestCallObserver(t *testing.T) {
	var got []flow.Event
	obs := flow.CallObserver("orders shop->books", flow.ObserverFunc(func(e flow.Event) { got = append(got, e) }))
	cause := errors.New("503")
	obs(connector.CallEvent{Kind: connector.CallRetry, System: "books", Method: "POST", Path: "/orders", Wait: 2 * time.Second, Err: cause})
	obs(connector.CallEvent{Kind: connector.CallRateLimited, System: "books", Method: "GET", Path: "/orders", Wait: time.Second})
	obs(connector.CallEvent{Kind: connector.CallAttempt, System: "books", Method: "GET", Path: "/orders"})
	obs(connector.CallEvent{Kind: 0}) // unknown kinds are dropped
	want := []flow.EventKind{flow.EventRetried, flow.EventRateLimited, flow.EventAPICall}
	if len(got) != len(want) {
		t.Fatalf("events = %+v", got)
	}
	for i, k := range want {
		if got[i].Kind != k || got[i].Flow != "orders shop->books" || got[i].Message == "" {
			t.Errorf("event %d = %+v, want kind %s", i, got[i], k)
		}
	}
	if got[0].Wait != 2*time.Second || !errors.Is(got[0].Err, cause) || got[1].Wait != time.Second {
		t.Errorf("wait or cause lost: %+v", got[:2])
	}
}
