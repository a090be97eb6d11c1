package tradelink_test

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow"
	"github.com/tradelink/tradelink/flow/flowtest"
)

// Any source feeds any sink: here two in-memory systems stand in for a web
// shop and an accounting system (the system packages' fake servers work
// the same way; see examples/quickstart).
func Example() {
	ctx := context.Background()
	shop, books := flowtest.New("shop"), flowtest.New("books")
	books.AddProduct(connector.Product{SKU: "TEA-1", Name: "Rooibos"})
	shop.AddOrder(connector.Order{
		Number: "1001", Status: connector.StatusProcessing, Paid: true, Currency: "EUR",
		Customer: connector.Customer{Email: "inkoop@bakkerij.example.nl", CompanyName: "Bakkerij de Boer BV", FirstName: "Piet"},
		Lines:    []connector.OrderLine{{SKU: "TEA-1", Quantity: decimal.NewFromInt(3), UnitPrice: decimal.RequireFromString("4.50")}},
	})

	orders, err := flow.NewOrders(shop, books, flow.OrderConfig{Kind: connector.KindInvoice})
	if err != nil {
		panic(err)
	}
	report, err := orders.Run(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(report.Summary())
	inv := books.Documents(connector.KindInvoice)[0]
	fmt.Println(inv.ExternalRef, inv.Customer.CompanyName, inv.Customer.IsCompany())
	// Output:
	// orders shop->books: 1 created, 0 updated, 0 skipped, 0 failed
	// 1001 Bakkerij de Boer BV true
}
