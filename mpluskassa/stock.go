package mpluskassa

import (
	"context"

	"github.com/shopspring/decimal"
)

// GetStockRequest selects stock of one branch (GetStockRequest). Both
// BranchNumber and ArticleNumbers are required by the schema; an empty
// ArticleNumbers list asks for every article (unconfirmed; the legacy client
// sends it so).
type GetStockRequest struct {
	BranchNumber   int               `xml:"branchNumber"`
	ArticleNumbers ArticleNumberList `xml:"articleNumbers"`
	// StockID asks only for stock changed by this mutation id or later.
	StockID            *int64            `xml:"stockId,omitempty"`
	DayStockOnlyFilter *bool             `xml:"dayStockOnlyFilter,omitempty"`
	BranchNumbers      *BranchNumberList `xml:"branchNumbers,omitempty"`
}

// ArticleNumberList is a list of article numbers whose repeated child is
// also named articleNumbers (ArticleNumberList).
type ArticleNumberList struct {
	ArticleNumbers []int64 `xml:"articleNumbers"`
}

// BranchNumberList is a list of branch numbers (BranchNumberList).
type BranchNumberList struct {
	BranchNumber []int `xml:"branchNumber"`
}

// GetStockResponse is the answer to getStock.
type GetStockResponse struct {
	ArticleStocks []ArticleStock `xml:"articleStocks"`
}

// ArticleStock is the stock of one article at one branch (ArticleStock).
// Amounts are scaled by their DecimalPlaces companions; use
// [ArticleStock.Free], [ArticleStock.Reserved] and [ArticleStock.Incoming].
type ArticleStock struct {
	BranchNumber    *int      `xml:"branchNumber,omitempty"`
	ArticleNumber   int64     `xml:"articleNumber"`
	ChangeTimestamp *DateTime `xml:"changeTimestamp,omitempty"`
	// StockID is the id of the last stock mutation of the article.
	StockID int64 `xml:"stockId"`
	// AmountFree is the stock that can be sold: see [ArticleStock.OnHand].
	AmountFree            int64 `xml:"amountFree"`
	DecimalPlacesFree     *int  `xml:"decimalPlacesFree,omitempty"`
	AmountReserved        int64 `xml:"amountReserved"`
	DecimalPlacesReserved *int  `xml:"decimalPlacesReserved,omitempty"`
	AmountIncoming        int64 `xml:"amountIncoming"`
	DecimalPlacesIncoming *int  `xml:"decimalPlacesIncoming,omitempty"`
	// OwnAmountFree and its siblings are xsd:decimal in real units.
	OwnAmountFree     *decimal.Decimal `xml:"ownAmountFree,omitempty"`
	OwnAmountReserved *decimal.Decimal `xml:"ownAmountReserved,omitempty"`
	OwnAmountIncoming *decimal.Decimal `xml:"ownAmountIncoming,omitempty"`
	SubArticle        []ArticleStock   `xml:"subArticle,omitempty"`
	IsDayStockArticle bool             `xml:"isDayStockArticle"`
}

// Free is amountFree as a quantity: stock not reserved by undelivered
// orders, the quantity that can still be sold.
func (s ArticleStock) Free() (decimal.Decimal, error) {
	return FromScaled(s.AmountFree, s.DecimalPlacesFree)
}

// Reserved is amountReserved as a quantity: stock reserved by undelivered
// orders.
func (s ArticleStock) Reserved() (decimal.Decimal, error) {
	return FromScaled(s.AmountReserved, s.DecimalPlacesReserved)
}

// Incoming is amountIncoming as a quantity: stock on its way through
// purchase orders.
func (s ArticleStock) Incoming() (decimal.Decimal, error) {
	return FromScaled(s.AmountIncoming, s.DecimalPlacesIncoming)
}

// OnHand is the physical stock: amountFree plus amountReserved.
//
// UNCONFIRMED: the vendor defines amountFree as "stock that can safely be
// sold" and amountReserved as stock reserved by undelivered orders, which
// reads as free = physical − reserved (the Dutch "vrije voorraad"); the notes
// leave open whether free already excludes reservations. This is the one
// place that decides: physical = free + reserved, sellable = free. setStock
// writes the physical amount under the same reading.
func (s ArticleStock) OnHand() (decimal.Decimal, error) {
	free, err := s.Free()
	if err != nil {
		return free, err
	}
	res, err := s.Reserved()
	if err != nil {
		return res, err
	}
	return free.Add(res), nil
}

// UpdateStockRequest changes the stock of an article by AmountChanged
// (UpdateStockRequest).
type UpdateStockRequest struct {
	BranchNumber   int     `xml:"branchNumber"`
	ArticleNumber  int64   `xml:"articleNumber"`
	AmountChanged  int64   `xml:"amountChanged"`
	DecimalPlaces  *int    `xml:"decimalPlaces,omitempty"`
	EmployeeNumber *int64  `xml:"employeeNumber,omitempty"`
	Reference      *string `xml:"reference,omitempty"`
}

// UpdateStockResponse is the answer to updateStock.
type UpdateStockResponse struct {
	Result  string `xml:"result"`
	StockID *int64 `xml:"stockId,omitempty"`
}

// SetStockRequest sets the physical stock of an article to Amount
// (SetStockRequest).
type SetStockRequest struct {
	BranchNumber   int     `xml:"branchNumber"`
	ArticleNumber  int64   `xml:"articleNumber"`
	Amount         int64   `xml:"amount"`
	DecimalPlaces  *int    `xml:"decimalPlaces,omitempty"`
	EmployeeNumber *int64  `xml:"employeeNumber,omitempty"`
	Reference      *string `xml:"reference,omitempty"`
}

// SetStockResponse is the answer to setStock.
type SetStockResponse struct {
	Result  string `xml:"result"`
	StockID *int64 `xml:"stockId,omitempty"`
}

// Stock result codes (the SET-STOCK-RESULT-… set mirrors these).
const (
	UpdateStockOK              = "UPDATE-STOCK-RESULT-OK"
	UpdateStockBranchNotFound  = "UPDATE-STOCK-RESULT-BRANCH-NOT-FOUND"
	UpdateStockArticleNotFound = "UPDATE-STOCK-RESULT-ARTICLE-NOT-FOUND"
	UpdateStockNoStockArticle  = "UPDATE-STOCK-RESULT-NO-STOCK-ARTICLE"
	UpdateStockFailed          = "UPDATE-STOCK-RESULT-FAILED"
	SetStockOK                 = "SET-STOCK-RESULT-OK"
	SetStockBranchNotFound     = "SET-STOCK-RESULT-BRANCH-NOT-FOUND"
	SetStockArticleNotFound    = "SET-STOCK-RESULT-ARTICLE-NOT-FOUND"
	SetStockNoStockArticle     = "SET-STOCK-RESULT-NO-STOCK-ARTICLE"
	SetStockFailed             = "SET-STOCK-RESULT-FAILED"
)

var (
	opGetStock    = operation{name: "getStock", response: "GetStockResponse", idempotent: true}
	opUpdateStock = operation{name: "updateStock", response: "UpdateStockResponse", idempotent: false}
	opSetStock    = operation{name: "setStock", response: "SetStockResponse", idempotent: false}
)

type getStockIn struct {
	Request GetStockRequest `xml:"request"`
}

type updateStockIn struct {
	Request UpdateStockRequest `xml:"request"`
}

type setStockIn struct {
	Request SetStockRequest `xml:"request"`
}

// StockService calls the stock operations.
type StockService struct{ c *Client }

// GetStock calls getStock: free, reserved and incoming stock per article of
// one branch.
func (s *StockService) GetStock(ctx context.Context, req GetStockRequest) ([]ArticleStock, error) {
	return list(ctx, s.c, opGetStock, getStockIn{req}, func(r *GetStockResponse) []ArticleStock { return r.ArticleStocks })
}

// UpdateStock calls updateStock: a relative change. It is not retried after
// an ambiguous failure (it would apply twice). A missing branch or article
// matches connector.ErrNotFound.
func (s *StockService) UpdateStock(ctx context.Context, req UpdateStockRequest) (*UpdateStockResponse, error) {
	if err := validateStock(req.BranchNumber, req.ArticleNumber, req.DecimalPlaces); err != nil {
		return nil, err
	}
	return do[UpdateStockResponse](ctx, s.c, opUpdateStock, updateStockIn{req})
}

// SetStock calls setStock: sets the physical stock. A missing branch or
// article matches connector.ErrNotFound; an article that keeps no stock
// gives SET-STOCK-RESULT-NO-STOCK-ARTICLE.
func (s *StockService) SetStock(ctx context.Context, req SetStockRequest) (*SetStockResponse, error) {
	if err := validateStock(req.BranchNumber, req.ArticleNumber, req.DecimalPlaces); err != nil {
		return nil, err
	}
	return do[SetStockResponse](ctx, s.c, opSetStock, setStockIn{req})
}

func (r *UpdateStockResponse) resultOf() (string, string) { return r.Result, "" }
func (r *SetStockResponse) resultOf() (string, string)    { return r.Result, "" }
