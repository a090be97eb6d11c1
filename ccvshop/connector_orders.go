package ccvshop

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// ExternalRefField names where an order written into CCV Shop keeps its
// external reference. CCV orders have no external-reference field; the
// order's reservationnumber is a free text field that POST and PATCH accept
// and GET returns, unused by ordinary web-shop orders, so it holds the
// reference (an order note would cost an extra call per order and could not
// be read back with the order). The API cannot filter on it:
// FindOrderByRef uses the connector's reference index (a scan of
// /orders/ newest first, then only newer orders on a miss).
const ExternalRefField = "reservationnumber"

var hundred = decimal.NewFromInt(100)

// Orders streams completed orders with their rows: one list request per
// page plus one GET /orders/{id}/orderrows/ per order.
//
// Statuses selects CCV status codes that read as those statuses, one
// filtered listing per code. UpdatedSince: CCV Shop orders have no
// modification date and the list has no change filter, only
// min_create_date; the stream therefore selects orders created at or after
// UpdatedSince (min_create_date a day earlier, because the filter counts
// whole days in an undocumented time zone, then an exact check on
// create_date). Status changes of older orders are not seen this way: use
// the orders.updated.status webhook or a run with a Statuses filter for
// them. UpdatedAt of an order is its creation time.
func (c *Connector) Orders(ctx context.Context, q connector.OrderQuery) iter.Seq2[connector.Order, error] {
	return func(yield func(connector.Order, error) bool) {
		var codes []int
		for _, s := range q.Statuses {
			if !s.Valid() {
				yield(connector.Order{}, validation("order query", "Statuses", fmt.Sprintf("%q is not a canonical order status", s)))
				return
			}
			codes = append(codes, StatusCodes(s)...)
		}
		if len(q.Statuses) > 0 && len(codes) == 0 {
			return // no CCV code reads as these statuses
		}
		if len(codes) == 0 {
			codes = []int{0}
		}
		base := OrderListOptions{Paging: Paging{Size: c.pageSize(q.PageSize)}, OrderBy: "id"}
		if !q.UpdatedSince.IsZero() {
			base.MinCreateDate = q.UpdatedSince.UTC().AddDate(0, 0, -1)
		}
		for _, code := range codes {
			opts := base
			opts.Status = code
			for o, err := range c.c.Orders.All(ctx, &opts) {
				if err != nil {
					yield(connector.Order{}, err)
					return
				}
				co, err := c.orderWithRows(ctx, &o)
				if err != nil {
					yield(connector.Order{}, err)
					return
				}
				if !q.UpdatedSince.IsZero() && co.CreatedAt.Before(q.UpdatedSince) {
					continue
				}
				if !yield(co, nil) {
					return
				}
			}
		}
	}
}

// orderWithRows reads an order's rows (one call) and converts both.
func (c *Connector) orderWithRows(ctx context.Context, o *Order) (connector.Order, error) {
	var rows []OrderRow
	for r, err := range c.c.OrderRows.All(ctx, int64(o.ID)) {
		if err != nil {
			return connector.Order{}, err
		}
		rows = append(rows, r)
	}
	return OrderToCanonical(o, rows)
}

// OrderToCanonical converts an order and its rows. Prices are incl. or
// excl. VAT as the order's order_row_taxes_included says; shipping is
// converted to the same basis. An unknown status code leaves Status empty
// (RawStatus keeps it). A malformed date is an error naming the order and
// the field.
func OrderToCanonical(o *Order, rows []OrderRow) (connector.Order, error) {
	rec := "order " + strconv.Quote(orderRef(o))
	created, err := parseTime(rec, "create_date", o.CreateDate)
	if err != nil {
		return connector.Order{}, err
	}
	out := connector.Order{
		ID: idString(o.ID), Number: orderRef(o), ExternalRef: o.Reservationnumber,
		RawStatus: statusString(o.Status), Paid: o.Paid, CreatedAt: created, UpdatedAt: created,
		Currency: strings.ToUpper(o.Currency), PricesIncludeTax: o.OrderRowTaxesIncluded,
		ShippingMethod: o.DeliverMethod, ShippingTaxRate: o.ShippingTaxPercentage.Decimal,
		PaymentMethod: o.Paymethod,
		Totals: connector.Totals{
			Subtotal: o.TotalOrderrowPrice.Decimal, Shipping: o.TotalShipping.Decimal,
			Discount: o.TotalDiscounts.Decimal, Tax: o.TotalTax.Decimal, Total: o.TotalPrice.Decimal,
		},
	}
	if s, err := CanonicalStatus(int(o.Status)); err == nil {
		out.Status = s
	}
	out.ShippingCost = shippingOnBasis(o)
	if o.Customer != nil {
		out.Customer = customerFromInfo(o.Customer)
		if o.Customer.Billingaddress != nil {
			out.BillingAddress = addressFromWire(o.Customer.Billingaddress, nil)
		}
		if o.Customer.Deliveryaddress != nil {
			out.ShippingAddress = addressFromWire(o.Customer.Deliveryaddress, o.Customer.Billingaddress)
		}
	}
	out.Customer.ID = o.User.ID.String()
	if d := o.Discountcoupon; d != nil && (d.Code != "" || !d.Discount.IsZero()) {
		out.Discounts = append(out.Discounts, connector.Discount{Code: d.Code, Description: d.Type, Amount: d.Discount.Decimal})
	}
	cf := map[string]string{}
	for k, v := range map[string]string{
		"paymethod_label": o.PaymethodLabel, "transaction_id": o.TransactionID,
		"track_and_trace_code": o.TrackAndTraceCode, "track_and_trace_carrier": o.TrackAndTraceCarrier,
		"delivery_option": o.DeliveryOption, "deliver_date": o.DeliverDate, "orderedinlng": o.Orderedinlng,
	} {
		if v != "" {
			cf[k] = v
		}
	}
	if o.PaymethodID != 0 {
		cf["paymethod_id"] = o.PaymethodID.String()
	}
	if len(cf) > 0 {
		out.CustomFields = cf
	}
	for i := range rows {
		out.Lines = append(out.Lines, lineFromRow(&rows[i]))
	}
	return out, nil
}

func orderRef(o *Order) string {
	switch {
	case o.OrdernumberFull != "":
		return o.OrdernumberFull
	case o.Ordernumber != 0:
		return o.Ordernumber.String()
	}
	return idString(o.ID)
}

// shippingOnBasis returns the shipping cost on the rows' VAT basis.
func shippingOnBasis(o *Order) decimal.Decimal {
	ship, rate := o.TotalShipping.Decimal, o.ShippingTaxPercentage.Decimal
	if o.ShippingTaxesIncluded == o.OrderRowTaxesIncluded || rate.IsZero() || ship.IsZero() {
		return ship
	}
	if o.ShippingTaxesIncluded { // gross → net
		return ship.Mul(hundred).Div(hundred.Add(rate)).Round(4)
	}
	return ship.Mul(hundred.Add(rate)).Div(hundred).Round(4) // net → gross
}

// lineFromRow converts a row: UnitPrice is the unit price before discount
// including the chosen options' extra prices, Discount the row's whole
// discount, Total the row total as the shop computed it. A variant row's SKU
// is the combination's sku_number.
func lineFromRow(r *OrderRow) connector.OrderLine {
	extra := decimal.Zero
	var attrs []connector.AttributeValue
	for _, a := range r.Attributes {
		extra = extra.Add(a.Price.Decimal)
		attrs = append(attrs, connector.AttributeValue{Name: a.OptionName, Value: a.ValueName})
	}
	sku := r.SubSkuNumber
	if sku == "" {
		sku = r.ProductNumber
	}
	total := r.TotalPriceWithAttributes.Decimal
	if total.IsZero() {
		total = r.TotalPrice.Decimal
	}
	l := connector.OrderLine{
		ID: idString(r.ID), SKU: sku, Name: r.ProductName, Quantity: r.Count.Decimal,
		UnitPrice: r.Price.Add(extra), TaxRate: r.Tax.Decimal, Discount: r.Discount.Mul(r.Count.Decimal),
		Total: total, Attributes: attrs, Unit: r.Unit,
	}
	if r.ProductID != 0 {
		l.ProductID = idString(r.ProductID)
	}
	return l
}

// FindOrderByRef finds the order whose reservationnumber (ExternalRefField)
// equals ref exactly. Only KindOrder exists in CCV Shop.
func (c *Connector) FindOrderByRef(ctx context.Context, kind connector.OrderKind, ref string) (connector.Order, error) {
	if kind != connector.KindOrder {
		return connector.Order{}, fmt.Errorf("ccvshop: %w: CCV Shop has no %q documents, only orders", connector.ErrUnsupported, kind)
	}
	if strings.TrimSpace(ref) == "" {
		return connector.Order{}, fmt.Errorf("ccvshop: empty order reference: %w", connector.ErrNotFound)
	}
	var found *Order
	id, err := c.refs.find(ctx, ref, c.scanOrders, func(id int64) (bool, error) {
		o, err := c.c.Orders.Get(ctx, id)
		if err != nil {
			return false, err
		}
		found = o
		return o.Reservationnumber == ref, nil
	})
	if err != nil {
		return connector.Order{}, err
	}
	if id == 0 || found == nil {
		return connector.Order{}, fmt.Errorf("ccvshop: order with reference %q: %w", ref, connector.ErrNotFound)
	}
	return c.orderWithRows(ctx, found)
}

// scanOrders visits completed orders newest first with their reference.
func (c *Connector) scanOrders(ctx context.Context, newerThan int64, visit func(int64, ...string)) error {
	opts := &OrderListOptions{Paging: Paging{Size: 250}, OrderBy: "id_desc"}
	for o, err := range c.c.Orders.All(ctx, opts) {
		if err != nil {
			return err
		}
		if int64(o.ID) <= newerThan {
			return nil
		}
		visit(int64(o.ID), o.Reservationnumber)
	}
	return nil
}

// CreateOrder writes o as a CCV Shop order (KindOrder only). The reference
// goes into reservationnumber; o.Customer.ID, when set, links the shop user.
// Each line is matched to the shop's product by SKU (a variant SKU selects
// its attribute combination); a line whose SKU the shop does not have
// becomes a free row with the line's name, price and tax. Order discounts
// become negative extra costs.
func (c *Connector) CreateOrder(ctx context.Context, kind connector.OrderKind, o connector.Order) (connector.Order, error) {
	if kind != connector.KindOrder {
		return connector.Order{}, fmt.Errorf("ccvshop: %w: CCV Shop has no %q documents, only orders", connector.ErrUnsupported, kind)
	}
	if err := o.Validate(); err != nil {
		return connector.Order{}, err
	}
	rec := "order " + strconv.Quote(o.Ref())
	if strings.TrimSpace(o.ExternalRef) == "" {
		return connector.Order{}, validation(rec, "ExternalRef", "is required: CCV Shop keeps it in "+ExternalRefField)
	}
	in, err := c.orderInput(ctx, rec, &o)
	if err != nil {
		return connector.Order{}, err
	}
	created, err := c.c.Orders.Create(ctx, in)
	if err != nil {
		return connector.Order{}, err
	}
	if created.ID == 0 {
		// The platform sometimes answers a POST without a body: find the
		// order by its reference.
		return c.FindOrderByRef(ctx, kind, o.ExternalRef)
	}
	c.refs.add(int64(created.ID), o.ExternalRef)
	out := o
	out.ID = idString(created.ID)
	out.Number = orderRef(created)
	out.RawStatus = statusString(created.Status)
	if s, err := CanonicalStatus(int(created.Status)); err == nil {
		out.Status = s
	}
	out.CreatedAt, _ = parseTime(rec, "create_date", created.CreateDate)
	out.UpdatedAt = out.CreatedAt
	out.Totals = connector.Totals{Subtotal: created.TotalOrderrowPrice.Decimal, Shipping: created.TotalShipping.Decimal,
		Discount: created.TotalDiscounts.Decimal, Tax: created.TotalTax.Decimal, Total: created.TotalPrice.Decimal}
	return out, nil
}

// orderInput builds the POST body of an order.
func (c *Connector) orderInput(ctx context.Context, rec string, o *connector.Order) (*OrderInput, error) {
	in := &OrderInput{
		Reservationnumber:     o.ExternalRef,
		Paid:                  Bool(o.Paid),
		Currency:              o.Currency,
		TaxesIncluded:         Bool(o.PricesIncludeTax),
		OrderRowTaxesIncluded: Bool(o.PricesIncludeTax),
		ShippingTaxesIncluded: Bool(o.PricesIncludeTax),
		TotalShipping:         numPtr(o.ShippingCost),
		Customer:              orderCustomerInfo(o),
	}
	if o.Status != "" {
		code, err := StatusCode(o.Status)
		if err != nil {
			return nil, validation(rec, "Status", err.Error())
		}
		in.Status = Int(code)
	}
	if o.Customer.ID != "" {
		uid, err := strconv.ParseInt(o.Customer.ID, 10, 64)
		if err != nil || uid <= 0 {
			return nil, validation(rec, "Customer.ID", "is not a CCV Shop user id (a positive integer)")
		}
		in.UserID = Int(uid)
	}
	var disc decimal.Decimal
	var codes []string
	for _, d := range o.Discounts {
		disc = disc.Add(d.Amount)
		if d.Code != "" {
			codes = append(codes, d.Code)
		}
	}
	if !disc.IsZero() {
		in.ExtraCosts = numPtr(disc.Neg())
		in.ExtraCostsDescription = strings.TrimSpace("Korting " + strings.Join(codes, ", "))
	}
	for i, l := range o.Lines {
		row, err := c.rowInput(ctx, rec, i, &l)
		if err != nil {
			return nil, err
		}
		in.Orderrows = append(in.Orderrows, row)
	}
	return in, nil
}

// rowInput builds one order row. The row keeps the source's price: for a
// variant the combination's extra price is taken off the unit price, since
// the shop adds it back.
func (c *Connector) rowInput(ctx context.Context, rec string, i int, l *connector.OrderLine) (OrderRowInput, error) {
	unitDiscount := decimal.Zero
	if !l.Discount.IsZero() {
		unitDiscount = l.Discount.Div(l.Quantity).Round(4)
	}
	row := OrderRowInput{
		Count: Number{Decimal: l.Quantity}, ProductName: l.Name, ProductNumber: l.SKU,
		Tax: numPtr(l.TaxRate), Discount: numPtr(unitDiscount), Unit: l.Unit,
	}
	price := l.UnitPrice
	loc, err := c.locate(ctx, l.SKU)
	switch {
	case err == nil:
		row.ProductID = Int(loc.productID)
		row.AttributeCombinationID = Int(loc.comboID)
		price = price.Sub(loc.extra)
	case errors.Is(err, connector.ErrNotFound) && l.ProductID != "":
		pid, perr := strconv.ParseInt(l.ProductID, 10, 64)
		if perr != nil || pid <= 0 {
			return row, validation(rec, fmt.Sprintf("Lines[%d].ProductID", i), "is not a CCV Shop product id (a positive integer)")
		}
		row.ProductID = Int(pid)
	case errors.Is(err, connector.ErrNotFound):
		pkg, perr := c.packageFor(ctx)
		if perr != nil {
			return row, perr
		}
		row.PackageID = pkg
		if row.ProductName == "" {
			row.ProductName = l.SKU
		}
	default:
		return row, err
	}
	row.Price = numPtr(price)
	return row, nil
}

// orderCustomerInfo is the order's customer object: the customer's data
// with the order's own addresses where it has them.
func orderCustomerInfo(o *connector.Order) *PersonalInfo {
	info := infoFromCustomer(&o.Customer, nil)
	if !o.BillingAddress.IsZero() {
		info.Billingaddress = addressToWire(o.BillingAddress, &o.Customer, true)
	}
	if !o.ShippingAddress.IsZero() {
		info.Deliveryaddress = addressToWire(o.ShippingAddress, &o.Customer, false)
	}
	return info
}

// SetOrderStatus writes a canonical status back as a CCV status code (see
// the mapping in status.go), e-mailing the customer when
// ConnectorConfig.MailOnStatusChange is set.
func (c *Connector) SetOrderStatus(ctx context.Context, orderID string, status connector.OrderStatus) error {
	code, err := StatusCode(status)
	if err != nil {
		return validation("order "+strconv.Quote(orderID), "Status", err.Error())
	}
	id, err := parseID("order", orderID)
	if err != nil {
		return err
	}
	return c.c.Orders.UpdateStatus(ctx, id, code, c.cfg.MailOnStatusChange, "")
}
