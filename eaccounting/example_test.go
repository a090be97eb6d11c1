package eaccounting_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
)

// The authorization-code set-up: send the user to Visma Connect, and in the
// callback exchange the code for a token, which lands in the TokenStore.
// Against Visma use eaccounting.ProductionURL (or SandboxURL with
// Credentials.Endpoint = SandboxEndpoint) and your own TokenStore; here
// the fake server stands in and approves at once.
func Example_authorizationCode() {
	srv := eaccountingtest.New()
	defer srv.Close()
	ctx := context.Background()

	store := eaccounting.NewMemoryTokenStore(nil) // use a persistent store
	c, err := eaccounting.NewClient(srv.APIURL(), eaccounting.Credentials{
		ClientID:     eaccountingtest.ClientID,
		ClientSecret: eaccountingtest.ClientSecret,
		RedirectURL:  eaccountingtest.RedirectURL,
		Endpoint:     srv.Endpoint(), // omit for production
		Store:        store,
	})
	if err != nil {
		panic(err)
	}

	// 1. Redirect the user's browser to this URL.
	authURL := c.OAuth.AuthCodeURL("state-7f3a")

	// (Visma shows its login and company picker, then redirects to the
	// callback; the fake redirects at once.)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	callback, _ := url.Parse(resp.Header.Get("Location"))

	// 2. In the callback handler: check the state, exchange the code.
	if callback.Query().Get("state") != "state-7f3a" {
		panic("forged callback")
	}
	if _, err := c.OAuth.Exchange(ctx, callback.Query().Get("code")); err != nil {
		panic(err)
	}
	fmt.Println("tokens saved:", len(store.Saved()))

	// 3. The client now works, refreshing (and saving) tokens as needed.
	s, err := c.CompanySettings.Get(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Name, s.CountryCode, s.CurrencyCode)
	// Output:
	// tokens saved: 1
	// Demo Handel BV NL EUR
}

// A web-shop order becomes a booked invoice: the customer is created as a
// company, the article gets a gross price consistent with its coding's VAT,
// and the order is found again by its reference.
func ExampleConnector() {
	srv := eaccountingtest.New()
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		panic(err)
	}
	conn, err := eaccounting.NewConnector(c, eaccounting.ConnectorConfig{})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	addr := connector.Address{Street: "Dorpsstraat", HouseNumber: "12", PostalCode: "3581AB", City: "Utrecht", Country: "NL"}
	cust, err := conn.CreateCustomer(ctx, connector.Customer{
		CompanyName: "Bakkerij de Boer BV", FirstName: "Piet", LastName: "de Boer",
		Email: "inkoop@deboer.example", BillingAddress: addr,
	})
	if err != nil {
		panic(err)
	}
	p, err := conn.CreateProduct(ctx, connector.Product{
		SKU: "MUG-1", Name: "Mok", Price: decimal.RequireFromString("12.10"), PriceIncludesTax: true,
		TaxRate: decimal.NewFromInt(21), Active: true,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("article net price:", p.Price, "revenue account:", p.RevenueAccount)

	inv, err := conn.CreateOrder(ctx, connector.KindInvoice, connector.Order{
		Number: "1001", ExternalRef: "WEB-1001", Currency: "EUR", PricesIncludeTax: true,
		Customer: cust,
		Lines: []connector.OrderLine{{SKU: "MUG-1", Quantity: decimal.NewFromInt(2),
			UnitPrice: decimal.RequireFromString("12.10"), TaxRate: decimal.NewFromInt(21)}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("invoice", inv.Number, "total", inv.Totals.Total, inv.Currency)

	found, err := conn.FindOrderByRef(ctx, connector.KindInvoice, "WEB-1001")
	if err != nil {
		panic(err)
	}
	fmt.Println("found:", found.ID == inv.ID, found.Customer.CompanyName)
	// Output:
	// article net price: 10 revenue account: 8000
	// invoice 10001 total 24.2 EUR
	// found: true Bakkerij de Boer BV
}

// Update reads, merges and writes: PUT replaces the whole customer, and
// the properties the Go type does not model go back unchanged.
func ExampleCustomersService_Update() {
	srv := eaccountingtest.New()
	defer srv.Close()
	id, _ := srv.SeedRaw("customers", map[string]any{
		"Name": "Acme BV", "IsPrivatePerson": false, "IsActive": true, "TermsOfPaymentId": eaccountingtest.TermsNet30ID,
		"InvoicePostalCode": "1000AA", "InvoiceCity": "Amsterdam", "Note": "Key account", // Note is not modeled
	})
	c, _ := srv.NewClient()
	_, err := c.Customers.Update(context.Background(), id, func(cu *eaccounting.Customer) error {
		cu.Telephone = "020 123 4567"
		return nil
	})
	if err != nil {
		panic(err)
	}
	rec := srv.Record("customers", id)
	fmt.Println(rec["Telephone"], "|", rec["Note"])
	// Output: 020 123 4567 | Key account
}

func ExampleEqString() {
	f := eaccounting.And(eaccounting.EqString("EmailAddress", "o'brien@example.com"), eaccounting.EqInt("Status", 2))
	fmt.Println(f)
	// Output: (EmailAddress eq 'o''brien@example.com') and (Status eq 2)
}

func ExampleGrossPrice() {
	net := eaccounting.NetPrice(decimal.RequireFromString("9.99"), decimal.NewFromInt(9))
	fmt.Println(net, eaccounting.GrossPrice(net, decimal.NewFromInt(9)))
	// Output: 9.17 10
}

func ExampleVATPercent() {
	fmt.Println(eaccounting.VATPercent(eaccounting.Num(decimal.RequireFromString("0.25"))),
		eaccounting.VATPercent(eaccounting.NumInt(21)))
	// Output: 25 21
}

// Which revenue account eAccounting books a sale to depends on the
// customer's country, VAT number and private flag.
func ExampleSituation() {
	company := &eaccounting.CompanySettings{CountryCode: "NL"}
	for _, cu := range []eaccounting.Customer{
		{IsPrivatePerson: true, InvoiceCountryCode: "NL"},
		{InvoiceCountryCode: "BE", VatNumber: "BE0123456789"},
		{IsPrivatePerson: true, InvoiceCountryCode: "DE"},
		{IsPrivatePerson: true, InvoiceCountryCode: "NO"},
	} {
		fmt.Println(cu.InvoiceCountryCode, eaccounting.Situation(company, &cu, false))
	}
	// Output:
	// NL domestic
	// BE EU business
	// DE EU private
	// NO outside EU
}
