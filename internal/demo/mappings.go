package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/tradelink/tradelink/mapping"
)

// Mappings are per-entity overrides of the default mappings, kept per
// client as one JSON file. Each entity's object is a mapping.Mapping whose
// "entity" may be left out (the key names it):
//
//	{"order": {"tables": {"payment_terms": {"BankTransfer": "14 dagen"}}},
//	 "customer": {"rules": [{"field": "Number", "expr": "Customer.ID", "on": "create"}]},
//	 "product": {"filters": ["Product.Price > 0"]}}
type Mappings struct {
	Order    *mapping.Mapping `json:"order,omitempty"`
	Customer *mapping.Mapping `json:"customer,omitempty"`
	Product  *mapping.Mapping `json:"product,omitempty"`
}

// LoadMappings reads a mappings file (see ParseMappings); errors name the
// file.
func LoadMappings(path string) (Mappings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Mappings{}, fmt.Errorf("mappings: %w", err)
	}
	m, err := ParseMappings(data)
	if err != nil {
		return Mappings{}, fmt.Errorf("mappings %s: %w", path, err)
	}
	return m, nil
}

// ParseMappings parses the JSON of a mappings file. A problem is a
// *mapping.ParseError (several are joined with errors.Join) whose line and
// column count in data and whose field starts with the entity, e.g.
// "mapping: line 3, column 52: order.rules[0].on: ...".
func ParseMappings(data []byte) (Mappings, error) {
	var m Mappings
	at := func(off int64, field, format string, args ...any) error {
		line, col := lineCol(data, off)
		return &mapping.ParseError{Line: line, Column: col, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	// Syntax first: json.Unmarshal places a syntax error exactly (a
	// Decoder's offsets drift once it has read tokens), and afterwards the
	// data is known to be one well-formed value.
	var whole any
	if err := json.Unmarshal(data, &whole); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return m, at(syn.Offset-1, "", "%s", syn.Error())
		}
		return m, at(0, "", "%v", err)
	}
	if _, ok := whole.(map[string]any); !ok {
		return m, at(skipSep(data, 0), "", "want a JSON object with the keys order, customer and product")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	_, _ = dec.Token() // the opening brace
	targets := map[string]**mapping.Mapping{"order": &m.Order, "customer": &m.Customer, "product": &m.Product}
	seen := map[string]bool{}
	for dec.More() {
		keyAt := skipSep(data, dec.InputOffset())
		tok, _ := dec.Token()
		key, _ := tok.(string)
		var raw json.RawMessage
		_ = dec.Decode(&raw)
		dst, ok := targets[key]
		switch {
		case !ok:
			return m, at(keyAt, key, "unknown entity (want order, customer or product)")
		case seen[key]:
			return m, at(keyAt, key, "appears twice")
		}
		seen[key] = true
		base := dec.InputOffset() - int64(len(raw))
		mp, err := parseEntity(key, raw)
		if err != nil {
			return m, relocate(err, key, data, raw, base)
		}
		*dst = mp
	}
	return m, nil
}

// parseEntity parses one entity's mapping, filling in its entity when the
// object leaves it out. The entity is added at the end of the object, so
// the positions of everything written stay where they were.
func parseEntity(key string, raw json.RawMessage) (*mapping.Mapping, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, &mapping.ParseError{Line: 1, Column: 1, Msg: "want a JSON object (a mapping)"}
	}
	if e, ok := fields["entity"]; ok {
		var name string
		if json.Unmarshal(e, &name) != nil || name != key {
			return nil, &mapping.ParseError{Line: 1, Column: 1, Field: "entity", Msg: fmt.Sprintf("must be %q here, or left out", key)}
		}
		return mapping.Parse(raw)
	}
	end := bytes.LastIndexByte(raw, '}')
	body := append([]byte(nil), raw[:end]...)
	if len(fields) > 0 {
		body = append(body, ',')
	}
	body = append(body, `"entity":"`+key+`"}`...)
	return mapping.Parse(body)
}

// relocate turns the positions of err, counted in raw, into positions in
// data, where raw starts at base, and puts key before each field path.
func relocate(err error, key string, data, raw []byte, base int64) error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range joined.Unwrap() {
			out = append(out, relocate(e, key, data, raw, base))
		}
		return errors.Join(out...)
	}
	var pe *mapping.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", key, err)
	}
	out := *pe
	out.Field = key
	if pe.Field != "" {
		out.Field += "." + pe.Field
	}
	off := int64(0) // the entity's object, when nothing closer is known
	if pe.Line > 0 {
		off = offsetOf(raw, pe.Line, pe.Column)
	} else {
		// A missing value has no place of its own: point at the
		// innermost value around it that the file has.
		offsets := valueOffsets(raw)
		for p := pe.Field; ; p = parentPath(p) {
			if o, ok := offsets[p]; ok {
				off = o
				break
			}
			if p == "" {
				break
			}
		}
	}
	out.Line, out.Column = lineCol(data, base+off)
	return &out
}

// skipSep returns the offset of the first byte at or after off that is
// not white space or a separator (',' or ':').
func skipSep(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	return off
}

// valueOffsets maps the path of every value in data, in the form of
// mapping.ParseError's Field ("rules[0].on"; "" for the whole), to the
// offset where the value starts. data must be well-formed.
func valueOffsets(data []byte) map[string]int64 {
	out := map[string]int64{}
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func(path string) error
	walk = func(path string) error {
		start := skipSep(data, dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		out[path] = start
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				p, _ := k.(string)
				if path != "" {
					p = path + "." + p
				}
				if err := walk(p); err != nil {
					return err
				}
			}
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		default:
			return nil
		}
		_, err = dec.Token() // the closing delimiter
		return err
	}
	_ = walk("")
	return out
}

// parentPath cuts the last step off a path: "rules[0].on" → "rules[0]" →
// "rules" → "".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// lineCol converts a byte offset into a 1-based line and column
// (characters).
func lineCol(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	start := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte{'\n'}) + 1, utf8.RuneCount(before[start:]) + 1
}

// offsetOf is the inverse of lineCol.
func offsetOf(data []byte, line, col int) int64 {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return int64(len(data))
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(data) && data[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(data[off:])
		off += size
	}
	return int64(off)
}
