package mapping

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"
	"unsafe"

	"github.com/expr-lang/expr/file"
)

// Apply maps src into dst.
//
// In [Create] mode dst starts as the caller gives it (normally zero) and
// every create and both rule writes. In [Update] mode dst is the record as
// it exists in the target and only update and both rules write, so fields
// enriched in the target are kept.
//
// When rules for lines (orders) or variants (products) apply in the mode,
// dst gets a new slice with one item per source item; the item at the same
// position in dst, if any, is its starting point, so per-item fields the
// rules do not write (a line's ProductID) are kept.
//
// Values are written as Go assigns them: slices, maps and pointers copied
// from src share their contents with src.
//
// An error is an *[ApplyError] naming opt.Record and the field; dst may
// then be partly written. Apply does not panic.
func (p *Program[T]) Apply(src, dst *T, opt Options) (Result, error) {
	switch {
	case p == nil || p.e == nil:
		return Result{}, errNoProgram
	case src == nil || dst == nil:
		return Result{}, fmt.Errorf("mapping: %s: Apply needs a source and a destination", recordName(opt))
	}
	return p.e.apply(unsafe.Pointer(src), unsafe.Pointer(dst), opt)
}

// Match reports whether src passes every filter of the mapping; a mapping
// without filters matches every record. An error is an *[ApplyError]
// naming the filter ("filters[1]").
func (p *Program[T]) Match(src *T, opt Options) (bool, error) {
	switch {
	case p == nil || p.e == nil:
		return false, errNoProgram
	case src == nil:
		return false, fmt.Errorf("mapping: %s: Match needs a record", recordName(opt))
	}
	return p.e.match(unsafe.Pointer(src), opt)
}

// Fields returns the target fields written in mode: record fields in rule
// order, then per-line or per-variant fields ("Lines[].TaxCode").
func (p *Program[T]) Fields(mode Mode) []string {
	b := mode.bit()
	if b == 0 || p == nil || p.e == nil {
		return nil
	}
	return slices.Clone(p.e.fields[modeIndex(b)])
}

// Mapping returns a copy of the mapping the program was compiled from (nil
// for a Program not made by Compile).
func (p *Program[T]) Mapping() *Mapping {
	if p == nil || p.e == nil {
		return nil
	}
	return p.e.m.clone()
}

var errNoProgram = errors.New("mapping: the Program was not made by Compile")

func recordName(opt Options) string {
	if opt.Record == "" {
		return "record"
	}
	return opt.Record
}

// get takes a state from the pool and binds it to the record.
func (e *engine) get(src unsafe.Pointer, opt Options) *state {
	st := e.pool.Get().(*state)
	misses := st.rt.misses[:0]
	st.rt = e.rt
	st.rt.misses = misses
	st.frame = frame{rec: src, item: src, rt: &st.rt}
	e.spec.bind(st, src, e.m.Settings, opt.Now)
	return st
}

// put clears the references to the caller's records and returns st to the
// pool.
func (e *engine) put(st *state) {
	e.spec.bind(st, nil, nil, time.Time{}) // the entity's environments only
	st.frame = frame{}
	clear(st.rt.misses)
	st.rt = runCtx{misses: st.rt.misses}
	e.pool.Put(st)
}

func (e *engine) apply(src, dst unsafe.Pointer, opt Options) (res Result, err error) {
	bit := opt.Mode.bit()
	if bit == 0 {
		return Result{}, fmt.Errorf("mapping: %s: Options.Mode is %v, want Create or Update", recordName(opt), opt.Mode)
	}
	mi := modeIndex(bit)
	st := e.get(src, opt)
	var cur *op // the op running, for the error of a panic
	item := -1
	defer func() {
		if r := recover(); r != nil {
			err = e.fail(opt, cur, item, fmt.Errorf("internal error: %v", r))
		}
		e.put(st)
	}()
	env := e.spec.env(st, scopeRecord)
	for _, o := range e.recOps[mi] {
		cur = o
		if err := e.run(st, o, env, src, dst, src); err != nil {
			return Result{}, e.fail(opt, o, -1, err)
		}
	}
	if ops := e.itemOps[mi]; len(ops) > 0 {
		s, d, n := e.spec.buildItems(src, dst)
		env := e.spec.env(st, scopeItem)
		size := e.spec.itemSize
		for item = 0; item < n; item++ {
			si := unsafe.Add(s, uintptr(item)*size)
			di := unsafe.Add(d, uintptr(item)*size)
			e.spec.bindItem(st, si, item)
			for _, o := range ops {
				cur = o
				if err := e.run(st, o, env, src, di, si); err != nil {
					return Result{}, e.fail(opt, o, item, err)
				}
			}
		}
	}
	res.Fields = e.fields[mi]
	if len(st.rt.misses) > 0 {
		res.Misses = slices.Clone(st.rt.misses)
	}
	return res, nil
}

// run executes one op. dstBase is the record or the item written to,
// srcItem the source item (the record for record rules).
func (e *engine) run(st *state, o *op, env any, src, dstBase, srcItem unsafe.Pointer) error {
	switch o.kind {
	case opCopy:
		from := src
		if o.fromItem {
			from = srcItem
		}
		o.dst.ops.copy(o.dst.field(dstBase), unsafe.Add(from, o.srcOff))
		return nil
	case opConst:
		return o.dst.store(dstBase, o.value)
	}
	st.rt.field = o.field
	switch o.kind {
	case opStr:
		st.frame.item = srcItem
		return o.dst.storeString(dstBase, o.str(&st.frame))
	case opDec:
		st.frame.item = srcItem
		return o.dst.storeDecimal(dstBase, o.dec(&st.frame))
	}
	v, err := st.vm.Run(o.prog, env)
	if err != nil {
		return evalError(o.expr, err)
	}
	return o.dst.store(dstBase, v)
}

func (e *engine) match(src unsafe.Pointer, opt Options) (ok bool, err error) {
	st := e.get(src, opt)
	var cur *filter
	defer func() {
		if r := recover(); r != nil {
			ok, err = false, &ApplyError{Record: opt.Record, Field: cur.name, Err: fmt.Errorf("internal error: %v", r)}
		}
		e.put(st)
	}()
	env := e.spec.env(st, scopeRecord)
	for i := range e.filters {
		cur = &e.filters[i]
		st.rt.field = cur.name
		v, err := st.vm.Run(cur.prog, env)
		if err != nil {
			return false, &ApplyError{Record: opt.Record, Field: cur.name, Err: evalError(cur.expr, err)}
		}
		b, isBool := v.(bool)
		if !isBool {
			return false, &ApplyError{Record: opt.Record, Field: cur.name, Err: fmt.Errorf("the filter gives %s, not true or false", typeName(v))}
		}
		if !b {
			return false, nil
		}
	}
	return true, nil
}

// fail wraps err into an ApplyError for op o on item (or the record when
// item < 0).
func (e *engine) fail(opt Options, o *op, item int, err error) error {
	field := "?"
	if o != nil {
		field = o.field
		if item >= 0 && o.scope == scopeItem {
			field = fmt.Sprintf("%s[%d]%s", e.spec.items, item, o.field[len(e.spec.items)+2:])
		}
	}
	return &ApplyError{Record: opt.Record, Field: field, Err: err}
}

// EvalError is an expression that failed when it ran.
type EvalError struct {
	// Expr is the expression as written.
	Expr string
	// Column locates the failing part of Expr, counting from 1; zero when
	// unknown.
	Column int
	// Msg says what failed. Messages of the expression engine that may
	// hold values of the record (personal data) are withheld.
	Msg string

	cause error
}

// Error implements error.
func (e *EvalError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("expression %q: column %d: %s", e.Expr, e.Column, e.Msg)
	}
	return fmt.Sprintf("expression %q: %s", e.Expr, e.Msg)
}

// Unwrap returns the underlying error, for errors.Is.
func (e *EvalError) Unwrap() error { return e.cause }

// safeMessage matches messages of the expression engine that hold no
// record values: they name fields, types and sizes only.
var safeMessage = regexp.MustCompile(`^(memory budget exceeded|(runtime error: )?integer divide by zero|index out of range: -?\d+ \(array length is \d+\)|cannot get \w+ from [\w.]+|interface conversion: interface \{\} is [\w.*]+, not [\w.*]+)$`)

// withheld replaces an engine message that may hold record data.
const withheld = "the expression failed (the engine's message is withheld: it may hold record data)"

func evalError(src string, err error) error {
	ee := &EvalError{Expr: src, Msg: withheld}
	msg := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg, ee.Column = fe.Message, fe.Column+1
	}
	var fn *FuncError
	switch {
	case errors.As(err, &fn):
		// Only our own cause is kept: a library's error (strconv's, say)
		// may quote the value.
		ee.Msg, ee.cause = fn.Error(), fn
	case safeMessage.MatchString(msg):
		ee.Msg = msg
	}
	return ee
}
