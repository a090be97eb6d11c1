package eaccounting

// This file holds every rule about eAccounting that its documentation does
// not state and tradelink had to infer: which field carries the external
// reference, how a VAT rate is written, when document prices include VAT,
// and which revenue account and VAT rate a sale gets. Each is marked
// unconfirmed in the wire notes (../shared/apis/eaccounting.md §3, §5.10, §7);
// change them here and nowhere else.

import (
	"context"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/internal/iso"
)

// RefField is the property that carries the external reference (the web
// shop's order number) on orders, invoice drafts, invoices and quotes, and
// that FindByRef filters on.
//
// BuyersOrderReference is chosen because it is the one reference field with
// the same name on all four document types (quotes call "your/our
// reference" CustomerReference/CompanyReference), because it means exactly
// this — the buyer's order number, also sent in e-invoices — and because
// YourReference is shown on the invoice as the customer's contact person.
// Its limit is MaxRefLength characters. Whether it is filterable is
// unconfirmed (§3): when the server rejects the filter the adapter scans.
const RefField = "BuyersOrderReference"

// MaxRefLength is the maximum length of RefField (35 characters).
const MaxRefLength = 35

type referenced interface{ externalRef() string }

// findByRef returns the document whose RefField equals ref exactly, or nil.
func findByRef[T any, P interface {
	*T
	referenced
}](ctx context.Context, c *Client, path, ref string) (*T, error) {
	return first(ctx, c, path, path+" "+RefField, EqString(RefField, ref), func(d *T) bool { return P(d).externalRef() == ref })
}

// refBatch is how many references one look-up asks for; it keeps the
// $filter well below URL limits.
const refBatch = 20

// findByRefs finds the documents whose reference is one of refs, with one
// filtered list request per refBatch references, keyed by reference.
func findByRefs[T any, P interface {
	*T
	referenced
}](ctx context.Context, c *Client, path string, refs []string) (map[string]*T, error) {
	out := make(map[string]*T, len(refs))
	for start := 0; start < len(refs); start += refBatch {
		batch := refs[start:min(start+refBatch, len(refs))]
		want := make(map[string]bool, len(batch))
		fs := make([]Filter, 0, len(batch))
		for _, r := range batch {
			if r != "" && !want[r] {
				want[r] = true
				fs = append(fs, EqString(RefField, r))
			}
		}
		if len(fs) == 0 {
			continue
		}
		match := func(d *T) bool { return want[P(d).externalRef()] }
		for d, err := range filtered(ctx, c, path, path+" "+RefField, ListOptions{Filter: Or(fs...)}, match) {
			if err != nil {
				return nil, err
			}
			out[P(&d).externalRef()] = &d
		}
	}
	return out, nil
}

var hundred = decimal.NewFromInt(100)

// VATPercent returns a VAT rate of the API as a percentage (25 for 25 %).
//
// The coding's VatRatePercent and the rows' VatRate are typed "double"
// without a unit. Visma writes discount "percentages" as fractions
// (DiscountPercentage 0..1), so the rates are read the same way: a value of
// at most 1 is a fraction (0.25 → 25 %), a larger one a percentage already.
// No VAT rate in use lies in (0 %, 1 %], so both spellings decode right.
// Unconfirmed; the fake server writes fractions.
func VATPercent(n Number) decimal.Decimal {
	if n.LessThanOrEqual(decimal.NewFromInt(1)) {
		return n.Mul(hundred)
	}
	return n.Decimal
}

// VATFraction is the inverse of VATPercent: 25 → 0.25, the spelling the
// fake server uses.
func VATFraction(percent decimal.Decimal) Number { return Num(percent.Div(hundred)) }

// GrossPrice returns the article gross price that the server accepts for
// net and a VAT percentage: net × (1 + percent/100), rounded to cents.
func GrossPrice(net, percent decimal.Decimal) decimal.Decimal {
	return net.Mul(decimal.NewFromInt(1).Add(percent.Div(hundred))).Round(2)
}

// NetPrice returns the net price for a gross price including percent VAT,
// rounded to cents. GrossPrice(NetPrice(g, p), p) may differ from g by a
// cent; the adapter then writes the recomputed gross price, because the
// server checks gross against net and not the other way round.
func NetPrice(gross, percent decimal.Decimal) decimal.Decimal {
	return gross.DivRound(decimal.NewFromInt(1).Add(percent.Div(hundred)), 8).Round(2)
}

// IncludesVAT reports whether a sales document for a customer carries unit
// prices including VAT. The schema says IncludesVat is "True if company
// settings checkbox ShowPricesExclVatPC is checked and customer type is
// Private" — odd as the name reads, that is followed literally.
// Unconfirmed.
func IncludesVAT(s *CompanySettings, private bool) bool {
	return s != nil && s.ShowPricesExclVatPC && private
}

// SalesSituation is the VAT situation of a sale, which picks one of the
// coding's revenue accounts.
type SalesSituation int

// Sales situations.
const (
	// Domestic: the customer is in the company's country.
	Domestic SalesSituation = iota + 1
	// DomesticReverseCharge: a domestic construction-sector customer with
	// reverse charge (Swedish byggmoms).
	DomesticReverseCharge
	// EUBusiness: a company in another EU country with a VAT number
	// (intra-community supply, 0 %).
	EUBusiness
	// EUPrivate: a private person (or a company without VAT number) in
	// another EU country, taxed at home.
	EUPrivate
	// EUPrivateOSS: as EUPrivate, under the one-stop shop.
	EUPrivateOSS
	// OutsideEU: a customer outside the EU (export, 0 %).
	OutsideEU
)

// String implements fmt.Stringer.
func (s SalesSituation) String() string {
	switch s {
	case Domestic:
		return "domestic"
	case DomesticReverseCharge:
		return "domestic reverse charge"
	case EUBusiness:
		return "EU business"
	case EUPrivate:
		return "EU private"
	case EUPrivateOSS:
		return "EU private (OSS)"
	case OutsideEU:
		return "outside EU"
	}
	return "unknown"
}

// Situation decides the VAT situation of a sale by the company to cu. The
// country is the invoice country, or the delivery country when the customer
// has DeliveryBasedVat; an empty country counts as domestic. OSS applies
// when the company and the article use it (usesMoss). ForceBookkeepVat
// makes a sale outside the EU domestic in VAT terms. EU membership comes
// from internal/iso (the API's /countries IsEuMember says the same).
// Inferred from field names and descriptions (§7); unconfirmed.
func Situation(company *CompanySettings, cu *Customer, usesMoss bool) SalesSituation {
	country := cu.InvoiceCountryCode
	if cu.DeliveryBasedVat && cu.DeliveryCountryCode != "" {
		country = cu.DeliveryCountryCode
	}
	home := ""
	if company != nil {
		home = company.CountryCode
	}
	switch {
	case country == "" || country == home:
		if cu.ReverseChargeOnConstructionServices && !cu.IsPrivatePerson {
			return DomesticReverseCharge
		}
		return Domestic
	case iso.IsEU(country) && !cu.IsPrivatePerson && cu.VatNumber != "":
		return EUBusiness
	case iso.IsEU(country) && usesMoss && company != nil && company.UsesMoss:
		return EUPrivateOSS
	case iso.IsEU(country):
		return EUPrivate
	case cu.ForceBookkeepVat:
		return Domestic
	}
	return OutsideEU
}

// RevenueAccount returns the account the coding books a sale in situation s
// to, and false when the coding has none for it.
func (c *ArticleAccountCoding) RevenueAccount(s SalesSituation) (int64, bool) {
	var p *int64
	switch s {
	case Domestic:
		p = c.DomesticSalesSubjectToVatAccountNumber
		if VATPercent(c.VatRatePercent).IsZero() && c.DomesticSalesVatExemptAccountNumber != nil {
			p = c.DomesticSalesVatExemptAccountNumber
		}
	case DomesticReverseCharge:
		p = c.DomesticSalesSubjectToReversedConstructionVatAccountNumber
	case EUBusiness:
		p = c.ForeignSalesVatExemptWithinEuAccountNumber
	case EUPrivate:
		p = c.ForeignSalesSubjectToVatWithinEuAccountNumber
	case EUPrivateOSS:
		p = c.ForeignSalesSubjectToMossAccountNumber
	case OutsideEU:
		p = c.ForeignSalesVatExemptOutsideEuAccountNumber
	}
	if p == nil {
		return 0, false
	}
	return *p, true
}

// SalesVATPercent returns the VAT percentage a sale in situation s carries
// under the coding: the coding's rate at home and for EU private customers
// (destination-country OSS rates are not in the API; the coding's rate is
// what eAccounting shows), zero for reverse charge, intra-EU business and
// export sales.
func (c *ArticleAccountCoding) SalesVATPercent(s SalesSituation) decimal.Decimal {
	switch s {
	case Domestic, EUPrivate, EUPrivateOSS:
		return VATPercent(c.VatRatePercent)
	}
	return decimal.Zero
}

// Available is the stock an article can still sell: on hand
// (StockBalance) minus reserved (StockBalanceReserved). The API also
// reports StockBalanceAvailable; that it is the same difference is
// plausible but unconfirmed, so tradelink computes it and a stock flow sees
// available = on hand − reserved whatever the server does.
func Available(a *Article) decimal.Decimal {
	return a.StockBalance.Sub(a.StockBalanceReserved.Decimal)
}

// DocumentTotal is a sales document's total including VAT. The API reports
// the amount (Order.Amount, TotalAmount) and the VAT (VatAmount,
// TotalVatAmount) apart, plus roundings; that the amount excludes VAT is
// inferred from that split and unconfirmed.
func DocumentTotal(amount, vat, roundings decimal.Decimal) decimal.Decimal {
	return amount.Add(vat).Add(roundings)
}
