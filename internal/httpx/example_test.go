package httpx_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"golang.org/x/time/rate"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/internal/httpx"
)

func Example() {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"code":"429.10","message":"slow down"}`)
			return
		}
		if r.URL.Path == "/api/missing" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		fmt.Fprint(w, `{"id":7}`)
	}))
	defer srv.Close()

	c, err := httpx.New(httpx.Config{
		System:  "demo",
		BaseURL: srv.URL + "/api",
		Limiter: rate.NewLimiter(rate.Limit(10), 1), // the vendor's published limit
	})
	if err != nil {
		panic(err)
	}
	var out struct{ ID int }
	if _, err := c.DoJSON(context.Background(), &httpx.Request{Method: "GET", Path: "/things/7"}, nil, &out); err != nil {
		panic(err)
	}
	fmt.Println("id", out.ID, "after", calls, "attempts")

	_, err = c.Do(context.Background(), &httpx.Request{Method: "GET", Path: "/missing"})
	fmt.Println(errors.Is(err, connector.ErrNotFound))
	// Output:
	// id 7 after 2 attempts
	// true
}
