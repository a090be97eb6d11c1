package eaccounting

import (
	"context"
	"strings"
)

// Customer is a customer (CustomerApi). The struct models the properties a
// sync reads or writes; updates keep every other property (see
// CustomersService.Update). Read-only properties are filled by the server.
type Customer struct {
	ID             string `json:"Id,omitempty"`
	CustomerNumber string `json:"CustomerNumber,omitempty"`
	// Name is the company's or the person's name (max 50).
	Name string `json:"Name"`
	// IsPrivatePerson tells a person from a company.
	IsPrivatePerson         bool   `json:"IsPrivatePerson"`
	IsActive                bool   `json:"IsActive"`
	CorporateIdentityNumber string `json:"CorporateIdentityNumber,omitempty"`
	VatNumber               string `json:"VatNumber,omitempty"`
	// EmailAddress is the default address for invoices.
	EmailAddress      string `json:"EmailAddress,omitempty"`
	InvoiceAddress1   string `json:"InvoiceAddress1,omitempty"`
	InvoiceAddress2   string `json:"InvoiceAddress2,omitempty"`
	InvoicePostalCode string `json:"InvoicePostalCode"`
	InvoiceCity       string `json:"InvoiceCity"`
	// InvoiceCountryCode is an ISO 3166-1 alpha-2 code.
	InvoiceCountryCode string `json:"InvoiceCountryCode,omitempty"`
	DeliveryAddress
	// DeliveryBasedVat bases VAT (OSS) on the delivery address.
	DeliveryBasedVat  bool   `json:"DeliveryBasedVat"`
	ContactPersonName string `json:"ContactPersonName,omitempty"`
	Telephone         string `json:"Telephone,omitempty"`
	MobilePhone       string `json:"MobilePhone,omitempty"`
	// CurrencyCode defaults to the company's currency.
	CurrencyCode     string `json:"CurrencyCode,omitempty"`
	TermsOfPaymentID string `json:"TermsOfPaymentId"`
	// ReverseChargeOnConstructionServices marks a construction-sector
	// customer (Swedish reverse charge).
	ReverseChargeOnConstructionServices bool `json:"ReverseChargeOnConstructionServices"`
	// ForceBookkeepVat charges VAT to a customer outside the EU.
	ForceBookkeepVat bool `json:"ForceBookkeepVat"`
	ChangedUtc       Time `json:"ChangedUtc,omitzero"`
}

// CustomersService is /customers: List, Get, Create and Update come from
// Collection.
type CustomersService struct{ Collection[Customer] }

// Delete deletes a customer without transactions; deactivate others with
// IsActive = false.
func (s *CustomersService) Delete(ctx context.Context, id string) error { return s.remove(ctx, id) }

// FindByEmail returns the customer whose invoice e-mail address
// (EmailAddress) equals email ignoring case, or nil. It filters with
// `EmailAddress eq '…'` and compares the answer again, so a partial or
// case-sensitive server match cannot slip through.
func (s *CustomersService) FindByEmail(ctx context.Context, email string) (*Customer, error) {
	return first(ctx, s.c, "customers", "customers EmailAddress", EqString("EmailAddress", email), func(cu *Customer) bool {
		return strings.EqualFold(strings.TrimSpace(cu.EmailAddress), strings.TrimSpace(email))
	})
}

// FindByNumber returns the customer with this CustomerNumber, or nil.
func (s *CustomersService) FindByNumber(ctx context.Context, number string) (*Customer, error) {
	return first(ctx, s.c, "customers", "customers CustomerNumber", EqString("CustomerNumber", number), func(cu *Customer) bool {
		return cu.CustomerNumber == number
	})
}
