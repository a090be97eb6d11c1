package verto

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tradelink/tradelink/connector"
)

// Vendor error codes ("<http status>.<nn>") the platform documents.
const (
	CodeInvalidResource     = "404.20" // invalid resource name
	CodeMethodNotAllowed    = "405.10"
	CodeRateLimit           = "429.10" // per resource+method limit hit
	CodeTotalRateLimit      = "429.11" // total API limit hit
	CodeUnknownRateLimit    = "500.10"
	CodeSchemaMismatch      = "500.20"
	CodePropertyExists      = "500.40"
	CodeSameValue           = "500.50"
	CodeProductLimit        = "500.60"
	CodeMethodNotOnResource = "500.70"
	CodePayloadTooBig       = "500.80"
	CodeNotImplemented      = "501.10"
	CodeReadOnly            = "501.30"
)

// CodeUnauthorized is the code this package's fakes send when the x-public,
// x-date or x-hash of a request is missing or wrong. UNCONFIRMED: no source
// shows the platform's status or code for an authentication failure; 401
// with this code is the choice, kept in this one place.
const CodeUnauthorized = "401.10"

// ErrorBody is the platform's error document. Other members (a message for
// end users) are UNCONFIRMED and not decoded.
type ErrorBody struct {
	// Status repeats the HTTP status.
	Status int `json:"status"`
	// Code is "<http status>.<nn>", e.g. "429.10".
	Code string `json:"code"`
	// DeveloperMessage explains the error to developers.
	DeveloperMessage string `json:"developermessage"`
}

// NewErrorBody returns the error document for status with code and message;
// an empty code becomes the status itself, as the official SDK assumes.
func NewErrorBody(status int, code, message string) ErrorBody {
	if code == "" {
		code = strconv.Itoa(status)
	}
	return ErrorBody{Status: status, Code: code, DeveloperMessage: message}
}

// wireErrorBody accepts code as a string or a number.
type wireErrorBody struct {
	Status           json.RawMessage `json:"status"`
	Code             json.RawMessage `json:"code"`
	DeveloperMessage string          `json:"developermessage"`
	Message          string          `json:"message"`
}

// DecodeError is the httpx.ErrorDecoder of the platform: it reads
// {status, code, developermessage} into Code and Message. A body without a
// code gets the HTTP status as its code (the official SDK's fallback). It
// returns nil for a body that is not such a document, so httpx keeps the raw
// text.
func DecodeError(status int, _ http.Header, body []byte) *connector.APIError {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil
	}
	var w wireErrorBody
	if err := json.Unmarshal(body, &w); err != nil {
		return nil
	}
	code := rawScalar(w.Code)
	msg := w.DeveloperMessage
	if msg == "" {
		msg = w.Message
	}
	if code == "" && msg == "" {
		return nil
	}
	if code == "" {
		if s := rawScalar(w.Status); s != "" {
			code = s
		} else {
			code = strconv.Itoa(status)
		}
	}
	return &connector.APIError{Code: code, Message: msg}
}

// rawScalar returns a JSON string's content or a number's literal.
func rawScalar(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(string(raw))
}

// Code returns the vendor code of err when it is (or wraps) a
// *connector.APIError, else "".
func Code(err error) string {
	if ae, ok := errors.AsType[*connector.APIError](err); ok {
		return ae.Code
	}
	return ""
}
