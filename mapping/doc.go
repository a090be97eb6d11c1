// Package mapping is tradelink's datamapper: it turns a source record
// (an order, customer, product or stock level in the canonical
// [connector] model) into the record to write into a sink, by rules that
// users can read, override and keep per client as JSON.
//
// A [Mapping] is a list of [Rule]s — a target field, an
// [expr-lang] expression and when the rule applies (on create, on update or
// both) — plus value [Tables], settings and filters. [Compile] type-checks
// every rule and filter once against a typed environment and returns a
// [Program] that is safe for concurrent use; [Program.Apply] maps one record
// and [Program.Match] evaluates the filters.
//
// # Expressions
//
// Expressions see the source record under its entity name with Go field
// names: Order, Customer, Product or Stock (for example
// Order.BillingAddress.Country or Product.Price). Rules whose field starts
// with "Lines[]." (orders) run once per source line and also see Line and
// LineIndex; rules whose field starts with "Variants[]." (products) run once
// per source variant and also see Variant and VariantIndex. Every expression
// sees Settings (the mapping's settings, a map of strings) and Now, the run
// time passed in [Options.Now]: there is no now() function, so a run is
// reproducible.
//
// Money is [decimal.Decimal] throughout. The operators + - * / and the
// comparisons work on decimals and on decimals mixed with integer literals
// (Line.Quantity * Line.UnitPrice - Line.Discount, Product.Price > 0);
// a float literal is rejected, write exact decimal literals with
// dec("1.21"). Unary minus works on decimals too.
//
// # Built-in functions
//
//	splitStreet(s string) StreetParts   // "Hoofdstraat 12a" -> {Street, Number, Suffix}
//	isEU(country string) bool           // EU member state (accepts "el", " nl ", ...)
//	isCountry(country string) bool      // assigned ISO 3166-1 alpha-2 code (normalised)
//	country(s string) string            // normalised code: trimmed, upper case, UK->GB, EL->GR
//	round(x decimal, places int) decimal // half away from zero: round(dec("2.345"), 2) == 2.35
//	dec(s string) decimal, dec(i int) decimal // exact decimal; a literal string is checked at compile time
//	coalesce(s ...string) string         // the first argument that is not blank
//	lower(s), upper(s), trim(s) string
//	lookup(table, key, default string) string // value table; records a Miss
//	taxCode(country [, rate decimal] [, vatNumber string]) string
//	revenueAccount(country [, rate decimal] [, vatNumber string]) string
//	formatDate(t time.Time, layout string) string // in UTC; Go layout or "date", "datetime", "rfc3339"; "" for a zero time
//
// The other expr-lang built-ins (len, map, filter, any, all, in, string,
// int, ...) work as documented by expr-lang, except now, date, timezone and
// repeat, which are not available: now and date depend on the machine's
// clock or time zone, repeat can allocate without bound.
//
// # Value tables
//
// lookup(table, key, default) looks key up in one of the tables
// "payment_methods", "shipping_methods", "payment_terms", "order_statuses"
// or a custom table by its name in [Tables.Custom]. A table name that is a
// literal is checked at compile time. When the table has no entry for a
// non-empty key (keys match exactly), lookup returns default and records a
// [Miss] in [Result.Misses], so a run report can say which value had no
// mapping. A table that has no entries at all is unconfigured: its default
// applies and no miss is recorded. An empty key is never a miss.
//
// taxCode and revenueAccount resolve over a [CountryTable]; see there for
// the key forms (country, country with rate, EU business customers) and the
// order of fallbacks.
//
// # Create and update
//
// Each rule applies on create, on update or on both ([When]). In [Update]
// mode dst is the record as it exists in the target and only update and both
// rules write, so fields enriched in the target are kept: this is the
// "update checkbox" of integration platforms. The default mappings
// ([Default]) document per entity which fields are create-only.
//
// # Targets
//
// A rule's field is a path of Go field names in the record written:
// "Notes", "BillingAddress.Country", "Stock.OnHand" (a nil pointer on the
// way is allocated), one key of a string map ("CustomFields.channel"; the
// map is copied before the write, so a map shared with the source stays
// as it is), "Lines[].TaxCode" or "Variants[].Price". The expression's
// type must fit the field: the same type; a string for any string type
// (connector.OrderStatus); an int or a decimal for a decimal or a
// decimal.NullDecimal; nil for a pointer, slice or map. An expression of
// unknown type (from a map of any, or a ?: with two types) is checked when
// it runs. Values are written as Go assigns them, so slices, maps and
// pointers copied from the source share their contents with it.
//
// # Performance
//
// Compile resolves every field path once into offsets. A rule that is a
// plain field path of the same type (Order.Number into Number) is a direct
// copy, a constant is computed once, and the usual shapes of string and
// decimal expressions (field paths, literals, lookup, coalesce, lower,
// upper, trim, country, taxCode, revenueAccount, + - * and unary minus on
// decimals, string concatenation) run as compiled Go closures without the
// VM. Everything else runs in expr-lang's VM, one pooled VM per goroutine.
// The default order mapping runs without the VM.
//
// # Limits and errors
//
// User expressions are limited to [MaxNodes] syntax nodes and a VM memory
// budget of [MemoryBudget] units. A compile error is a *[CompileError] that
// names the target field, the expression and the column; unknown source
// fields, unknown tables and type mismatches are compile errors. A runtime
// error is an *[ApplyError] naming the record and the field, wrapping an
// *[EvalError] with the column, or a *[FuncError] of a built-in. Error
// messages never carry values of the record: messages of the expression
// engine that might (a failed int() of a string, say) are withheld. Neither
// Compile nor Apply panics on any input.
//
// [expr-lang]: https://expr-lang.org
package mapping
