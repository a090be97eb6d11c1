package mapping

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/checker/nature"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/iso"
)

// The expression environments, one per entity and scope. Field names are
// the names expressions use; $rt is the hidden run context of the table
// functions.
type (
	orderEnv struct {
		Order    *connector.Order
		Settings map[string]string
		Now      time.Time
		RT       *runCtx `expr:"$rt"`
	}
	orderLineEnv struct {
		Order     *connector.Order
		Line      *connector.OrderLine
		LineIndex int
		Settings  map[string]string
		Now       time.Time
		RT        *runCtx `expr:"$rt"`
	}
	customerEnv struct {
		Customer *connector.Customer
		Settings map[string]string
		Now      time.Time
		RT       *runCtx `expr:"$rt"`
	}
	productEnv struct {
		Product  *connector.Product
		Settings map[string]string
		Now      time.Time
		RT       *runCtx `expr:"$rt"`
	}
	variantEnv struct {
		Product      *connector.Product
		Variant      *connector.Variant
		VariantIndex int
		Settings     map[string]string
		Now          time.Time
		RT           *runCtx `expr:"$rt"`
	}
	stockEnv struct {
		Stock    *connector.StockLevel
		Settings map[string]string
		Now      time.Time
		RT       *runCtx `expr:"$rt"`
	}
)

// state is what one Apply or Match call needs besides the program: a VM,
// the run context and the environments. Programs pool states, so a
// goroutine reuses one VM call after call.
type state struct {
	vm       vm.VM
	rt       runCtx
	frame    frame
	order    orderEnv
	line     orderLineEnv
	customer customerEnv
	product  productEnv
	variant  variantEnv
	stock    stockEnv
}

// scope says what a rule runs for: the record, or each line or variant.
type scope int

const (
	scopeRecord scope = iota
	scopeItem
)

// spec describes an entity: its record type, the names expressions see and
// how to bind its environments.
type spec struct {
	entity   Entity
	rec      reflect.Type
	root     string // "Order"
	items    string // "Lines", "Variants" or ""
	itemRoot string // "Line", "Variant"
	item     reflect.Type
	envs     [2]any // zero environments for the checker, by scope
	// bind points the environments of st at the record src.
	bind func(st *state, src unsafe.Pointer, settings map[string]string, now time.Time)
	// env returns the environment of scope sc.
	env func(st *state, sc scope) any
	// bindItem points the item environment at item i.
	bindItem func(st *state, item unsafe.Pointer, i int)
	// buildItems gives dst one item per item of src (keeping what dst had
	// at the same position) and returns both first items and the count.
	buildItems func(src, dst unsafe.Pointer) (s, d unsafe.Pointer, n int)
	itemSize   uintptr
}

// itemsBuilder returns spec.buildItems for items of type E at offset off.
func itemsBuilder[E any](off uintptr) func(src, dst unsafe.Pointer) (unsafe.Pointer, unsafe.Pointer, int) {
	return func(src, dst unsafe.Pointer) (unsafe.Pointer, unsafe.Pointer, int) {
		ss := *(*[]E)(unsafe.Add(src, off))
		ds := (*[]E)(unsafe.Add(dst, off))
		if len(ss) == 0 {
			*ds = nil
			return nil, nil, 0
		}
		items := make([]E, len(ss))
		copy(items, *ds)
		*ds = items
		return unsafe.Pointer(&ss[0]), unsafe.Pointer(&items[0]), len(ss)
	}
}

func fieldOffset(t reflect.Type, name string) uintptr {
	f, _ := t.FieldByName(name)
	return f.Offset
}

// withItems completes the spec of an entity whose records have items of
// type E (lines, variants) in the field items, seen as itemRoot.
func withItems[E any](s spec, items, itemRoot string, recEnv, itemEnv func(*state) any, bindItem func(*state, *E, int)) *spec {
	s.items, s.itemRoot, s.item = items, itemRoot, reflect.TypeFor[E]()
	s.env = func(st *state, sc scope) any {
		if sc == scopeItem {
			return itemEnv(st)
		}
		return recEnv(st)
	}
	s.bindItem = func(st *state, p unsafe.Pointer, i int) { bindItem(st, (*E)(p), i) }
	s.buildItems = itemsBuilder[E](fieldOffset(s.rec, items))
	s.itemSize = s.item.Size()
	return &s
}

var specs = map[Entity]*spec{
	EntityOrder: withItems(spec{
		entity: EntityOrder, rec: reflect.TypeFor[connector.Order](), root: "Order",
		envs: [2]any{orderEnv{}, orderLineEnv{}},
		bind: func(st *state, src unsafe.Pointer, s map[string]string, now time.Time) {
			o := (*connector.Order)(src)
			st.order = orderEnv{Order: o, Settings: s, Now: now, RT: &st.rt}
			st.line = orderLineEnv{Order: o, Settings: s, Now: now, RT: &st.rt}
		},
	}, "Lines", "Line",
		func(st *state) any { return &st.order },
		func(st *state) any { return &st.line },
		func(st *state, l *connector.OrderLine, i int) { st.line.Line, st.line.LineIndex = l, i },
	),
	EntityCustomer: {
		entity: EntityCustomer, rec: reflect.TypeFor[connector.Customer](), root: "Customer",
		envs: [2]any{customerEnv{}},
		bind: func(st *state, src unsafe.Pointer, s map[string]string, now time.Time) {
			st.customer = customerEnv{Customer: (*connector.Customer)(src), Settings: s, Now: now, RT: &st.rt}
		},
		env: func(st *state, _ scope) any { return &st.customer },
	},
	EntityProduct: withItems(spec{
		entity: EntityProduct, rec: reflect.TypeFor[connector.Product](), root: "Product",
		envs: [2]any{productEnv{}, variantEnv{}},
		bind: func(st *state, src unsafe.Pointer, s map[string]string, now time.Time) {
			p := (*connector.Product)(src)
			st.product = productEnv{Product: p, Settings: s, Now: now, RT: &st.rt}
			st.variant = variantEnv{Product: p, Settings: s, Now: now, RT: &st.rt}
		},
	}, "Variants", "Variant",
		func(st *state) any { return &st.product },
		func(st *state) any { return &st.variant },
		func(st *state, v *connector.Variant, i int) { st.variant.Variant, st.variant.VariantIndex = v, i },
	),
	EntityStock: {
		entity: EntityStock, rec: reflect.TypeFor[connector.StockLevel](), root: "Stock",
		envs: [2]any{stockEnv{}},
		bind: func(st *state, src unsafe.Pointer, s map[string]string, now time.Time) {
			st.stock = stockEnv{Stock: (*connector.StockLevel)(src), Settings: s, Now: now, RT: &st.rt}
		},
		env: func(st *state, _ scope) any { return &st.stock },
	},
}

// specOf returns the spec of the record type T.
func specOf[T Record]() *spec {
	t := reflect.TypeFor[T]()
	for _, s := range specs {
		if s.rec == t {
			return s
		}
	}
	panic("mapping: no spec for " + t.String()) // unreachable: Record lists exactly the four types
}

// opKind is how a rule computes its value.
type opKind int

const (
	// opCopy copies a source field of the same type at a fixed offset.
	opCopy opKind = iota
	// opConst writes a value computed at compile time.
	opConst
	// opStr and opDec run a native string or decimal expression.
	opStr
	opDec
	// opExpr runs the expression in the VM.
	opExpr
)

// op is one compiled rule.
type op struct {
	field string // as in the rule: "Lines[].TaxCode"
	expr  string
	scope scope
	modes modeSet
	kind  opKind
	dst   *target
	// opCopy: the source field's offset from the record or, when
	// fromItem, from the item.
	srcOff   uintptr
	fromItem bool
	// opConst
	value any
	// opStr, opDec
	str strFn
	dec decFn
	// opExpr
	prog *vm.Program
}

// filter is one compiled filter.
type filter struct {
	name, expr string
	prog       *vm.Program
}

// engine is the type-independent part of a Program.
type engine struct {
	spec    *spec
	m       *Mapping
	rt      runCtx   // the template of every run's context
	recOps  [2][]*op // by mode: 0 create, 1 update
	itemOps [2][]*op
	fields  [2][]string
	filters []filter
	pool    sync.Pool
}

func modeIndex(b modeSet) int {
	if b == updateBit {
		return 1
	}
	return 0
}

// Program is a compiled [Mapping] for records of type T. It is safe for
// concurrent use.
type Program[T Record] struct {
	e *engine
}

// Compile type-checks every rule and filter of m against the environment of
// T and compiles them. It reports every problem at once (errors.Join of
// *[CompileError]s and, for structural problems, *[ParseError]s). A mapping
// with no entity takes T's.
func Compile[T Record](m *Mapping) (*Program[T], error) {
	sp := specOf[T]()
	if m == nil {
		return nil, errors.New("mapping: Compile of a nil mapping")
	}
	m = m.clone()
	if m.Entity == "" {
		m.Entity = sp.entity
	}
	if m.Entity != sp.entity {
		return nil, fmt.Errorf("mapping: the mapping is for %q records, not %s", m.Entity, sp.rec)
	}
	if err := m.check(nil); err != nil {
		return nil, err
	}
	e := &engine{spec: sp, m: m}
	e.rt = runCtx{tables: &m.Tables, home: iso.NormalizeCountry(m.Settings[SettingHomeCountry])}
	if !m.Tables.TaxCodes.IsZero() {
		e.rt.taxCodes = newCountryIndex(m.Tables.TaxCodes)
	}
	if !m.Tables.RevenueAccounts.IsZero() {
		e.rt.revenueAccounts = newCountryIndex(m.Tables.RevenueAccounts)
	}
	e.pool.New = func() any { return &state{vm: vm.VM{MemoryBudget: MemoryBudget}} }
	var errs []error
	hasWhole, hasItem := false, false
	for _, r := range m.Rules {
		o, err := e.compileRule(r)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if sp.items != "" && r.Field == sp.items {
			hasWhole = true
		}
		for i, bit := range []modeSet{createBit, updateBit} {
			if o.modes&bit == 0 {
				continue
			}
			if o.scope == scopeItem {
				hasItem = true
				e.itemOps[i] = append(e.itemOps[i], o)
			} else {
				e.recOps[i] = append(e.recOps[i], o)
			}
		}
	}
	if hasWhole && hasItem {
		errs = append(errs, &CompileError{Field: sp.items, Msg: fmt.Sprintf("a rule for %s and rules for %s[].* cannot be combined", sp.items, sp.items)})
	}
	for i, src := range m.Filters {
		name := fmt.Sprintf("filters[%d]", i)
		c, err := compileExpr(sp, scopeRecord, &m.Tables, name, src)
		if err == nil && (c.isNil || c.typ != nil && c.typ.Kind() != reflect.Bool) {
			err = &CompileError{Field: name, Expr: src, Msg: fmt.Sprintf("a filter must be true or false, this gives %s", typeString(c.typ, c.isNil))}
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		e.filters = append(e.filters, filter{name: name, expr: src, prog: c.prog})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for i := range e.fields {
		for _, ops := range [][]*op{e.recOps[i], e.itemOps[i]} {
			for _, o := range ops {
				e.fields[i] = append(e.fields[i], o.field)
			}
		}
	}
	return &Program[T]{e: e}, nil
}

// compileRule compiles one rule into an op.
func (e *engine) compileRule(r Rule) (*op, error) {
	sp := e.spec
	o := &op{field: r.Field, expr: r.Expr}
	o.modes, _ = r.On.modes()
	path, base := r.Field, sp.rec
	if sp.items != "" {
		if rest, ok := strings.CutPrefix(r.Field, sp.items+"[]."); ok {
			path, base, o.scope = rest, sp.item, scopeItem
		}
	}
	if strings.Contains(path, "[") {
		msg := fmt.Sprintf("unknown target field: %s records have no lines or variants", sp.entity)
		if sp.items != "" {
			msg = fmt.Sprintf("unknown target field: write a field of every item as %s[].Field", sp.items)
		}
		return nil, &CompileError{Field: r.Field, Expr: r.Expr, Msg: msg}
	}
	tg, err := resolveTarget(base, path)
	if err != nil {
		return nil, &CompileError{Field: r.Field, Expr: r.Expr, Msg: "unknown target field: " + err.Error()}
	}
	o.dst = tg
	c, err := compileExpr(sp, o.scope, &e.m.Tables, r.Field, r.Expr)
	if err != nil {
		return nil, err
	}
	if c.isNil && !nillable(tg.typ) || !c.isNil && !assignable(c.typ, tg.typ) {
		return nil, &CompileError{Field: r.Field, Expr: r.Expr,
			Msg: fmt.Sprintf("type mismatch: the expression gives %s, the field needs %s", typeString(c.typ, c.isNil), tg.typ)}
	}
	switch {
	case c.copyOK && c.typ == tg.typ && !tg.isMap:
		o.kind, o.srcOff, o.fromItem = opCopy, c.copyOff, c.copyFromItem
	case c.constant:
		// Computed once, converted to the field's type, so that
		// storing it is a typed assignment.
		v, err := runConstant(sp, o.scope, c.prog)
		var cv reflect.Value
		if err == nil {
			cv, err = convert(v, tg.typ)
		}
		if err != nil {
			return nil, &CompileError{Field: r.Field, Expr: r.Expr, Msg: err.Error()}
		}
		o.kind, o.value = opConst, cv.Interface()
	case c.str != nil && (tg.isMap || tg.typ.Kind() == reflect.String):
		o.kind, o.str = opStr, c.str
	case c.dec != nil && (tg.typ == decimalType || tg.typ == nullDecimalType):
		o.kind, o.dec = opDec, c.dec
	default:
		o.kind, o.prog = opExpr, c.prog
	}
	return o, nil
}

func nillable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return true
	}
	return false
}

func typeString(t reflect.Type, isNil bool) string {
	switch {
	case isNil:
		return "nil"
	case t == nil:
		return "an unknown type"
	}
	return t.String()
}

// runConstant evaluates a constant expression at compile time.
func runConstant(sp *spec, sc scope, prog *vm.Program) (v any, err error) {
	st := &state{vm: vm.VM{MemoryBudget: MemoryBudget}}
	sp.bind(st, reflect.New(sp.rec).UnsafePointer(), nil, time.Time{})
	return st.vm.Run(prog, sp.env(st, sc))
}

// compiled is a compiled expression with what Compile learnt about it.
type compiled struct {
	prog *vm.Program
	// typ is the static type of the result; nil when unknown (any).
	typ   reflect.Type
	isNil bool
	// constant: the value does not depend on the record.
	constant bool
	// copyOK: the expression is a plain field path at copyOff from the
	// record or, with copyFromItem, from the line or variant.
	copyOK       bool
	copyOff      uintptr
	copyFromItem bool
	// str or dec: the expression compiled natively (see native.go).
	str strFn
	dec decFn
}

// compileExpr parses, type-checks, optimises and compiles src in the
// environment of sp and sc. field names the rule or filter in errors.
func compileExpr(sp *spec, sc scope, tables *Tables, field, src string) (c *compiled, err error) {
	fail := func(fe *file.Error) error {
		ce := &CompileError{Field: field, Expr: src, Msg: fe.Message}
		if fe.Line > 0 {
			ce.Line, ce.Column = fe.Line, fe.Column+1
		}
		return ce
	}
	at := func(n ast.Node, msg string) error {
		fe := &file.Error{Location: n.Location(), Message: msg}
		return fail(fe.Bind(file.NewSource(src)))
	}
	defer func() {
		// expr-lang is not meant to panic on any input, but a user
		// expression must never take the caller down if it does.
		if r := recover(); r != nil {
			c, err = nil, &CompileError{Field: field, Expr: src, Msg: fmt.Sprintf("internal error of the expression compiler: %v", r)}
		}
	}()
	config := conf.CreateNew()
	dp := &decPatcher{}
	opts := append(functionOptions(), expr.Env(sp.envs[sc]), expr.Patch(ctxPatcher{}), expr.Patch(dp))
	for _, o := range opts {
		o(config)
	}
	for name := range config.Disabled {
		delete(config.Builtins, name)
	}
	config.Check()
	tree, err := parser.ParseWithConfig(src, config)
	if err != nil {
		return nil, asCompileError(err, fail, field, src)
	}
	if n := findIdent(tree.Node, rtName); n != nil {
		return nil, at(n, "unknown name "+rtName)
	}
	if _, err := new(checker.Checker).PatchAndCheck(tree, config); err != nil {
		return nil, asCompileError(err, fail, field, src)
	}
	// expr-lang v1.17.8 loses errors inside call arguments when patchers
	// run: a later check pass trusts the call's type from the first pass
	// and does not look at the arguments again, so upper(Order.Nope)
	// would compile. Check the patched tree once more from scratch.
	ast.Walk(&tree.Node, untyped{})
	if _, err := checker.Check(tree, config); err != nil {
		return nil, asCompileError(err, fail, field, src)
	}
	if dp.err != nil {
		return nil, at(dp.err, dp.errMsg)
	}
	if err := checkTables(tree.Node, tables, at); err != nil {
		return nil, err
	}
	c = &compiled{typ: tree.Node.Type()}
	if c.typ != nil && c.typ.Kind() == reflect.Interface {
		c.typ = nil
	}
	_, c.isNil = tree.Node.(*ast.NilNode)
	if root, names, ok := memberPath(tree.Node); ok {
		base := sp.rec
		if root == sp.itemRoot {
			base, c.copyFromItem = sp.item, true
		}
		if root == sp.root || root == sp.itemRoot {
			c.copyOff, _, c.copyOK = sourcePath(base, names)
		}
	}
	if useNative {
		nat := native{sp: sp}
		switch {
		case c.typ == nil:
		case c.typ.Kind() == reflect.String:
			c.str, _ = nat.str(tree.Node)
		case c.typ == decimalType:
			c.dec, _ = nat.dec(tree.Node)
		}
	}
	if err := optimizer.Optimize(&tree.Node, config); err != nil {
		return nil, asCompileError(err, fail, field, src)
	}
	switch tree.Node.(type) {
	case *ast.StringNode, *ast.IntegerNode, *ast.BoolNode, *ast.ConstantNode, *ast.NilNode:
		c.constant = true
	}
	if c.prog, err = compiler.Compile(tree, config); err != nil {
		return nil, asCompileError(err, fail, field, src)
	}
	return c, nil
}

func asCompileError(err error, fail func(*file.Error) error, field, src string) error {
	var fe *file.Error
	if errors.As(err, &fe) {
		return fail(fe)
	}
	return &CompileError{Field: field, Expr: src, Msg: err.Error()}
}

// untyped clears the types a check pass left on the nodes.
type untyped struct{}

// Visit implements ast.Visitor.
func (untyped) Visit(node *ast.Node) { (*node).SetNature(nature.Nature{}) }

// findIdent returns an identifier called name in the tree.
func findIdent(root ast.Node, name string) ast.Node {
	return ast.Find(root, func(n ast.Node) bool {
		id, ok := n.(*ast.IdentifierNode)
		return ok && id.Value == name
	})
}

// checkTables reports lookup() calls whose table is a literal name that
// the mapping does not have.
func checkTables(root ast.Node, tables *Tables, at func(ast.Node, string) error) error {
	var bad ast.Node
	ast.Find(root, func(n ast.Node) bool {
		call, ok := n.(*ast.CallNode)
		if !ok || len(call.Arguments) < 2 {
			return false
		}
		if id, ok := call.Callee.(*ast.IdentifierNode); !ok || id.Value != "lookup" {
			return false
		}
		name, ok := call.Arguments[1].(*ast.StringNode) // [0] is $rt
		if !ok {
			return false
		}
		if _, known := tables.table(name.Value); !known {
			bad = name
			return true
		}
		return false
	})
	if bad != nil {
		return at(bad, fmt.Sprintf("unknown table %q: use payment_methods, shipping_methods, payment_terms, order_statuses or a custom table", bad.(*ast.StringNode).Value))
	}
	return nil
}

// memberPath recognises a plain field path such as Order.BillingAddress.Country
// and returns its root identifier and field names.
func memberPath(n ast.Node) (root string, names []string, ok bool) {
	for {
		switch x := n.(type) {
		case *ast.MemberNode:
			prop, isStr := x.Property.(*ast.StringNode)
			if !isStr || x.Optional || x.Method {
				return "", nil, false
			}
			names = append([]string{prop.Value}, names...)
			n = x.Node
		case *ast.IdentifierNode:
			return x.Value, names, len(names) > 0
		default:
			return "", nil, false
		}
	}
}
