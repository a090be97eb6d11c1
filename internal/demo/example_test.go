package demo_test

import (
	"fmt"

	"github.com/tradelink/tradelink/internal/demo"
)

// A client's mapping overrides, one object per entity; a mistake is placed
// in the file.
func ExampleParseMappings() {
	m, err := demo.ParseMappings([]byte(`{
  "order": {"tables": {"payment_methods": {"iDEAL": "IDEAL"}}}
}`))
	fmt.Println(m.Order.Entity, m.Order.Tables.PaymentMethods["iDEAL"], err)

	_, err = demo.ParseMappings([]byte(`{
  "order": {"rules": [{"field": "Notes", "expr": "Order.Number", "on": "later"}]}
}`))
	fmt.Println(err)
	// Output:
	// order IDEAL <nil>
	// mapping: line 2, column 72: order.rules[0].on: "later" is not create, update or both
}

// Plan diffs show no personal data unless asked to.
func ExampleMaskDiff() {
	fmt.Println(demo.MaskDiff(`+	Email: "sanne.devries@example.nl", City: "Amsterdam",`))
	// Output:
	// +	Email: "…", City: "Amsterdam",
}

func ExampleFlowNames() {
	flows, err := demo.FlowNames("orders, stock", demo.FlowsAll)
	fmt.Println(flows["orders"], flows["products"], err)
	_, err = demo.FlowNames("invoices", demo.FlowsAll)
	fmt.Println(err)
	// Output:
	// true false <nil>
	// unknown flow "invoices" (known: products, customers, orders, stock)
}
