package eaccountingtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/internal/iso"
)

// Ids of the demo reference data.
const (
	TermsNet30ID   = "8f2a3c4d-1b2e-4f5a-9c8d-7e6f5a4b3c2d"
	TermsNet14ID   = "8f2a3c4d-1b2e-4f5a-9c8d-7e6f5a4b3c14"
	TermsCashID    = "8f2a3c4d-1b2e-4f5a-9c8d-7e6f5a4b3c00"
	UnitPiecesID   = "e1d2c3b4-a596-4877-8899-aabbccddeeff"
	UnitHoursID    = "e1d2c3b4-a596-4877-8899-aabbccdde001"
	Coding21ID     = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c21"
	Coding9ID      = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c09"
	Coding0ID      = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c00"
	CodingService  = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c99"
	DeliveryPostNL = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b01"
)

// Revenue accounts of the demo codings, by sales situation. Each coding
// adds its offset: 21 % goods +0, 9 % +1, 0 % +2, 21 % services +3 (the
// domestic account of the 9 % coding is 8001).
const (
	AccountDomestic      = 8000
	AccountEUBusiness    = 8100
	AccountEUPrivate     = 8110
	AccountEUPrivateOSS  = 8120
	AccountOutsideEU     = 8200
	AccountReverseCharge = 8300
)

// countryNames are the English names of the countries the demo lists by
// name; every other ISO code is listed under its code.
var countryNames = map[string]string{
	"AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany",
	"DK": "Denmark", "EE": "Estonia", "ES": "Spain", "FI": "Finland", "FR": "France", "GR": "Greece",
	"HR": "Croatia", "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "LT": "Lithuania", "LU": "Luxembourg",
	"LV": "Latvia", "MT": "Malta", "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
	"SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia", "GB": "United Kingdom", "NO": "Norway",
	"CH": "Switzerland", "IS": "Iceland", "LI": "Liechtenstein", "US": "United States", "CA": "Canada",
	"AU": "Australia", "JP": "Japan", "CN": "China",
}

func (s *Server) seedReferenceData() {
	s.company = record{
		"Name": "Demo Handel BV", "Address1": "Keizersgracht 1", "PostalCode": "1015CC", "City": "Amsterdam",
		"CountryCode": "NL", "CurrencyCode": "EUR", "TermsOfPaymentId": TermsNet30ID, "ShowPricesExclVatPC": false,
		"UsesMoss": false, "CompanyStatus": json.Number("1"), "ProductVariant": json.Number("1"),
	}
	put := func(name string, rec record) {
		res := resources[name]
		id := rec[res.key].(string)
		c := s.data[name]
		c.ids = append(c.ids, id)
		c.recs[id] = rec
	}
	for _, t := range []struct {
		id, name, en string
		days, typ    int
	}{{TermsNet30ID, "30 dagen", "30 days", 30, 0}, {TermsNet14ID, "14 dagen", "14 days", 14, 0}, {TermsCashID, "Contant", "Cash", 0, 2}} {
		put("termsofpayments", record{"Id": t.id, "Name": t.name, "NameEnglish": t.en, "NumberOfDays": json.Number(fmt.Sprint(t.days)),
			"TermsOfPaymentTypeId": json.Number(fmt.Sprint(t.typ)), "TermsOfPaymentTypeText": t.en,
			"AvailableForSales": true, "AvailableForPurchase": true})
	}
	put("units", record{"Id": UnitPiecesID, "Name": "Stuks", "Code": "pcs", "Abbreviation": "st", "AbbreviationEnglish": "pcs"})
	put("units", record{"Id": UnitHoursID, "Name": "Uur", "Code": "h", "Abbreviation": "u", "AbbreviationEnglish": "h"})
	for _, c := range []struct {
		id, name, typ, code string
		rate                int64
		offset              int64
	}{{Coding21ID, "Omzet hoog 21%", "Goods", "21", 21, 0}, {Coding9ID, "Omzet laag 9%", "Goods", "9", 9, 1},
		{Coding0ID, "Omzet 0%", "Goods", "0", 0, 2}, {CodingService, "Diensten 21%", "Service", "21", 21, 3}} {
		acct := func(base int64) json.Number { return json.Number(fmt.Sprint(base + c.offset)) }
		put("articleaccountcodings", record{
			"Id": c.id, "Name": c.name, "NameEnglish": c.name, "Type": c.typ, "VatRate": c.code,
			"VatRatePercent": json.Number(decimal.New(c.rate, -2).String()), "IsActive": true, "ChangedUtc": "2026-01-01T00:00:00Z",
			"DomesticSalesSubjectToVatAccountNumber":                     acct(AccountDomestic),
			"DomesticSalesVatExemptAccountNumber":                        acct(AccountDomestic + 90),
			"DomesticSalesVatCodeExemptAccountNumber":                    acct(AccountDomestic + 95),
			"DomesticSalesSubjectToReversedConstructionVatAccountNumber": acct(AccountReverseCharge),
			"ForeignSalesSubjectToVatWithinEuAccountNumber":              acct(AccountEUPrivate),
			"ForeignSalesVatExemptWithinEuAccountNumber":                 acct(AccountEUBusiness),
			"ForeignSalesVatExemptOutsideEuAccountNumber":                acct(AccountOutsideEU),
			"ForeignSalesSubjectToThirdPartySalesAccountNumber":          acct(AccountEUBusiness + 50),
			"ForeignSalesSubjectToMossAccountNumber":                     acct(AccountEUPrivateOSS),
		})
	}
	for i, v := range []struct {
		code, desc string
		rate       int64
	}{{"VH", "Btw hoog", 21}, {"VL", "Btw laag", 9}, {"V0", "Btw 0%", 0}} {
		put("vatcodes", record{"Id": fmt.Sprintf("3c2b1a09-8f7e-4d6c-b5a4-93827160%04d", i), "Code": v.code, "Description": v.desc,
			"VatRate": json.Number(fmt.Sprint(v.rate)), "OssCodeType": json.Number("0"),
			"RelatedAccounts": record{"AccountNumber1": json.Number("1500"), "AccountNumber2": nil, "AccountNumber3": nil}})
	}
	put("deliverymethods", record{"Id": DeliveryPostNL, "Name": "PostNL", "NameEnglish": "PostNL", "Code": "POSTNL"})
	put("deliverymethods", record{"Id": "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b02", "Name": "Afhalen", "NameEnglish": "Pick-up", "Code": "PICKUP"})
	put("deliveryterms", record{"Id": "6e5d4c3b-2a1f-4e0d-9c8b-7a6f5e4d3c01", "Name": "Franco", "NameEnglish": "Carriage paid", "Code": "FR", "Editable": false})
	var codes []string
	for c := range countryNames {
		codes = append(codes, c)
	}
	for _, c := range []string{"AD", "AE", "AR", "BR", "HK", "IN", "MX", "NZ", "SG", "TR", "UA", "ZA"} {
		if iso.IsCountry(c) {
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	for _, c := range codes {
		name := countryNames[c]
		if name == "" {
			name = c
		}
		put("countries", record{"Code": c, "Name": name, "NameEnglish": name, "IsEuMember": iso.IsEU(c)})
	}
}

// SeedRaw stores rec in resource ("customers", "articles", "orders",
// "customerinvoicedrafts", "quotes") as a POST would, without HTTP:
// validated, completed by the server rules, with a new Id, which it
// returns. rec may hold any JSON-marshalable values and properties the
// client's types do not model.
func (s *Server) SeedRaw(resource string, rec map[string]any) (string, error) {
	res, ok := resources[resource]
	if !ok || !res.create {
		return "", fmt.Errorf("eaccountingtest: cannot seed %q", resource)
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return "", err
	}
	r, e := decodeRecord(b)
	if e != nil {
		return "", fmt.Errorf("eaccountingtest: seed %s: %s", resource, e.msg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, e := s.store(resource, res, r, ""); e != nil {
		return "", fmt.Errorf("eaccountingtest: seed %s: %s %v", resource, e.msg, e.fields)
	}
	return r[res.key].(string), nil
}

// seed stores a value of the client's wire types.
func (s *Server) seed(resource string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return "", err
	}
	return s.SeedRaw(resource, m)
}

// SeedCustomer stores a customer and returns its Id. Empty
// TermsOfPaymentID means TermsNet30ID.
func (s *Server) SeedCustomer(c eaccounting.Customer) (string, error) {
	if c.TermsOfPaymentID == "" {
		c.TermsOfPaymentID = TermsNet30ID
	}
	return s.seed("customers", c)
}

// SeedArticle stores an article and returns its Id. Empty CodingID means
// Coding21ID, empty UnitID UnitPiecesID; a zero GrossPrice is derived from
// NetPrice.
func (s *Server) SeedArticle(a eaccounting.Article) (string, error) {
	if a.CodingID == "" {
		a.CodingID = Coding21ID
	}
	if a.UnitID == "" {
		a.UnitID = UnitPiecesID
	}
	s.mu.Lock()
	coding := s.lookup("articleaccountcodings", a.CodingID)
	s.mu.Unlock()
	if a.GrossPrice.IsZero() && coding != nil {
		a.GrossPrice = eaccounting.Num(eaccounting.GrossPrice(a.NetPrice.Decimal, eaccounting.VATPercent(eaccounting.Num(num(coding, "VatRatePercent")))))
	}
	return s.seed("articles", a)
}

// SeedOrder stores a sales order and returns its Id.
func (s *Server) SeedOrder(o eaccounting.Order) (string, error) { return s.seed("orders", o) }

// SetStock sets the stock of the article with this number: on hand
// (StockBalance) and reserved (StockBalanceReserved, which the API does not
// let clients write). Available follows as on hand − reserved.
func (s *Server) SetStock(number string, onHand, reserved decimal.Decimal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.data["articles"].recs {
		if str(a, "Number") == number {
			setNum(a, "StockBalance", onHand)
			setNum(a, "StockBalanceReserved", reserved)
			setNum(a, "StockBalanceAvailable", onHand.Sub(reserved))
			a["IsStock"] = true
			a["ChangedUtc"] = s.nowString()
			return nil
		}
	}
	return fmt.Errorf("eaccountingtest: no article %q", number)
}

// Record returns a copy of a stored record as JSON values, or nil.
func (s *Server) Record(resource, id string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.data[resource]; !ok {
		return nil
	}
	rec := s.lookup(resource, id)
	if rec == nil {
		return nil
	}
	return clone(rec).(map[string]any)
}

// Count returns the number of records of a resource.
func (s *Server) Count(resource string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.data[resource]; ok {
		return len(c.ids)
	}
	return 0
}

// SetCompany changes the company settings the fake reports, e.g.
// {"ShowPricesExclVatPC": true} or {"CountryCode": "SE", "CurrencyCode": "SEK"}.
func (s *Server) SetCompany(fields map[string]any) error {
	b, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	r, e := decodeRecord(b)
	if e != nil {
		return fmt.Errorf("eaccountingtest: %s", e.msg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range r {
		s.company[k] = v
	}
	return nil
}
