package flowtest

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// Catalog is a ProductSource that generates N products on the fly, so a
// large catalogue costs no memory: product i is the same on every stream.
// Every fifth product is configurable with three variants.
type Catalog struct {
	N     int
	Name  string
	Since time.Time
	pages atomic.Int64
}

// System implements connector.System.
func (c *Catalog) System() string {
	if c.Name == "" {
		return "catalog"
	}
	return c.Name
}

// Pages returns how many pages were streamed (one call each).
func (c *Catalog) Pages() int64 { return c.pages.Load() }

// Product returns product i.
func (c *Catalog) Product(i int) connector.Product {
	sku := "GEN-" + strconv.Itoa(i)
	p := connector.Product{
		ID: strconv.Itoa(i + 1), SKU: sku, Name: fmt.Sprintf("Generated product %d", i),
		ShortDescription: "A product made up for load tests", Price: decimal.New(int64(500+i%5000), -2),
		PriceIncludesTax: true, TaxRate: decimal.NewFromInt(21), Currency: "EUR", Type: connector.ProductSimple, Active: true,
		Categories: []connector.Category{{Name: "Group " + strconv.Itoa(i%10)}},
		UpdatedAt:  c.Since.Add(time.Duration(i) * time.Second),
	}
	if i%5 == 0 {
		p.Type = connector.ProductConfigurable
		p.Attributes = []connector.Attribute{{Name: "Size", Values: []string{"S", "M", "L"}}}
		for _, s := range p.Attributes[0].Values {
			p.Variants = append(p.Variants, connector.Variant{SKU: sku + "-" + s, Active: true,
				Attributes: []connector.AttributeValue{{Name: "Size", Value: s}}})
		}
	}
	return p
}

// Products implements connector.ProductSource.
func (c *Catalog) Products(ctx context.Context, q connector.ProductQuery) iter.Seq2[connector.Product, error] {
	size := q.PageSize
	if size <= 0 {
		size = 100
	}
	return func(yield func(connector.Product, error) bool) {
		for i := 0; i < c.N; i++ {
			if i%size == 0 {
				if err := ctx.Err(); err != nil {
					yield(connector.Product{}, err)
					return
				}
				c.pages.Add(1)
			}
			p := c.Product(i)
			if p.UpdatedAt.Before(q.UpdatedSince) {
				continue
			}
			if !yield(p, nil) {
				return
			}
		}
	}
}

// Discard is a ProductSink that keeps nothing: every SKU is unknown and
// every create succeeds. It measures a flow without a sink's memory.
type Discard struct {
	calls atomic.Int64
	seq   atomic.Int64
}

// System implements connector.System.
func (d *Discard) System() string { return "discard" }

// Calls returns how many calls the sink got.
func (d *Discard) Calls() int64 { return d.calls.Load() }

// FindProductBySKU implements connector.ProductSink: never found.
func (d *Discard) FindProductBySKU(ctx context.Context, sku string) (connector.Product, error) {
	d.calls.Add(1)
	return connector.Product{}, fmt.Errorf("product %q: %w", sku, connector.ErrNotFound)
}

// CreateProduct implements connector.ProductSink.
func (d *Discard) CreateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	d.calls.Add(1)
	if err := p.Validate(); err != nil {
		return connector.Product{}, err
	}
	p.ID = strconv.FormatInt(d.seq.Add(1), 10)
	return p, nil
}

// UpdateProduct implements connector.ProductSink.
func (d *Discard) UpdateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	d.calls.Add(1)
	return p, nil
}
