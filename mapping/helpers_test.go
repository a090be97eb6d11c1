package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// load decodes testdata/name into a T.
func load[T any](t testing.TB, name string) T {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// loadMapping parses testdata/name as a mapping.
func loadMapping(t testing.TB, name string) *Mapping {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// mustCompile compiles m for T or fails the test.
func mustCompile[T Record](t testing.TB, m *Mapping) *Program[T] {
	t.Helper()
	p, err := Compile[T](m)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return p
}

// dec parses a decimal literal for tests.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// decimalCmp compares decimals by value, so 21 equals 21.00.
var decimalCmp = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// runTime is the run time the tests pass as Options.Now.
var runTime = time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
