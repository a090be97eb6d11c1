// Package soap is a small SOAP 1.1 document/literal layer on encoding/xml:
// it writes request and response envelopes whose body element and its
// children carry a fixed namespace prefix (as the vendors' own clients do),
// reads envelopes without depending on prefixes, matches response element
// names whatever their casing, and decodes SOAP faults into [*Fault].
//
// Wire types are plain encoding/xml structs whose tags name elements without
// a namespace: [Marshal] qualifies every element of the body with the given
// prefix, and decoding matches local names, so one set of types serves both
// directions. The HTTP side (POST, retries, redaction) is not here; clients
// send the bytes through internal/httpx.
package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// EnvelopeNS is the SOAP 1.1 envelope namespace.
const EnvelopeNS = "http://schemas.xmlsoap.org/soap/envelope/"

// EnvelopePrefix is the prefix written for [EnvelopeNS].
const EnvelopePrefix = "SOAP-ENV"

// ContentType is the media type of a SOAP 1.1 message.
const ContentType = "text/xml; charset=utf-8"

// ErrMalformed matches every error about a message that is not a well-formed
// SOAP 1.1 envelope (bad XML, no Envelope or Body, an unexpected element).
var ErrMalformed = errors.New("malformed SOAP message")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Marshal returns a SOAP 1.1 envelope whose body holds body encoded as the
// element name in namespace ns. Every element of the body is written with
// prefix, declared on the envelope, and the envelope carries an empty
// Header, as the official MplusKASSA clients write it:
//
//	<SOAP-ENV:Envelope xmlns:SOAP-ENV="…" xmlns:ns1="urn:…"><SOAP-ENV:Header/>
//	<SOAP-ENV:Body><ns1:name>…</ns1:name></SOAP-ENV:Body></SOAP-ENV:Envelope>
//
// A nil body is written as an empty element (an operation without
// parameters). Elements with no content are written self-closing.
func Marshal(ns, prefix, name string, body any) ([]byte, error) {
	return marshal(ns, prefix, name, body, true)
}

// MarshalResponse is [Marshal] without the empty Header, the shape servers
// answer with.
func MarshalResponse(ns, prefix, name string, body any) ([]byte, error) {
	return marshal(ns, prefix, name, body, false)
}

func marshal(ns, prefix, name string, body any, header bool) ([]byte, error) {
	if name == "" || prefix == "" || strings.ContainsAny(prefix, ": <>\"") {
		return nil, fmt.Errorf("soap: invalid element name %q or prefix %q", name, prefix)
	}
	var out bytes.Buffer
	out.WriteString(xml.Header)
	out.WriteString(`<` + EnvelopePrefix + `:Envelope xmlns:` + EnvelopePrefix + `="` + EnvelopeNS + `" xmlns:` + prefix + `="`)
	if err := xml.EscapeText(&out, []byte(ns)); err != nil {
		return nil, err
	}
	out.WriteString(`">`)
	if header {
		out.WriteString(`<` + EnvelopePrefix + `:Header/>`)
	}
	out.WriteString(`<` + EnvelopePrefix + `:Body>`)
	if body == nil {
		out.WriteString(`<` + prefix + `:` + name + `/>`)
	} else {
		var raw bytes.Buffer
		enc := xml.NewEncoder(&raw)
		if err := enc.EncodeElement(body, xml.StartElement{Name: xml.Name{Local: name}}); err != nil {
			return nil, fmt.Errorf("soap: encode %s: %w", name, err)
		}
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("soap: encode %s: %w", name, err)
		}
		if err := prefixElements(&out, raw.Bytes(), prefix); err != nil {
			return nil, fmt.Errorf("soap: encode %s: %w", name, err)
		}
	}
	out.WriteString(`</` + EnvelopePrefix + `:Body></` + EnvelopePrefix + `:Envelope>`)
	return out.Bytes(), nil
}

// prefixElements copies the output of encoding/xml in src to out with every
// element name written as prefix:name and empty elements self-closing. It
// works on bytes, not tokens: encoding/xml escapes '<' and '>' in text and
// attribute values, so every '<' opens a tag and the next '>' closes it.
// (Wire types must not use the ",innerxml", ",comment" or ",cdata" options,
// which would copy unescaped markup.) Attributes stay unqualified
// (attributeFormDefault="unqualified").
func prefixElements(out *bytes.Buffer, src []byte, prefix string) error {
	open := false // the last thing written is a start tag's '>'
	for len(src) > 0 {
		lt := bytes.IndexByte(src, '<')
		if lt < 0 {
			out.Write(src)
			break
		}
		if lt > 0 {
			out.Write(src[:lt])
			open = false
		}
		gt := bytes.IndexByte(src[lt:], '>')
		if gt < 2 {
			return fmt.Errorf("unexpected markup at %q", src[lt:min(len(src), lt+20)])
		}
		tag := src[lt : lt+gt+1]
		switch tag[1] {
		case '/':
			if open {
				out.Truncate(out.Len() - 1)
				out.WriteString("/>")
			} else {
				out.WriteString("</" + prefix + ":")
				out.Write(tag[2:])
			}
			open = false
		case '?', '!':
			return fmt.Errorf("unexpected markup %q", tag)
		default:
			out.WriteString("<" + prefix + ":")
			out.Write(tag[1:])
			open = true
		}
		src = src[lt+gt+1:]
	}
	return nil
}

// Fault is a SOAP 1.1 fault. It is an error.
type Fault struct {
	// Code is the faultcode without its namespace prefix, e.g. "Client" or
	// "Server.Database".
	Code string
	// String is the faultstring, the human-readable explanation.
	String string
	// Actor is the faultactor, when the server names one.
	Actor string
	// Detail is the content of the detail element as text, when present.
	Detail string
}

// Error implements error.
func (f *Fault) Error() string {
	s := "SOAP fault " + f.Code
	if f.String != "" {
		s += ": " + f.String
	}
	return s
}

// Class is the first dotted part of Code: "Client", "Server",
// "VersionMismatch", "MustUnderstand" or a vendor's own class.
func (f *Fault) Class() string {
	c, _, _ := strings.Cut(f.Code, ".")
	return c
}

// Temporary reports whether the fault is the server's ("Server…"), which
// SOAP 1.1 defines as worth retrying later; "Client…" faults need a changed
// request.
func (f *Fault) Temporary() bool { return f.Class() == "Server" }

// wireFault is the XML shape of a fault. Its children are unqualified, as
// SOAP 1.1 defines them.
type wireFault struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
	Actor  string `xml:"faultactor,omitempty"`
	Detail *struct {
		Inner string `xml:",innerxml"`
	} `xml:"detail"`
}

// MarshalFault returns an envelope holding f. Code is written with the
// envelope prefix ("SOAP-ENV:Client").
func MarshalFault(f *Fault) ([]byte, error) {
	w := wireFault{Code: EnvelopePrefix + ":" + f.Code, String: f.String, Actor: f.Actor}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	buf.WriteString(`<` + EnvelopePrefix + `:Envelope xmlns:` + EnvelopePrefix + `="` + EnvelopeNS + `"><` +
		EnvelopePrefix + `:Body><` + EnvelopePrefix + `:Fault>`)
	enc := xml.NewEncoder(&buf)
	for _, el := range []struct{ name, value string }{{"faultcode", w.Code}, {"faultstring", w.String}, {"faultactor", w.Actor}} {
		if el.value == "" && el.name == "faultactor" {
			continue
		}
		if err := enc.EncodeElement(el.value, xml.StartElement{Name: xml.Name{Local: el.name}}); err != nil {
			return nil, err
		}
	}
	if f.Detail != "" {
		if err := enc.EncodeElement(f.Detail, xml.StartElement{Name: xml.Name{Local: "detail"}}); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	buf.WriteString(`</` + EnvelopePrefix + `:Fault></` + EnvelopePrefix + `:Body></` + EnvelopePrefix + `:Envelope>`)
	return buf.Bytes(), nil
}

// Body is the first element inside a message's SOAP Body, ready to decode.
type Body struct {
	// Name is the element's name: for a request the operation, for a
	// response the response element.
	Name  xml.Name
	dec   *xml.Decoder
	path  *pathReader
	start xml.StartElement
}

// Decode decodes the body element into v (a pointer to a wire struct).
// Matching is by local name, so prefixes do not matter. An error names the
// element path where decoding failed ("GetStockResponse/articleStocks/
// articleNumber") and matches [ErrMalformed].
func (b *Body) Decode(v any) error {
	if err := b.dec.DecodeElement(v, &b.start); err != nil {
		// A value that does not convert fails after its end tag was read;
		// broken XML fails inside the elements still open.
		where := b.path.ended
		if _, syntax := err.(*xml.SyntaxError); syntax || where == "" {
			where = b.path.open()
		}
		return malformed("%s: %v", where, err)
	}
	return nil
}

// pathReader feeds raw tokens to a Decoder (which resolves namespaces)
// while keeping the path of open elements below the SOAP Body, so decoding
// errors can name the element at fault.
type pathReader struct {
	d     *xml.Decoder
	stack []string
	ended string // path of the element that ended last
}

// Token implements xml.TokenReader.
func (r *pathReader) Token() (xml.Token, error) {
	t, err := r.d.RawToken()
	switch e := t.(type) {
	case xml.StartElement:
		r.stack = append(r.stack, e.Name.Local)
	case xml.EndElement:
		// A mismatched end tag is left for the Decoder to reject, with the
		// path still pointing at the element it should have closed.
		if n := len(r.stack); n > 0 && r.stack[n-1] == e.Name.Local {
			r.ended = r.open()
			r.stack = r.stack[:n-1]
		}
	}
	return t, err
}

// open is the path of the open elements below Envelope and Body.
func (r *pathReader) open() string {
	if len(r.stack) <= 2 {
		return ""
	}
	return strings.Join(r.stack[2:], "/")
}

// ReadBody parses data as a SOAP 1.1 envelope up to the first element of its
// Body. A body that holds a SOAP Fault returns the *[Fault] as the error.
// Errors about the envelope itself match [ErrMalformed].
func ReadBody(data []byte) (*Body, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	pr := &pathReader{d: xml.NewDecoder(bytes.NewReader(data))}
	dec := xml.NewTokenDecoder(pr)
	depth := 0
	inBody := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if inBody {
				return nil, malformed("empty Body")
			}
			return nil, malformed("no SOAP Envelope with a Body")
		}
		if err != nil {
			return nil, malformed("%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				if t.Name.Space != EnvelopeNS || t.Name.Local != "Envelope" {
					return nil, malformed("root element is %s, want a SOAP 1.1 Envelope", qname(t.Name))
				}
			case depth == 2 && t.Name.Space == EnvelopeNS && t.Name.Local == "Header":
				if err := dec.Skip(); err != nil {
					return nil, malformed("Header: %v", err)
				}
				depth--
			case depth == 2 && t.Name.Space == EnvelopeNS && t.Name.Local == "Body":
				inBody = true
			case depth == 2:
				return nil, malformed("unexpected %s in Envelope", qname(t.Name))
			case depth == 3 && inBody:
				if t.Name.Local == "Fault" && (t.Name.Space == EnvelopeNS || t.Name.Space == "") {
					return nil, decodeFault(data)
				}
				return &Body{Name: t.Name, dec: dec, path: pr, start: t.Copy()}, nil
			}
		case xml.EndElement:
			depth--
			if inBody && depth == 1 {
				return nil, malformed("empty Body")
			}
		}
	}
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// decodeFault decodes the Fault of an envelope known to hold one. It reads
// the document again with a plain decoder, which keeps the detail element's
// inner XML.
func decodeFault(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var start *xml.StartElement
	for depth := 0; start == nil; {
		tok, err := dec.Token()
		if err != nil {
			return malformed("Fault: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2 && t.Name.Local == "Header":
				if err := dec.Skip(); err != nil {
					return malformed("Header: %v", err)
				}
				depth--
			case depth == 3:
				start = &t
			}
		case xml.EndElement:
			depth--
		}
	}
	var w wireFault
	if err := dec.DecodeElement(&w, start); err != nil {
		return malformed("Fault: %v", err)
	}
	f := &Fault{Code: strings.TrimSpace(w.Code), String: strings.TrimSpace(w.String), Actor: strings.TrimSpace(w.Actor)}
	// faultcode is a QName: drop the prefix ("SOAP-ENV:Client" → "Client").
	if i := strings.LastIndexByte(f.Code, ':'); i >= 0 {
		f.Code = f.Code[i+1:]
	}
	if w.Detail != nil {
		f.Detail = strings.TrimSpace(w.Detail.Inner)
	}
	if f.Code == "" {
		return malformed("Fault without faultcode")
	}
	return f
}

// ParseFault returns the fault in data, or nil when data is not an envelope
// holding a fault. Clients use it on error statuses, whose body may be a
// fault or something else entirely (a proxy's HTML page).
func ParseFault(data []byte) *Fault {
	_, err := ReadBody(data)
	if f, ok := errors.AsType[*Fault](err); ok {
		return f
	}
	return nil
}

// Unmarshal decodes the response envelope data into out. The body's first
// element must be named one of names, compared without regard to case
// (servers are not consistent: "GetProductsResponse" but
// "getBranchesResponse"). A fault is returned as *[Fault]; anything else
// unexpected matches [ErrMalformed].
func Unmarshal(data []byte, out any, names ...string) error {
	b, err := ReadBody(data)
	if err != nil {
		return err
	}
	if len(names) > 0 && !matchName(b.Name.Local, names) {
		return malformed("response element is %s, want %s", qname(b.Name), strings.Join(names, " or "))
	}
	return b.Decode(out)
}

func matchName(got string, names []string) bool {
	for _, n := range names {
		if strings.EqualFold(got, n) {
			return true
		}
	}
	return false
}
