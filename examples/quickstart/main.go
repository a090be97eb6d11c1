// Command quickstart is tradelink's main job on built-in fake servers. Until
// the connectors land it validates a demo order with the canonical model.
package main

import (
	"fmt"
	"os"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

func main() {
	o := connector.Order{
		Number: "1001", Currency: "EUR", Status: connector.StatusProcessing, Paid: true,
		Customer: connector.Customer{Email: "demo@example.nl", FirstName: "Demo", LastName: "Klant"},
		Lines: []connector.OrderLine{{SKU: "MUG-1", Name: "Mug", Quantity: decimal.NewFromInt(2),
			UnitPrice: decimal.RequireFromString("9.95"), TaxRate: decimal.NewFromInt(21)}},
	}
	if err := o.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
	fmt.Printf("order %s for %s is valid: %d line(s)\n", o.Ref(), o.Customer.DisplayName(), len(o.Lines))
}
