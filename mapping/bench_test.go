package mapping

import (
	"testing"

	"github.com/tradelink/tradelink/connector"
)

// BenchmarkApplyOrderMapping maps a realistic three-line order with the
// default order mapping and a configured set of tables, as a flow does per
// record.
func BenchmarkApplyOrderMapping(b *testing.B) {
	src := load[connector.Order](b, "order.json")
	m := Default(EntityOrder).With(&Mapping{
		Tables:   loadMapping(b, "override.json").Tables,
		Settings: map[string]string{SettingHomeCountry: "NL"},
	})
	p := mustCompile[connector.Order](b, m)
	opt := Options{Mode: Create, Now: runTime, Record: `order "1001"`}
	var dst connector.Order
	b.ReportAllocs()
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		dst = connector.Order{}
		if _, err := p.Apply(&src, &dst, opt); err != nil {
			b.Fatal(err)
		}
	}
	if cpu1, ok := processCPU(); cpuOK && ok && b.N > 0 {
		// CPU time per record, including the garbage collector's share:
		// steadier than ns/op on a machine shared with other work.
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkCompileOrderMapping compiles the default order mapping: the
// once-per-run cost a flow pays before its first record.
func BenchmarkCompileOrderMapping(b *testing.B) {
	m := Default(EntityOrder)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile[connector.Order](m); err != nil {
			b.Fatal(err)
		}
	}
}
