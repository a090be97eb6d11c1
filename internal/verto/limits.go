package verto

import (
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Op is the rate-limit class of an operation.
type Op int

// Rate-limit classes. The platform publishes one limit per operation: every
// GET 150 a minute, every POST, PATCH, PUT and DELETE 100 a minute, and
// GET /productqueries/ 30 a minute.
const (
	OpRead Op = iota
	OpWrite
	OpProductQuery
)

// String implements fmt.Stringer.
func (o Op) String() string {
	switch o {
	case OpRead:
		return "read"
	case OpWrite:
		return "write"
	case OpProductQuery:
		return "productquery"
	}
	return "unknown"
}

// Classify returns the rate-limit class of a request.
func Classify(method, path string) Op {
	if Resource(path) == "productqueries" {
		return OpProductQuery
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return OpRead
	}
	return OpWrite
}

// Resource returns the resource a path addresses: its last segment that is
// not an id, e.g. "orderrows" for /api/rest/v1/orders/12/orderrows/ and
// "orders" for /api/rest/v1/orders/12/. A query string is ignored.
func Resource(path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	path = strings.TrimPrefix(path, PathPrefix)
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if s != "" && !isDigits(s) && !strings.HasPrefix(s, "{") {
			return s
		}
	}
	return ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Limits are requests per minute per rate-limit class.
type Limits struct {
	Read, Write, ProductQuery int
}

// DefaultLimits are the platform's published limits.
var DefaultLimits = Limits{Read: 150, Write: 100, ProductQuery: 30}

// For returns the per-minute limit of op; zero fields take the default.
func (l Limits) For(op Op) int {
	var v, d int
	switch op {
	case OpRead:
		v, d = l.Read, DefaultLimits.Read
	case OpWrite:
		v, d = l.Write, DefaultLimits.Write
	case OpProductQuery:
		v, d = l.ProductQuery, DefaultLimits.ProductQuery
	}
	if v <= 0 {
		return d
	}
	return v
}

// NewLimiter returns a token bucket that never admits more than perMinute
// requests in any 60-second window: a small burst (a fifteenth of the limit)
// plus a steady rate for the rest, so a short job starts at once and a long
// one runs at the limit without provoking 429.10 from a server that counts
// per minute.
func NewLimiter(perMinute int) *rate.Limiter {
	if perMinute <= 0 {
		return nil
	}
	burst := max(perMinute/15, 1)
	steady := max(perMinute-burst, 1)
	return rate.NewLimiter(rate.Every(time.Minute/time.Duration(steady)), burst)
}
