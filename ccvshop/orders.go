package ccvshop

import (
	"context"
	"iter"
	"net/url"
	"time"
)

// Order is an order as GET /orders/ and GET /orders/{id}/ return it.
// Unfinished orders (baskets, checkouts) have IsCompleted false and no
// order or invoice number.
type Order struct {
	Href              string `json:"href"`
	ID                Int    `json:"id"`
	OrdernumberPrefix string `json:"ordernumber_prefix"`
	Ordernumber       Int    `json:"ordernumber"`
	// OrdernumberFull is prefix, "-" and number as the shop shows it.
	OrdernumberFull string `json:"ordernumber_full"`
	Invoicenumber   Int    `json:"invoicenumber"`
	TransactionID   string `json:"transaction_id"`
	// CreateDate is ISO-8601 UTC, e.g. "2022-11-07T21:51:00Z".
	CreateDate string `json:"create_date"`
	// DeliverMethod is "shipping", "deliver" or "pickup".
	DeliverMethod  string      `json:"deliver_method"`
	DeliverDate    string      `json:"deliver_date"`
	TakeOutWindow  *TimeWindow `json:"take_out_window,omitempty"`
	IsPlatformSale bool        `json:"is_platform_sale"`
	Orderedinlng   string      `json:"orderedinlng"`
	// Status is the status code 1–14 (see StatusNew ...).
	Status                Int    `json:"status"`
	IsCompleted           bool   `json:"is_completed"`
	BasketHref            string `json:"basket_href,omitempty"`
	CheckoutHref          string `json:"checkout_href,omitempty"`
	Paid                  bool   `json:"paid"`
	SafetyDepositReturned bool   `json:"safety_deposit_returned"`
	PaymethodID           Int    `json:"paymethod_id"`
	// Paymethod is the payment method's combined name, e.g. "BankTransfer".
	Paymethod      string `json:"paymethod"`
	PaymethodLabel string `json:"paymethod_label"`
	TaxesIncluded  bool   `json:"taxes_included"`
	// OrderRowTaxesIncluded says whether row prices include VAT.
	OrderRowTaxesIncluded bool   `json:"order_row_taxes_included"`
	ShippingTaxesIncluded bool   `json:"shipping_taxes_included"`
	ShippingTaxPercentage Number `json:"shipping_tax_percentage"`
	IsIntraCommunityOrder bool   `json:"is_intra_community_order"`
	TotalOrderrowPrice    Number `json:"total_orderrow_price"`
	TotalShipping         Number `json:"total_shipping"`
	TotalDiscounts        Number `json:"total_discounts"`
	TotalPrice            Number `json:"total_price"`
	TotalTax              Number `json:"total_tax"`
	// TotalWeight is in kg.
	TotalWeight                   Number `json:"total_weight"`
	Currency                      string `json:"currency"`
	ExtraPaymentOption            string `json:"extra_payment_option"`
	ExtraPaymentOptionPrice       Number `json:"extra_payment_option_price"`
	ExtraPaymentOptionNoSentprice bool   `json:"extra_payment_option_no_sentprice"`
	ExtraPaymentOptionPayOnPickup bool   `json:"extra_payment_option_pay_on_pickup"`
	// ExtraPrice is deprecated: PaymethodCosts + CreditPointDiscount.
	ExtraPrice            Number `json:"extra_price"`
	PaymethodCosts        Number `json:"paymethod_costs"`
	CreditPointDiscount   Number `json:"credit_point_discount"`
	ExtraCosts            Number `json:"extra_costs"`
	ExtraCostsDescription string `json:"extra_costs_description"`
	TrackAndTraceCode     string `json:"track_and_trace_code"`
	TrackAndTraceCarrier  string `json:"track_and_trace_carrier"`
	TrackAndTraceDeeplink string `json:"track_and_trace_deeplink"`
	// Reservationnumber is where tradelink keeps the external reference of
	// orders it writes (see ExternalRefField).
	Reservationnumber      string          `json:"reservationnumber"`
	DeliveryOption         string          `json:"delivery_option"`
	User                   OrderUser       `json:"user"`
	Discountcoupon         *Discountcoupon `json:"discountcoupon,omitempty"`
	Customer               *PersonalInfo   `json:"customer,omitempty"`
	PickupAddress          *PickupAddress  `json:"pickup_address,omitempty"`
	PackingSlipDeeplink    string          `json:"packing_slip_deeplink"`
	Orderrows              *Link           `json:"orderrows,omitempty"`
	Ordernotes             *Link           `json:"ordernotes,omitempty"`
	Ordermessages          *Link           `json:"ordermessages,omitempty"`
	Ordernotifications     *Link           `json:"ordernotifications,omitempty"`
	Orderaffiliatenetworks *Link           `json:"orderaffiliatenetworks,omitempty"`
	Orderlabels            *Link           `json:"orderlabels,omitempty"`
	Invoices               *Link           `json:"invoices,omitempty"`
	Terminalreceipts       *Link           `json:"terminalreceipts,omitempty"`
	// Fiscaltransactionsignatures links the CCV SalesPOS fiscal signatures.
	Fiscaltransactionsignatures *Link `json:"fiscaltransactionsignatures,omitempty"`
}

// TimeWindow is a take-out window; both ends are null unless take-out.
type TimeWindow struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// OrderUser links an order to its user; ID is zero for guest orders (real
// payloads send it as a string, which Int accepts).
type OrderUser struct {
	ID                 Int    `json:"id"`
	DiscountPercentage Number `json:"discount_percentage"`
	Href               string `json:"href,omitempty"`
}

// Discountcoupon is the coupon applied to an order.
type Discountcoupon struct {
	Code              string `json:"code"`
	Discount          Number `json:"discount"`
	Type              string `json:"type"`
	Enddate           string `json:"enddate"`
	Onetimeuse        bool   `json:"onetimeuse"`
	Givesfreeshipping bool   `json:"givesfreeshipping"`
	Minimumprice      Number `json:"minimumprice"`
}

// OrderInput is the body of POST /orders/. Customer and Orderrows are
// required; the customer object may be sparse.
type OrderInput struct {
	// UserID links a user; its data is copied and overridden by Customer.
	UserID    Int             `json:"user_id,omitempty"`
	Customer  *PersonalInfo   `json:"customer"`
	Orderrows []OrderRowInput `json:"orderrows"`
	Status    Int             `json:"status,omitempty"`
	Paid      *bool           `json:"paid,omitempty"`
	// IsCompleted false creates an unfinished order (basket/checkout links).
	IsCompleted   *bool `json:"is_completed,omitempty"`
	Invoicenumber Int   `json:"invoicenumber,omitempty"`
	// TotalShipping omitted lets the shop calculate it; 0 is free shipping.
	TotalShipping         *Number `json:"total_shipping,omitempty"`
	PaymethodCosts        *Number `json:"paymethod_costs,omitempty"`
	ExtraCosts            *Number `json:"extra_costs,omitempty"`
	ExtraCostsDescription string  `json:"extra_costs_description,omitempty"`
	TaxesIncluded         *bool   `json:"taxes_included,omitempty"`
	OrderRowTaxesIncluded *bool   `json:"order_row_taxes_included,omitempty"`
	ShippingTaxesIncluded *bool   `json:"shipping_taxes_included,omitempty"`
	IsIntraCommunityOrder *bool   `json:"is_intra_community_order,omitempty"`
	IsPlatformSale        *bool   `json:"is_platform_sale,omitempty"`
	Currency              string  `json:"currency,omitempty"`
	Orderedinlng          string  `json:"orderedinlng,omitempty"`
	TrackAndTraceCode     string  `json:"track_and_trace_code,omitempty"`
	TrackAndTraceCarrier  string  `json:"track_and_trace_carrier,omitempty"`
	DeliverDate           string  `json:"deliver_date,omitempty"`
	DeliverMethod         string  `json:"deliver_method,omitempty"`
	Reservationnumber     string  `json:"reservationnumber,omitempty"`
}

// OrderPatch is the body of PATCH /orders/{id}/: every field optional.
type OrderPatch struct {
	Status                Int             `json:"status,omitempty"`
	Paid                  *bool           `json:"paid,omitempty"`
	Invoicenumber         Int             `json:"invoicenumber,omitempty"`
	TotalShipping         *Number         `json:"total_shipping,omitempty"`
	PaymethodCosts        *Number         `json:"paymethod_costs,omitempty"`
	ExtraCosts            *Number         `json:"extra_costs,omitempty"`
	ExtraCostsDescription string          `json:"extra_costs_description,omitempty"`
	TaxesIncluded         *bool           `json:"taxes_included,omitempty"`
	OrderRowTaxesIncluded *bool           `json:"order_row_taxes_included,omitempty"`
	ShippingTaxesIncluded *bool           `json:"shipping_taxes_included,omitempty"`
	IsIntraCommunityOrder *bool           `json:"is_intra_community_order,omitempty"`
	Currency              string          `json:"currency,omitempty"`
	TrackAndTraceCode     string          `json:"track_and_trace_code,omitempty"`
	TrackAndTraceCarrier  string          `json:"track_and_trace_carrier,omitempty"`
	DeliverDate           string          `json:"deliver_date,omitempty"`
	DeliverMethod         string          `json:"deliver_method,omitempty"`
	Reservationnumber     string          `json:"reservationnumber,omitempty"`
	Customer              *PersonalInfo   `json:"customer,omitempty"`
	Orderrows             []OrderRowInput `json:"orderrows,omitempty"`
	// Note is appended to the status e-mail when Mail is set.
	Note string `json:"note,omitempty"`
	// Mail true e-mails the customer about the status change.
	Mail *bool `json:"mail,omitempty"`
}

// OrderListOptions are the filters, sort and page of GET /orders/.
type OrderListOptions struct {
	Paging
	Ordernumber int64
	Status      int
	IsPaid      *bool
	// MinCreateDate and MaxCreateDate filter on the creation day
	// (sent as YYYY-MM-DD).
	MinCreateDate, MaxCreateDate time.Time
	DeliverDate, TakeOutDate     time.Time
	// IsCompleted false lists unfinished orders; nil keeps the platform's
	// default, true (completed orders only).
	IsCompleted   *bool
	PaymethodID   int64
	TransactionID string
	// OrderBy is id, ordernumber, create_date or deliver_date, with "_desc"
	// for descending order.
	OrderBy string
}

func (o *OrderListOptions) query() (url.Values, Paging) {
	q := url.Values{}
	if o == nil {
		return q, Paging{}
	}
	setInt(q, "ordernumber", o.Ordernumber)
	setInt(q, "status", int64(o.Status))
	setBool(q, "is_paid", o.IsPaid)
	setDate(q, "min_create_date", o.MinCreateDate)
	setDate(q, "max_create_date", o.MaxCreateDate)
	setDate(q, "deliver_date", o.DeliverDate)
	setDate(q, "take_out_date", o.TakeOutDate)
	setBool(q, "is_completed", o.IsCompleted)
	setInt(q, "paymethod_id", o.PaymethodID)
	setStr(q, "transaction_id", o.TransactionID)
	setStr(q, "orderby", o.OrderBy)
	return q, o.Paging
}

// OrdersService reads and writes orders.
type OrdersService struct{ service }

// List returns one page of orders.
func (s *OrdersService) List(ctx context.Context, opts *OrderListOptions) (*Collection[Order], error) {
	q, p := opts.query()
	return listPage[Order](ctx, s.service, "orders/", q, p)
}

// All streams every matching order, page by page.
func (s *OrdersService) All(ctx context.Context, opts *OrderListOptions) iter.Seq2[Order, error] {
	q, p := opts.query()
	return listAll[Order](ctx, s.service, "orders/", q, p)
}

// Get returns one order.
func (s *OrdersService) Get(ctx context.Context, id int64) (*Order, error) {
	return getOne[Order](ctx, s.service, idPath("orders", id), nil)
}

// Create creates an order and returns it.
func (s *OrdersService) Create(ctx context.Context, in *OrderInput) (*Order, error) {
	return create[Order](ctx, s.service, "orders/", in)
}

// Update patches an order. Orderrows in the patch replace all rows and
// recalculate the totals.
func (s *OrdersService) Update(ctx context.Context, id int64, p *OrderPatch) error {
	idem := p.Mail == nil || !*p.Mail // a status e-mail must not be sent twice
	return s.api.Patch(ctx, idPath("orders", id), p, idem)
}

// UpdateStatus sets an order's status code. mail e-mails the customer about
// the change with note appended.
func (s *OrdersService) UpdateStatus(ctx context.Context, id int64, status int, mail bool, note string) error {
	p := &OrderPatch{Status: Int(status), Note: note}
	if mail {
		p.Mail = Bool(true)
	}
	return s.Update(ctx, id, p)
}
