package connector

import (
	"encoding/json"
	"testing"
)

func TestNumberJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`12.95`, "12.95"}, {`"12.95"`, "12.95"}, {`" 7 "`, "7"}, {`null`, "0"}, {`""`, "0"},
		{`0.1`, "0.1"}, {`123456789012345678901234567890.01`, "123456789012345678901234567890.01"},
	} {
		var n Number
		if err := json.Unmarshal([]byte(tc.in), &n); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if n.String() != tc.want {
			t.Errorf("%s decoded as %s, want %s", tc.in, n, tc.want)
		}
	}
	for _, bad := range []string{`"abc"`, `true`, `{}`, `"1,5"`} {
		var n Number
		if err := json.Unmarshal([]byte(bad), &n); err == nil {
			t.Errorf("%s decoded without error as %s", bad, n)
		}
	}
	b, err := json.Marshal(struct{ P Number }{MustNum("590.50")})
	if err != nil || string(b) != `{"P":590.5}` {
		t.Errorf("marshal = %s, %v", b, err)
	}
}
