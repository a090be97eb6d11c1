// Package connector holds tradelink's canonical commerce model and the small
// capability interfaces that every system package implements.
//
// The package is plain data and interfaces: it performs no I/O. A system
// package (ccvshop, eaccounting, mpluskassa, ...) converts its own wire types
// to and from these types and implements exactly the capabilities its API
// supports, for example [OrderSource] and [ProductSink]. A flow asks for the
// capabilities it needs, so any source can feed any sink.
//
// # Identity
//
// Every record carries the ID it has in the system it was read from or
// written to. When a flow writes a record into a sink, it puts the source's
// identity into the record's external reference ([Order.ExternalRef]) and the
// sink's own identifiers into the record (for example the debtor the sink
// returned in [Order.Customer]); the sink reports its ID back.
//
// # Money and quantities
//
// Money, quantities and tax rates are [decimal.Decimal]; a float64 is never
// used for money. Tax rates are percentages (21 means 21 %). An order carries
// one ISO 4217 currency for all of its amounts.
//
// # Errors
//
// Sinks and sources return [ErrNotFound] when a lookup finds nothing,
// *[APIError] for an error answer of the remote API, *[ValidationError] for a
// record that cannot be written, and an error matching [ErrOutcomeUnknown] when
// a non-idempotent write was sent but no answer came back. All of them work
// with [errors.Is] and [errors.As].
package connector
