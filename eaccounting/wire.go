package eaccounting

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Number is a decimal amount or quantity that travels as a bare JSON number,
// as eAccounting's schema requires ("type": "number"). It embeds
// [decimal.Decimal], so every decimal method works on it; shopspring's own
// JSON encoding would quote the value, which the API's number fields do not
// accept.
//
// Decoding accepts a JSON number, a quoted number and null (zero), and never
// goes through float64.
type Number struct{ decimal.Decimal }

// Num wraps d as a Number.
func Num(d decimal.Decimal) Number { return Number{d} }

// NumInt returns n as a Number.
func NumInt(n int64) Number { return Number{decimal.NewFromInt(n)} }

// MarshalJSON implements json.Marshaler: the value as a bare JSON number.
func (n Number) MarshalJSON() ([]byte, error) { return []byte(n.Decimal.String()), nil }

// UnmarshalJSON implements json.Unmarshaler.
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		n.Decimal = decimal.Zero
		return nil
	}
	if err := n.Decimal.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("not a decimal number: %.40q", b)
	}
	return nil
}

// Date is a calendar date. It is sent as "YYYY-MM-DD", the format the field
// descriptions ask for although the schema types these fields date-time;
// decoding accepts both forms. The zero Date is sent as null or left out.
type Date struct{ time.Time }

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// MarshalJSON implements json.Marshaler.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.Format(time.DateOnly) + `"`), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *Date) UnmarshalJSON(b []byte) error {
	t, err := parseTime(b)
	d.Time = t
	return err
}

// Time is a date-time of the API (CreatedUtc, ChangedUtc, ModifiedUtc …).
// How the API writes these is unconfirmed, so decoding accepts RFC 3339
// with or without a zone offset (without one the time is taken as UTC, as
// the properties' names say), with or without fractional seconds, a plain
// date, and null. The zero Time is sent as null or left out.
type Time struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.UTC().Format(time.RFC3339Nano) + `"`), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	v, err := parseTime(b)
	t.Time = v
	return err
}

// parseTime reads a JSON date or date-time in the forms Date and Time
// accept; null and "" are the zero time.
func parseTime(b []byte) (time.Time, error) {
	s := string(bytes.TrimSpace(b))
	if s == "null" || s == `""` {
		return time.Time{}, nil
	}
	s = strings.Trim(s, `"`)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date-time: %.40q", s)
}

// InvoiceAddress is the invoice address of a sales document. Which of its
// fields are writable depends on the document (see Order, InvoiceDraft,
// Quote).
type InvoiceAddress struct {
	InvoiceCustomerName string `json:"InvoiceCustomerName,omitempty"`
	InvoiceAddress1     string `json:"InvoiceAddress1,omitempty"`
	InvoiceAddress2     string `json:"InvoiceAddress2,omitempty"`
	InvoicePostalCode   string `json:"InvoicePostalCode,omitempty"`
	InvoiceCity         string `json:"InvoiceCity,omitempty"`
	// InvoiceCountryCode is an ISO 3166-1 alpha-2 code.
	InvoiceCountryCode string `json:"InvoiceCountryCode,omitempty"`
}

// DeliveryAddress is the delivery address of a customer or a sales
// document.
type DeliveryAddress struct {
	DeliveryCustomerName string `json:"DeliveryCustomerName,omitempty"`
	DeliveryAddress1     string `json:"DeliveryAddress1,omitempty"`
	DeliveryAddress2     string `json:"DeliveryAddress2,omitempty"`
	DeliveryPostalCode   string `json:"DeliveryPostalCode,omitempty"`
	DeliveryCity         string `json:"DeliveryCity,omitempty"`
	// DeliveryCountryCode is an ISO 3166-1 alpha-2 code.
	DeliveryCountryCode string `json:"DeliveryCountryCode,omitempty"`
}

// DocumentCustomer is the read-only copy of the customer on a sales
// document.
type DocumentCustomer struct {
	CustomerNumber          string `json:"CustomerNumber,omitempty"`
	CustomerName            string `json:"CustomerName,omitempty"`
	CustomerIsPrivatePerson bool   `json:"CustomerIsPrivatePerson,omitempty"`
}

// Row holds what the rows of every sales document have. A row without
// ArticleID is a text row, whose Text needs at least one character.
type Row struct {
	ID            string `json:"Id,omitempty"`
	ArticleID     string `json:"ArticleId,omitempty"`
	ArticleNumber string `json:"ArticleNumber,omitempty"`
	// Text defaults to the article's name.
	Text string `json:"Text,omitempty"`
	// UnitPrice includes VAT when the document's IncludesVat is set.
	UnitPrice Number `json:"UnitPrice"`
	Quantity  Number `json:"Quantity"`
	// DiscountPercentage is a fraction: 0.1 is 10 %.
	DiscountPercentage Number `json:"DiscountPercentage"`
	// VatRate (read-only) is the row's VAT rate; see VATPercent for its
	// unit. It is null for text rows.
	VatRate *Number `json:"VatRate,omitempty"`
	// Amount is the row total, computed by the server.
	Amount Number `json:"Amount,omitzero"`
}
