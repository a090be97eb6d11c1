package mapping

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// eval compiles src as an expression on orders with the tables and
// settings of m and runs it in the VM on o.
func eval(t *testing.T, m *Mapping, o *connector.Order, src string) (any, []Miss, error) {
	t.Helper()
	if m == nil {
		m = &Mapping{Entity: EntityOrder}
	}
	p := mustCompile[connector.Order](t, m)
	c, err := compileExpr(p.e.spec, scopeRecord, &p.e.m.Tables, "Test", src)
	if err != nil {
		return nil, nil, err
	}
	st := p.e.get(unsafe.Pointer(o), Options{Now: runTime})
	defer p.e.put(st)
	st.rt.field = "Test"
	v, err := st.vm.Run(c.prog, p.e.spec.env(st, scopeRecord))
	if err != nil {
		return nil, nil, evalError(src, err)
	}
	var misses []Miss
	if len(st.rt.misses) > 0 {
		misses = append(misses, st.rt.misses...)
	}
	return v, misses, nil
}

// builtinCase is an expression, the value it gives, or a part of the
// compile or run error it gives.
type builtinCase struct {
	expr    string
	want    any
	wantErr string
}

func runBuiltinCases(t *testing.T, m *Mapping, o *connector.Order, cases []builtinCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			got, _, err := eval(t, m, o, tc.expr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want it to contain %q (value %v)", err, tc.wantErr, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, decimalCmp); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitStreet(t *testing.T) {
	tests := []struct {
		in   string
		want StreetParts
	}{
		{"Hoofdstraat 12a", StreetParts{"Hoofdstraat", "12", "a"}},
		{"Kerkstraat 1-3", StreetParts{"Kerkstraat", "1", "-3"}},
		{"Lange Nieuwstraat 12 bis", StreetParts{"Lange Nieuwstraat", "12", "bis"}},
		{"Hauptstraße 5 b", StreetParts{"Hauptstraße", "5", "b"}},
		{"12 Main Street", StreetParts{"Main Street", "12", ""}},
		{"221B Baker Street", StreetParts{"Baker Street", "221", "B"}},
		{"Rue de la Loi 16 bus 3", StreetParts{"Rue de la Loi", "16", "bus 3"}},
		{"Avenue Louise 54 bte 12", StreetParts{"Avenue Louise", "54", "bte 12"}},
		{"Straße des 17. Juni 135", StreetParts{"Straße des 17. Juni", "135", ""}},
		{"2e Hugo de Grootstraat 12-II", StreetParts{"2e Hugo de Grootstraat", "12", "-II"}},
		{"Hoofdstraat 12/A", StreetParts{"Hoofdstraat", "12", "A"}},
		{"Hoofdstraat 12 hs", StreetParts{"Hoofdstraat", "12", "hs"}},
		{"  Hoofdstraat   12   a  ", StreetParts{"Hoofdstraat", "12", "a"}},
		{"Hoofdstraat, 12", StreetParts{"Hoofdstraat", "12", ""}},
		{"Hoofdstraat12a", StreetParts{"Hoofdstraat", "12", "a"}},
		{"Postbus 1234", StreetParts{"Postbus", "1234", ""}},
		{"1600 Pennsylvania Avenue NW", StreetParts{"Pennsylvania Avenue NW", "1600", ""}},
		// No number: the whole line is the street.
		{"Hoofdstraat", StreetParts{"Hoofdstraat", "", ""}},
		{"Straße des 17. Juni", StreetParts{"Straße des 17. Juni", "", ""}},
		{"Rijksweg A2", StreetParts{"Rijksweg A2", "", ""}},
		// Garbage never fails.
		{"", StreetParts{}},
		{"   \t\n", StreetParts{}},
		{"12", StreetParts{"", "12", ""}},
		{"12a", StreetParts{"", "12", "a"}},
		{"!!!", StreetParts{"!!!", "", ""}},
		{"-", StreetParts{"-", "", ""}},
		{"Kerkstraat 12 achter de kerk links", StreetParts{"Kerkstraat 12 achter de kerk links", "", ""}},
		{"\xff\xfe 12", StreetParts{"\xff\xfe", "12", ""}},
		{"日本橋 1", StreetParts{"日本橋", "1", ""}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, SplitStreet(tc.in)); diff != "" {
				t.Errorf("SplitStreet(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestSplitStreetRoundTrip(t *testing.T) {
	// The parts join back through connector.Address.StreetLine.
	for _, line := range []string{"Hoofdstraat 12a", "Kerkstraat 1-3", "Lange Nieuwstraat 12 bis", "Hoofdstraat 7"} {
		p := SplitStreet(line)
		a := connector.Address{Street: p.Street, HouseNumber: p.Number, HouseNumberSuffix: p.Suffix}
		if got := a.StreetLine(); got != line {
			t.Errorf("StreetLine of SplitStreet(%q) = %q", line, got)
		}
	}
}

func TestBuiltinsStrings(t *testing.T) {
	o := &connector.Order{
		Number:         "1001",
		Notes:          "  Graag achterom \t",
		BillingAddress: connector.Address{Street: "Lange Nieuwstraat 12 bis", Country: "nl"},
	}
	runBuiltinCases(t, nil, o, []builtinCase{
		{expr: `splitStreet(Order.BillingAddress.Street).Street`, want: "Lange Nieuwstraat"},
		{expr: `splitStreet(Order.BillingAddress.Street).Number`, want: "12"},
		{expr: `splitStreet(Order.BillingAddress.Street).Suffix`, want: "bis"},
		{expr: `splitStreet("")`, want: StreetParts{}},
		{expr: `splitStreet(12)`, wantErr: "cannot use int as argument"},
		{expr: `splitStreet(Order.BillingAddress.Street).Flat`, wantErr: "has no field Flat"},
		{expr: `isEU(Order.BillingAddress.Country)`, want: true},
		{expr: `isEU("DE")`, want: true},
		{expr: `isEU(" el ")`, want: true},
		{expr: `isEU("GB")`, want: false},
		{expr: `isEU("CH")`, want: false},
		{expr: `isEU("")`, want: false},
		{expr: `isEU("NLD")`, want: false},
		{expr: `isEU(true)`, wantErr: "cannot use bool as argument"},
		{expr: `isCountry("NL")`, want: true},
		{expr: `isCountry("uk")`, want: true},
		{expr: `isCountry("XX")`, want: false},
		{expr: `isCountry("N")`, want: false},
		{expr: `isCountry("")`, want: false},
		{expr: `country(" nl ")`, want: "NL"},
		{expr: `country("uk")`, want: "GB"},
		{expr: `country("EL")`, want: "GR"},
		{expr: `country("")`, want: ""},
		{expr: `coalesce("", "  ", Order.Number, "x")`, want: "1001"},
		{expr: `coalesce("a")`, want: "a"},
		{expr: `coalesce()`, want: ""},
		{expr: `coalesce("", " ")`, want: ""},
		{expr: `coalesce("a", 1)`, wantErr: "cannot use int as argument"},
		{expr: `lower("ÄBC Straße")`, want: "äbc straße"},
		{expr: `upper("äbc")`, want: "ÄBC"},
		{expr: `trim(Order.Notes)`, want: "Graag achterom"},
		{expr: `trim("")`, want: ""},
		{expr: `lower(1)`, wantErr: "cannot use int as argument"},
		{expr: `trim("a", "b")`, wantErr: "too many arguments"},
		{expr: `Settings.homeCountry`, want: ""},
	})
}

func TestBuiltinsDecimal(t *testing.T) {
	o := &connector.Order{
		ShippingCost: dec("6.95"),
		Totals:       connector.Totals{Subtotal: dec("88.40"), Discount: dec("5.00"), Total: dec("95.35")},
		Notes:        "not a number",
	}
	runBuiltinCases(t, nil, o, []builtinCase{
		{expr: `Order.Totals.Subtotal + Order.ShippingCost - Order.Totals.Discount`, want: dec("90.35")},
		{expr: `Order.ShippingCost * 2`, want: dec("13.90")},
		{expr: `2 * Order.ShippingCost`, want: dec("13.90")},
		{expr: `Order.ShippingCost + 1 - 1`, want: dec("6.95")},
		{expr: `10 - Order.ShippingCost`, want: dec("3.05")},
		{expr: `Order.Totals.Total / 5`, want: dec("19.07")},
		{expr: `Order.ShippingCost / dec("0.5")`, want: dec("13.9")},
		{expr: `-Order.ShippingCost`, want: dec("-6.95")},
		{expr: `-(Order.ShippingCost + 1)`, want: dec("-7.95")},
		{expr: `Order.ShippingCost * dec("1.21")`, want: dec("8.4095")},
		{expr: `round(Order.ShippingCost * dec("1.21"), 2)`, want: dec("8.41")},
		{expr: `round(dec("2.345"), 2)`, want: dec("2.35")},
		{expr: `round(dec("-2.345"), 2)`, want: dec("-2.35")},
		{expr: `round(dec("2.5"), 0)`, want: dec("3")},
		{expr: `round(dec("1234.5"), -2)`, want: dec("1200")},
		{expr: `round(dec("1"), 29)`, wantErr: "places must be between"},
		{expr: `round(5, 2)`, wantErr: "cannot use int as argument"},
		{expr: `dec("1.21")`, want: dec("1.21")},
		{expr: `dec(7)`, want: dec("7")},
		{expr: `dec(" 3.50 ")`, want: dec("3.5")},
		{expr: `dec("abc")`, wantErr: "column 1: dec: not a decimal number"},
		{expr: `dec("1e70")`, wantErr: "decimal out of range"},
		{expr: `dec("1e999999999999")`, wantErr: "not a decimal number"},
		{expr: `dec(Order.Notes)`, wantErr: "dec: not a decimal number"},
		{expr: `dec(Order.Number + "5")`, want: dec("5")},
		{expr: `Order.ShippingCost > 5`, want: true},
		{expr: `Order.ShippingCost < 5`, want: false},
		{expr: `5 <= Order.ShippingCost`, want: true},
		{expr: `Order.ShippingCost >= dec("6.950")`, want: true},
		{expr: `Order.ShippingCost == dec("6.9500")`, want: true},
		{expr: `Order.ShippingCost != 7`, want: true},
		{expr: `Order.Totals.Total > 0 and Order.ShippingCost < 10`, want: true},
		{expr: `Order.ShippingCost / 0`, wantErr: "division by zero"},
		{expr: `Order.ShippingCost / (Order.ShippingCost - Order.ShippingCost)`, wantErr: "division by zero"},
		{expr: `Order.ShippingCost * 1.21`, wantErr: "mismatched types"},
		{expr: `Order.ShippingCost + "1"`, wantErr: "mismatched types"},
	})
}

func TestBuiltinsDatesAndNow(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		ams = time.FixedZone("CET", 3600)
	}
	o := &connector.Order{CreatedAt: time.Date(2025, 3, 14, 0, 30, 0, 0, ams)}
	runBuiltinCases(t, nil, o, []builtinCase{
		{expr: `formatDate(Order.CreatedAt, "date")`, want: "2025-03-13"}, // 00:30 CET is 23:30 UTC the day before
		{expr: `formatDate(Order.CreatedAt, "datetime")`, want: "2025-03-13 23:30:00"},
		{expr: `formatDate(Order.CreatedAt, "rfc3339")`, want: "2025-03-13T23:30:00Z"},
		{expr: `formatDate(Order.CreatedAt, "02-01-2006")`, want: "13-03-2025"},
		{expr: `formatDate(Order.UpdatedAt, "date")`, want: ""}, // unset
		{expr: `formatDate(Now, "date")`, want: "2025-03-14"},
		{expr: `formatDate(Order.CreatedAt, "` + strings.Repeat("2006", 17) + `")`, wantErr: "layout longer than 64"},
		{expr: `formatDate("2025-01-01", "date")`, wantErr: "cannot use string as argument"},
		{expr: `Now`, want: runTime},
		{expr: `now()`, wantErr: "unknown name now"},
		{expr: `date("2025-01-01")`, wantErr: "unknown name date"},
		{expr: `repeat("x", 1000000000)`, wantErr: "unknown name repeat"},
	})
}

func TestLookup(t *testing.T) {
	m := &Mapping{Entity: EntityOrder, Tables: Tables{
		PaymentMethods: map[string]string{"ideal": "IDEAL", "empty": ""},
		Custom:         map[string]map[string]string{"channels": {"web": "WEB"}, "unused": {}},
	}}
	tests := []struct {
		expr       string
		want       string
		wantMisses []Miss
		wantErr    string
	}{
		{expr: `lookup("payment_methods", "ideal", "x")`, want: "IDEAL"},
		{expr: `lookup("payment_methods", "empty", "x")`, want: ""},
		{expr: `lookup("payment_methods", "iDEAL", "other")`, want: "other",
			wantMisses: []Miss{{Field: "Test", Table: "payment_methods", Key: "iDEAL"}}},
		{expr: `lookup("payment_methods", "", "other")`, want: "other"},          // empty key: no miss
		{expr: `lookup("shipping_methods", "postnl", "postnl")`, want: "postnl"}, // not configured: no miss
		{expr: `lookup("channels", "web", "")`, want: "WEB"},
		{expr: `lookup("channels", "pos", "POS")`, want: "POS",
			wantMisses: []Miss{{Field: "Test", Table: "channels", Key: "pos"}}},
		{expr: `lookup("payment_methods", "x", "") + lookup("payment_methods", "x", "")`, want: "",
			wantMisses: []Miss{{Field: "Test", Table: "payment_methods", Key: "x"}}}, // once
		{expr: `lookup("unused", "k", "d")`, want: "d"},
		{expr: `lookup("nope", "k", "d")`, wantErr: `column 8: unknown table "nope"`},
		{expr: `lookup("no" + "pe", "k", "d")`, wantErr: "lookup: unknown table"},
		{expr: `lookup("payment_methods", "k")`, wantErr: "not enough arguments"},
		{expr: `lookup("payment_methods", 1, "d")`, wantErr: "cannot use int as argument"},
		{expr: `$rt`, wantErr: "unknown name $rt"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			got, misses, err := eval(t, m, &connector.Order{}, tc.expr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if diff := cmp.Diff(tc.wantMisses, misses); diff != "" {
				t.Errorf("misses (-want +got):\n%s", diff)
			}
		})
	}
}

// taxTable is a tax code table with every kind of entry.
var taxTable = CountryTable{
	Countries:  map[string]string{"NL:21": "VH", "NL:9": "VL", "nl:0": "V0", "DE": "DE-OSS", "FR:5.5": "FR-R"},
	Domestic:   "DOM",
	EU:         "EU",
	EUBusiness: "ICL",
	OutsideEU:  "EXP",
}

func TestCountryTableResolve(t *testing.T) {
	d := func(s string) *decimal.Decimal { v := dec(s); return &v }
	tests := []struct {
		name          string
		table         CountryTable
		country, vat  string
		rate          *decimal.Decimal
		home          string
		want, wantKey string
		wantOK        bool
	}{
		{name: "home country with rate", table: taxTable, country: "NL", rate: d("21"), home: "NL", want: "VH", wantOK: true},
		{name: "rate written with decimals", table: taxTable, country: "NL", rate: d("21.00"), home: "NL", want: "VH", wantOK: true},
		{name: "lower-case key and country", table: taxTable, country: " nl ", rate: d("0"), home: "NL", want: "V0", wantOK: true},
		{name: "home country, unknown rate", table: taxTable, country: "NL", rate: d("13"), home: "NL", want: "DOM", wantOK: true},
		{name: "empty country is home", table: taxTable, country: "", rate: d("9"), home: "NL", want: "VL", wantOK: true},
		{name: "empty country without home", table: taxTable, country: "", home: "", want: "DOM", wantOK: true},
		{name: "country entry", table: taxTable, country: "DE", rate: d("19"), home: "NL", want: "DE-OSS", wantOK: true},
		{name: "rate entry of other country", table: taxTable, country: "FR", rate: d("5.50"), home: "NL", want: "FR-R", wantOK: true},
		{name: "EU fallback", table: taxTable, country: "BE", rate: d("21"), home: "NL", want: "EU", wantOK: true},
		{name: "Greece as EL", table: taxTable, country: "EL", home: "NL", want: "EU", wantOK: true},
		{name: "outside EU", table: taxTable, country: "US", home: "NL", want: "EXP", wantOK: true},
		{name: "UK alias outside EU", table: taxTable, country: "uk", home: "NL", want: "EXP", wantOK: true},
		{name: "EU business with VAT number", table: taxTable, country: "BE", vat: "BE0123456789", home: "NL", want: "ICL", wantOK: true},
		{name: "reverse charge beats country entry", table: taxTable, country: "DE", vat: "DE123456789", rate: d("0"), home: "NL", want: "ICL", wantOK: true},
		{name: "domestic business pays VAT", table: taxTable, country: "NL", vat: "NL8123", rate: d("21"), home: "NL", want: "VH", wantOK: true},
		{name: "business outside EU is export", table: taxTable, country: "CH", vat: "CHE-123", home: "NL", want: "EXP", wantOK: true},
		{name: "blank VAT number is no business", table: taxTable, country: "BE", vat: "  ", home: "NL", want: "EU", wantOK: true},
		{name: "unknown country", table: taxTable, country: "XX", rate: d("21"), home: "NL", wantKey: "XX:21"},
		{name: "no EU entry", table: CountryTable{Domestic: "D"}, country: "BE", home: "NL", wantKey: "BE"},
		{name: "no home, no domestic", table: CountryTable{EU: "E"}, country: "", wantKey: "domestic"},
		{name: "no home country set: NL is EU", table: taxTable, country: "NL", rate: d("6"), home: "", want: "EU", wantOK: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, key, ok := tc.table.Resolve(tc.country, tc.rate, tc.vat, tc.home)
			if got != tc.want || ok != tc.wantOK || key != tc.wantKey {
				t.Errorf("Resolve = %q, %q, %v; want %q, %q, %v", got, key, ok, tc.want, tc.wantKey, tc.wantOK)
			}
		})
	}
}

func TestTaxCodeAndRevenueAccount(t *testing.T) {
	m := &Mapping{Entity: EntityOrder, Settings: map[string]string{SettingHomeCountry: "nl"}, Tables: Tables{
		TaxCodes:        taxTable,
		RevenueAccounts: CountryTable{Domestic: "8000", EU: "8100", EUBusiness: "8110", OutsideEU: "8200"},
	}}
	o := &connector.Order{
		Customer:        connector.Customer{VATNumber: "BE0123456789"},
		BillingAddress:  connector.Address{Country: "BE"},
		ShippingAddress: connector.Address{Country: "NL"},
		Lines:           []connector.OrderLine{{TaxRate: dec("9")}},
	}
	runBuiltinCases(t, m, o, []builtinCase{
		{expr: `taxCode("NL")`, want: "DOM"},
		{expr: `taxCode(Order.ShippingAddress.Country, Order.Lines[0].TaxRate)`, want: "VL"},
		{expr: `taxCode(Order.BillingAddress.Country, Order.Customer.VATNumber)`, want: "ICL"},
		{expr: `taxCode(Order.BillingAddress.Country, dec("21"), Order.Customer.VATNumber)`, want: "ICL"},
		{expr: `taxCode(Order.BillingAddress.Country, dec("21"), "")`, want: "EU"},
		{expr: `revenueAccount("")`, want: "8000"},
		{expr: `revenueAccount("US", dec("0"))`, want: "8200"},
		{expr: `revenueAccount("BE", "BE0123456789")`, want: "8110"},
		{expr: `taxCode(1)`, wantErr: "column 1: taxCode: the country is int, want a string"},
		{expr: `taxCode()`, wantErr: "taxCode(country [, rate] [, vatNumber]) takes 1 to 3 arguments"},
		{expr: `taxCode("NL", 21)`, wantErr: "taxCode: argument 2 is int, want a decimal tax rate or a VAT number"},
		{expr: `taxCode("NL", "x", dec("21"))`, wantErr: "taxCode: the tax rate comes before the VAT number"},
		{expr: `revenueAccount("NL", dec("21"), "x", "y")`, wantErr: "takes 1 to 3 arguments"},
	})

	t.Run("misses", func(t *testing.T) {
		_, misses, err := eval(t, m, o, `taxCode("XX", dec("21")) + revenueAccount("XX")`)
		if err != nil {
			t.Fatal(err)
		}
		want := []Miss{{Field: "Test", Table: "tax_codes", Key: "XX:21"}, {Field: "Test", Table: "revenue_accounts", Key: "XX"}}
		if diff := cmp.Diff(want, misses); diff != "" {
			t.Errorf("misses (-want +got):\n%s", diff)
		}
	})
	t.Run("unconfigured table", func(t *testing.T) {
		got, misses, err := eval(t, &Mapping{Entity: EntityOrder}, o, `taxCode("NL", dec("21"))`)
		if err != nil || got != "" || misses != nil {
			t.Errorf("got %q, %v, %v; want empty, no misses", got, misses, err)
		}
	})
}

func TestMemoryBudget(t *testing.T) {
	_, _, err := eval(t, nil, &connector.Order{}, `len(map(1..1000000, # * 2))`)
	if err == nil || !strings.Contains(err.Error(), "memory budget exceeded") {
		t.Fatalf("error = %v, want memory budget exceeded", err)
	}
	var ee *EvalError
	if !errors.As(err, &ee) {
		t.Fatalf("error %T is not an *EvalError", err)
	}
}

func TestMaxNodes(t *testing.T) {
	src := strings.Repeat("Order.Number + ", MaxNodes) + `""`
	_, _, err := eval(t, nil, &connector.Order{}, src)
	if err == nil || !strings.Contains(err.Error(), "exceeds maximum allowed nodes") {
		t.Fatalf("error = %v, want the node cap", err)
	}
}
