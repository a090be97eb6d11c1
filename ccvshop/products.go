package ccvshop

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"strings"

	"github.com/shopspring/decimal"
)

// Product is a product as GET /products/ returns it. Note the read/write
// name mismatch: GET says IsActive ("is_active"), POST/PATCH take "active".
// Sell price = Price − Discount.
type Product struct {
	Href       string `json:"href"`
	ID         Int    `json:"id"`
	IsActive   bool   `json:"is_active"`
	Createdate string `json:"createdate"`
	Modifydate string `json:"modifydate"`
	// Productnumber is the merchant's article number (SKU).
	Productnumber    string `json:"productnumber"`
	Eannumber        string `json:"eannumber"`
	Mpnnumber        string `json:"mpnnumber"`
	Name             string `json:"name"`
	Shortdescription string `json:"shortdescription"`
	Description      string `json:"description"`
	// Vatrate is the VAT percentage (deprecated in favour of Taxtariff).
	Vatrate Number `json:"vatrate"`
	// Taxtariff is normal, "low a", "low b", "extra low" or zero.
	Taxtariff       string           `json:"taxtariff"`
	Tradecodesystem *TradeCodeSystem `json:"tradecodesystem,omitempty"`
	// Price is the price before discount.
	Price                  Number         `json:"price"`
	Discount               Number         `json:"discount"`
	Purchaseprice          Number         `json:"purchaseprice"`
	ContainerDepositPrice  Number         `json:"container_deposit_price"`
	SafetyDepositPrice     Number         `json:"safety_deposit_price"`
	Productshippingcosts   *ShippingCosts `json:"productshippingcosts,omitempty"`
	CreditPointsCustom     Int            `json:"credit_points_custom"`
	CreditPointsCalculated Int            `json:"credit_points_calculated"`
	Unit                   string         `json:"unit"`
	Stockenabled           bool           `json:"stockenabled"`
	// Stocktype says whether stock is kept on the product or on its
	// attribute combinations.
	Stocktype               string    `json:"stocktype"`
	Stock                   Number    `json:"stock"`
	Stocklocation           string    `json:"stocklocation"`
	OrderingWithoutStock    string    `json:"ordering_without_stock"`
	Weight                  Number    `json:"weight"`
	Maincategory            string    `json:"maincategory"`
	Subcategory             string    `json:"subcategory"`
	Brand                   *NamedRef `json:"brand,omitempty"`
	Condition               *NamedRef `json:"condition,omitempty"`
	Supplier                *NamedRef `json:"supplier,omitempty"`
	Color                   *Color    `json:"color,omitempty"`
	Package                 *Ref      `json:"package,omitempty"`
	Productmainphoto        string    `json:"productmainphoto"`
	MetaDescription         string    `json:"meta_description"`
	MetaKeywords            string    `json:"meta_keywords"`
	PageTitle               string    `json:"page_title"`
	NoIndex                 bool      `json:"no_index"`
	NoFollow                bool      `json:"no_follow"`
	Alias                   string    `json:"alias"`
	Deeplink                string    `json:"deeplink"`
	Specs                   string    `json:"specs"`
	DecimalAmount           Int       `json:"decimal_amount"`
	AmountSold              Number    `json:"amount_sold"`
	MinimalOrderAmount      Number    `json:"minimal_order_amount"`
	StockDeliveryNumber     Int       `json:"stock_delivery_number"`
	StockDeliveryType       string    `json:"stock_delivery_type"`
	StockDeliveryStandard   string    `json:"stock_delivery_standard"`
	ShowInTemplate          bool      `json:"show_in_template"`
	ShowOnBeginpage         bool      `json:"show_on_beginpage"`
	ShowOnFacebook          bool      `json:"show_on_facebook"`
	ShowOrderButton         string    `json:"show_order_button"`
	ProductLayout           Int       `json:"product_layout"`
	PhotoSize               string    `json:"photo_size"`
	HideWithoutCategory     string    `json:"hide_without_category"`
	Memo                    string    `json:"memo"`
	MarktplaatsActive       bool      `json:"marktplaats_active"`
	MarktplaatsStatus       string    `json:"marktplaats_status"`
	MarktplaatsCpc          Number    `json:"marktplaats_cpc"`
	MarktplaatsDailyBudget  Number    `json:"marktplaats_daily_budget"`
	MarktplaatsTotalBudget  Number    `json:"marktplaats_total_budget"`
	MarktplaatsCategoryID   Int       `json:"marktplaats_category_id"`
	MarktplaatsPriceType    string    `json:"marktplaats_price_type"`
	GoogleShoppingCategory  string    `json:"google_shopping_category"`
	IsIncludedForExportFeed bool      `json:"is_included_for_export_feed"`
	FixedStaggeredPrices    bool      `json:"fixed_staggered_prices"`
	IsVisible               bool      `json:"is_visible"`
	CanBeOrdered            bool      `json:"can_be_ordered"`
	IsMultishopProduct      bool      `json:"is_multishop_product"`
	MultishopHref           string    `json:"multishop_href"`

	Productlabels              *Link                             `json:"productlabels,omitempty"`
	Productphotos              *Expandable[ProductPhoto]         `json:"productphotos,omitempty"`
	Productvariations          *Link                             `json:"productvariations,omitempty"`
	Productvideos              *Link                             `json:"productvideos,omitempty"`
	Producttaxtariffexceptions *Link                             `json:"producttaxtariffexceptions,omitempty"`
	Productattachments         *Link                             `json:"productattachments,omitempty"`
	Productkeywords            *Link                             `json:"productkeywords,omitempty"`
	Productrelevant            *Link                             `json:"productrelevant,omitempty"`
	Productattributesets       *Link                             `json:"productattributesets,omitempty"`
	Productstaggeredprices     *Link                             `json:"productstaggeredprices,omitempty"`
	Producttocategories        *Expandable[ProductToCategory]    `json:"producttocategories,omitempty"`
	Productreviews             *Link                             `json:"productreviews,omitempty"`
	Webshops                   *Link                             `json:"webshops,omitempty"`
	Attributecombinations      *Expandable[AttributeCombination] `json:"attributecombinations,omitempty"`
	Producttopropertygroups    *Link                             `json:"producttopropertygroups,omitempty"`
}

// SellPrice is Price − Discount.
func (p *Product) SellPrice() decimal.Decimal { return p.Price.Sub(p.Discount.Decimal) }

// TradeCodeSystem is a product's customs classification.
type TradeCodeSystem struct {
	ID          Int    `json:"id"`
	Description string `json:"description"`
	// Codesystem is HS, SITC or BEC.
	Codesystem string `json:"codesystem"`
	Code       string `json:"code"`
	// Coo is the country of origin.
	Coo string `json:"coo"`
}

// ShippingCosts are a product's base shipping costs.
type ShippingCosts struct {
	Href           string `json:"href,omitempty"`
	Costs          Number `json:"costs"`
	DefaultCountry string `json:"default_country"`
	Quantity       Number `json:"quantity"`
}

// Color is a product colour.
type Color struct {
	Href string `json:"href,omitempty"`
	ID   Int    `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	Hex  string `json:"hex"`
}

// ProductInput is the body of POST /products/ and PATCH /products/{id}/.
// POST requires Name, Price, Discount, PackageID and one of Taxtariff and
// Vatrate; PATCH sends only what is set.
type ProductInput struct {
	Name             string  `json:"name,omitempty"`
	Productnumber    string  `json:"productnumber,omitempty"`
	Eannumber        string  `json:"eannumber,omitempty"`
	Mpnnumber        string  `json:"mpnnumber,omitempty"`
	Shortdescription *string `json:"shortdescription,omitempty"`
	Description      *string `json:"description,omitempty"`
	Active           *bool   `json:"active,omitempty"`
	Price            *Number `json:"price,omitempty"`
	Discount         *Number `json:"discount,omitempty"`
	Purchaseprice    *Number `json:"purchaseprice,omitempty"`
	PackageID        Int     `json:"package_id,omitempty"`
	Taxtariff        string  `json:"taxtariff,omitempty"`
	Vatrate          *Number `json:"vatrate,omitempty"`
	Stock            *Number `json:"stock,omitempty"`
	Stockenabled     *bool   `json:"stockenabled,omitempty"`
	Unit             string  `json:"unit,omitempty"`
	Weight           *Number `json:"weight,omitempty"`
	BrandID          Int     `json:"brand_id,omitempty"`
	SupplierID       Int     `json:"supplier_id,omitempty"`
	ConditionID      Int     `json:"condition_id,omitempty"`
}

// ProductListOptions are the filters, sort, expansion and page of
// GET /products/.
type ProductListOptions struct {
	Paging
	Productnumber string
	Eannumber     string
	Mpnnumber     string
	// Productname is a LIKE match of at least 3 characters.
	Productname string
	// Active nil lists active and inactive products.
	Active             *bool
	MinStock, MaxStock *decimal.Decimal
	MinPrice, MaxPrice *decimal.Decimal
	// OrderBy is id, name, createdate or modifydate, with "_desc" for
	// descending.
	OrderBy string
	// Expand names sub-collections to embed, e.g. "attributecombinations",
	// "producttocategories", "productphotos".
	Expand []string
	// CategoryID lists the products of one category
	// (/categories/{id}/products/).
	CategoryID int64
}

func setDec(q url.Values, key string, d *decimal.Decimal) {
	if d != nil {
		q.Set(key, d.String())
	}
}

func (o *ProductListOptions) query() (string, url.Values, Paging) {
	q := url.Values{}
	if o == nil {
		return "products/", q, Paging{}
	}
	setStr(q, "productnumber", o.Productnumber)
	setStr(q, "eannumber", o.Eannumber)
	setStr(q, "mpnnumber", o.Mpnnumber)
	setStr(q, "productname", o.Productname)
	setBool(q, "active", o.Active)
	setDec(q, "minstock", o.MinStock)
	setDec(q, "maxstock", o.MaxStock)
	setDec(q, "minprice", o.MinPrice)
	setDec(q, "maxprice", o.MaxPrice)
	setStr(q, "orderby", o.OrderBy)
	if len(o.Expand) > 0 {
		q.Set("expand", strings.Join(o.Expand, ","))
	}
	path := "products/"
	if o.CategoryID != 0 {
		path = idPath("categories", o.CategoryID, "products")
	}
	return path, q, o.Paging
}

// ProductsService reads and writes products.
type ProductsService struct{ service }

// List returns one page of products.
func (s *ProductsService) List(ctx context.Context, opts *ProductListOptions) (*Collection[Product], error) {
	path, q, p := opts.query()
	return listPage[Product](ctx, s.service, path, q, p)
}

// All streams every matching product.
func (s *ProductsService) All(ctx context.Context, opts *ProductListOptions) iter.Seq2[Product, error] {
	path, q, p := opts.query()
	return listAll[Product](ctx, s.service, path, q, p)
}

// Get returns one product, with the named sub-collections expanded.
func (s *ProductsService) Get(ctx context.Context, id int64, expand ...string) (*Product, error) {
	var q url.Values
	if len(expand) > 0 {
		q = url.Values{"expand": {strings.Join(expand, ",")}}
	}
	return getOne[Product](ctx, s.service, idPath("products", id), q)
}

// Create creates a product.
func (s *ProductsService) Create(ctx context.Context, in *ProductInput) (*Product, error) {
	return create[Product](ctx, s.service, "products/", in)
}

// Update patches a product with absolute values (safe to repeat).
func (s *ProductsService) Update(ctx context.Context, id int64, in *ProductInput) error {
	return s.api.Patch(ctx, idPath("products", id), in, true)
}

// UpdateStock sets a simple product's stock: PATCH {"stock": qty}.
func (s *ProductsService) UpdateStock(ctx context.Context, id int64, qty decimal.Decimal) error {
	return s.Update(ctx, id, &ProductInput{Stock: &Number{Decimal: qty}})
}

// Delete deletes a product.
func (s *ProductsService) Delete(ctx context.Context, id int64) error {
	return s.api.Delete(ctx, idPath("products", id))
}

// ProductQuery is the filter of GET /productqueries/: at least one field.
// Productnumber, Eannumber and Mpnnumber match products, Skunumber matches
// attribute combinations.
type ProductQuery struct {
	Paging
	Productnumber, Eannumber, Mpnnumber, Skunumber string
}

// ErrEmptyProductQuery is returned for a product query without a filter.
var ErrEmptyProductQuery = errors.New("ccvshop: a product query needs productnumber, eannumber, mpnnumber or skunumber")

// ProductQueriesService looks products and attribute combinations up by
// number. Its limit is 30 requests a minute, a fifth of an ordinary read.
type ProductQueriesService struct{ service }

func (q ProductQuery) values() (url.Values, error) {
	v := url.Values{}
	setStr(v, "productnumber", q.Productnumber)
	setStr(v, "eannumber", q.Eannumber)
	setStr(v, "mpnnumber", q.Mpnnumber)
	setStr(v, "skunumber", q.Skunumber)
	if len(v) == 0 {
		return nil, ErrEmptyProductQuery
	}
	return v, nil
}

// List returns one page of the products matching q; a product found through
// one of its attribute combinations carries them in Attributecombinations.
func (s *ProductQueriesService) List(ctx context.Context, q ProductQuery) (*Collection[Product], error) {
	v, err := q.values()
	if err != nil {
		return nil, err
	}
	return listPage[Product](ctx, s.service, "productqueries/", v, q.Paging)
}
