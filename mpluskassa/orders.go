package mpluskassa

import (
	"context"
	"fmt"
	"iter"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// Order is a web or back-office sales order (Order), a subset of the
// schema's fields in schema order. OrderID is required by the schema: empty
// for a new order. Amounts of type xsd:long are cents.
type Order struct {
	OrderID                   string        `xml:"orderId"`
	ExtOrderID                *string       `xml:"extOrderId,omitempty"`
	InvoiceIDs                *IdList       `xml:"invoiceIds,omitempty"`
	ExtInvoiceIDs             *IdList       `xml:"extInvoiceIds,omitempty"`
	TransactionString         *string       `xml:"transactionString,omitempty"`
	SyncMarker                *int64        `xml:"syncMarker,omitempty"`
	OrderType                 *string       `xml:"orderType,omitempty"`
	EntryBranchNumber         *int          `xml:"entryBranchNumber,omitempty"`
	EntryExtBranchID          *string       `xml:"entryExtBranchId,omitempty"`
	EmployeeNumber            *int64        `xml:"employeeNumber,omitempty"`
	EmployeeName              *string       `xml:"employeeName,omitempty"`
	EntryTimestamp            *DateTime     `xml:"entryTimestamp,omitempty"`
	RelationNumber            *int64        `xml:"relationNumber,omitempty"`
	RelationName              *string       `xml:"relationName,omitempty"`
	RelationCategoryID        *int          `xml:"relationCategoryId,omitempty"`
	RelationBankAccountNumber *string       `xml:"relationBankAccountNumber,omitempty"`
	RelationVatNumber         *string       `xml:"relationVatNumber,omitempty"`
	DeliveryAddress           *Address      `xml:"deliveryAddress,omitempty"`
	InvoiceAddress            *Address      `xml:"invoiceAddress,omitempty"`
	FinancialDate             *Date         `xml:"financialDate,omitempty"`
	FinancialBranchNumber     *int          `xml:"financialBranchNumber,omitempty"`
	FinancialExtBranchID      *string       `xml:"financialExtBranchId,omitempty"`
	WorkplaceNumber           *int          `xml:"workplaceNumber,omitempty"`
	Reference                 *string       `xml:"reference,omitempty"`
	ActivityID                *string       `xml:"activityId,omitempty"`
	TotalInclAmount           *int64        `xml:"totalInclAmount,omitempty"`
	TotalExclAmount           *int64        `xml:"totalExclAmount,omitempty"`
	VatMethod                 *string       `xml:"vatMethod,omitempty"`
	VatGroupList              *VatGroupList `xml:"vatGroupList,omitempty"`
	DeliveryMethod            *string       `xml:"deliveryMethod,omitempty"`
	DeliveryDate              *Date         `xml:"deliveryDate,omitempty"`
	DeliveryPeriodBegin       *DateTime     `xml:"deliveryPeriodBegin,omitempty"`
	DeliveryPeriodEnd         *DateTime     `xml:"deliveryPeriodEnd,omitempty"`
	PaymentMethod             *string       `xml:"paymentMethod,omitempty"`
	ChangeCounter             *int          `xml:"changeCounter,omitempty"`
	VersionNumber             *int          `xml:"versionNumber,omitempty"`
	PrepaidAmount             *int64        `xml:"prepaidAmount,omitempty"`
	FullyPaid                 *bool         `xml:"fullyPaid,omitempty"`
	DeliveryState             *string       `xml:"deliveryState,omitempty"`
	CancelState               *string       `xml:"cancelState,omitempty"`
	CompleteState             *string       `xml:"completeState,omitempty"`
	OrderNumber               *YearNumber   `xml:"orderNumber,omitempty"`
	OrderBarcode              *string       `xml:"orderBarcode,omitempty"`
	OrderCategoryNumber       *int          `xml:"orderCategoryNumber,omitempty"`
	OrderCategoryDescription  *string       `xml:"orderCategoryDescription,omitempty"`
	OnDeliveryURL             *string       `xml:"onDeliveryUrl,omitempty"`
	OnInvoiceURL              *string       `xml:"onInvoiceUrl,omitempty"`
	LineList                  *LineList     `xml:"lineList,omitempty"`
	PaymentList               *PaymentList  `xml:"paymentList,omitempty"`
	VatCountryCode            *int          `xml:"vatCountryCode,omitempty"`
	VatCountryIso3            *string       `xml:"vatCountryIso3,omitempty"`
}

// Lines returns the order's lines.
func (o Order) Lines() []Line {
	if o.LineList == nil {
		return nil
	}
	return o.LineList.Line
}

// Payments returns the order's payments.
func (o Order) Payments() []Payment {
	if o.PaymentList == nil {
		return nil
	}
	return o.PaymentList.Payment
}

// OrderNumberString formats an order number as the server's orderString
// does ("2025-000042").
//
// UNCONFIRMED: the format is taken from the vendor's example; it is used only
// to show a read order's number to people.
func OrderNumberString(n YearNumber) string { return fmt.Sprintf("%d-%06d", n.Year, n.Number) }

// LineList is an order's list of lines (LineList).
type LineList struct {
	Line []Line `xml:"line"`
}

// Line is one order line (Line). ArticleNumber is required and must exist.
type Line struct {
	LineID                 *string   `xml:"lineId,omitempty"`
	EmployeeNumber         *int64    `xml:"employeeNumber,omitempty"`
	ArticleNumber          int64     `xml:"articleNumber"`
	PluNumber              *string   `xml:"pluNumber,omitempty"`
	Text                   *string   `xml:"text,omitempty"`
	SupplierRelationNumber *int64    `xml:"supplierRelationNumber,omitempty"`
	SupplierRelationName   *string   `xml:"supplierRelationName,omitempty"`
	SupplierArticleNumber  *string   `xml:"supplierArticleNumber,omitempty"`
	Data                   *LineData `xml:"data,omitempty"`
	CourseNumber           *int      `xml:"courseNumber,omitempty"`
	LineType               *string   `xml:"lineType,omitempty"`
	SequenceNumber         *int      `xml:"sequenceNumber,omitempty"`
	LineKind               *string   `xml:"lineKind,omitempty"`
}

// LineData holds a line's quantity and money (LineData). Quantity is
// required and scaled by DecimalPlaces; prices and amounts are cents except
// AveragePurchasePrice (xsd:decimal, euros).
type LineData struct {
	Quantity                   int64            `xml:"quantity"`
	DecimalPlaces              *int             `xml:"decimalPlaces,omitempty"`
	DeliveredQuantity          *int64           `xml:"deliveredQuantity,omitempty"`
	DeliveredDecimalPlaces     *int             `xml:"deliveredDecimalPlaces,omitempty"`
	CancelledQuantity          *int64           `xml:"cancelledQuantity,omitempty"`
	CancelledDecimalPlaces     *int             `xml:"cancelledDecimalPlaces,omitempty"`
	Price                      *int64           `xml:"price,omitempty"`
	PriceExcl                  *int64           `xml:"priceExcl,omitempty"`
	OriginalPrice              *int64           `xml:"originalPrice,omitempty"`
	OriginalPriceExcl          *int64           `xml:"originalPriceExcl,omitempty"`
	PurchasePrice              *int64           `xml:"purchasePrice,omitempty"`
	AveragePurchasePrice       *decimal.Decimal `xml:"averagePurchasePrice,omitempty"`
	TurnoverGroup              *int             `xml:"turnoverGroup,omitempty"`
	TurnoverGroupName          *string          `xml:"turnoverGroupName,omitempty"`
	TurnoverGroupType          *string          `xml:"turnoverGroupType,omitempty"`
	TurnoverGroupAccountNumber *int             `xml:"turnoverGroupAccountNumber,omitempty"`
	TurnoverGroupCostCenter    *string          `xml:"turnoverGroupCostCenter,omitempty"`
	VatCode                    *int             `xml:"vatCode,omitempty"`
	VatPercentage              *int64           `xml:"vatPercentage,omitempty"`
	SiUnit                     *string          `xml:"siUnit,omitempty"`
	DiscountType               *string          `xml:"discountType,omitempty"`
	DiscountPercentage         *int             `xml:"discountPercentage,omitempty"`
	DiscountAmount             *int64           `xml:"discountAmount,omitempty"`
	DiscountAmountExcl         *int64           `xml:"discountAmountExcl,omitempty"`
	TotalInclAmount            *int64           `xml:"totalInclAmount,omitempty"`
	TotalExclAmount            *int64           `xml:"totalExclAmount,omitempty"`
	PriceType                  *string          `xml:"priceType,omitempty"`
}

// QuantityDecimal is the line's quantity as a decimal.
func (d LineData) QuantityDecimal() (decimal.Decimal, error) {
	return FromScaled(d.Quantity, d.DecimalPlaces)
}

// PaymentList is a list of payments (PaymentList).
type PaymentList struct {
	Payment []Payment `xml:"payment"`
}

// Payment is one payment (Payment): Method is a PaymentMethod.method code
// and Amount is in cents; both are required.
type Payment struct {
	PaymentID         *string   `xml:"paymentId,omitempty"`
	FinancialDate     *Date     `xml:"financialDate,omitempty"`
	EntryTimestamp    *DateTime `xml:"entryTimestamp,omitempty"`
	BranchNumber      *int      `xml:"branchNumber,omitempty"`
	ExtBranchID       *string   `xml:"extBranchId,omitempty"`
	WorkplaceNumber   *int      `xml:"workplaceNumber,omitempty"`
	EmployeeNumber    *int64    `xml:"employeeNumber,omitempty"`
	EmployeeName      *string   `xml:"employeeName,omitempty"`
	Method            string    `xml:"method"`
	Description       *string   `xml:"description,omitempty"`
	Amount            int64     `xml:"amount"`
	PaymentMethodType *string   `xml:"paymentMethodType,omitempty"`
	AccountNumber     *int      `xml:"accountNumber,omitempty"`
}

// Order enumerations used by the adapter.
const (
	OrderTypeSalesOrder = "ORDER-TYPE-SALES-ORDER"

	VatMethodInclusive = "VAT-METHOD-INCLUSIVE"
	VatMethodExclusive = "VAT-METHOD-EXCLUSIVE"

	DeliveryStateNothing  = "ORDER-DELIVERY-STATE-NOTHING"
	DeliveryStatePartial  = "ORDER-DELIVERY-STATE-PARTIAL"
	DeliveryStateComplete = "ORDER-DELIVERY-STATE-COMPLETE"
	CancelStateNothing    = "ORDER-CANCEL-STATE-NOTHING"
	CancelStatePartial    = "ORDER-CANCEL-STATE-PARTIAL"
	CancelStateComplete   = "ORDER-CANCEL-STATE-COMPLETE"
	CompleteStateNothing  = "ORDER-COMPLETE-STATE-NOTHING"
	CompleteStateComplete = "ORDER-COMPLETE-STATE-COMPLETE"

	DiscountTypeExternal = "DISCOUNT-TYPE-EXTERNAL-DISCOUNT"
)

// Order result codes.
const (
	GetOrderOK                   = "GET-ORDER-RESULT-OK"
	GetOrderNotFound             = "GET-ORDER-RESULT-NOT-FOUND"
	CreateOrderOK                = "CREATE-ORDER-RESULT-OK"
	CreateOrderExtOrderIDExists  = "CREATE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-EXISTS"
	CreateOrderFailed            = "CREATE-ORDER-RESULT-FAILED"
	CreateOrderPaymentFailed     = "CREATE-ORDER-RESULT-PAYMENT-FAILED"
	SaveOrderOK                  = "SAVE-ORDER-RESULT-OK"
	SaveOrderNotFound            = "SAVE-ORDER-RESULT-NOT-FOUND"
	SaveOrderHasChanged          = "SAVE-ORDER-RESULT-ORDER-HAS-CHANGED"
	SaveOrderNoChanges           = "SAVE-ORDER-RESULT-NO-CHANGES"
	SaveOrderFailed              = "SAVE-ORDER-RESULT-FAILED"
	SaveOrderExtOrderIDExists    = "SAVE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-EXISTS"
	CancelOrderOK                = "CANCEL-ORDER-RESULT-OK"
	CancelOrderNotFound          = "CANCEL-ORDER-RESULT-NOT-FOUND"
	CancelOrderAlreadyCancelled  = "CANCEL-ORDER-RESULT-ALREADY-CANCELLED"
	CancelOrderFailed            = "CANCEL-ORDER-RESULT-FAILED"
	DeliverOrderOK               = "DELIVER-ORDER-RESULT-OK"
	DeliverOrderAlreadyDelivered = "DELIVER-ORDER-RESULT-ALREADY-DELIVERED"
	DeliverOrderFailed           = "DELIVER-ORDER-RESULT-FAILED"
	IdempotencyOriginalResponse  = "IDEMPOTENCY-RESULT-ORIGINAL-RESPONSE"
	IdempotencyReplayResponse    = "IDEMPOTENCY-RESULT-REPLAY-RESPONSE"
)

// GetOrdersRequest selects orders (GetOrdersRequest). ArticlePluNumbers and
// ArticleBarcodes are required by the schema and always written, empty when
// not filtering.
type GetOrdersRequest struct {
	SyncMarker            *int64         `xml:"syncMarker,omitempty"`
	SyncMarkerLimit       *int           `xml:"syncMarkerLimit,omitempty"`
	FromFinancialDate     *Date          `xml:"fromFinancialDate,omitempty"`
	ThroughFinancialDate  *Date          `xml:"throughFinancialDate,omitempty"`
	BranchNumbers         []int          `xml:"branchNumbers,omitempty"`
	EmployeeNumbers       []int64        `xml:"employeeNumbers,omitempty"`
	RelationNumbers       []int64        `xml:"relationNumbers,omitempty"`
	SupplierRelationNums  []int64        `xml:"supplierRelationNumbers,omitempty"`
	ArticleNumbers        []int64        `xml:"articleNumbers,omitempty"`
	ArticleTurnoverGroups []int          `xml:"articleTurnoverGroups,omitempty"`
	ArticlePluNumbers     TextList       `xml:"articlePluNumbers"`
	ArticleBarcodes       TextList       `xml:"articleBarcodes"`
	ActivityID            *string        `xml:"activityId,omitempty"`
	OrderTypeList         *OrderTypeList `xml:"orderTypeList,omitempty"`
	OrderIDs              []string       `xml:"orderIds,omitempty"`
	OrderNumbers          []YearNumber   `xml:"orderNumbers,omitempty"`
	// IncludeLineList false asks for headers only, which is much faster.
	IncludeLineList *bool `xml:"includeLineList,omitempty"`
}

// OrderTypeList is a list of order types (OrderTypeList).
type OrderTypeList struct {
	OrderType []string `xml:"orderType"`
}

// GetOrdersResponse is the answer to getOrders.
type GetOrdersResponse struct {
	OrderList OrderList `xml:"orderList"`
}

// OrderList is a list of orders (OrderList).
type OrderList struct {
	Order []Order `xml:"order"`
}

// GetOrderResponse is the answer to getOrder and findOrder.
type GetOrderResponse struct {
	Result string `xml:"result"`
	Order  *Order `xml:"order,omitempty"`
}

// CreateOrderInfo identifies a created or saved order (CreateOrderInfo,
// SaveOrderInfo).
type CreateOrderInfo struct {
	OrderID     string `xml:"orderId"`
	OrderString string `xml:"orderString"`
	OrderQueued *bool  `xml:"orderQueued,omitempty"`
}

// CreateOrderResponse is the answer to createOrder. ErrorMessage is always
// present, empty on success.
type CreateOrderResponse struct {
	Result       string          `xml:"result"`
	Info         CreateOrderInfo `xml:"info"`
	ErrorMessage string          `xml:"errorMessage"`
}

// CreateOrderV3Request is createOrderV3's request: an order with an
// idempotency key. Repeating a request with the same key returns the stored
// answer instead of creating the order again.
type CreateOrderV3Request struct {
	IdempotencyKey              string       `xml:"idempotencyKey"`
	Order                       Order        `xml:"order"`
	ApplySalesAndActions        *bool        `xml:"applySalesAndActions,omitempty"`
	ApplySalesPrices            *bool        `xml:"applySalesPrices,omitempty"`
	ApplyPriceGroups            *bool        `xml:"applyPriceGroups,omitempty"`
	ScannedVoucherIssuanceCodes []string     `xml:"scannedVoucherIssuanceCodes,omitempty"`
	Prepay                      *bool        `xml:"prepay,omitempty"`
	PaymentList                 *PaymentList `xml:"paymentList,omitempty"`
}

// CreateOrderV3Response is the answer to createOrderV3; IdempotencyResult
// says whether it is the original answer or a replay.
type CreateOrderV3Response struct {
	IdempotencyResult string          `xml:"idempotencyResult"`
	Result            string          `xml:"result"`
	Order             *Order          `xml:"order,omitempty"`
	ErrorMessage      *string         `xml:"errorMessage,omitempty"`
	Info              CreateOrderInfo `xml:"info"`
	PayResult         *string         `xml:"payResult,omitempty"`
	InvoiceID         *string         `xml:"invoiceId,omitempty"`
}

// SaveOrderResponse is the answer to saveOrder.
type SaveOrderResponse struct {
	Result       string          `xml:"result"`
	Info         CreateOrderInfo `xml:"info"`
	ErrorMessage string          `xml:"errorMessage"`
}

// CancelOrderResponse is the answer to cancelOrder.
type CancelOrderResponse struct {
	Result  string `xml:"result"`
	Message string `xml:"message"`
}

// DeliverOrderResponse is the answer to deliverOrder.
type DeliverOrderResponse struct {
	Result        string  `xml:"result"`
	PackingSlipID *string `xml:"packingSlipId,omitempty"`
	InvoiceID     *string `xml:"invoiceId,omitempty"`
	ErrorMessage  string  `xml:"errorMessage"`
}

var (
	opGetOrders     = operation{name: "getOrders", response: "GetOrdersResponse", idempotent: true}
	opGetOrder      = operation{name: "getOrder", response: "GetOrderResponse", idempotent: true}
	opFindOrder     = operation{name: "findOrder", response: "GetOrderResponse", idempotent: true}
	opCreateOrder   = operation{name: "createOrder", response: "CreateOrderResponse", idempotent: false}
	opCreateOrderV3 = operation{name: "createOrderV3", response: "CreateOrderV3Response", idempotent: true} // idempotency key
	opSaveOrder     = operation{name: "saveOrder", response: "SaveOrderResponse", idempotent: false, ok: []string{SaveOrderNoChanges}}
	opCancelOrder   = operation{name: "cancelOrder", response: "CancelOrderResponse", idempotent: false}
	opDeliverOrder  = operation{name: "deliverOrder", response: "DeliverOrderResponse", idempotent: false}
)

type getOrdersIn struct {
	Request GetOrdersRequest `xml:"request"`
}

type getOrderIn struct {
	OrderID string `xml:"orderId"`
}

type findOrderIn struct {
	ExtOrderID string `xml:"extOrderId"`
}

type orderIn struct {
	Order Order `xml:"order"`
}

type createOrderV3In struct {
	Request CreateOrderV3Request `xml:"request"`
}

type cancelOrderIn struct {
	OrderID string `xml:"orderId"`
}

type deliverOrderIn struct {
	Request struct {
		OrderID      string  `xml:"orderId"`
		TurnoverType *string `xml:"turnoverType,omitempty"`
	} `xml:"request"`
}

// OrdersService calls the order operations.
type OrdersService struct{ c *Client }

// GetOrders calls getOrders: one page of orders matching req.
func (s *OrdersService) GetOrders(ctx context.Context, req GetOrdersRequest) ([]Order, error) {
	return list(ctx, s.c, opGetOrders, getOrdersIn{req}, func(r *GetOrdersResponse) []Order { return r.OrderList.Order })
}

// All streams every order matching req by sync marker, from req.SyncMarker
// (inclusive; nil means from the start), in pages of req.SyncMarkerLimit
// (nil means [DefaultSyncMarkerLimit]). Pages are fetched lazily.
func (s *OrdersService) All(ctx context.Context, req GetOrdersRequest) iter.Seq2[Order, error] {
	return pages(ctx, "order", req, s.GetOrders, func(o Order) *int64 { return o.SyncMarker })
}

// GetOrder calls getOrder: the order with this internal id.
// GET-ORDER-RESULT-NOT-FOUND matches connector.ErrNotFound.
func (s *OrdersService) GetOrder(ctx context.Context, orderID string) (*Order, error) {
	out, err := do[GetOrderResponse](ctx, s.c, opGetOrder, getOrderIn{orderID})
	if err != nil {
		return nil, err
	}
	return found(opGetOrder, out.Result, out.Order)
}

// FindOrder calls findOrder: the order with this extOrderId (your own
// reference). GET-ORDER-RESULT-NOT-FOUND matches connector.ErrNotFound.
func (s *OrdersService) FindOrder(ctx context.Context, extOrderID string) (*Order, error) {
	out, err := do[GetOrderResponse](ctx, s.c, opFindOrder, findOrderIn{extOrderID})
	if err != nil {
		return nil, err
	}
	return found(opFindOrder, out.Result, out.Order)
}

// CreateOrder calls createOrder. The order must carry an employee number
// and a relation, have lines with explicit decimalPlaces, and an empty
// OrderID. createOrder has no idempotency key, so it is never repeated after
// an ambiguous failure: that gives a connector.OutcomeUnknownError, after
// which find the order by its extOrderId. Prefer [OrdersService.CreateOrderV3].
// CREATE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-EXISTS is a *connector.APIError
// with that code.
func (s *OrdersService) CreateOrder(ctx context.Context, o Order) (*CreateOrderResponse, error) {
	if err := o.validate(true); err != nil {
		return nil, err
	}
	return do[CreateOrderResponse](ctx, s.c, opCreateOrder, orderIn{o})
}

// CreateOrderV3 calls createOrderV3, which carries an idempotency key: the
// request is retried after network errors and Server faults, and a replay
// returns the stored answer instead of a second order. Use a key that is
// unique per order you mean to create.
func (s *OrdersService) CreateOrderV3(ctx context.Context, req CreateOrderV3Request) (*CreateOrderV3Response, error) {
	if req.IdempotencyKey == "" {
		return nil, &connector.ValidationError{Record: "createOrderV3 request", Field: "idempotencyKey", Reason: "is required"}
	}
	if err := req.Order.validate(true); err != nil {
		return nil, err
	}
	return do[CreateOrderV3Response](ctx, s.c, opCreateOrderV3, createOrderV3In{req})
}

// SaveOrder calls saveOrder: creates the order when OrderID is empty,
// otherwise updates it (send the current changeCounter and versionNumber;
// SAVE-ORDER-RESULT-ORDER-HAS-CHANGED means someone changed it first).
// SAVE-ORDER-RESULT-NO-CHANGES counts as success.
func (s *OrdersService) SaveOrder(ctx context.Context, o Order) (*SaveOrderResponse, error) {
	if err := o.validate(false); err != nil {
		return nil, err
	}
	return do[SaveOrderResponse](ctx, s.c, opSaveOrder, orderIn{o})
}

// CancelOrder calls cancelOrder for the order with this internal id.
// CANCEL-ORDER-RESULT-NOT-FOUND matches connector.ErrNotFound;
// ALREADY-CANCELLED is an error with that code.
func (s *OrdersService) CancelOrder(ctx context.Context, orderID string) (*CancelOrderResponse, error) {
	return do[CancelOrderResponse](ctx, s.c, opCancelOrder, cancelOrderIn{orderID})
}

// DeliverOrder calls deliverOrder: marks the order shipped, creating a
// packing slip. ALREADY-DELIVERED is an error with that code.
func (s *OrdersService) DeliverOrder(ctx context.Context, orderID string) (*DeliverOrderResponse, error) {
	var in deliverOrderIn
	in.Request.OrderID = orderID
	return do[DeliverOrderResponse](ctx, s.c, opDeliverOrder, in)
}

func (r *GetOrderResponse) resultOf() (string, string)      { return r.Result, "" }
func (r *CreateOrderResponse) resultOf() (string, string)   { return r.Result, r.ErrorMessage }
func (r *CreateOrderV3Response) resultOf() (string, string) { return r.Result, val(r.ErrorMessage) }
func (r *SaveOrderResponse) resultOf() (string, string)     { return r.Result, r.ErrorMessage }
func (r *CancelOrderResponse) resultOf() (string, string)   { return r.Result, r.Message }
func (r *DeliverOrderResponse) resultOf() (string, string)  { return r.Result, r.ErrorMessage }
