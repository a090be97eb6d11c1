package demo

import (
	"context"
	"errors"
	"iter"
	"sync"

	"github.com/tradelink/tradelink/connector"
)

// plannedSKUs remembers the SKUs of the products a product plan went
// through, so that the order plan after it counts them as present in the
// sink. Without it, a plan of a first run would fail every order: the
// product plan writes nothing, so the order plan finds none of the
// products the real run creates just before the orders. A product the
// product plan filters out or fails still counts; the real run would then
// report the order's SKU as missing.
type plannedSKUs struct {
	mu   sync.Mutex
	skus map[string]bool
}

func (p *plannedSKUs) add(prod connector.Product) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.skus == nil {
		p.skus = map[string]bool{}
	}
	p.skus[prod.SKU] = true
	for _, v := range prod.Variants {
		p.skus[v.SKU] = true
	}
}

func (p *plannedSKUs) has(sku string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.skus[sku]
}

// recordingSource is a ProductSource that notes every product it streams.
type recordingSource struct {
	connector.ProductSource
	into *plannedSKUs
}

func (r recordingSource) Products(ctx context.Context, q connector.ProductQuery) iter.Seq2[connector.Product, error] {
	return func(yield func(connector.Product, error) bool) {
		for p, err := range r.ProductSource.Products(ctx, q) {
			if err == nil {
				r.into.add(p)
			}
			if !yield(p, err) {
				return
			}
		}
	}
}

// plannedSink is a ProductSink that finds the planned SKUs its sink lacks.
type plannedSink struct {
	connector.ProductSink
	planned *plannedSKUs
}

func (p plannedSink) FindProductBySKU(ctx context.Context, sku string) (connector.Product, error) {
	found, err := p.ProductSink.FindProductBySKU(ctx, sku)
	if errors.Is(err, connector.ErrNotFound) && p.planned.has(sku) {
		return connector.Product{SKU: sku, ID: "(created by the product flow)"}, nil
	}
	return found, err
}
