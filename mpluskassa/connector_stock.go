package mpluskassa

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/tradelink/tradelink/connector"
)

// stockChunk is how many article numbers one getStock call asks for.
const stockChunk = 500

// StockLevels streams the stock of the branch q.Location (a branch number;
// empty means ConnectorConfig.BranchNumber): every article, or the articles
// q.SKUs names, asked for in chunks of 500. OnHand is amountFree +
// amountReserved, Reserved is amountReserved and Available is amountFree (see
// [ArticleStock.OnHand]). SKUs that cannot be article numbers name no stock
// and are left out of the request. q.Cursor is a stock mutation id
// (getCurrentSyncMarkers' stockId): only articles whose stock changed at or
// after it are returned.
func (k *Connector) StockLevels(ctx context.Context, q connector.StockQuery) iter.Seq2[connector.StockLevel, error] {
	return func(yield func(connector.StockLevel, error) bool) {
		branch, err := k.branch("stock query", q.Location)
		if err != nil {
			yield(connector.StockLevel{}, err)
			return
		}
		id, err := cursorOf("stock query", q.Cursor, "stock id")
		if err != nil {
			yield(connector.StockLevel{}, err)
			return
		}
		req := GetStockRequest{BranchNumber: branch, StockID: id}
		var chunks [][]int64
		if len(q.SKUs) == 0 {
			chunks = [][]int64{nil} // an empty list asks for every article
		} else {
			var nums []int64
			for _, s := range q.SKUs {
				if n, ok := parseNumber(s); ok {
					nums = append(nums, n)
				}
			}
			for len(nums) > 0 {
				n := min(stockChunk, len(nums))
				chunks = append(chunks, nums[:n])
				nums = nums[n:]
			}
		}
		for _, chunk := range chunks {
			req.ArticleNumbers = ArticleNumberList{ArticleNumbers: chunk}
			stocks, err := k.c.Stock.GetStock(ctx, req)
			if err != nil {
				yield(connector.StockLevel{}, err)
				return
			}
			for _, s := range stocks {
				l, err := toStockLevel(s, branch)
				if !yield(l, err) || err != nil {
					return
				}
			}
		}
	}
}

// branch reads a Location as a branch number; empty means the configured
// branch.
func (k *Connector) branch(record, location string) (int, error) {
	if location == "" {
		return k.cfg.BranchNumber, nil
	}
	n, err := numberField(record, "Location", location, "the location (a MplusKASSA branch number)")
	if err != nil {
		return 0, err
	}
	if n > 1<<31-1 {
		return 0, &connector.ValidationError{Record: record, Field: "Location", Value: location, Reason: "is not a branch number"}
	}
	return int(n), nil
}

func toStockLevel(s ArticleStock, branch int) (connector.StockLevel, error) {
	sku := format(s.ArticleNumber)
	rec := "stock " + strconv.Quote(sku)
	free, err := s.Free()
	if err != nil {
		return connector.StockLevel{}, wireErr(rec, "decimalPlacesFree", err)
	}
	reserved, err := s.Reserved()
	if err != nil {
		return connector.StockLevel{}, wireErr(rec, "decimalPlacesReserved", err)
	}
	onHand, _ := s.OnHand() // both parts converted above
	if s.BranchNumber != nil {
		branch = *s.BranchNumber
	}
	updated, err := timeOf(rec, "changeTimestamp", s.ChangeTimestamp)
	if err != nil {
		return connector.StockLevel{}, err
	}
	return connector.StockLevel{
		SKU: sku, ProductID: sku,
		OnHand: onHand, Reserved: reserved, Available: free,
		Managed: true, Location: strconv.Itoa(branch), UpdatedAt: updated,
	}, nil
}

// SetStock makes level.Available (or OnHand − Reserved when Available is
// not set) the sellable stock of the article level.SKU at branch
// level.Location, and its stockArticle flag level.Managed.
//
// MplusKASSA's setStock sets the physical stock, and reservations of
// undelivered orders are subtracted from it, so SetStock first reads the
// article's reservation and writes Available + reserved (two calls; a
// reservation made in between shifts the result by its quantity). An
// article that keeps no stock is switched to stock keeping first. With
// Managed false only the flag is written. An unknown SKU is
// connector.ErrNotFound.
func (k *Connector) SetStock(ctx context.Context, level connector.StockLevel) error {
	if err := level.Validate(); err != nil {
		return err
	}
	level = level.Normalize()
	rec := "stock " + strconv.Quote(level.SKU)
	n, err := skuField(rec, "SKU", level.SKU)
	if err != nil {
		return err
	}
	branch, err := k.branch(rec, level.Location)
	if err != nil {
		return err
	}
	if !level.Managed {
		return k.setStockArticle(ctx, n, false)
	}
	err = k.setStock(ctx, rec, branch, n, level)
	if ResultCode(err) == SetStockNoStockArticle {
		if err := k.setStockArticle(ctx, n, true); err != nil {
			return err
		}
		err = k.setStock(ctx, rec, branch, n, level)
	}
	return err
}

// setStock reads the article's reservation and sets the physical stock to
// level.Available plus it.
func (k *Connector) setStock(ctx context.Context, rec string, branch int, n int64, level connector.StockLevel) error {
	stocks, err := k.c.Stock.GetStock(ctx, GetStockRequest{BranchNumber: branch, ArticleNumbers: ArticleNumberList{ArticleNumbers: []int64{n}}})
	if err != nil {
		return err
	}
	target := level.Available
	for _, s := range stocks {
		if s.ArticleNumber != n {
			continue
		}
		res, err := s.Reserved()
		if err != nil {
			return wireErr(rec, "decimalPlacesReserved", err)
		}
		target = target.Add(res)
	}
	amount, places, err := ToScaled(target)
	if err != nil {
		return &connector.ValidationError{Record: rec, Field: "Available", Value: level.Available.String(), Reason: err.Error()}
	}
	_, err = k.c.Stock.SetStock(ctx, SetStockRequest{BranchNumber: branch, ArticleNumber: n, Amount: amount, DecimalPlaces: &places,
		EmployeeNumber: &k.cfg.EmployeeNumber, Reference: Ptr("tradelink stock sync")})
	return err
}

// setStockArticle sets the stockArticle flag of article n when it differs.
func (k *Connector) setStockArticle(ctx context.Context, n int64, managed bool) error {
	ps, err := k.c.Products.GetProducts(ctx, GetProductsRequest{ArticleNumbers: []int64{n}})
	if err != nil {
		return err
	}
	for _, p := range ps {
		for _, a := range p.Articles() {
			if val(a.ArticleNumber) != n {
				continue
			}
			if a.StockArticle != nil && *a.StockArticle == managed {
				return nil
			}
			_, err := k.c.Products.UpdateProduct(ctx, Product{ProductNumber: p.ProductNumber,
				ArticleList: &ArticleList{Article: []Article{{ArticleNumber: &n, StockArticle: &managed}}}})
			return err
		}
	}
	return fmt.Errorf("%s: article %d: %w", SystemName, n, connector.ErrNotFound)
}
