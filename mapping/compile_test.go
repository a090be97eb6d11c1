package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tradelink/tradelink/connector"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want CompileError
	}{
		{
			name: "unknown source field",
			rule: Rule{Field: "PaymentMethod", Expr: `lookup("payment_methods", Order.PaymentMthod, "x")`},
			want: CompileError{Field: "PaymentMethod", Line: 1, Column: 33, Msg: "type connector.Order has no field PaymentMthod"},
		},
		{
			name: "unknown name",
			rule: Rule{Field: "Notes", Expr: `Ordr.Notes`},
			want: CompileError{Field: "Notes", Line: 1, Column: 1, Msg: "unknown name Ordr"},
		},
		{
			name: "string into a decimal",
			rule: Rule{Field: "ShippingCost", Expr: `Order.Notes`},
			want: CompileError{Field: "ShippingCost", Msg: "type mismatch: the expression gives string, the field needs decimal.Decimal"},
		},
		{
			name: "decimal into a string",
			rule: Rule{Field: "Notes", Expr: `Order.ShippingCost + 1`},
			want: CompileError{Field: "Notes", Msg: "type mismatch: the expression gives decimal.Decimal, the field needs string"},
		},
		{
			name: "bool into a string",
			rule: Rule{Field: "Notes", Expr: `Order.Paid`},
			want: CompileError{Field: "Notes", Msg: "type mismatch: the expression gives bool, the field needs string"},
		},
		{
			name: "nil into a string",
			rule: Rule{Field: "Notes", Expr: `nil`},
			want: CompileError{Field: "Notes", Msg: "type mismatch: the expression gives nil, the field needs string"},
		},
		{
			name: "float money",
			rule: Rule{Field: "ShippingCost", Expr: `Order.ShippingCost * 1.21`},
			want: CompileError{Field: "ShippingCost", Line: 1, Column: 20, Msg: "invalid operation: * (mismatched types decimal.Decimal and float64)"},
		},
		{
			name: "malformed decimal literal",
			rule: Rule{Field: "ShippingCost", Expr: `Order.ShippingCost + dec("1,5")`},
			want: CompileError{Field: "ShippingCost", Line: 1, Column: 22, Msg: "dec: not a decimal number"},
		},
		{
			name: "unknown target field",
			rule: Rule{Field: "Customer.Nmae", Expr: `"x"`},
			want: CompileError{Field: "Customer.Nmae", Msg: "unknown target field: connector.Customer has no field Nmae"},
		},
		{
			name: "target below a string",
			rule: Rule{Field: "Notes.Text", Expr: `"x"`},
			want: CompileError{Field: "Notes.Text", Msg: "unknown target field: Notes is a string, it has no field Text"},
		},
		{
			name: "target below a map key",
			rule: Rule{Field: "CustomFields.a.b", Expr: `"x"`},
			want: CompileError{Field: "CustomFields.a.b", Msg: "unknown target field: cannot write into CustomFields: only one key of a map of strings can be written"},
		},
		{
			name: "indexed target",
			rule: Rule{Field: "Discounts[0].Amount", Expr: `dec("1")`},
			want: CompileError{Field: "Discounts[0].Amount", Msg: "unknown target field: write a field of every item as Lines[].Field"},
		},
		{
			name: "line in a record rule",
			rule: Rule{Field: "Notes", Expr: `Line.Name`},
			want: CompileError{Field: "Notes", Line: 1, Column: 1, Msg: "unknown name Line"},
		},
		{
			name: "now is not available",
			rule: Rule{Field: "CreatedAt", Expr: `now()`},
			want: CompileError{Field: "CreatedAt", Line: 1, Column: 1, Msg: "unknown name now"},
		},
		{
			name: "hidden context",
			rule: Rule{Field: "Notes", Expr: `lookup($rt, "payment_methods", "a", "b")`},
			want: CompileError{Field: "Notes", Line: 1, Column: 8, Msg: "unknown name $rt"},
		},
		{
			name: "syntax error",
			rule: Rule{Field: "Notes", Expr: `Order.Notes +`},
			want: CompileError{Field: "Notes", Line: 1, Column: 13, Msg: "unexpected token EOF"},
		},
		{
			name: "second line",
			rule: Rule{Field: "Notes", Expr: "Order.Notes +\n Order.Nope"},
			want: CompileError{Field: "Notes", Line: 2, Column: 8, Msg: "type connector.Order has no field Nope"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile[connector.Order](&Mapping{Entity: EntityOrder, Rules: []Rule{tc.rule}})
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile = %v, want a *CompileError", err)
			}
			tc.want.Expr = tc.rule.Expr
			if diff := cmp.Diff(&tc.want, ce); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// The message names the field, the expression and the column.
			msg := err.Error()
			for _, part := range []string{"field " + tc.rule.Field, tc.want.Msg} {
				if !strings.Contains(msg, part) {
					t.Errorf("error %q does not contain %q", msg, part)
				}
			}
		})
	}
}

func TestCompileErrorMessage(t *testing.T) {
	_, err := Compile[connector.Order](&Mapping{Entity: EntityOrder, Rules: []Rule{
		{Field: "PaymentMethod", Expr: `upper(Order.PaymentMthod)`},
	}})
	want := `mapping: field PaymentMethod: expression "upper(Order.PaymentMthod)": column 13: type connector.Order has no field PaymentMthod`
	if err == nil || err.Error() != want {
		t.Errorf("error =\n%v\nwant\n%s", err, want)
	}
}

func TestCompileReportsEveryProblem(t *testing.T) {
	_, err := Compile[connector.Order](&Mapping{
		Entity: EntityOrder,
		Rules: []Rule{
			{Field: "Notes", Expr: `Order.Nope`},
			{Field: "Number", Expr: `Order.Number`},
			{Field: "Currency", Expr: `1 +`},
		},
		Filters: []string{`Order.Totals.Total`, `Order.Paid`, `Order.X`},
	})
	if err == nil {
		t.Fatal("Compile succeeded")
	}
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *CompileError
		if errors.As(e, &ce) {
			fields = append(fields, ce.Field)
		}
	}
	want := []string{"Notes", "Currency", "filters[0]", "filters[2]"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("fields with errors (-want +got):\n%s\n%v", diff, err)
	}
	if !strings.Contains(err.Error(), "a filter must be true or false, this gives decimal.Decimal") {
		t.Errorf("error %v does not explain the filter", err)
	}
}

func TestCompileStructure(t *testing.T) {
	tests := []struct {
		name string
		m    *Mapping
		want string
	}{
		{"nil", nil, "Compile of a nil mapping"},
		{"wrong entity", &Mapping{Entity: EntityStock}, `the mapping is for "stock" records, not connector.Order`},
		{"bad on", &Mapping{Rules: []Rule{{Field: "Notes", Expr: "Order.Notes", On: "never"}}}, `rules[0].on: "never" is not create`},
		{"same field twice", &Mapping{Rules: []Rule{{Field: "Notes", Expr: `"a"`}, {Field: "Notes", Expr: `"b"`, On: OnUpdate}}}, `rules[1].field: "Notes" has a second rule`},
		{"whole lines and per line", &Mapping{Rules: []Rule{{Field: "Lines", Expr: "Order.Lines"}, {Field: "Lines[].SKU", Expr: "Line.SKU"}}},
			"a rule for Lines and rules for Lines[].* cannot be combined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile[connector.Order](tc.m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Compile = %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("lines on a customer", func(t *testing.T) {
		_, err := Compile[connector.Customer](&Mapping{Rules: []Rule{{Field: "Lines[].SKU", Expr: `"x"`}}})
		if err == nil || !strings.Contains(err.Error(), "unknown target field: customer records have no lines or variants") {
			t.Errorf("Compile = %v", err)
		}
	})
	t.Run("entity taken from the type", func(t *testing.T) {
		p, err := Compile[connector.StockLevel](&Mapping{Rules: []Rule{{Field: "SKU", Expr: "Stock.SKU"}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Mapping().Entity; got != EntityStock {
			t.Errorf("entity = %q", got)
		}
	})
}

func TestDefaultsCompile(t *testing.T) {
	check := func(t *testing.T, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := Compile[connector.Order](Default(EntityOrder))
	check(t, err)
	_, err = Compile[connector.Customer](Default(EntityCustomer))
	check(t, err)
	_, err = Compile[connector.Product](Default(EntityProduct))
	check(t, err)
	_, err = Compile[connector.StockLevel](Default(EntityStock))
	check(t, err)
}

// TestDefaultOrderRunsWithoutVM pins the performance design: every rule of
// the default order mapping is a direct copy or a native expression.
func TestDefaultOrderRunsWithoutVM(t *testing.T) {
	p := mustCompile[connector.Order](t, Default(EntityOrder))
	for _, ops := range [][]*op{p.e.recOps[0], p.e.itemOps[0]} {
		for _, o := range ops {
			if o.kind == opExpr {
				t.Errorf("%s (%s) runs in the VM", o.field, o.expr)
			}
		}
	}
}

func TestFields(t *testing.T) {
	p := mustCompile[connector.StockLevel](t, &Mapping{Rules: []Rule{
		{Field: "SKU", Expr: "Stock.SKU"},
		{Field: "OnHand", Expr: "Stock.OnHand", On: OnCreate},
		{Field: "Location", Expr: `"main"`, On: OnUpdate},
	}})
	if diff := cmp.Diff([]string{"SKU", "OnHand"}, p.Fields(Create)); diff != "" {
		t.Errorf("create fields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"SKU", "Location"}, p.Fields(Update)); diff != "" {
		t.Errorf("update fields (-want +got):\n%s", diff)
	}
	if got := p.Fields(0); got != nil {
		t.Errorf("Fields(0) = %v", got)
	}
	got := p.Fields(Create)
	got[0] = "changed"
	if p.Fields(Create)[0] != "SKU" {
		t.Error("Fields shares its slice")
	}

	order := mustCompile[connector.Order](t, Default(EntityOrder))
	fields := order.Fields(Create)
	if len(fields) < 25 {
		t.Errorf("default order mapping writes %d fields, want about 30: %v", len(fields), fields)
	}
	for _, f := range []string{"Status", "Customer", "Lines[].TaxCode", "Lines[].RevenueAccount", "Notes", "Number"} {
		if !cmp.Equal(true, contains(fields, f)) {
			t.Errorf("create fields lack %s", f)
		}
	}
	upd := order.Fields(Update)
	for _, f := range []string{"Notes", "Number"} {
		if contains(upd, f) {
			t.Errorf("update fields have create-only %s", f)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestMappingReturnsACopy(t *testing.T) {
	m := Default(EntityStock)
	p := mustCompile[connector.StockLevel](t, m)
	m.Rules[0].Expr = "changed after Compile"
	got := p.Mapping()
	if diff := cmp.Diff(Default(EntityStock), got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Mapping() (-want +got):\n%s", diff)
	}
	got.Rules[0].Expr = "changed copy"
	if p.Mapping().Rules[0].Expr != "Stock.SKU" {
		t.Error("Mapping() shares its rules")
	}
}
