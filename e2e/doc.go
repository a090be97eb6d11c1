// Package e2e holds tradelink's end-to-end fault tests and benchmarks. It
// has no API: everything is in its _test.go files.
//
// The tests run the two system pairs of the quickstart and the examples —
// CCV Shop → Visma eAccounting and CCV Shop → MplusKASSA — with the real
// clients and connectors against the fake servers over loopback HTTP, the
// flows built by internal/demo and the embedded SQLite state store. They
// inject faults into the fakes (5xx on reads and writes, 429 with
// Retry-After, slow answers, timeouts and dropped connections after a write
// was applied, malformed bodies), interrupt runs half-way (a cancelled
// context, and a "new process" on the same state file) and restart them,
// and then check what the guarantees promise: no eligible order is lost,
// none is written twice, no customer is created twice, and a run after a
// complete one writes nothing.
//
// The benchmarks report custom metrics:
//
//   - BenchmarkCallsPerOrder: API calls per synced order, counted on both
//     fakes, for a mix of mostly repeat customers;
//   - BenchmarkOrderThroughput: orders per second with 50 ms latency on
//     every answer and the vendors' rate limits applied by the clients, as
//     a ratio of the bound those limits set; it runs in virtual time (a
//     testing/synctest bubble with the fakes reached in memory);
//   - BenchmarkHeap100kProducts: the peak heap in use while 100 000
//     products sync, with the fake servers in a child process so that only
//     tradelink's own memory is measured.
//
// Run them with
//
//	go test ./e2e -run '^$' -bench . -benchtime 1x
//
// TRADELINK_E2E_HEAP_PRODUCTS changes the size of the heap benchmark and
// TRADELINK_E2E_HEAP_PROFILE=file writes a heap profile after its run.
package e2e
