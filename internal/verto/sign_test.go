package verto

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// The worked examples of the API note (§2), verified there with two
// independent HMAC implementations.
func TestSignVectors(t *testing.T) {
	const date = "2022-11-26T00:45:54Z"
	tests := []struct {
		method, uri, body, want string
	}{
		{"GET", "/api/rest/v1/products/", "",
			"43cc315f757e363acd36fa75f03bd99e57a9cb03eea55a708d4f9d12199ec4cd3712d9e3c7e6a3ad0a3c14a022d610e6074d8603d67689f60d294fb775bbe20b"},
		{"PATCH", "/api/rest/v1/products/1234/", `{"stock":99}`,
			"1615e7e979a9a3d58c990b6e1ba4864d0a944ea78106e44ab794500ccbe31cc53dade747ea04c1ec5b5e88253448cb7b5363bd55b5e45cdd0785f29ba0475363"},
		{"GET", "/api/rest/v1/orders/?start=0&size=25&status=1", "",
			"3684e4248dd3ca8d7c6cd0a46bcbc67d0bd26d632c749492f559bb0ed651752908c4b3c87a3269610058262cd87c9f96c8e605f380bdff01192d3df8d0fd85b3"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.uri, func(t *testing.T) {
			got := Sign("demo", "demo", tt.method, tt.uri, []byte(tt.body), date)
			if got != tt.want {
				t.Errorf("Sign = %s\nwant %s", got, tt.want)
			}
			if !Verify("demo", "demo", tt.method, tt.uri, []byte(tt.body), date, strings.ToUpper(tt.want)) {
				t.Error("Verify rejects the vector (upper-case hex)")
			}
			if Verify("demo", "demo", tt.method, tt.uri+"x", []byte(tt.body), date, tt.want) {
				t.Error("Verify accepts a tampered URI")
			}
			if Verify("demo", "other", tt.method, tt.uri, []byte(tt.body), date, tt.want) {
				t.Error("Verify accepts another secret")
			}
		})
	}
}

func TestStringToSign(t *testing.T) {
	got := StringToSign("demo", "get", "/api/rest/v1/products/", nil, "2022-11-26T00:45:54Z")
	if want := "demo|GET|/api/rest/v1/products/||2022-11-26T00:45:54Z"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, h := range []string{"", "zz", "abcd", strings.Repeat("0", 128)} {
		if Verify("demo", "demo", "GET", "/", nil, "d", h) {
			t.Errorf("Verify(%q) = true", h)
		}
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(2022, 11, 26, 0, 45, 54, 0, time.UTC)
	for _, s := range []string{"2022-11-26T00:45:54Z", "2022-11-26T00:45:54+00:00", "2022-11-26T00:45:54+0000",
		"2022-11-26T00:45:54.000Z", "2022-11-26T01:45:54+01:00", " 2022-11-26T00:45:54Z "} {
		got, err := ParseDate(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "2022-11-26", "yesterday", "2022-11-26 00:45:54"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
	if got := FormatDate(time.Date(2022, 11, 26, 1, 45, 54, 9, time.FixedZone("CET", 3600))); got != "2022-11-26T00:45:54Z" {
		t.Errorf("FormatDate = %s", got)
	}
}

func TestNumberAndInt(t *testing.T) {
	var v struct {
		A, B, C, D, E Number
		I, J, K, L    Int
	}
	in := `{"A":590,"B":"12.95","C":null,"D":"","E":-0.001,"I":24464274,"J":"24464274","K":null,"L":12.0}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	want := []string{"590", "12.95", "0", "0", "-0.001"}
	for i, n := range []Number{v.A, v.B, v.C, v.D, v.E} {
		if n.String() != want[i] {
			t.Errorf("Number %d = %s, want %s", i, n, want[i])
		}
	}
	if v.I != 24464274 || v.J != 24464274 || v.K != 0 || v.L != 12 {
		t.Errorf("Int = %d %d %d %d", v.I, v.J, v.K, v.L)
	}
	out, _ := json.Marshal(struct {
		N Number
		P *Number `json:",omitempty"`
		I Int
	}{MustNum("12.50"), NumPtr(decimal.NewFromInt(99)), 7})
	if string(out) != `{"N":12.5,"P":99,"I":7}` {
		t.Errorf("marshal = %s", out)
	}
	for _, bad := range []string{`{"A":"abc"}`, `{"A":true}`, `{"I":"12a"}`, `{"I":1.5}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
	if n, err := ParseInt(" 42 "); err != nil || n != 42 {
		t.Errorf("ParseInt = %d, %v", n, err)
	}
	if _, err := ParseInt("x1"); err == nil {
		t.Error("ParseInt(x1) accepted")
	}
	if Int(0).String() != "" || Int(5).String() != "5" {
		t.Error("Int.String")
	}
	if !MustNum("1.50").Equal(MustNum("1.5")) {
		t.Error("Number.Equal")
	}
}

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   *connector.APIError
	}{
		{"full", 429, `{"status":429,"code":"429.10","developermessage":"Rate limit reached"}`,
			&connector.APIError{Code: "429.10", Message: "Rate limit reached"}},
		{"numeric code", 500, `{"status":500,"code":500.4,"developermessage":"exists"}`,
			&connector.APIError{Code: "500.4", Message: "exists"}},
		{"no code falls back to status", 400, `{"status":400,"developermessage":"bad"}`,
			&connector.APIError{Code: "400", Message: "bad"}},
		{"no code, no status", 503, `{"message":"down"}`, &connector.APIError{Code: "503", Message: "down"}},
		{"not json", 502, `<html>bad gateway</html>`, nil},
		{"empty", 500, ``, nil},
		{"json without members", 500, `{}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DecodeError(tt.status, http.Header{}, []byte(tt.body))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	if Code(&connector.APIError{Code: "429.11"}) != "429.11" || Code(errors.New("x")) != "" {
		t.Error("Code")
	}
	if b := NewErrorBody(404, "", "gone"); b.Code != "404" {
		t.Errorf("NewErrorBody code = %q", b.Code)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		method, path string
		op           Op
		res          string
	}{
		{"GET", "/api/rest/v1/orders/", OpRead, "orders"},
		{"GET", "/api/rest/v1/orders/12/orderrows/?start=0", OpRead, "orderrows"},
		{"PATCH", "/api/rest/v1/orders/12/", OpWrite, "orders"},
		{"DELETE", "/api/rest/v1/orderrows/5", OpWrite, "orderrows"},
		{"GET", "/api/rest/v1/productqueries/?skunumber=1", OpProductQuery, "productqueries"},
		{"GET", "orders/{id}/", OpRead, "orders"},
	}
	for _, tt := range tests {
		if got := Classify(tt.method, tt.path); got != tt.op {
			t.Errorf("Classify(%s %s) = %v, want %v", tt.method, tt.path, got, tt.op)
		}
		if got := Resource(tt.path); got != tt.res {
			t.Errorf("Resource(%s) = %q, want %q", tt.path, got, tt.res)
		}
	}
	if (Limits{}).For(OpProductQuery) != 30 || (Limits{Read: 10}).For(OpRead) != 10 || (Limits{}).For(OpWrite) != 100 {
		t.Error("Limits.For")
	}
	for _, op := range []Op{OpRead, OpWrite, OpProductQuery, Op(9)} {
		if op.String() == "" {
			t.Error("empty Op name")
		}
	}
}
