package verto

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"time"

	"github.com/tradelink/tradelink/connector"
)

// Header names of the signing scheme. The API and every client use them in
// lower case.
const (
	HeaderPublic = "x-public"
	HeaderDate   = "x-date"
	HeaderHash   = "x-hash"
)

// DateLayout is the x-date format this package sends: ISO-8601 UTC with a
// "Z", second precision, as in the API's own documentation example.
const DateLayout = "2006-01-02T15:04:05Z"

// MaxClockSkew is how far x-date may be from the server's clock before the
// API rejects the request.
const MaxClockSkew = 5 * time.Minute

// StringToSign joins the five signed fields with "|": the public key, the
// upper-case method, the request URI (path plus query exactly as sent,
// without scheme and host), the exact body bytes ("" without a body) and the
// x-date value.
func StringToSign(public, method, uri string, body []byte, date string) string {
	var b strings.Builder
	b.Grow(len(public) + len(method) + len(uri) + len(body) + len(date) + 4)
	b.WriteString(public)
	b.WriteByte('|')
	b.WriteString(strings.ToUpper(method))
	b.WriteByte('|')
	b.WriteString(uri)
	b.WriteByte('|')
	b.Write(body)
	b.WriteByte('|')
	b.WriteString(date)
	return b.String()
}

// Sign returns the x-hash value for a request or response: the lower-case
// hex HMAC-SHA512, keyed with the API secret, of [StringToSign].
func Sign(public string, secret connector.Secret, method, uri string, body []byte, date string) string {
	return hex.EncodeToString(mac(public, secret, method, uri, body, date))
}

func mac(public string, secret connector.Secret, method, uri string, body []byte, date string) []byte {
	var h hash.Hash = hmac.New(sha512.New, []byte(secret.Reveal()))
	h.Write([]byte(public))
	h.Write([]byte{'|'})
	h.Write([]byte(strings.ToUpper(method)))
	h.Write([]byte{'|'})
	h.Write([]byte(uri))
	h.Write([]byte{'|'})
	h.Write(body)
	h.Write([]byte{'|'})
	h.Write([]byte(date))
	return h.Sum(nil)
}

// Verify reports whether got is the signature of the given fields. The
// comparison takes constant time and accepts upper- or lower-case hex.
func Verify(public string, secret connector.Secret, method, uri string, body []byte, date, got string) bool {
	g, err := hex.DecodeString(strings.TrimSpace(got))
	if err != nil || len(g) != sha512.Size {
		return false
	}
	return hmac.Equal(g, mac(public, secret, method, uri, body, date))
}

// dateLayouts are the x-date forms seen from clients in production: "Z",
// "+00:00" and "+0000" offsets, with or without a fraction.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
}

// ParseDate parses an x-date (or a response date) leniently: ISO-8601 with
// "Z", "+00:00" or "+0000" and an optional fraction of a second.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("verto: %q is not an ISO-8601 date-time", s)
}

// FormatDate formats t as [DateLayout] in UTC.
func FormatDate(t time.Time) string { return t.UTC().Format(DateLayout) }
