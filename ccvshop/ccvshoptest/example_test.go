package ccvshoptest_test

import (
	"context"
	"fmt"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
)

// Seed the fake directly, then read through the real client: the
// unfinished basket is hidden as on a real shop, and each call is counted.
func Example() {
	shop := ccvshoptest.New()
	defer shop.Close()
	shop.AddOrder(ccvshop.Order{Paid: true, OrderRowTaxesIncluded: true},
		ccvshop.OrderRow{ProductNumber: "800001", ProductName: "Mok", Count: ccvshop.Num("2"), Price: ccvshop.Num("9.95"), Tax: ccvshop.Num("21")})
	shop.AddBasket(ccvshop.Order{})

	c, _ := shop.Client()
	for o, err := range c.Orders.All(context.Background(), nil) {
		if err != nil {
			panic(err)
		}
		fmt.Println(o.OrdernumberFull, o.TotalPrice, o.Paid)
	}
	fmt.Println("requests:", shop.Requests())
	// Output:
	// 10001 19.9 true
	// requests: 1
}
