package soap_test

import (
	"errors"
	"fmt"

	"github.com/tradelink/tradelink/internal/soap"
)

type getStockRequest struct {
	BranchNumber   int     `xml:"request>branchNumber"`
	ArticleNumbers []int64 `xml:"request>articleNumbers>articleNumbers"`
}

type getStockResponse struct {
	Stocks []struct {
		ArticleNumber int64 `xml:"articleNumber"`
		AmountFree    int64 `xml:"amountFree"`
	} `xml:"articleStocks"`
}

// A request is written with the ns1 prefix; a response is read whatever its
// prefixes and the casing of its element name.
func Example() {
	req, _ := soap.Marshal("urn:mplusqapi", "ns1", "getStock", getStockRequest{BranchNumber: 1, ArticleNumbers: []int64{100101}})
	fmt.Println(string(req[len(`<?xml version="1.0" encoding="UTF-8"?>`)+1:]))

	answer := `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:mplusqapi">
<SOAP-ENV:Body><ns:GetStockResponse><ns:articleStocks><ns:articleNumber>100101</ns:articleNumber>
<ns:amountFree>10</ns:amountFree></ns:articleStocks></ns:GetStockResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`
	var out getStockResponse
	if err := soap.Unmarshal([]byte(answer), &out, "getStockResponse"); err != nil {
		fmt.Println(err)
	}
	fmt.Println(out.Stocks[0].ArticleNumber, out.Stocks[0].AmountFree)

	fault := `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body>
<SOAP-ENV:Fault><faultcode>SOAP-ENV:Server</faultcode><faultstring>database busy</faultstring></SOAP-ENV:Fault>
</SOAP-ENV:Body></SOAP-ENV:Envelope>`
	err := soap.Unmarshal([]byte(fault), &out, "GetStockResponse")
	if f, ok := errors.AsType[*soap.Fault](err); ok {
		fmt.Println(f.Code, f.Temporary(), f)
	}
	// Output:
	// <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:mplusqapi"><SOAP-ENV:Header/><SOAP-ENV:Body><ns1:getStock><ns1:request><ns1:branchNumber>1</ns1:branchNumber><ns1:articleNumbers><ns1:articleNumbers>100101</ns1:articleNumbers></ns1:articleNumbers></ns1:request></ns1:getStock></SOAP-ENV:Body></SOAP-ENV:Envelope>
	// 100101 10
	// Server true SOAP fault Server: database busy
}
