package mpluskassa

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/soap"
)

// The envelopes under testdata/examples are the vendor notes' hand-written
// examples, validated against the WSDL's schema by the notes' author.

func readExample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/examples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tokens is the namespace-resolved content of an XML document: element
// names with their namespace and trimmed text, prefixes and layout
// whitespace dropped.
func tokens(t *testing.T, data []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var out []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			out = append(out, "<{"+e.Name.Space+"}"+e.Name.Local+">")
		case xml.EndElement:
			out = append(out, "</"+e.Name.Local+">")
		case xml.CharData:
			if s := strings.TrimSpace(string(e)); s != "" {
				out = append(out, s)
			}
		}
	}
}

func TestExampleResponsesDecode(t *testing.T) {
	t.Run("GetProductsResponse", func(t *testing.T) {
		var got GetProductsResponse
		if err := soap.Unmarshal(readExample(t, "GetProductsResponse.xml"), &got, opGetProducts.response); err != nil {
			t.Fatal(err)
		}
		want := GetProductsResponse{ProductList: ProductList{Product: []Product{{
			ProductNumber: Ptr[int64](1001), SyncMarker: Ptr[int64](57), Description: Ptr("T-shirt basic"),
			GroupNumbers: []int{3},
			ArticleList: &ArticleList{Article: []Article{
				{ArticleNumber: Ptr[int64](100101), PluNumber: Ptr("TS-BLK-M"), SyncMarker: Ptr[int64](57),
					ChangeTimestamp: &DateTime{Sec: 12, Min: 30, Hour: 14, Day: 3, Mon: 6, Year: 2025, Timezone: 120},
					Active:          Ptr(true), Description: Ptr("T-shirt basic black M"), Colour: Ptr("Black"), Size: Ptr("M"),
					Barcode: Ptr("8712345678906"), TurnoverGroup: Ptr(10), VatCode: Ptr(1), VatPercentage: Ptr[int64](21),
					PurchasePrice: Ptr[int64](650), PriceIncl: Ptr[int64](1995), PriceExcl: Ptr[int64](1649),
					Webshop: Ptr(true), StockArticle: Ptr(true)},
				{ArticleNumber: Ptr[int64](100102), PluNumber: Ptr("TS-BLK-L"), SyncMarker: Ptr[int64](56),
					Active: Ptr(true), Description: Ptr("T-shirt basic black L"), Colour: Ptr("Black"), Size: Ptr("L"),
					Barcode: Ptr("8712345678913"), TurnoverGroup: Ptr(10), VatCode: Ptr(1), VatPercentage: Ptr[int64](21),
					PriceIncl: Ptr[int64](1995), PriceExcl: Ptr[int64](1649), Webshop: Ptr(true), StockArticle: Ptr(true)},
			}},
		}}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("decoded (-want +got):\n%s", diff)
		}
		// And into the canonical model: two articles make a configurable
		// product with the product number as SKU.
		k := &Connector{cfg: ConnectorConfig{Currency: "EUR"}}
		p, err := k.toProduct(got.ProductList.Product[0])
		if err != nil {
			t.Fatal(err)
		}
		wantP := connector.Product{
			ID: "1001", SKU: "1001", Name: "T-shirt basic", Currency: "EUR", Type: connector.ProductConfigurable,
			Price: dec("19.95"), PriceIncludesTax: true, CostPrice: dec("6.5"), TaxRate: dec("21"), Active: true,
			UpdatedAt: time.Date(2025, 6, 3, 12, 30, 12, 0, time.UTC), Cursor: "57",
			Attributes: []connector.Attribute{{Name: "Colour", Values: []string{"Black"}}, {Name: "Size", Values: []string{"M", "L"}}},
			Variants: []connector.Variant{
				{ID: "100101", SKU: "100101", EAN: "8712345678906", Active: true, Price: nullDec("19.95"),
					Attributes: []connector.AttributeValue{{Name: "Colour", Value: "Black"}, {Name: "Size", Value: "M"}}},
				{ID: "100102", SKU: "100102", EAN: "8712345678913", Active: true, Price: nullDec("19.95"),
					Attributes: []connector.AttributeValue{{Name: "Colour", Value: "Black"}, {Name: "Size", Value: "L"}}},
			},
		}
		if diff := cmp.Diff(wantP, p, decimalEqual, timeEqual); diff != "" {
			t.Errorf("canonical (-want +got):\n%s", diff)
		}
	})
	t.Run("GetStockResponse", func(t *testing.T) {
		var got GetStockResponse
		if err := soap.Unmarshal(readExample(t, "GetStockResponse.xml"), &got, opGetStock.response); err != nil {
			t.Fatal(err)
		}
		if len(got.ArticleStocks) != 2 {
			t.Fatalf("%d stocks", len(got.ArticleStocks))
		}
		l, err := toStockLevel(got.ArticleStocks[0], 0)
		if err != nil {
			t.Fatal(err)
		}
		want := connector.StockLevel{SKU: "100101", ProductID: "100101", OnHand: dec("13"), Reserved: dec("3"), Available: dec("10"), Managed: true, Location: "1"}
		if diff := cmp.Diff(want, l, decimalEqual); diff != "" {
			t.Errorf("stock (-want +got):\n%s", diff)
		}
		if s := got.ArticleStocks[1]; s.StockID != 9790 || s.AmountFree != 0 || val(s.DecimalPlacesIncoming) != 0 || s.IsDayStockArticle {
			t.Errorf("second stock = %+v", s)
		}
	})
	t.Run("CreateOrderResponse", func(t *testing.T) {
		var got CreateOrderResponse
		if err := soap.Unmarshal(readExample(t, "CreateOrderResponse.xml"), &got, opCreateOrder.response); err != nil {
			t.Fatal(err)
		}
		want := CreateOrderResponse{Result: CreateOrderOK, Info: CreateOrderInfo{OrderID: "001a3cd43892405b9689134b36656063", OrderString: "2025-000042"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if s := OrderNumberString(YearNumber{Year: 2025, Number: 42}); s != got.Info.OrderString {
			t.Errorf("OrderNumberString = %q, the server wrote %q", s, got.Info.OrderString)
		}
	})
	t.Run("FindRelationResponse not found", func(t *testing.T) {
		// findRelation and findRelationV2 answer the same shape.
		var got FindRelationV2Response
		if err := soap.Unmarshal(readExample(t, "FindRelationResponse.notfound.xml"), &got, "FindRelationResponse"); err != nil {
			t.Fatal(err)
		}
		if got.Result != FindRelationNotFound || got.Relation != nil {
			t.Fatalf("got %+v", got)
		}
		c, err := NewClient("https://example.invalid", Credentials{Ident: "i", Secret: "s"})
		if err != nil {
			t.Fatal(err)
		}
		err = c.checkResult(opFindRelationV2, "", got.Result, "")
		var ae *connector.APIError
		if !errors.Is(err, connector.ErrNotFound) || !errors.As(err, &ae) || ae.Code != FindRelationNotFound {
			t.Errorf("checkResult = %v", err)
		}
	})
	t.Run("fault.client", func(t *testing.T) {
		ae := decodeFault(500, nil, readExample(t, "fault.client.xml"))
		if ae == nil || ae.Code != "Client" || ae.Temporary || !strings.HasPrefix(ae.Message, "Illustrative message") {
			t.Errorf("decodeFault = %+v", ae)
		}
	})
}

func nullDec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

// TestExampleRequestsMatchClient builds each example request with the
// client's types (and, for orders and relations, with the connector's
// mapping) and compares what the client writes with the example, element by
// element and namespace by namespace; then decodes the example back.
func TestExampleRequestsMatchClient(t *testing.T) {
	k := &Connector{cfg: ConnectorConfig{BranchNumber: 1, EntryBranchNumber: 1, EmployeeNumber: DefaultEmployeeNumber,
		ShippingArticleNumber: 999, Currency: "EUR"}}
	created := time.Date(2025, 6, 3, 8, 15, 5, 0, time.UTC) // 10:15:05 in Amsterdam
	order, err := k.toWireOrder(connector.Order{
		Number: "WEB-000123", ExternalRef: "WEB-000123", Currency: "EUR", PricesIncludeTax: true, CreatedAt: created,
		Notes:           "Webshop order WEB-000123",
		Customer:        connector.Customer{ID: "5012", FirstName: "Jan", LastName: "Jansen"},
		ShippingAddress: connector.Address{Street: "Dorpsstraat", HouseNumber: "1", PostalCode: "1234 AB", City: "Utrecht", Country: "NL"},
		ShippingCost:    dec("4.95"),
		Lines: []connector.OrderLine{{SKU: "100101", Name: "T-shirt basic black M", Quantity: dec("2"), UnitPrice: dec("19.95"),
			TaxRate: dec("21")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	relation := toRelation(connector.Customer{Email: "jan@example.nl", CompanyName: "Jansen Fietsen B.V.", FirstName: "Jan",
		LastName: "Jansen", Phone: "0301234567", VATNumber: "NL001234567B01", Active: true,
		BillingAddress: connector.Address{Street: "Dorpsstraat", HouseNumber: "1", PostalCode: "1234 AB", City: "Utrecht", Country: "NL"}})
	// The canonical customer has no field for extRelationId.
	relation.ExtRelationID = Ptr("WEB-CUST-77")

	tests := []struct {
		file, op string
		built    any
		decoded  any // pointer to decode the example into
	}{
		{"getProducts.request.xml", "getProducts",
			getProductsIn{GetProductsRequest{OnlyActive: Ptr(true), SyncMarker: Ptr[int64](1), SyncMarkerLimit: Ptr(100)}}, &getProductsIn{}},
		{"getStock.request.xml", "getStock",
			getStockIn{GetStockRequest{BranchNumber: 1, ArticleNumbers: ArticleNumberList{ArticleNumbers: []int64{100101, 100102}}}}, &getStockIn{}},
		{"createOrder.request.xml", "createOrder", orderIn{order}, &orderIn{}},
		{"createRelation.request.xml", "createRelation", relationIn{relation}, &relationIn{}},
		{"findRelation.request.xml", "findRelation", relationIn{Relation{Email: Ptr("jan@example.nl")}}, &relationIn{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			example := readExample(t, tt.file)
			got, err := soap.Marshal(Namespace, RequestPrefix, tt.op, tt.built)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tokens(t, example), tokens(t, got)); diff != "" {
				t.Errorf("client envelope differs from the example (-example +client):\n%s\n%s", diff, got)
			}
			b, err := soap.ReadBody(example)
			if err != nil {
				t.Fatal(err)
			}
			if b.Name.Local != tt.op || b.Name.Space != Namespace {
				t.Errorf("body element %v", b.Name)
			}
			if err := b.Decode(tt.decoded); err != nil {
				t.Fatal(err)
			}
			// Decoding reads an empty required list as an empty value, the
			// same as the client wrote it.
			if diff := cmp.Diff(tt.built, deref(tt.decoded), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("decoded example (-built +decoded):\n%s", diff)
			}
		})
	}
}
