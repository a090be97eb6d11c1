package mpluskassatest

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/mpluskassa"
)

// Result code prefixes of the order writes that create orders.
const (
	createPrefix = "CREATE-ORDER-RESULT-"
	savePrefix   = "SAVE-ORDER-RESULT-"
)

// createOrder checks and stores a new order the way createOrder,
// createOrderV3 and saveOrder (without orderId) do, reserving stock for its
// lines. prefix selects the result codes.
func (st *state) createOrder(o mpluskassa.Order, prefix string) (mpluskassa.Order, *errResult) {
	o = clone(o)
	failed := prefix + "FAILED"
	if o.OrderID != "" {
		return o, fail(failed, "orderId must be empty for a new order")
	}
	if ext := val(o.ExtOrderID); ext != "" {
		if _, taken := st.orderByExt[ext]; taken {
			return o, fail(prefix+"EXT-ORDER-ID-ALREADY-EXISTS", "extOrderId %q already exists", ext)
		}
	}
	if err := st.checkOrderHeader(&o, failed); err != nil {
		return o, err
	}
	if len(o.Lines()) == 0 {
		return o, fail(failed, "an order needs at least one line")
	}
	if err := st.completeLines(&o, failed); err != nil {
		return o, err
	}
	st.orderSeq++
	o.OrderID = fmt.Sprintf("%032x", 0xa0000000+st.orderSeq)
	o.OrderNumber = &mpluskassa.YearNumber{Year: o.FinancialDate.Year, Number: st.orderSeq}
	if o.OrderType == nil {
		o.OrderType = mpluskassa.Ptr(mpluskassa.OrderTypeSalesOrder)
	}
	o.DeliveryState = mpluskassa.Ptr(mpluskassa.DeliveryStateNothing)
	o.CancelState = mpluskassa.Ptr(mpluskassa.CancelStateNothing)
	o.CompleteState = mpluskassa.Ptr(mpluskassa.CompleteStateNothing)
	o.ChangeCounter, o.VersionNumber = mpluskassa.Ptr(1), mpluskassa.Ptr(1)
	if o.FullyPaid == nil {
		o.FullyPaid = mpluskassa.Ptr(false)
	}
	st.orderMarker++
	o.SyncMarker = mpluskassa.Ptr(st.orderMarker)
	st.orders[o.OrderID] = &o
	if ext := val(o.ExtOrderID); ext != "" {
		st.orderByExt[ext] = o.OrderID
	}
	st.reserve(&o, 1, false)
	return clone(o), nil
}

// checkOrderHeader applies the header rules and defaults: employee,
// relation, branches with the workplace rule, dates.
func (st *state) checkOrderHeader(o *mpluskassa.Order, failed string) *errResult {
	if o.EmployeeNumber == nil {
		return fail(failed, "employeeNumber is required")
	}
	emp, ok := st.employees[*o.EmployeeNumber]
	if !ok {
		return fail(failed, "employee %d not found", *o.EmployeeNumber)
	}
	o.EmployeeName = emp.Name
	if o.RelationNumber == nil {
		return fail(failed, "relationNumber is required: an order needs a relation")
	}
	rel, ok := st.relations[*o.RelationNumber]
	if !ok {
		return fail(failed, "relation %d not found", *o.RelationNumber)
	}
	o.RelationName = rel.Name
	// As the legacy client: each branch defaults to the other, else 1.
	switch {
	case o.FinancialBranchNumber == nil && o.EntryBranchNumber == nil:
		o.FinancialBranchNumber, o.EntryBranchNumber = mpluskassa.Ptr(1), mpluskassa.Ptr(1)
	case o.FinancialBranchNumber == nil:
		o.FinancialBranchNumber = mpluskassa.Ptr(*o.EntryBranchNumber)
	case o.EntryBranchNumber == nil:
		o.EntryBranchNumber = mpluskassa.Ptr(*o.FinancialBranchNumber)
	}
	for _, b := range []int{*o.FinancialBranchNumber, *o.EntryBranchNumber} {
		if st.branch(b) == nil {
			return fail(failed, "branch %d not found", b)
		}
	}
	// UNCONFIRMED: "a non-default entryBranchNumber needs a workplaceNumber"
	// is read as: entry branch differs from the booking branch.
	if *o.EntryBranchNumber != *o.FinancialBranchNumber && o.WorkplaceNumber == nil {
		return fail(failed, "workplaceNumber is required when entryBranchNumber differs from financialBranchNumber")
	}
	if o.WorkplaceNumber != nil && !hasWorkplace(st.branch(*o.EntryBranchNumber), *o.WorkplaceNumber) {
		return fail(failed, "workplace %d not found in branch %d", *o.WorkplaceNumber, *o.EntryBranchNumber)
	}
	if o.EntryTimestamp == nil {
		o.EntryTimestamp = st.stamp()
	} else if _, err := o.EntryTimestamp.Time(); err != nil {
		return fail(failed, "entryTimestamp: %v", err)
	}
	if o.FinancialDate == nil {
		o.FinancialDate = mpluskassa.Ptr(mpluskassa.NewDate(st.now()))
	} else if _, err := o.FinancialDate.Time(); err != nil {
		return fail(failed, "financialDate: %v", err)
	}
	if o.VatMethod == nil {
		o.VatMethod = mpluskassa.Ptr(mpluskassa.VatMethodInclusive)
	}
	return nil
}

func hasWorkplace(b *mpluskassa.Branch, n int) bool {
	if b == nil || b.Workplaces == nil {
		return false
	}
	for _, w := range b.Workplaces.Workplace {
		if w.WorkplaceNumber == n {
			return true
		}
	}
	return false
}

// completeLines checks every line (article exists, quantity scale,
// turnover group) and fills ids, prices, VAT and totals as the server would.
func (st *state) completeLines(o *mpluskassa.Order, failed string) *errResult {
	incl := val(o.VatMethod) != mpluskassa.VatMethodExclusive
	hundred := decimal.NewFromInt(100)
	var totalIncl, totalExcl int64
	for i := range o.LineList.Line {
		l := &o.LineList.Line[i]
		a, _ := st.article(l.ArticleNumber)
		if a == nil {
			return fail(failed, "line %d: article %d not found", i, l.ArticleNumber)
		}
		if l.Data == nil {
			return fail(failed, "line %d: data with a quantity is required", i)
		}
		d := l.Data
		qty, err := d.QuantityDecimal()
		if err != nil || qty.IsZero() {
			return fail(failed, "line %d: quantity %d with decimalPlaces %d is not a quantity", i, d.Quantity, val(d.DecimalPlaces))
		}
		if g := d.TurnoverGroup; g != nil && (*g < mpluskassa.MinTurnoverGroup || *g > mpluskassa.MaxTurnoverGroup) {
			return fail(failed, "line %d: turnoverGroup %d is outside %d-%d", i, *g, mpluskassa.MinTurnoverGroup, mpluskassa.MaxTurnoverGroup)
		}
		if d.TurnoverGroup == nil {
			d.TurnoverGroup = a.TurnoverGroup
		}
		d.VatCode, d.VatPercentage = a.VatCode, a.VatPercentage
		vat := decimal.NewFromInt(val(a.VatPercentage))
		if l.LineID == nil {
			l.LineID = mpluskassa.Ptr(strconv.Itoa(i + 1))
		}
		if l.Text == nil {
			l.Text = a.Description
		}
		if incl {
			if d.Price == nil {
				d.Price = mpluskassa.Ptr(val(a.PriceIncl))
			}
			d.PriceExcl = mpluskassa.Ptr(decimal.NewFromInt(*d.Price).Mul(hundred).Div(hundred.Add(vat)).Round(0).IntPart())
		} else {
			if d.PriceExcl == nil {
				d.PriceExcl = mpluskassa.Ptr(val(a.PriceExcl))
			}
			d.Price = mpluskassa.Ptr(decimal.NewFromInt(*d.PriceExcl).Mul(hundred.Add(vat)).Div(hundred).Round(0).IntPart())
		}
		if incl {
			gross := decimal.NewFromInt(*d.Price).Mul(qty).Sub(decimal.NewFromInt(val(d.DiscountAmount))).Round(0)
			d.TotalInclAmount = mpluskassa.Ptr(gross.IntPart())
			d.TotalExclAmount = mpluskassa.Ptr(gross.Mul(hundred).Div(hundred.Add(vat)).Round(0).IntPart())
		} else {
			net := decimal.NewFromInt(*d.PriceExcl).Mul(qty).Sub(decimal.NewFromInt(val(d.DiscountAmountExcl))).Round(0)
			d.TotalExclAmount = mpluskassa.Ptr(net.IntPart())
			d.TotalInclAmount = mpluskassa.Ptr(net.Mul(hundred.Add(vat)).Div(hundred).Round(0).IntPart())
		}
		totalIncl += *d.TotalInclAmount
		totalExcl += *d.TotalExclAmount
	}
	o.TotalInclAmount, o.TotalExclAmount = &totalIncl, &totalExcl
	return nil
}

// saveOrder creates (empty orderId) or updates an order: header fields
// set in the request replace the stored ones and a lineList replaces the
// lines (moving the reservations). changeCounter, when sent, must match.
func (st *state) saveOrder(o mpluskassa.Order) (mpluskassa.Order, string, *errResult) {
	if o.OrderID == "" {
		created, err := st.createOrder(o, savePrefix)
		return created, mpluskassa.SaveOrderOK, err
	}
	cur, ok := st.orders[o.OrderID]
	if !ok {
		return o, "", fail(mpluskassa.SaveOrderNotFound, "order %s not found", o.OrderID)
	}
	if o.ChangeCounter != nil && *o.ChangeCounter != val(cur.ChangeCounter) {
		return o, "", fail(mpluskassa.SaveOrderHasChanged, "order %s has changeCounter %d", o.OrderID, val(cur.ChangeCounter))
	}
	if ext := val(o.ExtOrderID); ext != "" && ext != val(cur.ExtOrderID) {
		if _, taken := st.orderByExt[ext]; taken {
			return o, "", fail(mpluskassa.SaveOrderExtOrderIDExists, "extOrderId %q already exists", ext)
		}
	}
	next := clone(*cur)
	merge(&next, clone(o), "OrderID", "SyncMarker", "ChangeCounter", "VersionNumber", "OrderNumber", "DeliveryState", "CancelState", "CompleteState")
	if err := st.checkOrderHeader(&next, mpluskassa.SaveOrderFailed); err != nil {
		return o, "", err
	}
	if err := st.completeLines(&next, mpluskassa.SaveOrderFailed); err != nil {
		return o, "", err
	}
	if reflect.DeepEqual(next, *cur) {
		return clone(*cur), mpluskassa.SaveOrderNoChanges, nil
	}
	st.reserve(cur, -1, false)
	st.reserve(&next, 1, false)
	if old := val(cur.ExtOrderID); old != val(next.ExtOrderID) {
		delete(st.orderByExt, old)
		st.orderByExt[val(next.ExtOrderID)] = next.OrderID
	}
	next.ChangeCounter = mpluskassa.Ptr(val(cur.ChangeCounter) + 1)
	next.VersionNumber = mpluskassa.Ptr(val(cur.VersionNumber) + 1)
	st.orderMarker++
	next.SyncMarker = mpluskassa.Ptr(st.orderMarker)
	st.orders[next.OrderID] = &next
	return clone(next), mpluskassa.SaveOrderOK, nil
}

// cancelOrder cancels an order and releases its reservations.
func (st *state) cancelOrder(id string) mpluskassa.CancelOrderResponse {
	o, ok := st.orders[id]
	switch {
	case !ok:
		return mpluskassa.CancelOrderResponse{Result: mpluskassa.CancelOrderNotFound, Message: "order not found"}
	case val(o.CancelState) == mpluskassa.CancelStateComplete:
		return mpluskassa.CancelOrderResponse{Result: mpluskassa.CancelOrderAlreadyCancelled, Message: "order is already cancelled"}
	case val(o.DeliveryState) == mpluskassa.DeliveryStateComplete:
		return mpluskassa.CancelOrderResponse{Result: mpluskassa.CancelOrderFailed, Message: "a delivered order cannot be cancelled"}
	}
	st.reserve(o, -1, false)
	next := clone(*o)
	next.CancelState = mpluskassa.Ptr(mpluskassa.CancelStateComplete)
	next.CompleteState = mpluskassa.Ptr(mpluskassa.CompleteStateComplete)
	st.touchOrder(&next)
	return mpluskassa.CancelOrderResponse{Result: mpluskassa.CancelOrderOK, Message: ""}
}

// deliverOrder delivers every line: reservations become stock leaving the
// branch.
func (st *state) deliverOrder(id string) mpluskassa.DeliverOrderResponse {
	o, ok := st.orders[id]
	switch {
	case !ok:
		// deliverOrder has no NOT-FOUND result.
		return mpluskassa.DeliverOrderResponse{Result: mpluskassa.DeliverOrderFailed, ErrorMessage: "order not found"}
	case val(o.DeliveryState) == mpluskassa.DeliveryStateComplete:
		return mpluskassa.DeliverOrderResponse{Result: mpluskassa.DeliverOrderAlreadyDelivered, ErrorMessage: ""}
	case val(o.CancelState) == mpluskassa.CancelStateComplete:
		return mpluskassa.DeliverOrderResponse{Result: mpluskassa.DeliverOrderFailed, ErrorMessage: "a cancelled order cannot be delivered"}
	}
	st.reserve(o, -1, true)
	next := clone(*o)
	for i := range next.LineList.Line {
		d := next.LineList.Line[i].Data
		d.DeliveredQuantity, d.DeliveredDecimalPlaces = mpluskassa.Ptr(d.Quantity), mpluskassa.Ptr(val(d.DecimalPlaces))
	}
	next.DeliveryState = mpluskassa.Ptr(mpluskassa.DeliveryStateComplete)
	st.touchOrder(&next)
	slip := fmt.Sprintf("slip-%s", next.OrderID[len(next.OrderID)-8:])
	return mpluskassa.DeliverOrderResponse{Result: mpluskassa.DeliverOrderOK, PackingSlipID: &slip}
}

func (st *state) touchOrder(o *mpluskassa.Order) {
	o.ChangeCounter = mpluskassa.Ptr(val(o.ChangeCounter) + 1)
	st.orderMarker++
	o.SyncMarker = mpluskassa.Ptr(st.orderMarker)
	st.orders[o.OrderID] = o
}
