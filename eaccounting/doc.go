// Package eaccounting connects tradelink to Visma eAccounting (eEkonomi,
// Spiris Bokföring & Fakturering, ePasseli): a typed client of the
// eAccounting API v2 and an adapter to tradelink's canonical model.
//
// # Authorization
//
// The API takes OAuth2 bearer tokens from Visma Connect, obtained with the
// authorization-code flow only. Register the application with Visma, then:
//
//	store := eaccounting.NewMemoryTokenStore(nil) // or your own TokenStore
//	c, _ := eaccounting.NewClient(eaccounting.ProductionURL, eaccounting.Credentials{
//		ClientID: id, ClientSecret: secret, RedirectURL: callback, Store: store,
//	})
//	http.Redirect(w, r, c.OAuth.AuthCodeURL(state), http.StatusFound)
//	// … in the callback handler:
//	_, err := c.OAuth.Exchange(ctx, r.URL.Query().Get("code"))
//
// Access tokens live an hour; the client refreshes them. Visma rotates
// refresh tokens, so every new token is handed to the TokenStore before it
// is used, and concurrent requests share one refresh. A token that Visma
// rejects for good gives an error matching ErrReauthorize.
//
// # Client
//
// Services follow the API's resources: c.Customers, c.Articles,
// c.ArticleAccountCodings, c.VATCodes, c.TermsOfPayments, c.Units,
// c.DeliveryMethods, c.DeliveryTerms, c.Countries, c.CompanySettings,
// c.Orders, c.InvoiceDrafts, c.Invoices and c.Quotes. Lists stream page by
// page ($page, $pagesize) as iter.Seq2 and take an OData $filter (see
// Filter). PUT replaces a whole object, so every Update reads the object,
// applies a change and writes it back with the properties the Go types do
// not model untouched. Requests are limited to 600 per minute per endpoint,
// Visma's published limit; a 429 (ErrorCode 4010) is retried after the
// wait the server names. Error answers are *APIError (connector.APIError)
// with the vendor's ErrorCode, message, ErrorId and field errors.
//
// # Adapter
//
// Connector implements the connector capabilities eAccounting supports:
// customers (source and sink, private person or company, found by e-mail),
// articles as products (source and sink), stock (source), sales orders
// (source, status sink) and orders written as sales orders, invoice drafts,
// booked invoices or quotes, found again by their external reference
// (RefField). What eAccounting does not document but a sync needs — the
// reference field, VAT rate units, when prices include VAT, which revenue
// account a sale gets — is inferred and kept in one file, rules.go.
//
// The fake server in eaccounting/eaccountingtest speaks the same API, token
// endpoint included, for tests and the quickstart.
package eaccounting
