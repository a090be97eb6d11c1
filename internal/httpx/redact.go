package httpx

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

const redacted = "[REDACTED]"

// DefaultSecretParams are query parameters redacted for every system.
var DefaultSecretParams = []string{
	"secret", "ident", "access_token", "refresh_token", "id_token", "token", "client_secret",
	"password", "passwd", "api_key", "apikey", "key", "signature", "sig", "code", "x-hash",
}

// DefaultSecretHeaders are headers redacted for every system.
var DefaultSecretHeaders = []string{
	"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Hash", "X-Public",
	"X-Api-Key", "X-Auth-Token",
}

// redactor removes credentials from URLs, headers and free text.
type redactor struct {
	params  map[string]bool
	hdrs    map[string]bool
	secrets []string
	re      *regexp.Regexp
}

func newRedactor(params, headers, secrets []string) *redactor {
	r := &redactor{params: map[string]bool{}, hdrs: map[string]bool{}}
	names := append(append([]string{}, DefaultSecretParams...), params...)
	quoted := make([]string, 0, len(names))
	for _, p := range names {
		r.params[strings.ToLower(p)] = true
		quoted = append(quoted, regexp.QuoteMeta(p))
	}
	// name=value pairs inside free text (URLs quoted in error messages).
	r.re = regexp.MustCompile(`(?i)\b(` + strings.Join(quoted, "|") + `)=([^&\s"'<>]+)`)
	for _, h := range append(append([]string{}, DefaultSecretHeaders...), headers...) {
		r.hdrs[http.CanonicalHeaderKey(h)] = true
	}
	for _, s := range secrets {
		if len(s) < 4 { // a 1–3 character "secret" would redact ordinary text
			continue
		}
		r.secrets = append(r.secrets, s)
		if e := url.QueryEscape(s); e != s {
			r.secrets = append(r.secrets, e)
		}
		if e := url.PathEscape(s); e != s {
			r.secrets = append(r.secrets, e)
		}
	}
	// Longest first, so a secret containing another is removed whole.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	return r
}

// string redacts literal secrets and secret name=value pairs in s.
func (r *redactor) string(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	return r.re.ReplaceAllString(s, "${1}="+redacted)
}

// url redacts the values of secret query parameters, keeping their order.
func (r *redactor) url(raw string) string {
	base, query, found := strings.Cut(raw, "?")
	if !found {
		return r.string(raw)
	}
	parts := strings.Split(query, "&")
	for i, p := range parts {
		name, _, hasValue := strings.Cut(p, "=")
		key, err := url.QueryUnescape(name)
		if err != nil {
			key = name
		}
		if hasValue && r.params[strings.ToLower(key)] {
			parts[i] = name + "=" + redacted
		}
	}
	return r.string(base + "?" + strings.Join(parts, "&"))
}

// headers returns slog attributes for h with secret headers redacted.
func (r *redactor) headers(h http.Header) []any {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		v := strings.Join(h[k], ", ")
		if r.hdrs[http.CanonicalHeaderKey(k)] {
			v = redacted
		} else {
			v = r.string(v)
		}
		out = append(out, k, v)
	}
	return out
}
