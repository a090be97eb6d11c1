package ccvshop

import (
	"context"
	"iter"
	"net/url"
	"time"
)

// Invoice is an invoice of an order.
type Invoice struct {
	Href                string `json:"href"`
	ID                  Int    `json:"id"`
	InvoicenumberPrefix string `json:"invoicenumber_prefix"`
	Invoicenumber       Int    `json:"invoicenumber"`
	InvoicenumberFull   string `json:"invoicenumber_full"`
	OrdernumberPrefix   string `json:"ordernumber_prefix"`
	Ordernumber         Int    `json:"ordernumber"`
	OrdernumberFull     string `json:"ordernumber_full"`
	CreateDate          string `json:"create_date"`
	// Status is paid, unpaid or reimbursed.
	Status     string `json:"status"`
	StatusName string `json:"status_name"`
	// Type is debit or credit.
	Type                    string `json:"type"`
	PaymentLinkSent         bool   `json:"payment_link_sent"`
	TaxesIncluded           bool   `json:"taxes_included"`
	InvoiceRowTaxesIncluded bool   `json:"invoice_row_taxes_included"`
	IsIntraCommunityOrder   bool   `json:"is_intra_community_order"`
	ShippingTaxesIncluded   bool   `json:"shipping_taxes_included"`
	ShippingTaxPercentage   Number `json:"shipping_tax_percentage"`
	TotalShipping           Number `json:"total_shipping"`
	TotalDiscounts          Number `json:"total_discounts"`
	TotalPriceIncTax        Number `json:"total_price_inc_tax"`
	TotalPriceExcTax        Number `json:"total_price_exc_tax"`
	TotalPrice              Number `json:"total_price"`
	TotalTax                Number `json:"total_tax"`
	Currency                string `json:"currency"`
	ExtraPaymentOption      string `json:"extra_payment_option"`
	ExtraPaymentOptionPrice Number `json:"extra_payment_option_price"`
	PaymethodCosts          Number `json:"paymethod_costs"`
	CreditPointDiscount     Number `json:"credit_point_discount"`
	ExtraCosts              Number `json:"extra_costs"`
	ExtraCostsDescription   string `json:"extra_costs_description"`
	ExternalReference       string `json:"external_reference"`
	// Deeplink is the invoice PDF.
	Deeplink             string          `json:"deeplink"`
	DownloadLink         string          `json:"download_link,omitempty"`
	User                 OrderUser       `json:"user"`
	Customer             *PersonalInfo   `json:"customer,omitempty"`
	Discountcoupon       *Discountcoupon `json:"discountcoupon,omitempty"`
	Order                *Link           `json:"order,omitempty"`
	Invoicerows          *Link           `json:"invoicerows,omitempty"`
	Invoicenotifications *Link           `json:"invoicenotifications,omitempty"`
}

// InvoiceRow is a row of an invoice: an order row plus its invoice and a
// link to the order row.
type InvoiceRow struct {
	OrderRow
	InvoiceID Int   `json:"invoice_id"`
	Orderrow  *Link `json:"orderrow,omitempty"`
}

// InvoiceInput is the body of POST /orders/{id}/invoices/ (which invoices
// the difference between the order and its latest invoice) and of PATCH
// /invoices/{id}/, which accepts only these fields.
type InvoiceInput struct {
	// Status is paid, unpaid or reimbursed.
	Status            string `json:"status,omitempty"`
	PaymentLinkSent   *bool  `json:"payment_link_sent,omitempty"`
	ExternalReference string `json:"external_reference,omitempty"`
}

// InvoiceListOptions are the filters, sort and page of GET /invoices/.
type InvoiceListOptions struct {
	Paging
	Invoicenumber     int64
	InvoicenumberFull string
	Ordernumber       int64
	OrdernumberFull   string
	// Status is paid, unpaid or reimbursed.
	Status                       string
	MinCreateDate, MaxCreateDate time.Time
	// OrderBy is id, invoicenumber, invoicenumber_full, ordernumber,
	// ordernumber_full, status, total_price or create_date, with "_desc".
	OrderBy string
}

func (o *InvoiceListOptions) query() (url.Values, Paging) {
	q := url.Values{}
	if o == nil {
		return q, Paging{}
	}
	setInt(q, "invoicenumber", o.Invoicenumber)
	setStr(q, "invoicenumber_full", o.InvoicenumberFull)
	setInt(q, "ordernumber", o.Ordernumber)
	setStr(q, "ordernumber_full", o.OrdernumberFull)
	setStr(q, "status", o.Status)
	setDate(q, "min_create_date", o.MinCreateDate)
	setDate(q, "max_create_date", o.MaxCreateDate)
	setStr(q, "orderby", o.OrderBy)
	return q, o.Paging
}

// InvoicesService reads and writes invoices.
type InvoicesService struct{ service }

// List returns one page of invoices.
func (s *InvoicesService) List(ctx context.Context, opts *InvoiceListOptions) (*Collection[Invoice], error) {
	q, p := opts.query()
	return listPage[Invoice](ctx, s.service, "invoices/", q, p)
}

// All streams every matching invoice.
func (s *InvoicesService) All(ctx context.Context, opts *InvoiceListOptions) iter.Seq2[Invoice, error] {
	q, p := opts.query()
	return listAll[Invoice](ctx, s.service, "invoices/", q, p)
}

// ListByOrder returns one page of an order's invoices.
func (s *InvoicesService) ListByOrder(ctx context.Context, orderID int64, p Paging) (*Collection[Invoice], error) {
	return listPage[Invoice](ctx, s.service, idPath("orders", orderID, "invoices"), nil, p)
}

// Get returns one invoice.
func (s *InvoicesService) Get(ctx context.Context, id int64) (*Invoice, error) {
	return getOne[Invoice](ctx, s.service, idPath("invoices", id), nil)
}

// Create invoices the part of an order not invoiced yet.
func (s *InvoicesService) Create(ctx context.Context, orderID int64, in *InvoiceInput) (*Invoice, error) {
	if in == nil {
		in = &InvoiceInput{}
	}
	return create[Invoice](ctx, s.service, idPath("orders", orderID, "invoices"), in)
}

// Update sets an invoice's status, payment-link flag or external reference.
func (s *InvoicesService) Update(ctx context.Context, id int64, in *InvoiceInput) error {
	return s.api.Patch(ctx, idPath("invoices", id), in, true)
}

// Rows returns one page of an invoice's rows.
func (s *InvoicesService) Rows(ctx context.Context, invoiceID int64, p Paging) (*Collection[InvoiceRow], error) {
	return listPage[InvoiceRow](ctx, s.service, idPath("invoices", invoiceID, "invoicerows"), nil, p)
}

// Paymethod is a payment method of the shop.
type Paymethod struct {
	Href string `json:"href,omitempty"`
	// ID equals an order's PaymethodID.
	ID     Int    `json:"id"`
	Psp    string `json:"psp"`
	Method string `json:"method"`
	// CombinedName equals an order's Paymethod.
	CombinedName         string `json:"combined_name"`
	Label                string `json:"label"`
	ExtraCosts           bool   `json:"extra_costs"`
	ExtraCostsFixed      Number `json:"extra_costs_fixed"`
	ExtraCostsPercentage Number `json:"extra_costs_percentage"`
	// Apppsp and Apppsppaymethod are null unless an App PSP owns the method;
	// reading one you do not own answers HTTP 500.
	Apppsp          *Link `json:"apppsp,omitempty"`
	Apppsppaymethod *Link `json:"apppsppaymethod,omitempty"`
}

// PayMethodsService lists payment methods.
type PayMethodsService struct{ service }

// List returns one page of payment methods.
func (s *PayMethodsService) List(ctx context.Context, p Paging) (*Collection[Paymethod], error) {
	return listPage[Paymethod](ctx, s.service, "paymethods/", nil, p)
}

// All streams every payment method.
func (s *PayMethodsService) All(ctx context.Context) iter.Seq2[Paymethod, error] {
	return listAll[Paymethod](ctx, s.service, "paymethods/", nil, Paging{Size: 250})
}

// Package is a shipping-cost package; products and free order rows need
// one.
type Package struct {
	Href string `json:"href,omitempty"`
	ID   Int    `json:"id"`
	Name string `json:"name"`
}

// PackageInput is the body of POST /packages/ and PATCH /packages/{id}/.
type PackageInput struct {
	Name string `json:"name"`
}

// PackagesService reads and writes shipping packages.
type PackagesService struct{ service }

// List returns one page of packages.
func (s *PackagesService) List(ctx context.Context, p Paging) (*Collection[Package], error) {
	return listPage[Package](ctx, s.service, "packages/", nil, p)
}

// Get returns one package.
func (s *PackagesService) Get(ctx context.Context, id int64) (*Package, error) {
	return getOne[Package](ctx, s.service, idPath("packages", id), nil)
}

// Create creates a package.
func (s *PackagesService) Create(ctx context.Context, in *PackageInput) (*Package, error) {
	return create[Package](ctx, s.service, "packages/", in)
}

// Update renames a package.
func (s *PackagesService) Update(ctx context.Context, id int64, in *PackageInput) error {
	return s.api.Patch(ctx, idPath("packages", id), in, true)
}
