package mapping

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/internal/iso"
)

// Limits for user expressions.
const (
	// MaxNodes is the most syntax nodes one expression may have.
	MaxNodes = 1000
	// MemoryBudget is the VM memory budget of one expression run, in
	// expr's units (roughly one per element of a list, map or range built).
	MemoryBudget = 100_000
)

// Bounds for decimals built inside expressions, so that dec("1e999999999")
// + 1 cannot make the machine rescale to a billion digits.
const (
	maxDecimalExp    = 64
	maxDecimalDigits = 64
	maxRoundPlaces   = 28
)

// runCtx is the per-run state the table functions need: the tables, the
// home country, the field being written and the misses found so far. The
// compiler passes it as a hidden first argument (see ctxPatcher).
type runCtx struct {
	tables *Tables
	// taxCodes and revenueAccounts are the prepared country tables, nil
	// when not configured.
	taxCodes, revenueAccounts *countryIndex
	home                      string // normalised
	field                     string
	misses                    []Miss
}

// rtName is the name of the hidden environment variable that holds the
// *runCtx. It starts with $ so that it cannot clash with a Go field name;
// user expressions may not use it.
const rtName = "$rt"

func (c *runCtx) miss(table, key string) {
	m := Miss{Field: c.field, Table: table, Key: key}
	for _, x := range c.misses {
		if x == m {
			return
		}
	}
	c.misses = append(c.misses, m)
}

// lookup implements lookup(table, key, default). A literal table name is
// checked at compile time; one computed at run time may be unknown.
func (c *runCtx) lookup(table, key, def string) (string, error) {
	t, known := c.tables.table(table)
	switch {
	case !known:
		return "", funcError("lookup: unknown table")
	case len(t) == 0 || key == "":
		return def, nil
	}
	if v, ok := t[key]; ok {
		return v, nil
	}
	c.miss(table, key)
	return def, nil
}

// country implements taxCode(...) and revenueAccount(...) over the table
// called name.
func (c *runCtx) country(name string, country string, rate *decimal.Decimal, vat string) string {
	idx := c.taxCodes
	if name == TableRevenueAccounts {
		idx = c.revenueAccounts
	}
	if idx == nil {
		return ""
	}
	v, ok := idx.resolve(country, rate, vat, c.home)
	if !ok {
		c.miss(name, missKey(country, rate, c.home))
	}
	return v
}

// StreetParts is what splitStreet returns: a street line split into the
// street, the house number and its suffix.
type StreetParts struct {
	Street string // "Lange Nieuwstraat"
	Number string // "12": digits only
	Suffix string // "bis", "a", "-3"; may be empty
}

var (
	decimalType     = reflect.TypeFor[decimal.Decimal]()
	nullDecimalType = reflect.TypeFor[decimal.NullDecimal]()
	timeType        = reflect.TypeFor[time.Time]()
	stringType      = reflect.TypeFor[string]()
	runCtxType      = reflect.TypeFor[*runCtx]()
	errDivByZero    = funcError("division by zero")
)

// FuncError is an error of a built-in function, such as division by zero or
// a malformed dec() argument. Its message never holds values of the record.
type FuncError struct{ msg string }

// Error implements error.
func (e *FuncError) Error() string { return e.msg }

func funcError(format string, args ...any) error {
	return &FuncError{msg: fmt.Sprintf(format, args...)}
}

// checkDecimal rejects decimals too large to compute with.
func checkDecimal(d decimal.Decimal) error {
	if e := d.Exponent(); e > maxDecimalExp || e < -maxDecimalExp || d.NumDigits() > maxDecimalDigits {
		return funcError("decimal out of range (at most %d digits and exponent %d)", maxDecimalDigits, maxDecimalExp)
	}
	return nil
}

// parseDecimal is dec(string): an exact decimal or an error that does not
// repeat the input (it may be personal data).
func parseDecimal(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		return decimal.Zero, funcError("dec: not a decimal number")
	}
	if err := checkDecimal(d); err != nil {
		return decimal.Zero, funcError("dec: %v", err)
	}
	return d, nil
}

// asDecimal converts an operand of a decimal function: a decimal or an int.
// Values of other types reach it only through expressions of unknown type.
func asDecimal(v any) (decimal.Decimal, error) {
	switch x := v.(type) {
	case decimal.Decimal:
		return x, nil
	case int:
		return decimal.NewFromInt(int64(x)), nil
	}
	return decimal.Zero, funcError("%s is not a decimal", typeName(v))
}

// arg returns argument i as a T. The checker admits only the declared
// types, except for values of unknown type (from a map of any, say), which
// get an error here instead of a panic.
func arg[T any](args []any, i int) (T, error) {
	v, ok := args[i].(T)
	if !ok {
		return v, funcError("argument %d: %s is not a %s", i+1, typeName(args[i]), reflect.TypeFor[T]())
	}
	return v, nil
}

// args2 returns the first two arguments as an A and a B.
func args2[A, B any](args []any) (a A, b B, err error) {
	if a, err = arg[A](args, 0); err != nil {
		return
	}
	b, err = arg[B](args, 1)
	return
}

// typeName names the type of v for an error message.
func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return reflect.TypeOf(v).String()
}

// decOverloads are the signatures of a binary decimal operator: decimals
// and decimals mixed with ints, on either side.
func decOverloads[R any]() []any {
	return []any{
		new(func(decimal.Decimal, decimal.Decimal) R),
		new(func(decimal.Decimal, int) R),
		new(func(int, decimal.Decimal) R),
	}
}

// decimalOps are the operator overloads on decimals: operator, function
// name, implementation.
var decimalOps = []struct {
	op, name string
	arith    func(a, b decimal.Decimal) (decimal.Decimal, error)
	cmp      func(c int) bool
}{
	{op: "+", name: "decAdd", arith: func(a, b decimal.Decimal) (decimal.Decimal, error) { return a.Add(b), nil }},
	{op: "-", name: "decSub", arith: func(a, b decimal.Decimal) (decimal.Decimal, error) { return a.Sub(b), nil }},
	{op: "*", name: "decMul", arith: func(a, b decimal.Decimal) (decimal.Decimal, error) { return a.Mul(b), nil }},
	{op: "/", name: "decDiv", arith: func(a, b decimal.Decimal) (decimal.Decimal, error) {
		if b.IsZero() {
			return decimal.Zero, errDivByZero
		}
		return a.Div(b), nil
	}},
	{op: "<", name: "decLT", cmp: func(c int) bool { return c < 0 }},
	{op: "<=", name: "decLE", cmp: func(c int) bool { return c <= 0 }},
	{op: ">", name: "decGT", cmp: func(c int) bool { return c > 0 }},
	{op: ">=", name: "decGE", cmp: func(c int) bool { return c >= 0 }},
	{op: "==", name: "decEQ", cmp: func(c int) bool { return c == 0 }},
	{op: "!=", name: "decNE", cmp: func(c int) bool { return c != 0 }},
}

// countryArgs unpacks the arguments of taxCode/revenueAccount after the
// hidden context: (country), (country, rate), (country, vat) or (country,
// rate, vat).
func countryArgs(args []any) (country string, rate *decimal.Decimal, vat string, err error) {
	if country, err = arg[string](args, 0); err != nil {
		return
	}
	for _, a := range args[1:] {
		switch x := a.(type) {
		case decimal.Decimal:
			rate = &x
		case string:
			vat = x
		default:
			return "", nil, "", funcError("%s is neither a tax rate nor a VAT number", typeName(a))
		}
	}
	return country, rate, vat, nil
}

// dateLayouts are the named layouts of formatDate.
var dateLayouts = map[string]string{
	"date":     time.DateOnly,
	"datetime": time.DateTime,
	"rfc3339":  time.RFC3339,
}

// formatDate is formatDate(t, layout): t in UTC in a Go layout or a named
// one; the zero time (an unset date) gives "".
func formatDate(t time.Time, layout string) (string, error) {
	if t.IsZero() {
		return "", nil
	}
	if l, ok := dateLayouts[layout]; ok {
		layout = l
	}
	if len(layout) > 64 {
		return "", funcError("formatDate: layout longer than 64 characters")
	}
	return t.UTC().Format(layout), nil
}

// roundDecimal is round(x, places): half away from zero.
func roundDecimal(x decimal.Decimal, places int) (decimal.Decimal, error) {
	if places < -maxRoundPlaces || places > maxRoundPlaces {
		return decimal.Zero, funcError("round: places must be between %d and %d", -maxRoundPlaces, maxRoundPlaces)
	}
	return x.Round(int32(places)), nil
}

// str1 adapts a func(string) T to expr's calling convention.
func str1[T any](f func(string) T) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		s, err := arg[string](args, 0)
		if err != nil {
			return nil, err
		}
		return f(s), nil
	}
}

// functionOptions are the built-in functions and operators of every
// expression.
func functionOptions() []expr.Option {
	opts := []expr.Option{
		expr.Function("splitStreet", str1(SplitStreet), new(func(string) StreetParts)),
		expr.Function("isEU", str1(func(s string) bool { return iso.IsEU(iso.NormalizeCountry(s)) }), new(func(string) bool)),
		expr.Function("isCountry", str1(func(s string) bool { return iso.IsCountry(iso.NormalizeCountry(s)) }), new(func(string) bool)),
		expr.Function("country", str1(iso.NormalizeCountry), new(func(string) string)),
		expr.Function("lower", str1(strings.ToLower), new(func(string) string)),
		expr.Function("upper", str1(strings.ToUpper), new(func(string) string)),
		expr.Function("trim", str1(strings.TrimSpace), new(func(string) string)),
		expr.Function("coalesce", func(args ...any) (any, error) {
			for i := range args {
				s, err := arg[string](args, i)
				if err != nil {
					return nil, err
				}
				if strings.TrimSpace(s) != "" {
					return s, nil
				}
			}
			return "", nil
		}, new(func(...string) string)),
		expr.Function("round", func(args ...any) (any, error) {
			x, places, err := args2[decimal.Decimal, int](args)
			if err != nil {
				return nil, err
			}
			return roundDecimal(x, places)
		}, new(func(decimal.Decimal, int) decimal.Decimal)),
		expr.Function("dec", func(args ...any) (any, error) {
			if s, ok := args[0].(string); ok {
				return parseDecimal(s)
			}
			return asDecimal(args[0])
		}, new(func(string) decimal.Decimal), new(func(int) decimal.Decimal)),
		expr.Function("neg", func(args ...any) (any, error) {
			x, err := asDecimal(args[0])
			return x.Neg(), err
		}, new(func(decimal.Decimal) decimal.Decimal)),
		expr.Function("formatDate", func(args ...any) (any, error) {
			t, layout, err := args2[time.Time, string](args)
			if err != nil {
				return nil, err
			}
			return formatDate(t, layout)
		}, new(func(time.Time, string) string)),
		expr.Function("lookup", func(args ...any) (any, error) {
			c, err := arg[*runCtx](args, 0)
			if err != nil {
				return nil, err
			}
			var kv [3]string
			for i := range kv {
				if kv[i], err = arg[string](args, i+1); err != nil {
					return nil, err
				}
			}
			return c.lookup(kv[0], kv[1], kv[2])
		}, new(func(*runCtx, string, string, string) string)),
	}
	for fn, table := range map[string]string{"taxCode": TableTaxCodes, "revenueAccount": TableRevenueAccounts} {
		opts = append(opts, countryFunction(fn, table))
	}
	for _, o := range decimalOps {
		var impl func(args ...any) (any, error)
		var types []any
		if o.arith != nil {
			arith := o.arith
			impl = func(args ...any) (any, error) {
				a, b, err := decimalPair(args)
				if err != nil {
					return nil, err
				}
				r, err := arith(a, b)
				if err != nil {
					return nil, err
				}
				return r, nil
			}
			types = decOverloads[decimal.Decimal]()
		} else {
			cmp := o.cmp
			impl = func(args ...any) (any, error) {
				a, b, err := decimalPair(args)
				if err != nil {
					return nil, err
				}
				return cmp(a.Cmp(b)), nil
			}
			types = decOverloads[bool]()
		}
		opts = append(opts, expr.Function(o.name, impl, types...), expr.Operator(o.op, o.name))
	}
	// Built-ins of expr-lang that are replaced above or must not be used:
	// now and date read the clock or the local time zone, repeat can
	// allocate without bound.
	for _, b := range []string{"now", "date", "timezone", "repeat", "round", "lower", "upper", "trim"} {
		opts = append(opts, expr.DisableBuiltin(b))
	}
	return append(opts, expr.MaxNodes(MaxNodes))
}

// countryFunction is taxCode or revenueAccount. It checks its arguments
// itself, as its optional arguments are told apart by type, to give precise
// messages: (country string [, rate decimal] [, vatNumber string]).
func countryFunction(name, table string) expr.Option {
	return func(c *conf.Config) {
		c.Functions[name] = &builtin.Function{
			Name: name,
			Func: func(args ...any) (any, error) {
				c, err := arg[*runCtx](args, 0)
				if err != nil {
					return nil, err
				}
				country, rate, vat, err := countryArgs(args[1:])
				if err != nil {
					return nil, err
				}
				return c.country(table, country, rate, vat), nil
			},
			Validate: func(args []reflect.Type) (reflect.Type, error) {
				if len(args) == 0 || args[0] != runCtxType {
					// Checked before ctxPatcher ran; the final check comes.
					return nil, errors.New("no run context")
				}
				args = args[1:]
				if len(args) < 1 || len(args) > 3 {
					return nil, fmt.Errorf("%s(country [, rate] [, vatNumber]) takes 1 to 3 arguments, not %d", name, len(args))
				}
				if !fits(args[0], stringType) {
					return nil, fmt.Errorf("%s: the country is %s, want a string", name, args[0])
				}
				sawVAT := false
				for i, a := range args[1:] {
					switch {
					case a.Kind() == reflect.Interface:
					case a == decimalType && sawVAT:
						return nil, fmt.Errorf("%s: the tax rate comes before the VAT number", name)
					case a == decimalType && i == 0:
					case a.Kind() == reflect.String && !sawVAT:
						sawVAT = true
					default:
						return nil, fmt.Errorf("%s: argument %d is %s, want a decimal tax rate or a VAT number string", name, i+2, a)
					}
				}
				return stringType, nil
			},
		}
	}
}

// fits reports whether an argument of type a is accepted where want is
// declared: the same type, or an unknown one (checked at run time).
func fits(a, want reflect.Type) bool { return a == want || a.Kind() == reflect.Interface }

// decimalPair converts the two operands of a decimal operator.
func decimalPair(args []any) (a, b decimal.Decimal, err error) {
	if a, err = asDecimal(args[0]); err != nil {
		return
	}
	b, err = asDecimal(args[1])
	return
}

// ctxFuncs are the functions that get the hidden *runCtx argument.
var ctxFuncs = map[string]bool{"lookup": true, "taxCode": true, "revenueAccount": true}

// ctxPatcher passes the hidden run context as the first argument of the
// table functions: lookup(t, k, d) becomes lookup($rt, t, k, d).
type ctxPatcher struct{}

// Visit implements ast.Visitor.
func (ctxPatcher) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	if id, ok := call.Callee.(*ast.IdentifierNode); ok && ctxFuncs[id.Value] {
		if len(call.Arguments) > 0 {
			if first, ok := call.Arguments[0].(*ast.IdentifierNode); ok && first.Value == rtName {
				return // already patched
			}
		}
		rt := &ast.IdentifierNode{Value: rtName}
		rt.SetLocation(call.Location())
		call.Arguments = append([]ast.Node{rt}, call.Arguments...)
	}
}

// decPatcher folds dec("1.21") and dec(5) with literal arguments into
// decimal constants at compile time and reports malformed literals, and
// turns unary minus on a decimal into neg(x). It runs with the operator
// patchers, as types become known.
type decPatcher struct {
	err     *ast.CallNode // the first malformed dec literal
	errMsg  string
	applied bool
}

// Visit implements ast.Visitor.
func (p *decPatcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || id.Value != "dec" || len(n.Arguments) != 1 {
			return
		}
		var d decimal.Decimal
		switch a := n.Arguments[0].(type) {
		case *ast.StringNode:
			v, err := parseDecimal(a.Value)
			if err != nil {
				if p.err == nil {
					p.err, p.errMsg = n, err.Error()
				}
				return
			}
			d = v
		case *ast.IntegerNode:
			d = decimal.NewFromInt(int64(a.Value))
		default:
			return
		}
		c := &ast.ConstantNode{Value: d}
		c.SetType(decimalType)
		ast.Patch(node, c)
		p.applied = true
	case *ast.UnaryNode:
		if n.Operator != "-" || n.Node.Type() != decimalType {
			return
		}
		call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: "neg"}, Arguments: []ast.Node{n.Node}}
		call.SetType(decimalType)
		ast.Patch(node, call)
		p.applied = true
	}
}

// Reset and ShouldRepeat make decPatcher run in expr's repeated patch
// passes, after each operator overloading pass.
func (p *decPatcher) Reset() { p.applied = false }

// ShouldRepeat reports whether the last pass changed the tree.
func (p *decPatcher) ShouldRepeat() bool { return p.applied }
