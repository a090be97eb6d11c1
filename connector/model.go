package connector

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// OrderStatus is the canonical status of an order. Each system maps its own
// status codes onto these values; the vendor's value stays in
// [Order.RawStatus].
type OrderStatus string

// Canonical order statuses.
const (
	StatusNew             OrderStatus = "new"
	StatusAwaitingPayment OrderStatus = "awaiting_payment"
	StatusProcessing      OrderStatus = "processing"
	StatusOnHold          OrderStatus = "on_hold"
	StatusReadyForPickup  OrderStatus = "ready_for_pickup"
	StatusShipped         OrderStatus = "shipped"
	StatusDelivered       OrderStatus = "delivered"
	StatusCompleted       OrderStatus = "completed"
	StatusCancelled       OrderStatus = "cancelled"
	StatusRefunded        OrderStatus = "refunded"
)

// Statuses lists every canonical order status.
var Statuses = []OrderStatus{
	StatusNew, StatusAwaitingPayment, StatusProcessing, StatusOnHold, StatusReadyForPickup,
	StatusShipped, StatusDelivered, StatusCompleted, StatusCancelled, StatusRefunded,
}

// Valid reports whether s is one of the canonical statuses.
func (s OrderStatus) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// OrderKind says what document an [OrderSink] creates from an order.
type OrderKind string

// Document kinds an order can be written as.
const (
	KindOrder   OrderKind = "order"
	KindInvoice OrderKind = "invoice"
	KindQuote   OrderKind = "quote"
	KindDraft   OrderKind = "draft"
)

// Valid reports whether k is a known kind.
func (k OrderKind) Valid() bool {
	switch k {
	case KindOrder, KindInvoice, KindQuote, KindDraft:
		return true
	}
	return false
}

// Address is a postal address. Country is an ISO 3166-1 alpha-2 code such as
// "NL". Street, HouseNumber and HouseNumberSuffix are kept apart because
// several systems (CCV Shop, MplusKASSA) store them apart; a system that keeps
// one line fills Street only.
type Address struct {
	CompanyName       string `json:"company_name,omitempty"`
	FirstName         string `json:"first_name,omitempty"`
	LastName          string `json:"last_name,omitempty"`
	Street            string `json:"street,omitempty"`
	HouseNumber       string `json:"house_number,omitempty"`
	HouseNumberSuffix string `json:"house_number_suffix,omitempty"`
	Street2           string `json:"street2,omitempty"`
	PostalCode        string `json:"postal_code,omitempty"`
	City              string `json:"city,omitempty"`
	Region            string `json:"region,omitempty"`
	Country           string `json:"country,omitempty"`
	Phone             string `json:"phone,omitempty"`
}

// IsZero reports whether no field of the address is set.
func (a Address) IsZero() bool { return a == Address{} }

// StreetLine joins street, house number and suffix as written in the
// Netherlands and Germany: "Hoofdstraat 12a", "Hauptstraße 5 b".
func (a Address) StreetLine() string {
	s := a.Street
	if a.HouseNumber != "" {
		s = strings.TrimSpace(s + " " + a.HouseNumber)
	}
	if a.HouseNumberSuffix != "" {
		sep := ""
		if len(a.HouseNumberSuffix) > 1 || !isLetter(a.HouseNumberSuffix[0]) {
			sep = " "
		}
		if a.HouseNumberSuffix[0] == '-' {
			sep = ""
		}
		s += sep + a.HouseNumberSuffix
	}
	return s
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// Customer is a debtor, relation or shop user. A customer with a company name
// is a company; the person's names are then its contact.
type Customer struct {
	// ID is the customer's identifier in the system the record belongs to.
	ID string `json:"id,omitempty"`
	// Number is the customer number shown to users, where the system has one.
	Number          string    `json:"number,omitempty"`
	Email           string    `json:"email,omitempty"`
	CompanyName     string    `json:"company_name,omitempty"`
	FirstName       string    `json:"first_name,omitempty"`
	LastName        string    `json:"last_name,omitempty"`
	Phone           string    `json:"phone,omitempty"`
	VATNumber       string    `json:"vat_number,omitempty"`
	CoCNumber       string    `json:"coc_number,omitempty"`
	BillingAddress  Address   `json:"billing_address"`
	ShippingAddress Address   `json:"shipping_address"`
	Currency        string    `json:"currency,omitempty"`
	PaymentTerms    string    `json:"payment_terms,omitempty"`
	TaxCode         string    `json:"tax_code,omitempty"`
	RevenueAccount  string    `json:"revenue_account,omitempty"`
	Active          bool      `json:"active"`
	UpdatedAt       time.Time `json:"updated_at"`
	// Cursor is the record's position in its source's change stream where
	// the source has one (see [OrderQuery.Cursor]).
	Cursor string `json:"cursor,omitempty"`
	// CustomFields carries values the canonical model has no field for.
	CustomFields map[string]string `json:"custom_fields,omitempty"`
}

// IsCompany reports whether the customer is a company: it has a company name.
func (c Customer) IsCompany() bool { return strings.TrimSpace(c.CompanyName) != "" }

// FullName is the person's first and last name joined by a space.
func (c Customer) FullName() string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// DisplayName is the company name for a company and the full name otherwise,
// falling back to the e-mail address.
func (c Customer) DisplayName() string {
	switch {
	case c.IsCompany():
		return strings.TrimSpace(c.CompanyName)
	case c.FullName() != "":
		return c.FullName()
	}
	return c.Email
}

// Discount is an order-level discount such as a coupon.
type Discount struct {
	Code        string          `json:"code,omitempty"`
	Description string          `json:"description,omitempty"`
	Amount      decimal.Decimal `json:"amount"`
}

// Totals are an order's sums as the source system reported them.
type Totals struct {
	Subtotal decimal.Decimal `json:"subtotal"`
	Shipping decimal.Decimal `json:"shipping"`
	Discount decimal.Decimal `json:"discount"`
	Tax      decimal.Decimal `json:"tax"`
	Total    decimal.Decimal `json:"total"`
}

// AttributeValue is one chosen option of a variant, e.g. Size = "M".
type AttributeValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// OrderLine is one row of an order.
type OrderLine struct {
	// ID is the row's identifier in the system the record belongs to.
	ID string `json:"id,omitempty"`
	// ProductID is the product's identifier in the system the record belongs
	// to; a flow fills it with the sink's product before creating an order.
	ProductID string          `json:"product_id,omitempty"`
	SKU       string          `json:"sku"`
	Name      string          `json:"name,omitempty"`
	Quantity  decimal.Decimal `json:"quantity"`
	// UnitPrice includes tax when the order's PricesIncludeTax is set.
	UnitPrice decimal.Decimal `json:"unit_price"`
	// TaxRate is a percentage: 21 means 21 %.
	TaxRate decimal.Decimal `json:"tax_rate"`
	// Discount is the discount on the whole line, in the order's currency.
	Discount decimal.Decimal `json:"discount"`
	// Total is the line total after discount, as the source reported it.
	Total          decimal.Decimal  `json:"total"`
	Attributes     []AttributeValue `json:"attributes,omitempty"`
	TaxCode        string           `json:"tax_code,omitempty"`
	RevenueAccount string           `json:"revenue_account,omitempty"`
	Unit           string           `json:"unit,omitempty"`
}

// Order is a sales order, invoice, quote or draft in canonical form.
type Order struct {
	// ID is the order's identifier in the system the record belongs to.
	ID string `json:"id,omitempty"`
	// Number is the order number shown to people.
	Number string `json:"number,omitempty"`
	// ExternalRef is the reference of the order in the other system of a
	// pair. Flows set it to the source order's number (or ID) before writing,
	// and sinks find orders by it to skip what was already synced.
	ExternalRef string      `json:"external_ref,omitempty"`
	Status      OrderStatus `json:"status,omitempty"`
	// RawStatus is the vendor's own status value, unchanged.
	RawStatus        string          `json:"raw_status,omitempty"`
	Paid             bool            `json:"paid"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
	Currency         string          `json:"currency,omitempty"`
	PricesIncludeTax bool            `json:"prices_include_tax"`
	Customer         Customer        `json:"customer"`
	BillingAddress   Address         `json:"billing_address"`
	ShippingAddress  Address         `json:"shipping_address"`
	Lines            []OrderLine     `json:"lines"`
	ShippingMethod   string          `json:"shipping_method,omitempty"`
	ShippingCost     decimal.Decimal `json:"shipping_cost"`
	ShippingTaxRate  decimal.Decimal `json:"shipping_tax_rate"`
	PaymentMethod    string          `json:"payment_method,omitempty"`
	PaymentTerms     string          `json:"payment_terms,omitempty"`
	Discounts        []Discount      `json:"discounts,omitempty"`
	Totals           Totals          `json:"totals"`
	Notes            string          `json:"notes,omitempty"`
	// Cursor is the record's position in its source's change stream where
	// the source has one (see [OrderQuery.Cursor]).
	Cursor       string            `json:"cursor,omitempty"`
	CustomFields map[string]string `json:"custom_fields,omitempty"`
}

// Ref is the order's best human identifier: its number, else its ID.
func (o Order) Ref() string {
	if o.Number != "" {
		return o.Number
	}
	return o.ID
}

// ProductType says how a product is composed.
type ProductType string

// Product types.
const (
	// ProductSimple is a product sold as is.
	ProductSimple ProductType = "simple"
	// ProductConfigurable is a product sold through its variants, which differ
	// in the values of the product's attributes (size, colour).
	ProductConfigurable ProductType = "configurable"
	// ProductGrouped is a set of simple products shown together.
	ProductGrouped ProductType = "grouped"
)

// Attribute is a variant axis of a configurable product with its values.
type Attribute struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// Feature is a descriptive property of a product, e.g. Material = "wool".
type Feature struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Category is a product category. Path holds the names from the root down to
// and including this category.
type Category struct {
	ID       string   `json:"id,omitempty"`
	Name     string   `json:"name"`
	ParentID string   `json:"parent_id,omitempty"`
	Path     []string `json:"path,omitempty"`
}

// Image is a product image, by URL, by content, or both.
type Image struct {
	ID   string `json:"id,omitempty"`
	URL  string `json:"url,omitempty"`
	Alt  string `json:"alt,omitempty"`
	Main bool   `json:"main"`
	// Data is the image's content where the source delivers it.
	Data []byte `json:"data,omitempty"`
}

// Variant is one sellable variant of a configurable product.
type Variant struct {
	ID  string `json:"id,omitempty"`
	SKU string `json:"sku"`
	EAN string `json:"ean,omitempty"`
	// Price is the variant's own price; when not Valid the variant sells at
	// the parent product's price.
	Price      decimal.NullDecimal `json:"price"`
	Attributes []AttributeValue    `json:"attributes"`
	Active     bool                `json:"active"`
	Stock      *StockLevel         `json:"stock,omitempty"`
}

// Product is an article in canonical form.
type Product struct {
	// ID is the product's identifier in the system the record belongs to.
	ID               string `json:"id,omitempty"`
	SKU              string `json:"sku"`
	Name             string `json:"name"`
	ShortDescription string `json:"short_description,omitempty"`
	Description      string `json:"description,omitempty"`
	// Price is the selling price of one unit.
	Price            decimal.Decimal `json:"price"`
	PriceIncludesTax bool            `json:"price_includes_tax"`
	CostPrice        decimal.Decimal `json:"cost_price"`
	// TaxRate is a percentage: 21 means 21 %.
	TaxRate  decimal.Decimal `json:"tax_rate"`
	EAN      string          `json:"ean,omitempty"`
	Currency string          `json:"currency,omitempty"`
	Unit     string          `json:"unit,omitempty"`
	Type     ProductType     `json:"type,omitempty"`
	Variants []Variant       `json:"variants,omitempty"`
	// Attributes are the variant axes of a configurable product.
	Attributes []Attribute `json:"attributes,omitempty"`
	Features   []Feature   `json:"features,omitempty"`
	Categories []Category  `json:"categories,omitempty"`
	Images     []Image     `json:"images,omitempty"`
	// GroupedSKUs are the SKUs of the members of a grouped product.
	GroupedSKUs    []string    `json:"grouped_skus,omitempty"`
	Active         bool        `json:"active"`
	Stock          *StockLevel `json:"stock,omitempty"`
	TaxCode        string      `json:"tax_code,omitempty"`
	RevenueAccount string      `json:"revenue_account,omitempty"`
	UpdatedAt      time.Time   `json:"updated_at"`
	// Cursor is the record's position in its source's change stream where
	// the source has one (see [OrderQuery.Cursor]).
	Cursor       string            `json:"cursor,omitempty"`
	CustomFields map[string]string `json:"custom_fields,omitempty"`
}

// StockLevel is the stock of one SKU at one location.
type StockLevel struct {
	SKU string `json:"sku"`
	// ProductID is the identifier of the product or variant holding the stock
	// in the system the record belongs to, where the system needs it.
	ProductID string `json:"product_id,omitempty"`
	// OnHand is the physical stock.
	OnHand decimal.Decimal `json:"on_hand"`
	// Reserved is the quantity promised to open orders.
	Reserved decimal.Decimal `json:"reserved"`
	// Available is what can still be sold. Systems that report it set it;
	// [StockLevel.Normalize] derives it as OnHand − Reserved otherwise.
	Available decimal.Decimal `json:"available"`
	// Managed says whether the system tracks stock for the SKU at all.
	Managed   bool      `json:"managed"`
	Location  string    `json:"location,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Normalize returns the level with Available derived as OnHand − Reserved
// when the system did not report Available itself (it is zero while OnHand or
// Reserved are not).
func (s StockLevel) Normalize() StockLevel {
	if s.Available.IsZero() && !(s.OnHand.IsZero() && s.Reserved.IsZero()) {
		s.Available = s.OnHand.Sub(s.Reserved)
	}
	return s
}
