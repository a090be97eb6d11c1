// Package iso holds the ISO 3166-1 country and ISO 4217 currency tables
// tradelink validates against, and EU membership for VAT rules.
package iso

import "strings"

// countries holds every officially assigned ISO 3166-1 alpha-2 code.
const countries = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"

// eu holds the member states of the European Union (27 since 2020-02-01).
const eu = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"

// currencies holds the active ISO 4217 alphabetic codes.
const currencies = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV " +
	"BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK " +
	"DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR " +
	"IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL " +
	"MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK " +
	"PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC " +
	"SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV " +
	"WST XAF XAG XAU XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG"

var (
	countrySet  = toSet(countries)
	euSet       = toSet(eu)
	currencySet = toSet(currencies)
)

func toSet(s string) map[string]struct{} {
	f := strings.Fields(s)
	m := make(map[string]struct{}, len(f))
	for _, c := range f {
		m[c] = struct{}{}
	}
	return m
}

// IsCountry reports whether code is an assigned ISO 3166-1 alpha-2 code. The
// check is exact: "nl" and "NLD" are not codes.
func IsCountry(code string) bool {
	_, ok := countrySet[code]
	return ok
}

// IsEU reports whether code is the alpha-2 code of an EU member state. It
// accepts "EL", the code EU VAT numbers use for Greece.
func IsEU(code string) bool {
	if code == "EL" {
		return true
	}
	_, ok := euSet[code]
	return ok
}

// IsCurrency reports whether code is an active ISO 4217 alphabetic code.
func IsCurrency(code string) bool {
	_, ok := currencySet[code]
	return ok
}

// Countries returns the number of known country codes (for tests).
func Countries() int { return len(countrySet) }

// NormalizeCountry upper-cases and trims a country code, mapping the
// common non-ISO aliases "UK" and "EL" to "GB" and "GR".
func NormalizeCountry(code string) string {
	c := strings.ToUpper(strings.TrimSpace(code))
	switch c {
	case "UK":
		return "GB"
	case "EL":
		return "GR"
	}
	return c
}
