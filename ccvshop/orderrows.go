package ccvshop

import (
	"context"
	"iter"
)

// OrderRow is one row of an order. Whether prices include VAT follows the
// order's OrderRowTaxesIncluded.
type OrderRow struct {
	Href    string `json:"href"`
	ID      Int    `json:"id"`
	OrderID Int    `json:"order_id"`
	// ProductType tells product rows from deposit rows (0 % tax).
	ProductType       string `json:"product_type"`
	ProductName       string `json:"product_name"`
	ProductNameGoogle string `json:"product_name_google"`
	ProductNumber     string `json:"product_number"`
	// SubProductNumber, SubSkuNumber and SubEanNumber come from the chosen
	// attribute combination.
	SubProductNumber string `json:"sub_product_number"`
	SubSkuNumber     string `json:"sub_sku_number"`
	SubEanNumber     string `json:"sub_ean_number"`
	ProductID        Int    `json:"product_id"`
	ProductHref      string `json:"product_href"`
	Count            Number `json:"count"`
	// Price is the original unit price, Discount the unit discount.
	Price                Number `json:"price"`
	Discount             Number `json:"discount"`
	ProductPurchasePrice Number `json:"product_purchase_price"`
	CustomPrice          bool   `json:"custom_price"`
	// Tax is the VAT percentage.
	Tax                                Number              `json:"tax"`
	Unit                               string              `json:"unit"`
	Memo                               string              `json:"memo"`
	StockLocation                      string              `json:"stock_location"`
	Supplier                           string              `json:"supplier"`
	Weight                             Number              `json:"weight"`
	PackageID                          Int                 `json:"package_id"`
	PackageName                        string              `json:"package_name"`
	UserDiscount                       Number              `json:"user_discount"`
	OriginalPrice                      Number              `json:"original_price"`
	SellingPrice                       Number              `json:"selling_price"`
	PriceWithoutDiscount               Number              `json:"price_without_discount"`
	PriceWithoutDiscountWithAttributes Number              `json:"price_without_discount_with_attributes"`
	TotalPrice                         Number              `json:"total_price"`
	TotalExtraOptionPrice              Number              `json:"total_extra_option_price"`
	PriceWithAttributes                Number              `json:"price_with_attributes"`
	TotalPriceWithAttributes           Number              `json:"total_price_with_attributes"`
	Attributes                         []OrderRowAttribute `json:"attributes,omitempty"`
	Uploads                            []OrderRowUpload    `json:"uploads,omitempty"`
	Parent                             *Link               `json:"parent,omitempty"`
}

// OrderRowAttribute is a chosen option of a row, with its unit extra price.
type OrderRowAttribute struct {
	Href       string `json:"href,omitempty"`
	ID         Int    `json:"id"`
	OptionName string `json:"option_name"`
	ValueName  string `json:"value_name"`
	Price      Number `json:"price"`
}

// OrderRowUpload is a file a customer uploaded with a row.
type OrderRowUpload struct {
	UploadDescription string `json:"upload_description"`
	FileName          string `json:"file_name"`
	Deeplink          string `json:"deeplink"`
}

// OrderRowInput is an order row in POST/PUT bodies. Count is required. With
// ProductID the product's data fills the row and any field given overrides
// it; without ProductID give the name, number, price, tax and PackageID.
type OrderRowInput struct {
	Count                  Number  `json:"count"`
	ProductID              Int     `json:"product_id,omitempty"`
	AttributeCombinationID Int     `json:"attribute_combination_id,omitempty"`
	ProductName            string  `json:"product_name,omitempty"`
	ProductNumber          string  `json:"product_number,omitempty"`
	Price                  *Number `json:"price,omitempty"`
	Discount               *Number `json:"discount,omitempty"`
	Tax                    *Number `json:"tax,omitempty"`
	Unit                   string  `json:"unit,omitempty"`
	Weight                 *Number `json:"weight,omitempty"`
	Memo                   string  `json:"memo,omitempty"`
	ProductPurchasePrice   *Number `json:"product_purchase_price,omitempty"`
	PackageID              Int     `json:"package_id,omitempty"`
	ProductType            string  `json:"product_type,omitempty"`
	AutoCreateDepositRows  *bool   `json:"auto_create_deposit_rows,omitempty"`
}

// OrderRowPatch is the body of PATCH /orderrows/{id}/ (only while the order
// is not completed).
type OrderRowPatch struct {
	Count    *Number `json:"count,omitempty"`
	Price    *Number `json:"price,omitempty"`
	Discount *Number `json:"discount,omitempty"`
}

// orderRowsBody is the body of PUT /orders/{id}/orderrows/ (inferred from
// the platform's PUT of product photos: the rows under a key of the
// resource's name).
type orderRowsBody struct {
	Orderrows []OrderRowInput `json:"orderrows"`
}

// OrderRowsService reads and writes order rows.
type OrderRowsService struct{ service }

// List returns one page of an order's rows.
func (s *OrderRowsService) List(ctx context.Context, orderID int64, p Paging) (*Collection[OrderRow], error) {
	return listPage[OrderRow](ctx, s.service, idPath("orders", orderID, "orderrows"), nil, p)
}

// All streams every row of an order.
func (s *OrderRowsService) All(ctx context.Context, orderID int64) iter.Seq2[OrderRow, error] {
	return listAll[OrderRow](ctx, s.service, idPath("orders", orderID, "orderrows"), nil, Paging{Size: 250})
}

// Get returns one row.
func (s *OrderRowsService) Get(ctx context.Context, id int64) (*OrderRow, error) {
	return getOne[OrderRow](ctx, s.service, idPath("orderrows", id), nil)
}

// Create adds a row to an order.
func (s *OrderRowsService) Create(ctx context.Context, orderID int64, in *OrderRowInput) (*OrderRow, error) {
	return create[OrderRow](ctx, s.service, idPath("orders", orderID, "orderrows"), in)
}

// Update changes a row's count, price or discount; it sets absolute values
// and is safe to repeat.
func (s *OrderRowsService) Update(ctx context.Context, id int64, p *OrderRowPatch) error {
	return s.api.Patch(ctx, idPath("orderrows", id), p, true)
}

// Replace replaces every row of an order and recalculates its totals.
func (s *OrderRowsService) Replace(ctx context.Context, orderID int64, rows []OrderRowInput) error {
	if rows == nil {
		rows = []OrderRowInput{}
	}
	return s.api.Put(ctx, idPath("orders", orderID, "orderrows"), orderRowsBody{Orderrows: rows})
}

// Delete deletes a row.
func (s *OrderRowsService) Delete(ctx context.Context, id int64) error {
	return s.api.Delete(ctx, idPath("orderrows", id))
}
