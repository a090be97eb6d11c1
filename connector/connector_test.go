package connector

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func validOrder() Order {
	return Order{
		ID: "42", Number: "1001", Currency: "EUR", Status: StatusNew, Paid: true,
		Customer:       Customer{Email: "jan@example.nl", FirstName: "Jan", LastName: "Jansen"},
		BillingAddress: Address{Street: "Hoofdstraat", HouseNumber: "12", HouseNumberSuffix: "a", PostalCode: "1011AB", City: "Amsterdam", Country: "NL"},
		Lines: []OrderLine{
			{SKU: "A-1", Name: "Mug", Quantity: d("2"), UnitPrice: d("9.95"), TaxRate: d("21")},
		},
		ShippingCost: d("4.95"), ShippingTaxRate: d("21"),
	}
}

func fields(err error) []string {
	var out []string
	var ves ValidationErrors
	if errors.As(err, &ves) {
		for _, e := range ves {
			out = append(out, e.Field)
		}
	}
	return out
}

func TestOrderValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Order)
		want   []string
	}{
		{"valid", func(*Order) {}, nil},
		{"missing SKU", func(o *Order) { o.Lines[0].SKU = "" }, []string{"Lines[0].SKU"}},
		{"negative quantity", func(o *Order) { o.Lines[0].Quantity = d("-1") }, []string{"Lines[0].Quantity"}},
		{"zero quantity", func(o *Order) { o.Lines[0].Quantity = decimal.Zero }, []string{"Lines[0].Quantity"}},
		{"country not alpha-2", func(o *Order) { o.BillingAddress.Country = "NLD" }, []string{"BillingAddress.Country"}},
		{"lower-case country", func(o *Order) { o.ShippingAddress.Country = "nl" }, []string{"ShippingAddress.Country"}},
		{"money without currency", func(o *Order) { o.Currency = "" }, []string{"Currency"}},
		{"unknown currency", func(o *Order) { o.Currency = "EURO" }, []string{"Currency"}},
		{"tax rate over 100", func(o *Order) { o.Lines[0].TaxRate = d("121") }, []string{"Lines[0].TaxRate"}},
		{"no lines", func(o *Order) { o.Lines = nil }, []string{"Lines"}},
		{"no reference", func(o *Order) { o.ID, o.Number = "", "" }, []string{"ID"}},
		{"bad status", func(o *Order) { o.Status = "shipped-ish" }, []string{"Status"}},
		{"bad customer e-mail", func(o *Order) { o.Customer.Email = "jan@" }, []string{"Customer.Email"}},
		{"customer country", func(o *Order) { o.Customer.BillingAddress.Country = "Netherlands" }, []string{"Customer.BillingAddress.Country"}},
		{"several", func(o *Order) { o.Lines[0].SKU = ""; o.Lines[0].Quantity = d("-2") }, []string{"Lines[0].SKU", "Lines[0].Quantity"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOrder()
			tt.mutate(&o)
			err := o.Validate()
			if diff := cmp.Diff(tt.want, fields(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s\nerr: %v", diff, err)
			}
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("errors.As(*ValidationError) failed for %v", err)
				}
				if !strings.Contains(err.Error(), ve.Field) || !strings.Contains(err.Error(), `order "`+o.Ref()+`"`) {
					t.Errorf("error %q does not name record and field %s", err, ve.Field)
				}
			}
		})
	}
}

func TestValidateDoesNotEchoPersonalData(t *testing.T) {
	o := validOrder()
	o.Customer.Email = "secret.person@@example.nl"
	err := o.Validate()
	if err == nil || strings.Contains(err.Error(), "secret.person") {
		t.Fatalf("error leaks or is missing: %v", err)
	}
}

func TestCustomerValidate(t *testing.T) {
	tests := []struct {
		c    Customer
		want []string
	}{
		{Customer{Email: "a@b.nl"}, nil},
		{Customer{CompanyName: "Acme BV", BillingAddress: Address{Country: "BE"}}, nil},
		{Customer{}, []string{"Email"}},
		{Customer{FirstName: "An", Email: "not-an-email"}, []string{"Email"}},
		{Customer{FirstName: "An", ShippingAddress: Address{Country: "XX"}}, []string{"ShippingAddress.Country"}},
		{Customer{FirstName: "An", Currency: "eur"}, []string{"Currency"}},
	}
	for i, tt := range tests {
		if diff := cmp.Diff(tt.want, fields(tt.c.Validate())); diff != "" {
			t.Errorf("%d: (-want +got):\n%s", i, diff)
		}
	}
}

func TestProductValidate(t *testing.T) {
	base := func() Product {
		return Product{
			SKU: "TS", Name: "T-shirt", Price: d("19.95"), TaxRate: d("21"), Currency: "EUR", Type: ProductConfigurable,
			Attributes: []Attribute{{Name: "Size", Values: []string{"S", "M"}}},
			Variants: []Variant{
				{SKU: "TS-S", Attributes: []AttributeValue{{Name: "Size", Value: "S"}}},
				{SKU: "TS-M", Price: decimal.NewNullDecimal(d("21.95")), Attributes: []AttributeValue{{Name: "Size", Value: "M"}}},
			},
		}
	}
	tests := []struct {
		name   string
		mutate func(*Product)
		want   []string
	}{
		{"valid", func(*Product) {}, nil},
		{"missing SKU", func(p *Product) { p.SKU = "" }, []string{"SKU"}},
		{"missing name", func(p *Product) { p.Name = " " }, []string{"Name"}},
		{"negative price", func(p *Product) { p.Price = d("-1") }, []string{"Price"}},
		{"bad type", func(p *Product) { p.Type = "bundle" }, []string{"Type"}},
		{"variants on simple", func(p *Product) { p.Type = ProductSimple }, []string{"Variants"}},
		{"variant SKU missing", func(p *Product) { p.Variants[0].SKU = "" }, []string{"Variants[0].SKU"}},
		{"duplicate SKU", func(p *Product) { p.Variants[1].SKU = "TS-S" }, []string{"Variants[1].SKU"}},
		{"undeclared axis", func(p *Product) { p.Variants[0].Attributes[0].Name = "Colour" }, []string{"Variants[0].Attributes[0].Name"}},
		{"negative variant price", func(p *Product) { p.Variants[1].Price = decimal.NewNullDecimal(d("-2")) }, []string{"Variants[1].Price"}},
		{"negative reserved", func(p *Product) { p.Stock = &StockLevel{SKU: "TS", Reserved: d("-1")} }, []string{"Stock.Reserved"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.mutate(&p)
			if diff := cmp.Diff(tt.want, fields(p.Validate())); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestStockLevel(t *testing.T) {
	if diff := cmp.Diff([]string{"SKU"}, fields(StockLevel{}.Validate())); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"Reserved"}, fields(StockLevel{SKU: "A", Reserved: d("-1")}.Validate())); diff != "" {
		t.Error(diff)
	}
	if err := (StockLevel{SKU: "A", OnHand: d("-3")}).Validate(); err != nil {
		t.Errorf("negative on hand is legal: %v", err)
	}
	n := StockLevel{SKU: "A", OnHand: d("10"), Reserved: d("3")}.Normalize()
	if !n.Available.Equal(d("7")) {
		t.Errorf("available = %s, want 7", n.Available)
	}
	n = StockLevel{SKU: "A", OnHand: d("10"), Reserved: d("3"), Available: d("5")}.Normalize()
	if !n.Available.Equal(d("5")) {
		t.Errorf("reported available overwritten: %s", n.Available)
	}
}

func TestDecimalJSONRoundTrip(t *testing.T) {
	o := validOrder()
	o.Lines[0].UnitPrice = d("0.1")
	o.Lines = append(o.Lines, OrderLine{SKU: "B", Quantity: d("0.333"), UnitPrice: d("12345678901234567.89"), TaxRate: d("9")})
	o.Totals.Total = d("0.3")
	o.CreatedAt = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"unit_price":"12345678901234567.89"`) {
		t.Errorf("money is not encoded as an exact string: %s", b)
	}
	var back Order
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(o, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// A sum that floats get wrong stays exact.
	if s := back.Lines[0].UnitPrice.Add(d("0.2")); !s.Equal(back.Totals.Total) {
		t.Errorf("0.1+0.2 = %s", s)
	}
}

func TestAPIError(t *testing.T) {
	var err error = fmt.Errorf("listing: %w", &APIError{System: "ccvshop", Method: "GET", Path: "/api/rest/v1/orders/", StatusCode: 429, Code: "429.10", Message: "rate limit", RequestID: "r-1"})
	ae, ok := errors.AsType[*APIError](err)
	if !ok || ae.Code != "429.10" {
		t.Fatalf("errors.As: %v", err)
	}
	if !ae.Retryable() || !Retryable(err) {
		t.Error("429 must be retryable")
	}
	want := "ccvshop: GET /api/rest/v1/orders/: 429 Too Many Requests (code 429.10): rate limit [request r-1]"
	if ae.Error() != want {
		t.Errorf("Error() = %q", ae.Error())
	}
	nf := &APIError{StatusCode: 404}
	if !errors.Is(fmt.Errorf("x: %w", nf), ErrNotFound) {
		t.Error("404 must match ErrNotFound")
	}
	if (&APIError{StatusCode: 400}).Retryable() || Retryable(&APIError{StatusCode: 401}) {
		t.Error("4xx must not be retryable")
	}
	if !(&APIError{StatusCode: 500, Temporary: true}).Retryable() {
		t.Error("Temporary must be retryable")
	}
	ou := fmt.Errorf("create: %w", &OutcomeUnknownError{System: "x", Method: "POST", Path: "/orders", Err: errors.New("timeout")})
	if !errors.Is(ou, ErrOutcomeUnknown) || !Retryable(ou) {
		t.Error("outcome unknown must match and be retryable after lookup")
	}
	if Retryable(nil) || Retryable(errors.New("x")) {
		t.Error("plain errors are not retryable")
	}
}

func TestSecretNeverPrints(t *testing.T) {
	const sentinel = "s3cr3t-SENTINEL"
	creds := struct {
		Public string
		Secret Secret
	}{"pub", Secret(sentinel)}
	var out []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s"} {
		out = append(out, fmt.Sprintf(f, creds), fmt.Sprintf(f, creds.Secret))
	}
	j, _ := json.Marshal(creds)
	out = append(out, string(j), creds.Secret.String())
	var sb strings.Builder
	slog.New(slog.NewJSONHandler(&sb, nil)).Info("creds", "secret", creds.Secret, "creds", creds)
	out = append(out, sb.String())
	for _, s := range out {
		if strings.Contains(s, sentinel) || strings.Contains(s, fmt.Sprintf("%x", sentinel)) {
			t.Errorf("secret leaked: %s", s)
		}
	}
	if creds.Secret.Reveal() != sentinel {
		t.Error("Reveal")
	}
}

func TestAddressStreetLine(t *testing.T) {
	tests := []struct {
		a    Address
		want string
	}{
		{Address{Street: "Hoofdstraat", HouseNumber: "12", HouseNumberSuffix: "a"}, "Hoofdstraat 12a"},
		{Address{Street: "Hauptstraße", HouseNumber: "5", HouseNumberSuffix: "b "}, "Hauptstraße 5 b "},
		{Address{Street: "Lange Nieuwstraat", HouseNumber: "12", HouseNumberSuffix: "bis"}, "Lange Nieuwstraat 12 bis"},
		{Address{Street: "Kerkstraat", HouseNumber: "1", HouseNumberSuffix: "-3"}, "Kerkstraat 1-3"},
		{Address{Street: "Main Street 12"}, "Main Street 12"},
	}
	for _, tt := range tests {
		if got := tt.a.StreetLine(); got != tt.want {
			t.Errorf("StreetLine() = %q, want %q", got, tt.want)
		}
	}
}

func TestCustomerNames(t *testing.T) {
	c := Customer{CompanyName: " Acme BV ", FirstName: "Jan", LastName: "Jansen"}
	if !c.IsCompany() || c.DisplayName() != "Acme BV" || c.FullName() != "Jan Jansen" {
		t.Errorf("company: %v %q %q", c.IsCompany(), c.DisplayName(), c.FullName())
	}
	p := Customer{Email: "x@y.nl"}
	if p.IsCompany() || p.DisplayName() != "x@y.nl" {
		t.Error("person")
	}
}

func TestKindsAndStatuses(t *testing.T) {
	for _, k := range []OrderKind{KindOrder, KindInvoice, KindQuote, KindDraft} {
		if !k.Valid() {
			t.Errorf("%s invalid", k)
		}
	}
	if OrderKind("receipt").Valid() || OrderStatus("x").Valid() || !StatusShipped.Valid() {
		t.Error("unexpected validity")
	}
}
