package eaccounting

import (
	"context"
	"iter"
	"net/http"
)

// ReadService is a read-only register of the API: article account codings,
// VAT codes, terms of payment, units, delivery methods and terms, countries.
type ReadService[T any] struct {
	c    *Client
	path string
}

// List streams the register.
func (s *ReadService[T]) List(ctx context.Context, opts ListOptions) iter.Seq2[T, error] {
	return list[T](ctx, s.c, s.path, opts)
}

// Get returns the entry with this id (a country's code for Countries).
func (s *ReadService[T]) Get(ctx context.Context, id string) (*T, error) {
	return get[T](ctx, s.c, s.path+"/"+pathID(id), nil)
}

// Collection is a resource the API lists, reads, creates and updates:
// customers, articles, orders, invoice drafts and quotes.
type Collection[T any] struct{ ReadService[T] }

func newCollection[T any](c *Client, path string) Collection[T] {
	return Collection[T]{ReadService[T]{c, path}}
}

// Create creates a record and returns it as the server stored it (with its
// Id and the values the server computes).
func (s *Collection[T]) Create(ctx context.Context, v *T) (*T, error) {
	return send[T](ctx, s.c, http.MethodPost, s.path, nil, v)
}

// Update reads the record, lets mutate change it and writes it back. PUT
// replaces the whole record, so the properties T does not model are sent
// back exactly as they were read.
func (s *Collection[T]) Update(ctx context.Context, id string, mutate func(*T) error) (*T, error) {
	return update(ctx, s.c, s.path+"/"+pathID(id), mutate)
}

// remove deletes a record, for the services whose resource can be deleted.
func (s *Collection[T]) remove(ctx context.Context, id string) error {
	return s.c.do(ctx, http.MethodDelete, s.path+"/"+pathID(id), nil, nil, nil)
}

// VATCode is a VAT code (VatCodeApi). Sales documents take their VAT from
// the article coding; VAT codes matter for vouchers.
type VATCode struct {
	ID          string `json:"Id"`
	Code        string `json:"Code"`
	Description string `json:"Description"`
	// VatRate is a percentage.
	VatRate Number `json:"VatRate"`
	// OssCodeType is 0 None, 1 Sales, 2 Vat.
	OssCodeType int `json:"OssCodeType"`
}

// TermsOfPayment is a payment term (TermsOfPaymentApi).
type TermsOfPayment struct {
	ID           string `json:"Id"`
	Name         string `json:"Name"`
	NameEnglish  string `json:"NameEnglish"`
	NumberOfDays int    `json:"NumberOfDays"`
	// TermsOfPaymentTypeID is 0 Normal, 1 CurrentMonth, 2 Cash,
	// 3 CardPayment, 4 DigitalWallet, 5 PaymentServiceProvider.
	TermsOfPaymentTypeID int  `json:"TermsOfPaymentTypeId"`
	AvailableForSales    bool `json:"AvailableForSales"`
	AvailableForPurchase bool `json:"AvailableForPurchase"`
}

// Unit is a unit of measure (UnitApi).
type Unit struct {
	ID                  string `json:"Id"`
	Name                string `json:"Name"`
	Code                string `json:"Code"`
	Abbreviation        string `json:"Abbreviation"`
	AbbreviationEnglish string `json:"AbbreviationEnglish"`
}

// DeliveryMethod is a delivery method (DeliveryMethodApi). Customers refer
// to it by id; orders and drafts carry its name and code.
type DeliveryMethod struct {
	ID          string `json:"Id,omitempty"`
	Name        string `json:"Name"`
	NameEnglish string `json:"NameEnglish,omitempty"`
	Code        string `json:"Code,omitempty"`
}

// DeliveryTerm is a delivery term (DeliveryTermApi).
type DeliveryTerm struct {
	ID          string `json:"Id,omitempty"`
	Name        string `json:"Name"`
	NameEnglish string `json:"NameEnglish,omitempty"`
	Code        string `json:"Code,omitempty"`
	Editable    bool   `json:"Editable"`
}

// Country is a country (CountryApi) with its EU membership.
type Country struct {
	Code        string `json:"Code"`
	Name        string `json:"Name"`
	NameEnglish string `json:"NameEnglish"`
	IsEuMember  bool   `json:"IsEuMember"`
}

// CompanySettings are the settings of the company the token is bound to
// (CompanySettingsApi); the struct models what a sync needs.
type CompanySettings struct {
	Name string `json:"Name"`
	// CountryCode is the company's country: sales to it are domestic.
	CountryCode string `json:"CountryCode"`
	// CurrencyCode is the company's (base) currency.
	CurrencyCode string `json:"CurrencyCode"`
	// TermsOfPaymentID is the company's default payment term.
	TermsOfPaymentID string `json:"TermsOfPaymentId"`
	// ShowPricesExclVatPC decides, with a private customer, whether sales
	// documents carry prices including VAT (see IncludesVAT).
	ShowPricesExclVatPC bool `json:"ShowPricesExclVatPC"`
	// UsesMoss says the company sells under the EU one-stop shop (OSS).
	UsesMoss bool `json:"UsesMoss"`
}

// CompanySettingsService is /companysettings.
type CompanySettingsService struct{ c *Client }

// Get returns the company settings.
func (s *CompanySettingsService) Get(ctx context.Context) (*CompanySettings, error) {
	return get[CompanySettings](ctx, s.c, "companysettings", nil)
}
