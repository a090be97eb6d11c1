package eaccountingtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradelink/tradelink/eaccounting"
)

// record is a stored object as JSON values (numbers as json.Number).
type record = map[string]any

type collection struct {
	ids  []string // creation order, the order lists are served in
	recs map[string]record
}

// apiError is an error answer of the API.
type apiError struct {
	status, code int
	msg          string
	fields       []eaccounting.FieldError
}

func badRequest(code int, field, msg string) *apiError {
	e := &apiError{status: http.StatusBadRequest, code: code, msg: msg}
	if field != "" {
		e.fields = []eaccounting.FieldError{{Field: field, ErrorCode: strconv.Itoa(code), Message: msg}}
	}
	return e
}

func notFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: eaccounting.CodeNotFound, msg: "The resource was not found."}
}

// resource says what the fake does for one collection.
type resource struct {
	schema                   string
	key                      string // "Id", "Code" for countries
	create, replace, removes bool
	// prepare checks and completes rec before it is stored; old is the
	// stored record on PUT, nil on create. s.mu is held.
	prepare func(s *Server, rec, old record) *apiError
}

var resources = map[string]resource{
	"customers":             {schema: "CustomerApi", key: "Id", create: true, replace: true, removes: true, prepare: prepareCustomer},
	"articles":              {schema: "ArticleApi", key: "Id", create: true, replace: true, prepare: prepareArticle},
	"articleaccountcodings": {schema: "ArticleAccountCodingApi", key: "Id"},
	"vatcodes":              {schema: "VatCodeApi", key: "Id"},
	"termsofpayments":       {schema: "TermsOfPaymentApi", key: "Id"},
	"units":                 {schema: "UnitApi", key: "Id"},
	"deliverymethods":       {schema: "DeliveryMethodApi", key: "Id"},
	"deliveryterms":         {schema: "DeliveryTermApi", key: "Id"},
	"countries":             {schema: "CountryApi", key: "Code"},
	"orders":                {schema: "OrderApi", key: "Id", create: true, replace: true, removes: true, prepare: prepareOrder},
	"customerinvoicedrafts": {schema: "CustomerInvoiceDraftApi", key: "Id", create: true, replace: true, removes: true, prepare: prepareDraft},
	"customerinvoices":      {schema: "CustomerInvoiceApi", key: "Id"},
	"quotes":                {schema: "QuoteApi", key: "Id", create: true, replace: true, removes: true, prepare: prepareQuote},
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/v2/"), "/"), "/")
	name := parts[0]
	if name == "companysettings" && len(parts) == 1 && r.Method == http.MethodGet {
		s.mu.Lock()
		body := marshalOut("CompanySettingsApi", s.company)
		s.mu.Unlock()
		writeRaw(w, http.StatusOK, body)
		return
	}
	res, ok := resources[name]
	if !ok {
		s.fail(w, notFound())
		return
	}
	var (
		status = http.StatusOK
		body   []byte
		e      *apiError
	)
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		body, e = s.list(name, res, r)
	case len(parts) == 1 && r.Method == http.MethodPost && res.create:
		status = http.StatusCreated
		body, e = s.write(name, res, r, "")
	case len(parts) == 2 && r.Method == http.MethodGet:
		body, e = s.get(name, res, parts[1])
	case len(parts) == 2 && r.Method == http.MethodPut && res.replace:
		body, e = s.write(name, res, r, parts[1])
	case len(parts) == 2 && r.Method == http.MethodDelete && res.removes:
		e = s.remove(name, parts[1])
	case len(parts) == 3 && r.Method == http.MethodPost:
		status, body, e = s.action(name, parts[1], parts[2])
	default:
		e = &apiError{status: http.StatusMethodNotAllowed, code: 0, msg: "The requested resource does not support http method '" + r.Method + "'."}
	}
	if e != nil {
		s.fail(w, e)
		return
	}
	writeRaw(w, status, body)
}

func (s *Server) fail(w http.ResponseWriter, e *apiError) {
	writeError(w, e.status, e.code, e.msg, e.fields)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// marshalOut writes rec as the API does: every property of the schema,
// null or zero where unset. rec itself is not changed.
func marshalOut(schema string, rec record) []byte {
	out := clone(rec).(map[string]any)
	complete(schema, out)
	b, err := json.Marshal(out)
	if err != nil {
		panic(fmt.Sprintf("eaccountingtest: marshal %s: %v", schema, err))
	}
	return b
}

// clone deep-copies a JSON value.
func clone(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = clone(x)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, x := range t {
			a[i] = clone(x)
		}
		return a
	}
	return v
}

// list serves GET /v2/{resource} with $page, $pagesize and $filter.
func (s *Server) list(name string, res resource, r *http.Request) ([]byte, *apiError) {
	q := r.URL.Query()
	page, size := 1, eaccounting.DefaultPageSize
	if v := q.Get("$page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, badRequest(eaccounting.CodeValidation, "$page", "The value of $page must be a positive integer.")
		}
		page = n
	}
	if v := q.Get("$pagesize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, badRequest(eaccounting.CodeValidation, "$pagesize", "The value of $pagesize must be a positive integer.")
		}
		size = n
	}
	var filter filterExpr
	s.mu.Lock()
	defer s.mu.Unlock()
	size = min(size, s.maxPageSize)
	if v := q.Get("$filter"); v != "" {
		f, fields, err := parseFilter(v)
		if err != nil {
			return nil, badRequest(eaccounting.CodeValidation, "$filter", "The query specified in the URI is not valid. "+err.Error())
		}
		for _, fld := range fields {
			if s.rejected[fld] {
				return nil, badRequest(eaccounting.CodeValidation, "$filter",
					fmt.Sprintf("The query specified in the URI is not valid. Filtering on property '%s' is not supported.", fld))
			}
		}
		filter = f
	}
	c := s.data[name]
	var hits []record
	for _, id := range c.ids {
		rec := c.recs[id]
		if filter != nil {
			ok, err := filter.eval(rec)
			if err != nil {
				return nil, badRequest(eaccounting.CodeValidation, "$filter", "The query specified in the URI is not valid. "+err.Error())
			}
			if !ok {
				continue
			}
		}
		hits = append(hits, rec)
	}
	pages := (len(hits) + size - 1) / size
	from := min((page-1)*size, len(hits))
	to := min(from+size, len(hits))
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"Meta":{"CurrentPage":%d,"PageSize":%d,"TotalNumberOfPages":%d,"TotalNumberOfResults":%d,"ServerTimeUtc":%q},"Data":[`,
		page, size, pages, len(hits), s.now().UTC().Format(time.RFC3339))
	for i, rec := range hits[from:to] {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(marshalOut(res.schema, rec))
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

func (s *Server) get(name string, res resource, id string) ([]byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.lookup(name, id)
	if rec == nil {
		return nil, notFound()
	}
	return marshalOut(res.schema, rec), nil
}

// lookup finds a record by its key; countries by code in any case.
func (s *Server) lookup(name, id string) record {
	c := s.data[name]
	if rec, ok := c.recs[id]; ok {
		return rec
	}
	if name == "countries" {
		return c.recs[strings.ToUpper(id)]
	}
	return c.recs[strings.ToLower(id)]
}

// write serves POST (id "") and PUT. A PUT replaces the whole record: a
// property the body leaves out is gone afterwards.
func (s *Server) write(name string, res resource, r *http.Request, id string) ([]byte, *apiError) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, badRequest(eaccounting.CodeValidation, "", "The request body could not be read.")
	}
	rec, e := decodeRecord(raw)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store(name, res, rec, id)
}

// store validates, prepares and stores rec; s.mu is held.
func (s *Server) store(name string, res resource, rec record, id string) ([]byte, *apiError) {
	var old record
	if id != "" {
		if old = s.lookup(name, id); old == nil {
			return nil, notFound()
		}
		id, _ = old[res.key].(string)
	}
	if fields := validate(res.schema, rec, ""); len(fields) > 0 {
		slices.SortFunc(fields, func(a, b eaccounting.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return nil, &apiError{status: http.StatusBadRequest, code: eaccounting.CodeValidation, msg: "The request is invalid.", fields: fields}
	}
	if id == "" {
		id = newID()
	}
	rec[res.key] = id
	if res.prepare != nil {
		if e := res.prepare(s, rec, old); e != nil {
			return nil, e
		}
	}
	c := s.data[name]
	if old == nil {
		c.ids = append(c.ids, id)
	}
	c.recs[id] = rec
	return marshalOut(res.schema, rec), nil
}

func decodeRecord(raw []byte) (record, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, badRequest(eaccounting.CodeValidation, "", "The request body is not valid JSON: "+err.Error())
	}
	rec, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest(eaccounting.CodeValidation, "", "The request body must be a JSON object.")
	}
	return rec, nil
}

func (s *Server) remove(name, id string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.lookup(name, id)
	if rec == nil {
		return notFound()
	}
	if name == "orders" && num(rec, "Status").IntPart() >= 3 {
		return badRequest(4001, "", "Shipped or invoiced orders cannot be deleted.")
	}
	s.drop(name, rec["Id"].(string))
	return nil
}

func (s *Server) drop(name, id string) {
	c := s.data[name]
	delete(c.recs, id)
	c.ids = slices.DeleteFunc(c.ids, func(x string) bool { return x == id })
}

// action serves the POST actions on a record.
func (s *Server) action(name, id, verb string) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.lookup(name, id)
	if rec == nil {
		return 0, nil, notFound()
	}
	now := s.nowString()
	switch name + "/" + verb {
	case "orders/completed":
		if num(rec, "Status").IntPart() != eaccounting.OrderOngoing {
			return 0, nil, badRequest(eaccounting.CodeValidation, "Status", "Only an ongoing order can be completed.")
		}
		rec["Status"], rec["ShippedDateTime"], rec["ModifiedUtc"] = json.Number("3"), s.now().UTC().Format(time.DateOnly), now
		return http.StatusOK, marshalOut("OrderApi", rec), nil
	case "orders/voided":
		if num(rec, "Status").IntPart() != eaccounting.OrderShipped {
			return 0, nil, badRequest(eaccounting.CodeValidation, "Status", "Only a shipped order can be voided.")
		}
		rec["Status"], rec["ShippedDateTime"], rec["ModifiedUtc"] = json.Number("2"), nil, now
		return http.StatusOK, marshalOut("OrderApi", rec), nil
	case "customerinvoicedrafts/convert":
		inv := s.book(rec)
		return http.StatusCreated, marshalOut("CustomerInvoiceApi", inv), nil
	}
	return 0, nil, notFound()
}
