package soap

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

type text struct {
	Text string `xml:"text"`
}

type getThings struct {
	Numbers []int64   `xml:"articleNumbers"`
	Plu     []text    `xml:"pluNumbers>text"`
	Empty   *struct{} `xml:"emptyList"`
	Note    *string   `xml:"note,omitempty"`
	Active  *bool     `xml:"onlyActive,omitempty"`
	Missing *int64    `xml:"syncMarker,omitempty"`
}

func ptr[T any](v T) *T { return &v }

func TestMarshal(t *testing.T) {
	tests := []struct {
		name   string
		op     string
		body   any
		header bool
		want   string
	}{
		{
			name: "no parameters", op: "getBranches", header: true,
			want: `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:mplusqapi">` +
				`<SOAP-ENV:Header/><SOAP-ENV:Body><ns1:getBranches/></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		},
		{
			name: "children prefixed, empty self-closing, text escaped", op: "getThings", header: true,
			body: getThings{Numbers: []int64{1, 22}, Plu: []text{{"A&B"}}, Empty: &struct{}{}, Note: ptr(`<x> "q"`), Active: ptr(false)},
			want: `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:mplusqapi">` +
				`<SOAP-ENV:Header/><SOAP-ENV:Body><ns1:getThings><ns1:articleNumbers>1</ns1:articleNumbers>` +
				`<ns1:articleNumbers>22</ns1:articleNumbers><ns1:pluNumbers><ns1:text><ns1:text>A&amp;B</ns1:text></ns1:text></ns1:pluNumbers>` +
				`<ns1:emptyList/><ns1:note>&lt;x&gt; &#34;q&#34;</ns1:note><ns1:onlyActive>false</ns1:onlyActive></ns1:getThings>` +
				`</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		},
		{
			name: "response without header", op: "GetThingsResponse",
			body: struct {
				Result string `xml:"result"`
			}{"OK"},
			want: `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:mplusqapi">` +
				`<SOAP-ENV:Body><ns1:GetThingsResponse><ns1:result>OK</ns1:result></ns1:GetThingsResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []byte
			var err error
			if tt.header {
				got, err = Marshal("urn:mplusqapi", "ns1", tt.op, tt.body)
			} else {
				got, err = MarshalResponse("urn:mplusqapi", "ns1", tt.op, tt.body)
			}
			if err != nil {
				t.Fatal(err)
			}
			want := xml.Header + tt.want
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("envelope (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarshalRejectsBadNames(t *testing.T) {
	for _, tc := range []struct{ prefix, name string }{{"", "op"}, {"ns1", ""}, {"a:b", "op"}, {`x"`, "op"}} {
		if _, err := Marshal("urn:x", tc.prefix, tc.name, nil); err == nil {
			t.Errorf("Marshal(prefix %q, name %q) succeeded", tc.prefix, tc.name)
		}
	}
	if _, err := Marshal("urn:x", "ns1", "op", make(chan int)); err == nil {
		t.Error("Marshal(chan) succeeded")
	}
	// Markup that is not an element cannot be prefixed.
	if _, err := Marshal("urn:x", "ns1", "op", struct {
		C string `xml:",comment"`
	}{"note"}); err == nil {
		t.Error("a comment was accepted")
	}
	if _, err := Marshal("urn:x", "ns1", "op", struct {
		D string `xml:",cdata"`
	}{"x"}); err == nil {
		t.Error("CDATA was accepted")
	}
}

func TestRoundTrip(t *testing.T) {
	in := getThings{Numbers: []int64{7}, Plu: []text{{"p1"}, {"p2"}}, Note: ptr("héllo & <bye>"), Active: ptr(true), Missing: nil}
	data, err := Marshal("urn:mplusqapi", "ns1", "getThings", in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadBody(data)
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != (xml.Name{Space: "urn:mplusqapi", Local: "getThings"}) {
		t.Errorf("body name = %v", b.Name)
	}
	var out getThings
	if err := b.Decode(&out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}
}

const env = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:mplusqapi">`

type resp struct {
	Result string `xml:"result"`
	Count  int    `xml:"count"`
}

func TestUnmarshal(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		names   []string
		want    resp
		wantErr string
		fault   *Fault
	}{
		{
			name:  "server prefix ns",
			data:  env + `<SOAP-ENV:Body><ns:GetThingsResponse><ns:result>OK</ns:result></ns:GetThingsResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
			names: []string{"GetThingsResponse"}, want: resp{Result: "OK"},
		},
		{
			name: "other prefixes, default namespace, header, BOM, whitespace",
			data: "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\">\n <e:Header><x:h xmlns:x=\"urn:h\"><x:i/></x:h></e:Header>\n" +
				" <e:Body>\n  <GetThingsResponse xmlns=\"urn:mplusqapi\"><result>OK</result></GetThingsResponse>\n </e:Body></e:Envelope>",
			names: []string{"GetThingsResponse"}, want: resp{Result: "OK"},
		},
		{
			name:  "casing differs from the expected name",
			data:  env + `<SOAP-ENV:Body><ns:getThingsResponse><ns:result>OK</ns:result></ns:getThingsResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
			names: []string{"GetThingsResponse"}, want: resp{Result: "OK"},
		},
		{
			name:    "unexpected response element",
			data:    env + `<SOAP-ENV:Body><ns:OtherResponse/></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
			names:   []string{"GetThingsResponse"},
			wantErr: "response element is {urn:mplusqapi}OtherResponse, want GetThingsResponse",
		},
		{
			name: "client fault with dotted code, actor and detail",
			data: env + `<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client.Authentication</faultcode>` +
				`<faultstring> bad ident </faultstring><faultactor>api</faultactor><detail><d>x</d></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
			fault: &Fault{Code: "Client.Authentication", String: "bad ident", Actor: "api", Detail: "<d>x</d>"},
		},
		{
			name: "fault after a header with children",
			data: env + `<SOAP-ENV:Header><ns:h><ns:i/></ns:h></SOAP-ENV:Header><SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Server</faultcode>` +
				`<faultstring>x</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
			fault: &Fault{Code: "Server", String: "x"},
		},
		{
			name:    "a value that does not convert names its element",
			data:    env + `<SOAP-ENV:Body><ns:GetThingsResponse><ns:count>x1</ns:count></ns:GetThingsResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
			names:   []string{"GetThingsResponse"},
			wantErr: "GetThingsResponse/count: strconv.ParseInt",
		},
		{
			name:    "broken XML names the open elements",
			data:    env + `<SOAP-ENV:Body><ns:GetThingsResponse><ns:result>OK</ns:other></ns:GetThingsResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
			names:   []string{"GetThingsResponse"},
			wantErr: "GetThingsResponse/result: XML syntax error",
		},
		{
			name:  "server fault with unprefixed code",
			data:  env + `<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>Server</faultcode><faultstring>busy</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
			fault: &Fault{Code: "Server", String: "busy"},
		},
		{name: "not XML", data: `{"error":"x"}`, wantErr: "malformed SOAP message"},
		{name: "HTML", data: `<html><body>502 Bad Gateway</body></html>`, wantErr: "root element is html"},
		{name: "SOAP 1.2 envelope", data: `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>`, wantErr: "want a SOAP 1.1 Envelope"},
		{name: "empty body", data: env + `<SOAP-ENV:Body></SOAP-ENV:Body></SOAP-ENV:Envelope>`, wantErr: "empty Body"},
		{name: "no body", data: env + `</SOAP-ENV:Envelope>`, wantErr: "no SOAP Envelope with a Body"},
		{name: "stray element", data: env + `<x/><SOAP-ENV:Body/></SOAP-ENV:Envelope>`, wantErr: "unexpected x in Envelope"},
		{name: "truncated", data: env + `<SOAP-ENV:Body><ns:GetThingsResponse><ns:result>OK`, names: []string{"GetThingsResponse"}, wantErr: "malformed SOAP message"},
		{name: "fault without code", data: env + `<SOAP-ENV:Body><SOAP-ENV:Fault><faultstring>x</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`, wantErr: "Fault without faultcode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got resp
			err := Unmarshal([]byte(tt.data), &got, tt.names...)
			switch {
			case tt.fault != nil:
				f, ok := errors.AsType[*Fault](err)
				if !ok {
					t.Fatalf("err = %v, want a *Fault", err)
				}
				if diff := cmp.Diff(tt.fault, f); diff != "" {
					t.Errorf("fault (-want +got):\n%s", diff)
				}
				if pf := ParseFault([]byte(tt.data)); pf == nil || pf.Code != tt.fault.Code {
					t.Errorf("ParseFault = %v", pf)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("err %v does not match ErrMalformed", err)
				}
				if ParseFault([]byte(tt.data)) != nil {
					t.Error("ParseFault found a fault")
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Errorf("got %+v, want %+v", got, tt.want)
				}
			}
		})
	}
}

func TestFaultClass(t *testing.T) {
	tests := []struct {
		code      string
		class     string
		temporary bool
	}{
		{"Client", "Client", false},
		{"Client.Authentication", "Client", false},
		{"Server", "Server", true},
		{"Server.Database.Locked", "Server", true},
		{"VersionMismatch", "VersionMismatch", false},
		{"ServerBusy", "ServerBusy", false},
	}
	for _, tt := range tests {
		f := &Fault{Code: tt.code, String: "m"}
		if f.Class() != tt.class || f.Temporary() != tt.temporary {
			t.Errorf("%s: class %q temporary %v, want %q %v", tt.code, f.Class(), f.Temporary(), tt.class, tt.temporary)
		}
		if want := "SOAP fault " + tt.code + ": m"; f.Error() != want {
			t.Errorf("Error() = %q, want %q", f.Error(), want)
		}
	}
}

func TestMarshalFaultRoundTrip(t *testing.T) {
	in := &Fault{Code: "Client.Authentication", String: "ident & secret do not match", Actor: "", Detail: "port 45166"}
	data, err := MarshalFault(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "<faultcode>SOAP-ENV:Client.Authentication</faultcode>") {
		t.Errorf("faultcode not written as a QName: %s", data)
	}
	got := ParseFault(data)
	if diff := cmp.Diff(in, got); diff != "" {
		t.Errorf("fault (-want +got):\n%s", diff)
	}
}

// FuzzMarshal checks that whatever text a wire value holds, the envelope
// reads back to the same value.
func FuzzMarshal(f *testing.F) {
	f.Add("plain", "A&B <c> \"d\" 'e'")
	f.Add("", "]]>")
	f.Fuzz(func(t *testing.T, a, b string) {
		in := getThings{Plu: []text{{a}}, Note: &b}
		data, err := Marshal("urn:x", "ns1", "op", in)
		if err != nil {
			return // text that is not valid XML (control characters)
		}
		var out getThings
		if err := Unmarshal(data, &out, "op"); err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		// encoding/xml writes characters XML cannot carry as U+FFFD.
		if out.Plu[0].Text != xmlSafe(a) || *out.Note != xmlSafe(b) {
			t.Fatalf("round trip %q %q -> %q %q", a, b, out.Plu[0].Text, *out.Note)
		}
	})
}

// xmlSafe replaces what XML 1.0 cannot carry with U+FFFD, as
// encoding/xml does when it writes text.
func xmlSafe(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		ok := r != utf8.RuneError || n > 1
		ok = ok && (r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF)
		if !ok {
			r = utf8.RuneError
		}
		b.WriteRune(r)
		s = s[n:]
	}
	return b.String()
}

func FuzzReadBody(f *testing.F) {
	f.Add([]byte(env + `<SOAP-ENV:Body><ns:R><ns:result>OK</ns:result></ns:R></SOAP-ENV:Body></SOAP-ENV:Envelope>`))
	f.Add([]byte(env + `<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>a:b</faultcode></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`))
	f.Add([]byte(`<a/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadBody(data)
		if err != nil {
			var fault *Fault
			if !errors.Is(err, ErrMalformed) && !errors.As(err, &fault) {
				t.Fatalf("error %v is neither malformed nor a fault", err)
			}
			return
		}
		var r resp
		_ = b.Decode(&r)
	})
}
