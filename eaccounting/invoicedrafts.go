package eaccounting

import (
	"context"
	"net/http"
)

// InvoiceDraft is a customer invoice draft (CustomerInvoiceDraftApi): an
// invoice not yet booked. Its currency and invoice postal address come from
// the customer.
type InvoiceDraft struct {
	ID              string `json:"Id,omitempty"`
	CustomerID      string `json:"CustomerId"`
	IsCreditInvoice bool   `json:"IsCreditInvoice"`
	InvoiceDate     Date   `json:"InvoiceDate,omitzero"`
	DueDate         Date   `json:"DueDate,omitzero"`
	DeliveryDate    Date   `json:"DeliveryDate,omitzero"`
	// RotReducedInvoicingType is 0 Normal, 1 Rot, 2 Rut.
	RotReducedInvoicingType int    `json:"RotReducedInvoicingType"`
	EuThirdParty            bool   `json:"EuThirdParty"`
	YourReference           string `json:"YourReference,omitempty"`
	OurReference            string `json:"OurReference,omitempty"`
	BuyersOrderReference    string `json:"BuyersOrderReference,omitempty"`
	// Of the invoice address only InvoiceAddress1 and InvoiceAddress2 are
	// writable (empty means the customer's); InvoiceCurrencyCode is
	// read-only too.
	InvoiceAddress
	InvoiceCurrencyCode string `json:"InvoiceCurrencyCode,omitempty"`
	// Empty delivery address fields default to the customer's.
	DeliveryAddress
	DeliveryMethodName string `json:"DeliveryMethodName,omitempty"`
	DeliveryMethodCode string `json:"DeliveryMethodCode,omitempty"`
	DeliveryTermName   string `json:"DeliveryTermName,omitempty"`
	DeliveryTermCode   string `json:"DeliveryTermCode,omitempty"`
	TermsOfPaymentID   string `json:"TermsOfPaymentId,omitempty"`
	DocumentCustomer
	IncludesVat    bool   `json:"IncludesVat,omitempty"`
	TotalAmount    Number `json:"TotalAmount,omitzero"`
	TotalVatAmount Number `json:"TotalVatAmount,omitzero"`
	TotalRoundings Number `json:"TotalRoundings,omitzero"`
	CreatedUtc     Time   `json:"CreatedUtc,omitzero"`

	Rows []InvoiceDraftRow `json:"Rows"`
}

// InvoiceDraftRow is a row of a draft (CustomerInvoiceDraftRowApi).
// LineNumber follows the order of the rows in the JSON.
type InvoiceDraftRow struct {
	Row
	IsTextRow                           bool `json:"IsTextRow"`
	ReversedConstructionServicesVatFree bool `json:"ReversedConstructionServicesVatFree"`
}

// InvoiceDraftsService is /customerinvoicedrafts: List, Get, Create and
// Update come from Collection.
type InvoiceDraftsService struct{ Collection[InvoiceDraft] }

// FindByRef returns the draft whose external reference (RefField) is ref,
// or nil.
func (s *InvoiceDraftsService) FindByRef(ctx context.Context, ref string) (*InvoiceDraft, error) {
	return findByRef[InvoiceDraft](ctx, s.c, s.path, ref)
}

// Delete deletes a draft.
func (s *InvoiceDraftsService) Delete(ctx context.Context, id string) error { return s.remove(ctx, id) }

// Convert books the draft as a customer invoice and returns the invoice; the
// draft is gone afterwards.
func (s *InvoiceDraftsService) Convert(ctx context.Context, id string) (*Invoice, error) {
	return send[Invoice](ctx, s.c, http.MethodPost, s.path+"/"+pathID(id)+"/convert", nil, nil)
}

func (d *InvoiceDraft) externalRef() string { return d.BuyersOrderReference }
