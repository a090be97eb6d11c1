package eaccounting_test

import (
	"encoding/json"
	"testing"

	"github.com/tradelink/tradelink/eaccounting"
)

// FuzzDecodeWire feeds arbitrary JSON to the wire decoders: they never
// panic, and a Number that decodes encodes back to the same value.
func FuzzDecodeWire(f *testing.F) {
	for _, s := range []string{`12.50`, `"12.50"`, `null`, `-0.0001`, `1e3`, `"2026-01-15"`, `"2026-01-15T10:00:00Z"`,
		`"2026-01-15T10:00:00.1234567"`, `{"NetPrice": 1}`, `"abc"`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var n eaccounting.Number
		if err := json.Unmarshal(b, &n); err == nil {
			out, err := json.Marshal(n)
			if err != nil {
				t.Fatalf("marshal %s: %v", n, err)
			}
			var back eaccounting.Number
			if err := json.Unmarshal(out, &back); err != nil || !back.Equal(n.Decimal) {
				t.Fatalf("%s -> %s -> %s (%v)", b, out, back, err)
			}
		}
		var d eaccounting.Date
		_ = json.Unmarshal(b, &d)
		var tm eaccounting.Time
		if err := json.Unmarshal(b, &tm); err == nil && !tm.IsZero() {
			out, _ := json.Marshal(tm)
			var back eaccounting.Time
			if err := json.Unmarshal(out, &back); err != nil || !back.Equal(tm.Time) {
				t.Fatalf("%s -> %s -> %v (%v)", b, out, back, err)
			}
		}
		var a eaccounting.Article
		_ = json.Unmarshal(b, &a)
		var p eaccounting.Page[eaccounting.Order]
		_ = json.Unmarshal(b, &p)
	})
}
