package demo

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mapping"
)

func TestLoadMappings(t *testing.T) {
	m, err := LoadMappings("testdata/mappings.json")
	if err != nil {
		t.Fatal(err)
	}
	want := Mappings{
		Order:    &mapping.Mapping{Entity: mapping.EntityOrder, Tables: mapping.Tables{PaymentTerms: map[string]string{"BankTransfer": "14 dagen"}}},
		Customer: &mapping.Mapping{Entity: mapping.EntityCustomer, Rules: []mapping.Rule{{Field: "Number", Expr: "Customer.ID", On: mapping.OnCreate}}},
		Product:  &mapping.Mapping{Entity: mapping.EntityProduct, Filters: []string{"Product.Price > 0"}},
	}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("mappings (-want +got):\n%s", diff)
	}
	// The overrides compile on top of the defaults.
	if _, err := mapping.Compile[connector.Order](mapping.Default(mapping.EntityOrder).With(m.Order)); err != nil {
		t.Errorf("order mapping: %v", err)
	}
	if _, err := mapping.Compile[connector.Customer](mapping.Default(mapping.EntityCustomer).With(m.Customer)); err != nil {
		t.Errorf("customer mapping: %v", err)
	}
}

func TestLoadMappingsErrors(t *testing.T) {
	if _, err := LoadMappings("testdata/missing.json"); err == nil || !strings.Contains(err.Error(), "testdata/missing.json") {
		t.Errorf("missing file: %v", err)
	}
	_, err := LoadMappings("testdata/bad_rule.json")
	var pe *mapping.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *mapping.ParseError", err)
	}
	want := mapping.ParseError{Line: 6, Column: 64, Field: "customer.rules[0].on", Msg: `"sometimes" is not create, update or both`}
	if diff := cmp.Diff(want, *pe); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(err.Error(), "mappings testdata/bad_rule.json: mapping: line 6, column 64: customer.rules[0].on:") {
		t.Errorf("message %q", err)
	}
}

// TestParseMappingsErrors checks that every problem is placed in the file,
// not in the entity's object.
func TestParseMappingsErrors(t *testing.T) {
	tests := []struct {
		name, json string
		want       mapping.ParseError
	}{
		{"empty", ``, mapping.ParseError{Line: 1, Column: 1, Msg: "unexpected end of JSON input"}},
		{"not an object", `[1]`, mapping.ParseError{Line: 1, Column: 1, Msg: "want a JSON object with the keys order, customer and product"}},
		{"syntax in entity", "{\"order\": {\"rules\": [}\n}", mapping.ParseError{Line: 1, Column: 22, Msg: "invalid character '}' looking for beginning of value"}},
		{"unknown entity", "{\n  \"stock\": {}\n}", mapping.ParseError{Line: 2, Column: 3, Field: "stock", Msg: "unknown entity (want order, customer or product)"}},
		{"twice", `{"order": {}, "order": {}}`, mapping.ParseError{Line: 1, Column: 15, Field: "order", Msg: "appears twice"}},
		{"entity not an object", "{\n \"order\": 5}", mapping.ParseError{Line: 2, Column: 11, Field: "order", Msg: "want a JSON object (a mapping)"}},
		{"other entity", `{"order": {"entity": "customer"}}`, mapping.ParseError{Line: 1, Column: 11, Field: "order.entity", Msg: `must be "order" here, or left out`}},
		{"unknown field", "{\"order\": {\n  \"rulez\": []}}", mapping.ParseError{Line: 2, Column: 12, Field: "order.rulez", Msg: "unknown field"}},
		{"wrong type", "{\"product\": {\"filters\": \"x\"}}", mapping.ParseError{Line: 1, Column: 25, Field: "product.filters", Msg: "cannot use a JSON string here (want []string)"}},
		{"rule without expr", "{\"customer\": {\"rules\": [\n  {\"field\": \"Email\"}]}}", mapping.ParseError{Line: 2, Column: 3, Field: "customer.rules[0].expr", Msg: `is required (rule for "Email")`}},
		{"trailing data", `{} {}`, mapping.ParseError{Line: 1, Column: 4, Msg: "invalid character '{' after top-level value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMappings([]byte(tt.json))
			var pe *mapping.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseMappings = %v, want a *mapping.ParseError", err)
			}
			if diff := cmp.Diff(tt.want, *pe); diff != "" {
				t.Errorf("error %q (-want +got):\n%s", err, diff)
			}
		})
	}
}

func TestParseMappingsJoinedErrors(t *testing.T) {
	_, err := ParseMappings([]byte("{\"order\": {\n \"rules\": [{\"field\": \"\", \"expr\": \"1\"},\n  {\"field\": \"Notes\", \"expr\": \"\"}]}}"))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"line 2, column 22: order.rules[0].field: is required", "line 3, column 30: order.rules[1].expr: is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestOffsetOfInvertsLineCol(t *testing.T) {
	data := []byte("ab\n\ncdé\nf")
	for off := int64(0); off <= int64(len(data)); off++ {
		if data[max(off-1, 0)] == 0xc3 { // inside é
			continue
		}
		line, col := lineCol(data, off)
		if got := offsetOf(data, line, col); got != off {
			t.Errorf("offsetOf(lineCol(%d) = %d:%d) = %d", off, line, col, got)
		}
	}
}
