package eaccounting

import (
	"context"
)

// Quote is a quote (QuoteApi). Its references are named differently from
// orders and invoices (CustomerReference is "your reference",
// CompanyReference "our reference"); BuyersOrderReference is the same.
// Addresses, currency and status are read-only and come from the customer.
type Quote struct {
	ID                   string `json:"Id,omitempty"`
	Number               *int   `json:"Number,omitempty"`
	QuoteDate            Date   `json:"QuoteDate,omitzero"`
	DueDate              Date   `json:"DueDate,omitzero"`
	DeliveryDate         Date   `json:"DeliveryDate,omitzero"`
	CustomerID           string `json:"CustomerId"`
	CustomerReference    string `json:"CustomerReference,omitempty"`
	CompanyReference     string `json:"CompanyReference,omitempty"`
	BuyersOrderReference string `json:"BuyersOrderReference,omitempty"`
	EuThirdParty         bool   `json:"EuThirdParty"`
	// RotReducedInvoicingType is 0 Normal, 1 Rot, 2 Rut.
	RotReducedInvoicingType int `json:"RotReducedInvoicingType"`

	// The following are read-only. Status is 0 Draft, 1 Ongoing,
	// 2 Approved, 3 Invoiced, 4 OrderCreated.
	Status int `json:"Status,omitempty"`
	DocumentCustomer
	CurrencyCode string `json:"CurrencyCode,omitempty"`
	IncludesVat  bool   `json:"IncludesVat,omitempty"`
	TotalAmount  Number `json:"TotalAmount,omitzero"`
	VatAmount    Number `json:"VatAmount,omitzero"`
	InvoiceAddress
	DeliveryAddress
	CreatedUtc  Time `json:"CreatedUtc,omitzero"`
	ModifiedUtc Time `json:"ModifiedUtc,omitzero"`

	Rows []QuoteRow `json:"Rows"`
}

// QuoteRow is a row of a quote (QuoteRowApi).
type QuoteRow struct {
	Row
	IsVatFree bool `json:"IsVatFree"`
	// IsTextRow and LineNumber are read-only: a row without ArticleID is a
	// text row.
	IsTextRow  bool `json:"IsTextRow,omitempty"`
	LineNumber int  `json:"LineNumber,omitempty"`
}

// QuotesService is /quotes: List, Get, Create and Update come from
// Collection.
type QuotesService struct{ Collection[Quote] }

// FindByRef returns the quote whose external reference (RefField) is ref,
// or nil.
func (s *QuotesService) FindByRef(ctx context.Context, ref string) (*Quote, error) {
	return findByRef[Quote](ctx, s.c, s.path, ref)
}

// Delete deletes a quote.
func (s *QuotesService) Delete(ctx context.Context, id string) error { return s.remove(ctx, id) }

func (q *Quote) externalRef() string { return q.BuyersOrderReference }
