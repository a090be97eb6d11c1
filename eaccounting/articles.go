package eaccounting

import (
	"context"
)

// Article is an article (ArticleApi), the product of eAccounting. NetPrice
// and GrossPrice must agree with the VAT rate of the article's coding:
// GrossPrice = NetPrice × (1 + rate), checked by the server on every write.
type Article struct {
	ID string `json:"Id,omitempty"`
	// Number is the article number, the SKU (max 40).
	Number      string `json:"Number"`
	Name        string `json:"Name"`
	NameEnglish string `json:"NameEnglish,omitempty"`
	IsActive    bool   `json:"IsActive"`
	// NetPrice is the sales price excluding VAT; GrossPrice including it.
	NetPrice   Number `json:"NetPrice"`
	GrossPrice Number `json:"GrossPrice"`
	// CodingID is the article account coding: the VAT rate and revenue
	// accounts of the article (see ArticleAccountCoding).
	CodingID   string `json:"CodingId"`
	CodingName string `json:"CodingName,omitempty"`
	UnitID     string `json:"UnitId"`
	UnitName   string `json:"UnitName,omitempty"`
	// UnitAbbreviation is read-only.
	UnitAbbreviation string `json:"UnitAbbreviation,omitempty"`
	// StockBalance is the quantity on hand; read-only when the company uses
	// the stock module.
	StockBalance Number `json:"StockBalance"`
	// StockBalanceReserved and StockBalanceAvailable are read-only.
	StockBalanceReserved  Number `json:"StockBalanceReserved,omitzero"`
	StockBalanceAvailable Number `json:"StockBalanceAvailable,omitzero"`
	// IsStock marks a stock article (stock module and a goods coding).
	IsStock bool `json:"IsStock"`
	// IsServiceArticle is read-only, derived from the coding.
	IsServiceArticle       bool      `json:"IsServiceArticle,omitempty"`
	StockLocationReference string    `json:"StockLocationReference,omitempty"`
	PurchasePrice          Number    `json:"PurchasePrice"`
	Barcodes               []Barcode `json:"Barcodes,omitempty"`
	// UsesMoss marks an article sold under the EU one-stop shop (OSS).
	UsesMoss   bool `json:"UsesMoss"`
	CreatedUtc Time `json:"CreatedUtc,omitzero"`
	ChangedUtc Time `json:"ChangedUtc,omitzero"`
}

// Barcode is an article barcode (ArticleBarcodeApi); BarcodeType 0 is the
// default barcode, of which an article has at most one.
type Barcode struct {
	Barcode     string `json:"Barcode"`
	BarcodeType int    `json:"BarcodeType"`
}

// ArticlesService is /articles: List, Get, Create and Update come from
// Collection. Articles cannot be deleted; deactivate them with IsActive =
// false.
type ArticlesService struct{ Collection[Article] }

// FindByNumber returns the article whose Number equals number exactly, or
// nil.
func (s *ArticlesService) FindByNumber(ctx context.Context, number string) (*Article, error) {
	return first(ctx, s.c, "articles", "articles Number", EqString("Number", number), func(a *Article) bool {
		return a.Number == number
	})
}

// ArticleAccountCoding is an article account coding
// (ArticleAccountCodingApi): a VAT rate and one revenue account per sales
// situation. Codings are read-only through the API.
type ArticleAccountCoding struct {
	ID          string `json:"Id"`
	Name        string `json:"Name"`
	NameEnglish string `json:"NameEnglish"`
	// Type tells goods from services; its values are unconfirmed.
	Type string `json:"Type"`
	// VatRate is the VAT rate's code, VatRatePercent its size (see
	// ArticleAccountCoding.VATPercent).
	VatRate        string `json:"VatRate"`
	VatRatePercent Number `json:"VatRatePercent"`
	IsActive       bool   `json:"IsActive"`

	DomesticSalesSubjectToVatAccountNumber                     *int64 `json:"DomesticSalesSubjectToVatAccountNumber"`
	DomesticSalesVatExemptAccountNumber                        *int64 `json:"DomesticSalesVatExemptAccountNumber"`
	DomesticSalesVatCodeExemptAccountNumber                    *int64 `json:"DomesticSalesVatCodeExemptAccountNumber"`
	DomesticSalesSubjectToReversedConstructionVatAccountNumber *int64 `json:"DomesticSalesSubjectToReversedConstructionVatAccountNumber"`
	ForeignSalesSubjectToVatWithinEuAccountNumber              *int64 `json:"ForeignSalesSubjectToVatWithinEuAccountNumber"`
	ForeignSalesVatExemptWithinEuAccountNumber                 *int64 `json:"ForeignSalesVatExemptWithinEuAccountNumber"`
	ForeignSalesVatExemptOutsideEuAccountNumber                *int64 `json:"ForeignSalesVatExemptOutsideEuAccountNumber"`
	ForeignSalesSubjectToThirdPartySalesAccountNumber          *int64 `json:"ForeignSalesSubjectToThirdPartySalesAccountNumber"`
	ForeignSalesSubjectToMossAccountNumber                     *int64 `json:"ForeignSalesSubjectToMossAccountNumber"`

	ChangedUtc Time `json:"ChangedUtc,omitzero"`
}
