package flow_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/flow/flowtest"
	"github.com/tradelink/tradelink/mapping"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// shopOrder builds a realistic source order.
func shopOrder(n int, email string, company string, paid bool, status connector.OrderStatus, skus ...string) connector.Order {
	if len(skus) == 0 {
		skus = []string{"MUG-1"}
	}
	addr := connector.Address{Street: "Hoofdstraat", HouseNumber: fmt.Sprint(len(email)%90 + 1), PostalCode: "1011AB", City: "Amsterdam", Country: "NL", CompanyName: company}
	o := connector.Order{
		Number: fmt.Sprint(1000 + n), Status: status, Paid: paid, Currency: "EUR", PricesIncludeTax: true,
		CreatedAt: t0.Add(time.Duration(n) * time.Minute), UpdatedAt: t0.Add(time.Duration(n) * time.Minute),
		Customer:       connector.Customer{Email: email, FirstName: "Jan", LastName: lastName(email), CompanyName: company, Phone: "0201234567"},
		BillingAddress: addr, ShippingAddress: addr,
		ShippingMethod: "postnl", ShippingCost: dec("4.95"), ShippingTaxRate: dec("21"), PaymentMethod: "ideal",
	}
	for i, sku := range skus {
		o.Lines = append(o.Lines, connector.OrderLine{SKU: sku, Name: "Item " + sku, Quantity: decimal.NewFromInt(int64(i + 1)),
			UnitPrice: dec("12.10"), TaxRate: dec("21"), Total: dec("12.10").Mul(decimal.NewFromInt(int64(i + 1)))})
	}
	return o
}

// lastName gives every e-mail address its own stable surname, so a repeat
// customer looks the same on every order.
func lastName(email string) string {
	local, _, _ := strings.Cut(email, "@")
	return "Klant-" + local
}

type pair struct {
	shop, books *flowtest.System
	store       flow.Store
}

func newPair() *pair {
	p := &pair{shop: flowtest.New("shop"), books: flowtest.New("books"), store: flow.NewMemoryStore()}
	for _, sku := range []string{"MUG-1", "TEA-1", "PAN-1"} {
		p.books.AddProduct(connector.Product{SKU: sku, Name: sku, Price: dec("10"), Currency: "EUR"})
	}
	return p
}

func (p *pair) orders(t *testing.T, cfg flow.OrderConfig) *flow.OrderFlow {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = p.store
	}
	cfg.Retry.Backoff = time.Millisecond
	f, err := flow.NewOrders(p.shop, p.books, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func run(t *testing.T, f interface {
	Run(context.Context) (*flow.Report, error)
}) *flow.Report {
	t.Helper()
	rep, err := f.Run(t.Context())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func counts(r *flow.Report) string {
	return fmt.Sprintf("created %d updated %d skipped %d failed %d",
		r.Count(flow.Created), r.Count(flow.Updated), r.Count(flow.Skipped), r.Count(flow.Failed))
}

func TestOrderFlowCreatesOncePerOrderAndCustomer(t *testing.T) {
	p := newPair()
	p.shop.AddOrder(shopOrder(1, "anna@example.nl", "", true, connector.StatusProcessing, "MUG-1", "TEA-1"))
	p.shop.AddOrder(shopOrder(2, "ANNA@example.nl", "", true, connector.StatusProcessing))
	p.shop.AddOrder(shopOrder(3, "inkoop@bakkerij.nl", "Bakkerij de Boer BV", true, connector.StatusProcessing, "PAN-1"))
	f := p.orders(t, flow.OrderConfig{Kind: connector.KindInvoice})
	rep := run(t, f)
	if got := counts(rep); got != "created 3 updated 0 skipped 0 failed 0" {
		t.Fatalf("first run: %s\n%v", got, rep.Failures())
	}
	docs := p.books.Documents(connector.KindInvoice)
	if len(docs) != 3 {
		t.Fatalf("invoices = %d", len(docs))
	}
	custs := p.books.CustomerList()
	if len(custs) != 2 {
		t.Fatalf("customers = %d, want 2 (anna once, the bakery once)", len(custs))
	}
	var company connector.Customer
	for _, c := range custs {
		if c.IsCompany() {
			company = c
		}
	}
	if company.CompanyName != "Bakkerij de Boer BV" || company.FullName() == "" {
		t.Errorf("company debtor with contact expected, got %+v", company)
	}
	for _, d := range docs {
		if d.Customer.ID == "" || d.ExternalRef == "" {
			t.Errorf("invoice %s lacks customer or reference: %+v", d.ID, d)
		}
		for _, l := range d.Lines {
			if l.ProductID == "" {
				t.Errorf("invoice %s line %s has no product ID", d.ID, l.SKU)
			}
		}
	}
	// Re-run: everything is skipped, nothing is written.
	p.books.ResetCalls()
	rep = run(t, p.orders(t, flow.OrderConfig{Kind: connector.KindInvoice}))
	if p.books.Writes() != 0 {
		t.Errorf("re-run wrote %d times", p.books.Writes())
	}
	if len(rep.Entries) != 0 && rep.Count(flow.Skipped) != len(rep.Entries) {
		t.Errorf("re-run: %s", counts(rep))
	}
}

func TestOrderFlowFilters(t *testing.T) {
	p := newPair()
	p.shop.AddOrder(shopOrder(1, "a@example.nl", "", true, connector.StatusProcessing))
	p.shop.AddOrder(shopOrder(2, "b@example.nl", "", false, connector.StatusAwaitingPayment))
	p.shop.AddOrder(shopOrder(3, "c@example.nl", "", true, connector.StatusCancelled))
	big := shopOrder(4, "d@example.nl", "", true, connector.StatusProcessing)
	big.Lines[0].Quantity = dec("50")
	p.shop.AddOrder(big)
	m := mapping.Default(mapping.EntityOrder)
	m.Filters = []string{`Order.ShippingAddress.Country == "NL"`, `len(Order.Lines) > 0 && Order.Lines[0].Quantity < 10`}
	rep := run(t, p.orders(t, flow.OrderConfig{
		Statuses: []connector.OrderStatus{connector.StatusProcessing, connector.StatusAwaitingPayment},
		PaidOnly: true, Mapping: m,
	}))
	want := map[string]string{
		`order "1001"`: "created", `order "1002"`: "filtered: not paid",
		`order "1004"`: "filtered by mapping",
	}
	got := map[string]string{}
	for _, e := range rep.Entries {
		if e.Outcome == flow.Created {
			got[e.Record] = "created"
		} else {
			got[e.Record] = e.Reason
		}
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if _, ok := got[`order "1003"`]; ok && got[`order "1003"`] != "filtered: status cancelled" {
		t.Errorf("cancelled order: %q", got[`order "1003"`])
	}
	if n := len(p.books.Documents(connector.KindOrder)); n != 1 {
		t.Errorf("orders in sink = %d, want 1", n)
	}
}

func TestOrderFlowSkipsWhatTheSinkHas(t *testing.T) {
	p := newPair()
	src := p.shop.AddOrder(shopOrder(1, "a@example.nl", "", true, connector.StatusProcessing))
	c := p.books.AddCustomer(connector.Customer{Email: "a@example.nl"})
	existing, err := p.books.CreateOrder(t.Context(), connector.KindOrder, connector.Order{Number: "X1", ExternalRef: "1001",
		Customer: c, Lines: []connector.OrderLine{{SKU: "MUG-1", Quantity: dec("1")}}})
	if err != nil {
		t.Fatal(err)
	}
	p.books.ResetCalls()
	rep := run(t, p.orders(t, flow.OrderConfig{}))
	if len(rep.Entries) != 1 || rep.Entries[0].Reason != "exists in sink" || rep.Entries[0].SinkID != existing.ID {
		t.Fatalf("entries: %+v", rep.Entries)
	}
	if p.books.Writes() != 0 {
		t.Error("wrote although the sink had the order")
	}
	if id, ok, _ := p.store.Link(t.Context(), "orders/shop->books/order", src.ID); !ok || id != existing.ID {
		t.Errorf("link not recorded: %q %v", id, ok)
	}
}

func TestOrderFlowUpdatesCustomerOnlyWhenChanged(t *testing.T) {
	p := newPair()
	o := shopOrder(1, "anna@example.nl", "", true, connector.StatusProcessing)
	p.shop.AddOrder(o)
	// The sink knows Anna with an old phone number and a field the mapping
	// does not own.
	old := p.books.AddCustomer(connector.Customer{Email: "anna@example.nl", FirstName: "Jan", LastName: lastName("anna@example.nl"),
		Phone: "0000", BillingAddress: o.BillingAddress, ShippingAddress: o.ShippingAddress, Number: "D-77", Active: true, Currency: "EUR"})
	run(t, p.orders(t, flow.OrderConfig{}))
	c := p.books.CustomerList()[0]
	if c.ID != old.ID || len(p.books.CustomerList()) != 1 {
		t.Fatalf("customer duplicated: %+v", p.books.CustomerList())
	}
	if c.Phone != "0201234567" {
		t.Errorf("phone not updated: %q", c.Phone)
	}
	if c.Number != "D-77" {
		t.Errorf("enriched field overwritten: number %q", c.Number)
	}
	if got := p.books.Calls()[flowtest.OpUpdateCustomer]; got != 1 {
		t.Errorf("updates = %d", got)
	}
	// A later order of the same, now unchanged, customer writes no update.
	o2 := shopOrder(1, "anna@example.nl", "", true, connector.StatusProcessing)
	o2.Number, o2.UpdatedAt = "2001", t0.Add(time.Hour)
	p.shop.AddOrder(o2)
	p.books.ResetCalls()
	run(t, p.orders(t, flow.OrderConfig{}))
	if got := p.books.Calls()[flowtest.OpUpdateCustomer]; got != 0 {
		t.Errorf("unchanged customer updated %d times", got)
	}
	// A later order with a new phone number updates the customer once.
	o3 := shopOrder(1, "anna@example.nl", "", true, connector.StatusProcessing)
	o3.Number, o3.UpdatedAt, o3.Customer.Phone = "3001", t0.Add(2*time.Hour), "0687654321"
	p.shop.AddOrder(o3)
	p.books.ResetCalls()
	run(t, p.orders(t, flow.OrderConfig{}))
	if got := p.books.Calls()[flowtest.OpUpdateCustomer]; got != 1 {
		t.Errorf("changed customer updated %d times, want 1", got)
	}
	if c := p.books.CustomerList()[0]; c.Phone != "0687654321" {
		t.Errorf("phone = %q", c.Phone)
	}
}

func TestOrderFlowDefaultDebtor(t *testing.T) {
	p := newPair()
	cash := p.books.AddCustomer(connector.Customer{CompanyName: "Kassaverkopen"})
	anon := shopOrder(1, "", "", true, connector.StatusCompleted)
	anon.Customer = connector.Customer{}
	p.shop.AddOrder(anon)
	p.shop.AddOrder(shopOrder(2, "x@example.nl", "", true, connector.StatusCompleted))
	p.books.ResetCalls()
	rep := run(t, p.orders(t, flow.OrderConfig{DefaultDebtor: cash.ID}))
	if rep.Count(flow.Created) != 2 {
		t.Fatalf("%s %v", counts(rep), rep.Failures())
	}
	calls := p.books.Calls()
	if calls[flowtest.OpFindCustomerByEmail]+calls[flowtest.OpCreateCustomer] != 0 {
		t.Errorf("customer calls with a default debtor: %v", calls)
	}
	for _, d := range p.books.Documents(connector.KindOrder) {
		if d.Customer.ID != cash.ID {
			t.Errorf("order on %q", d.Customer.ID)
		}
	}
	// Without a default debtor, an order without e-mail fails naming the field.
	p2 := newPair()
	p2.shop.AddOrder(anon)
	rep = run(t, p2.orders(t, flow.OrderConfig{}))
	var ve *connector.ValidationError
	if f := rep.Failures(); len(f) != 1 || !errors.As(f[0].Err, &ve) || ve.Field != "Customer.Email" {
		t.Errorf("failures: %+v", rep.Failures())
	}
}

func TestOrderFlowMissingSKU(t *testing.T) {
	p := newPair()
	p.shop.AddOrder(shopOrder(1, "a@example.nl", "", true, connector.StatusProcessing, "MUG-1", "NEW-9"))
	p.shop.AddOrder(shopOrder(2, "b@example.nl", "", true, connector.StatusProcessing, "NEW-9"))
	var events []flow.Event
	var mu sync.Mutex
	rep := run(t, p.orders(t, flow.OrderConfig{Options: flow.Options{Observer: flow.ObserverFunc(func(e flow.Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	})}}))
	if rep.Count(flow.Failed) != 2 {
		t.Fatalf("%s", counts(rep))
	}
	var ve *connector.ValidationError
	if !errors.As(rep.Entries[0].Err, &ve) || ve.Field != "Lines[1].SKU" || ve.Value != "NEW-9" || ve.Record != `order "1001"` {
		t.Errorf("error = %v", rep.Entries[0].Err)
	}
	if got := p.books.Calls()[flowtest.OpFindProductBySKU]; got != 2 {
		t.Errorf("SKU look-ups = %d, want 2 (cached for the run)", got)
	}
	missing := 0
	for _, e := range events {
		if e.Kind == flow.EventSKUMissing {
			missing++
		}
	}
	if missing != 1 {
		t.Errorf("sku_missing events = %d", missing)
	}
	// With CreateMissingProducts the product is created first; the failed
	// orders are retried on the next run.
	rep = run(t, p.orders(t, flow.OrderConfig{CreateMissingProducts: true}))
	if rep.Count(flow.Created) != 2 {
		t.Fatalf("retry run: %s %v", counts(rep), rep.Failures())
	}
	if _, err := p.books.FindProductBySKU(t.Context(), "NEW-9"); err != nil {
		t.Errorf("product not created: %v", err)
	}
	if got := p.books.Calls()[flowtest.OpCreateProduct]; got != 1 {
		t.Errorf("products created %d times", got)
	}
}

func TestOrderFlowKindsAndStatusWriteBack(t *testing.T) {
	for _, kind := range []connector.OrderKind{connector.KindOrder, connector.KindInvoice, connector.KindQuote, connector.KindDraft} {
		t.Run(string(kind), func(t *testing.T) {
			p := newPair()
			src := p.shop.AddOrder(shopOrder(1, "a@example.nl", "", true, connector.StatusNew))
			run(t, p.orders(t, flow.OrderConfig{Kind: kind, StatusWriteBack: connector.StatusProcessing}))
			if n := len(p.books.Documents(kind)); n != 1 {
				t.Errorf("%s documents = %d", kind, n)
			}
			got := p.shop.Documents(connector.KindOrder)
			if len(got) != 1 || got[0].ID != src.ID || got[0].Status != connector.StatusProcessing {
				t.Errorf("status not written back: %+v", got)
			}
		})
	}
}

// failingLinks loses every link write: the process "dies" between the
// sink's confirmation and the link.
type failingLinks struct{ flow.Store }

func (failingLinks) SetLink(context.Context, string, string, string) error {
	return errors.New("disk full")
}

func TestCrashBetweenWriteAndLink(t *testing.T) {
	p := newPair()
	for i := range 5 {
		p.shop.AddOrder(shopOrder(i, fmt.Sprintf("c%d@example.nl", i), "", true, connector.StatusProcessing))
	}
	rep, _ := p.orders(t, flow.OrderConfig{Options: flow.Options{Store: failingLinks{p.store}, StopWindow: flow.StopWindow{Disabled: true}}}).Run(t.Context())
	if rep.Count(flow.Failed) != 5 || len(p.books.Documents(connector.KindOrder)) != 5 {
		t.Fatalf("first run: %s, %d in sink", counts(rep), len(p.books.Documents(connector.KindOrder)))
	}
	rep = run(t, p.orders(t, flow.OrderConfig{}))
	if n := len(p.books.Documents(connector.KindOrder)); n != 5 {
		t.Errorf("after the second run the sink has %d orders, want 5 (no duplicates)", n)
	}
	for _, e := range rep.Entries {
		if e.Reason != "exists in sink" {
			t.Errorf("%s: %s %s", e.Record, e.Outcome, e.Reason)
		}
	}
}

func TestOutcomeUnknownIsRecoveredByLookup(t *testing.T) {
	p := newPair()
	p.shop.AddOrder(shopOrder(1, "a@example.nl", "", true, connector.StatusProcessing))
	p.books.Inject(flowtest.Fault{Op: flowtest.OpCreateOrder, AfterCommit: true})
	p.books.Inject(flowtest.Fault{Op: flowtest.OpCreateCustomer, AfterCommit: true})
	rep := run(t, p.orders(t, flow.OrderConfig{}))
	if rep.Count(flow.Created) != 1 || !strings.Contains(rep.Entries[0].Reason, "recovered") {
		t.Fatalf("%s: %+v", counts(rep), rep.Entries)
	}
	if n := len(p.books.Documents(connector.KindOrder)); n != 1 {
		t.Errorf("orders = %d", n)
	}
	if n := len(p.books.CustomerList()); n != 1 {
		t.Errorf("customers = %d", n)
	}
}

func TestThousandOrdersWithTransientFaults(t *testing.T) {
	p := newPair()
	const n = 1000
	for i := range n {
		// 200 customers: most orders come from a repeat customer.
		company := ""
		if i%7 == 0 {
			company = fmt.Sprintf("Firma %d BV", i%200)
		}
		p.shop.AddOrder(shopOrder(i, fmt.Sprintf("klant%d@example.nl", i%200), company, true, connector.StatusProcessing, "MUG-1", "TEA-1"))
	}
	p.books.Seed(7, 11)
	// 20 % of every sink call fails: half before the write, half after it
	// was applied (the answer is lost).
	p.books.Inject(flowtest.Fault{Rate: 0.1})
	p.books.Inject(flowtest.Fault{Rate: 0.1 / 0.9, AfterCommit: true})
	seen := map[string]bool{}
	for runNo := 1; runNo <= 3; runNo++ {
		rep, err := p.orders(t, flow.OrderConfig{Options: flow.Options{StopWindow: flow.StopWindow{Disabled: true}, Concurrency: 8}}).Run(t.Context())
		if err != nil {
			t.Fatalf("run %d: %v", runNo, err)
		}
		for _, e := range rep.Entries {
			if e.Outcome != flow.Failed {
				seen[e.SourceID] = true
			}
			if e.Outcome == "" || e.SourceID == "" {
				t.Fatalf("entry without outcome or source: %+v", e)
			}
		}
		t.Logf("run %d: %s", runNo, counts(rep))
		for i, f := range rep.Failures() {
			if i < 6 {
				t.Logf("  %s: %v", f.Record, f.Err)
			}
		}
		if len(seen) == n {
			break
		}
	}
	if len(seen) != n {
		t.Errorf("after three runs %d of %d orders are done", len(seen), n)
	}
	p.books.ClearFaults()
	refs := map[string]int{}
	for _, d := range p.books.Documents(connector.KindOrder) {
		refs[d.ExternalRef]++
	}
	if len(refs) != n {
		t.Errorf("sink has %d distinct orders, want %d", len(refs), n)
	}
	for ref, c := range refs {
		if c != 1 {
			t.Errorf("order %s is in the sink %d times", ref, c)
		}
	}
	emails := map[string]int{}
	for _, c := range p.books.CustomerList() {
		emails[strings.ToLower(c.Email)]++
	}
	for e, c := range emails {
		if c != 1 {
			t.Errorf("customer %s created %d times", e, c)
		}
	}
	if len(emails) != 200 {
		t.Errorf("customers = %d, want 200", len(emails))
	}
}

func TestIncrementalCursorWithTies(t *testing.T) {
	p := newPair()
	for i := range 3 {
		o := shopOrder(i, "a@example.nl", "", true, connector.StatusProcessing)
		o.UpdatedAt = t0 // all three tie
		p.shop.AddOrder(o)
	}
	rep := run(t, p.orders(t, flow.OrderConfig{}))
	if rep.Count(flow.Created) != 3 {
		t.Fatal(counts(rep))
	}
	cur, _ := p.store.Cursor(t.Context(), "orders/shop->books")
	if !cur.Time.Equal(t0) || len(cur.Ties) != 3 {
		t.Errorf("cursor = %+v", cur)
	}
	// A fourth order at the same instant and a fifth later.
	o := shopOrder(3, "b@example.nl", "", true, connector.StatusProcessing)
	o.UpdatedAt = t0
	p.shop.AddOrder(o)
	p.shop.AddOrder(shopOrder(9, "c@example.nl", "", true, connector.StatusProcessing))
	p.books.ResetCalls()
	rep = run(t, p.orders(t, flow.OrderConfig{}))
	if len(rep.Entries) != 2 || rep.Count(flow.Created) != 2 {
		t.Errorf("second run saw %d entries (%s), want only the 2 new orders", len(rep.Entries), counts(rep))
	}
	// The two new orders are looked up in one batch; the tied ones not at all.
	if c := p.books.Calls(); c[flowtest.OpFindOrdersByRef] != 1 || c[flowtest.OpFindOrderByRef] != 0 {
		t.Errorf("look-ups = %v: the tied orders were processed again", c)
	}
}

func TestFailedRecordIsRetriedAfterTheCursorPassedIt(t *testing.T) {
	p := newPair()
	p.shop.AddOrder(shopOrder(1, "a@example.nl", "", true, connector.StatusProcessing, "NEW-1"))
	p.shop.AddOrder(shopOrder(2, "b@example.nl", "", true, connector.StatusProcessing))
	rep := run(t, p.orders(t, flow.OrderConfig{}))
	if counts(rep) != "created 1 updated 0 skipped 0 failed 1" {
		t.Fatal(counts(rep))
	}
	p.books.AddProduct(connector.Product{SKU: "NEW-1", Name: "New"})
	rep = run(t, p.orders(t, flow.OrderConfig{}))
	if len(rep.Entries) != 1 || rep.Entries[0].Outcome != flow.Created || rep.Entries[0].Record != `order "1001"` {
		t.Errorf("retry run: %+v", rep.Entries)
	}
	if rs, _ := p.store.Retries(t.Context(), "orders/shop->books"); len(rs) != 0 {
		t.Errorf("retries left: %+v", rs)
	}
}

func TestStopWindowAbortsRun(t *testing.T) {
	p := newPair()
	for i := range 30 {
		p.shop.AddOrder(shopOrder(i, fmt.Sprintf("c%d@example.nl", i), "", true, connector.StatusProcessing))
	}
	unauthorized := &connector.APIError{System: "books", StatusCode: 401, Message: "token revoked"}
	p.books.Inject(flowtest.Fault{Err: unauthorized, Times: -1}) // every call of the sink
	rep, err := p.orders(t, flow.OrderConfig{Options: flow.Options{StopWindow: flow.StopWindow{Failures: 3, Window: 5}, Concurrency: 1}}).Run(t.Context())
	if !errors.Is(err, flow.ErrStopWindow) || !strings.Contains(err.Error(), "token revoked") {
		t.Fatalf("err = %v", err)
	}
	if rep.Aborted == nil || len(rep.Entries) >= 30 {
		t.Errorf("run went on: %d entries", len(rep.Entries))
	}
	// Nothing is lost: once the credential works, every order syncs.
	p.books.ClearFaults()
	rep = run(t, p.orders(t, flow.OrderConfig{}))
	if n := len(p.books.Documents(connector.KindOrder)); n != 30 {
		t.Errorf("after recovery %d orders in sink: %s", n, counts(rep))
	}
}

func TestCancelStopsCleanlyAndResumes(t *testing.T) {
	p := newPair()
	for i := range 40 {
		p.shop.AddOrder(shopOrder(i, fmt.Sprintf("c%d@example.nl", i), "", true, connector.StatusProcessing))
	}
	ctx, cancel := context.WithCancel(t.Context())
	created := 0
	var mu sync.Mutex
	f := p.orders(t, flow.OrderConfig{Options: flow.Options{Concurrency: 3, Observer: flow.ObserverFunc(func(e flow.Event) {
		if e.Kind == flow.EventCreated {
			mu.Lock()
			created++
			if created == 10 {
				cancel()
			}
			mu.Unlock()
		}
	})}})
	rep, err := f.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if len(p.books.Documents(connector.KindOrder)) >= 40 {
		t.Fatal("the run did not stop")
	}
	_ = rep
	rep = run(t, p.orders(t, flow.OrderConfig{}))
	refs := map[string]int{}
	for _, d := range p.books.Documents(connector.KindOrder) {
		refs[d.ExternalRef]++
	}
	if len(refs) != 40 {
		t.Errorf("after resuming %d distinct orders: %s", len(refs), counts(rep))
	}
	for r, c := range refs {
		if c != 1 {
			t.Errorf("%s written %d times", r, c)
		}
	}
}

func TestPlanWritesNothing(t *testing.T) {
	p := newPair()
	p.shop.AddOrder(shopOrder(1, "a@example.nl", "", true, connector.StatusProcessing, "MUG-1", "NEW-1"))
	p.shop.AddOrder(shopOrder(2, "b@example.nl", "", true, connector.StatusProcessing))
	p.books.ResetCalls()
	rep, err := p.orders(t, flow.OrderConfig{CreateMissingProducts: true}).Plan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || rep.Count(flow.Created) != 2 {
		t.Fatalf("plan: %s %v", counts(rep), rep.Failures())
	}
	if p.books.Writes() != 0 {
		t.Errorf("plan wrote %d times", p.books.Writes())
	}
	if !strings.Contains(rep.Entries[0].Diff(), "ExternalRef") || !strings.Contains(rep.Entries[0].Diff(), "1001") {
		t.Errorf("diff lacks the reference:\n%s", rep.Entries[0].Diff())
	}
	if c, _ := p.store.Cursor(t.Context(), "orders/shop->books"); !c.IsZero() {
		t.Errorf("plan moved the cursor: %+v", c)
	}
	if rep := run(t, p.orders(t, flow.OrderConfig{CreateMissingProducts: true})); rep.Count(flow.Created) != 2 {
		t.Errorf("run after plan: %s", counts(rep))
	}
}

func TestEventsMaskPersonalData(t *testing.T) {
	p := newPair()
	p.shop.AddOrder(shopOrder(1, "jan.jansen@example.nl", "", true, connector.StatusProcessing))
	var logs strings.Builder
	var kinds []flow.EventKind
	var mu sync.Mutex
	run(t, p.orders(t, flow.OrderConfig{Options: flow.Options{
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Observer: flow.ObserverFunc(func(e flow.Event) {
			mu.Lock()
			kinds = append(kinds, e.Kind)
			mu.Unlock()
			if strings.Contains(e.Customer, "jansen") {
				t.Errorf("unmasked e-mail in event: %q", e.Customer)
			}
		}),
	}}))
	out := logs.String()
	for _, secret := range []string{"jan.jansen", "Klant-", "Hoofdstraat"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "j***@e***.nl") {
		t.Errorf("masked e-mail missing:\n%s", out)
	}
	want := []flow.EventKind{flow.EventRunStarted, flow.EventFetched, flow.EventCustomerCreated, flow.EventCreated, flow.EventRunFinished}
	for _, k := range want {
		found := false
		for _, g := range kinds {
			found = found || g == k
		}
		if !found {
			t.Errorf("no %s event in %v", k, kinds)
		}
	}
}

func TestOrderFlowOnSQLiteSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	p := newPair()
	for i := range 4 {
		p.shop.AddOrder(shopOrder(i, "a@example.nl", "", true, connector.StatusProcessing))
	}
	for range 2 { // two processes, one after the other
		store, err := flow.OpenSQLite(path)
		if err != nil {
			t.Fatal(err)
		}
		run(t, p.orders(t, flow.OrderConfig{Options: flow.Options{Store: store}}))
		store.Close()
	}
	if n := len(p.books.Documents(connector.KindOrder)); n != 4 {
		t.Errorf("orders = %d", n)
	}
}

func TestNewOrdersRejectsBadConfig(t *testing.T) {
	p := newPair()
	bad := mapping.Default(mapping.EntityOrder).With(&mapping.Mapping{Rules: []mapping.Rule{{Field: "Currency", Expr: "Order.NoSuchField"}}})
	tests := []struct {
		name string
		cfg  flow.OrderConfig
		want string
	}{
		{"kind", flow.OrderConfig{Kind: "receipt"}, "unknown order kind"},
		{"status", flow.OrderConfig{Statuses: []connector.OrderStatus{"paid"}}, "unknown order status"},
		{"mapping", flow.OrderConfig{Mapping: bad}, "Currency"},
		{"write-back", flow.OrderConfig{StatusWriteBack: "done"}, "StatusWriteBack"},
	}
	for _, tt := range tests {
		_, err := flow.NewOrders(p.shop, p.books, tt.cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
}

// unsorted streams its orders in two passes (as a source reading one status
// after another does), so times go backwards between the passes.
type unsorted struct{ sys *flowtest.System }

func (u unsorted) System() string { return u.sys.System() }

func (u unsorted) Orders(ctx context.Context, q connector.OrderQuery) iter.Seq2[connector.Order, error] {
	return func(yield func(connector.Order, error) bool) {
		for _, paid := range []bool{true, false} {
			for o, err := range u.sys.Orders(ctx, q) {
				if err != nil {
					yield(o, err)
					return
				}
				if o.Paid == paid && !yield(o, nil) {
					return
				}
			}
		}
	}
}

func TestAbortedUnsortedStreamKeepsCursor(t *testing.T) {
	p := newPair()
	for i := range 10 {
		p.shop.AddOrder(shopOrder(i, fmt.Sprintf("c%d@example.nl", i), "", i%2 == 0, connector.StatusProcessing))
	}
	ctx, cancel := context.WithCancel(t.Context())
	n := 0
	f, err := flow.NewOrders(unsorted{p.shop}, p.books, flow.OrderConfig{Options: flow.Options{Store: p.store, Concurrency: 1,
		Observer: flow.ObserverFunc(func(e flow.Event) {
			if e.Kind == flow.EventCreated {
				if n++; n == 6 { // all paid ones and the first unpaid one
					cancel()
				}
			}
		})}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	rep := run(t, p.orders(t, flow.OrderConfig{}))
	if got := len(p.books.Documents(connector.KindOrder)); got != 10 {
		t.Errorf("after resuming %d of 10 orders are in the sink (%s)", got, counts(rep))
	}
}

// A source without change times (CCV Shop orders carry only a creation
// date): an order that is paid after it was first seen syncs thanks to
// Lookback, and the orders looked at again stay out of the report.
func TestLookbackCatchesOrdersPaidLater(t *testing.T) {
	for _, lookback := range []time.Duration{0, 48 * time.Hour} {
		t.Run(fmt.Sprint(lookback), func(t *testing.T) {
			p := newPair()
			paid := p.shop.AddOrder(shopOrder(1, "a@example.nl", "", true, connector.StatusProcessing))
			unpaid := p.shop.AddOrder(shopOrder(2, "b@example.nl", "", false, connector.StatusProcessing))
			cfg := flow.OrderConfig{PaidOnly: true, Options: flow.Options{Lookback: lookback}}
			rep := run(t, p.orders(t, cfg))
			if counts(rep) != "created 1 updated 0 skipped 1 failed 0" {
				t.Fatalf("first run: %s", counts(rep))
			}
			unpaid.Paid = true // paid later; the creation date does not change
			p.shop.UpdateOrder(unpaid)
			rep = run(t, p.orders(t, cfg))
			if lookback == 0 {
				if len(rep.Entries) != 0 || len(p.books.Documents(connector.KindOrder)) != 1 {
					t.Errorf("without lookback the late payment is not seen: %+v", rep.Entries)
				}
				return
			}
			if len(rep.Entries) != 1 || rep.Entries[0].SourceID != unpaid.ID || rep.Entries[0].Outcome != flow.Created {
				t.Errorf("second run entries: %+v (the synced order %s must not be reported again)", rep.Entries, paid.ID)
			}
			if n := len(p.books.Documents(connector.KindOrder)); n != 2 {
				t.Errorf("orders in sink = %d", n)
			}
			p.books.ResetCalls()
			rep = run(t, p.orders(t, cfg))
			if len(rep.Entries) != 0 || p.books.Writes() != 0 {
				t.Errorf("third run: %d entries, %d writes", len(rep.Entries), p.books.Writes())
			}
		})
	}
}

// A create that timed out without being applied yet, and lands later: the
// flow must not create again in the same run (the late write would double
// it); the next run finds the order by reference.
func TestUnknownOutcomeNotRecreatedInTheSameRun(t *testing.T) {
	p := newPair()
	p.shop.AddOrder(shopOrder(1, "a@example.nl", "", true, connector.StatusProcessing))
	lost := &connector.OutcomeUnknownError{System: "books", Method: "POST", Path: "/orders", Err: context.DeadlineExceeded}
	p.books.Inject(flowtest.Fault{Op: flowtest.OpCreateOrder, Err: lost}) // not applied (yet)
	rep := run(t, p.orders(t, flow.OrderConfig{}))
	if rep.Count(flow.Failed) != 1 || !errors.Is(rep.Entries[0].Err, connector.ErrOutcomeUnknown) {
		t.Fatalf("first run: %s %+v", counts(rep), rep.Entries)
	}
	if got := p.books.Calls()[flowtest.OpCreateOrder]; got != 1 {
		t.Errorf("created %d times in one run after an unknown outcome, want 1", got)
	}
	// The slow write lands after the run gave up.
	c := p.books.AddCustomer(connector.Customer{Email: "late@example.nl"})
	if _, err := p.books.CreateOrder(t.Context(), connector.KindOrder, connector.Order{Number: "L1", ExternalRef: "1001", Customer: c,
		Lines: []connector.OrderLine{{SKU: "MUG-1", Quantity: dec("1")}}}); err != nil {
		t.Fatal(err)
	}
	rep = run(t, p.orders(t, flow.OrderConfig{}))
	if len(rep.Entries) != 1 || rep.Entries[0].Reason != "exists in sink" {
		t.Errorf("second run: %+v", rep.Entries)
	}
	if n := len(p.books.Documents(connector.KindOrder)); n != 1 {
		t.Errorf("orders in sink = %d, want 1", n)
	}
}

// Orders are looked up by reference in batches where the sink can, and
// what the batch found is skipped without another call.
func TestOrderLookupsAreBatched(t *testing.T) {
	p := newPair()
	for i := range 45 {
		p.shop.AddOrder(shopOrder(i, fmt.Sprintf("c%d@example.nl", i%5), "", true, connector.StatusProcessing))
	}
	// Order 1003 is already in the sink (written by an earlier tool).
	c := p.books.AddCustomer(connector.Customer{Email: "x@example.nl"})
	if _, err := p.books.CreateOrder(t.Context(), connector.KindOrder, connector.Order{Number: "X", ExternalRef: "1003", Customer: c,
		Lines: []connector.OrderLine{{SKU: "MUG-1", Quantity: dec("1")}}}); err != nil {
		t.Fatal(err)
	}
	p.books.ResetCalls()
	rep := run(t, p.orders(t, flow.OrderConfig{}))
	if counts(rep) != "created 44 updated 0 skipped 1 failed 0" {
		t.Fatalf("%s", counts(rep))
	}
	calls := p.books.Calls()
	if calls[flowtest.OpFindOrdersByRef] != 3 || calls[flowtest.OpFindOrderByRef] != 0 {
		t.Errorf("look-ups: %v, want 3 batches of at most 20 and no single look-ups", calls)
	}
	// A failing batch look-up falls back to one look-up per order.
	p2 := newPair()
	for i := range 3 {
		p2.shop.AddOrder(shopOrder(i, "a@example.nl", "", true, connector.StatusProcessing))
	}
	p2.books.Inject(flowtest.Fault{Op: flowtest.OpFindOrdersByRef, Times: -1, Err: flowtest.ErrInjected})
	rep = run(t, p2.orders(t, flow.OrderConfig{}))
	if rep.Count(flow.Created) != 3 || p2.books.Calls()[flowtest.OpFindOrderByRef] != 3 {
		t.Errorf("fallback: %s, calls %v", counts(rep), p2.books.Calls())
	}
}
