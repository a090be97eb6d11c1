package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tradelink/tradelink/connector"
)

// Entity names the kind of record a mapping applies to.
type Entity string

// The entities a mapping can apply to.
const (
	EntityOrder    Entity = "order"
	EntityCustomer Entity = "customer"
	EntityProduct  Entity = "product"
	EntityStock    Entity = "stock"
)

// valid reports whether e is one of the four entities.
func (e Entity) valid() bool {
	switch e {
	case EntityOrder, EntityCustomer, EntityProduct, EntityStock:
		return true
	}
	return false
}

// When says in which mode a rule applies: "create", "update" or "both". The
// empty value means both.
type When string

// The values of [Rule.On].
const (
	OnCreate When = "create"
	OnUpdate When = "update"
	OnBoth   When = "both"
)

// modes returns the modes the rule applies in as a bit set, and whether w is
// a known value.
func (w When) modes() (modeSet, bool) {
	switch w {
	case OnCreate:
		return createBit, true
	case OnUpdate:
		return updateBit, true
	case "", OnBoth:
		return createBit | updateBit, true
	}
	return 0, false
}

// Mode is the mode of one [Program.Apply] call.
type Mode int

// The modes of [Options.Mode].
const (
	// Create maps a record that does not exist in the target yet: every
	// create and both rule writes.
	Create Mode = iota + 1
	// Update maps onto the record as it exists in the target: only update
	// and both rules write, so fields enriched in the target are kept.
	Update
)

// String returns "create" or "update".
func (m Mode) String() string {
	switch m {
	case Create:
		return "create"
	case Update:
		return "update"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// modeSet is a set of modes as bits.
type modeSet uint8

const (
	createBit modeSet = 1 << iota
	updateBit
)

func (m Mode) bit() modeSet {
	switch m {
	case Create:
		return createBit
	case Update:
		return updateBit
	}
	return 0
}

// Rule writes one target field.
type Rule struct {
	// Field is the target path: "PaymentMethod", "Customer.TaxCode",
	// "BillingAddress.Country", a key of a string map such as
	// "CustomFields.channel", per order line "Lines[].TaxCode" and per
	// product variant "Variants[].Price".
	Field string `json:"field"`
	// Expr is the expr-lang expression whose value is written.
	Expr string `json:"expr"`
	// On says when the rule applies; empty means both.
	On When `json:"on,omitempty"`
}

// Mapping is a set of rules with the tables, settings and filters they use.
// It is plain data that loads from and saves to JSON; [Compile] turns it into
// a [Program].
type Mapping struct {
	// Entity is the kind of record the mapping applies to.
	Entity Entity `json:"entity"`
	// Rules write the target fields, in order.
	Rules []Rule `json:"rules"`
	// Filters are boolean expressions on the source record; a record
	// matches when all are true.
	Filters []string `json:"filters,omitempty"`
	// Tables are the value tables lookup, taxCode and revenueAccount read.
	Tables Tables `json:"tables,omitempty"`
	// Settings are free-form values expressions read as Settings.name, for
	// example "homeCountry": "NL", which taxCode and revenueAccount use.
	Settings map[string]string `json:"settings,omitempty"`
}

// SettingHomeCountry is the setting naming the country the seller is
// established in; [CountryTable] resolves "domestic" with it.
const SettingHomeCountry = "homeCountry"

// Tables are the value tables of a mapping.
type Tables struct {
	// PaymentMethods maps the source's payment method codes to the sink's.
	PaymentMethods map[string]string `json:"payment_methods,omitempty"`
	// ShippingMethods maps the source's shipping method codes to the sink's.
	ShippingMethods map[string]string `json:"shipping_methods,omitempty"`
	// PaymentTerms gives the payment terms; the default order mapping
	// keys it by payment method.
	PaymentTerms map[string]string `json:"payment_terms,omitempty"`
	// OrderStatuses maps canonical order statuses to the status to write.
	OrderStatuses map[string]string `json:"order_statuses,omitempty"`
	// TaxCodes resolves taxCode(country, ...).
	TaxCodes CountryTable `json:"tax_codes,omitempty"`
	// RevenueAccounts resolves revenueAccount(country, ...).
	RevenueAccounts CountryTable `json:"revenue_accounts,omitempty"`
	// Custom holds user tables by name, for lookup("name", key, default).
	Custom map[string]map[string]string `json:"custom,omitempty"`
}

// Names of the built-in value tables as lookup() and [Miss.Table] spell them.
const (
	TablePaymentMethods  = "payment_methods"
	TableShippingMethods = "shipping_methods"
	TablePaymentTerms    = "payment_terms"
	TableOrderStatuses   = "order_statuses"
	TableTaxCodes        = "tax_codes"
	TableRevenueAccounts = "revenue_accounts"
)

// table returns the string table called name and whether the name is known.
func (t *Tables) table(name string) (map[string]string, bool) {
	switch name {
	case TablePaymentMethods:
		return t.PaymentMethods, true
	case TableShippingMethods:
		return t.ShippingMethods, true
	case TablePaymentTerms:
		return t.PaymentTerms, true
	case TableOrderStatuses:
		return t.OrderStatuses, true
	}
	m, ok := t.Custom[name]
	return m, ok
}

// Default returns the mapping tradelink uses for entity e when the user
// configures nothing, or nil for an unknown entity. Each call returns a new
// value the caller may change.
//
// Order: Number, Status (through the "order_statuses" table, unchanged when
// the table has no entry), RawStatus, Paid, CreatedAt, UpdatedAt, Currency,
// PricesIncludeTax, Customer, BillingAddress, ShippingAddress,
// ShippingMethod ("shipping_methods"), ShippingCost, ShippingTaxRate,
// PaymentMethod ("payment_methods"), PaymentTerms ("payment_terms" keyed by
// the payment method, falling back to the order's own terms), Discounts,
// Totals, Notes, CustomFields, and per line SKU, Name, Quantity, UnitPrice,
// TaxRate, Discount, Total, Attributes, Unit, TaxCode and RevenueAccount (by
// the shipping country, falling back to the billing country, with the
// line's tax rate and the customer's VAT number). Number and Notes are
// create-only. ID, ExternalRef, Customer.ID and Lines[].ProductID are
// identifiers of one system; the flow sets them.
//
// Customer: every canonical field but ID and Cursor, plus TaxCode and
// RevenueAccount by billing country and VAT number. Number, Currency and
// PaymentTerms are create-only: accounting systems number debtors
// themselves, refuse a currency change once there are invoices, and keep
// payment terms agreed with the customer.
//
// Product: every canonical field but ID, Cursor and Variants[].ID, with
// TaxCode and RevenueAccount for the home country at the product's tax
// rate. ShortDescription, Description, Features, Categories, Images and
// Stock (product and variant) are create-only, so content enriched in the
// shop survives and stock stays with the stock flow.
//
// Stock: SKU, OnHand, Reserved, Available = OnHand - Reserved, Managed and
// Location, all on create and update.
func Default(e Entity) *Mapping {
	rules, ok := defaultRules[e]
	if !ok {
		return nil
	}
	return &Mapping{Entity: e, Rules: slices.Clone(rules)}
}

// Parse reads a mapping from JSON. Unknown keys are errors; an error names
// the line and column of the problem and the JSON field, for example
// `mapping: line 4, column 27: rules[1].on: "sometimes" is not create,
// update or both`. Parse checks the structure only; [Compile] checks the
// expressions.
func Parse(data []byte) (*Mapping, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		return nil, decodeError(data, dec.InputOffset(), err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		line, col := lineCol(data, skipSpace(data, end))
		return nil, &ParseError{Line: line, Column: col, Msg: "unexpected data after the mapping object"}
	}
	if err := m.check(data); err != nil {
		return nil, err
	}
	return &m, nil
}

// check validates the structure of a mapping; data, when not nil, is the
// JSON it was parsed from and locates the errors.
func (m *Mapping) check(data []byte) error {
	var offsets map[string]int64
	if data != nil {
		offsets = jsonOffsets(data)
	}
	var errs []error
	bad := func(path, format string, args ...any) {
		pe := &ParseError{Field: path, Msg: fmt.Sprintf(format, args...)}
		if off, ok := offsets[path]; ok {
			pe.Line, pe.Column = lineCol(data, off)
		}
		errs = append(errs, pe)
	}
	if !m.Entity.valid() {
		bad("entity", "%q is not order, customer, product or stock", m.Entity)
	}
	for i, r := range m.Rules {
		p := fmt.Sprintf("rules[%d]", i)
		switch {
		case strings.TrimSpace(r.Field) == "":
			bad(p+".field", "is required")
		case strings.TrimSpace(r.Expr) == "":
			bad(p+".expr", "is required (rule for %q)", r.Field)
		}
		if _, ok := r.On.modes(); !ok {
			bad(p+".on", "%q is not create, update or both", r.On)
		}
	}
	if i, ok := overlap(m.Rules); ok {
		bad(fmt.Sprintf("rules[%d].field", i), "%q has a second rule for the same mode", m.Rules[i].Field)
	}
	for i, f := range m.Filters {
		if strings.TrimSpace(f) == "" {
			bad(fmt.Sprintf("filters[%d]", i), "is empty")
		}
	}
	for _, ct := range []struct {
		name string
		t    CountryTable
	}{{TableTaxCodes, m.Tables.TaxCodes}, {TableRevenueAccounts, m.Tables.RevenueAccounts}} {
		for _, k := range slices.Sorted(maps.Keys(ct.t.Countries)) {
			if _, _, err := splitCountryKey(k); err != nil {
				bad(fmt.Sprintf("tables.%s.countries.%s", ct.name, k), "%v", err)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(m.Tables.Custom)) {
		if _, builtin := (&Tables{}).table(name); builtin || name == TableTaxCodes || name == TableRevenueAccounts {
			bad("tables.custom."+name, "%q is the name of a built-in table", name)
		}
	}
	return errors.Join(errs...)
}

// overlap finds the first rule whose field already has a rule applying in
// one of the same modes.
func overlap(rules []Rule) (int, bool) {
	seen := map[string]modeSet{}
	for i, r := range rules {
		ms, _ := r.On.modes()
		if seen[r.Field]&ms != 0 {
			return i, true
		}
		seen[r.Field] |= ms
	}
	return 0, false
}

// With returns a new mapping: m with override applied. Rules of the
// override replace every rule of m for the same Field, in the place of the
// first one, and are added at the end when the field is new; tables and settings are merged per key (the override wins);
// the override's filters replace m's when the override has a filters list
// (an empty list in JSON removes every filter). An override's entity, when
// set, replaces m's, so a mismatch surfaces in [Compile]. Neither m nor
// override is changed.
func (m *Mapping) With(override *Mapping) *Mapping {
	out := m.clone()
	if override == nil {
		return out
	}
	if override.Entity != "" {
		out.Entity = override.Entity
	}
	// Override rules take the place of the first base rule for their
	// field, so Fields keeps its order; rules for new fields come last.
	byField := map[string][]Rule{}
	for _, r := range override.Rules {
		byField[r.Field] = append(byField[r.Field], r)
	}
	rules := make([]Rule, 0, len(out.Rules)+len(override.Rules))
	placed := map[string]bool{}
	for _, r := range out.Rules {
		repl, replaced := byField[r.Field]
		switch {
		case !replaced:
			rules = append(rules, r)
		case !placed[r.Field]:
			rules = append(rules, repl...)
			placed[r.Field] = true
		}
	}
	for _, r := range override.Rules {
		if !placed[r.Field] {
			rules = append(rules, r)
		}
	}
	out.Rules = rules
	if override.Filters != nil {
		out.Filters = slices.Clone(override.Filters)
	}
	out.Settings = mergeMap(out.Settings, override.Settings)
	t, o := &out.Tables, &override.Tables
	t.PaymentMethods = mergeMap(t.PaymentMethods, o.PaymentMethods)
	t.ShippingMethods = mergeMap(t.ShippingMethods, o.ShippingMethods)
	t.PaymentTerms = mergeMap(t.PaymentTerms, o.PaymentTerms)
	t.OrderStatuses = mergeMap(t.OrderStatuses, o.OrderStatuses)
	t.TaxCodes = t.TaxCodes.merge(o.TaxCodes)
	t.RevenueAccounts = t.RevenueAccounts.merge(o.RevenueAccounts)
	for name, tab := range o.Custom {
		if t.Custom == nil {
			t.Custom = map[string]map[string]string{}
		}
		t.Custom[name] = mergeMap(t.Custom[name], tab)
	}
	return out
}

// mergeMap returns base with over's entries added; base is changed in place
// (callers pass a clone) and nil stays nil when there is nothing to add.
func mergeMap(base, over map[string]string) map[string]string {
	if len(over) == 0 {
		return base
	}
	if base == nil {
		base = make(map[string]string, len(over))
	}
	maps.Copy(base, over)
	return base
}

// clone returns a deep copy of m (an empty mapping for nil).
func (m *Mapping) clone() *Mapping {
	if m == nil {
		return &Mapping{}
	}
	out := &Mapping{
		Entity:   m.Entity,
		Rules:    slices.Clone(m.Rules),
		Filters:  slices.Clone(m.Filters),
		Settings: maps.Clone(m.Settings),
		Tables: Tables{
			PaymentMethods:  maps.Clone(m.Tables.PaymentMethods),
			ShippingMethods: maps.Clone(m.Tables.ShippingMethods),
			PaymentTerms:    maps.Clone(m.Tables.PaymentTerms),
			OrderStatuses:   maps.Clone(m.Tables.OrderStatuses),
			TaxCodes:        m.Tables.TaxCodes.clone(),
			RevenueAccounts: m.Tables.RevenueAccounts.clone(),
		},
	}
	if m.Tables.Custom != nil {
		out.Tables.Custom = make(map[string]map[string]string, len(m.Tables.Custom))
		for k, v := range m.Tables.Custom {
			out.Tables.Custom[k] = maps.Clone(v)
		}
	}
	return out
}

// Options are the per-call options of [Program.Apply] and [Program.Match].
type Options struct {
	// Mode is Create or Update; Apply requires it, Match ignores it.
	Mode Mode
	// Now is the run time; expressions see it as Now.
	Now time.Time
	// Record names the record in errors, e.g. `order "1001"`.
	Record string
}

// Result reports what one Apply call did.
type Result struct {
	// Misses are the lookups that found no entry, once per field, table
	// and key.
	Misses []Miss
	// Fields are the target fields written, in rule order, per-line and
	// per-variant fields once ("Lines[].TaxCode"). The slice is shared by
	// every Apply call of the program in that mode: read it, do not change
	// it.
	Fields []string
}

// Miss is a lookup that found no entry: the rule's field, the table and the
// key looked up.
type Miss struct {
	Field string // the rule's target field, e.g. "Lines[].TaxCode"
	Table string // e.g. "payment_methods", "tax_codes"
	Key   string // the key that had no entry, e.g. "klarna", "NL:21"
}

// Record is the set of canonical types a mapping can apply to.
type Record interface {
	connector.Order | connector.Customer | connector.Product | connector.StockLevel
}
