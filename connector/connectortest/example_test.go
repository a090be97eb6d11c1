package connectortest_test

import (
	"fmt"

	"github.com/tradelink/tradelink/connector/connectortest"
	"github.com/tradelink/tradelink/flow/flowtest"
)

// A system package runs the suite from a test:
//
//	func TestConformance(t *testing.T) {
//		connectortest.Run(t, func(t *testing.T) *connectortest.Harness {
//			srv := myshoptest.New()
//			t.Cleanup(srv.Close)
//			client, _ := myshop.NewClient(srv.URL(), srv.Credentials())
//			return &connectortest.Harness{Connector: myshop.NewConnector(client), PageSize: 5, ...}
//		})
//	}
//
// Capabilities tells which checks apply to a connector.
func ExampleCapabilities() {
	fmt.Println(connectortest.Capabilities(flowtest.New("memory")))
	// Output: [OrderSource OrderSink OrderStatusSink CustomerSource CustomerSink ProductSource ProductSink StockSource StockSink CategorySink]
}
