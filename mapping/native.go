package mapping

import (
	"reflect"
	"strings"
	"unsafe"

	"github.com/expr-lang/expr/ast"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/internal/iso"
)

// This file compiles the common shapes of mapping expressions — field
// paths, string literals and the string and decimal built-ins over them,
// e.g. lookup("payment_methods", Order.PaymentMethod, Order.PaymentMethod)
// or taxCode(coalesce(...), Line.TaxRate, Order.Customer.VATNumber) — into
// Go closures that read the record directly. They compute exactly what the
// VM computes (the same runCtx methods and helpers), without boxing every
// value into an interface and without a VM run, which is what makes the
// default order mapping fit in a few microseconds. Anything else runs in
// the expr VM. TestNativeMatchesVM checks both paths agree.

// useNative switches the native paths on; tests switch it off to compare.
var useNative = true

// frame is what a native expression reads: the source record, the current
// source line or variant, and the run context.
type frame struct {
	rec, item unsafe.Pointer
	rt        *runCtx
}

type (
	strFn func(*frame) string
	decFn func(*frame) decimal.Decimal
)

// native compiles checked expression trees of one entity.
type native struct {
	sp *spec
}

// field compiles a plain field path whose type passes want into its
// offset from the record or, with fromItem, from the current item.
func (n native) field(node ast.Node, want func(reflect.Type) bool) (off uintptr, fromItem, ok bool) {
	root, names, isPath := memberPath(node)
	if !isPath {
		return 0, false, false
	}
	var t reflect.Type
	switch root {
	case n.sp.root:
		t = n.sp.rec
	case n.sp.itemRoot:
		t, fromItem = n.sp.item, true
	default:
		return 0, false, false
	}
	off, ft, ok := sourcePath(t, names)
	return off, fromItem, ok && want(ft)
}

func isStringKind(t reflect.Type) bool { return t.Kind() == reflect.String }
func isDecimal(t reflect.Type) bool    { return t == decimalType }

// str compiles a string-valued expression.
func (n native) str(node ast.Node) (strFn, bool) {
	if off, fromItem, ok := n.field(node, isStringKind); ok {
		if fromItem {
			return func(f *frame) string { return *(*string)(unsafe.Add(f.item, off)) }, true
		}
		return func(f *frame) string { return *(*string)(unsafe.Add(f.rec, off)) }, true
	}
	switch x := node.(type) {
	case *ast.StringNode:
		s := x.Value
		return func(*frame) string { return s }, true
	case *ast.BuiltinNode:
		if x.Name == "string" && len(x.Arguments) == 1 {
			if t := x.Arguments[0].Type(); t != nil && t.Kind() == reflect.String {
				return n.str(x.Arguments[0])
			}
		}
	case *ast.BinaryNode:
		if x.Operator == "+" {
			a, okA := n.str(x.Left)
			b, okB := n.str(x.Right)
			if okA && okB {
				return func(f *frame) string { return a(f) + b(f) }, true
			}
		}
	case *ast.CallNode:
		return n.call(x)
	}
	return nil, false
}

// strs compiles string arguments.
func (n native) strs(nodes []ast.Node) ([]strFn, bool) {
	fns := make([]strFn, len(nodes))
	for i, a := range nodes {
		fn, ok := n.str(a)
		if !ok {
			return nil, false
		}
		fns[i] = fn
	}
	return fns, true
}

// str1Funcs are the native one-string built-ins.
var str1Funcs = map[string]func(string) string{
	"lower":   strings.ToLower,
	"upper":   strings.ToUpper,
	"trim":    strings.TrimSpace,
	"country": iso.NormalizeCountry,
}

// call compiles the string built-ins.
func (n native) call(x *ast.CallNode) (strFn, bool) {
	id, ok := x.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil, false
	}
	args := x.Arguments
	if ctxFuncs[id.Value] {
		if len(args) == 0 || !isIdent(args[0], rtName) {
			return nil, false
		}
		args = args[1:]
	}
	switch name := id.Value; name {
	case "lookup":
		// Only with a literal table name, which Compile has checked, so
		// that the lookup cannot fail.
		fns, ok := n.strs(args)
		if !ok || len(fns) != 3 {
			return nil, false
		}
		table, isLit := args[0].(*ast.StringNode)
		if !isLit {
			return nil, false
		}
		t, k, d := table.Value, fns[1], fns[2]
		return func(f *frame) string {
			v, _ := f.rt.lookup(t, k(f), d(f))
			return v
		}, true
	case "coalesce":
		fns, ok := n.strs(args)
		if !ok {
			return nil, false
		}
		return func(f *frame) string {
			for _, fn := range fns {
				if s := fn(f); strings.TrimSpace(s) != "" {
					return s
				}
			}
			return ""
		}, true
	case "taxCode", "revenueAccount":
		return n.countryCall(map[string]string{"taxCode": TableTaxCodes, "revenueAccount": TableRevenueAccounts}[name], args)
	default:
		fn1, known := str1Funcs[name]
		if !known || len(args) != 1 {
			return nil, false
		}
		a, ok := n.str(args[0])
		if !ok {
			return nil, false
		}
		return func(f *frame) string { return fn1(a(f)) }, true
	}
}

// countryCall compiles taxCode/revenueAccount(country [, rate] [, vat]).
func (n native) countryCall(table string, args []ast.Node) (strFn, bool) {
	if len(args) == 0 || len(args) > 3 {
		return nil, false
	}
	country, ok := n.str(args[0])
	if !ok {
		return nil, false
	}
	var rate decFn
	vat := func(*frame) string { return "" }
	for _, a := range args[1:] {
		if t := a.Type(); t == decimalType && rate == nil {
			if rate, ok = n.dec(a); !ok {
				return nil, false
			}
		} else if vat, ok = n.str(a); !ok {
			return nil, false
		}
	}
	if rate == nil {
		return func(f *frame) string { return f.rt.country(table, country(f), nil, vat(f)) }, true
	}
	return func(f *frame) string {
		r := rate(f)
		return f.rt.country(table, country(f), &r, vat(f))
	}, true
}

// decArith are the decimal operators that cannot fail.
var decArith = map[string]func(a, b decimal.Decimal) decimal.Decimal{
	"decAdd": decimal.Decimal.Add,
	"decSub": decimal.Decimal.Sub,
	"decMul": decimal.Decimal.Mul,
}

// dec compiles a decimal-valued expression: a field, a constant, an int
// literal, and + - * and unary minus over them.
func (n native) dec(node ast.Node) (decFn, bool) {
	if off, fromItem, ok := n.field(node, isDecimal); ok {
		if fromItem {
			return func(f *frame) decimal.Decimal { return *(*decimal.Decimal)(unsafe.Add(f.item, off)) }, true
		}
		return func(f *frame) decimal.Decimal { return *(*decimal.Decimal)(unsafe.Add(f.rec, off)) }, true
	}
	switch x := node.(type) {
	case *ast.ConstantNode:
		if d, ok := x.Value.(decimal.Decimal); ok {
			return func(*frame) decimal.Decimal { return d }, true
		}
	case *ast.IntegerNode:
		d := decimal.NewFromInt(int64(x.Value))
		return func(*frame) decimal.Decimal { return d }, true
	case *ast.CallNode:
		id, ok := x.Callee.(*ast.IdentifierNode)
		if !ok {
			return nil, false
		}
		if op, known := decArith[id.Value]; known && len(x.Arguments) == 2 {
			a, okA := n.dec(x.Arguments[0])
			b, okB := n.dec(x.Arguments[1])
			if okA && okB {
				return func(f *frame) decimal.Decimal { return op(a(f), b(f)) }, true
			}
		}
		if id.Value == "neg" && len(x.Arguments) == 1 {
			if a, ok := n.dec(x.Arguments[0]); ok {
				return func(f *frame) decimal.Decimal { return a(f).Neg() }, true
			}
		}
	}
	return nil, false
}

func isIdent(n ast.Node, name string) bool {
	id, ok := n.(*ast.IdentifierNode)
	return ok && id.Value == name
}
