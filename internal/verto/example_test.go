package verto_test

import (
	"fmt"

	"github.com/tradelink/tradelink/internal/verto"
)

// The signature of GET /api/rest/v1/products/ with key pair demo/demo (the
// first worked example of the API note).
func ExampleSign() {
	date := "2022-11-26T00:45:54Z"
	fmt.Println(verto.StringToSign("demo", "GET", "/api/rest/v1/products/", nil, date))
	h := verto.Sign("demo", "demo", "GET", "/api/rest/v1/products/", nil, date)
	fmt.Println(h[:32], len(h))
	// Output:
	// demo|GET|/api/rest/v1/products/||2022-11-26T00:45:54Z
	// 43cc315f757e363acd36fa75f03bd99e 128
}

func ExampleClassify() {
	for _, r := range [][2]string{{"GET", "/api/rest/v1/orders/"}, {"PATCH", "/api/rest/v1/products/1/"}, {"GET", "/api/rest/v1/productqueries/?skunumber=1"}} {
		op := verto.Classify(r[0], r[1])
		fmt.Println(r[0], verto.Resource(r[1]), op, verto.DefaultLimits.For(op), "per minute")
	}
	// Output:
	// GET orders read 150 per minute
	// PATCH products write 100 per minute
	// GET productqueries productquery 30 per minute
}
