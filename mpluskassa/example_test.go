package mpluskassa_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mpluskassa"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

// The client calls MplusQapi operations by their WSDL names. Against the
// hosted API the base URL is mpluskassa.HostedURL(port) with the customer's
// own port; here it is the fake.
func Example() {
	srv := mpluskassatest.New()
	defer srv.Close()
	if _, err := srv.AddSimpleProduct(100101, "T-shirt basic black M", 1995); err != nil {
		fmt.Println(err)
		return
	}

	c, err := mpluskassa.NewClient(srv.URL(), srv.Credentials())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	products, err := c.Products.GetProducts(ctx, mpluskassa.GetProductsRequest{ArticleNumbers: []int64{100101}})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := products[0].Articles()[0]
	fmt.Println(*a.Description, mpluskassa.FromCents(*a.PriceIncl), mpluskassa.VATPercentage(*a.VatPercentage))

	// In-band results are errors with the result code.
	_, err = c.Orders.FindOrder(ctx, "WEB-404")
	fmt.Println(errors.Is(err, connector.ErrNotFound), mpluskassa.ResultCode(err))
	// Output:
	// T-shirt basic black M 19.95 21
	// true GET-ORDER-RESULT-NOT-FOUND
}

// The connector writes canonical orders: the customer is a relation, the
// external reference the unique extOrderId, and creating twice returns the
// first order.
func ExampleConnector_CreateOrder() {
	srv := mpluskassatest.New()
	defer srv.Close()
	_, _ = srv.AddSimpleProduct(100101, "T-shirt", 1995)
	_, _ = srv.AddSimpleProduct(999, "Shipping costs", 495)
	rel, _ := srv.AddRelation(mpluskassa.Relation{Name: mpluskassa.Ptr("Jan Jansen"), Email: mpluskassa.Ptr("jan@example.nl")})

	c, _ := mpluskassa.NewClient(srv.URL(), srv.Credentials())
	k, err := mpluskassa.NewConnector(c, mpluskassa.ConnectorConfig{ShippingArticleNumber: 999})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	order := connector.Order{
		Number: "WEB-000123", ExternalRef: "WEB-000123", Currency: "EUR", PricesIncludeTax: true,
		Customer:     connector.Customer{ID: fmt.Sprint(*rel.RelationNumber)},
		ShippingCost: decimal.RequireFromString("4.95"),
		Lines: []connector.OrderLine{{SKU: "100101", Name: "T-shirt", Quantity: decimal.NewFromInt(2),
			UnitPrice: decimal.RequireFromString("19.95")}},
	}
	first, err := k.CreateOrder(ctx, connector.KindOrder, order)
	if err != nil {
		fmt.Println(err)
		return
	}
	again, _ := k.CreateOrder(ctx, connector.KindOrder, order)
	// The second create is refused by MplusKASSA (the reference exists) and
	// returns the first order: one order, whatever the caller repeats.
	_, _, orders := srv.Counts()
	fmt.Println(first.ID == again.ID, orders)

	stored, _ := srv.OrderByExtID("WEB-000123")
	fmt.Println(*stored.EmployeeNumber, len(stored.Lines()), mpluskassa.FromCents(*stored.TotalInclAmount))

	order.Lines[0].SKU = "TS-BLK-M"
	_, err = k.CreateOrder(ctx, connector.KindOrder, order)
	fmt.Println(err)
	// Output:
	// true 1
	// 999999 2 44.85
	// order "WEB-000123": field Lines[0].SKU: MplusKASSA article numbers are numeric: the SKU must be a positive whole number without leading zeros (got "TS-BLK-M")
}

// Stock levels: on hand is free plus reserved, available is free.
func ExampleConnector_StockLevels() {
	srv := mpluskassatest.New()
	defer srv.Close()
	_, _ = srv.AddSimpleProduct(100101, "T-shirt", 1995)
	_ = srv.SetStockLevel(1, 100101, decimal.NewFromInt(10), decimal.NewFromInt(3))

	c, _ := mpluskassa.NewClient(srv.URL(), srv.Credentials())
	k, _ := mpluskassa.NewConnector(c, mpluskassa.ConnectorConfig{})
	for l, err := range k.StockLevels(context.Background(), connector.StockQuery{SKUs: []string{"100101"}}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(l.SKU, l.Location, l.OnHand, l.Reserved, l.Available)
	}
	// Output:
	// 100101 1 10 3 7
}

func ExampleToCents() {
	c, err := mpluskassa.ToCents(decimal.RequireFromString("9.95"))
	fmt.Println(c, err)
	_, err = mpluskassa.ToCents(decimal.RequireFromString("9.995"))
	fmt.Println(err)
	// Output:
	// 995 <nil>
	// value not representable: 9.995 has a fraction of a cent
}

func ExampleFromScaled() {
	q, _ := mpluskassa.FromScaled(125, mpluskassa.Ptr(2))
	fmt.Println(q)
	// Without decimalPlaces the quantity is whole (MissingDecimalPlaces).
	q, _ = mpluskassa.FromScaled(1, nil)
	fmt.Println(q)
	v, places, _ := mpluskassa.ToScaled(decimal.RequireFromString("0.530"))
	fmt.Println(v, places)
	// Output:
	// 1.25
	// 1
	// 53 2
}

func ExampleNewDateTime() {
	d := mpluskassa.NewDateTime(time.Date(2025, 6, 3, 12, 30, 12, 0, time.UTC))
	fmt.Printf("%02d:%02d:%02d %d-%d-%d offset %d min\n", d.Hour, d.Min, d.Sec, d.Day, d.Mon, d.Year, d.Timezone)
	t, _ := d.Time()
	fmt.Println(t.UTC())
	// Output:
	// 14:30:12 3-6-2025 offset 120 min
	// 2025-06-03 12:30:12 +0000 UTC
}
