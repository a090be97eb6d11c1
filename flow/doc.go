// Package flow composes connectors and mappings into the pipelines users
// run: orders, customers, products and stock.
//
// Each flow takes a source, a sink, a mapping and options; Run syncs what
// changed since the last run and returns a [Report] with one entry per
// record (created, updated, skipped or failed, with a reason, the IDs on
// both ends and the error). One bad record never stops a run; a record that
// fails is tried again on the next run. Plan does everything Run does
// except writing, and reports field-level diffs.
//
// # State and crash safety
//
// A [Store] keeps links (source ID → sink ID), content hashes and cursors —
// identifiers only, never personal data. [OpenSQLite] is the embedded
// default; [MemoryStore] suits tests. An order's link is written only after
// the sink confirmed the write; before creating, the flow looks the order up
// in the sink by its external reference, so a write that was applied but
// whose link was lost (a crash, a timeout, connector.ErrOutcomeUnknown) is
// found instead of written twice.
//
// Runs are incremental: each flow keeps a cursor (the source's update time
// or change token), queries the source with ">=" and skips the records at
// the cursor that it already handled. The cursor only passes records that
// are done: synced, skipped, or failed and recorded for retry.
//
// # Events
//
// Every step of every record is an [Event] sent to an [Observer] and to a
// log/slog logger: fetched, filtered, customer found/created/updated, SKU
// missing, created, updated, skipped, failed, retried, rate-limited. E-mail
// addresses and names are masked unless RevealPersonalData is set.
// [CallObserver] turns a client's HTTP events into flow events.
package flow
