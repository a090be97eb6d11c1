package flow

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tradelink/tradelink/connector"
)

// EventKind names a step of a flow.
type EventKind string

// Steps a flow reports.
const (
	EventRunStarted      EventKind = "run_started"
	EventRunFinished     EventKind = "run_finished"
	EventFetched         EventKind = "fetched"
	EventFiltered        EventKind = "filtered"
	EventCustomerFound   EventKind = "customer_found"
	EventCustomerCreated EventKind = "customer_created"
	EventCustomerUpdated EventKind = "customer_updated"
	EventSKUMissing      EventKind = "sku_missing"
	EventProductCreated  EventKind = "product_created"
	EventCategoryCreated EventKind = "category_created"
	EventLookupMiss      EventKind = "lookup_miss"
	EventCreated         EventKind = "created"
	EventUpdated         EventKind = "updated"
	EventSkipped         EventKind = "skipped"
	EventFailed          EventKind = "failed"
	EventRetried         EventKind = "retried"
	EventRateLimited     EventKind = "rate_limited"
	EventRecovered       EventKind = "recovered"
	EventStatusWritten   EventKind = "status_written"
	EventAPICall         EventKind = "api_call"
)

// Event is one step of one record (an activity log line). Personal data in
// Customer is masked unless the flow was configured to reveal it.
type Event struct {
	Time     time.Time
	Flow     string
	Kind     EventKind
	Record   string
	SourceID string
	SinkID   string
	// Customer is the e-mail address or name involved, masked by default.
	Customer string
	Message  string
	Err      error
	// Wait is the backoff or rate-limit wait of retried/rate_limited events.
	Wait time.Duration
}

// Observer receives every event. It is called from the flow's worker
// goroutines and must be safe for concurrent use.
type Observer interface {
	Event(Event)
}

// ObserverFunc adapts a function to an [Observer].
type ObserverFunc func(Event)

// Event implements Observer.
func (f ObserverFunc) Event(e Event) { f(e) }

// emitter sends events to the observer and the logger.
type emitter struct {
	flow     string
	observer Observer
	log      *slog.Logger
	reveal   bool
	now      func() time.Time
}

func (em *emitter) emit(e Event) {
	if em.observer == nil && !em.log.Enabled(context.Background(), slog.LevelInfo) {
		return
	}
	e.Flow = em.flow
	if e.Time.IsZero() {
		e.Time = em.now()
	}
	if em.observer != nil {
		em.observer.Event(e)
	}
	level := slog.LevelInfo
	switch e.Kind {
	case EventFailed:
		level = slog.LevelError
	case EventSKUMissing, EventLookupMiss, EventRetried, EventRateLimited:
		level = slog.LevelWarn
	case EventFetched, EventAPICall:
		level = slog.LevelDebug
	}
	attrs := []slog.Attr{slog.String("flow", e.Flow), slog.String("event", string(e.Kind))}
	if e.Record != "" {
		attrs = append(attrs, slog.String("record", e.Record))
	}
	if e.SourceID != "" {
		attrs = append(attrs, slog.String("source_id", e.SourceID))
	}
	if e.SinkID != "" {
		attrs = append(attrs, slog.String("sink_id", e.SinkID))
	}
	if e.Customer != "" {
		attrs = append(attrs, slog.String("customer", e.Customer))
	}
	if e.Wait > 0 {
		attrs = append(attrs, slog.Duration("wait", e.Wait))
	}
	if e.Err != nil {
		attrs = append(attrs, slog.String("error", e.Err.Error()))
	}
	msg := e.Message
	if msg == "" {
		msg = string(e.Kind)
	}
	em.log.LogAttrs(context.Background(), level, msg, attrs...)
}

// person returns how a customer appears in events: masked unless revealed.
func (em *emitter) person(c connector.Customer) string {
	if em.reveal {
		if c.Email != "" {
			return c.Email
		}
		return c.DisplayName()
	}
	if c.Email != "" {
		return MaskEmail(c.Email)
	}
	return MaskName(c.DisplayName())
}

// MaskEmail masks an e-mail address for logs: "jan.jansen@example.nl"
// becomes "j***@e***.nl".
func MaskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok {
		return MaskName(email)
	}
	tld := ""
	if i := strings.LastIndexByte(domain, '.'); i > 0 {
		tld = domain[i:]
		domain = domain[:i]
	}
	return firstRune(local) + "***@" + firstRune(domain) + "***" + tld
}

// MaskName masks each word of a name or street: "Jan de Vries" becomes
// "J*** d*** V***".
func MaskName(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		f[i] = firstRune(w) + "***"
	}
	return strings.Join(f, " ")
}

func firstRune(s string) string {
	if s == "" {
		return ""
	}
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

// CallObserver returns a connector.CallObserver that turns a client's call
// events into flow events: retries and rate-limit waits become
// [EventRetried] and [EventRateLimited], every attempt an [EventAPICall].
// Pass it to a client's WithObserver option to see them in the activity
// log and count API calls.
func CallObserver(flowName string, o Observer) connector.CallObserver {
	return func(ce connector.CallEvent) {
		e := Event{Time: time.Now(), Flow: flowName, Err: ce.Err, Wait: ce.Wait,
			Message: ce.System + " " + ce.Method + " " + ce.Path}
		switch ce.Kind {
		case connector.CallRetry:
			e.Kind = EventRetried
		case connector.CallRateLimited:
			e.Kind = EventRateLimited
		case connector.CallAttempt:
			e.Kind = EventAPICall
		default:
			return
		}
		o.Event(e)
	}
}
