package mpluskassa

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/tradelink/tradelink/connector"
)

// Customers are relations. A company customer is written as a relation with
// name and companyName set to the company and the person in contact; a
// person as a relation with only a name. Customer.ID is the relation number.

// Customers streams every relation by sync marker. q.UpdatedSince, when
// set, keeps relations changed at or after it (relations carry a change
// timestamp; the filter is applied to the pages read).
func (k *Connector) Customers(ctx context.Context, q connector.CustomerQuery) iter.Seq2[connector.Customer, error] {
	var keep func(connector.Customer) bool
	if !q.UpdatedSince.IsZero() {
		keep = func(c connector.Customer) bool { return c.UpdatedAt.IsZero() || !c.UpdatedAt.Before(q.UpdatedSince) }
	}
	return convert(k.c.Relations.All(ctx, GetRelationsRequest{SyncMarkerLimit: Ptr(k.pageSize(q.PageSize))}), k.toCustomer, keep)
}

// FindCustomerByEmail finds the relation whose e-mail address is email,
// ignoring case: findRelationV2 with exactMatch, and the answer checked
// again here so a partial match can never slip through.
func (k *Connector) FindCustomerByEmail(ctx context.Context, email string) (connector.Customer, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return connector.Customer{}, fmt.Errorf("%s: customer with an empty e-mail address: %w", SystemName, connector.ErrNotFound)
	}
	r, err := k.c.Relations.FindRelationV2(ctx, FindRelationV2Request{Relation: Relation{Email: &email}, ExactMatch: Ptr(true)})
	if err != nil {
		return connector.Customer{}, err
	}
	if !strings.EqualFold(strings.TrimSpace(val(r.Email)), email) {
		// The address is personal data: the error does not repeat it.
		return connector.Customer{}, fmt.Errorf("%s: findRelationV2 answered relation %d, whose e-mail address differs: %w",
			SystemName, val(r.RelationNumber), connector.ErrNotFound)
	}
	return k.toCustomer(*r)
}

// CreateCustomer creates c as a relation and returns it with the relation
// number as ID and Number.
func (k *Connector) CreateCustomer(ctx context.Context, c connector.Customer) (connector.Customer, error) {
	if err := c.Validate(); err != nil {
		return connector.Customer{}, err
	}
	resp, err := k.c.Relations.CreateRelation(ctx, toRelation(c))
	if err != nil {
		return connector.Customer{}, err
	}
	c.ID = format(resp.RelationNumber)
	c.Number = c.ID
	return c, nil
}

// UpdateCustomer writes c over the relation with number c.ID. Empty fields
// are not written, so values kept in MplusKASSA stay. An unknown ID is
// connector.ErrNotFound.
func (k *Connector) UpdateCustomer(ctx context.Context, c connector.Customer) (connector.Customer, error) {
	if err := c.Validate(); err != nil {
		return connector.Customer{}, err
	}
	n, err := numberField("customer "+strconv.Quote(c.ID), "ID", c.ID, "the customer ID (a relation number)")
	if err != nil {
		return connector.Customer{}, err
	}
	r := toRelation(c)
	r.RelationNumber = &n
	if _, err := k.c.Relations.UpdateRelation(ctx, r); err != nil {
		return connector.Customer{}, err
	}
	c.Number = c.ID
	return c, nil
}

// toRelation converts a customer. Active is written only when true: the
// canonical zero value cannot tell "inactive" from "unknown", and an
// accidentally deactivated relation would block its orders.
func toRelation(c connector.Customer) Relation {
	r := Relation{
		Email:          opt(c.Email),
		Telephone:      opt(firstNonEmpty(c.Phone, c.BillingAddress.Phone)),
		VatNumber:      opt(c.VATNumber),
		CommerceNumber: opt(c.CoCNumber),
	}
	if c.Active {
		r.Active = Ptr(true)
	}
	if c.IsCompany() {
		r.Name, r.CompanyName = opt(c.CompanyName), opt(c.CompanyName)
		r.Contact = opt(c.FullName())
	} else {
		r.Name = opt(firstNonEmpty(c.FullName(), c.Email))
	}
	if b := c.BillingAddress; !b.IsZero() {
		r.Address, r.Zipcode, r.City, r.Country = opt(joinLines(b.StreetLine(), b.Street2)), opt(b.PostalCode), opt(b.City), opt(b.Country)
	}
	if s := c.ShippingAddress; !s.IsZero() {
		r.DeliveryAddress, r.DeliveryZipcode, r.DeliveryCity, r.DeliveryCountry = opt(joinLines(s.StreetLine(), s.Street2)), opt(s.PostalCode), opt(s.City), opt(s.Country)
	}
	return r
}

// toCustomer converts a relation to the canonical model.
func (k *Connector) toCustomer(r Relation) (connector.Customer, error) {
	if r.RelationNumber == nil {
		return connector.Customer{}, &connector.ValidationError{Record: "relation", Field: "relationNumber", Reason: "is missing"}
	}
	rec := "customer " + strconv.Quote(format(*r.RelationNumber))
	c := connector.Customer{
		ID: format(*r.RelationNumber), Number: format(*r.RelationNumber),
		Email: val(r.Email), CompanyName: val(r.CompanyName),
		Phone:     firstNonEmpty(val(r.Telephone), val(r.Mobile)),
		VATNumber: val(r.VatNumber), CoCNumber: val(r.CommerceNumber),
		Currency: k.cfg.Currency, Active: val(r.Active),
	}
	person := val(r.Name)
	if c.CompanyName != "" {
		person = val(r.Contact)
	}
	c.FirstName, c.LastName = splitName(person)
	c.BillingAddress = connector.Address{CompanyName: c.CompanyName, FirstName: c.FirstName, LastName: c.LastName,
		Street: val(r.Address), PostalCode: val(r.Zipcode), City: val(r.City), Country: val(r.Country), Phone: c.Phone}
	if r.DeliveryAddress != nil || r.DeliveryZipcode != nil || r.DeliveryCity != nil || r.DeliveryCountry != nil {
		c.ShippingAddress = connector.Address{CompanyName: c.CompanyName, FirstName: c.FirstName, LastName: c.LastName,
			Street: val(r.DeliveryAddress), PostalCode: val(r.DeliveryZipcode), City: val(r.DeliveryCity), Country: val(r.DeliveryCountry)}
	}
	if r.SyncMarker != nil {
		c.Cursor = format(*r.SyncMarker)
	}
	var err error
	if c.UpdatedAt, err = timeOf(rec, "changeTimestamp", r.ChangeTimestamp); err != nil {
		return connector.Customer{}, err
	}
	return c, nil
}
