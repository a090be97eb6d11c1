package ccvshoptest

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/internal/verto"
)

var hundred = decimal.NewFromInt(100)

// AddOrder seeds a completed order with its rows, bypassing HTTP. Zero ids
// are assigned (ids are unique across resources), a zero Ordernumber gets
// the next number, an empty CreateDate the server time, and row prices and
// order totals left at zero are computed from Count, Price, Discount, Tax
// and the attribute prices. It returns the stored order.
func (s *Server) AddOrder(o ccvshop.Order, rows ...ccvshop.OrderRow) ccvshop.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insertOrder(o, rows, true)
}

// AddBasket seeds an unfinished order (a basket or checkout): it has no
// order number and GET /orders/ shows it only with is_completed=false.
func (s *Server) AddBasket(o ccvshop.Order, rows ...ccvshop.OrderRow) ccvshop.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.insertOrder(o, rows, false)
}

// Order returns a stored order.
func (s *Server) Order(id int64) (ccvshop.Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return ccvshop.Order{}, false
	}
	return *o, true
}

// OrderRows returns the stored rows of an order.
func (s *Server) OrderRows(orderID int64) []ccvshop.OrderRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	return collect(s.rowsByOrder[orderID], s.rows)
}

// OrderCount returns the number of orders, unfinished ones included.
func (s *Server) OrderCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.orders)
}

func (s *Server) insertOrder(o ccvshop.Order, rows []ccvshop.OrderRow, completed bool) ccvshop.Order {
	id := s.useID(int64(o.ID))
	o.ID = verto.Int(id)
	o.Href = s.link("orders/%d/", id)
	o.IsCompleted = completed
	if completed {
		if o.Ordernumber == 0 {
			s.nextOrdN++
			o.Ordernumber = verto.Int(s.nextOrdN)
		} else if int64(o.Ordernumber) > s.nextOrdN {
			s.nextOrdN = int64(o.Ordernumber)
		}
		if o.OrdernumberFull == "" {
			o.OrdernumberFull = o.OrdernumberPrefix + sep(o.OrdernumberPrefix) + o.Ordernumber.String()
		}
		o.BasketHref, o.CheckoutHref = "", ""
	} else {
		o.Ordernumber, o.OrdernumberFull, o.OrdernumberPrefix, o.Invoicenumber = 0, "", "", 0
		o.BasketHref = s.link("orders/%d/basket/", id)
		o.CheckoutHref = s.link("orders/%d/checkout/", id)
	}
	if o.CreateDate == "" {
		o.CreateDate = s.stamp()
	}
	if o.Status == 0 {
		o.Status = ccvshop.StatusNew
	}
	if o.Currency == "" {
		o.Currency = "EUR"
	}
	if o.Orderedinlng == "" {
		o.Orderedinlng = "nl"
	}
	if o.DeliverMethod == "" {
		o.DeliverMethod = "shipping"
	}
	if o.User.ID != 0 {
		o.User.Href = s.link("users/%d/", int64(o.User.ID))
	}
	s.setOrderLinks(&o)
	stored := o
	s.orders[id] = &stored
	s.orderIDs = insertID(s.orderIDs, id)
	s.setRows(&stored, rows)
	return stored
}

func sep(prefix string) string {
	if prefix == "" {
		return ""
	}
	return "-"
}

func (s *Server) setOrderLinks(o *ccvshop.Order) {
	id := int64(o.ID)
	o.Orderrows = &ccvshop.Link{Href: s.link("orders/%d/orderrows/", id)}
	o.Ordernotes = &ccvshop.Link{Href: s.link("orders/%d/ordernotes/", id)}
	o.Ordermessages = &ccvshop.Link{Href: s.link("orders/%d/ordermessages/", id)}
	o.Ordernotifications = &ccvshop.Link{Href: s.link("orders/%d/ordernotifications/", id)}
	o.Orderaffiliatenetworks = &ccvshop.Link{Href: s.link("orders/%d/orderaffiliatenetworks/", id)}
	o.Orderlabels = &ccvshop.Link{Href: s.link("orders/%d/orderlabels/", id)}
	o.Invoices = &ccvshop.Link{Href: s.link("orders/%d/invoices/", id)}
}

// setRows replaces an order's rows and recomputes the order's totals.
func (s *Server) setRows(o *ccvshop.Order, rows []ccvshop.OrderRow) {
	oid := int64(o.ID)
	for _, rid := range s.rowsByOrder[oid] {
		delete(s.rows, rid)
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		rid := s.useID(int64(r.ID))
		r.ID, r.OrderID = verto.Int(rid), o.ID
		r.Href = s.link("orderrows/%d/", rid)
		r.Parent = &ccvshop.Link{Href: o.Href}
		if r.ProductID != 0 {
			r.ProductHref = s.link("products/%d/", int64(r.ProductID))
		}
		if r.ProductType == "" {
			r.ProductType = "product"
		}
		computeRow(&r)
		row := r
		s.rows[rid] = &row
		ids = append(ids, rid)
	}
	s.rowsByOrder[oid] = ids
	s.computeTotals(o)
}

// computeRow derives the row's price fields from count, unit price, unit
// discount and the attributes' unit extra prices.
func computeRow(r *ccvshop.OrderRow) {
	extra := decimal.Zero
	for _, a := range r.Attributes {
		extra = extra.Add(a.Price.Decimal)
	}
	sell := r.Price.Sub(r.Discount.Decimal)
	r.OriginalPrice = r.Price
	r.PriceWithoutDiscount = r.Price
	r.SellingPrice = num(sell)
	r.PriceWithoutDiscountWithAttributes = num(r.Price.Add(extra))
	r.PriceWithAttributes = num(sell.Add(extra))
	r.TotalPrice = num(sell.Mul(r.Count.Decimal))
	r.TotalExtraOptionPrice = num(extra.Mul(r.Count.Decimal))
	r.TotalPriceWithAttributes = num(sell.Add(extra).Mul(r.Count.Decimal))
}

// computeTotals derives an order's totals from its rows, shipping, costs and
// coupon; VAT follows the order's taxes-included flags.
func (s *Server) computeTotals(o *ccvshop.Order) {
	rowsTotal, tax, weight := decimal.Zero, decimal.Zero, decimal.Zero
	for _, rid := range s.rowsByOrder[int64(o.ID)] {
		r := s.rows[rid]
		t := r.TotalPriceWithAttributes.Decimal
		rowsTotal = rowsTotal.Add(t)
		tax = tax.Add(vatOf(t, r.Tax.Decimal, o.OrderRowTaxesIncluded))
		weight = weight.Add(r.Weight.Mul(r.Count.Decimal))
	}
	ship := o.TotalShipping.Decimal
	tax = tax.Add(vatOf(ship, o.ShippingTaxPercentage.Decimal, o.ShippingTaxesIncluded))
	if o.Discountcoupon != nil && o.TotalDiscounts.IsZero() {
		o.TotalDiscounts = o.Discountcoupon.Discount
	}
	total := rowsTotal.Add(ship).Add(o.PaymethodCosts.Decimal).Add(o.ExtraCosts.Decimal).
		Sub(o.TotalDiscounts.Decimal).Sub(o.CreditPointDiscount.Decimal)
	if !o.OrderRowTaxesIncluded {
		total = total.Add(tax)
	}
	o.TotalOrderrowPrice = num(rowsTotal)
	o.TotalTax = num(tax.Round(2))
	o.TotalPrice = num(total.Round(2))
	o.TotalWeight = num(weight)
}

// vatOf is the VAT in amount at rate percent, amount being gross when
// included.
func vatOf(amount, rate decimal.Decimal, included bool) decimal.Decimal {
	if rate.IsZero() || amount.IsZero() {
		return decimal.Zero
	}
	if included {
		return amount.Mul(rate).Div(hundred.Add(rate))
	}
	return amount.Mul(rate).Div(hundred)
}

func (s *Server) listOrders(r *request) reply {
	q := r.URL.Query()
	ordernumber, hasON, b1 := intParam(q, "ordernumber")
	status, hasStatus, b2 := intParam(q, "status")
	paid, hasPaid, b3 := boolParam(q, "is_paid")
	completed, hasCompleted, b4 := boolParam(q, "is_completed")
	paymethod, hasPM, b5 := intParam(q, "paymethod_id")
	minDay, b6 := dayParam(q, "min_create_date")
	maxDay, b7 := dayParam(q, "max_create_date")
	deliverDay, b8 := dayParam(q, "deliver_date")
	takeOutDay, b9 := dayParam(q, "take_out_date")
	for _, b := range []*reply{b1, b2, b3, b4, b5, b6, b7, b8, b9} {
		if bad(b) {
			return *b
		}
	}
	if !hasCompleted {
		completed = true // quirk: unfinished orders are hidden by default
	}
	txn := q.Get("transaction_id")
	s.mu.Lock()
	var out []ccvshop.Order
	for _, id := range s.orderIDs {
		o := s.orders[id]
		day := dayOf(o.CreateDate)
		switch {
		case o.IsCompleted != completed,
			hasON && int64(o.Ordernumber) != ordernumber,
			hasStatus && int64(o.Status) != status,
			hasPaid && o.Paid != paid,
			hasPM && int64(o.PaymethodID) != paymethod,
			txn != "" && o.TransactionID != txn,
			minDay != "" && day < minDay,
			maxDay != "" && day > maxDay,
			deliverDay != "" && dayOf(o.DeliverDate) != deliverDay,
			takeOutDay != "" && (o.TakeOutWindow == nil || dayOf(o.TakeOutWindow.Start) != takeOutDay):
			continue
		}
		out = append(out, *o)
	}
	s.mu.Unlock()
	if b := sortItems(out, q.Get("orderby"), []string{"id", "ordernumber", "create_date", "deliver_date"},
		func(a, b ccvshop.Order, f string) int {
			switch f {
			case "ordernumber":
				return cmpInt(int64(a.Ordernumber), int64(b.Ordernumber))
			case "create_date":
				return strings.Compare(a.CreateDate, b.CreateDate)
			case "deliver_date":
				return strings.Compare(a.DeliverDate, b.DeliverDate)
			}
			return cmpInt(int64(a.ID), int64(b.ID))
		}); bad(b) {
		return *b
	}
	return paginate(r, out)
}

func (s *Server) getOrder(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return notFound("order", r.PathValue("id"))
	}
	return okJSON(o)
}

// rowsFromInput builds order rows from POST/PUT input, filling product data
// for rows with a product_id and applying stock changes when commit is set.
func (s *Server) rowsFromInput(in []ccvshop.OrderRowInput, raw []map[string]any) ([]ccvshop.OrderRow, *reply) {
	rows := make([]ccvshop.OrderRow, 0, len(in))
	for i, ri := range in {
		if raw != nil && i < len(raw) {
			if _, ok := raw[i]["count"]; !ok {
				rep := invalid("orderrows[%d]: property \"count\" is required", i)
				return nil, &rep
			}
		}
		if !ri.Count.IsPositive() {
			rep := invalid("orderrows[%d].count must be greater than zero", i)
			return nil, &rep
		}
		row := ccvshop.OrderRow{Count: ri.Count, ProductType: ri.ProductType}
		if ri.ProductID != 0 {
			p, ok := s.products[int64(ri.ProductID)]
			if !ok {
				rep := invalid("orderrows[%d].product_id %d does not exist", i, int64(ri.ProductID))
				return nil, &rep
			}
			row.ProductID = p.ID
			row.ProductName, row.ProductNumber = p.Name, p.Productnumber
			row.Price, row.Discount, row.Tax = p.Price, p.Discount, p.Vatrate
			row.Unit, row.Weight = p.Unit, p.Weight
			row.ProductPurchasePrice = p.Purchaseprice
			if p.Package != nil {
				row.PackageID = p.Package.ID
				row.PackageName = s.packages[int64(p.Package.ID)]
			}
			if ri.AttributeCombinationID != 0 {
				c, ok := s.combos[int64(ri.AttributeCombinationID)]
				if !ok || c.ProductID != p.ID {
					rep := invalid("orderrows[%d].attribute_combination_id %d is not a combination of product %d",
						i, int64(ri.AttributeCombinationID), int64(p.ID))
					return nil, &rep
				}
				row.SubProductNumber, row.SubSkuNumber, row.SubEanNumber = c.ProductNumber, c.SkuNumber, c.EanNumber
				for _, part := range c.Combination {
					row.Attributes = append(row.Attributes, ccvshop.OrderRowAttribute{
						ID: part.AttributeValue.ID, OptionName: part.Attribute.Name,
						ValueName: part.AttributeValue.Name, Price: part.ExtraPrice})
				}
			}
		} else {
			if ri.AttributeCombinationID != 0 {
				rep := invalid("orderrows[%d]: attribute_combination_id needs product_id", i)
				return nil, &rep
			}
			if ri.PackageID == 0 {
				rep := invalid("orderrows[%d]: package_id is required without product_id", i)
				return nil, &rep
			}
			if strings.TrimSpace(ri.ProductName) == "" {
				rep := invalid("orderrows[%d]: product_name is required without product_id", i)
				return nil, &rep
			}
		}
		if ri.PackageID != 0 {
			name, ok := s.packages[int64(ri.PackageID)]
			if !ok {
				rep := invalid("orderrows[%d].package_id %d does not exist", i, int64(ri.PackageID))
				return nil, &rep
			}
			row.PackageID, row.PackageName = ri.PackageID, name
		}
		if ri.ProductName != "" {
			row.ProductName = ri.ProductName
		}
		if ri.ProductNumber != "" {
			row.ProductNumber = ri.ProductNumber
		}
		if ri.Price != nil {
			row.Price, row.CustomPrice = *ri.Price, true
		}
		if ri.Discount != nil {
			row.Discount = *ri.Discount
		}
		if ri.Tax != nil {
			row.Tax = *ri.Tax
		}
		if ri.Unit != "" {
			row.Unit = ri.Unit
		}
		if ri.Weight != nil {
			row.Weight = *ri.Weight
		}
		if ri.Memo != "" {
			row.Memo = ri.Memo
		}
		if ri.ProductPurchasePrice != nil {
			row.ProductPurchasePrice = *ri.ProductPurchasePrice
		}
		if row.Tax.IsNegative() || row.Tax.GreaterThan(hundred) {
			rep := invalid("orderrows[%d].tax must be a percentage between 0 and 100", i)
			return nil, &rep
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// takeStock lowers the stock of the products and combinations ordered
// (the shop reserves sold goods at order time).
func (s *Server) takeStock(rows []ccvshop.OrderRow, combos []ccvshop.OrderRowInput) {
	for i, r := range rows {
		p := s.products[int64(r.ProductID)]
		if p == nil || !p.Stockenabled {
			continue
		}
		if i < len(combos) && combos[i].AttributeCombinationID != 0 {
			if c := s.combos[int64(combos[i].AttributeCombinationID)]; c != nil {
				c.Stock = num(c.Stock.Sub(r.Count.Decimal))
			}
			continue
		}
		p.Stock = num(p.Stock.Sub(r.Count.Decimal))
	}
}

func rawRows(keys map[string]any) []map[string]any {
	list, _ := keys["orderrows"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, it := range list {
		m, _ := it.(map[string]any)
		out = append(out, m)
	}
	return out
}

func (s *Server) createOrder(r *request) reply {
	var in ccvshop.OrderInput
	if b := decodeRequired(r, &in, "order", "customer", "orderrows"); bad(b) {
		return *b
	}
	if len(in.Orderrows) == 0 {
		return invalid("order: orderrows needs at least one row")
	}
	if in.Status != 0 && (in.Status < 1 || in.Status > 14) {
		return invalid("order: status %d is not a status code 1-14", int64(in.Status))
	}
	raw := anyMap(r.Body)
	s.mu.Lock()
	if in.UserID != 0 {
		if _, ok := s.users[int64(in.UserID)]; !ok {
			s.mu.Unlock()
			return invalid("order: user_id %d does not exist", int64(in.UserID))
		}
	}
	rows, b := s.rowsFromInput(in.Orderrows, rawRows(raw))
	if bad(b) {
		s.mu.Unlock()
		return *b
	}
	o := ccvshop.Order{
		User: ccvshop.OrderUser{ID: in.UserID}, Customer: in.Customer, Status: in.Status,
		Invoicenumber: in.Invoicenumber, Currency: in.Currency, Orderedinlng: in.Orderedinlng,
		TrackAndTraceCode: in.TrackAndTraceCode, TrackAndTraceCarrier: in.TrackAndTraceCarrier,
		DeliverDate: in.DeliverDate, DeliverMethod: in.DeliverMethod, Reservationnumber: in.Reservationnumber,
		ExtraCostsDescription: in.ExtraCostsDescription, TaxesIncluded: true, OrderRowTaxesIncluded: true,
		ShippingTaxesIncluded: true, ShippingTaxPercentage: verto.MustNum("21"),
	}
	setBool := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	setBool(&o.Paid, in.Paid)
	setBool(&o.TaxesIncluded, in.TaxesIncluded)
	setBool(&o.OrderRowTaxesIncluded, in.OrderRowTaxesIncluded)
	setBool(&o.ShippingTaxesIncluded, in.ShippingTaxesIncluded)
	setBool(&o.IsIntraCommunityOrder, in.IsIntraCommunityOrder)
	setBool(&o.IsPlatformSale, in.IsPlatformSale)
	for dst, v := range map[*verto.Number]*verto.Number{&o.TotalShipping: in.TotalShipping,
		&o.PaymethodCosts: in.PaymethodCosts, &o.ExtraCosts: in.ExtraCosts} {
		if v != nil {
			*dst = *v
		}
	}
	completed := in.IsCompleted == nil || *in.IsCompleted
	stored := s.insertOrder(o, rows, completed)
	if completed {
		s.takeStock(rows, in.Orderrows)
	}
	s.mu.Unlock()
	if completed {
		s.notify(ccvshop.EventOrderCreated, orderDelivery(&stored))
	}
	return created(stored)
}

func anyMap(body []byte) map[string]any {
	var m map[string]any
	_ = jsonUnmarshal(body, &m)
	return m
}

func (s *Server) patchOrder(r *request) reply {
	id, _ := pathID(r)
	var in ccvshop.OrderPatch
	_, b := decode(r, &in)
	if bad(b) {
		return *b
	}
	if in.Status != 0 && (in.Status < 1 || in.Status > 14) {
		return invalid("order: status %d is not a status code 1-14", int64(in.Status))
	}
	s.mu.Lock()
	o, ok := s.orders[id]
	if !ok {
		s.mu.Unlock()
		return notFound("order", r.PathValue("id"))
	}
	before := *o
	if in.Status != 0 {
		o.Status = in.Status
	}
	if in.Paid != nil {
		o.Paid = *in.Paid
	}
	if in.Invoicenumber != 0 {
		o.Invoicenumber = in.Invoicenumber
	}
	for dst, v := range map[*verto.Number]*verto.Number{&o.TotalShipping: in.TotalShipping,
		&o.PaymethodCosts: in.PaymethodCosts, &o.ExtraCosts: in.ExtraCosts} {
		if v != nil {
			*dst = *v
		}
	}
	for dst, v := range map[*bool]*bool{&o.TaxesIncluded: in.TaxesIncluded, &o.OrderRowTaxesIncluded: in.OrderRowTaxesIncluded,
		&o.ShippingTaxesIncluded: in.ShippingTaxesIncluded, &o.IsIntraCommunityOrder: in.IsIntraCommunityOrder} {
		if v != nil {
			*dst = *v
		}
	}
	for dst, v := range map[*string]string{&o.ExtraCostsDescription: in.ExtraCostsDescription, &o.Currency: in.Currency,
		&o.TrackAndTraceCode: in.TrackAndTraceCode, &o.TrackAndTraceCarrier: in.TrackAndTraceCarrier,
		&o.DeliverDate: in.DeliverDate, &o.DeliverMethod: in.DeliverMethod, &o.Reservationnumber: in.Reservationnumber} {
		if v != "" {
			*dst = v
		}
	}
	if in.Customer != nil {
		o.Customer = in.Customer
	}
	if in.Orderrows != nil {
		rows, b := s.rowsFromInput(in.Orderrows, nil)
		if bad(b) {
			*o = before
			s.mu.Unlock()
			return *b
		}
		s.setRows(o, rows)
	} else {
		s.computeTotals(o)
	}
	after := *o
	s.mu.Unlock()
	if after.Status != before.Status {
		d := orderDelivery(&after)
		d["previous_status"], d["status"] = int64(before.Status), int64(after.Status)
		s.notify(ccvshop.EventOrderStatusChanged, d)
	}
	if after.Paid != before.Paid {
		s.notify(ccvshop.EventOrderPaid, orderDelivery(&after))
	}
	if after.TrackAndTraceCode != before.TrackAndTraceCode {
		d := orderDelivery(&after)
		d["track_and_trace_code"], d["track_and_trace_carrier"] = after.TrackAndTraceCode, after.TrackAndTraceCarrier
		s.notify(ccvshop.EventOrderTrackAndTrace, d)
	}
	return noContent()
}

// orderDelivery is the small notification of an order event.
func orderDelivery(o *ccvshop.Order) map[string]any {
	email, mobile := "", ""
	if o.Customer != nil {
		email = o.Customer.Email
		if o.Customer.Billingaddress != nil {
			mobile = o.Customer.Billingaddress.Mobile
		}
	}
	return map[string]any{
		"href":               strings.TrimSuffix(o.Href, "/"),
		"id":                 int64(o.ID),
		"order_number":       int64(o.Ordernumber),
		"ordernumber_prefix": nullIfEmpty(o.OrdernumberPrefix),
		"ordernumber_full":   o.OrdernumberFull,
		"total_price":        o.TotalPrice,
		"customer_email":     email,
		"customer_mobile":    mobile,
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) createOrderRow(r *request) reply {
	id, _ := pathID(r)
	var in ccvshop.OrderRowInput
	if b := decodeRequired(r, &in, "orderrow", "count"); bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return notFound("order", r.PathValue("id"))
	}
	rows, b := s.rowsFromInput([]ccvshop.OrderRowInput{in}, nil)
	if bad(b) {
		return *b
	}
	all := s.orderRowsLocked(id)
	all = append(all, rows[0])
	s.setRows(o, all)
	ids := s.rowsByOrder[id]
	return created(*s.rows[ids[len(ids)-1]])
}

func (s *Server) orderRowsLocked(orderID int64) []ccvshop.OrderRow {
	return collect(s.rowsByOrder[orderID], s.rows)
}

func (s *Server) patchOrderRow() handler {
	return patch(s, "orderrow", func() map[int64]*ccvshop.OrderRow { return s.rows },
		func(id int64, row *ccvshop.OrderRow, in *ccvshop.OrderRowPatch) reply {
			o := s.orders[int64(row.OrderID)]
			if o.IsCompleted {
				return invalid("orderrow %d: rows can only be changed while the order is not completed", id)
			}
			if in.Count != nil {
				if !in.Count.IsPositive() {
					return invalid("orderrow: count must be greater than zero")
				}
				row.Count = *in.Count
			}
			if in.Price != nil {
				row.Price, row.CustomPrice = *in.Price, true
			}
			if in.Discount != nil {
				row.Discount = *in.Discount
			}
			computeRow(row)
			s.computeTotals(o)
			return noContent()
		})
}

func (s *Server) replaceOrderRows(r *request) reply {
	id, _ := pathID(r)
	var in struct {
		Orderrows []ccvshop.OrderRowInput `json:"orderrows"`
	}
	if b := decodeRequired(r, &in, "orderrows", "orderrows"); bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return notFound("order", r.PathValue("id"))
	}
	rows, b := s.rowsFromInput(in.Orderrows, rawRows(anyMap(r.Body)))
	if bad(b) {
		return *b
	}
	s.setRows(o, rows)
	return noContent()
}

func (s *Server) deleteOrderRow(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	row, ok := s.rows[id]
	if !ok {
		return notFound("orderrow", r.PathValue("id"))
	}
	oid := int64(row.OrderID)
	delete(s.rows, id)
	s.rowsByOrder[oid] = removeFrom(s.rowsByOrder[oid], id)
	s.computeTotals(s.orders[oid])
	return noContent()
}

// removeFrom removes id from an unsorted id list.
func removeFrom(ids []int64, id int64) []int64 {
	for i, v := range ids {
		if v == id {
			return append(ids[:i], ids[i+1:]...)
		}
	}
	return ids
}
