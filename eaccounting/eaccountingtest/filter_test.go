package eaccountingtest

import (
	"encoding/json"
	"testing"
)

// FuzzParseFilter: any $filter either parses or is rejected; evaluating a
// parsed one never panics.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"EmailAddress eq 'a@b.c'", "Name eq 'It''s' and not (IsActive eq false)", "contains(Name,'x') or Number ge 3.5",
		"ChangedUtc ge 2026-01-01T00:00:00Z", "Id eq 0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b", "A/B eq null", "((", "'", "eq eq eq",
	} {
		f.Add(s)
	}
	rec := record{"Name": "It's", "IsActive": true, "Number": json.Number("4"), "ChangedUtc": "2026-02-01T00:00:00Z",
		"A": map[string]any{"B": nil}, "Id": "0b7c1f6e-2d3a-4e5f-8a9b-0c1d2e3f4a5b"}
	f.Fuzz(func(t *testing.T, s string) {
		e, _, err := parseFilter(s)
		if err != nil {
			return
		}
		_, _ = e.eval(rec)
	})
}
