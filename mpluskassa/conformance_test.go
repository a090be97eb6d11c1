package mpluskassa_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/connector/connectortest"
	"github.com/tradelink/tradelink/mpluskassa"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

// newFake starts a fake and a connector on it, without client-side rate
// limiting.
func newFake(t testing.TB, cfg mpluskassa.ConnectorConfig, opts ...mpluskassa.Option) (*mpluskassatest.Server, *mpluskassa.Connector) {
	t.Helper()
	srv := mpluskassatest.New()
	t.Cleanup(srv.Close)
	opts = append([]mpluskassa.Option{mpluskassa.WithLimiter(nil)}, opts...)
	c, err := mpluskassa.NewClient(srv.URL(), srv.Credentials(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	k, err := mpluskassa.NewConnector(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, k
}

// seedRelation stores a relation and returns its number.
func seedRelation(t testing.TB, srv *mpluskassatest.Server, name, email string) int64 {
	t.Helper()
	r, err := srv.AddRelation(mpluskassa.Relation{Name: &name, Email: &email})
	if err != nil {
		t.Fatal(err)
	}
	return *r.RelationNumber
}

// seedArticle stores a simple product with one stock-keeping article.
func seedArticle(t testing.TB, srv *mpluskassatest.Server, article int64, priceCents int64) {
	t.Helper()
	if _, ok := srv.Product(article); ok {
		return
	}
	if _, err := srv.AddSimpleProduct(article, "Article "+strconv.FormatInt(article, 10), priceCents); err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) *connectortest.Harness {
		srv, k := newFake(t, mpluskassa.ConnectorConfig{})
		var relation int64
		customer := func(t *testing.T) int64 {
			if relation == 0 {
				relation = seedRelation(t, srv, "Conformance Customer", "conformance@example.com")
			}
			return relation
		}
		return &connectortest.Harness{
			Connector: k,
			PageSize:  5,
			SeedOrders: func(t *testing.T, n int) {
				rel := customer(t)
				seedArticle(t, srv, 700001, 1250)
				for i := range n {
					_, err := srv.AddOrder(mpluskassa.Order{
						ExtOrderID: mpluskassa.Ptr(fmt.Sprintf("SEED-%d", i)), EmployeeNumber: mpluskassa.Ptr(mpluskassa.DefaultEmployeeNumber),
						RelationNumber: &rel,
						LineList: &mpluskassa.LineList{Line: []mpluskassa.Line{{ArticleNumber: 700001,
							Data: &mpluskassa.LineData{Quantity: 1, DecimalPlaces: mpluskassa.Ptr(0)}}}},
					})
					if err != nil {
						t.Fatal(err)
					}
				}
			},
			SeedCustomers: func(t *testing.T, n int) {
				for i := range n {
					seedRelation(t, srv, fmt.Sprintf("Seed Customer %d", i), fmt.Sprintf("seed%d@example.com", i))
				}
			},
			SeedProducts: func(t *testing.T, n int) {
				for i := range n {
					seedArticle(t, srv, int64(710000+i), int64(100+i))
				}
			},
			SeedStock: func(t *testing.T, sku string, onHand, reserved decimal.Decimal) {
				n, err := strconv.ParseInt(sku, 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				seedArticle(t, srv, n, 995)
				if err := srv.SetStockLevel(1, n, onHand, reserved); err != nil {
					t.Fatal(err)
				}
			},
			NewOrder: func(t *testing.T, ref string) connector.Order {
				seedArticle(t, srv, 700002, 1250)
				return connector.Order{
					Number: ref, ExternalRef: ref, Currency: "EUR", PricesIncludeTax: true,
					Customer: connector.Customer{ID: strconv.FormatInt(customer(t), 10), FirstName: "Conformance", LastName: "Customer"},
					Lines: []connector.OrderLine{{SKU: "700002", Name: "Article", Quantity: decimal.NewFromInt(2),
						UnitPrice: decimal.RequireFromString("12.50"), TaxRate: decimal.NewFromInt(21)}},
				}
			},
		}
	})
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
