package ccvshop

import (
	"context"
	"errors"
	"iter"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// Stock model. CCV Shop keeps one stock figure per product or attribute
// combination, the figure the shop sells from: it is lowered when an order
// is placed. Orders in a reserved status (ConnectorConfig.ReservedStatuses,
// by default 14 "Reserved") hold goods that are set aside but still in the
// warehouse. So a level reads as
//
//	Available = stock
//	Reserved  = the rows of orders in a reserved status
//	OnHand    = Available + Reserved
//
// and SetStock writes Available into stock. This is the reading kept in
// this one place; the platform documents no reservation figure.

// StockLevels streams the stock of every product without variants and of
// every variant (one request per page of products, combinations
// expanded), or of q.SKUs only (one lookup per SKU not seen before; SKUs
// the shop does not have yield no level), plus
// one listing of reserved orders and their rows per stream. q.Location
// selects products whose stocklocation matches it.
func (c *Connector) StockLevels(ctx context.Context, q connector.StockQuery) iter.Seq2[connector.StockLevel, error] {
	return func(yield func(connector.StockLevel, error) bool) {
		reserved, err := c.reservedBySKU(ctx)
		if err != nil {
			yield(connector.StockLevel{}, err)
			return
		}
		emit := func(l *connector.StockLevel) bool {
			if q.Location != "" && l.Location != q.Location {
				return true
			}
			l.Reserved = reserved[l.SKU]
			l.OnHand = l.Available.Add(l.Reserved)
			return yield(*l, nil)
		}
		if len(q.SKUs) > 0 {
			for _, sku := range q.SKUs {
				l, err := c.levelOf(ctx, sku)
				if errors.Is(err, connector.ErrNotFound) {
					continue // the shop does not have it: no level
				}
				if err != nil {
					yield(connector.StockLevel{}, err)
					return
				}
				if !emit(&l) {
					return
				}
			}
			return
		}
		opts := &ProductListOptions{Paging: Paging{Size: c.pageSize(0)}, Expand: []string{"attributecombinations"}, OrderBy: "id"}
		for p, err := range c.c.Products.All(ctx, opts) {
			if err != nil {
				yield(connector.StockLevel{}, err)
				return
			}
			c.rememberProduct(&p)
			for _, l := range productLevels(&p) {
				if !emit(&l) {
					return
				}
			}
		}
	}
}

// productLevels returns the levels of a product read with its
// combinations: one per combination, or the product's own.
func productLevels(p *Product) []connector.StockLevel {
	upd, _ := parseTime("", "", p.Modifydate)
	if p.Attributecombinations != nil && len(p.Attributecombinations.Collection) > 0 {
		out := make([]connector.StockLevel, 0, len(p.Attributecombinations.Collection))
		for _, ac := range p.Attributecombinations.Collection {
			if ac.SkuNumber == "" {
				continue
			}
			out = append(out, connector.StockLevel{SKU: ac.SkuNumber, ProductID: idString(ac.ID),
				Available: ac.Stock.Decimal, Managed: p.Stockenabled, Location: p.Stocklocation, UpdatedAt: upd})
		}
		return out
	}
	if p.Productnumber == "" {
		return nil
	}
	return []connector.StockLevel{{SKU: p.Productnumber, ProductID: idString(p.ID), Available: p.Stock.Decimal,
		Managed: p.Stockenabled, Location: p.Stocklocation, UpdatedAt: upd}}
}

// levelOf reads the current stock of one SKU.
func (c *Connector) levelOf(ctx context.Context, sku string) (connector.StockLevel, error) {
	loc, err := c.locate(ctx, sku)
	if err != nil {
		return connector.StockLevel{}, err
	}
	if loc.comboID != 0 {
		ac, err := c.c.AttributeCombinations.Get(ctx, loc.comboID)
		if err != nil {
			return connector.StockLevel{}, err
		}
		return connector.StockLevel{SKU: sku, ProductID: idString(ac.ID), Available: ac.Stock.Decimal, Managed: loc.stockEnabled}, nil
	}
	p, err := c.c.Products.Get(ctx, loc.productID)
	if err != nil {
		return connector.StockLevel{}, err
	}
	ls := productLevels(p)
	if len(ls) == 0 {
		return connector.StockLevel{SKU: sku, ProductID: idString(p.ID), Available: p.Stock.Decimal, Managed: p.Stockenabled}, nil
	}
	return ls[0], nil
}

// reservedBySKU sums the rows of orders in a reserved status per SKU.
func (c *Connector) reservedBySKU(ctx context.Context) (map[string]decimal.Decimal, error) {
	out := map[string]decimal.Decimal{}
	for _, code := range c.reserved {
		for o, err := range c.c.Orders.All(ctx, &OrderListOptions{Status: code, Paging: Paging{Size: 250}}) {
			if err != nil {
				return nil, err
			}
			for r, err := range c.c.OrderRows.All(ctx, int64(o.ID)) {
				if err != nil {
					return nil, err
				}
				sku := r.SubSkuNumber
				if sku == "" {
					sku = r.ProductNumber
				}
				out[sku] = out[sku].Add(r.Count.Decimal)
			}
		}
	}
	return out, nil
}

// SetStock sets the shop's stock of level.SKU to level.Available (derived
// as OnHand − Reserved when not given): PATCH /products/{id}/ with stock and
// stockenabled for a product, PATCH /attributecombinations/{id}/ with stock
// for a variant (plus the parent's stockenabled when it differs from
// Managed).
func (c *Connector) SetStock(ctx context.Context, level connector.StockLevel) error {
	if err := level.Validate(); err != nil {
		return err
	}
	l := level.Normalize()
	for attempt := 0; ; attempt++ {
		loc, err := c.locate(ctx, l.SKU)
		if err != nil {
			return err
		}
		err = c.writeStock(ctx, loc, l)
		if attempt == 0 && errors.Is(err, connector.ErrNotFound) {
			c.forget(l.SKU) // stale cache: look the SKU up again once
			continue
		}
		return err
	}
}

func (c *Connector) writeStock(ctx context.Context, loc skuLocation, l connector.StockLevel) error {
	if loc.comboID == 0 {
		err := c.c.Products.Update(ctx, loc.productID, &ProductInput{Stock: numPtr(l.Available), Stockenabled: Bool(l.Managed)})
		if err == nil {
			loc.stockEnabled = l.Managed
			c.remember(l.SKU, loc)
		}
		return err
	}
	if err := c.c.AttributeCombinations.UpdateStock(ctx, loc.comboID, l.Available); err != nil {
		return err
	}
	if loc.stockEnabled != l.Managed {
		if err := c.c.Products.Update(ctx, loc.productID, &ProductInput{Stockenabled: Bool(l.Managed)}); err != nil {
			return err
		}
		loc.stockEnabled = l.Managed
		c.remember(l.SKU, loc)
	}
	return nil
}
