package e2e

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/ccvshop/ccvshoptest"
	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/eaccounting/eaccountingtest"
	"github.com/tradelink/tradelink/internal/httpx"
	"github.com/tradelink/tradelink/mpluskassa"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

// slowWrite is one fake set up for TestFakesCommitBeforeSlowAnswer: write
// sends one create through the real client; applied counts the records of
// that kind, read directly from the fake (after close, which waits for
// handlers still running).
type slowWrite struct {
	inject  func(f fault)
	write   func(ctx context.Context, opts []httpx.Option) error
	applied func() int
	close   func()
}

// TestFakesCommitBeforeSlowAnswer is the minimal reproduction of a bug the
// fault tests met in all three fakes. Fault{AfterCommit: true, Delay: d}
// promises "apply the write first, then answer d late" — the "timeout
// after the write committed" case, in which a client that gives up before
// the answer must still find the record applied. The fakes instead sleep
// first and apply after the delay: vertotest (CCV Shop) and mpluskassatest
// read the request body first, notice the client hanging up and never
// apply the write; eaccountingtest does not notice and applies it late,
// after the client already gave up (and after a flow's look-up, which then
// creates the record a second time).
func TestFakesCommitBeforeSlowAnswer(t *testing.T) {
	const timeout = 200 * time.Millisecond
	cases := map[string]func(t *testing.T) slowWrite{
		ccvshop.SystemName: func(t *testing.T) slowWrite {
			srv := ccvshoptest.New()
			srv.DisableLimits()
			return slowWrite{
				inject: func(f fault) {
					f.Method, f.Path = http.MethodPost, "products/"
					srv.Inject(ccvshoptest.Fault(f))
				},
				write: func(ctx context.Context, opts []httpx.Option) error {
					c, err := srv.Client(opts...)
					if err != nil {
						return err
					}
					cn, err := ccvshop.NewConnector(c, ccvshop.ConnectorConfig{PackageID: ccvshoptest.DefaultPackageID})
					if err != nil {
						return err
					}
					_, err = cn.CreateProduct(ctx, connector.Product{SKU: "800001", Name: "Slow", Price: decimal.NewFromInt(10),
						TaxRate: decimal.NewFromInt(21), PriceIncludesTax: true, Type: connector.ProductSimple, Active: true})
					return err
				},
				applied: srv.ProductCount,
				close:   srv.Close,
			}
		},
		eaccounting.SystemName: func(t *testing.T) slowWrite {
			srv := eaccountingtest.New()
			return slowWrite{
				inject: func(f fault) {
					f.Method, f.Path = http.MethodPost, "/v2/customers"
					srv.Inject(eaccountingtest.Fault(f))
				},
				write: func(ctx context.Context, opts []httpx.Option) error {
					c, err := srv.NewClient(opts...)
					if err != nil {
						return err
					}
					cn, err := eaccounting.NewConnector(c, eaccounting.ConnectorConfig{})
					if err != nil {
						return err
					}
					_, err = cn.CreateCustomer(ctx, slowCustomer)
					return err
				},
				applied: func() int { return srv.Count("customers") },
				close:   srv.Close,
			}
		},
		mpluskassa.SystemName: func(t *testing.T) slowWrite {
			srv := mpluskassatest.New()
			return slowWrite{
				inject: func(f fault) {
					f.Path = "createRelation"
					srv.Inject(mpluskassatest.Fault(f))
				},
				write: func(ctx context.Context, opts []httpx.Option) error {
					c, err := mpluskassa.NewClient(srv.URL(), srv.Credentials(), opts...)
					if err != nil {
						return err
					}
					cn, err := mpluskassa.NewConnector(c, mpluskassa.ConnectorConfig{})
					if err != nil {
						return err
					}
					_, err = cn.CreateCustomer(ctx, slowCustomer)
					return err
				},
				applied: func() int { _, n, _ := srv.Counts(); return n },
				close:   srv.Close,
			}
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sw := setup(t)
			before := sw.applied()
			sw.inject(fault{AfterCommit: true, Delay: 3 * timeout})
			opts := []httpx.Option{httpx.WithHTTPClient(&http.Client{Timeout: timeout}), httpx.WithLimiter(nil),
				httpx.WithRetry(httpx.RetryPolicy{MaxAttempts: 1})}
			err := sw.write(t.Context(), opts)
			if !errors.Is(err, connector.ErrOutcomeUnknown) {
				t.Fatalf("write err = %v, want an unknown outcome (the client timed out)", err)
			}
			atTimeout := sw.applied() - before
			sw.close() // waits for the fake's handlers
			eventually := sw.applied() - before
			if atTimeout != 1 || eventually != 1 {
				t.Errorf("%s fake: Fault{AfterCommit, Delay} past the client's timeout: records applied when the client gave up = %d, after the fake finished = %d; want 1 and 1 (applied first, answered late)",
					name, atTimeout, eventually)
			}
		})
	}
}

// slowCustomer is the record TestFakesCommitBeforeSlowAnswer writes.
var slowCustomer = connector.Customer{FirstName: "Slow", LastName: "Answer", Email: "slow@example.org",
	BillingAddress: connector.Address{Street: "Dorpsstraat", HouseNumber: "1", PostalCode: "1741AA", City: "Schagen", Country: "NL"}}
