package mpluskassa

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// Orders. The canonical order's ExternalRef is MplusKASSA's extOrderId
// (unique, never reusable) and its Customer.ID the relation number; every
// order is booked under ConnectorConfig.EmployeeNumber at
// ConnectorConfig.BranchNumber. Shipping costs and order-level discounts
// become lines on the configured articles.

// Orders streams sales orders by sync marker, with their lines. q.Cursor (an
// order's Cursor, its sync marker) resumes inclusively. Without a cursor,
// q.UpdatedSince selects orders by financial date (the day an order is
// booked on): MplusKASSA has no "changed since" filter for orders, so an
// order changed later but booked earlier is only seen through the cursor.
// q.Statuses filters on the canonical status.
func (k *Connector) Orders(ctx context.Context, q connector.OrderQuery) iter.Seq2[connector.Order, error] {
	req := GetOrdersRequest{SyncMarkerLimit: Ptr(k.pageSize(q.PageSize)), IncludeLineList: Ptr(true)}
	m, err := cursorOf("order query", q.Cursor, "sync marker")
	switch {
	case err != nil:
		return failed[connector.Order](err)
	case m != nil:
		req.SyncMarker = m
	case !q.UpdatedSince.IsZero():
		req.FromFinancialDate = Ptr(NewDate(q.UpdatedSince))
	}
	var keep func(connector.Order) bool
	if len(q.Statuses) > 0 {
		keep = func(o connector.Order) bool { return slices.Contains(q.Statuses, o.Status) }
	}
	return convert(k.c.Orders.All(ctx, req), k.toOrder, keep)
}

// kindErr rejects kinds other than orders.
func kindErr(kind connector.OrderKind) error {
	if kind == connector.KindOrder {
		return nil
	}
	return fmt.Errorf("%s: writing a %q: %w (MplusKASSA orders only)", SystemName, kind, connector.ErrUnsupported)
}

// FindOrderByRef finds the order whose extOrderId is ref (findOrder, an
// exact match).
func (k *Connector) FindOrderByRef(ctx context.Context, kind connector.OrderKind, ref string) (connector.Order, error) {
	if err := kindErr(kind); err != nil {
		return connector.Order{}, err
	}
	if ref == "" {
		return connector.Order{}, fmt.Errorf("%s: order with an empty reference: %w", SystemName, connector.ErrNotFound)
	}
	w, err := k.c.Orders.FindOrder(ctx, ref)
	if err != nil {
		return connector.Order{}, err
	}
	return k.toOrder(*w)
}

// CreateOrder writes o as a sales order with extOrderId o.ExternalRef. It
// is idempotent on that reference: an order that already has it is returned
// as is (found with findOrder before creating, or after
// CREATE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-EXISTS). The order is created
// with createOrderV3 and an idempotency key, so a network failure is retried
// without risk of a second order. o.Customer.ID must be the relation number.
func (k *Connector) CreateOrder(ctx context.Context, kind connector.OrderKind, o connector.Order) (connector.Order, error) {
	if err := kindErr(kind); err != nil {
		return connector.Order{}, err
	}
	w, err := k.toWireOrder(o)
	if err != nil {
		return connector.Order{}, err
	}
	// MplusKASSA refuses a second order with the same extOrderId, so the
	// order is created at once (no look-up first: the flow has just looked)
	// and a refusal returns the order that has the reference.
	resp, err := k.c.Orders.CreateOrderV3(ctx, CreateOrderV3Request{IdempotencyKey: idempotencyKey(o.ExternalRef), Order: w})
	if ResultCode(err) == CreateOrderExtOrderIDExists {
		// Created meanwhile (a concurrent run, or an earlier attempt whose
		// answer was lost): return the order that has the reference.
		found, ferr := k.c.Orders.FindOrder(ctx, o.ExternalRef)
		if ferr != nil {
			return connector.Order{}, errors.Join(err, ferr)
		}
		return k.toOrder(*found)
	}
	if err != nil {
		return connector.Order{}, err
	}
	if resp.Order != nil && resp.Order.OrderID != "" {
		return k.toOrder(*resp.Order)
	}
	o.ID = resp.Info.OrderID
	o.Number = resp.Info.OrderString
	return o, nil
}

// idempotencyKey is unique per CreateOrder call: httpx repeats the same
// request body (and so the key) only within the call. A key derived from the
// reference alone would replay a stored failure forever after the cause
// (a missing article, say) was fixed.
func idempotencyKey(ref string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "tradelink:" + ref + ":" + hex.EncodeToString(b[:])
}

// SetOrderStatus moves the order with internal id orderID: cancelled cancels
// it (cancelOrder); shipped, delivered and completed deliver it
// (deliverOrder, which creates the packing slip and releases the
// reservations). An order already in that state is left alone. Other
// statuses are connector.ErrUnsupported; an unknown id is
// connector.ErrNotFound.
func (k *Connector) SetOrderStatus(ctx context.Context, orderID string, status connector.OrderStatus) error {
	tr, ok := k.transition(status)
	if !ok {
		return fmt.Errorf("%s: setting order status %q: %w", SystemName, status, connector.ErrUnsupported)
	}
	w, err := k.c.Orders.GetOrder(ctx, orderID)
	if err != nil {
		return err
	}
	if tr.done(*w) {
		return nil
	}
	if err := tr.move(ctx, orderID); ResultCode(err) != tr.already {
		return err
	}
	return nil
}

// transition is how an order reaches a status: whether it is there
// already, the call that moves it, and the result code that says it was.
type transition struct {
	done    func(Order) bool
	move    func(ctx context.Context, orderID string) error
	already string
}

func (k *Connector) transition(status connector.OrderStatus) (transition, bool) {
	switch status {
	case connector.StatusCancelled:
		return transition{
			done: func(w Order) bool { return val(w.CancelState) == CancelStateComplete },
			move: func(ctx context.Context, id string) error {
				_, err := k.c.Orders.CancelOrder(ctx, id)
				return err
			},
			already: CancelOrderAlreadyCancelled,
		}, true
	case connector.StatusShipped, connector.StatusDelivered, connector.StatusCompleted:
		return transition{
			done: func(w Order) bool { return val(w.DeliveryState) == DeliveryStateComplete },
			move: func(ctx context.Context, id string) error {
				_, err := k.c.Orders.DeliverOrder(ctx, id)
				return err
			},
			already: DeliverOrderAlreadyDelivered,
		}, true
	}
	return transition{}, false
}

// toWireOrder validates o and converts it to a new wire order.
func (k *Connector) toWireOrder(o connector.Order) (Order, error) {
	if err := o.Validate(); err != nil {
		return Order{}, err
	}
	r := rules{record: "order " + strconv.Quote(o.Ref())}
	if o.ExternalRef == "" {
		r.add("ExternalRef", "", "is required: it is the order's unique extOrderId in MplusKASSA")
	}
	rel, err := numberField(r.record, "Customer.ID", o.Customer.ID, "every MplusKASSA order needs a relation: the customer ID (a relation number)")
	_ = r.merge(err)
	if o.Currency != "" && o.Currency != k.cfg.Currency {
		r.add("Currency", o.Currency, "the database books in "+k.cfg.Currency)
	}
	created := o.CreatedAt
	if created.IsZero() {
		created = k.cfg.Now()
	}
	w := Order{
		OrderID:               "",
		ExtOrderID:            Ptr(o.ExternalRef),
		EntryBranchNumber:     Ptr(k.cfg.EntryBranchNumber),
		EmployeeNumber:        Ptr(k.cfg.EmployeeNumber),
		EntryTimestamp:        Ptr(NewDateTime(created)),
		RelationNumber:        &rel,
		DeliveryAddress:       toWireAddress(o.ShippingAddress, o.Customer),
		InvoiceAddress:        toWireAddress(o.BillingAddress, o.Customer),
		FinancialDate:         Ptr(NewDate(created)),
		FinancialBranchNumber: Ptr(k.cfg.BranchNumber),
		Reference:             opt(firstNonEmpty(o.Notes, o.ExternalRef)),
		VatMethod:             Ptr(VatMethodExclusive),
		DeliveryMethod:        opt(o.ShippingMethod),
		PaymentMethod:         opt(o.PaymentMethod),
		LineList:              &LineList{},
	}
	if o.PricesIncludeTax {
		w.VatMethod = Ptr(VatMethodInclusive)
	}
	if k.cfg.WorkplaceNumber != 0 {
		w.WorkplaceNumber = Ptr(k.cfg.WorkplaceNumber)
	}
	cents := func(field string, d decimal.Decimal) int64 {
		c, err := ToCents(d)
		r.value(field, d.String(), err)
		return c
	}
	line := func(article int64, text string, qty decimal.Decimal, qtyField string, price int64, discount int64) Line {
		v, places, err := ToScaled(qty)
		r.value(qtyField, qty.String(), err)
		d := &LineData{Quantity: v, DecimalPlaces: &places}
		if o.PricesIncludeTax {
			d.Price = &price
		} else {
			d.PriceExcl = &price
		}
		if discount != 0 {
			d.DiscountType = Ptr(DiscountTypeExternal)
			if o.PricesIncludeTax {
				d.DiscountAmount = &discount
			} else {
				d.DiscountAmountExcl = &discount
			}
		}
		return Line{ArticleNumber: article, Text: opt(text), Data: d}
	}
	for i, l := range o.Lines {
		f := fmt.Sprintf("Lines[%d]", i)
		art, err := skuField(r.record, f+".SKU", l.SKU)
		_ = r.merge(err)
		w.LineList.Line = append(w.LineList.Line, line(art, l.Name, l.Quantity, f+".Quantity",
			cents(f+".UnitPrice", l.UnitPrice), cents(f+".Discount", l.Discount)))
	}
	if o.ShippingCost.IsPositive() {
		if k.cfg.ShippingArticleNumber == 0 {
			r.add("ShippingCost", o.ShippingCost.String(), "MplusKASSA books shipping as an order line: set ConnectorConfig.ShippingArticleNumber")
		}
		w.LineList.Line = append(w.LineList.Line, line(k.cfg.ShippingArticleNumber, firstNonEmpty(o.ShippingMethod, "Shipping costs"),
			decimal.NewFromInt(1), "ShippingCost", cents("ShippingCost", o.ShippingCost), 0))
	}
	for i, d := range o.Discounts {
		if !d.Amount.IsPositive() {
			continue
		}
		f := fmt.Sprintf("Discounts[%d].Amount", i)
		if k.cfg.DiscountArticleNumber == 0 {
			r.add(f, d.Amount.String(), "MplusKASSA books order discounts as an order line: set ConnectorConfig.DiscountArticleNumber")
		}
		w.LineList.Line = append(w.LineList.Line, line(k.cfg.DiscountArticleNumber, firstNonEmpty(d.Description, d.Code, "Discount"),
			decimal.NewFromInt(1), f, -cents(f, d.Amount), 0))
	}
	if err := r.err(); err != nil {
		return Order{}, err
	}
	return w, nil
}

// toWireAddress converts an address; a company is its name with the person
// as contact. The customer's names fill in what the address lacks.
func toWireAddress(a connector.Address, c connector.Customer) *Address {
	if a.IsZero() {
		return nil
	}
	company := firstNonEmpty(a.CompanyName, c.CompanyName)
	person := strings.TrimSpace(a.FirstName + " " + a.LastName)
	if person == "" {
		person = c.FullName()
	}
	w := &Address{Address: opt(joinLines(a.StreetLine(), a.Street2)), Zipcode: opt(a.PostalCode), City: opt(a.City), Country: opt(a.Country)}
	if company != "" {
		w.Name, w.CompanyName, w.Contact = opt(company), opt(company), opt(person)
	} else {
		w.Name = opt(person)
	}
	return w
}

func joinLines(a, b string) string {
	if b == "" {
		return a
	}
	return strings.TrimSpace(a + ", " + b)
}

// fromWireAddress converts an order address.
func fromWireAddress(a *Address) connector.Address {
	if a == nil {
		return connector.Address{}
	}
	out := connector.Address{CompanyName: val(a.CompanyName), Street: val(a.Address), PostalCode: val(a.Zipcode),
		City: val(a.City), Country: val(a.Country)}
	person := val(a.Name)
	if out.CompanyName != "" {
		person = val(a.Contact)
	}
	out.FirstName, out.LastName = splitName(person)
	return out
}

// orderStatus maps MplusKASSA's delivery, cancel and complete states (and
// payment) to a canonical status.
func orderStatus(w Order) connector.OrderStatus {
	switch {
	case val(w.CancelState) == CancelStateComplete:
		return connector.StatusCancelled
	case val(w.CompleteState) == CompleteStateComplete:
		return connector.StatusCompleted
	case val(w.DeliveryState) == DeliveryStateComplete:
		return connector.StatusShipped
	case val(w.DeliveryState) == DeliveryStatePartial, val(w.FullyPaid):
		return connector.StatusProcessing
	}
	return connector.StatusNew
}

// toOrder converts a wire order to the canonical model.
func (k *Connector) toOrder(w Order) (connector.Order, error) {
	rec := "order " + strconv.Quote(w.OrderID)
	o := connector.Order{
		ID:               w.OrderID,
		ExternalRef:      val(w.ExtOrderID),
		Status:           orderStatus(w),
		RawStatus:        strings.Trim(strings.Join([]string{val(w.DeliveryState), val(w.CancelState), val(w.CompleteState)}, " "), " "),
		Paid:             val(w.FullyPaid),
		Currency:         k.cfg.Currency,
		PricesIncludeTax: val(w.VatMethod) != VatMethodExclusive,
		BillingAddress:   fromWireAddress(w.InvoiceAddress),
		ShippingAddress:  fromWireAddress(w.DeliveryAddress),
		ShippingMethod:   val(w.DeliveryMethod),
		PaymentMethod:    val(w.PaymentMethod),
	}
	if w.OrderNumber != nil {
		o.Number = OrderNumberString(*w.OrderNumber)
	}
	if ref := val(w.Reference); ref != o.ExternalRef {
		o.Notes = ref
	}
	if w.SyncMarker != nil {
		o.Cursor = format(*w.SyncMarker)
	}
	if w.RelationNumber != nil {
		o.Customer.ID = format(*w.RelationNumber)
		o.Customer.Number = o.Customer.ID
	}
	o.Customer.VATNumber = val(w.RelationVatNumber)
	o.Customer.CompanyName = o.BillingAddress.CompanyName
	o.Customer.FirstName, o.Customer.LastName = o.BillingAddress.FirstName, o.BillingAddress.LastName
	if o.Customer.DisplayName() == "" {
		o.Customer.FirstName, o.Customer.LastName = splitName(val(w.RelationName))
	}
	o.Customer.BillingAddress = o.BillingAddress
	o.Customer.ShippingAddress = o.ShippingAddress
	var err error
	if o.CreatedAt, err = timeOf(rec, "entryTimestamp", w.EntryTimestamp); err != nil {
		return connector.Order{}, err
	}
	o.UpdatedAt = o.CreatedAt
	for i, l := range w.Lines() {
		f := fmt.Sprintf("lineList.line[%d].data", i)
		if l.Data == nil {
			return connector.Order{}, &connector.ValidationError{Record: rec, Field: f, Reason: "is missing: a line needs a quantity"}
		}
		qty, err := l.Data.QuantityDecimal()
		if err != nil {
			return connector.Order{}, wireErr(rec, f+".decimalPlaces", err)
		}
		price := FromCents(val(l.Data.PriceExcl))
		discount := FromCents(val(l.Data.DiscountAmountExcl))
		total := FromCents(val(l.Data.TotalExclAmount))
		if o.PricesIncludeTax {
			price = FromCents(val(l.Data.Price))
			discount = FromCents(val(l.Data.DiscountAmount))
			total = FromCents(val(l.Data.TotalInclAmount))
		}
		if k.cfg.ShippingArticleNumber != 0 && l.ArticleNumber == k.cfg.ShippingArticleNumber {
			o.ShippingCost = o.ShippingCost.Add(price.Mul(qty))
			continue
		}
		if k.cfg.DiscountArticleNumber != 0 && l.ArticleNumber == k.cfg.DiscountArticleNumber && price.IsNegative() {
			o.Discounts = append(o.Discounts, connector.Discount{Description: val(l.Text), Amount: price.Mul(qty).Neg()})
			continue
		}
		if l.Data.TotalInclAmount == nil && l.Data.TotalExclAmount == nil {
			total = price.Mul(qty).Sub(discount)
		}
		o.Lines = append(o.Lines, connector.OrderLine{
			ID: val(l.LineID), ProductID: format(l.ArticleNumber), SKU: format(l.ArticleNumber), Name: val(l.Text),
			Quantity: qty, UnitPrice: price, TaxRate: VATPercentage(val(l.Data.VatPercentage)), Discount: discount, Total: total,
		})
	}
	o.Totals.Shipping = o.ShippingCost
	for _, d := range o.Discounts {
		o.Totals.Discount = o.Totals.Discount.Add(d.Amount)
	}
	incl, excl := FromCents(val(w.TotalInclAmount)), FromCents(val(w.TotalExclAmount))
	o.Totals.Total = incl
	if w.TotalInclAmount != nil && w.TotalExclAmount != nil {
		o.Totals.Tax = incl.Sub(excl)
	}
	if !o.PricesIncludeTax && w.TotalInclAmount == nil {
		o.Totals.Total = excl
	}
	for _, l := range o.Lines {
		o.Totals.Subtotal = o.Totals.Subtotal.Add(l.Total)
	}
	return o, nil
}
