package mapping

// copies returns a both-modes rule per field that copies the field of the
// same name from root ("Order.Number" into "Number"); prefix is the target
// prefix of per-item fields ("Lines[].").
func copies(prefix, root string, on When, fields ...string) []Rule {
	if on == OnBoth {
		on = "" // the default; keeps the JSON short
	}
	rules := make([]Rule, len(fields))
	for i, f := range fields {
		rules[i] = Rule{Field: prefix + f, Expr: root + "." + f, On: on}
	}
	return rules
}

// concat joins rule lists.
func concat(lists ...[]Rule) []Rule {
	var out []Rule
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// orderCountry is the country an order's tax is due in: the shipping
// address's, else the billing address's.
const orderCountry = "coalesce(Order.ShippingAddress.Country, Order.BillingAddress.Country)"

// defaultRules are the rules of the default mappings; Default documents
// them.
var defaultRules = map[Entity][]Rule{
	EntityOrder: concat(
		copies("", "Order", OnCreate, "Number"),
		[]Rule{
			{Field: "Status", Expr: `lookup("order_statuses", string(Order.Status), string(Order.Status))`},
		},
		copies("", "Order", OnBoth, "RawStatus", "Paid", "CreatedAt", "UpdatedAt", "Currency", "PricesIncludeTax",
			"Customer", "BillingAddress", "ShippingAddress"),
		[]Rule{
			{Field: "ShippingMethod", Expr: `lookup("shipping_methods", Order.ShippingMethod, Order.ShippingMethod)`},
		},
		copies("", "Order", OnBoth, "ShippingCost", "ShippingTaxRate"),
		[]Rule{
			{Field: "PaymentMethod", Expr: `lookup("payment_methods", Order.PaymentMethod, Order.PaymentMethod)`},
			{Field: "PaymentTerms", Expr: `lookup("payment_terms", Order.PaymentMethod, Order.PaymentTerms)`},
		},
		copies("", "Order", OnBoth, "Discounts", "Totals"),
		copies("", "Order", OnCreate, "Notes"),
		copies("", "Order", OnBoth, "CustomFields"),
		copies("Lines[].", "Line", OnBoth, "SKU", "Name", "Quantity", "UnitPrice", "TaxRate", "Discount", "Total",
			"Attributes", "Unit"),
		[]Rule{
			{Field: "Lines[].TaxCode", Expr: "taxCode(" + orderCountry + ", Line.TaxRate, Order.Customer.VATNumber)"},
			{Field: "Lines[].RevenueAccount", Expr: "revenueAccount(" + orderCountry + ", Line.TaxRate, Order.Customer.VATNumber)"},
		},
	),
	EntityCustomer: concat(
		copies("", "Customer", OnCreate, "Number"),
		copies("", "Customer", OnBoth, "Email", "CompanyName", "FirstName", "LastName", "Phone", "VATNumber",
			"CoCNumber", "BillingAddress", "ShippingAddress"),
		copies("", "Customer", OnCreate, "Currency", "PaymentTerms"),
		[]Rule{
			{Field: "TaxCode", Expr: "taxCode(Customer.BillingAddress.Country, Customer.VATNumber)"},
			{Field: "RevenueAccount", Expr: "revenueAccount(Customer.BillingAddress.Country, Customer.VATNumber)"},
		},
		copies("", "Customer", OnBoth, "Active", "UpdatedAt", "CustomFields"),
	),
	EntityProduct: concat(
		copies("", "Product", OnBoth, "SKU", "Name"),
		copies("", "Product", OnCreate, "ShortDescription", "Description"),
		copies("", "Product", OnBoth, "Price", "PriceIncludesTax", "CostPrice", "TaxRate", "EAN", "Currency", "Unit",
			"Type", "Attributes"),
		copies("", "Product", OnCreate, "Features", "Categories", "Images", "Stock"),
		copies("", "Product", OnBoth, "GroupedSKUs", "Active"),
		[]Rule{
			{Field: "TaxCode", Expr: `taxCode("", Product.TaxRate)`},
			{Field: "RevenueAccount", Expr: `revenueAccount("", Product.TaxRate)`},
		},
		copies("", "Product", OnBoth, "UpdatedAt", "CustomFields"),
		copies("Variants[].", "Variant", OnBoth, "SKU", "EAN", "Price", "Attributes", "Active"),
		copies("Variants[].", "Variant", OnCreate, "Stock"),
	),
	EntityStock: concat(
		copies("", "Stock", OnBoth, "SKU", "OnHand", "Reserved"),
		[]Rule{{Field: "Available", Expr: "Stock.OnHand - Stock.Reserved"}},
		copies("", "Stock", OnBoth, "Managed", "Location"),
	),
}
