// Package tradelink is an embeddable Go SDK that keeps orders, customers,
// products and stock in sync between web shops (CCV Shop, Magento 2, Ecwid),
// accounting systems (Visma eAccounting / eEkonomi, AccountView) and
// point-of-sale systems (CCV SalesPOS, MplusKASSA).
//
// Every system speaks one canonical model, so any source feeds any sink:
//
//	source system --client--> wire types --adapter--> connector model
//	    --flow: filter, dedupe, resolve customer and products, mapping-->
//	connector model --adapter--> wire types --client--> sink system
//
// # Packages
//
//   - [github.com/tradelink/tradelink/connector]: the canonical model (Order,
//     Customer, Product, StockLevel, ...), one small interface per capability
//     (OrderSource, OrderSink, CustomerSink, ProductSink, StockSink, ...) and
//     the shared errors (ErrNotFound, APIError, ValidationError,
//     OutcomeUnknownError).
//   - [github.com/tradelink/tradelink/connector/connectortest]: the
//     conformance suite every connector and its fake server pass.
//   - [github.com/tradelink/tradelink/mapping]: compiled, type-checked field
//     maps on expr-lang/expr with value tables (payment and shipping methods,
//     tax code and revenue account per country), filters and create/update
//     ownership.
//   - [github.com/tradelink/tradelink/flow]: the order, customer, product and
//     stock pipelines with crash-safe state, reports, events and dry runs.
//   - [github.com/tradelink/tradelink/flow/flowtest]: in-memory connectors
//     with fault injection for testing your own flows.
//   - One package per system with a typed client, an adapter implementing the
//     connector capabilities, and an in-process fake server in its
//     <name>test subpackage: ccvshop, eaccounting, mpluskassa.
//
// The main job runs with no credentials on the built-in fake servers:
//
//	go run ./examples/quickstart
package tradelink
