package mapping

import (
	"fmt"
	"maps"
	"reflect"
	"strings"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// This file turns field paths into precomputed accessors. Compile resolves
// every path once with reflect into byte offsets inside the record type;
// Apply then reads and writes fields through unsafe.Add on those offsets
// with typed copies, without any reflection lookups per call. The offsets
// come from reflect.StructField.Offset of the very types the pointers point
// to, and only paths through nested structs are summed (every pointer on
// the way is followed and, when writing, allocated), so each computed
// pointer stays inside the object it was derived from.

// typedOps are the operations on a field of one Go type.
type typedOps struct {
	// copy copies the value at src to dst.
	copy func(dst, src unsafe.Pointer)
	// set stores v at dst when v's dynamic type is exactly the field's
	// type, and reports whether it did.
	set func(dst unsafe.Pointer, v any) bool
}

func opsFor[F any]() typedOps {
	return typedOps{
		copy: func(dst, src unsafe.Pointer) { *(*F)(dst) = *(*F)(src) },
		set: func(dst unsafe.Pointer, v any) bool {
			x, ok := v.(F)
			if ok {
				*(*F)(dst) = x
			}
			return ok
		},
	}
}

// knownOps has typed operations for the field types of the canonical
// model; other types go through reflect (see opsOf).
var knownOps = map[reflect.Type]typedOps{}

func init() {
	add := func(t reflect.Type, o typedOps) { knownOps[t] = o }
	add(reflect.TypeFor[string](), opsFor[string]())
	add(reflect.TypeFor[bool](), opsFor[bool]())
	add(reflect.TypeFor[int](), opsFor[int]())
	add(decimalType, opsFor[decimal.Decimal]())
	add(nullDecimalType, opsFor[decimal.NullDecimal]())
	add(timeType, opsFor[time.Time]())
	add(reflect.TypeFor[map[string]string](), opsFor[map[string]string]())
	add(reflect.TypeFor[[]string](), opsFor[[]string]())
	add(reflect.TypeFor[connector.OrderStatus](), opsFor[connector.OrderStatus]())
	add(reflect.TypeFor[connector.ProductType](), opsFor[connector.ProductType]())
	add(reflect.TypeFor[connector.Customer](), opsFor[connector.Customer]())
	add(reflect.TypeFor[connector.Address](), opsFor[connector.Address]())
	add(reflect.TypeFor[connector.Totals](), opsFor[connector.Totals]())
	add(reflect.TypeFor[[]connector.Discount](), opsFor[[]connector.Discount]())
	add(reflect.TypeFor[[]connector.AttributeValue](), opsFor[[]connector.AttributeValue]())
	add(reflect.TypeFor[[]connector.OrderLine](), opsFor[[]connector.OrderLine]())
	add(reflect.TypeFor[[]connector.Variant](), opsFor[[]connector.Variant]())
	add(reflect.TypeFor[[]connector.Attribute](), opsFor[[]connector.Attribute]())
	add(reflect.TypeFor[[]connector.Feature](), opsFor[[]connector.Feature]())
	add(reflect.TypeFor[[]connector.Category](), opsFor[[]connector.Category]())
	add(reflect.TypeFor[[]connector.Image](), opsFor[[]connector.Image]())
	add(reflect.TypeFor[*connector.StockLevel](), opsFor[*connector.StockLevel]())
}

// opsOf returns the typed operations for t.
func opsOf(t reflect.Type) typedOps {
	if o, ok := knownOps[t]; ok {
		return o
	}
	return typedOps{
		copy: func(dst, src unsafe.Pointer) { reflect.NewAt(t, dst).Elem().Set(reflect.NewAt(t, src).Elem()) },
		set: func(dst unsafe.Pointer, v any) bool {
			if v == nil || reflect.TypeOf(v) != t {
				return false
			}
			reflect.NewAt(t, dst).Elem().Set(reflect.ValueOf(v))
			return true
		},
	}
}

// assignable reports whether a value of static type from may be written
// to a field of type to, the rule Compile checks and convert applies. A
// nil from stands for an expression of unknown type (any), which is
// checked when it runs.
func assignable(from, to reflect.Type) bool {
	switch {
	case from == nil || from.Kind() == reflect.Interface:
		return true
	case from == to:
		return true
	case from.Kind() == reflect.String && to.Kind() == reflect.String:
		return true
	case to == decimalType || to == nullDecimalType:
		return from == decimalType || isInt(from)
	case isInt(from) && isInt(to):
		return true
	}
	return false
}

func isInt(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

// convert returns v as a value of type to under the rules of assignable,
// or an error naming both types (never the value: it may be personal
// data).
func convert(v any, to reflect.Type) (reflect.Value, error) {
	if v == nil {
		switch to.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
			return reflect.Zero(to), nil
		}
		return reflect.Value{}, fmt.Errorf("the expression gives nil, the field needs %s", to)
	}
	rv := reflect.ValueOf(v)
	from := rv.Type()
	if from.Kind() == reflect.Interface || !assignable(from, to) {
		return reflect.Value{}, fmt.Errorf("the expression gives %s, the field needs %s", from, to)
	}
	switch {
	case from == to:
		return rv, nil
	case to == decimalType || to == nullDecimalType:
		d, ok := v.(decimal.Decimal)
		if !ok {
			d = decimal.NewFromInt(rv.Int())
		}
		if to == nullDecimalType {
			return reflect.ValueOf(decimal.NewNullDecimal(d)), nil
		}
		return reflect.ValueOf(d), nil
	case from.Kind() == reflect.String:
		return reflect.ValueOf(rv.String()).Convert(to), nil
	default: // ints
		out := reflect.New(to).Elem()
		if out.OverflowInt(rv.Int()) {
			return reflect.Value{}, fmt.Errorf("%d overflows %s", rv.Int(), to)
		}
		out.SetInt(rv.Int())
		return out, nil
	}
}

// hop follows a pointer field on the way to a target: the pointer sits at
// off from the current base and points to a elem.
type hop struct {
	off  uintptr
	elem reflect.Type
}

// target is a resolved target path inside a record, a line or a variant.
type target struct {
	hops []hop
	// off is the offset of the field from the last base.
	off uintptr
	// typ is the type of the field, or of the map's values for a map key.
	typ reflect.Type
	ops typedOps
	// mapKey is set when the path ends in a key of a map[string]string.
	mapKey string
	isMap  bool
}

// resolveTarget resolves path ("BillingAddress.Country",
// "CustomFields.channel", "Stock.OnHand") inside t.
func resolveTarget(t reflect.Type, path string) (*target, error) {
	tg := &target{}
	parts := strings.Split(path, ".")
	for i, name := range parts {
		if t.Kind() == reflect.Map {
			if t.Key().Kind() != reflect.String || t.Elem().Kind() != reflect.String || i != len(parts)-1 || name == "" {
				return nil, fmt.Errorf("cannot write into %s: only one key of a map of strings can be written", strings.Join(parts[:i], "."))
			}
			tg.isMap, tg.mapKey, tg.typ = true, name, t.Elem()
			tg.ops = opsOf(tg.typ)
			return tg, nil
		}
		if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
			tg.hops = append(tg.hops, hop{off: tg.off, elem: t.Elem()})
			tg.off, t = 0, t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil, fmt.Errorf("%s is a %s, it has no field %s", strings.Join(parts[:i], "."), t, name)
		}
		f, ok := t.FieldByName(name)
		if !ok || !f.IsExported() || len(f.Index) != 1 {
			return nil, fmt.Errorf("%s has no field %s", t, name)
		}
		tg.off += f.Offset
		t = f.Type
	}
	tg.typ = t
	tg.ops = opsOf(t)
	return tg, nil
}

// field returns a pointer to the target field (or, for a map key, to the
// map) inside base, allocating pointers on the way. It is small enough to
// inline; follow does the rare pointer hops.
func (tg *target) field(base unsafe.Pointer) unsafe.Pointer {
	if tg.hops != nil {
		base = tg.follow(base)
	}
	return unsafe.Add(base, tg.off)
}

func (tg *target) follow(base unsafe.Pointer) unsafe.Pointer {
	for _, h := range tg.hops {
		pp := (*unsafe.Pointer)(unsafe.Add(base, h.off))
		if *pp == nil {
			*pp = reflect.New(h.elem).UnsafePointer()
		}
		base = *pp
	}
	return base
}

// store writes v, converted when needed, into the target inside base.
func (tg *target) store(base unsafe.Pointer, v any) error {
	p := tg.field(base)
	if tg.isMap {
		s, ok := v.(string)
		if !ok {
			rv, err := convert(v, tg.typ)
			if err != nil {
				return err
			}
			s = rv.String()
		}
		// Copy on write: the map may be shared with the source record (a
		// CustomFields rule copies the map), which must not change.
		m := (*map[string]string)(p)
		c := make(map[string]string, len(*m)+1)
		maps.Copy(c, *m)
		c[tg.mapKey] = s
		*m = c
		return nil
	}
	if tg.ops.set(p, v) {
		return nil
	}
	rv, err := convert(v, tg.typ)
	if err != nil {
		return err
	}
	reflect.NewAt(tg.typ, p).Elem().Set(rv)
	return nil
}

// storeString writes a string into the target inside base, directly when
// the field is of a string kind.
func (tg *target) storeString(base unsafe.Pointer, s string) error {
	if tg.isMap || tg.typ.Kind() != reflect.String {
		return tg.store(base, s)
	}
	*(*string)(tg.field(base)) = s // a string kind has the layout of string
	return nil
}

// storeDecimal writes a decimal into the target inside base, directly when
// the field is a decimal.Decimal.
func (tg *target) storeDecimal(base unsafe.Pointer, d decimal.Decimal) error {
	if tg.typ != decimalType {
		return tg.store(base, d)
	}
	*(*decimal.Decimal)(tg.field(base)) = d
	return nil
}

// sourcePath resolves a chain of field names below a root of type t for a
// direct copy. It reports ok only for chains through nested structs (no
// pointers, maps or slices on the way), so that the field lies at a fixed
// offset from the root.
func sourcePath(t reflect.Type, names []string) (off uintptr, typ reflect.Type, ok bool) {
	for _, name := range names {
		if t.Kind() != reflect.Struct {
			return 0, nil, false
		}
		f, found := t.FieldByName(name)
		if !found || !f.IsExported() || len(f.Index) != 1 {
			return 0, nil, false
		}
		off += f.Offset
		t = f.Type
	}
	return off, t, true
}
