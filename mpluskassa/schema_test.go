package mpluskassa_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/soap"
	"github.com/tradelink/tradelink/mpluskassa"
)

// xmllint returns the path of xmllint. Without it the test fails in CI
// (TRADELINK_CI set) and is skipped elsewhere.
func xmllint(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err == nil {
		return p
	}
	if os.Getenv("TRADELINK_CI") != "" {
		t.Fatal("xmllint is required in CI to validate envelopes against the WSDL schema: apt-get install libxml2-utils")
	}
	t.Skip("xmllint not found; to validate envelopes against the WSDL schema: apt-get install libxml2-utils")
	return ""
}

// validateEnvelopes writes each document to a file and validates them all
// with one xmllint run against testdata/envelope.xsd (a SOAP 1.1 envelope
// whose Body must hold an element of the MplusQapi schema).
func validateEnvelopes(t *testing.T, docs map[string][]byte) {
	t.Helper()
	bin := xmllint(t)
	if len(docs) == 0 {
		t.Fatal("nothing to validate")
	}
	schema, err := filepath.Abs("testdata/envelope.xsd")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	args := []string{"--noout", "--nonet", "--schema", schema}
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n+".xml")
		if err := os.WriteFile(p, docs[n], 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	valid := strings.Count(string(out), " validates")
	t.Logf("xmllint: %d of %d envelopes validate against the WSDL schema", valid, len(docs))
	if err != nil || valid != len(docs) {
		t.Errorf("xmllint: %d of %d documents validate (%v):\n%s", valid, len(docs), err, out)
		for _, n := range names {
			if strings.Contains(string(out), n+".xml fails") {
				t.Logf("%s:\n%s", n, docs[n])
			}
		}
	}
}

// recorder is an http.RoundTripper that keeps every request body and
// answer, per operation (the SOAPAction header).
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	reqs map[string][][]byte
	resp map[string][][]byte
}

func newRecorder() *recorder {
	return &recorder{next: http.DefaultTransport, reqs: map[string][][]byte{}, resp: map[string][][]byte{}}
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	op := req.Header.Get("SOAPAction")
	resp, err := r.next.RoundTrip(req)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs[op] = append(r.reqs[op], body)
	if err == nil {
		rb, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(rb))
		if resp.StatusCode == http.StatusOK {
			r.resp[op] = append(r.resp[op], rb)
		}
	}
	return resp, err
}

// docs returns the recorded bodies as named documents.
func docs(m map[string][][]byte, kind string) map[string][]byte {
	out := map[string][]byte{}
	for op, bodies := range m {
		for i, b := range bodies {
			out[fmt.Sprintf("%s-%s-%03d", op, kind, i)] = b
		}
	}
	return out
}

// enums gives schema-valid values to the enumeration-typed string fields,
// by element name.
var enums = map[string]string{
	"orderType": "ORDER-TYPE-SALES-ORDER", "vatMethod": "VAT-METHOD-INCLUSIVE", "defaultVatMethod": "VAT-METHOD-EXCLUSIVE",
	"deliveryState": "ORDER-DELIVERY-STATE-NOTHING", "cancelState": "ORDER-CANCEL-STATE-NOTHING",
	"completeState": "ORDER-COMPLETE-STATE-NOTHING", "specialPrice": "PRICE-NORMAL", "lineType": "LINE-TYPE-NONE",
	"lineKind": "LINE-KIND-DEFAULT", "discountType": "DISCOUNT-TYPE-EXTERNAL-DISCOUNT",
	"turnoverGroupType": "TURNOVER-GROUP-TYPE-TURNOVER", "priceType": "PRICE-TYPE-ARTICLE",
	"paymentMethodType": "PAYMENT-METHOD-TYPE-PAYMENT", "type": "PAYMENT-METHOD-TYPE-EFT",
	"oldestBestBeforeDate": "2025-06-03", "result": "X-RESULT-OK", "idempotencyResult": "IDEMPOTENCY-RESULT-ORIGINAL-RESPONSE",
	"payResult": "PAY-ORDER-RESULT-OK",
}

// responseEnums are the result enums of the response types, by type.
var responseEnums = map[reflect.Type]string{
	reflect.TypeFor[mpluskassa.CreateProductResponse]():  mpluskassa.CreateProductOK,
	reflect.TypeFor[mpluskassa.UpdateProductResponse]():  mpluskassa.UpdateProductOK,
	reflect.TypeFor[mpluskassa.UpdateStockResponse]():    mpluskassa.UpdateStockOK,
	reflect.TypeFor[mpluskassa.SetStockResponse]():       mpluskassa.SetStockOK,
	reflect.TypeFor[mpluskassa.GetOrderResponse]():       mpluskassa.GetOrderOK,
	reflect.TypeFor[mpluskassa.CreateOrderResponse]():    mpluskassa.CreateOrderOK,
	reflect.TypeFor[mpluskassa.CreateOrderV3Response]():  mpluskassa.CreateOrderOK,
	reflect.TypeFor[mpluskassa.SaveOrderResponse]():      mpluskassa.SaveOrderOK,
	reflect.TypeFor[mpluskassa.CancelOrderResponse]():    mpluskassa.CancelOrderOK,
	reflect.TypeFor[mpluskassa.DeliverOrderResponse]():   mpluskassa.DeliverOrderOK,
	reflect.TypeFor[mpluskassa.FindRelationV2Response](): mpluskassa.FindRelationOK,
	reflect.TypeFor[mpluskassa.GetRelationResponse]():    mpluskassa.GetRelationOK,
	reflect.TypeFor[mpluskassa.CreateRelationResponse](): mpluskassa.CreateRelationOK,
	reflect.TypeFor[mpluskassa.UpdateRelationResponse](): mpluskassa.UpdateRelationOK,
}

// filled returns a T with every field set (optional ones included, one
// element per list), so marshaling it exercises every element name and the
// order of the fields against the schema.
func filled[T any]() T {
	var v T
	fill(reflect.ValueOf(&v).Elem(), "", 0)
	return v
}

var (
	dateTimeType = reflect.TypeFor[mpluskassa.DateTime]()
	dateType     = reflect.TypeFor[mpluskassa.Date]()
	decimalType  = reflect.TypeFor[decimal.Decimal]()
	fillTime     = time.Date(2025, 6, 3, 10, 15, 5, 0, time.UTC)
)

func fill(v reflect.Value, name string, depth int) {
	switch v.Type() {
	case dateTimeType:
		v.Set(reflect.ValueOf(mpluskassa.NewDateTime(fillTime)))
		return
	case dateType:
		v.Set(reflect.ValueOf(mpluskassa.NewDate(fillTime)))
		return
	case decimalType:
		v.Set(reflect.ValueOf(decimal.RequireFromString("1.5")))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 3 {
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), name, depth+1)
		v.Set(p)
	case reflect.Slice:
		if depth > 3 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), name, depth+1)
		v.Set(s)
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("xml"), ",")
			fill(v.Field(i), tag, depth)
		}
		if res, ok := responseEnums[t]; ok {
			v.FieldByName("Result").SetString(res)
		}
	case reflect.String:
		if e, ok := enums[name]; ok {
			v.SetString(e)
		} else {
			v.SetString("text " + name)
		}
	case reflect.Int, reflect.Int64:
		v.SetInt(2)
	case reflect.Bool:
		v.SetBool(true)
	}
}

// TestWireTypesValidateAgainstWSDL marshals every response type with every
// field set, as the fake answers, and validates the envelopes: every
// element name and the field order of the wire types match the schema.
func TestWireTypesValidateAgainstWSDL(t *testing.T) {
	responses := map[string]any{
		"getApiVersionResponse":         filled[mpluskassa.APIVersion](),
		"getCurrentSyncMarkersResponse": filled[mpluskassa.SyncMarkers](),
		"GetProductsResponse":           filled[mpluskassa.GetProductsResponse](),
		"CreateProductResponse":         filled[mpluskassa.CreateProductResponse](),
		"UpdateProductResponse":         filled[mpluskassa.UpdateProductResponse](),
		"GetStockResponse":              filled[mpluskassa.GetStockResponse](),
		"UpdateStockResponse":           filled[mpluskassa.UpdateStockResponse](),
		"SetStockResponse":              filled[mpluskassa.SetStockResponse](),
		"GetOrdersResponse":             filled[mpluskassa.GetOrdersResponse](),
		"GetOrderResponse":              filled[mpluskassa.GetOrderResponse](),
		"CreateOrderResponse":           filled[mpluskassa.CreateOrderResponse](),
		"CreateOrderV3Response":         filled[mpluskassa.CreateOrderV3Response](),
		"SaveOrderResponse":             filled[mpluskassa.SaveOrderResponse](),
		"CancelOrderResponse":           filled[mpluskassa.CancelOrderResponse](),
		"DeliverOrderResponse":          filled[mpluskassa.DeliverOrderResponse](),
		"FindRelationV2Response":        filled[mpluskassa.FindRelationV2Response](),
		"GetRelationResponse":           filled[mpluskassa.GetRelationResponse](),
		"GetRelationsResponse":          filled[mpluskassa.GetRelationsResponse](),
		"CreateRelationResponse":        filled[mpluskassa.CreateRelationResponse](),
		"UpdateRelationResponse":        filled[mpluskassa.UpdateRelationResponse](),
		"getVatGroupListResponse":       filled[mpluskassa.GetVatGroupListResponse](),
		"GetTurnoverGroupsResponse":     filled[mpluskassa.GetTurnoverGroupsResponse](),
		"GetPaymentMethodsResponse":     filled[mpluskassa.GetPaymentMethodsResponse](),
		"getBranchesResponse":           filled[mpluskassa.GetBranchesResponse](),
		"GetEmployeesResponse":          filled[mpluskassa.GetEmployeesResponse](),
	}
	out := map[string][]byte{}
	for name, v := range responses {
		b, err := soap.MarshalResponse(mpluskassa.Namespace, "ns", name, v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b
	}
	validateEnvelopes(t, out)
}

// TestRequestEnvelopesValidateAgainstWSDL records every envelope the client
// sends — each operation with its requests filled completely, and the
// connector's flows — and validates them all against the WSDL's schema, and
// the fake's answers with them.
func TestRequestEnvelopesValidateAgainstWSDL(t *testing.T) {
	rec := newRecorder()
	srv, k := newFake(t, mpluskassa.ConnectorConfig{ShippingArticleNumber: 999, DiscountArticleNumber: 998},
		mpluskassa.WithHTTPClient(&http.Client{Transport: rec}), mpluskassa.WithRetry(mpluskassa.RetryPolicy{MaxAttempts: 1}))
	c := k.Client()
	ctx := t.Context()
	seedArticle(t, srv, 999, 495)
	seedArticle(t, srv, 998, 0)
	seedArticle(t, srv, 100101, 1995)
	rel := seedRelation(t, srv, "Jan Jansen", "jan@example.nl")

	// Every client operation, with requests filled completely. Answers may
	// be errors (a filled order names articles that do not exist); what
	// matters here is what was sent.
	ignore := func(_ any, _ error) {}
	ignore(c.GetAPIVersion(ctx))
	ignore(c.GetCurrentSyncMarkers(ctx))
	ignore(c.Products.GetProducts(ctx, filled[mpluskassa.GetProductsRequest]()))
	ignore(c.Products.GetProducts(ctx, mpluskassa.GetProductsRequest{}))
	fullProduct := filled[mpluskassa.Product]()
	fullProduct.ProductNumber, fullProduct.ArticleList.Article[0].ArticleNumber = nil, nil
	fullProduct.ArticleList.Article[0].VatCode = mpluskassa.Ptr(1)
	ignore(c.Products.CreateProduct(ctx, fullProduct))
	ignore(c.Products.UpdateProduct(ctx, filled[mpluskassa.Product]()))
	ignore(c.Stock.GetStock(ctx, filled[mpluskassa.GetStockRequest]()))
	ignore(c.Stock.GetStock(ctx, mpluskassa.GetStockRequest{BranchNumber: 1}))
	ignore(c.Stock.UpdateStock(ctx, filled[mpluskassa.UpdateStockRequest]()))
	ignore(c.Stock.SetStock(ctx, filled[mpluskassa.SetStockRequest]()))
	ignore(c.Orders.GetOrders(ctx, filled[mpluskassa.GetOrdersRequest]()))
	ignore(c.Orders.GetOrders(ctx, mpluskassa.GetOrdersRequest{}))
	ignore(c.Orders.GetOrder(ctx, "001a3cd43892405b9689134b36656063"))
	ignore(c.Orders.FindOrder(ctx, "WEB-1"))
	fullOrder := filled[mpluskassa.Order]()
	fullOrder.OrderID = ""
	ignore(c.Orders.CreateOrder(ctx, fullOrder))
	v3 := filled[mpluskassa.CreateOrderV3Request]()
	v3.Order.OrderID = ""
	ignore(c.Orders.CreateOrderV3(ctx, v3))
	ignore(c.Orders.SaveOrder(ctx, filled[mpluskassa.Order]()))
	ignore(c.Orders.CancelOrder(ctx, "001a3cd43892405b9689134b36656063"))
	ignore(c.Orders.DeliverOrder(ctx, "001a3cd43892405b9689134b36656063"))
	ignore(c.Relations.FindRelationV2(ctx, filled[mpluskassa.FindRelationV2Request]()))
	ignore(c.Relations.GetRelation(ctx, rel))
	ignore(c.Relations.GetRelations(ctx, filled[mpluskassa.GetRelationsRequest]()))
	ignore(c.Relations.GetRelations(ctx, mpluskassa.GetRelationsRequest{}))
	ignore(c.Relations.CreateRelation(ctx, filled[mpluskassa.Relation]()))
	ignore(c.Relations.UpdateRelation(ctx, filled[mpluskassa.Relation]()))
	ignore(c.Reference.GetVatGroupList(ctx))
	ignore(c.Reference.GetTurnoverGroups(ctx, filled[mpluskassa.GetTurnoverGroupsRequest]()))
	ignore(c.Reference.GetPaymentMethods(ctx))
	ignore(c.Reference.GetBranches(ctx))
	ignore(c.Employees.GetEmployees(ctx, filled[mpluskassa.GetEmployeesRequest]()))

	// The connector's flows, which must all succeed.
	runFlows(ctx, t, k, rel)

	for _, op := range mpluskassa.OperationNames() {
		if len(rec.reqs[op]) == 0 {
			t.Errorf("operation %s was never sent", op)
		}
	}
	t.Run("requests", func(t *testing.T) { validateEnvelopes(t, docs(rec.reqs, "request")) })
	t.Run("fake answers", func(t *testing.T) { validateEnvelopes(t, docs(rec.resp, "response")) })
}

// runFlows drives every connector capability once on the fake.
func runFlows(ctx context.Context, t *testing.T, k *mpluskassa.Connector, rel int64) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	simple := connector.Product{SKU: "200001", Name: "Mug", Description: "Stoneware", Price: dec("9.95"), PriceIncludesTax: true,
		CostPrice: dec("3.10"), TaxRate: dec("21"), EAN: "8712345678906", Currency: "EUR", Unit: "piece", Active: true,
		Stock: &connector.StockLevel{Managed: true}, CustomFields: map[string]string{"pluNumber": "MUG-1", "turnoverGroup": "10"}}
	p, err := k.CreateProduct(ctx, simple)
	must(err)
	p.Name = "Mug, large"
	_, err = k.UpdateProduct(ctx, p)
	must(err)
	conf := connector.Product{SKU: "3001", Name: "T-shirt", Price: dec("19.95"), TaxRate: dec("21"), Type: connector.ProductConfigurable, Active: true,
		Attributes: []connector.Attribute{{Name: "Colour", Values: []string{"Black"}}, {Name: "Size", Values: []string{"M", "L"}}},
		Variants: []connector.Variant{
			{SKU: "300101", EAN: "8712345678913", Active: true, Attributes: []connector.AttributeValue{{Name: "Colour", Value: "Black"}, {Name: "Size", Value: "M"}}},
			{SKU: "300102", Active: true, Price: decimal.NewNullDecimal(dec("21.95")), Attributes: []connector.AttributeValue{{Name: "Colour", Value: "Black"}, {Name: "Size", Value: "L"}}},
		}}
	_, err = k.CreateProduct(ctx, conf)
	must(err)
	_, err = k.FindProductBySKU(ctx, "3001")
	must(err)
	for _, err := range k.Products(ctx, connector.ProductQuery{UpdatedSince: fillTime.Add(-time.Hour), PageSize: 2}) {
		must(err)
	}
	must(k.SetStock(ctx, connector.StockLevel{SKU: "200001", Available: dec("12.5"), Managed: true}))
	must(k.SetStock(ctx, connector.StockLevel{SKU: "200001", Managed: false}))
	for _, err := range k.StockLevels(ctx, connector.StockQuery{SKUs: []string{"200001", "100101"}, Cursor: "1"}) {
		must(err)
	}
	cust := connector.Customer{Email: "info@jansen.example", CompanyName: "Jansen Fietsen B.V.", FirstName: "Jan", LastName: "Jansen",
		Phone: "0301234567", VATNumber: "NL001234567B01", CoCNumber: "12345678", Active: true,
		BillingAddress:  connector.Address{Street: "Dorpsstraat", HouseNumber: "1", PostalCode: "1234 AB", City: "Utrecht", Country: "NL"},
		ShippingAddress: connector.Address{Street: "Kade", HouseNumber: "7", HouseNumberSuffix: "a", PostalCode: "1234 AC", City: "Utrecht", Country: "NL"}}
	created, err := k.CreateCustomer(ctx, cust)
	must(err)
	_, err = k.UpdateCustomer(ctx, created)
	must(err)
	_, err = k.FindCustomerByEmail(ctx, "INFO@jansen.example")
	must(err)
	for _, err := range k.Customers(ctx, connector.CustomerQuery{PageSize: 1}) {
		must(err)
	}
	order := connector.Order{Number: "WEB-9", ExternalRef: "WEB-9", Currency: "EUR", PricesIncludeTax: true, CreatedAt: fillTime,
		Customer:        connector.Customer{ID: fmt.Sprint(rel), CompanyName: "Jansen Fietsen B.V.", FirstName: "Jan", LastName: "Jansen"},
		BillingAddress:  cust.BillingAddress,
		ShippingAddress: cust.ShippingAddress, ShippingMethod: "PostNL", ShippingCost: dec("4.95"), PaymentMethod: "IDEAL",
		Discounts: []connector.Discount{{Code: "SUMMER", Amount: dec("2.00")}}, Notes: "leave at the door",
		Lines: []connector.OrderLine{{SKU: "100101", Name: "T-shirt", Quantity: dec("2"), UnitPrice: dec("19.95"), Discount: dec("1.00")},
			{SKU: "200001", Name: "Mug", Quantity: dec("1.5"), UnitPrice: dec("9.95")}}}
	o, err := k.CreateOrder(ctx, connector.KindOrder, order)
	must(err)
	_, err = k.FindOrderByRef(ctx, connector.KindOrder, "WEB-9")
	must(err)
	for _, err := range k.Orders(ctx, connector.OrderQuery{UpdatedSince: fillTime, PageSize: 1}) {
		must(err)
	}
	must(k.SetOrderStatus(ctx, o.ID, connector.StatusShipped))
	o2 := order
	o2.Number, o2.ExternalRef = "WEB-10", "WEB-10"
	o2.PricesIncludeTax = false
	o2, err = k.CreateOrder(ctx, connector.KindOrder, o2)
	must(err)
	must(k.SetOrderStatus(ctx, o2.ID, connector.StatusCancelled))
}
