package eaccountingtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/eaccounting"
)

// prop is what the fake enforces of one schema property. The table of
// props (specRules, in spec_rules.go) is generated from Visma's OpenAPI
// document by TestSpecRules.
type prop struct {
	typ            string // string, number, integer, boolean, array, object
	nullable       bool
	readOnly       bool
	required       bool
	maxLength      int // 0: no limit
	format         string
	hasMin, hasMax bool
	min, max       float64
	ref, items     string // schema of an object / of array items
}

// validate checks rec against schema name the way the API's model binding
// does: required properties (value types such as booleans default to
// false/0 when omitted, as measured against the live API), types, lengths,
// formats and ranges. Unknown properties are ignored; read-only ones are
// removed (the server computes them). Nested objects and arrays of objects
// are checked too.
func validate(name string, rec record, prefix string) []eaccounting.FieldError {
	rules := specRules[name]
	var errs []eaccounting.FieldError
	add := func(field, code, msg string) {
		errs = append(errs, eaccounting.FieldError{Field: prefix + field, ErrorCode: code, Message: msg})
	}
	for field, p := range rules {
		v, present := rec[field]
		if p.readOnly {
			delete(rec, field)
			continue
		}
		if !present || v == nil {
			switch {
			case p.required && (p.typ == "boolean" || p.typ == "integer"):
				if p.typ == "boolean" {
					rec[field] = false
				} else {
					rec[field] = json.Number("0")
				}
			case p.required:
				add(field, "Required", fmt.Sprintf("The %s field is required.", field))
			case present && !p.nullable:
				add(field, "Invalid", fmt.Sprintf("The %s field may not be null.", field))
			}
			continue
		}
		switch p.typ {
		case "string":
			s, ok := v.(string)
			if !ok {
				add(field, "Invalid", fmt.Sprintf("The value for %s is not valid.", field))
				continue
			}
			if p.maxLength > 0 && len([]rune(s)) > p.maxLength {
				add(field, "MaxLength", fmt.Sprintf("%s must be a string with a maximum length of %d.", field, p.maxLength))
			}
			if p.required && strings.TrimSpace(s) == "" {
				add(field, "Required", fmt.Sprintf("The %s field is required.", field))
			}
			switch p.format {
			case "uuid":
				if !guidRE.MatchString(s) {
					add(field, "Invalid", fmt.Sprintf("The value for %s is not a valid Guid.", field))
				}
			case "date-time":
				if _, ok := parseTime(s); !ok {
					add(field, "Invalid", fmt.Sprintf("The value for %s is not a valid date.", field))
				}
			}
		case "number", "integer":
			n, ok := v.(json.Number)
			if !ok {
				add(field, "Invalid", fmt.Sprintf("The value for %s is not a number.", field))
				continue
			}
			d, err := decimal.NewFromString(string(n))
			if err != nil || p.typ == "integer" && !d.IsInteger() {
				add(field, "Invalid", fmt.Sprintf("The value for %s is not valid.", field))
				continue
			}
			if p.hasMin && d.LessThan(decimal.NewFromFloat(p.min)) || p.hasMax && d.GreaterThan(decimal.NewFromFloat(p.max)) {
				add(field, "Range", fmt.Sprintf("The field %s must be between %v and %v.", field, p.min, p.max))
			}
		case "boolean":
			if _, ok := v.(bool); !ok {
				add(field, "Invalid", fmt.Sprintf("The value for %s is not a boolean.", field))
			}
		case "array":
			arr, ok := v.([]any)
			if !ok {
				add(field, "Invalid", fmt.Sprintf("The value for %s is not an array.", field))
				continue
			}
			if p.items != "" {
				for i, item := range arr {
					m, ok := item.(map[string]any)
					if !ok {
						add(fmt.Sprintf("%s[%d]", field, i), "Invalid", "is not an object")
						continue
					}
					errs = append(errs, validate(p.items, m, fmt.Sprintf("%s%s[%d].", prefix, field, i))...)
				}
			}
		case "object":
			m, ok := v.(map[string]any)
			if !ok {
				add(field, "Invalid", fmt.Sprintf("The value for %s is not an object.", field))
				continue
			}
			if p.ref != "" {
				errs = append(errs, validate(p.ref, m, prefix+field+".")...)
			}
		}
	}
	return errs
}

// complete fills the properties of schema name that rec lacks the way the
// API writes them: null where the schema allows it, false, 0 or an empty
// array otherwise. Strings that must not be null are left out.
func complete(name string, rec record) {
	for field, p := range specRules[name] {
		v, present := rec[field]
		if present && v != nil {
			if p.typ == "array" && p.items != "" {
				for _, item := range v.([]any) {
					if m, ok := item.(map[string]any); ok {
						complete(p.items, m)
					}
				}
			}
			continue
		}
		switch {
		case p.nullable:
			rec[field] = nil
		case p.typ == "boolean":
			rec[field] = false
		case p.typ == "number" || p.typ == "integer":
			rec[field] = json.Number("0")
		case p.typ == "array":
			rec[field] = []any{}
		default:
			delete(rec, field)
		}
	}
}

// parseTime reads the date-time forms the API takes: RFC 3339 and
// YYYY-MM-DD.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly, "2006-01-02T15:04:05.9999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
