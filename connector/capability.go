package connector

import (
	"context"
	"iter"
	"time"

	"github.com/shopspring/decimal"
)

// System is implemented by every connector: it names the system ("ccvshop",
// "eaccounting", ...) for reports, events and state keys.
type System interface {
	System() string
}

// OrderQuery selects the orders an [OrderSource] streams.
type OrderQuery struct {
	// UpdatedSince, when set, selects orders created or changed at or after
	// this instant (inclusive: flows deduplicate the ties).
	UpdatedSince time.Time
	// Statuses, when set, selects orders with one of these canonical statuses.
	Statuses []OrderStatus
	// Cursor, when set, is a source-specific resume point: the Cursor field
	// of a record a previous stream returned (for example a MplusKASSA sync
	// marker). Sources that fill Cursor on their records honour it as an
	// inclusive lower bound and prefer it over UpdatedSince.
	Cursor string
	// PageSize asks for pages of this many records; zero leaves the choice to
	// the connector.
	PageSize int
}

// OrderSource streams orders. The stream pages lazily and stops requesting
// pages as soon as the consumer stops iterating. An error ends the stream.
type OrderSource interface {
	System
	Orders(ctx context.Context, q OrderQuery) iter.Seq2[Order, error]
}

// OrderSink writes orders into a system as orders, invoices, quotes or
// drafts.
type OrderSink interface {
	System
	// FindOrderByRef finds a document of the given kind whose external
	// reference is ref. It returns [ErrNotFound] when there is none.
	FindOrderByRef(ctx context.Context, kind OrderKind, ref string) (Order, error)
	// CreateOrder writes o as a document of the given kind and returns it
	// with the sink's ID (and number where the sink assigns one). o.Customer.ID
	// is the sink's customer; o.ExternalRef is the reference to store.
	//
	// The returned Totals.Total is the total the sink booked, as the sink
	// reports or computes it, never a copy of o.Totals.Total: flows compare
	// it with the source total (see [TotalTolerance]). A sink that can tell
	// before writing that it would book another total (a line whose tax rate
	// it cannot book, an amount above its maximum) returns a
	// *[ValidationError] naming the line and both figures and writes nothing.
	CreateOrder(ctx context.Context, kind OrderKind, o Order) (Order, error)
}

// TotalTolerance is implemented by order sinks whose booked totals may
// differ from the source total by rounding they cannot avoid (for example a
// sink that keeps unit prices to fewer decimals than the source). The order
// flow fails a created document whose booked total differs from the source
// total by more than the tolerance, with both figures; a sink that does not
// implement it has a tolerance of zero: what it books equals what the source
// sold, to the cent.
type TotalTolerance interface {
	// TotalTolerance returns the largest difference between the booked and
	// the source total that o may show, in o's currency.
	TotalTolerance(o Order) decimal.Decimal
}

// OrderRefFinder is implemented by order sinks that can look up many
// external references in one request. The order flow uses it to check a
// batch of orders at once instead of one lookup per order.
type OrderRefFinder interface {
	// FindOrdersByRef returns the documents of the given kind whose external
	// reference is one of refs, keyed by reference; references that are
	// not there are absent from the map.
	FindOrdersByRef(ctx context.Context, kind OrderKind, refs []string) (map[string]Order, error)
}

// OrderStatusSink writes an order's status back to the system that holds
// the order.
type OrderStatusSink interface {
	System
	SetOrderStatus(ctx context.Context, orderID string, status OrderStatus) error
}

// CustomerQuery selects the customers a [CustomerSource] streams.
type CustomerQuery struct {
	// UpdatedSince, when set, selects customers changed at or after it.
	UpdatedSince time.Time
	// Cursor is a source-specific resume point; see [OrderQuery.Cursor].
	Cursor string
	// PageSize asks for pages of this many records; zero leaves the choice to
	// the connector.
	PageSize int
}

// CustomerSource streams customers.
type CustomerSource interface {
	System
	Customers(ctx context.Context, q CustomerQuery) iter.Seq2[Customer, error]
}

// CustomerSink finds, creates and updates customers.
type CustomerSink interface {
	System
	// FindCustomerByEmail returns the customer whose e-mail address equals
	// email, ignoring case but never matching partially. It returns
	// [ErrNotFound] when there is none.
	FindCustomerByEmail(ctx context.Context, email string) (Customer, error)
	// CreateCustomer creates c and returns it with the sink's ID.
	CreateCustomer(ctx context.Context, c Customer) (Customer, error)
	// UpdateCustomer writes c over the customer with ID c.ID. Fields the sink
	// holds but the canonical model lacks are kept.
	UpdateCustomer(ctx context.Context, c Customer) (Customer, error)
}

// ProductQuery selects the products a [ProductSource] streams.
type ProductQuery struct {
	// UpdatedSince, when set, selects products changed at or after it.
	UpdatedSince time.Time
	// Cursor is a source-specific resume point; see [OrderQuery.Cursor].
	Cursor string
	// PageSize asks for pages of this many records; zero leaves the choice to
	// the connector.
	PageSize int
}

// ProductSource streams products.
type ProductSource interface {
	System
	Products(ctx context.Context, q ProductQuery) iter.Seq2[Product, error]
}

// ProductSink finds, creates and updates products by SKU.
type ProductSink interface {
	System
	// FindProductBySKU returns the product whose SKU equals sku exactly, or
	// the configurable product one of whose variants has that SKU (so an
	// order line for a variant finds what it sells). It returns
	// [ErrNotFound] when there is none.
	FindProductBySKU(ctx context.Context, sku string) (Product, error)
	// CreateProduct creates p (with its variants) and returns it with the
	// sink's IDs.
	CreateProduct(ctx context.Context, p Product) (Product, error)
	// UpdateProduct writes p over the product with ID p.ID and returns the
	// result. Fields the sink holds but the canonical model lacks are kept.
	UpdateProduct(ctx context.Context, p Product) (Product, error)
}

// StockQuery selects the stock levels a [StockSource] streams.
type StockQuery struct {
	// SKUs, when set, restricts the stream to these SKUs.
	SKUs []string
	// Location, when set, selects one stock location (branch, warehouse).
	Location string
	// Cursor is a source-specific resume point; see [OrderQuery.Cursor].
	Cursor string
}

// StockSource streams stock levels.
type StockSource interface {
	System
	StockLevels(ctx context.Context, q StockQuery) iter.Seq2[StockLevel, error]
}

// StockSink sets stock levels.
type StockSink interface {
	System
	// SetStock sets the sellable quantity of level.SKU to level.Available and
	// its managed-stock flag to level.Managed.
	SetStock(ctx context.Context, level StockLevel) error
}

// CategorySink finds and creates product categories.
type CategorySink interface {
	System
	// FindCategory returns the category with this name under parentID ("" for
	// the root). It returns [ErrNotFound] when there is none.
	FindCategory(ctx context.Context, name, parentID string) (Category, error)
	// CreateCategory creates c under c.ParentID and returns it with its ID.
	CreateCategory(ctx context.Context, c Category) (Category, error)
}
