package connector

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound is returned when a lookup finds no record, and matches every
// *[APIError] with HTTP status 404.
var ErrNotFound = errors.New("not found")

// ErrUnsupported is returned when a connector cannot do what was asked, for
// example write an order as a kind its system does not have.
var ErrUnsupported = errors.New("not supported by this system")

// ErrOutcomeUnknown matches every *[OutcomeUnknownError].
var ErrOutcomeUnknown = errors.New("write outcome unknown")

// APIError is an error answer of a remote API, decoded from the vendor's
// error body.
type APIError struct {
	// System names the system that answered, e.g. "ccvshop".
	System string
	// Method and Path identify the request; Path never holds query
	// parameters, so it carries no credentials.
	Method string
	Path   string
	// StatusCode is the HTTP status; SOAP faults keep the HTTP status the
	// server sent.
	StatusCode int
	// Code is the vendor's error code, e.g. "429.10" or "4010".
	Code string
	// Message is the vendor's message for developers.
	Message string
	// RequestID is the vendor's id for the failed request, where it sends one.
	RequestID string
	// RetryAfter is how long the server asked the client to wait, if it said.
	RetryAfter time.Duration
	// Temporary marks an error the vendor signals as transient although its
	// status alone would not say so (a SOAP Server fault, for instance).
	Temporary bool
	// Fields holds per-field messages when the vendor reports them.
	Fields map[string]string
}

// Error implements error.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.System != "" {
		b.WriteString(e.System)
		b.WriteString(": ")
	}
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.StatusCode != 0 {
		b.WriteString(strconv.Itoa(e.StatusCode))
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteByte(' ')
			b.WriteString(t)
		}
	} else {
		b.WriteString("error")
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request %s]", e.RequestID)
	}
	return b.String()
}

// Retryable reports whether the same request may succeed later: rate limits
// (429), gateway errors and unavailability (502, 503, 504), request timeouts
// (408) and errors the vendor marks as temporary.
func (e *APIError) Retryable() bool {
	if e.Temporary {
		return true
	}
	switch e.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout, http.StatusRequestTimeout:
		return true
	}
	return false
}

// Is makes errors.Is(err, ErrNotFound) true for a 404 answer.
func (e *APIError) Is(target error) bool {
	return target == ErrNotFound && e.StatusCode == http.StatusNotFound
}

// Retryable reports whether err is worth retrying later: an *[APIError] that
// says so, or an error that matches [ErrOutcomeUnknown] (the caller must look
// the record up before writing it again).
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if ae, ok := errors.AsType[*APIError](err); ok {
		return ae.Retryable()
	}
	return errors.Is(err, ErrOutcomeUnknown)
}

// OutcomeUnknownError is returned when a non-idempotent write was sent and no
// answer came back (timeout, broken connection, gateway error): the write may
// or may not have happened. The caller should look the record up by its
// reference before trying again.
type OutcomeUnknownError struct {
	System string
	Method string
	Path   string
	// Err is the cause, e.g. a timeout.
	Err error
}

// Error implements error.
func (e *OutcomeUnknownError) Error() string {
	s := "write outcome unknown"
	if e.System != "" {
		s = e.System + ": " + s
	}
	if e.Method != "" {
		s += ": " + e.Method + " " + e.Path
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrOutcomeUnknown) true.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// ValidationError says that a record cannot be accepted and names the record
// and the field at fault.
type ValidationError struct {
	// Record names the record, e.g. `order "1001"` or `product "SKU-1"`.
	Record string
	// Field is the path of the offending field, e.g. "Lines[2].Quantity".
	Field string
	// Value is the offending value, when showing it discloses no personal
	// data.
	Value string
	// Reason says what is wrong.
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Record != "" {
		b.WriteString(e.Record)
		b.WriteString(": ")
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %s: ", e.Field)
	}
	b.WriteString(e.Reason)
	if e.Value != "" {
		fmt.Fprintf(&b, " (got %q)", e.Value)
	}
	return b.String()
}

// ValidationErrors is a list of problems found in one record. It unwraps to
// its elements, so errors.As finds the first *ValidationError.
type ValidationErrors []*ValidationError

// Error implements error.
func (es ValidationErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap returns the individual errors.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// RecordError is what a source yields, beside the record as far as it could
// be read, for one record it cannot convert to the canonical model (a
// malformed date, an unknown status). Unlike any other error in a stream it
// does not end the stream: the consumer reports the record as failed, keeps it
// to try again, and goes on with the next one. The record yielded with it
// carries at least its ID (and its number, cursor or change time where those
// could be read), so that the failure names the record and the cursor never
// moves past it.
type RecordError struct {
	// Record names the record, e.g. `order "1001"`.
	Record string
	// ID is the record's identifier in the source.
	ID string
	// Err says what is wrong, usually a *ValidationError naming the field.
	Err error
}

// Error implements error.
func (e *RecordError) Error() string {
	msg := "unreadable record"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Record != "" && !strings.HasPrefix(msg, e.Record) {
		return e.Record + ": " + msg
	}
	return msg
}

// Unwrap returns the cause.
func (e *RecordError) Unwrap() error { return e.Err }

// IsRecordError reports whether err is a [RecordError]: one record failed and
// the stream it came from goes on.
func IsRecordError(err error) bool {
	_, ok := errors.AsType[*RecordError](err)
	return ok
}
