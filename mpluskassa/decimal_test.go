package mpluskassa

import (
	"strings"
	"testing"

	"github.com/tradelink/tradelink/internal/soap"
)

func env(body string) []byte {
	return []byte(`<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:mplusqapi"><SOAP-ENV:Body>` +
		body + `</SOAP-ENV:Body></SOAP-ENV:Envelope>`)
}

// TestDecimalFields checks the newer xsd:decimal fields, which carry real
// units (not cents) and decode into decimals without scaling.
func TestDecimalFields(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		resp    string
		out     any
		get     func(any) string
		want    string
		wantErr string
	}{
		{"ArticleStock.ownAmountFree", `<ns:GetStockResponse><ns:articleStocks><ns:articleNumber>1</ns:articleNumber><ns:stockId>1</ns:stockId>` +
			`<ns:amountFree>12345</ns:amountFree><ns:decimalPlacesFree>3</ns:decimalPlacesFree><ns:amountReserved>0</ns:amountReserved>` +
			`<ns:amountIncoming>0</ns:amountIncoming><ns:ownAmountFree>12.345</ns:ownAmountFree><ns:isDayStockArticle>false</ns:isDayStockArticle>` +
			`</ns:articleStocks></ns:GetStockResponse>`, "GetStockResponse", &GetStockResponse{},
			func(v any) string { return v.(*GetStockResponse).ArticleStocks[0].OwnAmountFree.String() }, "12.345", ""},
		{"Relation.invoiceCredit", `<ns:GetRelationResponse><ns:result>GET-RELATION-RESULT-OK</ns:result><ns:relation>` +
			`<ns:invoiceCredit>-10.50</ns:invoiceCredit><ns:accountBalance>0</ns:accountBalance></ns:relation></ns:GetRelationResponse>`,
			"GetRelationResponse", &GetRelationResponse{},
			func(v any) string { return v.(*GetRelationResponse).Relation.InvoiceCredit.String() }, "-10.5", ""},
		{"Article.priceDeviationMin (euros, not cents)", `<ns:GetProductsResponse><ns:productList><ns:product><ns:articleList><ns:article>` +
			`<ns:priceIncl>995</ns:priceIncl><ns:priceDeviationMin>0.5</ns:priceDeviationMin></ns:article></ns:articleList></ns:product>` +
			`</ns:productList></ns:GetProductsResponse>`, "GetProductsResponse", &GetProductsResponse{},
			func(v any) string {
				a := v.(*GetProductsResponse).ProductList.Product[0].Articles()[0]
				return FromCents(*a.PriceIncl).String() + " " + a.PriceDeviationMin.String()
			}, "9.95 0.5", ""},
		{"LineData.averagePurchasePrice", `<ns:GetOrderResponse><ns:result>GET-ORDER-RESULT-OK</ns:result><ns:order><ns:orderId>x</ns:orderId>` +
			`<ns:lineList><ns:line><ns:articleNumber>1</ns:articleNumber><ns:data><ns:quantity>1</ns:quantity>` +
			`<ns:averagePurchasePrice>3.1415</ns:averagePurchasePrice></ns:data></ns:line></ns:lineList></ns:order></ns:GetOrderResponse>`,
			"GetOrderResponse", &GetOrderResponse{},
			func(v any) string { return v.(*GetOrderResponse).Order.Lines()[0].Data.AveragePurchasePrice.String() }, "3.1415", ""},
		{"a decimal comma is malformed and named", `<ns:GetRelationResponse><ns:result>GET-RELATION-RESULT-OK</ns:result><ns:relation>` +
			`<ns:invoiceCredit>1,5</ns:invoiceCredit></ns:relation></ns:GetRelationResponse>`, "GetRelationResponse", &GetRelationResponse{},
			nil, "", "GetRelationResponse/relation/invoiceCredit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := soap.Unmarshal(env(tt.body), tt.out, tt.resp)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to name %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.get(tt.out); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// FuzzConvert decodes arbitrary answers and converts them to the canonical
// model: bad data must give an error, never a panic.
func FuzzConvert(f *testing.F) {
	f.Add([]byte(`<ns:GetProductsResponse><ns:productList><ns:product><ns:productNumber>1</ns:productNumber><ns:articleList><ns:article>` +
		`<ns:articleNumber>2</ns:articleNumber><ns:changeTimestamp><ns:sec>1</ns:sec><ns:min>1</ns:min><ns:hour>1</ns:hour><ns:day>31</ns:day>` +
		`<ns:mon>2</ns:mon><ns:year>2025</ns:year><ns:isdst>false</ns:isdst><ns:timezone>60</ns:timezone></ns:changeTimestamp></ns:article>` +
		`</ns:articleList></ns:product></ns:productList></ns:GetProductsResponse>`))
	f.Add([]byte(`<ns:GetOrdersResponse><ns:orderList><ns:order><ns:orderId>a</ns:orderId><ns:lineList><ns:line><ns:articleNumber>1` +
		`</ns:articleNumber><ns:data><ns:quantity>5</ns:quantity><ns:decimalPlaces>-3</ns:decimalPlaces></ns:data></ns:line></ns:lineList>` +
		`</ns:order></ns:orderList></ns:GetOrdersResponse>`))
	f.Add([]byte(`<ns:GetStockResponse><ns:articleStocks><ns:articleNumber>1</ns:articleNumber><ns:amountFree>1</ns:amountFree>` +
		`<ns:decimalPlacesFree>99</ns:decimalPlacesFree></ns:articleStocks></ns:GetStockResponse>`))
	f.Add([]byte(`<ns:GetRelationsResponse><ns:relationList><ns:relation><ns:relationNumber>1</ns:relationNumber></ns:relation>` +
		`</ns:relationList></ns:GetRelationsResponse>`))
	k := &Connector{cfg: ConnectorConfig{Currency: "EUR", ShippingArticleNumber: 999, DiscountArticleNumber: 998}}
	f.Fuzz(func(t *testing.T, body []byte) {
		data := env(string(body))
		var ps GetProductsResponse
		if soap.Unmarshal(data, &ps, "GetProductsResponse") == nil {
			for _, p := range ps.ProductList.Product {
				_, _ = k.toProduct(p)
			}
		}
		var os GetOrdersResponse
		if soap.Unmarshal(data, &os, "GetOrdersResponse") == nil {
			for _, o := range os.OrderList.Order {
				_, _ = k.toOrder(o)
			}
		}
		var ss GetStockResponse
		if soap.Unmarshal(data, &ss, "GetStockResponse") == nil {
			for _, s := range ss.ArticleStocks {
				_, _ = toStockLevel(s, 1)
			}
		}
		var rs GetRelationsResponse
		if soap.Unmarshal(data, &rs, "GetRelationsResponse") == nil {
			for _, r := range rs.RelationList.Relation {
				_, _ = k.toCustomer(r)
			}
		}
	})
}
