package ccvshop_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/connector/connectortest"
)

// fastRetry keeps fault tests quick: the default waits up to a minute.
var fastRetry = ccvshop.WithRetry(ccvshop.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})

// newShop starts a fake shop with a connector on it.
func newShop(t testing.TB, opts ...ccvshop.Option) (*ccvshoptest.Server, *ccvshop.Client, *ccvshop.Connector) {
	t.Helper()
	srv := ccvshoptest.New()
	t.Cleanup(srv.Close)
	c, err := srv.Client(append([]ccvshop.Option{fastRetry}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := ccvshop.NewConnector(c, ccvshop.ConnectorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, conn
}

func seedOrders(srv *ccvshoptest.Server, n int) {
	for i := range n {
		srv.AddOrder(ccvshop.Order{
			Paid: i%2 == 0, OrderRowTaxesIncluded: true, TaxesIncluded: true,
			Customer: &ccvshop.PersonalInfo{Email: fmt.Sprintf("buyer%d@example.nl", i),
				Billingaddress: &ccvshop.Address{FirstName: "Koper", LastName: fmt.Sprint(i), Street: "Damrak",
					Housenumber: 1, Zipcode: "1012LG", City: "Amsterdam", CountryCode: "NL"}},
		}, ccvshop.OrderRow{ProductName: "Mok", ProductNumber: "700001", Count: ccvshop.Num("2"),
			Price: ccvshop.Num("9.95"), Tax: ccvshop.Num("21")})
	}
}

func seedUsers(srv *ccvshoptest.Server, n int) {
	for i := range n {
		email := fmt.Sprintf("seeded%d@example.nl", i)
		srv.AddUser(ccvshop.User{Username: email, Status: true, Userinfo: &ccvshop.PersonalInfo{Email: email,
			Billingaddress: &ccvshop.Address{FirstName: "Klant", LastName: fmt.Sprint(i), CountryCode: "NL"}}})
	}
}

func seedProducts(srv *ccvshoptest.Server, n int) {
	for i := range n {
		p := ccvshop.Product{Productnumber: fmt.Sprint(600000 + i), Name: fmt.Sprintf("Product %d", i),
			Price: ccvshop.Num("4.50"), IsActive: true, Stockenabled: true, Stock: ccvshop.Num("5")}
		if i%3 == 0 {
			srv.AddProduct(p,
				ccvshop.AttributeCombination{SkuNumber: fmt.Sprintf("%d1", 600000+i), Active: true, Stock: ccvshop.Num("2"),
					Combination: []ccvshop.CombinationPart{{Attribute: ccvshop.NamedRef{Name: "Maat"}, AttributeValue: ccvshop.NamedRef{Name: "S"}}}},
				ccvshop.AttributeCombination{SkuNumber: fmt.Sprintf("%d2", 600000+i), Active: true, Stock: ccvshop.Num("3"),
					Combination: []ccvshop.CombinationPart{{Attribute: ccvshop.NamedRef{Name: "Maat"}, AttributeValue: ccvshop.NamedRef{Name: "M"},
						ExtraPrice: ccvshop.Num("1.00")}}})
			continue
		}
		srv.AddProduct(p)
	}
}

// seedStock gives sku onHand in the warehouse, reserved of it by an order in
// status 14 (Reserved): the shop's stock figure is onHand − reserved.
func seedStock(srv *ccvshoptest.Server, sku string, onHand, reserved decimal.Decimal) {
	if !srv.SetStock(sku, onHand.Sub(reserved)) {
		srv.AddProduct(ccvshop.Product{Productnumber: sku, Name: "Stock " + sku, Price: ccvshop.Num("1"),
			IsActive: true, Stockenabled: true, Stock: ccvshop.Number{Decimal: onHand.Sub(reserved)}})
	}
	if reserved.IsPositive() {
		srv.ReserveStock(sku, reserved)
	}
}

func TestConformance(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) *connectortest.Harness {
		// The client-side limiter is tested on its own (TestDefaultLimiter);
		// here it would only make the suite wait.
		srv, _, conn := newShop(t, ccvshop.WithLimiter(nil))
		return &connectortest.Harness{
			Connector:     conn,
			PageSize:      5,
			SeedOrders:    func(t *testing.T, n int) { seedOrders(srv, n) },
			SeedCustomers: func(t *testing.T, n int) { seedUsers(srv, n) },
			SeedProducts:  func(t *testing.T, n int) { seedProducts(srv, n) },
			SeedStock: func(t *testing.T, sku string, onHand, reserved decimal.Decimal) {
				seedStock(srv, sku, onHand, reserved)
			},
			NewOrder: func(t *testing.T, ref string) connector.Order {
				p, _ := srv.AddProduct(ccvshop.Product{Productnumber: "700100", Name: "Theepot", Price: ccvshop.Num("24.95"), IsActive: true})
				u, _ := srv.AddUser(ccvshop.User{Username: "ct-" + ref + "@example.nl", Status: true})
				return connector.Order{
					Number: "SRC-" + ref, Currency: "EUR", PricesIncludeTax: true, Status: connector.StatusProcessing,
					Customer: connector.Customer{ID: fmt.Sprint(int64(u.ID)), Email: u.Username, FirstName: "Conformance", LastName: "Koper"},
					Lines: []connector.OrderLine{{SKU: p.Productnumber, Name: p.Name, Quantity: decimal.NewFromInt(1),
						UnitPrice: decimal.RequireFromString("24.95"), TaxRate: decimal.NewFromInt(21)}},
				}
			},
		}
	})
}
