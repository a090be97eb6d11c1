package mpluskassatest_test

import (
	"context"
	"fmt"

	"github.com/tradelink/tradelink/mpluskassa"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

// Start a fake, seed it directly, inject a fault and count the calls.
func Example() {
	srv := mpluskassatest.New()
	defer srv.Close()
	for i := range 3 {
		if _, err := srv.AddSimpleProduct(int64(100101+i), fmt.Sprintf("Article %d", i), 995); err != nil {
			fmt.Println(err)
			return
		}
	}

	c, _ := mpluskassa.NewClient(srv.URL(), srv.Credentials(), mpluskassa.WithRetry(mpluskassa.RetryPolicy{MaxAttempts: 1}))
	ctx := context.Background()
	n := 0
	for _, err := range c.Products.All(ctx, mpluskassa.GetProductsRequest{SyncMarkerLimit: mpluskassa.Ptr(2)}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println(n, "products in", srv.RequestsFor("getProducts"), "pages")

	srv.Inject(mpluskassatest.Fault{Path: "getBranches", Status: 503})
	_, err := c.Reference.GetBranches(ctx)
	fmt.Println(mpluskassa.ResultCode(err))
	// Output:
	// 3 products in 3 pages
	// Server
}
