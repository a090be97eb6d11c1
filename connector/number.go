package connector

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Number is a decimal amount or quantity in a vendor's JSON. It encodes as a
// bare JSON number ("590", "12.95") — shopspring's own encoding quotes the
// value, which most APIs' number fields refuse — and decodes a JSON number,
// a numeric string, "" or null (the last two as zero), never through
// float64. The embedded Decimal gives it the whole decimal API. It is the
// one decimal JSON number type of every client's wire structs.
type Number struct{ decimal.Decimal }

// Num wraps d.
func Num(d decimal.Decimal) Number { return Number{d} }

// NumPtr returns a pointer to Num(d), for optional fields of write bodies.
func NumPtr(d decimal.Decimal) *Number { n := Number{d}; return &n }

// NumInt returns n as a Number.
func NumInt(n int64) Number { return Number{decimal.NewFromInt(n)} }

// MustNum parses a decimal literal such as "12.95"; it panics on a malformed
// literal and is meant for constants in code and tests.
func MustNum(s string) Number { return Number{decimal.RequireFromString(s)} }

// MarshalJSON implements json.Marshaler: the value as a bare JSON number.
func (n Number) MarshalJSON() ([]byte, error) { return []byte(n.Decimal.String()), nil }

// UnmarshalJSON implements json.Unmarshaler.
func (n *Number) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" || s == `""` {
		n.Decimal = decimal.Zero
		return nil
	}
	if uq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(uq)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return fmt.Errorf("%q is not a decimal number", s)
	}
	n.Decimal = d
	return nil
}

// Equal reports whether n and o are the same amount (1.50 equals 1.5).
func (n Number) Equal(o Number) bool { return n.Decimal.Equal(o.Decimal) }
