// Package ccvshop connects tradelink to CCV Shop, the Dutch web-shop
// platform, through its REST API (served by every shop on its own domain
// under /api/rest/v1/).
//
// It has three parts:
//
//   - [Client], a typed API client with one service per resource
//     (c.Orders.List, c.Products.Get, c.Webhooks.Create, ...). Wire structs
//     carry the vendor's JSON names exactly; amounts are decimals that travel
//     as bare JSON numbers. Every request is signed with HMAC-SHA512 over
//     public|METHOD|uri|body|x-date and every answer's signature is checked
//     (a missing or wrong one is an error). Separate client-side limiters
//     keep reads at 150, writes at 100 and product queries at 30 a minute,
//     the platform's published limits.
//   - [Connector], the adapter to the canonical model in package connector:
//     orders as source and sink, status write-back, customers (shop users),
//     simple and configurable products, categories and stock. The choices
//     the API leaves open are documented where they are made: the status
//     mapping (status.go), where an order's external reference lives
//     ([ExternalRefField]), customer lookup by e-mail
//     ([Connector.FindCustomerByEmail]), what UpdatedSince means for orders
//     ([Connector.Orders]), the stock model ([Connector.StockLevels]) and
//     the webhook signature ([WebhookSignature]).
//   - [NewWebhookHandler], an http.Handler that verifies and decodes webhook
//     deliveries and fails closed.
//
// Package ccvshoptest is an in-process fake CCV Shop for tests and demos.
// The signing, paging, error and rate-limit layer is shared with CCV
// SalesPOS, which runs on the same platform (package internal/verto).
package ccvshop
