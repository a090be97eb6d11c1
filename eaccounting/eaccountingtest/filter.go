package eaccountingtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The fake evaluates the subset of OData v4 $filter the eaccounting client
// uses and a little more: comparisons (eq ne gt ge lt le) between a
// property and a literal (string in single quotes with '' for a quote,
// number, true, false, null, GUID, RFC 3339 date-time), and, or, not,
// parentheses, and contains/startswith/endswith(Property,'text'). String
// comparisons ignore case, as eAccounting's SQL Server collation is
// expected to (inferred). Anything else answers 400, like a property the
// real server cannot filter on.

type filterExpr interface {
	eval(rec record) (bool, error)
}

type boolOp struct {
	and         bool
	left, right filterExpr
}

func (b boolOp) eval(rec record) (bool, error) {
	l, err := b.left.eval(rec)
	if err != nil {
		return false, err
	}
	if b.and && !l || !b.and && l {
		return l, nil
	}
	return b.right.eval(rec)
}

type notOp struct{ inner filterExpr }

func (n notOp) eval(rec record) (bool, error) {
	v, err := n.inner.eval(rec)
	return !v, err
}

type compare struct {
	field string
	op    string
	lit   literal
}

type textFunc struct {
	name, field, arg string
}

type literal struct {
	kind string // "string", "number", "bool", "null", "guid", "time"
	s    string
	n    decimal.Decimal
	b    bool
	t    time.Time
}

func fieldValue(rec record, path string) any {
	var cur any = map[string]any(rec)
	for _, p := range strings.Split(path, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func (f textFunc) eval(rec record) (bool, error) {
	v, _ := fieldValue(rec, f.field).(string)
	v, arg := strings.ToLower(v), strings.ToLower(f.arg)
	switch f.name {
	case "contains":
		return strings.Contains(v, arg), nil
	case "startswith":
		return strings.HasPrefix(v, arg), nil
	}
	return strings.HasSuffix(v, arg), nil
}

func (c compare) eval(rec record) (bool, error) {
	v := fieldValue(rec, c.field)
	var cmp int
	switch c.lit.kind {
	case "null":
		switch c.op {
		case "eq":
			return v == nil, nil
		case "ne":
			return v != nil, nil
		}
		return false, fmt.Errorf("null can only be compared with eq or ne")
	case "string", "guid":
		s, ok := v.(string)
		if !ok {
			return c.op == "ne", nil
		}
		cmp = strings.Compare(strings.ToLower(s), strings.ToLower(c.lit.s))
	case "number":
		n, ok := v.(json.Number)
		if !ok {
			return c.op == "ne", nil
		}
		d, err := decimal.NewFromString(string(n))
		if err != nil {
			return false, err
		}
		cmp = d.Cmp(c.lit.n)
	case "bool":
		b, ok := v.(bool)
		if !ok || c.op != "eq" && c.op != "ne" {
			return c.op == "ne", nil
		}
		return (b == c.lit.b) == (c.op == "eq"), nil
	case "time":
		s, _ := v.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return c.op == "ne", nil
		}
		cmp = t.Compare(c.lit.t)
	}
	switch c.op {
	case "eq":
		return cmp == 0, nil
	case "ne":
		return cmp != 0, nil
	case "gt":
		return cmp > 0, nil
	case "ge":
		return cmp >= 0, nil
	case "lt":
		return cmp < 0, nil
	}
	return cmp <= 0, nil
}

var (
	identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*$`)
	guidRE  = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	numRE   = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
)

type filterParser struct {
	toks []string
	pos  int
	// fields lists the properties the filter mentions.
	fields []string
}

// parseFilter parses a $filter value.
func parseFilter(s string) (filterExpr, []string, error) {
	toks, err := lexFilter(s)
	if err != nil {
		return nil, nil, err
	}
	p := &filterParser{toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, nil, err
	}
	if p.pos != len(p.toks) {
		return nil, nil, fmt.Errorf("unexpected %q at token %d", p.toks[p.pos], p.pos)
	}
	return e, p.fields, nil
}

func lexFilter(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case c == '(' || c == ')' || c == ',':
			toks = append(toks, string(c))
			i++
		case c == '\'':
			j := i + 1
			var b strings.Builder
			b.WriteByte('\'')
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("unterminated string literal")
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			toks = append(toks, b.String())
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" (),'", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func (p *filterParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *filterParser) next() string {
	t := p.peek()
	p.pos++
	return t
}

func (p *filterParser) expect(t string) error {
	if got := p.next(); got != t {
		return fmt.Errorf("expected %q, got %q", t, got)
	}
	return nil
}

func (p *filterParser) or() (filterExpr, error) {
	l, err := p.and()
	for err == nil && p.peek() == "or" {
		p.next()
		var r filterExpr
		if r, err = p.and(); err == nil {
			l = boolOp{left: l, right: r}
		}
	}
	return l, err
}

func (p *filterParser) and() (filterExpr, error) {
	l, err := p.unary()
	for err == nil && p.peek() == "and" {
		p.next()
		var r filterExpr
		if r, err = p.unary(); err == nil {
			l = boolOp{and: true, left: l, right: r}
		}
	}
	return l, err
}

func (p *filterParser) unary() (filterExpr, error) {
	switch t := p.peek(); t {
	case "not":
		p.next()
		e, err := p.unary()
		return notOp{e}, err
	case "(":
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		return e, p.expect(")")
	case "contains", "startswith", "endswith":
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		field, err := p.field()
		if err != nil {
			return nil, err
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
		arg := p.next()
		if !strings.HasPrefix(arg, "'") {
			return nil, fmt.Errorf("%s needs a string literal, got %q", t, arg)
		}
		return textFunc{name: t, field: field, arg: arg[1:]}, p.expect(")")
	}
	field, err := p.field()
	if err != nil {
		return nil, err
	}
	op := p.next()
	switch op {
	case "eq", "ne", "gt", "ge", "lt", "le":
	default:
		return nil, fmt.Errorf("unsupported operator %q", op)
	}
	lit, err := parseLiteral(p.next())
	if err != nil {
		return nil, err
	}
	return compare{field: field, op: op, lit: lit}, nil
}

func (p *filterParser) field() (string, error) {
	t := p.next()
	if !identRE.MatchString(t) || isKeyword(t) {
		return "", fmt.Errorf("expected a property name, got %q", t)
	}
	p.fields = append(p.fields, t)
	return t, nil
}

func isKeyword(t string) bool {
	switch t {
	case "and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le", "true", "false", "null":
		return true
	}
	return false
}

func parseLiteral(t string) (literal, error) {
	switch {
	case strings.HasPrefix(t, "'"):
		return literal{kind: "string", s: t[1:]}, nil
	case t == "true" || t == "false":
		return literal{kind: "bool", b: t == "true"}, nil
	case t == "null":
		return literal{kind: "null"}, nil
	case guidRE.MatchString(t):
		return literal{kind: "guid", s: t}, nil
	case numRE.MatchString(t):
		n, err := decimal.NewFromString(t)
		return literal{kind: "number", n: n}, err
	}
	if tm, err := time.Parse(time.RFC3339Nano, t); err == nil {
		return literal{kind: "time", t: tm}, nil
	}
	return literal{}, fmt.Errorf("not a literal: %q", t)
}
