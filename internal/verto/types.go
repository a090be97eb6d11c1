package verto

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Number is a decimal amount or quantity on the wire. It decodes JSON
// numbers, numeric strings, "" and null (the last two as zero) without going
// through float64, and encodes as a bare JSON number ("590", "12.95"), which
// is what the API's schemas expect. The embedded Decimal gives it the whole
// decimal API.
type Number struct{ decimal.Decimal }

// Num wraps d.
func Num(d decimal.Decimal) Number { return Number{d} }

// NumPtr returns a pointer to Num(d), for optional fields of write bodies.
func NumPtr(d decimal.Decimal) *Number { n := Number{d}; return &n }

// MustNum parses s; it panics on a malformed literal and is meant for
// constants in code and tests.
func MustNum(s string) Number { return Number{decimal.RequireFromString(s)} }

// MarshalJSON implements json.Marshaler.
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
		return fmt.Errorf("verto: %q is not a number", truncate(s, 40))
	}
	n.Decimal = d
	return nil
}

// Equal reports whether n and o are the same amount (1.50 equals 1.5).
func (n Number) Equal(o Number) bool { return n.Decimal.Equal(o.Decimal) }

// Int is an integer on the wire (ids, order numbers, house numbers). Real
// payloads deviate from the schema (an order's user.id arrived as the string
// "24464274"), so it decodes a JSON number, a numeric string, "" or null
// (the last two as zero). It encodes as a bare JSON number.
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (i *Int) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" || s == `""` {
		*i = 0
		return nil
	}
	if uq, err := strconv.Unquote(s); err == nil {
		s = strings.TrimSpace(uq)
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*i = Int(v)
		return nil
	}
	// A whole number written with a fraction ("12.0").
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		*i = Int(f)
		return nil
	}
	return fmt.Errorf("verto: %q is not an integer", truncate(s, 40))
}

// String returns the decimal form, "" for zero (the API's "no id").
func (i Int) String() string {
	if i == 0 {
		return ""
	}
	return strconv.FormatInt(int64(i), 10)
}

// ParseInt parses an id written as a decimal string; "" is zero.
func ParseInt(s string) (Int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a numeric id", truncate(s, 40))
	}
	return Int(v), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
