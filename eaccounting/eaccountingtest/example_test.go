package eaccountingtest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
)

func Example() {
	srv := eaccountingtest.New()
	defer srv.Close()
	// Seed directly, without HTTP.
	if _, err := srv.SeedCustomer(eaccounting.Customer{
		Name: "Jan Jansen", IsPrivatePerson: true, IsActive: true, EmailAddress: "jan@example.com",
		InvoicePostalCode: "1012LG", InvoiceCity: "Amsterdam",
	}); err != nil {
		panic(err)
	}
	// A client with a valid token.
	c, err := srv.NewClient()
	if err != nil {
		panic(err)
	}
	cu, err := c.Customers.FindByEmail(context.Background(), "JAN@example.com")
	if err != nil {
		panic(err)
	}
	fmt.Println(cu.Name, cu.CustomerNumber)
	fmt.Println("API calls:", srv.RequestsFor("GET", "/v2/customers"))
	// Output:
	// Jan Jansen 1001
	// API calls: 1
}

func ExampleServer_Inject() {
	srv := eaccountingtest.New()
	defer srv.Close()
	c, _ := srv.NewClient(eaccounting.WithRetry(eaccounting.RetryPolicy{MaxAttempts: 1}))
	srv.Inject(eaccountingtest.Fault{Method: "GET", Path: "/v2/units", Status: 503, Times: 1})
	_, err := c.Units.Get(context.Background(), eaccountingtest.UnitPiecesID)
	fmt.Println(connector.Retryable(err))
	_, err = c.Units.Get(context.Background(), eaccountingtest.UnitPiecesID)
	fmt.Println(err)
	_, err = c.Units.Get(context.Background(), "0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b")
	fmt.Println(errors.Is(err, connector.ErrNotFound))
	// Output:
	// true
	// <nil>
	// true
}
