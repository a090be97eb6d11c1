package mpluskassa

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"
)

// Conversions between the canonical decimal amounts and MplusKASSA's wire
// numbers (§3 of the notes):
//
//   - amounts of type xsd:long are whole cents: 9.95 travels as 995;
//   - quantities are an xsd:long plus a companion decimalPlaces field:
//     1.25 travels as 125 with decimalPlaces 2;
//   - newer fields are xsd:decimal in real units and need no conversion
//     (*decimal.Decimal in the wire structs);
//   - date-times are SoapMplusDateTime: wall-clock fields plus the UTC
//     offset in minutes.

// MissingDecimalPlaces is how a quantity without its companion
// decimalPlaces field is read.
//
// UNCONFIRMED: the vendor's tutorial sends "quantity 1" without
// decimalPlaces to mean one piece (scale 0), while the official PHP client
// reads a missing companion as scale 2. The tutorial is the documented
// behaviour, so a missing decimalPlaces means 0. This client always sends
// decimalPlaces, so only reading depends on the choice, and only here.
const MissingDecimalPlaces = 0

// maxDecimalPlaces bounds the decimalPlaces accepted from the wire: 10^18 is
// the largest power of ten an int64 holds.
const maxDecimalPlaces = 18

// ErrPrecision matches every error about a value that the wire format cannot
// carry exactly (a fraction of a cent, a number outside the int64 range).
var ErrPrecision = errors.New("value not representable")

// ToCents converts an amount to whole cents. An amount with a fraction of a
// cent is an error (matching [ErrPrecision]) rather than being rounded:
// rounding money is a mapping decision, not the connector's.
func ToCents(d decimal.Decimal) (int64, error) {
	c := d.Shift(2)
	if !c.IsInteger() {
		return 0, fmt.Errorf("%w: %s has a fraction of a cent", ErrPrecision, d)
	}
	return intPart(c, d)
}

// FromCents converts whole cents to an amount: 995 is 9.95.
func FromCents(cents int64) decimal.Decimal { return decimal.New(cents, -2) }

// ToScaled converts a quantity to MplusKASSA's integer with decimal places,
// using as few places as the value needs: 2 is (2, 0), 1.25 is (125, 2),
// 0.530 is (53, 2). Values outside the int64 range are errors matching
// [ErrPrecision].
func ToScaled(d decimal.Decimal) (value int64, places int, err error) {
	exp := d.Exponent()
	if exp >= 0 {
		v, err := intPart(d, d)
		return v, 0, err
	}
	// Drop trailing zeros of the fraction: 2.500 is sent as 25 with 1 place.
	coef := new(big.Int).Set(d.Coefficient())
	ten := big.NewInt(10)
	rem := new(big.Int)
	for exp < 0 {
		q, r := new(big.Int).QuoRem(coef, ten, rem)
		if r.Sign() != 0 {
			break
		}
		coef = q
		exp++
	}
	if !coef.IsInt64() || -exp > maxDecimalPlaces {
		return 0, 0, fmt.Errorf("%w: %s does not fit a scaled int64", ErrPrecision, d)
	}
	return coef.Int64(), int(-exp), nil
}

// FromScaled converts MplusKASSA's integer with decimal places to a
// quantity. A nil places is read as [MissingDecimalPlaces]. Negative or
// absurd places (more than 18) are errors matching [ErrPrecision].
func FromScaled(value int64, places *int) (decimal.Decimal, error) {
	p := MissingDecimalPlaces
	if places != nil {
		p = *places
	}
	if p < 0 || p > maxDecimalPlaces {
		return decimal.Zero, fmt.Errorf("%w: decimalPlaces %d is outside 0–%d", ErrPrecision, p, maxDecimalPlaces)
	}
	return decimal.New(value, int32(-p)), nil
}

// FromScaledValue converts a value with an explicit number of places; it is
// [FromScaled] for the fields whose companion is required.
func FromScaledValue(value int64, places int) (decimal.Decimal, error) {
	return FromScaled(value, &places)
}

func intPart(integer, orig decimal.Decimal) (int64, error) {
	b := integer.BigInt()
	if !b.IsInt64() {
		return 0, fmt.Errorf("%w: %s does not fit an int64", ErrPrecision, orig)
	}
	return b.Int64(), nil
}

// VATPercentage converts a vatPercentage field to a tax rate in percent.
//
// UNCONFIRMED: the notes leave the unit of vatPercentage open; the official
// client does not scale it and the vendor's examples show 21 for 21 %, so it
// is read and written as whole percent, here only.
func VATPercentage(wire int64) decimal.Decimal { return decimal.NewFromInt(wire) }

// ToVATPercentage converts a tax rate in percent to a vatPercentage field;
// a rate with a fraction (5.5 %) cannot be written and matches
// [ErrPrecision].
func ToVATPercentage(rate decimal.Decimal) (int64, error) {
	if !rate.IsInteger() {
		return 0, fmt.Errorf("%w: vatPercentage holds whole percents, got %s", ErrPrecision, rate)
	}
	return intPart(rate, rate)
}

// DateTime is MplusKASSA's SoapMplusDateTime: a wall-clock time with the
// UTC offset in minutes (positive east of UTC, 120 in Dutch summer time).
// All fields are required and written in this order.
type DateTime struct {
	Sec   int  `xml:"sec"`
	Min   int  `xml:"min"`
	Hour  int  `xml:"hour"`
	Day   int  `xml:"day"`
	Mon   int  `xml:"mon"`
	Year  int  `xml:"year"`
	IsDST bool `xml:"isdst"`
	// Timezone is the offset from UTC in minutes, daylight saving included.
	Timezone int `xml:"timezone"`
}

// NewDateTime converts t to MplusKASSA's form: Europe/Amsterdam wall-clock
// time (the back end's zone) with its offset, and isdst false because the
// offset already includes daylight saving — as the official PHP client
// writes it. Sub-second precision is dropped.
func NewDateTime(t time.Time) DateTime {
	local := InAmsterdam(t)
	_, off := local.Zone()
	return DateTime{
		Sec: local.Second(), Min: local.Minute(), Hour: local.Hour(),
		Day: local.Day(), Mon: int(local.Month()), Year: local.Year(),
		Timezone: off / 60,
	}
}

// Time converts the wall-clock fields and offset to a time.Time in a fixed
// zone of that offset. isdst is ignored: the offset is the total offset.
// Out-of-range fields (month 13, 31 April, offset beyond ±14 h) are errors.
func (d DateTime) Time() (time.Time, error) {
	if err := checkDate(d.Year, d.Mon, d.Day); err != nil {
		return time.Time{}, err
	}
	switch {
	case d.Hour < 0 || d.Hour > 23:
		return time.Time{}, fmt.Errorf("hour %d is outside 0–23", d.Hour)
	case d.Min < 0 || d.Min > 59:
		return time.Time{}, fmt.Errorf("min %d is outside 0–59", d.Min)
	case d.Sec < 0 || d.Sec > 60:
		return time.Time{}, fmt.Errorf("sec %d is outside 0–60", d.Sec)
	case d.Timezone < -14*60 || d.Timezone > 14*60:
		return time.Time{}, fmt.Errorf("timezone %d is not a UTC offset in minutes", d.Timezone)
	}
	zone := time.FixedZone("", d.Timezone*60)
	return time.Date(d.Year, time.Month(d.Mon), d.Day, d.Hour, d.Min, d.Sec, 0, zone), nil
}

// Date is MplusKASSA's SoapMplusDate, a calendar date.
type Date struct {
	Day  int `xml:"day"`
	Mon  int `xml:"mon"`
	Year int `xml:"year"`
}

// NewDate returns the Europe/Amsterdam calendar date of t (the financial
// date MplusKASSA books on).
func NewDate(t time.Time) Date {
	local := InAmsterdam(t)
	return Date{Day: local.Day(), Mon: int(local.Month()), Year: local.Year()}
}

// Time returns midnight of the date in Europe/Amsterdam. An impossible date
// is an error.
func (d Date) Time() (time.Time, error) {
	if err := checkDate(d.Year, d.Mon, d.Day); err != nil {
		return time.Time{}, err
	}
	// Midnight is never skipped by the EU rules (changes happen at 01:00 UTC).
	noon := time.Date(d.Year, time.Month(d.Mon), d.Day, 12, 0, 0, 0, time.UTC)
	off := amsterdamOffset(noon)
	return time.Date(d.Year, time.Month(d.Mon), d.Day, 0, 0, 0, 0, time.FixedZone("", off)), nil
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Mon, d.Day) }

func checkDate(y, m, d int) error {
	if y < 1 || y > 9999 {
		return fmt.Errorf("year %d is outside 1–9999", y)
	}
	if m < 1 || m > 12 {
		return fmt.Errorf("mon %d is outside 1–12", m)
	}
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > last {
		return fmt.Errorf("day %d is outside 1–%d for %04d-%02d", d, last, y, m)
	}
	return nil
}

// InAmsterdam returns t in the Europe/Amsterdam zone, computed from the EU
// daylight-saving rule (CET, and CEST from the last Sunday of March to the
// last Sunday of October, switching at 01:00 UTC) so that no time zone
// database is needed. The rule holds since 1996, which covers every date a
// sync handles.
func InAmsterdam(t time.Time) time.Time {
	off := amsterdamOffset(t)
	name := "CET"
	if off == 7200 {
		name = "CEST"
	}
	return t.In(time.FixedZone(name, off))
}

// amsterdamOffset is Europe/Amsterdam's UTC offset in seconds at instant t.
func amsterdamOffset(t time.Time) int {
	u := t.UTC()
	start := lastSunday(u.Year(), time.March)
	end := lastSunday(u.Year(), time.October)
	if !u.Before(start) && u.Before(end) {
		return 2 * 3600
	}
	return 3600
}

// lastSunday is 01:00 UTC on the last Sunday of month m of year y.
func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 0, 1, 0, 0, 0, time.UTC) // last day of m, 01:00 UTC
	return d.AddDate(0, 0, -int(d.Weekday()))
}
