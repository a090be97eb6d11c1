package eaccounting

import (
	"context"
	"net/http"
)

// Order statuses (OrderApi.Status).
const (
	OrderDraft    = 1
	OrderOngoing  = 2
	OrderShipped  = 3
	OrderInvoiced = 4
)

// Order is a sales order (OrderApi). Its total is Amount. Number is null
// until the server assigns it, so look orders up by Id or reference. Empty
// invoice and delivery address fields default to the customer's.
type Order struct {
	ID     string `json:"Id,omitempty"`
	Number *int   `json:"Number,omitempty"`
	// Status is OrderDraft, OrderOngoing, OrderShipped or OrderInvoiced.
	Status          int    `json:"Status"`
	OrderDate       Date   `json:"OrderDate,omitzero"`
	DeliveryDate    Date   `json:"DeliveryDate,omitzero"`
	ShippedDateTime Date   `json:"ShippedDateTime,omitzero"`
	CustomerID      string `json:"CustomerId"`
	// DocumentCustomer is read-only, taken from the customer.
	DocumentCustomer
	CurrencyCode string `json:"CurrencyCode"`
	// Amount, VatAmount and RoundingsAmount are computed by the server.
	Amount          Number `json:"Amount,omitzero"`
	VatAmount       Number `json:"VatAmount,omitzero"`
	RoundingsAmount Number `json:"RoundingsAmount,omitzero"`
	// IncludesVat (read-only) says the row unit prices include VAT.
	IncludesVat          bool   `json:"IncludesVat,omitempty"`
	YourReference        string `json:"YourReference,omitempty"`
	OurReference         string `json:"OurReference,omitempty"`
	BuyersOrderReference string `json:"BuyersOrderReference,omitempty"`
	InvoiceAddress
	DeliveryAddress
	// Orders name their delivery method and term; the ids are read-only.
	DeliveryMethodName string `json:"DeliveryMethodName,omitempty"`
	DeliveryMethodCode string `json:"DeliveryMethodCode,omitempty"`
	DeliveryTermName   string `json:"DeliveryTermName,omitempty"`
	DeliveryTermCode   string `json:"DeliveryTermCode,omitempty"`
	TermsOfPaymentID   string `json:"TermsOfPaymentId,omitempty"`
	// EuThirdParty marks an EU triangulation sale.
	EuThirdParty bool `json:"EuThirdParty"`
	// RotReducedInvoicingType is 0 Normal, 1 Rot, 2 Rut.
	RotReducedInvoicingType             int        `json:"RotReducedInvoicingType"`
	ReverseChargeOnConstructionServices bool       `json:"ReverseChargeOnConstructionServices"`
	Rows                                []OrderRow `json:"Rows"`
	CreatedUtc                          Time       `json:"CreatedUtc,omitzero"`
	ModifiedUtc                         Time       `json:"ModifiedUtc,omitzero"`
}

// OrderRow is a row of an order (OrderRowApi). A text row has no ArticleId
// and at least one character of Text.
type OrderRow struct {
	Row
	LineNumber                    int    `json:"LineNumber"`
	IsTextRow                     bool   `json:"IsTextRow"`
	DeliveredQuantity             Number `json:"DeliveredQuantity,omitzero"`
	IsWorkCost                    bool   `json:"IsWorkCost"`
	EligibleForReverseChargeOnVat bool   `json:"EligibleForReverseChargeOnVat"`
}

// OrdersService is /orders: List, Get, Create and Update come from
// Collection.
type OrdersService struct{ Collection[Order] }

// FindByRef returns the order whose external reference (RefField) is ref,
// or nil.
func (s *OrdersService) FindByRef(ctx context.Context, ref string) (*Order, error) {
	return findByRef[Order](ctx, s.c, s.path, ref)
}

// Delete deletes an order that is neither shipped nor invoiced.
func (s *OrdersService) Delete(ctx context.Context, id string) error { return s.remove(ctx, id) }

// Complete marks an ongoing order as completed (shipped today).
func (s *OrdersService) Complete(ctx context.Context, id string) (*Order, error) {
	return send[Order](ctx, s.c, http.MethodPost, s.path+"/"+pathID(id)+"/completed", nil, nil)
}

// Void reverts a shipped order to ongoing.
func (s *OrdersService) Void(ctx context.Context, id string) (*Order, error) {
	return send[Order](ctx, s.c, http.MethodPost, s.path+"/"+pathID(id)+"/voided", nil, nil)
}

func (o *Order) externalRef() string { return o.BuyersOrderReference }
