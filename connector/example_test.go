package connector_test

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

func ExampleOrder_Validate() {
	o := connector.Order{
		Number:   "1001",
		Currency: "EUR",
		Lines: []connector.OrderLine{
			{SKU: "MUG-1", Quantity: decimal.NewFromInt(-1), UnitPrice: decimal.RequireFromString("9.95")},
		},
		BillingAddress: connector.Address{Country: "Netherlands"},
	}
	err := o.Validate()
	var ve *connector.ValidationError
	if errors.As(err, &ve) {
		fmt.Println("first problem:", ve.Field)
	}
	fmt.Println(err)
	// Output:
	// first problem: Lines[0].Quantity
	// order "1001": field Lines[0].Quantity: must not be negative (got "-1"); order "1001": field BillingAddress.Country: is not an ISO 3166-1 alpha-2 country code (got "Netherlands")
}

func ExampleCustomer_IsCompany() {
	c := connector.Customer{CompanyName: "Bakkerij de Boer BV", FirstName: "Piet", LastName: "de Boer"}
	fmt.Println(c.IsCompany(), c.DisplayName(), "contact:", c.FullName())
	// Output: true Bakkerij de Boer BV contact: Piet de Boer
}

func ExampleAPIError() {
	err := fmt.Errorf("list orders: %w", &connector.APIError{
		System: "eaccounting", StatusCode: 429, Code: "4010", Message: "Too many requests",
	})
	if ae, ok := errors.AsType[*connector.APIError](err); ok {
		fmt.Println(ae.Code, ae.Retryable())
	}
	fmt.Println(errors.Is(&connector.APIError{StatusCode: 404}, connector.ErrNotFound))
	// Output:
	// 4010 true
	// true
}

func ExampleSecret() {
	s := connector.Secret("hunter2")
	fmt.Printf("%v %s %q\n", s, s, s)
	fmt.Println(len(s.Reveal()))
	// Output:
	// [REDACTED] [REDACTED] "[REDACTED]"
	// 7
}

func ExampleStockLevel_Normalize() {
	l := connector.StockLevel{SKU: "MUG-1", OnHand: decimal.NewFromInt(10), Reserved: decimal.NewFromInt(3)}
	fmt.Println(l.Normalize().Available)
	// Output: 7
}
