package mpluskassa_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jarcoal/httpmock"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
	"github.com/tradelink/tradelink/mpluskassa"
)

var update = flag.Bool("update", false, "rewrite the golden request files in testdata/golden")

const (
	testIdent  = "ident-7f3a9c21"
	testSecret = "secret-Qx82LmPz"
	testBase   = "https://api.mpluskassa.nl:45166"
)

// mockClient returns a client whose requests go to an httpmock transport,
// with fast retries.
func mockClient(t *testing.T, opts ...mpluskassa.Option) (*mpluskassa.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]mpluskassa.Option{
		mpluskassa.WithHTTPClient(&http.Client{Transport: mt}),
		mpluskassa.WithLimiter(nil),
		mpluskassa.WithRetry(mpluskassa.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}),
	}, opts...)
	c, err := mpluskassa.NewClient(testBase, mpluskassa.Credentials{Ident: testIdent, Secret: testSecret}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRequestShape checks method, path, query, headers and the exact body
// of a request (golden file), and that the answer decodes.
func TestRequestShape(t *testing.T) {
	c, mt := mockClient(t)
	var body []byte
	var hdr http.Header
	mt.RegisterResponderWithQuery(http.MethodPost, testBase+"/", map[string]string{"ident": testIdent, "secret": testSecret},
		func(r *http.Request) (*http.Response, error) {
			body, _ = io.ReadAll(r.Body)
			hdr = r.Header
			return httpmock.NewBytesResponse(http.StatusOK, readFile(t, "testdata/examples/GetProductsResponse.xml")), nil
		})
	ps, err := c.Products.GetProducts(t.Context(), mpluskassa.GetProductsRequest{
		ArticleNumbers: []int64{100101, 100102}, OnlyActive: mpluskassa.Ptr(true),
		SyncMarker: mpluskassa.Ptr[int64](1), SyncMarkerLimit: mpluskassa.Ptr(100),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || len(ps[0].Articles()) != 2 || *ps[0].Articles()[0].PriceIncl != 1995 {
		t.Errorf("decoded %+v", ps)
	}
	for k, want := range map[string]string{
		"Content-Type": "text/xml; charset=utf-8", "SOAPAction": "getProducts", "User-Agent": "tradelink-mpluskassa",
	} {
		if got := hdr.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if id := hdr.Get("X-Request-Id"); !strings.HasPrefix(id, "tradelink_") || len(id) != len("tradelink_")+16 {
		t.Errorf("X-Request-Id = %q", id)
	}
	golden := "testdata/golden/getProducts.request.xml"
	if *update {
		if err := os.WriteFile(golden, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(string(readFile(t, golden)), string(body)); diff != "" {
		t.Errorf("request body (-golden +got):\n%s", diff)
	}
}

func fault(code, msg string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">` +
		`<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:` + code + `</faultcode><faultstring>` + msg +
		`</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>`
}

func envelope(inner string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" ` +
		`xmlns:ns="urn:mplusqapi"><SOAP-ENV:Body>` + inner + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`
}

type answer struct {
	status int
	body   string
	header http.Header
}

// TestErrors covers both error layers and the retry rules: SOAP faults
// (Client: not retried; Server: retried for reads and idempotency-key
// writes, never for plain writes), HTTP-200 result codes, NOT-FOUND, and
// bodies that do not parse.
func TestErrors(t *testing.T) {
	stock := envelope(`<ns:GetStockResponse/>`)
	created := envelope(`<ns:CreateOrderResponse><ns:result>CREATE-ORDER-RESULT-OK</ns:result><ns:info><ns:orderId>a1</ns:orderId>` +
		`<ns:orderString>2025-000001</ns:orderString></ns:info><ns:errorMessage/></ns:CreateOrderResponse>`)
	v3ok := envelope(`<ns:CreateOrderV3Response><ns:idempotencyResult>IDEMPOTENCY-RESULT-REPLAY-RESPONSE</ns:idempotencyResult>` +
		`<ns:result>CREATE-ORDER-RESULT-OK</ns:result><ns:info><ns:orderId>a1</ns:orderId><ns:orderString>x</ns:orderString></ns:info></ns:CreateOrderV3Response>`)
	tests := []struct {
		name        string
		op          string // "read", "write" (createOrder), "v3" (createOrderV3), "find" (findOrder)
		answers     []answer
		wantErr     bool
		code        string
		status      int
		temporary   bool
		notFound    bool
		outcome     bool
		malformed   bool
		attempts    int
		msgContains string
	}{
		{name: "client fault on a read is not retried", op: "read", answers: []answer{{500, fault("Client", "bad request"), nil}},
			wantErr: true, code: "Client", status: 500, attempts: 1, msgContains: "bad request"},
		{name: "dotted client fault", op: "read", answers: []answer{{500, fault("Client.Authentication", "who are you"), nil}},
			wantErr: true, code: "Client.Authentication", status: 500, attempts: 1},
		{name: "server fault on a read is retried until it succeeds", op: "read",
			answers: []answer{{500, fault("Server", "busy"), nil}, {500, fault("Server.Database", "locked"), nil}, {200, stock, nil}}, attempts: 3},
		{name: "server fault on a read: attempts used up", op: "read",
			answers: []answer{{500, fault("Server", "busy"), nil}, {500, fault("Server", "busy"), nil}, {500, fault("Server", "still busy"), nil}},
			wantErr: true, code: "Server", status: 500, temporary: true, attempts: 3, msgContains: "still busy"},
		{name: "server fault on a plain write is not retried: outcome unknown", op: "write",
			answers: []answer{{500, fault("Server", "crashed"), nil}, {200, created, nil}},
			wantErr: true, code: "Server", status: 500, temporary: true, outcome: true, attempts: 1},
		{name: "client fault on a write", op: "write", answers: []answer{{500, fault("Client", "no"), nil}},
			wantErr: true, code: "Client", status: 500, attempts: 1},
		{name: "server fault on createOrderV3 is retried (idempotency key)", op: "v3",
			answers: []answer{{500, fault("Server", "crashed"), nil}, {200, v3ok, nil}}, attempts: 2},
		{name: "503 with Retry-After and a proxy page", op: "read",
			answers: []answer{{503, "<html>maintenance</html>", http.Header{"Retry-After": {"0"}}}, {200, stock, nil}}, attempts: 2},
		{name: "429 is retried even for a write", op: "write",
			answers: []answer{{429, fault("Server", "slow down"), http.Header{"Retry-After": {"0"}}}, {200, created, nil}}, attempts: 2},
		{name: "fault inside HTTP 200", op: "read", answers: []answer{{200, fault("Client", "odd"), nil}},
			wantErr: true, code: "Client", status: 200, attempts: 1},
		{name: "in-band failure", op: "write", answers: []answer{{200, envelope(`<ns:CreateOrderResponse><ns:result>CREATE-ORDER-RESULT-FAILED</ns:result>` +
			`<ns:info><ns:orderId/><ns:orderString/></ns:info><ns:errorMessage>article 5 does not exist</ns:errorMessage></ns:CreateOrderResponse>`), nil}},
			wantErr: true, code: "CREATE-ORDER-RESULT-FAILED", status: 200, attempts: 1, msgContains: "article 5 does not exist"},
		{name: "in-band extOrderId taken", op: "write", answers: []answer{{200, envelope(`<ns:CreateOrderResponse><ns:result>CREATE-ORDER-RESULT-EXT-ORDER-ID-ALREADY-EXISTS</ns:result>` +
			`<ns:info><ns:orderId/><ns:orderString/></ns:info><ns:errorMessage/></ns:CreateOrderResponse>`), nil}},
			wantErr: true, code: mpluskassa.CreateOrderExtOrderIDExists, status: 200, attempts: 1},
		{name: "in-band NOT-FOUND matches ErrNotFound", op: "find",
			answers: []answer{{200, envelope(`<ns:GetOrderResponse><ns:result>GET-ORDER-RESULT-NOT-FOUND</ns:result></ns:GetOrderResponse>`), nil}},
			wantErr: true, code: mpluskassa.GetOrderNotFound, status: 200, notFound: true, attempts: 1},
		{name: "truncated body", op: "read", answers: []answer{{200, `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><ns:GetSt`, nil}},
			wantErr: true, malformed: true, attempts: 1},
		{name: "wrong response element", op: "read", answers: []answer{{200, envelope(`<ns:GetOrdersResponse/>`), nil}},
			wantErr: true, malformed: true, attempts: 1, msgContains: "want GetStockResponse"},
		{name: "response name in other casing", op: "read", answers: []answer{{200, envelope(`<ns:getStockResponse/>`), nil}}, attempts: 1},
		{name: "not a number where one is due", op: "read", answers: []answer{{200, envelope(`<ns:GetStockResponse><ns:articleStocks>` +
			`<ns:articleNumber>abc</ns:articleNumber></ns:articleStocks></ns:GetStockResponse>`), nil}},
			wantErr: true, malformed: true, attempts: 1, msgContains: "articleNumber"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := mockClient(t)
			n := 0
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				a := tt.answers[min(n, len(tt.answers)-1)]
				n++
				resp := httpmock.NewStringResponse(a.status, a.body)
				for k, v := range a.header {
					resp.Header[k] = v
				}
				return resp, nil
			})
			ctx := t.Context()
			var err error
			order := mpluskassa.Order{EmployeeNumber: mpluskassa.Ptr[int64](999999), RelationNumber: mpluskassa.Ptr[int64](1),
				LineList: &mpluskassa.LineList{Line: []mpluskassa.Line{{ArticleNumber: 1, Data: &mpluskassa.LineData{Quantity: 1, DecimalPlaces: mpluskassa.Ptr(0)}}}}}
			switch tt.op {
			case "read":
				_, err = c.Stock.GetStock(ctx, mpluskassa.GetStockRequest{BranchNumber: 1})
			case "write":
				_, err = c.Orders.CreateOrder(ctx, order)
			case "v3":
				_, err = c.Orders.CreateOrderV3(ctx, mpluskassa.CreateOrderV3Request{IdempotencyKey: "k1", Order: order})
			case "find":
				_, err = c.Orders.FindOrder(ctx, "WEB-1")
			}
			if n != tt.attempts {
				t.Errorf("%d attempts, want %d", n, tt.attempts)
			}
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tt.msgContains != "" && !strings.Contains(err.Error(), tt.msgContains) {
				t.Errorf("error %q does not contain %q", err, tt.msgContains)
			}
			if errors.Is(err, connector.ErrOutcomeUnknown) != tt.outcome {
				t.Errorf("errors.Is(ErrOutcomeUnknown) = %v, want %v (%v)", !tt.outcome, tt.outcome, err)
			}
			if errors.Is(err, connector.ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(ErrNotFound) = %v, want %v (%v)", !tt.notFound, tt.notFound, err)
			}
			var me *httpx.MalformedError
			if errors.As(err, &me) != tt.malformed {
				t.Errorf("MalformedError = %v, want %v (%v)", !tt.malformed, tt.malformed, err)
			}
			if tt.malformed {
				return
			}
			var ae *connector.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err %v is not a *connector.APIError", err)
			}
			if ae.Code != tt.code || ae.StatusCode != tt.status || ae.Temporary != tt.temporary || ae.System != "mpluskassa" {
				t.Errorf("APIError = %+v, want code %q status %d temporary %v", ae, tt.code, tt.status, tt.temporary)
			}
			if mpluskassa.ResultCode(err) != tt.code {
				t.Errorf("ResultCode = %q", mpluskassa.ResultCode(err))
			}
			if connector.Retryable(err) != (tt.temporary || tt.outcome) {
				t.Errorf("connector.Retryable = %v", connector.Retryable(err))
			}
			if ae.RequestID == "" {
				t.Error("APIError has no RequestID")
			}
		})
	}
}

// TestRulesCheckedBeforeSending covers the business rules the client
// enforces: a broken request is a ValidationError naming the field and
// costs no call.
func TestRulesCheckedBeforeSending(t *testing.T) {
	line := func(mod func(*mpluskassa.Line)) *mpluskassa.LineList {
		l := mpluskassa.Line{ArticleNumber: 100101, Data: &mpluskassa.LineData{Quantity: 2, DecimalPlaces: mpluskassa.Ptr(0)}}
		if mod != nil {
			mod(&l)
		}
		return &mpluskassa.LineList{Line: []mpluskassa.Line{l}}
	}
	order := func(mod func(*mpluskassa.Order)) mpluskassa.Order {
		o := mpluskassa.Order{ExtOrderID: mpluskassa.Ptr("WEB-1"), EmployeeNumber: mpluskassa.Ptr(mpluskassa.DefaultEmployeeNumber),
			RelationNumber: mpluskassa.Ptr[int64](5012), LineList: line(nil)}
		mod(&o)
		return o
	}
	tests := []struct {
		name  string
		call  func(c *mpluskassa.Client) error
		field string
	}{
		{"order without employee", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrder(t.Context(), order(func(o *mpluskassa.Order) { o.EmployeeNumber = nil }))
			return err
		}, "employeeNumber"},
		{"order without relation", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrder(t.Context(), order(func(o *mpluskassa.Order) { o.RelationNumber = nil }))
			return err
		}, "relationNumber"},
		{"new order with an orderId", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrder(t.Context(), order(func(o *mpluskassa.Order) { o.OrderID = "abc" }))
			return err
		}, "orderId"},
		{"order without lines", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrder(t.Context(), order(func(o *mpluskassa.Order) { o.LineList = nil }))
			return err
		}, "lineList"},
		{"line without decimalPlaces", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrder(t.Context(), order(func(o *mpluskassa.Order) {
				o.LineList = line(func(l *mpluskassa.Line) { l.Data.DecimalPlaces = nil })
			}))
			return err
		}, "lineList.line[0].data.decimalPlaces"},
		{"line without data", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrder(t.Context(), order(func(o *mpluskassa.Order) { o.LineList = line(func(l *mpluskassa.Line) { l.Data = nil }) }))
			return err
		}, "lineList.line[0].data"},
		{"line turnover group 1000", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrder(t.Context(), order(func(o *mpluskassa.Order) {
				o.LineList = line(func(l *mpluskassa.Line) { l.Data.TurnoverGroup = mpluskassa.Ptr(1000) })
			}))
			return err
		}, "lineList.line[0].data.turnoverGroup"},
		{"line without article", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrder(t.Context(), order(func(o *mpluskassa.Order) { o.LineList = line(func(l *mpluskassa.Line) { l.ArticleNumber = 0 }) }))
			return err
		}, "lineList.line[0].articleNumber"},
		{"other entry branch without workplace", func(c *mpluskassa.Client) error {
			_, err := c.Orders.SaveOrder(t.Context(), order(func(o *mpluskassa.Order) {
				o.EntryBranchNumber, o.FinancialBranchNumber = mpluskassa.Ptr(2), mpluskassa.Ptr(1)
			}))
			return err
		}, "workplaceNumber"},
		{"payment without method", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrder(t.Context(), order(func(o *mpluskassa.Order) {
				o.PaymentList = &mpluskassa.PaymentList{Payment: []mpluskassa.Payment{{Amount: 100}}}
			}))
			return err
		}, "paymentList.payment[0].method"},
		{"createOrderV3 without key", func(c *mpluskassa.Client) error {
			_, err := c.Orders.CreateOrderV3(t.Context(), mpluskassa.CreateOrderV3Request{Order: order(func(*mpluskassa.Order) {})})
			return err
		}, "idempotencyKey"},
		{"article turnover group -1", func(c *mpluskassa.Client) error {
			_, err := c.Products.CreateProduct(t.Context(), mpluskassa.Product{ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{{TurnoverGroup: mpluskassa.Ptr(-1)}}}})
			return err
		}, "articleList.article[0].turnoverGroup"},
		{"content quantity without scale", func(c *mpluskassa.Client) error {
			_, err := c.Products.CreateProduct(t.Context(), mpluskassa.Product{ArticleList: &mpluskassa.ArticleList{Article: []mpluskassa.Article{{ContentQuantity: mpluskassa.Ptr[int64](500)}}}})
			return err
		}, "articleList.article[0].contentQuantityDecimalPlaces"},
		{"update without product number", func(c *mpluskassa.Client) error {
			_, err := c.Products.UpdateProduct(t.Context(), mpluskassa.Product{Description: mpluskassa.Ptr("x")})
			return err
		}, "productNumber"},
		{"stock of branch 0", func(c *mpluskassa.Client) error {
			_, err := c.Stock.SetStock(t.Context(), mpluskassa.SetStockRequest{ArticleNumber: 1, Amount: 1, DecimalPlaces: mpluskassa.Ptr(0)})
			return err
		}, "branchNumber"},
		{"stock change without scale", func(c *mpluskassa.Client) error {
			_, err := c.Stock.UpdateStock(t.Context(), mpluskassa.UpdateStockRequest{BranchNumber: 1, ArticleNumber: 1, AmountChanged: 1})
			return err
		}, "decimalPlaces"},
		{"relation update without number", func(c *mpluskassa.Client) error {
			_, err := c.Relations.UpdateRelation(t.Context(), mpluskassa.Relation{Name: mpluskassa.Ptr("x")})
			return err
		}, "relationNumber"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := mockClient(t)
			err := tt.call(c)
			var ve *connector.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *connector.ValidationError", err)
			}
			found := false
			for _, e := range unwrapAll(err) {
				if e.Field == tt.field {
					found = true
				}
			}
			if !found {
				t.Errorf("no error names field %q: %v", tt.field, err)
			}
			if n := mt.GetTotalCallCount(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// unwrapAll returns the ValidationErrors in err.
func unwrapAll(err error) []*connector.ValidationError {
	var ves connector.ValidationErrors
	if errors.As(err, &ves) {
		return ves
	}
	var ve *connector.ValidationError
	if errors.As(err, &ve) {
		return []*connector.ValidationError{ve}
	}
	return nil
}

// TestSecretsRedacted checks that ident and secret, which travel in the URL,
// reach no log line, error or formatted value — also when the server or the
// network echoes them.
func TestSecretsRedacted(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := mockClient(t, mpluskassa.WithLogger(logger))
	calls := 0
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		calls++
		switch calls {
		case 1: // a fault that quotes the request URL
			return httpmock.NewStringResponse(500, fault("Client", "bad credentials in "+r.URL.String())), nil
		case 2: // an in-band message that quotes the secret
			return httpmock.NewStringResponse(200, envelope(`<ns:CreateRelationResponse><ns:result>CREATE-RELATION-RESULT-FAILED</ns:result>`+
				`<ns:relationNumber>0</ns:relationNumber><ns:errorMessage>secret `+testSecret+` expired</ns:errorMessage></ns:CreateRelationResponse>`)), nil
		default: // a transport error that names the URL
			return nil, fmt.Errorf("dial tcp: connection refused for %s", r.URL.String())
		}
	})
	var errs []error
	_, err := c.Reference.GetBranches(t.Context())
	errs = append(errs, err)
	_, err = c.Relations.CreateRelation(t.Context(), mpluskassa.Relation{Name: mpluskassa.Ptr("x")})
	errs = append(errs, err)
	_, err = c.Reference.GetBranches(t.Context())
	errs = append(errs, err)
	creds := mpluskassa.Credentials{Ident: testIdent, Secret: testSecret}
	var all strings.Builder
	all.WriteString(logs.String())
	for _, e := range errs {
		if e == nil {
			t.Fatal("expected an error")
		}
		fmt.Fprintf(&all, "%v\n%+v\n", e, e)
		var ae *connector.APIError
		if errors.As(e, &ae) {
			all.WriteString(ae.Message)
		}
	}
	fmt.Fprintf(&all, "%v %+v %#v %s %v", c, creds, creds, c, *c)
	for _, secret := range []string{testIdent, testSecret} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("%q leaked:\n%s", secret, all.String())
		}
	}
	if !strings.Contains(logs.String(), "secret=[REDACTED]") {
		t.Errorf("log lines do not show the redacted URL:\n%s", logs.String())
	}
}

func TestNewClient(t *testing.T) {
	if _, err := mpluskassa.NewClient(testBase, mpluskassa.Credentials{Ident: "i"}); err == nil {
		t.Error("missing secret accepted")
	}
	if _, err := mpluskassa.NewClient("api.mpluskassa.nl:45166", mpluskassa.Credentials{Ident: "i", Secret: "s"}); err == nil {
		t.Error("base URL without scheme accepted")
	}
	if got := mpluskassa.HostedURL(45166); got != testBase {
		t.Errorf("HostedURL = %q", got)
	}
	c, err := mpluskassa.NewClient(mpluskassa.HostedURL(45166), mpluskassa.Credentials{Ident: "i", Secret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if c.String() != "mpluskassa.Client(https://api.mpluskassa.nl:45166)" {
		t.Errorf("String() = %q", c.String())
	}
}
