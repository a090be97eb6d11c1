package connector

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/internal/iso"
)

// checker collects the problems of one record.
type checker struct {
	record string
	errs   ValidationErrors
}

func (c *checker) add(field, value, reason string) {
	c.errs = append(c.errs, &ValidationError{Record: c.record, Field: field, Value: value, Reason: reason})
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

func (c *checker) required(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.add(field, "", "is required")
	}
}

func (c *checker) nonNegative(field string, d decimal.Decimal) {
	if d.IsNegative() {
		c.add(field, d.String(), "must not be negative")
	}
}

func (c *checker) taxRate(field string, d decimal.Decimal) {
	if d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
		c.add(field, d.String(), "must be a percentage between 0 and 100")
	}
}

func (c *checker) country(field, code string) {
	if code != "" && !iso.IsCountry(code) {
		c.add(field, code, "is not an ISO 3166-1 alpha-2 country code")
	}
}

func (c *checker) currency(field, code string) {
	if code != "" && !iso.IsCurrency(code) {
		c.add(field, code, "is not an ISO 4217 currency code")
	}
}

// email checks the shape only: one @ with text on both sides and no spaces.
// The address is personal data, so it is not echoed in the error.
func (c *checker) email(field, v string) {
	if v == "" {
		return
	}
	at := strings.IndexByte(v, '@')
	if at <= 0 || at == len(v)-1 || strings.Count(v, "@") != 1 || strings.ContainsAny(v, " \t\r\n") ||
		!strings.Contains(v[at+1:], ".") {
		c.add(field, "", "is not an e-mail address")
	}
}

func (c *checker) address(prefix string, a Address) {
	c.country(prefix+".Country", a.Country)
}

func (c *checker) attributes(prefix string, vs []AttributeValue) {
	for i, v := range vs {
		if strings.TrimSpace(v.Name) == "" {
			c.add(fmt.Sprintf("%s[%d].Name", prefix, i), "", "is required")
		}
	}
}

func quote(s string) string { return strconv.Quote(s) }

// Validate reports what no sink can accept in the order: a missing
// reference, lines without SKU or with a negative quantity, tax rates outside
// 0–100, country codes that are not ISO 3166-1 alpha-2, and money without a
// valid currency. The error is a [ValidationErrors] naming each field.
func (o Order) Validate() error {
	c := checker{record: "order " + quote(o.Ref())}
	if o.ID == "" && o.Number == "" {
		c.add("ID", "", "an order needs an ID or a number")
	}
	if o.Status != "" && !o.Status.Valid() {
		c.add("Status", string(o.Status), "is not a canonical order status")
	}
	hasMoney := !o.ShippingCost.IsZero() || !o.Totals.Total.IsZero()
	for _, l := range o.Lines {
		if !l.UnitPrice.IsZero() || !l.Total.IsZero() {
			hasMoney = true
		}
	}
	if o.Currency == "" && hasMoney {
		c.add("Currency", "", "is required when the order carries amounts")
	}
	c.currency("Currency", o.Currency)
	if len(o.Lines) == 0 {
		c.add("Lines", "", "an order needs at least one line")
	}
	for i, l := range o.Lines {
		p := fmt.Sprintf("Lines[%d]", i)
		c.required(p+".SKU", l.SKU)
		if l.Quantity.IsNegative() {
			c.add(p+".Quantity", l.Quantity.String(), "must not be negative")
		} else if l.Quantity.IsZero() {
			c.add(p+".Quantity", "0", "must be greater than zero")
		}
		c.taxRate(p+".TaxRate", l.TaxRate)
		c.nonNegative(p+".Discount", l.Discount)
		c.attributes(p+".Attributes", l.Attributes)
	}
	c.nonNegative("ShippingCost", o.ShippingCost)
	c.taxRate("ShippingTaxRate", o.ShippingTaxRate)
	for i, d := range o.Discounts {
		c.nonNegative(fmt.Sprintf("Discounts[%d].Amount", i), d.Amount)
	}
	c.address("BillingAddress", o.BillingAddress)
	c.address("ShippingAddress", o.ShippingAddress)
	// An anonymous order (a point-of-sale receipt) has no customer data;
	// customer details that are present must be well-formed.
	if o.Customer.ID != "" || o.Customer.DisplayName() != "" || !o.Customer.BillingAddress.IsZero() {
		o.Customer.check(&c, "Customer.")
	}
	return c.err()
}

// Validate reports what no sink can accept in the customer: no name and no
// e-mail address, a malformed e-mail address, country codes that are not ISO
// 3166-1 alpha-2 and an unknown currency.
func (cu Customer) Validate() error {
	ref := cu.ID
	if ref == "" {
		ref = cu.Number
	}
	c := checker{record: "customer " + quote(ref)}
	cu.check(&c, "")
	return c.err()
}

func (cu Customer) check(c *checker, prefix string) {
	// A customer given by ID only is a reference to an existing debtor.
	if cu.DisplayName() == "" && cu.ID == "" {
		c.add(prefix+"Email", "", "a customer needs a company name, a person's name or an e-mail address")
	}
	c.email(prefix+"Email", cu.Email)
	c.address(prefix+"BillingAddress", cu.BillingAddress)
	c.address(prefix+"ShippingAddress", cu.ShippingAddress)
	c.currency(prefix+"Currency", cu.Currency)
}

// Validate reports what no sink can accept in the product: a missing SKU or
// name, a negative price, a tax rate outside 0–100, an unknown currency or
// type, variants without SKU, duplicate SKUs, and variant attributes the
// product does not declare.
func (p Product) Validate() error {
	c := checker{record: "product " + quote(p.SKU)}
	c.required("SKU", p.SKU)
	c.required("Name", p.Name)
	c.nonNegative("Price", p.Price)
	c.nonNegative("CostPrice", p.CostPrice)
	c.taxRate("TaxRate", p.TaxRate)
	c.currency("Currency", p.Currency)
	switch p.Type {
	case "", ProductSimple, ProductConfigurable, ProductGrouped:
	default:
		c.add("Type", string(p.Type), "must be simple, configurable or grouped")
	}
	if (p.Type == "" || p.Type == ProductSimple || p.Type == ProductGrouped) && len(p.Variants) > 0 {
		c.add("Variants", "", "only a configurable product has variants")
	}
	axes := map[string]bool{}
	for i, a := range p.Attributes {
		if strings.TrimSpace(a.Name) == "" {
			c.add(fmt.Sprintf("Attributes[%d].Name", i), "", "is required")
		}
		axes[a.Name] = true
	}
	seen := map[string]string{p.SKU: "SKU"}
	for i, v := range p.Variants {
		f := fmt.Sprintf("Variants[%d]", i)
		c.required(f+".SKU", v.SKU)
		if prev, dup := seen[v.SKU]; dup && v.SKU != "" {
			c.add(f+".SKU", v.SKU, "duplicates "+prev)
		}
		seen[v.SKU] = f + ".SKU"
		if v.Price.Valid {
			c.nonNegative(f+".Price", v.Price.Decimal)
		}
		c.attributes(f+".Attributes", v.Attributes)
		for j, av := range v.Attributes {
			if len(axes) > 0 && !axes[av.Name] {
				c.add(fmt.Sprintf("%s.Attributes[%d].Name", f, j), av.Name, "is not an attribute of the product")
			}
		}
		if v.Stock != nil {
			v.Stock.check(&c, f+".Stock.")
		}
	}
	for i, s := range p.GroupedSKUs {
		if strings.TrimSpace(s) == "" {
			c.add(fmt.Sprintf("GroupedSKUs[%d]", i), "", "is required")
		}
	}
	for i, cat := range p.Categories {
		if strings.TrimSpace(cat.Name) == "" && cat.ID == "" {
			c.add(fmt.Sprintf("Categories[%d].Name", i), "", "is required")
		}
	}
	if p.Stock != nil {
		p.Stock.check(&c, "Stock.")
	}
	return c.err()
}

// Validate reports what no sink can accept in the stock level: a missing
// SKU or a negative reserved quantity. A negative on-hand quantity is legal
// (point-of-sale systems sell below zero); flows decide how to write it.
func (s StockLevel) Validate() error {
	c := checker{record: "stock " + quote(s.SKU)}
	s.check(&c, "")
	return c.err()
}

func (s StockLevel) check(c *checker, prefix string) {
	if prefix == "" {
		c.required("SKU", s.SKU)
	}
	c.nonNegative(prefix+"Reserved", s.Reserved)
}
