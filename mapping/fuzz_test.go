package mapping

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// fuzzTargets are the target fields the fuzz test writes, of every kind of
// type the canonical order has.
var fuzzTargets = []string{
	"Notes", "Number", "Status", "Paid", "ShippingCost", "CreatedAt", "Customer.Email",
	"BillingAddress.Country", "CustomFields.x", "Lines[].TaxCode", "Lines[].Quantity",
	"Lines[].Attributes", "Totals", "Discounts",
}

// fuzzOrder builds an order from fuzzed values: text lands in string
// fields, amount and exp make decimals, lines is the number of lines.
func fuzzOrder(text string, amount int64, exp int8, lines uint8) connector.Order {
	d := decimal.New(amount, int32(exp%20))
	o := connector.Order{
		Number: text, Notes: text, PaymentMethod: text, Status: connector.OrderStatus(text),
		ShippingCost: d, Paid: amount%2 == 0,
		CreatedAt:      time.Unix(amount%(1<<40), 0),
		Customer:       connector.Customer{Email: text, VATNumber: text},
		BillingAddress: connector.Address{Street: text, Country: text},
		Totals:         connector.Totals{Total: d.Neg()},
		CustomFields:   map[string]string{text: text, "x": text},
	}
	for i := range int(lines % 5) {
		o.Lines = append(o.Lines, connector.OrderLine{SKU: text, Quantity: decimal.NewFromInt(int64(i)), UnitPrice: d, TaxRate: d})
	}
	return o
}

// FuzzCompileApply feeds random expressions and records to Compile, Apply
// and Match: none may panic, and errors must be the documented types.
func FuzzCompileApply(f *testing.F) {
	seeds := []string{
		`Order.Notes`,
		`lookup("payment_methods", Order.PaymentMethod, Order.PaymentMethod)`,
		`taxCode(coalesce(Order.ShippingAddress.Country, Order.BillingAddress.Country), Line.TaxRate, Order.Customer.VATNumber)`,
		`splitStreet(Order.BillingAddress.Street).Number`,
		`round(Order.ShippingCost * dec("1.21"), 2)`,
		`Order.ShippingCost / (Order.ShippingCost - Order.ShippingCost)`,
		`-Order.Totals.Total + 1 > 0`,
		`formatDate(Order.CreatedAt, "date")`,
		`dec(Order.Notes)`,
		`int(Order.Notes)`,
		`Order.Lines[LineIndex + 1].SKU`,
		`map(1..100000, # * 2)`,
		`Order.Paid ? Order.Notes : 1`,
		`nil`,
		`Order.CustomFields[Order.Notes]`,
		`let x = Order.Notes; x + x`,
		`toJSON(Order)`,
	}
	for i, s := range seeds {
		f.Add(s, uint8(i), "Hoofdstraat 12a", int64(i*1234-5000), int8(-2), uint8(3))
	}
	p, err := Compile[connector.Order](Default(EntityOrder))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string, target uint8, text string, amount int64, exp int8, lines uint8) {
		field := fuzzTargets[int(target)%len(fuzzTargets)]
		tables := Tables{
			PaymentMethods: map[string]string{text: text},
			TaxCodes:       CountryTable{Countries: map[string]string{"NL": text}, EU: text},
		}
		settings := map[string]string{SettingHomeCountry: text}
		o := fuzzOrder(text, amount, exp, lines)
		opt := Options{Mode: Mode(1 + target%2), Now: time.Unix(amount, 0), Record: "fuzz"}
		// The default program on fuzzed records.
		var dst connector.Order
		if _, err := p.Apply(&o, &dst, opt); err != nil {
			checkApplyError(t, err)
		}
		// The expression as a rule, and as a filter.
		if prog := fuzzCompile(t, &Mapping{Rules: []Rule{{Field: field, Expr: src}}, Tables: tables, Settings: settings}); prog != nil {
			dst = connector.Order{}
			if _, err := prog.Apply(&o, &dst, opt); err != nil {
				checkApplyError(t, err)
			}
		}
		if prog := fuzzCompile(t, &Mapping{Filters: []string{src}, Tables: tables, Settings: settings}); prog != nil {
			if _, err := prog.Match(&o, opt); err != nil {
				checkApplyError(t, err)
			}
		}
	})
}

// fuzzCompile compiles m, failing on a panic or an undocumented error, and
// returns nil when m does not compile.
func fuzzCompile(t *testing.T, m *Mapping) *Program[connector.Order] {
	t.Helper()
	prog, err := Compile[connector.Order](m)
	if err == nil {
		return prog
	}
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *CompileError
		var pe *ParseError
		switch {
		case errors.As(e, &ce):
			if strings.Contains(ce.Msg, "internal error") {
				t.Fatalf("Compile panicked: %v", err)
			}
		case errors.As(e, &pe):
		default:
			t.Fatalf("Compile = %T %v", e, e)
		}
	}
	return nil
}

func checkApplyError(t *testing.T, err error) {
	t.Helper()
	var ae *ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("error %T %v is not an *ApplyError", err, err)
	}
	if strings.Contains(err.Error(), "internal error") {
		t.Fatalf("Apply panicked: %v", err)
	}
}
