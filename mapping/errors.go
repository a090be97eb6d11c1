package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseError is a structural problem in a mapping: from [Parse], with its
// position in the JSON, or from [Compile] of a mapping built in Go, without.
type ParseError struct {
	// Line and Column locate the problem in the JSON, counting from 1;
	// zero when unknown.
	Line, Column int
	// Field is the JSON path of the value, e.g. "rules[2].on"; empty for
	// a syntax error.
	Field string
	// Msg says what is wrong.
	Msg string
}

// Error implements error.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("mapping: ")
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// CompileError is a rule or filter that does not compile.
type CompileError struct {
	// Field is the rule's target field, or "filters[i]" for a filter.
	Field string
	// Expr is the expression as written.
	Expr string
	// Line and Column locate the problem in Expr, counting from 1; zero
	// when the problem is not at one place (e.g. an unknown target field).
	Line, Column int
	// Msg says what is wrong, e.g. "unknown name Ordr".
	Msg string
}

// Error implements error.
func (e *CompileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mapping: field %s: expression %s: ", e.Field, strconv.Quote(e.Expr))
	if e.Column > 0 {
		if e.Line > 1 {
			fmt.Fprintf(&b, "line %d, ", e.Line)
		}
		fmt.Fprintf(&b, "column %d: ", e.Column)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ApplyError is a rule or filter that failed on one record.
type ApplyError struct {
	// Record names the record as given in [Options.Record].
	Record string
	// Field is the target field ("Lines[1].TaxCode" for the second line)
	// or "filters[i]".
	Field string
	// Err is the cause. It never holds values of the record, which may be
	// personal data.
	Err error
}

// Error implements error.
func (e *ApplyError) Error() string {
	rec := e.Record
	if rec == "" {
		rec = "record"
	}
	return fmt.Sprintf("mapping: %s: field %s: %v", rec, e.Field, e.Err)
}

// Unwrap returns the cause.
func (e *ApplyError) Unwrap() error { return e.Err }

// lineCol converts a byte offset in data into a 1-based line and column
// (the column counts characters).
func lineCol(data []byte, off int64) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}

// decodeError turns an encoding/json error into a *ParseError with a
// position; off is the decoder's offset when it failed.
func decodeError(data []byte, off int64, err error) error {
	pe := &ParseError{Msg: strings.TrimPrefix(err.Error(), "json: ")}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		pe.Msg = "empty input"
		return pe
	case errors.As(err, &syn):
		off = syn.Offset - 1 // Offset is just past the offending byte
	case errors.As(err, &typ):
		// The value ends at Offset; the innermost value starting before
		// it is the one of the wrong type, with its full path.
		pe.Field, off = typ.Field, typ.Offset
		if path, start, ok := valueBefore(jsonOffsets(data), typ.Offset); ok {
			pe.Field, off = path, start
		}
		pe.Msg = fmt.Sprintf("cannot use a JSON %s here (want %s)", typ.Value, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if path, start, ok := keyed(jsonOffsets(data), name); ok {
			pe.Field, off = path, start
			pe.Msg = "unknown field"
		}
	}
	pe.Line, pe.Column = lineCol(data, off)
	return pe
}

// valueBefore returns the path and start of the value that starts last
// before end.
func valueBefore(offsets map[string]int64, end int64) (path string, start int64, ok bool) {
	start = -1
	for p, o := range offsets {
		if o < end && (o > start || o == start && len(p) > len(path)) {
			path, start, ok = p, o, true
		}
	}
	return path, start, ok
}

// keyed returns the first value (by position) whose key is name.
func keyed(offsets map[string]int64, name string) (path string, start int64, ok bool) {
	for p, o := range offsets {
		if (p == name || strings.HasSuffix(p, "."+name)) && (!ok || o < start) {
			path, start, ok = p, o, true
		}
	}
	return path, start, ok
}

// jsonOffsets maps the JSON path of every value in data ("entity",
// "rules[1].on") to the offset where the value starts. data must be valid
// JSON; on a decoding problem the offsets found so far are returned.
func jsonOffsets(data []byte) map[string]int64 {
	dec := json.NewDecoder(bytes.NewReader(data))
	offsets := map[string]int64{}
	var walk func(path string) bool
	walk = func(path string) bool {
		off := skipSpace(data, dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		offsets[path] = off
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return false
				}
				k, _ := key.(string)
				p := k
				if path != "" {
					p = path + "." + k
				}
				if !walk(p) {
					return false
				}
			}
			_, err = dec.Token()
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if !walk(fmt.Sprintf("%s[%d]", path, i)) {
					return false
				}
			}
			_, err = dec.Token()
		}
		return err == nil
	}
	walk("")
	return offsets
}

// skipSpace returns the offset of the first byte at or after off that is
// not white space or a JSON separator.
func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	return off
}
