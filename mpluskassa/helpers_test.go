package mpluskassa

import (
	"reflect"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// decimalEqual compares decimals by value (1.5 equals 1.50).
var decimalEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// timeEqual compares instants, whatever their zones.
var timeEqual = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

// deref returns the value p points to.
func deref(p any) any { return reflect.ValueOf(p).Elem().Interface() }
