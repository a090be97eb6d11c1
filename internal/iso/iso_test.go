package iso

import "testing"

func TestTables(t *testing.T) {
	if got := Countries(); got != 249 {
		t.Errorf("countries = %d, want 249 assigned ISO 3166-1 codes", got)
	}
	if got := len(euSet); got != 27 {
		t.Errorf("EU members = %d, want 27", got)
	}
	for code := range euSet {
		if !IsCountry(code) {
			t.Errorf("EU member %s is not a country", code)
		}
	}
}

func TestChecks(t *testing.T) {
	tests := []struct {
		code          string
		country, isEU bool
	}{
		{"NL", true, true}, {"BE", true, true}, {"DE", true, true}, {"FR", true, true},
		{"GB", true, false}, {"US", true, false}, {"CH", true, false}, {"NO", true, false},
		{"EL", false, true}, {"UK", false, false}, {"nl", false, false}, {"NLD", false, false},
		{"", false, false}, {"XX", false, false},
	}
	for _, tt := range tests {
		if got := IsCountry(tt.code); got != tt.country {
			t.Errorf("IsCountry(%q) = %v", tt.code, got)
		}
		if got := IsEU(tt.code); got != tt.isEU {
			t.Errorf("IsEU(%q) = %v", tt.code, got)
		}
	}
	for _, c := range []string{"EUR", "SEK", "USD", "GBP"} {
		if !IsCurrency(c) {
			t.Errorf("IsCurrency(%q) = false", c)
		}
	}
	for _, c := range []string{"eur", "EURO", "", "ABC"} {
		if IsCurrency(c) {
			t.Errorf("IsCurrency(%q) = true", c)
		}
	}
	if NormalizeCountry(" uk ") != "GB" || NormalizeCountry("el") != "GR" || NormalizeCountry("nl") != "NL" {
		t.Error("NormalizeCountry")
	}
}
