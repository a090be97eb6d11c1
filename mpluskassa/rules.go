package mpluskassa

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/tradelink/tradelink/connector"
)

// Business rules of MplusKASSA (§7 of the notes) that the client checks
// before a write is sent, so a request the server would refuse costs no call
// and the error names the field. Failures are connector.ValidationErrors.

// DefaultEmployeeNumber is the employee integrations book orders under: the
// "superuser" 999999 integrators use when no real employee is involved.
const DefaultEmployeeNumber int64 = 999999

// Turnover group numbers lie in this range.
const (
	MinTurnoverGroup = 0
	MaxTurnoverGroup = 999
)

// rules collects the rule violations of one record.
type rules struct {
	record string
	errs   connector.ValidationErrors
}

func (r *rules) add(field, value, reason string) {
	r.errs = append(r.errs, &connector.ValidationError{Record: r.record, Field: field, Value: value, Reason: reason})
}

func (r *rules) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return r.errs
}

// merge adds the validation errors err holds and returns nil; any other
// error (an API error while resolving a value) is returned unchanged for
// the caller to stop on.
func (r *rules) merge(err error) error {
	var ve *connector.ValidationError
	var ves connector.ValidationErrors
	switch {
	case err == nil:
	case errors.As(err, &ves):
		r.errs = append(r.errs, ves...)
	case errors.As(err, &ve):
		r.errs = append(r.errs, ve)
	default:
		return err
	}
	return nil
}

// value adds an error for a value that does not convert to the wire format.
func (r *rules) value(field, value string, err error) {
	if err != nil {
		r.add(field, value, err.Error())
	}
}

func (r *rules) turnoverGroup(field string, g *int) {
	if g != nil && (*g < MinTurnoverGroup || *g > MaxTurnoverGroup) {
		r.add(field, strconv.Itoa(*g), fmt.Sprintf("turnover groups are numbered %d–%d", MinTurnoverGroup, MaxTurnoverGroup))
	}
}

func (r *rules) positive(field string, v int64) {
	if v <= 0 {
		r.add(field, strconv.FormatInt(v, 10), "must be a positive number")
	}
}

func (r *rules) places(field string, p *int) {
	if p == nil {
		r.add(field, "", "is required: send decimalPlaces explicitly, clients read a missing one differently")
	} else if *p < 0 || *p > maxDecimalPlaces {
		r.add(field, strconv.Itoa(*p), fmt.Sprintf("must be 0–%d", maxDecimalPlaces))
	}
}

func recordName(kind string, id *int64) string {
	if id == nil {
		return kind + " (new)"
	}
	return kind + " " + strconv.FormatInt(*id, 10)
}

// validate checks a product for createProduct or updateProduct: update
// needs the product number, article numbers given must be positive, and
// turnover groups lie in 0–999.
func (p Product) validate(op string) error {
	r := rules{record: recordName("product", p.ProductNumber)}
	if p.ProductNumber != nil {
		r.positive("productNumber", *p.ProductNumber)
	} else if op == opUpdateProduct.name {
		r.add("productNumber", "", "is required to update a product")
	}
	for i, a := range p.Articles() {
		f := fmt.Sprintf("articleList.article[%d].", i)
		if a.ArticleNumber != nil {
			r.positive(f+"articleNumber", *a.ArticleNumber)
		}
		r.turnoverGroup(f+"turnoverGroup", a.TurnoverGroup)
		if a.ContentQuantity != nil {
			r.places(f+"contentQuantityDecimalPlaces", a.ContentQuantityDecimalPlaces)
		}
		if a.OrderQuantityValue != nil {
			r.places(f+"orderQuantityDecimalPlaces", a.OrderQuantityDecimalPlaces)
		}
	}
	return r.err()
}

// validate checks an order for createOrder and createOrderV3 (newOrder) or
// saveOrder: an employee number (mandatory in practice; integrations use
// 999999), a relation (every order has one), at least one line with an
// article number and an explicit quantity scale, turnover groups in 0–999,
// and a workplace when the order is entered at another branch than the one
// it is booked at.
func (o Order) validate(newOrder bool) error {
	name := "order"
	switch {
	case o.ExtOrderID != nil && *o.ExtOrderID != "":
		name += " " + strconv.Quote(*o.ExtOrderID)
	case o.OrderID != "":
		name += " " + strconv.Quote(o.OrderID)
	}
	r := rules{record: name}
	if newOrder && o.OrderID != "" {
		r.add("orderId", o.OrderID, "must be empty for a new order (use saveOrder to change one)")
	}
	if o.EmployeeNumber == nil {
		r.add("employeeNumber", "", "is required (integrations use 999999)")
	} else {
		r.positive("employeeNumber", *o.EmployeeNumber)
	}
	if o.RelationNumber == nil {
		r.add("relationNumber", "", "is required: every order is attached to a relation")
	} else {
		r.positive("relationNumber", *o.RelationNumber)
	}
	if o.EntryBranchNumber != nil && o.FinancialBranchNumber != nil &&
		*o.EntryBranchNumber != *o.FinancialBranchNumber && o.WorkplaceNumber == nil {
		r.add("workplaceNumber", "", fmt.Sprintf("is required when entryBranchNumber (%d) differs from financialBranchNumber (%d)",
			*o.EntryBranchNumber, *o.FinancialBranchNumber))
	}
	if len(o.Lines()) == 0 {
		r.add("lineList", "", "an order needs at least one line")
	}
	for i, l := range o.Lines() {
		f := fmt.Sprintf("lineList.line[%d].", i)
		r.positive(f+"articleNumber", l.ArticleNumber)
		if l.Data == nil {
			r.add(f+"data", "", "is required: it holds the quantity")
			continue
		}
		r.places(f+"data.decimalPlaces", l.Data.DecimalPlaces)
		r.turnoverGroup(f+"data.turnoverGroup", l.Data.TurnoverGroup)
	}
	for i, p := range o.Payments() {
		if p.Method == "" {
			r.add(fmt.Sprintf("paymentList.payment[%d].method", i), "", "is required")
		}
	}
	return r.err()
}

// validateStock checks an updateStock or setStock request.
func validateStock(branch int, article int64, places *int) error {
	r := rules{record: "stock of article " + strconv.FormatInt(article, 10)}
	r.positive("branchNumber", int64(branch))
	r.positive("articleNumber", article)
	r.places("decimalPlaces", places)
	return r.err()
}
