// Package mpluskassa connects tradelink to MplusKASSA, a Dutch point-of-sale
// system, through its SOAP API MplusQapi (SOAP 1.1, document/literal,
// namespace urn:mplusqapi).
//
// The package has two layers:
//
//   - [Client] calls MplusQapi operations by their WSDL names
//     (c.Products.GetProducts, c.Orders.CreateOrderV3,
//     c.Relations.FindRelationV2, c.Reference.GetVatGroupList, ...) with
//     typed wire structs whose XML elements follow the schema, in schema
//     order. It sends through internal/httpx: POST to "/" with the ident
//     and secret as query parameters (redacted from every URL, log line and
//     error), reads retried on network errors and SOAP Server faults, writes
//     never repeated unless they carry an idempotency key.
//   - [Connector] adapts the client to the canonical model of package
//     connector: products and articles (source and sink), stock (source and
//     sink), orders (source with the sync marker as cursor, and idempotent
//     sink), order status (cancel, deliver) and customers as relations.
//
// # Errors
//
// MplusQapi reports failures in two layers, both returned as
// *connector.APIError (use errors.As): SOAP faults, whose faultcode
// ("Client", "Server.…") is the Code and whose Server class makes them
// temporary (retried for reads); and HTTP-200 answers whose result enum is
// not …-RESULT-OK, with the enum as Code and the server's errorMessage as
// Message. Result codes containing NOT-FOUND also match
// connector.ErrNotFound. [ResultCode] extracts the code. Requests that break
// a business rule (below) fail before they are sent with
// connector.ValidationErrors naming the field.
//
// # Money, quantities and dates
//
// Amounts of type xsd:long are whole cents ([ToCents], [FromCents]); an
// amount with a fraction of a cent is rejected, never rounded. Quantities
// are an integer with a decimalPlaces companion ([ToScaled], [FromScaled]);
// the client always sends decimalPlaces and reads a missing one as
// [MissingDecimalPlaces] (0, the vendor tutorial's reading). Newer
// xsd:decimal fields are *decimal.Decimal. Date-times are [DateTime]
// (SoapMplusDateTime): Europe/Amsterdam wall-clock time with the UTC offset
// in minutes.
//
// # Business rules
//
//   - Orders carry an employee number: ConnectorConfig.EmployeeNumber,
//     default [DefaultEmployeeNumber] (999999, the integrations' superuser).
//   - Every order has a relation: the canonical Customer.ID must be the
//     relation number (a flow creates or finds the customer first).
//   - extOrderId is unique and cannot be reused: the connector finds an
//     order by it before creating (CreateOrder is idempotent on
//     Order.ExternalRef) and creates with createOrderV3 and an idempotency
//     key, so a lost answer is retried safely.
//   - An order entered at another branch than the one it is booked at needs
//     a workplace (ConnectorConfig.EntryBranchNumber, WorkplaceNumber).
//   - Turnover groups are numbered 0–999.
//   - A company is a relation with companyName (and name) set to the company
//     and the person in contact; a person has only a name.
//
// # SKUs
//
// MplusKASSA article numbers are numeric (xsd:long), and a canonical SKU is
// an article number written in canonical decimal form: "800001". Writing a
// record whose SKU is anything else ("TS-BLK-M", "00123") fails with a
// *connector.ValidationError naming the SKU field; looking one up finds
// nothing (connector.ErrNotFound). Keep a shop's textual code in
// CustomFields["pluNumber"] (MplusKASSA's free-text article code), and map
// numeric codes into SKU with a mapping. A product with several articles is
// a configurable product whose SKU is the product number and whose variants
// are the articles.
//
// # Unconfirmed behaviour
//
// Where the vendor's documentation is silent, the choice is made in one
// place and marked UNCONFIRMED there: the reading of a missing decimalPlaces
// ([MissingDecimalPlaces]), whole-percent VAT ([VATPercentage]), amountFree
// as stock net of reservations ([ArticleStock.OnHand]), the client-side rate
// limit ([DefaultRequestsPerSecond]) and the orderString format
// ([OrderNumberString]).
//
// Package mpluskassatest is an in-process fake of the API for tests and
// demos.
package mpluskassa
