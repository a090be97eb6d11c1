package flow_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/flow/flowtest"
	"github.com/tradelink/tradelink/mapping"
)

// An order flow from a shop to an accounting system, run twice: the second
// run finds everything synced.
func ExampleNewOrders() {
	ctx := context.Background()
	shop, books := flowtest.New("shop"), flowtest.New("books")
	books.AddProduct(connector.Product{SKU: "MUG-1", Name: "Mug"})
	for i, email := range []string{"anna@example.nl", "inkoop@bakkerij.example.nl", "anna@example.nl"} {
		shop.AddOrder(connector.Order{
			Number: fmt.Sprint(1001 + i), Status: connector.StatusProcessing, Paid: i != 1, Currency: "EUR",
			UpdatedAt: time.Date(2026, 11, 2, 9, i, 0, 0, time.UTC),
			Customer:  connector.Customer{Email: email, FirstName: "Anna", LastName: "Visser"},
			Lines: []connector.OrderLine{{SKU: "MUG-1", Quantity: decimal.NewFromInt(2),
				UnitPrice: decimal.RequireFromString("9.95"), TaxRate: decimal.NewFromInt(21)}},
		})
	}
	f, err := flow.NewOrders(shop, books, flow.OrderConfig{Kind: connector.KindInvoice, PaidOnly: true,
		Options: flow.Options{Store: flow.NewMemoryStore(), Concurrency: 1}})
	if err != nil {
		panic(err)
	}
	rep, _ := f.Run(ctx)
	for _, e := range rep.Entries {
		fmt.Println(e.Record, e.Outcome, e.Reason)
	}
	fmt.Println(rep.Summary())
	rep, _ = f.Run(ctx)
	fmt.Println(rep.Summary(), "writes:", books.Writes())
	// Output:
	// order "1001" created created invoice
	// order "1002" skipped filtered: not paid
	// order "1003" created created invoice
	// orders shop->books: 2 created, 0 updated, 1 skipped, 0 failed
	// orders shop->books: 0 created, 0 updated, 0 skipped, 0 failed writes: 3
}

// Plan reports what a run would write, with field-level diffs, and writes
// nothing.
func ExampleProductFlow_Plan() {
	shop, pos := flowtest.New("shop"), flowtest.New("pos")
	shop.AddProduct(connector.Product{SKU: "MUG-1", Name: "Mug", Price: decimal.RequireFromString("9.95"), Currency: "EUR"})
	pos.AddProduct(connector.Product{SKU: "MUG-1", Name: "Mug", Price: decimal.RequireFromString("8.95"), Currency: "EUR"})
	f, _ := flow.NewProducts(shop, pos, flow.ProductConfig{})
	rep, _ := f.Plan(context.Background())
	e := rep.Entries[0]
	fmt.Println(e.Record, e.Outcome, e.Reason, e.Fields(), "writes:", pos.Writes())
	// Output: product "MUG-1" updated would update [Price] writes: 0
}

// A custom filter and a value table in the mapping: only orders shipped to
// the Netherlands, with shop payment methods mapped to the sink's names.
func ExampleOrderConfig_mapping() {
	m := mapping.Default(mapping.EntityOrder).With(&mapping.Mapping{
		Filters: []string{`Order.ShippingAddress.Country == "NL"`},
		Tables:  mapping.Tables{PaymentMethods: map[string]string{"ideal": "iDEAL (Mollie)"}},
	})
	shop, books := flowtest.New("shop"), flowtest.New("books")
	books.AddProduct(connector.Product{SKU: "MUG-1", Name: "Mug"})
	for i, country := range []string{"NL", "BE"} {
		shop.AddOrder(connector.Order{Number: fmt.Sprint(7 + i), PaymentMethod: "ideal",
			Customer:        connector.Customer{Email: "x@example.nl"},
			ShippingAddress: connector.Address{Country: country},
			Lines:           []connector.OrderLine{{SKU: "MUG-1", Quantity: decimal.NewFromInt(1)}}})
	}
	f, err := flow.NewOrders(shop, books, flow.OrderConfig{Mapping: m, Options: flow.Options{Concurrency: 1}})
	if err != nil {
		panic(err)
	}
	rep, _ := f.Run(context.Background())
	fmt.Println(rep.Summary())
	fmt.Println(books.Documents(connector.KindOrder)[0].PaymentMethod)
	// Output:
	// orders shop->books: 1 created, 0 updated, 1 skipped, 0 failed
	// iDEAL (Mollie)
}

// The embedded default store keeps state in one SQLite file.
func ExampleOpenSQLite() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	store, err := flow.OpenSQLite(filepath.Join(dir, "tradelink.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()
	ctx := context.Background()
	_ = store.SetLink(ctx, "orders/shop->books/invoice", "1001", "INV-7")
	id, ok, _ := store.Link(ctx, "orders/shop->books/invoice", "1001")
	fmt.Println(id, ok)
	// Output: INV-7 true
}

func ExampleMaskEmail() {
	fmt.Println(flow.MaskEmail("jan.jansen@example.nl"), flow.MaskName("Jan de Vries"))
	// Output: j***@e***.nl J*** d*** V***
}
