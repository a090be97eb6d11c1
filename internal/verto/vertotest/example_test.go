package vertotest_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/tradelink/tradelink/internal/httpx"

	"github.com/tradelink/tradelink/internal/verto"
	"github.com/tradelink/tradelink/internal/verto/vertotest"
)

// A fake with one resource; the client signs, the fake checks and signs
// back, and an injected 503 is retried away.
func Example() {
	srv := vertotest.New(vertotest.Config{PublicKey: "p", Secret: "s3cret"})
	defer srv.Close()
	srv.Handle("GET things/{id}/", func(r *vertotest.Request) vertotest.Reply {
		return vertotest.JSON(http.StatusOK, map[string]string{"id": r.PathValue("id")})
	})
	srv.Inject(vertotest.Fault{Path: "things/", Status: http.StatusServiceUnavailable})

	c, _ := verto.New(verto.Config{BaseURL: srv.URL(), PublicKey: "p", Secret: "s3cret"},
		httpx.WithRetry(httpx.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}))
	var out struct{ ID verto.Int }
	err := c.Get(context.Background(), "things/7/", nil, &out)
	fmt.Println(out.ID, err, srv.Requests())
	// Output: 7 <nil> 2
}
