package flowtest_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/connector/connectortest"
	"github.com/tradelink/tradelink/flow/flowtest"
)

func TestConformance(t *testing.T) {
	connectortest.Run(t, func(t *testing.T) *connectortest.Harness {
		sys := flowtest.New("memory")
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		cust := sys.AddCustomer(connector.Customer{Email: "buyer@example.com", FirstName: "B", LastName: "Uyer"})
		sys.AddProduct(connector.Product{SKU: "700001", Name: "Mug", Price: decimal.NewFromInt(5), Currency: "EUR"})
		return &connectortest.Harness{
			Connector: sys,
			PageSize:  4,
			SeedOrders: func(t *testing.T, n int) {
				for i := range n {
					sys.AddOrder(connector.Order{Number: fmt.Sprint(1000 + i), UpdatedAt: base.Add(time.Duration(i) * time.Minute)})
				}
			},
			SeedCustomers: func(t *testing.T, n int) {
				for i := range n {
					sys.AddCustomer(connector.Customer{Email: fmt.Sprintf("c%d@example.com", i)})
				}
			},
			SeedProducts: func(t *testing.T, n int) {
				for i := range n {
					sys.AddProduct(connector.Product{SKU: fmt.Sprint(600000 + i), Name: "P"})
				}
			},
			SeedStock: func(t *testing.T, sku string, onHand, reserved decimal.Decimal) {
				sys.AddStock(connector.StockLevel{SKU: sku, OnHand: onHand, Reserved: reserved, Managed: true})
			},
			NewOrder: func(t *testing.T, ref string) connector.Order {
				return connector.Order{
					Number: ref, Currency: "EUR", Customer: cust,
					Lines: []connector.OrderLine{{SKU: "700001", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(5)}},
				}
			},
			OrderKinds: []connector.OrderKind{connector.KindOrder, connector.KindInvoice, connector.KindQuote, connector.KindDraft},
		}
	})
}

func TestFaults(t *testing.T) {
	sys := flowtest.New("mem")
	c := sys.AddCustomer(connector.Customer{Email: "a@example.com"})
	sys.AddProduct(connector.Product{SKU: "S1", Name: "S"})
	o := connector.Order{Number: "1", ExternalRef: "R1", Customer: c,
		Lines: []connector.OrderLine{{SKU: "S1", Quantity: decimal.NewFromInt(1)}}}

	sys.Inject(flowtest.Fault{Op: flowtest.OpCreateOrder})
	_, err := sys.CreateOrder(t.Context(), connector.KindOrder, o)
	if !connector.Retryable(err) || errors.Is(err, connector.ErrOutcomeUnknown) {
		t.Fatalf("transient fault: %v", err)
	}
	if len(sys.Documents(connector.KindOrder)) != 0 {
		t.Fatal("a failed write was applied")
	}

	sys.Inject(flowtest.Fault{Op: flowtest.OpCreateOrder, AfterCommit: true})
	_, err = sys.CreateOrder(t.Context(), connector.KindOrder, o)
	if !errors.Is(err, connector.ErrOutcomeUnknown) {
		t.Fatalf("after-commit fault: %v", err)
	}
	if _, err := sys.FindOrderByRef(t.Context(), connector.KindOrder, "R1"); err != nil {
		t.Fatalf("the committed write is not there: %v", err)
	}
	if got := sys.Calls()[flowtest.OpCreateOrder]; got != 2 {
		t.Errorf("CreateOrder calls = %d", got)
	}
	if sys.Writes() != 2 {
		t.Errorf("writes = %d", sys.Writes())
	}

	sys.Inject(flowtest.Fault{Op: flowtest.OpFindCustomerByEmail, Rate: 1, Err: flowtest.ErrInjected})
	for range 3 {
		if _, err := sys.FindCustomerByEmail(t.Context(), "a@example.com"); !errors.Is(err, flowtest.ErrInjected) {
			t.Fatalf("rate fault: %v", err)
		}
	}
	sys.ClearFaults()
	if _, err := sys.FindCustomerByEmail(t.Context(), "a@example.com"); err != nil {
		t.Fatal(err)
	}
}
