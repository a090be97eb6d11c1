package ccvshop_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
)

// A client for a shop: every request is signed, every answer verified.
// Here the shop is the in-process fake.
func ExampleNewClient() {
	shop := ccvshoptest.New()
	defer shop.Close()

	c, err := ccvshop.NewClient(shop.URL(), ccvshop.Credentials{PublicKey: ccvshoptest.PublicKey, Secret: ccvshoptest.Secret})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	p, err := c.Products.Create(ctx, &ccvshop.ProductInput{
		Name: "Mok", Productnumber: "800001", Price: ccvshop.NumPtrFor("12.50"), Discount: ccvshop.NumPtrFor("0"),
		PackageID: ccvshoptest.DefaultPackageID, Taxtariff: "normal",
	})
	if err != nil {
		panic(err)
	}
	if err := c.Products.UpdateStock(ctx, int64(p.ID), decimal.NewFromInt(40)); err != nil {
		panic(err)
	}
	for p, err := range c.Products.All(ctx, &ccvshop.ProductListOptions{Productnumber: "800001"}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(p.Productnumber, p.Name, p.SellPrice(), "in stock:", p.Stock)
	}
	fmt.Println(strings.Contains(fmt.Sprint(c), ccvshoptest.Secret.Reveal())) // no credentials in print
	// Output:
	// 800001 Mok 12.5 in stock: 40
	// false
}

// The webhook handler verifies each delivery's x-hash before the handle
// function sees it; anything unsigned is answered 401.
func ExampleNewWebhookHandler() {
	key := connector.Secret("the-webhook-key") // Webhook.Key from Webhooks.Create
	address := "https://integration.example.nl/ccv/orders"
	h, err := ccvshop.NewWebhookHandler(ccvshop.WebhookHandlerConfig{Address: address, Key: key, Event: ccvshop.EventOrderStatusChanged},
		func(ctx context.Context, d ccvshop.WebhookDelivery) error {
			fmt.Printf("%s: order %d went from status %d to %d\n", d.Event, d.ID, d.PreviousStatus, d.Status)
			return nil
		})
	if err != nil {
		panic(err)
	}
	body := `{"triggered_at":"2024-03-01T10:00:00Z","id":339323562,"order_number":10587,"previous_status":1,"status":5}`
	for _, sig := range []string{ccvshop.WebhookSignature(key, address, []byte(body)), "forged"} {
		req := httptest.NewRequest(http.MethodPost, "/ccv/orders", strings.NewReader(body))
		req.Header.Set("x-hash", sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		fmt.Println(w.Code)
	}
	// Output:
	// orders.updated.status: order 339323562 went from status 1 to 5
	// 200
	// 401
}

// The adapter speaks the canonical model: here a stock level with a
// reservation, read back as on hand, reserved and available.
func ExampleNewConnector() {
	shop := ccvshoptest.New()
	defer shop.Close()
	shop.AddProduct(ccvshop.Product{Productnumber: "800001", Name: "Mok", Price: ccvshop.Num("12.50"),
		Stockenabled: true, Stock: ccvshop.Num("7")})
	shop.AddOrder(ccvshop.Order{Status: ccvshop.StatusReserved},
		ccvshop.OrderRow{ProductNumber: "800001", Count: ccvshop.Num("3"), Price: ccvshop.Num("12.50")})

	c, _ := shop.Client()
	conn, err := ccvshop.NewConnector(c, ccvshop.ConnectorConfig{})
	if err != nil {
		panic(err)
	}
	for l, err := range conn.StockLevels(context.Background(), connector.StockQuery{SKUs: []string{"800001"}}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(l.SKU, "on hand", l.OnHand, "reserved", l.Reserved, "available", l.Available)
	}
	// Output: 800001 on hand 10 reserved 3 available 7
}
