package mapping

import (
	"fmt"
	"maps"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/internal/iso"
)

// CountryTable resolves a value — a tax code or a revenue account — per
// country of the customer, with fallbacks.
//
// Keys of Countries are an ISO 3166-1 alpha-2 code ("DE") or a code with a
// tax rate in percent after a colon ("NL:21", "NL:9", "FR:5.5"; the rate is
// written as [decimal.Decimal.String] writes it, so 21.00 is "21"). Rate
// keys give rate-specific codes, the usual case for the home country: an
// accounting system has one VAT code per rate.
//
// taxCode(country, rate, vatNumber) and revenueAccount(...) resolve in
// this order, the first non-empty value winning:
//
//  1. EUBusiness, when vatNumber is not blank and the country is an EU
//     member state other than the home country: an intra-community B2B
//     sale, where the customer reverse-charges the VAT;
//  2. Countries["CC:rate"], when a rate is given;
//  3. Countries["CC"];
//  4. Domestic, when the country is the home country
//     ([Mapping.Settings]["homeCountry"]);
//  5. EU, when the country is another EU member state;
//  6. OutsideEU, when the country is an assigned code outside the EU.
//
// The country is normalised first (trimmed, upper case, "UK" is "GB", "EL"
// is "GR"). An empty country is the home country: point-of-sale receipts
// and products carry no address. When nothing matches, the result is ""
// and a [Miss] is recorded with the most specific key tried ("NL:21", or
// "domestic" for an empty country without a home country) — unless the
// table is entirely empty, which means it is not configured.
type CountryTable struct {
	// Countries holds the entries per country ("DE") and per country and
	// rate ("NL:21").
	Countries map[string]string `json:"countries,omitempty"`
	// Domestic applies in the home country.
	Domestic string `json:"domestic,omitempty"`
	// EU applies in the other EU member states.
	EU string `json:"eu,omitempty"`
	// EUBusiness applies to EU business customers with a VAT number in
	// another member state (reverse charge).
	EUBusiness string `json:"eu_business,omitempty"`
	// OutsideEU applies to assigned country codes outside the EU.
	OutsideEU string `json:"outside_eu,omitempty"`
}

// IsZero reports whether the table has no entries: it is not configured.
func (t CountryTable) IsZero() bool {
	return len(t.Countries) == 0 && t.Domestic == "" && t.EU == "" && t.EUBusiness == "" && t.OutsideEU == ""
}

// Resolve returns the value for a customer in country, optionally with a
// tax rate (nil for none) and a VAT number, given the seller's home
// country. key is the most specific key tried, for reporting a miss; ok is
// false when nothing matched.
func (t CountryTable) Resolve(country string, rate *decimal.Decimal, vatNumber, home string) (value, key string, ok bool) {
	idx := newCountryIndex(t)
	home = iso.NormalizeCountry(home)
	if value, ok = idx.resolve(country, rate, vatNumber, home); ok {
		return value, "", true
	}
	return "", missKey(country, rate, home), false
}

// countryIndex is a CountryTable prepared for resolving: country keys
// normalised, rate keys parsed, so that resolving does not format the rate.
type countryIndex struct {
	t         CountryTable
	countries map[string]string
	rates     map[string][]rateEntry
}

type rateEntry struct {
	rate  decimal.Decimal
	value string
}

// splitCountryKey splits a key of CountryTable.Countries into the
// normalised country and the rate, if any.
func splitCountryKey(k string) (country string, rate *decimal.Decimal, err error) {
	c, r, hasRate := strings.Cut(k, ":")
	country = iso.NormalizeCountry(c)
	if !iso.IsCountry(country) {
		return "", nil, fmt.Errorf("%q is not an ISO 3166-1 alpha-2 country code", c)
	}
	if !hasRate {
		return country, nil, nil
	}
	d, err := decimal.NewFromString(strings.TrimSpace(r))
	if err != nil {
		return "", nil, fmt.Errorf("%q is not a tax rate", r)
	}
	return country, &d, nil
}

func newCountryIndex(t CountryTable) *countryIndex {
	idx := &countryIndex{t: t, countries: map[string]string{}, rates: map[string][]rateEntry{}}
	for k, v := range t.Countries {
		c, r, err := splitCountryKey(k)
		switch {
		case err != nil: // reported by Mapping.check
		case r == nil:
			idx.countries[c] = v
		default:
			idx.rates[c] = append(idx.rates[c], rateEntry{rate: *r, value: v})
		}
	}
	return idx
}

// resolve implements the order of fallbacks documented on CountryTable;
// home is normalised.
func (idx *countryIndex) resolve(country string, rate *decimal.Decimal, vat, home string) (string, bool) {
	t := &idx.t
	c := iso.NormalizeCountry(country)
	if c == "" {
		c = home
	}
	if t.EUBusiness != "" && c != home && iso.IsEU(c) && strings.TrimSpace(vat) != "" {
		return t.EUBusiness, true
	}
	if c != "" {
		if rate != nil {
			for _, e := range idx.rates[c] {
				if e.value != "" && e.rate.Equal(*rate) {
					return e.value, true
				}
			}
		}
		if v := idx.countries[c]; v != "" {
			return v, true
		}
	}
	var v string
	switch {
	case c == home:
		v = t.Domestic
	case iso.IsEU(c):
		v = t.EU
	case iso.IsCountry(c):
		v = t.OutsideEU
	}
	return v, v != ""
}

// missKey is the key a miss reports: "NL:21", "NL", or "domestic" for an
// empty country without a home country.
func missKey(country string, rate *decimal.Decimal, home string) string {
	c := iso.NormalizeCountry(country)
	if c == "" {
		c = home
	}
	switch {
	case c == "":
		return "domestic"
	case rate != nil:
		return c + ":" + rate.String()
	}
	return c
}

// merge returns t with over's entries laid over it; t's map is changed in
// place (callers pass a clone).
func (t CountryTable) merge(over CountryTable) CountryTable {
	t.Countries = mergeMap(t.Countries, over.Countries)
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&t.Domestic, over.Domestic}, {&t.EU, over.EU}, {&t.EUBusiness, over.EUBusiness}, {&t.OutsideEU, over.OutsideEU},
	} {
		if f.src != "" {
			*f.dst = f.src
		}
	}
	return t
}

func (t CountryTable) clone() CountryTable {
	t.Countries = maps.Clone(t.Countries)
	return t
}
