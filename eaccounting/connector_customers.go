package eaccounting

import (
	"context"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/tradelink/tradelink/connector"
)

// Customers implements connector.CustomerSource: every customer, or those
// changed at or after q.UpdatedSince (ChangedUtc).
func (cn *Connector) Customers(ctx context.Context, q connector.CustomerQuery) iter.Seq2[connector.Customer, error] {
	opts := ListOptions{PageSize: cn.pageSize(q.PageSize)}
	match := func(*Customer) bool { return true }
	if !q.UpdatedSince.IsZero() {
		opts.Filter = Ge("ChangedUtc", q.UpdatedSince)
		match = func(c *Customer) bool { return changedSince(c.ChangedUtc, q.UpdatedSince) }
	}
	return func(yield func(connector.Customer, error) bool) {
		for c, err := range filtered(ctx, cn.c, "customers", "customers ChangedUtc", opts, match) {
			if err != nil {
				yield(connector.Customer{}, err)
				return
			}
			if !yield(customerFromWire(&c), nil) {
				return
			}
		}
	}
}

// changedSince reports whether t is known and at or after since.
func changedSince(t Time, since time.Time) bool { return !t.IsZero() && !t.Before(since) }

// FindCustomerByEmail implements connector.CustomerSink. The e-mail address
// is the customer's invoice address (EmailAddress); the match ignores case
// and is never partial.
func (cn *Connector) FindCustomerByEmail(ctx context.Context, email string) (connector.Customer, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return connector.Customer{}, notFound("customer with an empty e-mail address")
	}
	c, err := cn.c.Customers.FindByEmail(ctx, email)
	if err != nil {
		return connector.Customer{}, err
	}
	if c == nil {
		return connector.Customer{}, notFound("customer with this e-mail address")
	}
	cn.customers.Put(c.ID, *c)
	return customerFromWire(c), nil
}

// CreateCustomer implements connector.CustomerSink. A customer with a
// company name becomes a company (IsPrivatePerson false) with the person as
// contact; otherwise a private person. The country, VAT number and private
// flag written here decide the VAT and revenue account of the customer's
// documents (see Situation). Number becomes CustomerNumber (at most 16
// characters, unique in the company); without one eAccounting assigns the
// next number, which the returned customer carries. PaymentTerms names a
// terms of payment by id, name or number of days; without it the
// ConnectorConfig's or the company's default applies. eAccounting requires
// a postal code and city.
func (cn *Connector) CreateCustomer(ctx context.Context, cu connector.Customer) (connector.Customer, error) {
	if err := cu.Validate(); err != nil {
		return connector.Customer{}, err
	}
	w := &Customer{IsActive: true}
	if err := cn.applyCustomer(ctx, cu, w, true); err != nil {
		return connector.Customer{}, err
	}
	created, err := cn.c.Customers.Create(ctx, w)
	if err != nil {
		return connector.Customer{}, err
	}
	cn.customers.Put(created.ID, *created)
	return customerFromWire(created), nil
}

// UpdateCustomer implements connector.CustomerSink: read, merge, write.
// Fields of cu that are empty leave the stored value alone, so data entered
// in eAccounting (and every property the canonical model lacks) is kept;
// IsActive is kept too.
func (cn *Connector) UpdateCustomer(ctx context.Context, cu connector.Customer) (connector.Customer, error) {
	if !isGUID(cu.ID) {
		return connector.Customer{}, notFound("customer " + strconv.Quote(cu.ID))
	}
	if err := cu.Validate(); err != nil {
		return connector.Customer{}, err
	}
	updated, err := cn.c.Customers.Update(ctx, cu.ID, func(w *Customer) error {
		return cn.applyCustomer(ctx, cu, w, false)
	})
	if err != nil {
		cn.customers.Delete(cu.ID)
		return connector.Customer{}, err
	}
	cn.customers.Put(updated.ID, *updated)
	return customerFromWire(updated), nil
}

// applyCustomer writes the canonical fields of cu into w and checks what
// eAccounting requires of the result.
func (cn *Connector) applyCustomer(ctx context.Context, cu connector.Customer, w *Customer, create bool) error {
	ref := cu.ID
	if ref == "" {
		ref = cu.Number
	}
	ck := &checker{record: "customer " + strconv.Quote(ref)}
	set := func(dst *string, v string) {
		if v = strings.TrimSpace(v); v != "" {
			*dst = v
		}
	}
	w.Name = cu.DisplayName()
	w.IsPrivatePerson = !cu.IsCompany()
	if cu.IsCompany() {
		set(&w.ContactPersonName, cu.FullName())
	}
	set(&w.CustomerNumber, cu.Number)
	set(&w.EmailAddress, cu.Email)
	set(&w.VatNumber, cu.VATNumber)
	set(&w.CorporateIdentityNumber, cu.CoCNumber)
	set(&w.CurrencyCode, cu.Currency)
	phone := cu.Phone
	if phone == "" {
		phone = cu.BillingAddress.Phone
	}
	set(&w.Telephone, phone)
	b := cu.BillingAddress
	set(&w.InvoiceAddress1, b.StreetLine())
	set(&w.InvoiceAddress2, b.Street2)
	set(&w.InvoicePostalCode, b.PostalCode)
	set(&w.InvoiceCity, b.City)
	set(&w.InvoiceCountryCode, b.Country)
	if s := cu.ShippingAddress; !s.IsZero() && s != b {
		name := s.CompanyName
		if name == "" {
			name = strings.TrimSpace(s.FirstName + " " + s.LastName)
		}
		set(&w.DeliveryCustomerName, name)
		set(&w.DeliveryAddress1, s.StreetLine())
		set(&w.DeliveryAddress2, s.Street2)
		set(&w.DeliveryPostalCode, s.PostalCode)
		set(&w.DeliveryCity, s.City)
		set(&w.DeliveryCountryCode, s.Country)
	}
	terms, err := cn.termsFor(ctx, ck, "PaymentTerms", cu.PaymentTerms)
	if err != nil {
		return err
	}
	set(&w.TermsOfPaymentID, terms)
	if w.TermsOfPaymentID == "" && create {
		w.TermsOfPaymentID = cn.cfg.TermsOfPaymentID
		if w.TermsOfPaymentID == "" {
			s, err := cn.settings.get(ctx)
			if err != nil {
				return err
			}
			w.TermsOfPaymentID = s.TermsOfPaymentID
		}
	}
	// What eAccounting requires or limits, named by canonical field.
	ck.max("Name", w.Name, 50, true)
	ck.max("Number", w.CustomerNumber, 16, false)
	ck.max("Email", w.EmailAddress, 255, true)
	ck.max("VATNumber", w.VatNumber, 20, false)
	ck.max("CoCNumber", w.CorporateIdentityNumber, 20, false)
	ck.max("Phone", w.Telephone, 50, true)
	ck.max("FirstName", w.ContactPersonName, 100, true)
	ck.max("BillingAddress.Street", w.InvoiceAddress1, 50, true)
	ck.max("BillingAddress.Street2", w.InvoiceAddress2, 50, true)
	ck.required("BillingAddress.PostalCode", w.InvoicePostalCode, " for a customer")
	ck.max("BillingAddress.PostalCode", w.InvoicePostalCode, 10, false)
	ck.required("BillingAddress.City", w.InvoiceCity, " for a customer")
	ck.max("BillingAddress.City", w.InvoiceCity, 50, false)
	ck.max("ShippingAddress.CompanyName", w.DeliveryCustomerName, 100, true)
	ck.max("ShippingAddress.Street", w.DeliveryAddress1, 50, true)
	ck.max("ShippingAddress.Street2", w.DeliveryAddress2, 50, true)
	ck.max("ShippingAddress.PostalCode", w.DeliveryPostalCode, 10, false)
	ck.max("ShippingAddress.City", w.DeliveryCity, 50, false)
	if w.TermsOfPaymentID == "" {
		ck.add("PaymentTerms", "", "is required by eAccounting and the company has no default")
	}
	return ck.err()
}

// customerFromWire converts an eAccounting customer. A private person's
// Name is split into first name (the first word) and last name; a
// company's contact person likewise.
func customerFromWire(c *Customer) connector.Customer {
	out := connector.Customer{
		ID: c.ID, Number: c.CustomerNumber, Email: c.EmailAddress, VATNumber: c.VatNumber,
		CoCNumber: c.CorporateIdentityNumber, Currency: c.CurrencyCode, PaymentTerms: c.TermsOfPaymentID,
		Phone: c.Telephone, Active: c.IsActive,
		BillingAddress: connector.Address{Street: c.InvoiceAddress1, Street2: c.InvoiceAddress2,
			PostalCode: c.InvoicePostalCode, City: c.InvoiceCity, Country: c.InvoiceCountryCode},
	}
	if out.Phone == "" {
		out.Phone = c.MobilePhone
	}
	person := c.ContactPersonName
	if c.IsPrivatePerson {
		person = c.Name
	} else {
		out.CompanyName = c.Name
		out.BillingAddress.CompanyName = c.Name
	}
	out.FirstName, out.LastName = splitName(person)
	out.BillingAddress.FirstName, out.BillingAddress.LastName = out.FirstName, out.LastName
	out.ShippingAddress = c.DeliveryAddress.canonical()
	out.UpdatedAt = c.ChangedUtc.Time
	return out
}

// splitName splits "Jane van Dijk" into "Jane" and "van Dijk".
func splitName(s string) (first, last string) {
	s = strings.TrimSpace(s)
	first, last, _ = strings.Cut(s, " ")
	return first, strings.TrimSpace(last)
}
