package mapping

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

func TestConvert(t *testing.T) {
	tests := []struct {
		v       any
		to      reflect.Type
		want    any
		wantErr string
	}{
		{v: "x", to: reflect.TypeFor[string](), want: "x"},
		{v: "new", to: reflect.TypeFor[connector.OrderStatus](), want: connector.StatusNew},
		{v: connector.StatusNew, to: reflect.TypeFor[string](), want: "new"},
		{v: 7, to: decimalType, want: dec("7")},
		{v: dec("1.5"), to: nullDecimalType, want: decimal.NewNullDecimal(dec("1.5"))},
		{v: 3, to: nullDecimalType, want: decimal.NewNullDecimal(dec("3"))},
		{v: 300, to: reflect.TypeFor[int8](), wantErr: "300 overflows int8"},
		{v: 100, to: reflect.TypeFor[int8](), want: int8(100)},
		{v: nil, to: reflect.TypeFor[map[string]string](), want: map[string]string(nil)},
		{v: nil, to: reflect.TypeFor[*connector.StockLevel](), want: (*connector.StockLevel)(nil)},
		{v: nil, to: reflect.TypeFor[string](), wantErr: "the expression gives nil, the field needs string"},
		{v: 1.5, to: decimalType, wantErr: "the expression gives float64, the field needs decimal.Decimal"},
		{v: "1.5", to: decimalType, wantErr: "the expression gives string, the field needs decimal.Decimal"},
		{v: true, to: reflect.TypeFor[string](), wantErr: "the expression gives bool, the field needs string"},
	}
	for _, tc := range tests {
		got, err := convert(tc.v, tc.to)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("convert(%v, %s) = %v, want %q", tc.v, tc.to, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("convert(%v, %s): %v", tc.v, tc.to, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got.Interface(), decimalCmp); diff != "" {
			t.Errorf("convert(%v, %s) (-want +got):\n%s", tc.v, tc.to, diff)
		}
	}
}

// TestOpsOfFallback covers field types without typed operations, which go
// through reflect.
func TestOpsOfFallback(t *testing.T) {
	typ := reflect.TypeFor[[]byte]()
	if _, known := knownOps[typ]; known {
		t.Fatal("[]byte has typed operations; pick another type")
	}
	ops := opsOf(typ)
	src, dst := []byte("abc"), []byte(nil)
	ops.copy(unsafe.Pointer(&dst), unsafe.Pointer(&src))
	if string(dst) != "abc" {
		t.Errorf("copy gave %q", dst)
	}
	if !ops.set(unsafe.Pointer(&dst), []byte("xyz")) || string(dst) != "xyz" {
		t.Errorf("set gave %q", dst)
	}
	if ops.set(unsafe.Pointer(&dst), "xyz") || ops.set(unsafe.Pointer(&dst), nil) {
		t.Error("set accepted a value of another type")
	}
}

func TestModeString(t *testing.T) {
	for m, want := range map[Mode]string{Create: "create", Update: "update", 7: "Mode(7)"} {
		if got := m.String(); got != want {
			t.Errorf("%d: %q, want %q", int(m), got, want)
		}
	}
}
