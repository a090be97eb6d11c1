package flowtest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/flow/flowtest"
)

func ExampleSystem() {
	ctx := context.Background()
	sink := flowtest.New("books")
	sink.AddProduct(connector.Product{SKU: "MUG-1", Name: "Mug"})

	// The next CreateOrder is applied, but its answer is lost.
	sink.Inject(flowtest.Fault{Op: flowtest.OpCreateOrder, AfterCommit: true})
	o := connector.Order{Number: "1001", ExternalRef: "shop-1001",
		Lines: []connector.OrderLine{{SKU: "MUG-1", Quantity: decimal.NewFromInt(1)}}}
	_, err := sink.CreateOrder(ctx, connector.KindInvoice, o)
	fmt.Println(errors.Is(err, connector.ErrOutcomeUnknown))

	// Looking the order up by its reference shows it was written.
	found, err := sink.FindOrderByRef(ctx, connector.KindInvoice, "shop-1001")
	fmt.Println(found.Number, err, sink.Writes())
	// Output:
	// true
	// 1001 <nil> 1
}
