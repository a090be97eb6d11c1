package eaccounting

import (
	"context"
	"strconv"

	"github.com/tradelink/tradelink/connector"
)

// SetStock implements connector.StockSink: it sets the article's stock
// balance to level.Available — the quantity the stock flow computed — and
// its IsStock flag to level.Managed, with a read-merge-write that keeps every
// other property.
//
// StockBalance is eAccounting's quantity on hand; the API derives reserved
// and available from it. When eAccounting books the synced orders itself
// (and so reserves their quantities), run the stock flow with
// flow.OnHand, so that reservations are not subtracted twice. When the
// company uses the stock module, eAccounting keeps StockBalance read-only
// and answers the write with a 400, which is returned as *connector.APIError.
func (cn *Connector) SetStock(ctx context.Context, level connector.StockLevel) error {
	if err := level.Validate(); err != nil {
		return err
	}
	ref, err := cn.articleBySKU(ctx, level.SKU)
	if err != nil {
		return err
	}
	if ref == nil {
		return notFound("article " + strconv.Quote(level.SKU))
	}
	a, err := cn.c.Articles.Update(ctx, ref.id, func(w *Article) error {
		w.StockBalance = Number{Decimal: level.Available}
		w.IsStock = level.Managed
		return nil
	})
	if err != nil {
		return err
	}
	cn.remember(a)
	return nil
}

var _ connector.StockSink = (*Connector)(nil)
