package eaccounting

import (
	"context"
	"net/url"
	"time"
)

// Invoice is a booked customer invoice (CustomerInvoiceApi), read-only
// here. Totals without suffix are in the company's currency; the
// …InvoiceCurrency ones in the invoice's.
type Invoice struct {
	ID            string `json:"Id,omitempty"`
	InvoiceNumber int    `json:"InvoiceNumber,omitempty"`
	InvoiceDate   Date   `json:"InvoiceDate,omitzero"`
	DueDate       Date   `json:"DueDate,omitzero"`
	CustomerID    string `json:"CustomerId"`
	DocumentCustomer
	CustomerEmail   string `json:"CustomerEmail,omitempty"`
	CurrencyCode    string `json:"CurrencyCode,omitempty"`
	IsCreditInvoice bool   `json:"IsCreditInvoice"`
	IncludesVat     bool   `json:"IncludesVat,omitempty"`

	TotalAmount                    Number `json:"TotalAmount,omitzero"`
	TotalVatAmount                 Number `json:"TotalVatAmount,omitzero"`
	TotalAmountInvoiceCurrency     Number `json:"TotalAmountInvoiceCurrency,omitzero"`
	TotalVatAmountInvoiceCurrency  Number `json:"TotalVatAmountInvoiceCurrency,omitzero"`
	RemainingAmountInvoiceCurrency Number `json:"RemainingAmountInvoiceCurrency,omitzero"`
	// PaymentStatus is 0 Paid, 1 Unpaid, 2 Overdue.
	PaymentStatus int `json:"PaymentStatus"`

	YourReference        string `json:"YourReference,omitempty"`
	OurReference         string `json:"OurReference,omitempty"`
	BuyersOrderReference string `json:"BuyersOrderReference,omitempty"`

	InvoiceAddress
	DeliveryAddress
	DeliveryMethodName string `json:"DeliveryMethodName,omitempty"`

	CreatedFromDraftID string `json:"CreatedFromDraftId,omitempty"`
	CreatedFromOrderID string `json:"CreatedFromOrderId,omitempty"`
	CreatedUtc         Time   `json:"CreatedUtc,omitzero"`
	ModifiedUtc        Time   `json:"ModifiedUtc,omitzero"`

	Rows []InvoiceRow `json:"Rows"`
}

// InvoiceRow is a row of an invoice (CustomerInvoiceRowApi). Invoice rows
// have no account: the revenue account comes from the article's coding.
type InvoiceRow struct {
	Row
	LineNumber  int    `json:"LineNumber"`
	IsTextRow   bool   `json:"IsTextRow"`
	IsVatFree   bool   `json:"IsVatFree"`
	AmountNoVat Number `json:"AmountNoVat,omitzero"`
}

// InvoicesService is /customerinvoices, read-only here (List and Get come
// from ReadService): the adapter books invoices by converting a draft (see
// InvoiceDraftsService.Convert).
type InvoicesService struct{ ReadService[Invoice] }

// ModifiedSince returns ListOptions selecting invoices changed at or after
// t, with the documented modifiedSinceUtc parameter.
func ModifiedSince(t time.Time) ListOptions {
	return ListOptions{Query: url.Values{"modifiedSinceUtc": {t.UTC().Format(time.RFC3339)}}}
}

// FindByRef returns the invoice whose external reference (RefField) is ref,
// or nil.
func (s *InvoicesService) FindByRef(ctx context.Context, ref string) (*Invoice, error) {
	return findByRef[Invoice](ctx, s.c, s.path, ref)
}

func (i *Invoice) externalRef() string { return i.BuyersOrderReference }
