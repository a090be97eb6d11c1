package mpluskassa

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestToCents(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"9.95", 995, false},
		{"0", 0, false},
		{"12.5", 1250, false},
		{"12.50000", 1250, false},
		{"-4.95", -495, false},
		{"1E3", 100000, false},
		{"0.01", 1, false},
		{"1.995", 0, true}, // a fraction of a cent is not rounded
		{"0.001", 0, true},
		{"92233720368547758.08", 0, true}, // beyond int64 cents
		{"92233720368547758.07", 9223372036854775807, false},
	}
	for _, tt := range tests {
		got, err := ToCents(dec(tt.in))
		if tt.wantErr {
			if !errors.Is(err, ErrPrecision) {
				t.Errorf("ToCents(%s) = %d, %v; want ErrPrecision", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ToCents(%s) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestFromCents(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{{995, "9.95"}, {0, "0"}, {-1, "-0.01"}, {1250, "12.5"}, {100, "1"}}
	for _, tt := range tests {
		if got := FromCents(tt.in); !got.Equal(dec(tt.want)) {
			t.Errorf("FromCents(%d) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestToScaled(t *testing.T) {
	tests := []struct {
		in      string
		value   int64
		places  int
		wantErr bool
	}{
		{"1", 1, 0, false},
		{"2", 2, 0, false},
		{"1.25", 125, 2, false},
		{"0.530", 53, 2, false}, // 0.530 kg: trailing zeros dropped, same quantity
		{"2.500", 25, 1, false},
		{"-3", -3, 0, false},
		{"-0.5", -5, 1, false},
		{"100", 100, 0, false},
		{"1E2", 100, 0, false},
		{"0.000000000000000001", 1, 18, false},
		{"0.0000000000000000001", 0, 0, true}, // more than 18 places
		{"92233720368547758070", 0, 0, true},  // beyond int64
		{"9223372036854775.807", 9223372036854775807, 3, false},
	}
	for _, tt := range tests {
		v, p, err := ToScaled(dec(tt.in))
		if tt.wantErr {
			if !errors.Is(err, ErrPrecision) {
				t.Errorf("ToScaled(%s) = %d, %d, %v; want ErrPrecision", tt.in, v, p, err)
			}
			continue
		}
		if err != nil || v != tt.value || p != tt.places {
			t.Errorf("ToScaled(%s) = %d, %d, %v; want %d, %d", tt.in, v, p, err, tt.value, tt.places)
		}
		back, err := FromScaledValue(v, p)
		if err != nil || !back.Equal(dec(tt.in)) {
			t.Errorf("FromScaledValue(ToScaled(%s)) = %s, %v", tt.in, back, err)
		}
	}
}

func TestFromScaled(t *testing.T) {
	tests := []struct {
		name    string
		value   int64
		places  *int
		want    string
		wantErr bool
	}{
		{"tutorial 1.25", 125, Ptr(2), "1.25", false},
		{"tutorial 0.530 kg", 530, Ptr(3), "0.53", false},
		{"places 0", 7, Ptr(0), "7", false},
		// The missing-decimalPlaces reading (MissingDecimalPlaces = 0): the
		// tutorial's "quantity 1" without decimalPlaces is one piece, not
		// 0.01 as the official PHP client would read it.
		{"missing decimalPlaces reads as 0", 1, nil, "1", false},
		{"missing decimalPlaces, larger value", 125, nil, "125", false},
		{"negative", -250, Ptr(2), "-2.5", false},
		{"negative places", 1, Ptr(-1), "", true},
		{"too many places", 1, Ptr(19), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromScaled(tt.value, tt.places)
			if tt.wantErr {
				if !errors.Is(err, ErrPrecision) {
					t.Fatalf("got %s, %v; want ErrPrecision", got, err)
				}
				return
			}
			if err != nil || !got.Equal(dec(tt.want)) {
				t.Errorf("got %s, %v; want %s", got, err, tt.want)
			}
		})
	}
	if MissingDecimalPlaces != 0 {
		t.Errorf("MissingDecimalPlaces = %d; the documented reading is 0", MissingDecimalPlaces)
	}
}

func TestVATPercentage(t *testing.T) {
	if got := VATPercentage(21); !got.Equal(dec("21")) {
		t.Errorf("VATPercentage(21) = %s", got)
	}
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{{"21", 21, false}, {"9", 9, false}, {"0", 0, false}, {"21.00", 21, false}, {"5.5", 0, true}}
	for _, tt := range tests {
		got, err := ToVATPercentage(dec(tt.in))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ToVATPercentage(%s) = %d, %v; want %d (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestArticleStockQuantities(t *testing.T) {
	s := ArticleStock{ArticleNumber: 1, AmountFree: 1050, DecimalPlacesFree: Ptr(2), AmountReserved: 3,
		AmountIncoming: 20, DecimalPlacesIncoming: Ptr(0)}
	free, _ := s.Free()
	res, _ := s.Reserved()
	inc, _ := s.Incoming()
	on, err := s.OnHand()
	if err != nil || !free.Equal(dec("10.5")) || !res.Equal(dec("3")) || !inc.Equal(dec("20")) || !on.Equal(dec("13.5")) {
		t.Errorf("free %s reserved %s incoming %s on hand %s (%v)", free, res, inc, on, err)
	}
	s.DecimalPlacesReserved = Ptr(-2)
	if _, err := s.OnHand(); err == nil {
		t.Error("OnHand with negative decimalPlacesReserved succeeded")
	}
}

func TestNewDateTime(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want DateTime
	}{
		{"summer (CEST, +120)", time.Date(2025, 6, 3, 12, 30, 12, 999, time.UTC),
			DateTime{Sec: 12, Min: 30, Hour: 14, Day: 3, Mon: 6, Year: 2025, Timezone: 120}},
		{"winter (CET, +60)", time.Date(2025, 1, 15, 23, 30, 0, 0, time.UTC),
			DateTime{Sec: 0, Min: 30, Hour: 0, Day: 16, Mon: 1, Year: 2025, Timezone: 60}},
		{"just before the spring change", time.Date(2025, 3, 30, 0, 59, 59, 0, time.UTC),
			DateTime{Sec: 59, Min: 59, Hour: 1, Day: 30, Mon: 3, Year: 2025, Timezone: 60}},
		{"at the spring change", time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC),
			DateTime{Sec: 0, Min: 0, Hour: 3, Day: 30, Mon: 3, Year: 2025, Timezone: 120}},
		{"at the autumn change", time.Date(2025, 10, 26, 1, 0, 0, 0, time.UTC),
			DateTime{Sec: 0, Min: 0, Hour: 2, Day: 26, Mon: 10, Year: 2025, Timezone: 60}},
		{"from another zone", time.Date(2025, 6, 3, 8, 0, 0, 0, time.FixedZone("EDT", -4*3600)),
			DateTime{Sec: 0, Min: 0, Hour: 14, Day: 3, Mon: 6, Year: 2025, Timezone: 120}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewDateTime(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NewDateTime (-want +got):\n%s", diff)
			}
			back, err := got.Time()
			if err != nil {
				t.Fatal(err)
			}
			if !back.Equal(tt.in.Truncate(time.Second)) {
				t.Errorf("round trip = %v, want %v", back, tt.in)
			}
		})
	}
}

func TestDateTimeTime(t *testing.T) {
	tests := []struct {
		name    string
		in      DateTime
		want    time.Time
		wantErr string
	}{
		{"vendor example", DateTime{Sec: 12, Min: 30, Hour: 14, Day: 3, Mon: 6, Year: 2025, Timezone: 120},
			time.Date(2025, 6, 3, 12, 30, 12, 0, time.UTC), ""},
		{"isdst ignored: the offset is total", DateTime{Hour: 14, Day: 3, Mon: 6, Year: 2025, IsDST: true, Timezone: 120},
			time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC), ""},
		{"legacy timezone 0 is UTC", DateTime{Hour: 14, Day: 3, Mon: 6, Year: 2025},
			time.Date(2025, 6, 3, 14, 0, 0, 0, time.UTC), ""},
		{"negative offset", DateTime{Hour: 8, Day: 3, Mon: 6, Year: 2025, Timezone: -240},
			time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC), ""},
		{"month 13", DateTime{Day: 1, Mon: 13, Year: 2025}, time.Time{}, "mon 13"},
		{"31 April", DateTime{Day: 31, Mon: 4, Year: 2025}, time.Time{}, "day 31"},
		{"29 February 2025", DateTime{Day: 29, Mon: 2, Year: 2025}, time.Time{}, "day 29"},
		{"hour 24", DateTime{Hour: 24, Day: 1, Mon: 1, Year: 2025}, time.Time{}, "hour 24"},
		{"minute 60", DateTime{Min: 60, Day: 1, Mon: 1, Year: 2025}, time.Time{}, "min 60"},
		{"second 61", DateTime{Sec: 61, Day: 1, Mon: 1, Year: 2025}, time.Time{}, "sec 61"},
		{"offset beyond 14 h", DateTime{Day: 1, Mon: 1, Year: 2025, Timezone: 900}, time.Time{}, "timezone 900"},
		{"year 0", DateTime{Day: 1, Mon: 1, Year: 0}, time.Time{}, "year 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Time()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestDate(t *testing.T) {
	// 23:30 UTC on 31 March is already 1 April in Amsterdam.
	d := NewDate(time.Date(2025, 3, 31, 23, 30, 0, 0, time.UTC))
	if d != (Date{Day: 1, Mon: 4, Year: 2025}) || d.String() != "2025-04-01" {
		t.Errorf("NewDate = %+v (%s)", d, d)
	}
	tm, err := d.Time()
	if err != nil || !tm.Equal(time.Date(2025, 3, 31, 22, 0, 0, 0, time.UTC)) {
		t.Errorf("Time() = %v, %v; want midnight CEST", tm, err)
	}
	winter, _ := Date{Day: 1, Mon: 1, Year: 2025}.Time()
	if !winter.Equal(time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("winter midnight = %v", winter)
	}
	if _, err := (Date{Day: 30, Mon: 2, Year: 2024}).Time(); err == nil {
		t.Error("30 February accepted")
	}
}

// TestInAmsterdamMatchesTZData checks the built-in EU rule against the
// system time zone database, where one is installed.
func TestInAmsterdamMatchesTZData(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	start := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)
	for at := start; at.Year() < 2037; at = at.Add(7*time.Hour + 13*time.Minute) {
		_, want := at.In(loc).Zone()
		_, got := InAmsterdam(at).Zone()
		if got != want {
			t.Fatalf("offset at %v = %d, tzdata says %d", at, got, want)
		}
	}
	// Every change instant itself.
	for y := 1997; y < 2037; y++ {
		for _, m := range []time.Month{time.March, time.October} {
			change := lastSunday(y, m)
			for _, at := range []time.Time{change.Add(-time.Second), change} {
				_, want := at.In(loc).Zone()
				if _, got := InAmsterdam(at).Zone(); got != want {
					t.Errorf("offset at %v = %d, tzdata says %d", at, got, want)
				}
			}
		}
	}
}

func FuzzDateTime(f *testing.F) {
	f.Add(12, 30, 14, 3, 6, 2025, 120)
	f.Add(0, 0, 0, 29, 2, 2024, -60)
	f.Fuzz(func(t *testing.T, sec, min, hour, day, mon, year, tz int) {
		d := DateTime{Sec: sec, Min: min, Hour: hour, Day: day, Mon: mon, Year: year, Timezone: tz}
		tm, err := d.Time()
		if err != nil {
			return
		}
		// A valid value converts back to the same instant (second 60 rolls over).
		if back, err := NewDateTime(tm).Time(); err != nil || !back.Equal(tm) {
			t.Fatalf("%+v: %v -> %v, %v", d, tm, back, err)
		}
	})
}
