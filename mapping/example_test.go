package mapping_test

import (
	"fmt"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mapping"
)

// Compile a mapping once and apply it per record.
func Example() {
	m := mapping.Default(mapping.EntityStock).With(&mapping.Mapping{
		Rules: []mapping.Rule{
			// Keep a safety stock of 2 back from the shop.
			{Field: "Available", Expr: "Stock.OnHand - Stock.Reserved - 2"},
		},
	})
	p, err := mapping.Compile[connector.StockLevel](m)
	if err != nil {
		fmt.Println(err)
		return
	}
	src := connector.StockLevel{SKU: "800001", OnHand: decimal.NewFromInt(25), Reserved: decimal.RequireFromString("4.5"), Managed: true}
	var dst connector.StockLevel
	res, err := p.Apply(&src, &dst, mapping.Options{Mode: mapping.Create, Now: time.Now(), Record: `stock "800001"`})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(dst.SKU, dst.OnHand, dst.Reserved, dst.Available, dst.Managed)
	fmt.Println(res.Fields)
	// Output:
	// 800001 25 4.5 18.5 true
	// [SKU OnHand Reserved Available Managed Location]
}

// Value tables map the source's codes to the sink's; a value without an
// entry keeps the default of lookup() and is reported as a miss.
func Example_valueTable() {
	m := mapping.Default(mapping.EntityOrder).With(&mapping.Mapping{
		Tables: mapping.Tables{
			PaymentMethods: map[string]string{"ideal": "IDEAL", "paypal": "PAYPAL"},
			TaxCodes: mapping.CountryTable{
				Countries: map[string]string{"NL:21": "VH", "NL:9": "VL"},
				EU:        "OSS",
				OutsideEU: "EXPORT",
			},
		},
		Settings: map[string]string{mapping.SettingHomeCountry: "NL"},
	})
	p, err := mapping.Compile[connector.Order](m)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range []connector.Order{
		{Number: "1001", PaymentMethod: "ideal", ShippingAddress: connector.Address{Country: "NL"},
			Lines: []connector.OrderLine{{SKU: "A", TaxRate: decimal.NewFromInt(21)}, {SKU: "B", TaxRate: decimal.NewFromInt(9)}}},
		{Number: "1002", PaymentMethod: "klarna", ShippingAddress: connector.Address{Country: "DE"},
			Lines: []connector.OrderLine{{SKU: "A", TaxRate: decimal.NewFromInt(19)}}},
	} {
		var dst connector.Order
		res, err := p.Apply(&o, &dst, mapping.Options{Mode: mapping.Create})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(dst.Number, " ", dst.PaymentMethod)
		for _, l := range dst.Lines {
			fmt.Print(" ", l.SKU, ":", l.TaxCode)
		}
		fmt.Println(" misses:", res.Misses)
	}
	// Output:
	// 1001 IDEAL A:VH B:VL misses: []
	// 1002 klarna A:OSS misses: [{PaymentMethod payment_methods klarna}]
}

// Filters decide which records a flow takes at all.
func Example_filter() {
	p, err := mapping.Compile[connector.Product](&mapping.Mapping{
		Entity:  mapping.EntityProduct,
		Filters: []string{`Product.Active`, `Product.Price > 0`, `any(Product.Categories, .Name in ["Bread", "Cake"])`},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	bread := []connector.Category{{Name: "Bread"}}
	for _, prod := range []connector.Product{
		{SKU: "1", Active: true, Price: decimal.RequireFromString("3.25"), Categories: bread},
		{SKU: "2", Active: true, Price: decimal.Zero, Categories: bread},
		{SKU: "3", Active: true, Price: decimal.NewFromInt(12), Categories: []connector.Category{{Name: "Textile"}}},
	} {
		ok, err := p.Match(&prod, mapping.Options{Record: "product " + prod.SKU})
		fmt.Println(prod.SKU, ok, err)
	}
	// Output:
	// 1 true <nil>
	// 2 false <nil>
	// 3 false <nil>
}

// An agency keeps one override per client as JSON and lays it over the
// default mapping.
func Example_override() {
	data, err := os.ReadFile("testdata/override.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	override, err := mapping.Parse(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := mapping.Compile[connector.Order](mapping.Default(mapping.EntityOrder).With(override))
	if err != nil {
		fmt.Println(err)
		return
	}
	src := connector.Order{
		Number: "1001", Paid: true, PaymentMethod: "bank_transfer", Notes: "Leave at the back door",
		CreatedAt: time.Date(2025, 3, 14, 9, 26, 0, 0, time.UTC),
		Totals:    connector.Totals{Total: decimal.RequireFromString("95.35")},
	}
	ok, _ := p.Match(&src, mapping.Options{})
	var dst connector.Order
	if _, err := p.Apply(&src, &dst, mapping.Options{Mode: mapping.Create}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("match:", ok)
	fmt.Println(dst.PaymentMethod)
	fmt.Println(dst.Notes)
	fmt.Println(dst.CustomFields["delivery"])

	// A mistake in an override is reported with its place.
	_, err = mapping.Parse([]byte(`{"entity": "order", "rules": [{"field": "Notes", "expr": "x", "on": "always"}]}`))
	fmt.Println(err)
	_, err = mapping.Compile[connector.Order](mapping.Default(mapping.EntityOrder).With(&mapping.Mapping{
		Rules: []mapping.Rule{{Field: "ShippingCost", Expr: "Order.ShippingCost * 1.21"}},
	}))
	fmt.Println(err)
	// Output:
	// match: true
	// other
	// Leave at the back door (webshop order 1001)
	// 2025-03-14
	// mapping: line 1, column 69: rules[0].on: "always" is not create, update or both
	// mapping: field ShippingCost: expression "Order.ShippingCost * 1.21": column 20: invalid operation: * (mismatched types decimal.Decimal and float64)
}
