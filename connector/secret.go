package connector

import (
	"fmt"
	"log/slog"
)

// Secret is a credential (API secret, password, token). It prints, formats,
// logs and marshals as "[REDACTED]" so it cannot leak through fmt, log/slog
// or encoding/json; use [Secret.Reveal] where the real value is needed.
type Secret string

const redacted = "[REDACTED]"

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString implements fmt.GoStringer.
func (s Secret) GoString() string { return `connector.Secret("` + s.String() + `")` }

// Format implements fmt.Formatter, so every verb (%s, %v, %q, %x ...) prints
// the redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", s.String())
	case 'v':
		if f.Flag('#') {
			fmt.Fprint(f, s.GoString())
			return
		}
		fmt.Fprint(f, s.String())
	default:
		fmt.Fprint(f, s.String())
	}
}

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText implements encoding.TextMarshaler; JSON output is redacted.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
