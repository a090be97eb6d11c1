package mpluskassa

import (
	"context"
	"iter"

	"github.com/shopspring/decimal"
)

// Product groups articles: each size/colour combination is an [Article] of
// one product, and stock, prices and order lines are per article (Product).
type Product struct {
	ProductNumber *int64       `xml:"productNumber,omitempty"`
	SyncMarker    *int64       `xml:"syncMarker,omitempty"`
	Description   *string      `xml:"description,omitempty"`
	ExtraText     *string      `xml:"extraText,omitempty"`
	ArticleList   *ArticleList `xml:"articleList,omitempty"`
	GroupNumbers  []int        `xml:"groupNumbers,omitempty"`
}

// Articles returns the product's articles.
func (p Product) Articles() []Article {
	if p.ArticleList == nil {
		return nil
	}
	return p.ArticleList.Article
}

// ArticleList is a product's list of articles (ArticleList).
type ArticleList struct {
	Article []Article `xml:"article"`
}

// Article is one sellable item (Article), a subset of the schema's fields in
// schema order. Prices of type xsd:long are cents; contentQuantity and
// orderQuantityValue are scaled by their DecimalPlaces companions;
// PriceDeviationMin/Max are xsd:decimal in euros.
type Article struct {
	ArticleNumber                *int64           `xml:"articleNumber,omitempty"`
	ExtArticleID                 *string          `xml:"extArticleId,omitempty"`
	PluNumber                    *string          `xml:"pluNumber,omitempty"`
	SyncMarker                   *int64           `xml:"syncMarker,omitempty"`
	ChangeTimestamp              *DateTime        `xml:"changeTimestamp,omitempty"`
	CreateTimestamp              *DateTime        `xml:"createTimestamp,omitempty"`
	Active                       *bool            `xml:"active,omitempty"`
	Description                  *string          `xml:"description,omitempty"`
	Colour                       *string          `xml:"colour,omitempty"`
	ColourSequenceNumber         *int             `xml:"colourSequenceNumber,omitempty"`
	Size                         *string          `xml:"size,omitempty"`
	SizeSequenceNumber           *int             `xml:"sizeSequenceNumber,omitempty"`
	InvoiceText                  *string          `xml:"invoiceText,omitempty"`
	ReceiptText                  *string          `xml:"receiptText,omitempty"`
	DisplayText                  *string          `xml:"displayText,omitempty"`
	Barcode                      *string          `xml:"barcode,omitempty"`
	BarcodeDate                  *Date            `xml:"barcodeDate,omitempty"`
	ContentUnit                  *string          `xml:"contentUnit,omitempty"`
	ContentQuantity              *int64           `xml:"contentQuantity,omitempty"`
	ContentQuantityDecimalPlaces *int             `xml:"contentQuantityDecimalPlaces,omitempty"`
	BrandName                    *string          `xml:"brandName,omitempty"`
	ExtraText                    *string          `xml:"extraText,omitempty"`
	TurnoverGroup                *int             `xml:"turnoverGroup,omitempty"`
	VatCode                      *int             `xml:"vatCode,omitempty"`
	VatPercentage                *int64           `xml:"vatPercentage,omitempty"`
	VatCodeAlternative           *int             `xml:"vatCodeAlternative,omitempty"`
	VatPercentageAlternative     *int64           `xml:"vatPercentageAlternative,omitempty"`
	AveragePurchasePrice         *int64           `xml:"averagePurchasePrice,omitempty"`
	PurchasePrice                *int64           `xml:"purchasePrice,omitempty"`
	PriceIncl                    *int64           `xml:"priceIncl,omitempty"`
	PriceExcl                    *int64           `xml:"priceExcl,omitempty"`
	SiUnit                       *string          `xml:"siUnit,omitempty"`
	Unit                         *string          `xml:"unit,omitempty"`
	OrderQuantityValue           *int64           `xml:"orderQuantityValue,omitempty"`
	OrderQuantityDecimalPlaces   *int             `xml:"orderQuantityDecimalPlaces,omitempty"`
	SupplierRelationNumber       *int64           `xml:"supplierRelationNumber,omitempty"`
	SupplierRelationName         *string          `xml:"supplierRelationName,omitempty"`
	SupplierArticleNumber        *string          `xml:"supplierArticleNumber,omitempty"`
	Webshop                      *bool            `xml:"webshop,omitempty"`
	CategoryID                   *int             `xml:"categoryId,omitempty"`
	CategoryIDs                  *CategoryIdSet   `xml:"categoryIds,omitempty"`
	StockArticle                 *bool            `xml:"stockArticle,omitempty"`
	ArticleDiscountGroupNumber   *int             `xml:"articleDiscountGroupNumber,omitempty"`
	ArticleDiscountGroupName     *string          `xml:"articleDiscountGroupName,omitempty"`
	SpecialPrice                 *string          `xml:"specialPrice,omitempty"`
	Discontinued                 *bool            `xml:"discontinued,omitempty"`
	StockSiUnit                  *string          `xml:"stockSiUnit,omitempty"`
	AgeCheckMinimumAge           *int             `xml:"ageCheckMinimumAge,omitempty"`
	OldestBestBeforeDate         *string          `xml:"oldestBestBeforeDate,omitempty"`
	ShelfLifeInDays              *int             `xml:"shelfLifeInDays,omitempty"`
	ShelfLifeInHours             *int             `xml:"shelfLifeInHours,omitempty"`
	PriceDeviationMin            *decimal.Decimal `xml:"priceDeviationMin,omitempty"`
	PriceDeviationMax            *decimal.Decimal `xml:"priceDeviationMax,omitempty"`
}

// GetProductsRequest selects products (GetProductsRequest). PluNumbers is
// required by the schema and always written, empty when not filtering.
type GetProductsRequest struct {
	ArticleNumbers                       []int64   `xml:"articleNumbers,omitempty"`
	GroupNumbers                         []int     `xml:"groupNumbers,omitempty"`
	PluNumbers                           TextList  `xml:"pluNumbers"`
	OnlyWebshop                          *bool     `xml:"onlyWebshop,omitempty"`
	OnlyActive                           *bool     `xml:"onlyActive,omitempty"`
	SyncMarker                           *int64    `xml:"syncMarker,omitempty"`
	SyncMarkerLimit                      *int      `xml:"syncMarkerLimit,omitempty"`
	SyncMarkerExcludePreparationMethods  *bool     `xml:"syncMarkerExcludePreparationMethods,omitempty"`
	ChangedSinceTimestamp                *DateTime `xml:"changedSinceTimestamp,omitempty"`
	ChangedSinceBranchNumber             *int      `xml:"changedSinceBranchNumber,omitempty"`
	IncludeAllArticlesOfSelectedProducts *bool     `xml:"includeAllArticlesOfSelectedProducts,omitempty"`
	ProductNumbers                       []int64   `xml:"productNumbers,omitempty"`
}

// GetProductsResponse is the answer to getProducts.
type GetProductsResponse struct {
	ProductList ProductList `xml:"productList"`
}

// ProductList is a list of products (ProductList).
type ProductList struct {
	Product []Product `xml:"product"`
}

// CreateProductResponse is the answer to createProduct: the product number
// and the article numbers, given or assigned.
type CreateProductResponse struct {
	Result          string    `xml:"result"`
	ProductNumber   int64     `xml:"productNumber"`
	ArticleNumbers  []int64   `xml:"articleNumbers"`
	ChangeTimestamp *DateTime `xml:"changeTimestamp,omitempty"`
	SyncMarker      *int64    `xml:"syncMarker,omitempty"`
	ErrorMessage    string    `xml:"errorMessage"`
}

// UpdateProductResponse is the answer to updateProduct. Articles of the
// request without a known number were added; their numbers are in
// NewArticleNumbers.
type UpdateProductResponse struct {
	Result                 string    `xml:"result"`
	ExistingArticleNumbers []int64   `xml:"existingArticleNumbers"`
	NewArticleNumbers      []int64   `xml:"newArticleNumbers"`
	ChangeTimestamp        *DateTime `xml:"changeTimestamp,omitempty"`
	SyncMarker             *int64    `xml:"syncMarker,omitempty"`
	ErrorMessage           string    `xml:"errorMessage"`
}

// Product result codes.
const (
	CreateProductOK                 = "CREATE-PRODUCT-RESULT-OK"
	CreateProductFailed             = "CREATE-PRODUCT-RESULT-FAILED"
	CreateProductProductNumberTaken = "CREATE-PRODUCT-RESULT-FAILED-PRODUCT-NUMBER-ALREADY-TAKEN"
	CreateProductArticleNumberTaken = "CREATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN"
	UpdateProductOK                 = "UPDATE-PRODUCT-RESULT-OK"
	UpdateProductNotFound           = "UPDATE-PRODUCT-RESULT-NOT-FOUND"
	UpdateProductNotAllowed         = "UPDATE-PRODUCT-RESULT-NOT-ALLOWED"
	UpdateProductFailed             = "UPDATE-PRODUCT-RESULT-FAILED"
	UpdateProductArticleNumberTaken = "UPDATE-PRODUCT-RESULT-FAILED-ARTICLE-NUMBER-ALREADY-TAKEN"
)

var (
	opGetProducts   = operation{name: "getProducts", response: "GetProductsResponse", idempotent: true}
	opCreateProduct = operation{name: "createProduct", response: "CreateProductResponse", idempotent: false}
	opUpdateProduct = operation{name: "updateProduct", response: "UpdateProductResponse", idempotent: false}
)

type getProductsIn struct {
	Request GetProductsRequest `xml:"request"`
}

type productIn struct {
	Product Product `xml:"product"`
}

// ProductsService calls the product operations.
type ProductsService struct{ c *Client }

// GetProducts calls getProducts: the products matching req with their
// articles.
func (s *ProductsService) GetProducts(ctx context.Context, req GetProductsRequest) ([]Product, error) {
	return list(ctx, s.c, opGetProducts, getProductsIn{req}, func(r *GetProductsResponse) []Product { return r.ProductList.Product })
}

// All streams every product matching req by sync marker, from
// req.SyncMarker (inclusive; nil means from the start) in pages of
// req.SyncMarkerLimit (nil means [DefaultSyncMarkerLimit]). Pages are
// fetched lazily; the stream ends after an empty page.
func (s *ProductsService) All(ctx context.Context, req GetProductsRequest) iter.Seq2[Product, error] {
	return pages(ctx, "product", req, s.GetProducts, func(p Product) *int64 { return p.SyncMarker })
}

// CreateProduct calls createProduct. Leave ProductNumber and the article
// numbers out to have the server assign them, or give them to choose them.
// Article turnover groups must lie in 0–999. A result other than OK is a
// *connector.APIError carrying the result code.
func (s *ProductsService) CreateProduct(ctx context.Context, p Product) (*CreateProductResponse, error) {
	if err := p.validate(opCreateProduct.name); err != nil {
		return nil, err
	}
	return do[CreateProductResponse](ctx, s.c, opCreateProduct, productIn{p})
}

// UpdateProduct calls updateProduct for the product p.ProductNumber. Fields
// left nil are not sent, and the server keeps their values (unconfirmed, the
// usual reading of optional SOAP elements); articles without a known number
// are added. UPDATE-PRODUCT-RESULT-NOT-FOUND matches connector.ErrNotFound.
func (s *ProductsService) UpdateProduct(ctx context.Context, p Product) (*UpdateProductResponse, error) {
	if err := p.validate(opUpdateProduct.name); err != nil {
		return nil, err
	}
	return do[UpdateProductResponse](ctx, s.c, opUpdateProduct, productIn{p})
}

func (r *CreateProductResponse) resultOf() (string, string) { return r.Result, r.ErrorMessage }
func (r *UpdateProductResponse) resultOf() (string, string) { return r.Result, r.ErrorMessage }
