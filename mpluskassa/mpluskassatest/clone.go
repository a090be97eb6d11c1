package mpluskassatest

import "reflect"

// clone returns a deep copy of a wire value, so the fake's state never
// shares pointers with what callers hold. Structs with unexported fields
// (decimal.Decimal) are values with value semantics and copied whole.
func clone[T any](v T) T {
	out := reflect.New(reflect.TypeOf(&v).Elem()).Elem()
	copyValue(out, reflect.ValueOf(&v).Elem())
	return out.Interface().(T)
}

func copyValue(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			copyValue(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Struct:
		t := src.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				dst.Set(src) // an opaque value type such as decimal.Decimal
				return
			}
		}
		for i := range t.NumField() {
			copyValue(dst.Field(i), src.Field(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			v := reflect.New(src.Type().Elem()).Elem()
			copyValue(v, it.Value())
			m.SetMapIndex(it.Key(), v)
		}
		dst.Set(m)
	default:
		dst.Set(src)
	}
}

// merge copies into *dst every field of src that is set: non-nil pointers
// and non-empty slices, the optional elements a request carried. Required
// value fields are copied when not zero. Fields named in skip are left
// alone. This is how the fake reads "absent means unchanged" in updates.
func merge[T any](dst *T, src T, skip ...string) {
	d := reflect.ValueOf(dst).Elem()
	s := reflect.ValueOf(src)
	t := s.Type()
outer:
	for i := range t.NumField() {
		for _, n := range skip {
			if t.Field(i).Name == n {
				continue outer
			}
		}
		f := s.Field(i)
		switch f.Kind() {
		case reflect.Pointer, reflect.Slice:
			if f.IsNil() || (f.Kind() == reflect.Slice && f.Len() == 0) {
				continue
			}
		default:
			if f.IsZero() {
				continue
			}
		}
		copyValue(d.Field(i), f)
	}
}
