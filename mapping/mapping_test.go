package mapping

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradelink/tradelink/connector"
)

func TestParse(t *testing.T) {
	m := loadMapping(t, "override.json")
	if m.Entity != EntityOrder || len(m.Rules) != 3 || len(m.Filters) != 2 {
		t.Fatalf("parsed %+v", m)
	}
	want := Rule{Field: "Notes", Expr: `trim(Order.Notes + " (webshop order " + Order.Number + ")")`, On: OnCreate}
	if diff := cmp.Diff(want, m.Rules[1]); diff != "" {
		t.Errorf("rule (-want +got):\n%s", diff)
	}
	if got := m.Tables.TaxCodes.Countries["NL:21"]; got != "VH" {
		t.Errorf("tax code NL:21 = %q", got)
	}
	if got := m.Settings[SettingHomeCountry]; got != "NL" {
		t.Errorf("homeCountry = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		file string
		want []string // each is part of the error
	}{
		{"bad_on.json", []string{`mapping: line 5, column 69: rules[1].on: "sometimes" is not create, update or both`}},
		{"bad_syntax.json", []string{"mapping: line 5, column 3: invalid character ']'"}},
		{"bad_type.json", []string{"line 4, column 53: rules[0].on: cannot use a JSON number here (want mapping.When)"}},
		{"bad_unknown.json", []string{"line 4, column 38: rules[0].expression: unknown field"}},
		{"bad_many.json", []string{
			`line 2, column 13: entity: "invoice" is not order, customer, product or stock`,
			`line 4, column 15: rules[0].field: is required`,
			`line 5, column 32: rules[1].expr: is required (rule for "Notes")`,
			`line 7, column 15: rules[3].field: "Number" has a second rule for the same mode`,
			`line 9, column 15: filters[0]: is empty`,
			`line 11, column 56: tables.tax_codes.countries.NL:high: "high" is not a tax rate`,
			`line 11, column 40: tables.tax_codes.countries.NLD: "NLD" is not an ISO 3166-1 alpha-2 country code`,
			`line 12, column 35: tables.custom.payment_methods: "payment_methods" is the name of a built-in table`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(data)
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", m)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *ParseError", err)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "mapping: empty input"},
		{"   ", "mapping: empty input"},
		{"[]", "cannot use a JSON array here"},
		{`{"entity": "order", "rules": []} {}`, "line 1, column 34: unexpected data after the mapping object"},
		{`{"entity": "order", "rules": [}`, "line 1, column 31: invalid character '}'"},
		{`{"entity": "order"`, "unexpected EOF"},
		{`{"entity": "order", "settings": {"homeCountry": 1}}`, "line 1, column 49: settings.homeCountry: cannot use a JSON number here (want string)"},
		{"{\"entity\": \"order\",\n \"rules\": [{\"field\": \"Notes\", \"expr\": \"x\", \"on\": \"créate\"}]}", `line 2, column 50: rules[0].on: "créate" is not create`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestDefaultRoundTripsThroughJSON(t *testing.T) {
	for _, e := range []Entity{EntityOrder, EntityCustomer, EntityProduct, EntityStock} {
		t.Run(string(e), func(t *testing.T) {
			m := Default(e)
			data, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse(Marshal(Default)) = %v\n%s", err, data)
			}
			if diff := cmp.Diff(m, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	if m := Default("invoice"); m != nil {
		t.Errorf("Default(invoice) = %+v, want nil", m)
	}
	// Each call returns a fresh value.
	a := Default(EntityOrder)
	a.Rules[0].Expr = "changed"
	if Default(EntityOrder).Rules[0].Expr == "changed" {
		t.Error("Default shares its rules between calls")
	}
}

func TestWith(t *testing.T) {
	base := &Mapping{
		Entity: EntityOrder,
		Rules: []Rule{
			{Field: "Number", Expr: "Order.Number"},
			{Field: "Notes", Expr: "Order.Notes", On: OnCreate},
			{Field: "Notes", Expr: `"updated"`, On: OnUpdate},
		},
		Filters:  []string{"Order.Paid"},
		Settings: map[string]string{"homeCountry": "NL", "keep": "1"},
		Tables: Tables{
			PaymentMethods: map[string]string{"ideal": "IDEAL", "paypal": "PP"},
			TaxCodes:       CountryTable{Countries: map[string]string{"NL:21": "VH"}, Domestic: "D", EU: "E"},
			Custom:         map[string]map[string]string{"a": {"k": "v"}},
		},
	}
	baseJSON, _ := json.Marshal(base)
	override := &Mapping{
		Rules: []Rule{
			{Field: "Notes", Expr: `"from override"`},
			{Field: "Currency", Expr: `"EUR"`},
		},
		Settings: map[string]string{"homeCountry": "BE"},
		Tables: Tables{
			PaymentMethods: map[string]string{"paypal": "PAYPAL", "klarna": "KL"},
			TaxCodes:       CountryTable{Countries: map[string]string{"NL:9": "VL"}, EU: "EU2"},
			Custom:         map[string]map[string]string{"a": {"k2": "v2"}, "b": {"x": "y"}},
		},
	}
	overrideJSON, _ := json.Marshal(override)

	got := base.With(override)
	want := &Mapping{
		Entity: EntityOrder,
		Rules: []Rule{
			{Field: "Number", Expr: "Order.Number"},
			{Field: "Notes", Expr: `"from override"`},
			{Field: "Currency", Expr: `"EUR"`},
		},
		Filters:  []string{"Order.Paid"},
		Settings: map[string]string{"homeCountry": "BE", "keep": "1"},
		Tables: Tables{
			PaymentMethods: map[string]string{"ideal": "IDEAL", "paypal": "PAYPAL", "klarna": "KL"},
			TaxCodes:       CountryTable{Countries: map[string]string{"NL:21": "VH", "NL:9": "VL"}, Domestic: "D", EU: "EU2"},
			Custom:         map[string]map[string]string{"a": {"k": "v", "k2": "v2"}, "b": {"x": "y"}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("With (-want +got):\n%s", diff)
	}
	if b, _ := json.Marshal(base); string(b) != string(baseJSON) {
		t.Error("With changed the base mapping")
	}
	if b, _ := json.Marshal(override); string(b) != string(overrideJSON) {
		t.Error("With changed the override")
	}

	t.Run("filters", func(t *testing.T) {
		if got := base.With(&Mapping{Filters: []string{"Order.Totals.Total > 0"}}).Filters; !cmp.Equal(got, []string{"Order.Totals.Total > 0"}) {
			t.Errorf("replaced filters = %q", got)
		}
		cleared := loadMapping(t, "clear_filters.json")
		if got := base.With(cleared).Filters; len(got) != 0 {
			t.Errorf("filters after an empty list = %q, want none", got)
		}
		if got := base.With(nil); !cmp.Equal(got, base) {
			t.Errorf("With(nil) = %+v", got)
		}
	})
	t.Run("entity mismatch surfaces in Compile", func(t *testing.T) {
		m := base.With(&Mapping{Entity: EntityProduct})
		if _, err := Compile[connector.Order](m); err == nil || !strings.Contains(err.Error(), `the mapping is for "product" records`) {
			t.Errorf("Compile = %v", err)
		}
	})
}
