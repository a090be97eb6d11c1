package eaccounting

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// orderStatuses maps the order statuses of eAccounting to canonical ones.
var orderStatuses = map[int]connector.OrderStatus{
	OrderDraft:    connector.StatusNew,
	OrderOngoing:  connector.StatusProcessing,
	OrderShipped:  connector.StatusShipped,
	OrderInvoiced: connector.StatusCompleted,
}

// quoteStatuses maps quote statuses (0 Draft, 1 Ongoing, 2 Approved,
// 3 Invoiced, 4 OrderCreated) to canonical ones.
var quoteStatuses = map[int]connector.OrderStatus{
	0: connector.StatusNew, 1: connector.StatusAwaitingPayment, 2: connector.StatusProcessing,
	3: connector.StatusCompleted, 4: connector.StatusCompleted,
}

// Orders implements connector.OrderSource with eAccounting's sales orders:
// every order, or those modified at or after q.UpdatedSince (ModifiedUtc)
// with one of q.Statuses. Each order's customer is read once per stream,
// so Customer carries the e-mail address and the rest of the debtor.
func (cn *Connector) Orders(ctx context.Context, q connector.OrderQuery) iter.Seq2[connector.Order, error] {
	opts := ListOptions{PageSize: cn.pageSize(q.PageSize)}
	key := "orders"
	var fs []Filter
	if !q.UpdatedSince.IsZero() {
		fs = append(fs, Ge("ModifiedUtc", q.UpdatedSince))
		key += " ModifiedUtc"
	}
	var want map[int]bool
	if len(q.Statuses) > 0 {
		want = map[int]bool{}
		var or []Filter
		for _, s := range []int{OrderDraft, OrderOngoing, OrderShipped, OrderInvoiced} {
			if slices.Contains(q.Statuses, orderStatuses[s]) {
				want[s] = true
				or = append(or, EqInt("Status", s))
			}
		}
		if len(want) == 0 { // no eAccounting status maps to those asked for
			return func(func(connector.Order, error) bool) {}
		}
		fs = append(fs, Or(or...))
		key += " Status"
	}
	opts.Filter = And(fs...)
	match := func(o *Order) bool {
		return (q.UpdatedSince.IsZero() || changedSince(o.ModifiedUtc, q.UpdatedSince)) && (want == nil || want[o.Status])
	}
	return func(yield func(connector.Order, error) bool) {
		customers := map[string]*Customer{}
		for o, err := range filtered(ctx, cn.c, "orders", key, opts, match) {
			if err != nil {
				yield(connector.Order{}, err)
				return
			}
			v := o.view()
			co := v.canonical()
			cu, ok := customers[o.CustomerID]
			if !ok {
				cu, err = cn.c.Customers.Get(ctx, o.CustomerID)
				if err != nil && !errors.Is(err, connector.ErrNotFound) {
					yield(connector.Order{}, err)
					return
				}
				customers[o.CustomerID] = cu
			}
			if cu != nil {
				co.Customer = customerFromWire(cu)
			}
			if !yield(co, nil) {
				return
			}
		}
	}
}

// FindOrderByRef implements connector.OrderSink: the document of the kind
// whose RefField is ref exactly. KindOrder searches sales orders,
// KindDraft invoice drafts, KindInvoice booked customer invoices and
// KindQuote quotes.
func (cn *Connector) FindOrderByRef(ctx context.Context, kind connector.OrderKind, ref string) (connector.Order, error) {
	if ref == "" {
		return connector.Order{}, notFound("document with an empty reference")
	}
	var (
		v   *docView
		err error
	)
	switch kind {
	case connector.KindOrder:
		v, err = viewOf(cn.c.Orders.FindByRef(ctx, ref))
	case connector.KindDraft:
		v, err = viewOf(cn.c.InvoiceDrafts.FindByRef(ctx, ref))
	case connector.KindInvoice:
		v, err = viewOf(cn.c.Invoices.FindByRef(ctx, ref))
	case connector.KindQuote:
		v, err = viewOf(cn.c.Quotes.FindByRef(ctx, ref))
	default:
		return connector.Order{}, fmt.Errorf("%s: order kind %q: %w", SystemName, kind, connector.ErrUnsupported)
	}
	switch {
	case err != nil:
		return connector.Order{}, err
	case v == nil:
		return connector.Order{}, notFound(string(kind) + " with reference " + strconv.Quote(ref))
	}
	return v.canonical(), nil
}

// FindOrdersByRef implements connector.OrderRefFinder: one filtered list
// request per 20 references instead of one request each.
func (cn *Connector) FindOrdersByRef(ctx context.Context, kind connector.OrderKind, refs []string) (map[string]connector.Order, error) {
	var (
		views map[string]*docView
		err   error
	)
	switch kind {
	case connector.KindOrder:
		views, err = viewsOf(findByRefs[Order](ctx, cn.c, cn.c.Orders.path, refs))
	case connector.KindDraft:
		views, err = viewsOf(findByRefs[InvoiceDraft](ctx, cn.c, cn.c.InvoiceDrafts.path, refs))
	case connector.KindInvoice:
		views, err = viewsOf(findByRefs[Invoice](ctx, cn.c, cn.c.Invoices.path, refs))
	case connector.KindQuote:
		views, err = viewsOf(findByRefs[Quote](ctx, cn.c, cn.c.Quotes.path, refs))
	default:
		return nil, fmt.Errorf("%s: order kind %q: %w", SystemName, kind, connector.ErrUnsupported)
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]connector.Order, len(views))
	for ref, v := range views {
		out[ref] = v.canonical()
	}
	return out, nil
}

// viewsOf turns found documents into their views.
func viewsOf[T any, P interface {
	*T
	viewer
}](docs map[string]*T, err error) (map[string]*docView, error) {
	if err != nil {
		return nil, err
	}
	out := make(map[string]*docView, len(docs))
	for ref, d := range docs {
		out[ref] = P(d).view()
	}
	return out, nil
}

var _ connector.OrderRefFinder = (*Connector)(nil)

type viewer interface{ view() *docView }

// viewOf turns a found document (or nil) into its view.
func viewOf[T any, P interface {
	*T
	viewer
}](d *T, err error) (*docView, error) {
	if err != nil || d == nil {
		return nil, err
	}
	return P(d).view(), nil
}

// CreateOrder implements connector.OrderSink. o.Customer.ID must be the
// eAccounting customer. Each line's SKU is an article number; the article
// (its id, name and coding) is looked up once per Connector and cached, and
// a ProductID set on the line must be that article. The kinds:
//
//   - KindOrder: a sales order (status ConnectorConfig.OrderStatus);
//   - KindDraft: a customer invoice draft, to be checked and booked by a
//     person in eAccounting;
//   - KindInvoice: a booked customer invoice, made by creating a draft and
//     converting it. When a draft with the same reference is left over from
//     an earlier attempt that failed before converting, that draft is
//     converted instead of creating a second one;
//   - KindQuote: a quote.
//
// The reference goes into RefField. Line prices are converted to the
// document's VAT basis (IncludesVAT), and discounts to percentages.
func (cn *Connector) CreateOrder(ctx context.Context, kind connector.OrderKind, o connector.Order) (connector.Order, error) {
	if !kind.Valid() {
		return connector.Order{}, fmt.Errorf("%s: order kind %q: %w", SystemName, kind, connector.ErrUnsupported)
	}
	if err := o.Validate(); err != nil {
		return connector.Order{}, err
	}
	d, err := cn.resolve(ctx, kind, o)
	if err != nil {
		return connector.Order{}, err
	}
	var v *docView
	switch kind {
	case connector.KindOrder:
		v, err = viewOf(cn.c.Orders.Create(ctx, d.order(o, cn.cfg.OrderStatus)))
	case connector.KindQuote:
		v, err = viewOf(cn.c.Quotes.Create(ctx, d.quote(o)))
	case connector.KindDraft:
		v, err = viewOf(cn.c.InvoiceDrafts.Create(ctx, d.draft(o)))
	case connector.KindInvoice:
		var draft *InvoiceDraft
		if o.ExternalRef != "" {
			if draft, err = cn.c.InvoiceDrafts.FindByRef(ctx, o.ExternalRef); err != nil {
				return connector.Order{}, err
			}
		}
		if draft == nil {
			if draft, err = cn.c.InvoiceDrafts.Create(ctx, d.draft(o)); err != nil {
				return connector.Order{}, err
			}
		}
		if v, err = viewOf(cn.c.InvoiceDrafts.Convert(ctx, draft.ID)); err != nil {
			return connector.Order{}, fmt.Errorf("%s: order %q: book draft %s: %w", SystemName, o.Ref(), draft.ID, err)
		}
	}
	if err != nil {
		return connector.Order{}, err
	}
	return v.canonical(), nil
}

// SetOrderStatus implements connector.OrderStatusSink for sales orders.
// Shipped, delivered and completed mark an ongoing (or draft) order as
// completed (POST /orders/{id}/completed); processing reverts a shipped
// order to ongoing (/voided) and moves a draft to ongoing. Orders already
// in the asked state are left alone. Other statuses are not supported.
func (cn *Connector) SetOrderStatus(ctx context.Context, orderID string, status connector.OrderStatus) error {
	if !isGUID(orderID) {
		return notFound("order " + strconv.Quote(orderID))
	}
	o, err := cn.c.Orders.Get(ctx, orderID)
	if err != nil {
		return err
	}
	toOngoing := func() error {
		_, err := cn.c.Orders.Update(ctx, orderID, func(w *Order) error { w.Status = OrderOngoing; return nil })
		return err
	}
	switch status {
	case connector.StatusShipped, connector.StatusDelivered, connector.StatusCompleted:
		switch o.Status {
		case OrderDraft:
			if err := toOngoing(); err != nil {
				return err
			}
			fallthrough
		case OrderOngoing:
			_, err = cn.c.Orders.Complete(ctx, orderID)
		}
	case connector.StatusProcessing:
		switch o.Status {
		case OrderDraft:
			err = toOngoing()
		case OrderShipped:
			_, err = cn.c.Orders.Void(ctx, orderID)
		}
	default:
		return fmt.Errorf("%s: order status %q: %w", SystemName, status, connector.ErrUnsupported)
	}
	return err
}

// resolved is a canonical order made ready for eAccounting: articles found,
// prices on the document's VAT basis, everything checked.
type resolved struct {
	customer *Customer
	currency string
	terms    string
	rows     []Row // text rows have no ArticleID
}

// resolve checks o against what eAccounting accepts for kind and resolves
// its customer, articles and prices. Problems are returned together as
// connector.ValidationErrors naming the canonical fields.
func (cn *Connector) resolve(ctx context.Context, kind connector.OrderKind, o connector.Order) (*resolved, error) {
	ck := &checker{record: "order " + strconv.Quote(o.Ref())}
	ck.max("ExternalRef", o.ExternalRef, MaxRefLength, false)
	switch id := o.Customer.ID; {
	case id == "":
		ck.add("Customer.ID", "", "must name the eAccounting customer (find or create it first)")
	case !isGUID(id):
		ck.add("Customer.ID", id, "is not an eAccounting customer id")
	}
	if err := ck.err(); err != nil {
		return nil, err
	}
	settings, err := cn.settings.get(ctx)
	if err != nil {
		return nil, err
	}
	cust, err := cn.customer(ctx, o.Customer.ID)
	if errors.Is(err, connector.ErrNotFound) {
		ck.add("Customer.ID", o.Customer.ID, "names no customer in eAccounting")
		return nil, ck.err()
	}
	if err != nil {
		return nil, err
	}
	r := &resolved{customer: cust}
	// Orders carry a currency; drafts, invoices and quotes take the
	// customer's.
	custCurrency := firstNonEmpty(cust.CurrencyCode, settings.CurrencyCode)
	r.currency = firstNonEmpty(o.Currency, custCurrency)
	if kind != connector.KindOrder && !strings.EqualFold(r.currency, custCurrency) {
		ck.add("Currency", o.Currency, "eAccounting writes this customer's "+string(kind)+"s in "+custCurrency)
	}
	if r.terms, err = cn.termsFor(ctx, ck, "PaymentTerms", o.PaymentTerms); err != nil {
		return nil, err
	}
	docIncl := IncludesVAT(settings, cust.IsPrivatePerson)
	domestic := (cust.InvoiceCountryCode == "" || cust.InvoiceCountryCode == settings.CountryCode) &&
		strings.EqualFold(r.currency, settings.CurrencyCode)
	pricePlaces := int32(4)
	if domestic {
		pricePlaces = 2
	}
	qtyPlaces := int32(4)
	if kind == connector.KindDraft || kind == connector.KindInvoice {
		qtyPlaces = 2
	}
	// row adds an article row; srcRate is the VAT rate the source price
	// includes (when o.PricesIncludeTax).
	row := func(field string, art *articleRef, text string, price, qty, discount, srcRate decimal.Decimal) error {
		cd, err := cn.coding(ctx, art.codingID)
		if err != nil {
			return err
		}
		docRate := decimal.Zero
		if cd != nil {
			docRate = cd.SalesVATPercent(Situation(settings, cust, art.usesMoss))
		}
		unit := price
		switch {
		case o.PricesIncludeTax && !docIncl:
			unit = price.DivRound(decimal.NewFromInt(1).Add(srcRate.Div(hundred)), 8)
		case !o.PricesIncludeTax && docIncl:
			unit = price.Mul(decimal.NewFromInt(1).Add(docRate.Div(hundred)))
		}
		if !qty.Equal(qty.Round(qtyPlaces)) {
			ck.add(field+".Quantity", qty.String(), fmt.Sprintf("has more than the %d decimals eAccounting keeps", qtyPlaces))
		}
		pct := decimal.Zero
		if discount.IsPositive() {
			gross := price.Mul(qty)
			if !gross.IsPositive() {
				ck.add(field+".Discount", discount.String(), "a discount needs a positive line amount")
			} else if pct = discount.DivRound(gross, 4); pct.GreaterThan(decimal.NewFromInt(1)) {
				ck.add(field+".Discount", discount.String(), "is larger than the line amount")
			}
		}
		if text == "" {
			text = art.name
		}
		ck.max(field+".Name", text, 2000, false)
		r.rows = append(r.rows, Row{ArticleID: art.id, Text: text, UnitPrice: Num(unit.Round(pricePlaces)), Quantity: Num(qty), DiscountPercentage: Num(pct)})
		return nil
	}
	for i, l := range o.Lines {
		field := fmt.Sprintf("Lines[%d]", i)
		art, err := cn.articleBySKU(ctx, l.SKU)
		if err != nil {
			return nil, err
		}
		if art == nil {
			ck.add(field+".SKU", l.SKU, "no article with this number in eAccounting")
			continue
		}
		if l.ProductID != "" && !strings.EqualFold(l.ProductID, art.id) {
			ck.add(field+".ProductID", l.ProductID, "is not the eAccounting article with number "+l.SKU)
		}
		if err := cn.checkLineCoding(ctx, ck, field, art, l, settings, cust); err != nil {
			return nil, err
		}
		if err := row(field, art, l.Name, l.UnitPrice, l.Quantity, l.Discount, l.TaxRate); err != nil {
			return nil, err
		}
	}
	one := decimal.NewFromInt(1)
	if o.ShippingCost.IsPositive() {
		art, err := cn.configuredArticle(ctx, ck, "ShippingCost", "ShippingSKU", cn.cfg.ShippingSKU, "shipping costs")
		if err != nil {
			return nil, err
		}
		if art != nil {
			if err := row("Shipping", art, o.ShippingMethod, o.ShippingCost, one, decimal.Zero, o.ShippingTaxRate); err != nil {
				return nil, err
			}
		}
	}
	for i, dc := range o.Discounts {
		if !dc.Amount.IsPositive() {
			continue
		}
		field := fmt.Sprintf("Discounts[%d].Amount", i)
		art, err := cn.configuredArticle(ctx, ck, field, "DiscountSKU", cn.cfg.DiscountSKU, "order discounts")
		if err != nil {
			return nil, err
		}
		if art == nil {
			continue
		}
		rate := decimal.Zero
		if len(o.Lines) > 0 {
			rate = o.Lines[0].TaxRate
		}
		if err := row(fmt.Sprintf("Discounts[%d]", i), art, firstNonEmpty(dc.Description, dc.Code), dc.Amount.Neg(), one, decimal.Zero, rate); err != nil {
			return nil, err
		}
	}
	if n := strings.TrimSpace(o.Notes); n != "" {
		ck.max("Notes", n, 2000, true)
		r.rows = append(r.rows, Row{Text: n})
	}
	if len(r.rows) > 1000 {
		ck.add("Lines", strconv.Itoa(len(r.rows)), "eAccounting takes at most 1000 rows")
	}
	cn.checkAddress(ck, "BillingAddress", o.BillingAddress)
	cn.checkAddress(ck, "ShippingAddress", o.ShippingAddress)
	ck.max("ShippingMethod", o.ShippingMethod, 50, false)
	return r, ck.err()
}

// checkLineCoding honours a TaxCode or RevenueAccount a mapping set on a
// line: eAccounting takes both from the article's coding and the
// customer's VAT situation, so a line that asks for something else is
// rejected rather than booked elsewhere.
func (cn *Connector) checkLineCoding(ctx context.Context, ck *checker, field string, art *articleRef, l connector.OrderLine, settings *CompanySettings, cust *Customer) error {
	if l.TaxCode == "" && l.RevenueAccount == "" {
		return nil
	}
	cd, err := cn.coding(ctx, art.codingID)
	if err != nil {
		return err
	}
	if cd == nil {
		ck.add(field+".SKU", l.SKU, "the article's account coding is unknown")
		return nil
	}
	if l.TaxCode != "" && !strings.EqualFold(l.TaxCode, cd.ID) && !strings.EqualFold(l.TaxCode, cd.Name) {
		ck.add(field+".TaxCode", l.TaxCode, fmt.Sprintf("article %s is coded %q; eAccounting takes a row's VAT from the article's coding", art.number, cd.Name))
	}
	cn.checkAccount(ck, field+".RevenueAccount", cd, Situation(settings, cust, art.usesMoss), l.RevenueAccount)
	return nil
}

// configuredArticle returns the article a ConnectorConfig field names, or
// records why it cannot be used.
func (cn *Connector) configuredArticle(ctx context.Context, ck *checker, field, option, sku, what string) (*articleRef, error) {
	if sku == "" {
		ck.add(field, "", "set ConnectorConfig."+option+": an eAccounting row needs an article to carry "+what)
		return nil, nil
	}
	art, err := cn.articleBySKU(ctx, sku)
	if err == nil && art == nil {
		ck.add(field, sku, "ConnectorConfig."+option+" names no article in eAccounting")
	}
	return art, err
}

func (cn *Connector) checkAddress(ck *checker, prefix string, a connector.Address) {
	ck.max(prefix+".Name", addressName(a), 50, true)
	ck.max(prefix+".Street", a.StreetLine(), 50, true)
	ck.max(prefix+".Street2", a.Street2, 50, true)
	ck.max(prefix+".PostalCode", a.PostalCode, 10, false)
	ck.max(prefix+".City", a.City, 50, false)
}

// invoiceAddressOf and deliveryAddressOf write a canonical address; a zero
// address leaves every field empty (the customer's then applies).
func invoiceAddressOf(a connector.Address) InvoiceAddress {
	if a.IsZero() {
		return InvoiceAddress{}
	}
	return InvoiceAddress{InvoiceCustomerName: addressName(a), InvoiceAddress1: a.StreetLine(), InvoiceAddress2: a.Street2,
		InvoicePostalCode: a.PostalCode, InvoiceCity: a.City, InvoiceCountryCode: a.Country}
}

func deliveryAddressOf(a connector.Address) DeliveryAddress {
	if a.IsZero() {
		return DeliveryAddress{}
	}
	return DeliveryAddress{DeliveryCustomerName: addressName(a), DeliveryAddress1: a.StreetLine(), DeliveryAddress2: a.Street2,
		DeliveryPostalCode: a.PostalCode, DeliveryCity: a.City, DeliveryCountryCode: a.Country}
}

func (a InvoiceAddress) canonical() connector.Address {
	return connector.Address{CompanyName: a.InvoiceCustomerName, Street: a.InvoiceAddress1, Street2: a.InvoiceAddress2,
		PostalCode: a.InvoicePostalCode, City: a.InvoiceCity, Country: a.InvoiceCountryCode}
}

func (a DeliveryAddress) canonical() connector.Address {
	return connector.Address{CompanyName: a.DeliveryCustomerName, Street: a.DeliveryAddress1, Street2: a.DeliveryAddress2,
		PostalCode: a.DeliveryPostalCode, City: a.DeliveryCity, Country: a.DeliveryCountryCode}
}

func addressName(a connector.Address) string {
	if a.CompanyName != "" {
		return a.CompanyName
	}
	return strings.TrimSpace(a.FirstName + " " + a.LastName)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// order builds the sales order.
func (r *resolved) order(o connector.Order, status int) *Order {
	w := &Order{
		Status: status, CustomerID: o.Customer.ID, CurrencyCode: r.currency, BuyersOrderReference: o.ExternalRef,
		DeliveryMethodName: o.ShippingMethod, TermsOfPaymentID: r.terms,
		InvoiceAddress: invoiceAddressOf(o.BillingAddress), DeliveryAddress: deliveryAddressOf(o.ShippingAddress),
		ReverseChargeOnConstructionServices: r.customer.ReverseChargeOnConstructionServices,
	}
	if !o.CreatedAt.IsZero() {
		w.OrderDate = DateOf(o.CreatedAt)
	}
	for i, row := range r.rows {
		w.Rows = append(w.Rows, OrderRow{Row: row, LineNumber: i + 1, IsTextRow: row.ArticleID == ""})
	}
	return w
}

// draft builds the invoice draft. The invoice address of a draft comes from
// the customer (its postal code, city and country are read-only), so only
// the delivery address of the order is written.
func (r *resolved) draft(o connector.Order) *InvoiceDraft {
	w := &InvoiceDraft{
		CustomerID: o.Customer.ID, BuyersOrderReference: o.ExternalRef, DeliveryMethodName: o.ShippingMethod,
		TermsOfPaymentID: r.terms, DeliveryAddress: deliveryAddressOf(o.ShippingAddress),
	}
	for _, row := range r.rows {
		w.Rows = append(w.Rows, InvoiceDraftRow{Row: row, IsTextRow: row.ArticleID == ""})
	}
	return w
}

// quote builds the quote; its addresses come from the customer.
func (r *resolved) quote(o connector.Order) *Quote {
	w := &Quote{CustomerID: o.Customer.ID, BuyersOrderReference: o.ExternalRef}
	if !o.CreatedAt.IsZero() {
		w.QuoteDate = DateOf(o.CreatedAt)
	}
	for _, row := range r.rows {
		w.Rows = append(w.Rows, QuoteRow{Row: row})
	}
	return w
}

// docView is what the four document types have in common, read for the
// canonical model.
type docView struct {
	id, number, ref   string
	status            connector.OrderStatus
	rawStatus         string
	paid              bool
	customer          connector.Customer
	currency          string
	includesVat       bool
	created, modified time.Time
	invoice, delivery connector.Address
	deliveryMethod    string
	terms             string
	net, vat, round   decimal.Decimal
	rows              []Row // text rows have no ArticleID
}

// canonical returns the document's customer as far as the document tells.
func (d DocumentCustomer) canonical(id string) connector.Customer {
	c := connector.Customer{ID: id, Number: d.CustomerNumber}
	if d.CustomerIsPrivatePerson {
		c.FirstName, c.LastName = splitName(d.CustomerName)
	} else {
		c.CompanyName = d.CustomerName
	}
	return c
}

func (o *Order) view() *docView {
	v := &docView{
		id: o.ID, number: intString(o.Number), ref: o.BuyersOrderReference, status: orderStatuses[o.Status],
		rawStatus: strconv.Itoa(o.Status), currency: o.CurrencyCode, includesVat: o.IncludesVat,
		customer: o.DocumentCustomer.canonical(o.CustomerID), created: o.CreatedUtc.Time, modified: o.ModifiedUtc.Time,
		deliveryMethod: o.DeliveryMethodName, terms: o.TermsOfPaymentID,
		net: o.Amount.Decimal, vat: o.VatAmount.Decimal, round: o.RoundingsAmount.Decimal,
		invoice: o.InvoiceAddress.canonical(), delivery: o.DeliveryAddress.canonical(),
	}
	if v.created.IsZero() {
		v.created = o.OrderDate.Time
	}
	for _, r := range o.Rows {
		v.rows = append(v.rows, r.Row)
	}
	return v
}

func (d *InvoiceDraft) view() *docView {
	v := &docView{
		id: d.ID, ref: d.BuyersOrderReference, status: connector.StatusNew, currency: d.InvoiceCurrencyCode,
		includesVat: d.IncludesVat, created: d.CreatedUtc.Time, modified: d.CreatedUtc.Time,
		customer: d.DocumentCustomer.canonical(d.CustomerID), deliveryMethod: d.DeliveryMethodName, terms: d.TermsOfPaymentID,
		net: d.TotalAmount.Decimal, vat: d.TotalVatAmount.Decimal, round: d.TotalRoundings.Decimal,
		invoice: d.InvoiceAddress.canonical(), delivery: d.DeliveryAddress.canonical(),
	}
	for _, r := range d.Rows {
		v.rows = append(v.rows, r.Row)
	}
	return v
}

func (i *Invoice) view() *docView {
	v := &docView{
		id: i.ID, ref: i.BuyersOrderReference, status: connector.StatusAwaitingPayment, currency: i.CurrencyCode,
		rawStatus: strconv.Itoa(i.PaymentStatus), paid: i.PaymentStatus == 0, includesVat: i.IncludesVat,
		created: i.CreatedUtc.Time, modified: i.ModifiedUtc.Time, deliveryMethod: i.DeliveryMethodName,
		customer: i.DocumentCustomer.canonical(i.CustomerID),
		net:      i.TotalAmountInvoiceCurrency.Decimal, vat: i.TotalVatAmountInvoiceCurrency.Decimal,
		invoice: i.InvoiceAddress.canonical(), delivery: i.DeliveryAddress.canonical(),
	}
	if i.InvoiceNumber != 0 {
		v.number = strconv.Itoa(i.InvoiceNumber)
	}
	if v.paid {
		v.status = connector.StatusCompleted
	}
	v.customer.Email = i.CustomerEmail
	for _, r := range i.Rows {
		v.rows = append(v.rows, r.Row)
	}
	return v
}

func (q *Quote) view() *docView {
	v := &docView{
		id: q.ID, number: intString(q.Number), ref: q.BuyersOrderReference, status: quoteStatuses[q.Status],
		rawStatus: strconv.Itoa(q.Status), currency: q.CurrencyCode, includesVat: q.IncludesVat,
		customer: q.DocumentCustomer.canonical(q.CustomerID), created: q.CreatedUtc.Time, modified: q.ModifiedUtc.Time,
		net: q.TotalAmount.Decimal, vat: q.VatAmount.Decimal,
		invoice: q.InvoiceAddress.canonical(), delivery: q.DeliveryAddress.canonical(),
	}
	for _, r := range q.Rows {
		v.rows = append(v.rows, r.Row)
	}
	return v
}

func intString(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// canonical converts the view. Text rows become the order's notes. The
// document totals are read per DocumentTotal.
func (v *docView) canonical() connector.Order {
	o := connector.Order{
		ID: v.id, Number: v.number, ExternalRef: v.ref, Status: v.status, RawStatus: v.rawStatus, Paid: v.paid,
		Currency: v.currency, PricesIncludeTax: v.includesVat, Customer: v.customer,
		BillingAddress: v.invoice, ShippingAddress: v.delivery, ShippingMethod: v.deliveryMethod, PaymentTerms: v.terms,
		Totals: connector.Totals{Subtotal: v.net, Tax: v.vat, Total: DocumentTotal(v.net, v.vat, v.round)},
	}
	o.CreatedAt, o.UpdatedAt = v.created, v.modified
	var notes []string
	for _, r := range v.rows {
		if r.ArticleID == "" {
			notes = append(notes, r.Text)
			continue
		}
		l := connector.OrderLine{
			ID: r.ID, ProductID: r.ArticleID, SKU: r.ArticleNumber, Name: r.Text, Quantity: r.Quantity.Decimal,
			UnitPrice: r.UnitPrice.Decimal, Total: r.Amount.Decimal,
			Discount: r.UnitPrice.Mul(r.Quantity.Decimal).Mul(r.DiscountPercentage.Decimal).Round(2),
		}
		if r.VatRate != nil {
			l.TaxRate = VATPercent(*r.VatRate)
		}
		o.Lines = append(o.Lines, l)
	}
	o.Notes = strings.Join(notes, "\n")
	return o
}

// customer returns the customer with id, from the Connector's short-lived
// cache of customers it just found, created or updated, or else from the
// API.
func (cn *Connector) customer(ctx context.Context, id string) (*Customer, error) {
	if c, ok := cn.customers.Get(id); ok {
		return &c, nil
	}
	c, err := cn.c.Customers.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	cn.customers.Put(c.ID, *c)
	return c, nil
}
