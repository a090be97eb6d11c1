package ccvshoptest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/internal/verto"
	"github.com/tradelink/tradelink/internal/verto/vertotest"
)

type (
	request = vertotest.Request
	reply   = vertotest.Reply
	handler = vertotest.Handler
)

var (
	okJSON    = func(v any) reply { return vertotest.JSON(http.StatusOK, v) }
	created   = func(v any) reply { return vertotest.JSON(http.StatusCreated, v) }
	noContent = vertotest.NoContent
	invalid   = vertotest.Invalid
	notFound  = vertotest.NotFound
)

// pathID reads the {id} path value.
func pathID(r *request) (int64, bool) {
	v, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return v, err == nil && v > 0
}

// decode decodes the body strictly into v and returns which top-level
// keys were present, for required-field checks.
func decode(r *request, v any) (map[string]json.RawMessage, *reply) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &keys); err != nil {
		rep := invalid("request body is not a JSON object: %v", err)
		return nil, &rep
	}
	if err := r.Decode(v); err != nil {
		rep := invalid("%v", err)
		return nil, &rep
	}
	return keys, nil
}

// require answers 400 naming the first required key that is missing or
// null.
func require(keys map[string]json.RawMessage, resource string, names ...string) *reply {
	for _, n := range names {
		if v, ok := keys[n]; !ok || string(v) == "null" {
			rep := invalid("%s: property %q is required", resource, n)
			return &rep
		}
	}
	return nil
}

// decodeRequired decodes the body strictly into v and checks that the
// named top-level properties are present.
func decodeRequired(r *request, v any, resource string, names ...string) *reply {
	keys, b := decode(r, v)
	if bad(b) {
		return b
	}
	return require(keys, resource, names...)
}

// boolParam parses a boolean filter ("true", "false", "1", "0").
func boolParam(q url.Values, key string) (val, set bool, bad *reply) {
	v := q.Get(key)
	if v == "" {
		return false, false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		rep := invalid("filter %s must be true or false", key)
		return false, false, &rep
	}
	return b, true, nil
}

// intParam parses an integer filter.
func intParam(q url.Values, key string) (val int64, set bool, bad *reply) {
	v := q.Get(key)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		rep := invalid("filter %s must be an integer", key)
		return 0, false, &rep
	}
	return n, true, nil
}

// decParam parses a decimal filter.
func decParam(q url.Values, key string) (val decimal.Decimal, set bool, bad *reply) {
	v := q.Get(key)
	if v == "" {
		return decimal.Zero, false, nil
	}
	d, err := decimal.NewFromString(v)
	if err != nil {
		rep := invalid("filter %s must be a number", key)
		return decimal.Zero, false, &rep
	}
	return d, true, nil
}

// dayParam parses a date filter given as YYYY-MM-DD (or a full date-time,
// of which the day counts).
func dayParam(q url.Values, key string) (day string, bad *reply) {
	v := q.Get(key)
	if v == "" {
		return "", nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.Format(time.DateOnly), nil
	}
	if t, err := verto.ParseDate(v); err == nil {
		return t.UTC().Format(time.DateOnly), nil
	}
	rep := invalid("filter %s must be a date (YYYY-MM-DD)", key)
	return "", &rep
}

// dayOf returns the UTC day of an ISO-8601 date-time, "" when unparsable.
func dayOf(s string) string {
	t, err := verto.ParseDate(s)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// sorter orders a slice by one of the allowed fields; "<field>_desc"
// reverses. less compares two items by the named field.
func sortItems[T any](items []T, orderby string, allowed []string, less func(a, b T, field string) int) *reply {
	if orderby == "" {
		return nil
	}
	field, desc := strings.CutSuffix(orderby, "_desc")
	ok := false
	for _, a := range allowed {
		if a == field {
			ok = true
		}
	}
	if !ok {
		rep := invalid("orderby %q is not one of %s (optionally with _desc)", orderby, strings.Join(allowed, ", "))
		return &rep
	}
	sort.SliceStable(items, func(i, j int) bool {
		c := less(items[i], items[j], field)
		if desc {
			return c > 0
		}
		return c < 0
	})
	return nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func num(d decimal.Decimal) verto.Number { return verto.Number{Decimal: d} }

func bad(r *reply) bool { return r != nil }
