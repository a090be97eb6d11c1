// Package verto is the wire layer of the CCV "Verto" platform API, the REST
// API that CCV Shop serves on every shop's own domain under /api/rest/v1/ and
// that CCV SalesPOS speaks too (same host form, same signing, same
// collections, errors and limits; only the media type and a few resources
// differ). The ccvshop package and a future salespos package build their
// typed clients on it.
//
// It provides, on top of internal/httpx:
//
//   - HMAC-SHA512 request signing: x-public, x-date and x-hash over
//     "public|METHOD|uri-with-query|body|x-date" ([Sign], [StringToSign]),
//     computed afresh for every attempt, and verification of the signature
//     the API puts on every successful response ([Client] fails closed when
//     it is missing or wrong);
//   - collections: the {href, start, size, first, previous, next, items}
//     envelope ([Collection]) and lazy paging that follows next ([All],
//     [Pages]);
//   - the error body {status, code, developermessage} decoded into a
//     *connector.APIError carrying the vendor code such as "429.10"
//     ([DecodeError]);
//   - the per-operation rate limits: separate client-side limiters for reads
//     (150/min), writes (100/min) and product queries (30/min) ([Limits]);
//   - lenient wire scalars: [Number] (a decimal that travels as a bare JSON
//     number) and [Int] (an integer that may arrive as a string).
//
// The package vertotest holds the generic part of an in-process fake of the
// platform (authentication, signing, limits, faults) for the systems' fake
// servers.
package verto
