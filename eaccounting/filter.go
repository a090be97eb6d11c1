package eaccounting

import (
	"strconv"
	"strings"
	"time"
)

// Filter is an OData v4 $filter expression, the query language of the
// eAccounting list endpoints (for example `EmailAddress eq 'jane@example.com'`).
// Build one with [EqString], [EqInt], [Ge], [And] and [Or]: they quote and
// escape values, so user input cannot change the expression.
//
// Which properties a list endpoint lets you filter on is not published: Visma
// announces filter support per property in its changelog, so the
// filterability of every property below is unconfirmed. The client filters
// on exactly these, each built in one place:
//
//   - customers: EmailAddress eq '…' ([CustomersService.FindByEmail]),
//     CustomerNumber eq '…' ([CustomersService.FindByNumber]), ChangedUtc ge …;
//   - articles: Number eq '…' ([ArticlesService.FindByNumber]), ChangedUtc ge …;
//   - orders, invoice drafts, invoices, quotes: [RefField] eq '…' (the
//     external reference, see [RefField]); orders also ModifiedUtc ge … and
//     Status eq n.
//
// A filter the server rejects answers 400; the adapter then falls back to
// scanning the list and matching on the client (see [Connector]).
type Filter string

// quote writes s as an OData string literal: single quotes, with a quote
// inside doubled.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// EqString is `field eq 'value'`. String comparison follows the server's
// collation; eAccounting runs on SQL Server, whose default collations compare
// case-insensitively (inferred, unconfirmed), so callers that need an exact
// match compare the results again.
func EqString(field, value string) Filter { return Filter(field + " eq " + quote(value)) }

// EqInt is `field eq value` for an integer property or enum.
func EqInt(field string, value int) Filter { return Filter(field + " eq " + strconv.Itoa(value)) }

// Ge is `field ge instant` for a date-time property; the literal is an
// unquoted RFC 3339 timestamp in UTC, as OData v4 writes DateTimeOffset.
func Ge(field string, t time.Time) Filter {
	return Filter(field + " ge " + t.UTC().Format(time.RFC3339))
}

// And joins filters with `and`; empty filters are left out.
func And(fs ...Filter) Filter { return join(" and ", fs) }

// Or joins filters with `or`; empty filters are left out.
func Or(fs ...Filter) Filter { return join(" or ", fs) }

func join(op string, fs []Filter) Filter {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		if f != "" {
			parts = append(parts, "("+string(f)+")")
		}
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		s := parts[0]
		return Filter(s[1 : len(s)-1])
	}
	return Filter(strings.Join(parts, op))
}
