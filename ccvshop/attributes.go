package ccvshop

import (
	"context"
	"iter"

	"github.com/shopspring/decimal"
)

// Attribute is an option menu (a variant axis such as "Size").
type Attribute struct {
	Href string `json:"href"`
	ID   Int    `json:"id"`
	Name string `json:"name"`
	// Type is the menu type (option menu, text, required or not, additional
	// menu).
	Type string `json:"type"`
	// AttributeType is the deprecated numeric type 1–6.
	AttributeType   Int   `json:"attribute_type"`
	AttributeValues *Link `json:"attribute_values,omitempty"`
}

// AttributeInput is the body of POST /attributes/ and PATCH
// /attributes/{id}/; both fields are required.
type AttributeInput struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// AttributeTypeOptionMenu is the type tradelink gives the attributes it
// creates for variant axes. UNCONFIRMED: the platform's exact type strings
// are not documented; "option_menu" follows its naming style.
const AttributeTypeOptionMenu = "option_menu"

// AttributeValue is a value of an attribute ("M" of "Size").
type AttributeValue struct {
	Href         string `json:"href"`
	ID           Int    `json:"id"`
	Name         string `json:"name"`
	DefaultPrice Number `json:"default_price"`
	AttributeID  Int    `json:"attribute_id"`
}

// AttributeValueInput is the body of POST /attributes/{id}/attributevalues/;
// both fields are required.
type AttributeValueInput struct {
	Name         string `json:"name"`
	DefaultPrice Number `json:"default_price"`
}

// ProductAttributeValue is an attribute value attached to a product, with
// the extra price it adds there.
type ProductAttributeValue struct {
	Href            string `json:"href"`
	ID              Int    `json:"id"`
	Optionid        Int    `json:"optionid"`
	Optionname      string `json:"optionname"`
	Optionposition  Int    `json:"optionposition"`
	OptionvalueID   Int    `json:"optionvalue_id"`
	OptionvalueName string `json:"optionvalue_name"`
	Position        Int    `json:"position"`
	// Price is the extra price of this value on this product.
	Price Number `json:"price"`
	// Enable is deprecated (always true).
	Enable bool `json:"enable"`
}

// ProductAttributeValueInput is the body of POST
// /products/{id}/productattributevalues/: Optionvalue (an attribute value
// id) and Price are required; Stock seeds the combinations it generates.
type ProductAttributeValueInput struct {
	Optionvalue Int     `json:"optionvalue"`
	Price       Number  `json:"price"`
	Position    Int     `json:"position,omitempty"`
	Stock       *Number `json:"stock,omitempty"`
}

// ProductAttributeValuePatch is the body of PATCH
// /productattributevalues/{id}/.
type ProductAttributeValuePatch struct {
	Price    *Number `json:"price,omitempty"`
	Position Int     `json:"position,omitempty"`
}

// AttributeCombination is one sellable variant, generated from a product's
// attribute values (no POST or DELETE). Note the underscored sku_number and
// ean_number (products say productnumber, eannumber).
type AttributeCombination struct {
	Href      string `json:"href"`
	ID        Int    `json:"id"`
	Note      string `json:"note"`
	ProductID Int    `json:"product_id"`
	Stock     Number `json:"stock"`
	// NettoExtraPrice is the sum of the extra prices of the values that make
	// up the combination (may be negative).
	NettoExtraPrice            Number            `json:"netto_extra_price"`
	OrderingWithoutStock       string            `json:"ordering_without_stock"`
	ProductNumber              string            `json:"product_number"`
	EanNumber                  string            `json:"ean_number"`
	SkuNumber                  string            `json:"sku_number"`
	DeliveryTime               Int               `json:"delivery_time"`
	DeliveryTimeType           string            `json:"delivery_time_type"`
	DeliveryDefaultText        string            `json:"delivery_default_text"`
	Active                     bool              `json:"active"`
	Combination                []CombinationPart `json:"combination"`
	Attributecombinationphotos *Link             `json:"attributecombinationphotos,omitempty"`
	Attributes                 *Link             `json:"attributes,omitempty"`
	Attributevalues            *Link             `json:"attributevalues,omitempty"`
	Parent                     *Link             `json:"parent,omitempty"`
}

// CombinationPart is one attribute value of a combination.
type CombinationPart struct {
	Attribute      NamedRef `json:"attribute"`
	AttributeValue NamedRef `json:"attribute_value"`
	ExtraPrice     Number   `json:"extra_price"`
}

// AttributeCombinationPatch is the body of PATCH
// /attributecombinations/{id}/.
type AttributeCombinationPatch struct {
	Stock                *Number `json:"stock,omitempty"`
	ProductNumber        string  `json:"product_number,omitempty"`
	EanNumber            string  `json:"ean_number,omitempty"`
	SkuNumber            string  `json:"sku_number,omitempty"`
	Active               *bool   `json:"active,omitempty"`
	Note                 string  `json:"note,omitempty"`
	OrderingWithoutStock string  `json:"ordering_without_stock,omitempty"`
}

// AttributesService reads and writes attributes.
type AttributesService struct{ service }

// List returns one page of attributes.
func (s *AttributesService) List(ctx context.Context, p Paging) (*Collection[Attribute], error) {
	return listPage[Attribute](ctx, s.service, "attributes/", nil, p)
}

// All streams every attribute.
func (s *AttributesService) All(ctx context.Context) iter.Seq2[Attribute, error] {
	return listAll[Attribute](ctx, s.service, "attributes/", nil, Paging{Size: 250})
}

// Get returns one attribute.
func (s *AttributesService) Get(ctx context.Context, id int64) (*Attribute, error) {
	return getOne[Attribute](ctx, s.service, idPath("attributes", id), nil)
}

// Create creates an attribute.
func (s *AttributesService) Create(ctx context.Context, in *AttributeInput) (*Attribute, error) {
	return create[Attribute](ctx, s.service, "attributes/", in)
}

// Update patches an attribute.
func (s *AttributesService) Update(ctx context.Context, id int64, in *AttributeInput) error {
	return s.api.Patch(ctx, idPath("attributes", id), in, true)
}

// Delete deletes an attribute.
func (s *AttributesService) Delete(ctx context.Context, id int64) error {
	return s.api.Delete(ctx, idPath("attributes", id))
}

// AttributeValuesService reads and writes attribute values.
type AttributeValuesService struct{ service }

// List returns one page of an attribute's values.
func (s *AttributeValuesService) List(ctx context.Context, attributeID int64, p Paging) (*Collection[AttributeValue], error) {
	return listPage[AttributeValue](ctx, s.service, idPath("attributes", attributeID, "attributevalues"), nil, p)
}

// All streams every value of an attribute.
func (s *AttributeValuesService) All(ctx context.Context, attributeID int64) iter.Seq2[AttributeValue, error] {
	return listAll[AttributeValue](ctx, s.service, idPath("attributes", attributeID, "attributevalues"), nil, Paging{Size: 250})
}

// Get returns one attribute value.
func (s *AttributeValuesService) Get(ctx context.Context, id int64) (*AttributeValue, error) {
	return getOne[AttributeValue](ctx, s.service, idPath("attributevalues", id), nil)
}

// Create adds a value to an attribute.
func (s *AttributeValuesService) Create(ctx context.Context, attributeID int64, in *AttributeValueInput) (*AttributeValue, error) {
	return create[AttributeValue](ctx, s.service, idPath("attributes", attributeID, "attributevalues"), in)
}

// Update patches an attribute value.
func (s *AttributeValuesService) Update(ctx context.Context, id int64, in *AttributeValueInput) error {
	return s.api.Patch(ctx, idPath("attributevalues", id), in, true)
}

// Delete deletes an attribute value.
func (s *AttributeValuesService) Delete(ctx context.Context, id int64) error {
	return s.api.Delete(ctx, idPath("attributevalues", id))
}

// ProductAttributeValuesService attaches attribute values to products,
// which generates the products' attribute combinations.
type ProductAttributeValuesService struct{ service }

// List returns one page of a product's attribute values.
func (s *ProductAttributeValuesService) List(ctx context.Context, productID int64, p Paging) (*Collection[ProductAttributeValue], error) {
	return listPage[ProductAttributeValue](ctx, s.service, idPath("products", productID, "productattributevalues"), nil, p)
}

// All streams every attribute value of a product.
func (s *ProductAttributeValuesService) All(ctx context.Context, productID int64) iter.Seq2[ProductAttributeValue, error] {
	return listAll[ProductAttributeValue](ctx, s.service, idPath("products", productID, "productattributevalues"), nil, Paging{Size: 250})
}

// Get returns one product attribute value.
func (s *ProductAttributeValuesService) Get(ctx context.Context, id int64) (*ProductAttributeValue, error) {
	return getOne[ProductAttributeValue](ctx, s.service, idPath("productattributevalues", id), nil)
}

// Create attaches an attribute value to a product.
func (s *ProductAttributeValuesService) Create(ctx context.Context, productID int64, in *ProductAttributeValueInput) (*ProductAttributeValue, error) {
	return create[ProductAttributeValue](ctx, s.service, idPath("products", productID, "productattributevalues"), in)
}

// Update changes the extra price or position.
func (s *ProductAttributeValuesService) Update(ctx context.Context, id int64, in *ProductAttributeValuePatch) error {
	return s.api.Patch(ctx, idPath("productattributevalues", id), in, true)
}

// Delete detaches a value from its product.
func (s *ProductAttributeValuesService) Delete(ctx context.Context, id int64) error {
	return s.api.Delete(ctx, idPath("productattributevalues", id))
}

// AttributeCombinationsService reads and updates attribute combinations.
type AttributeCombinationsService struct{ service }

// List returns one page of a product's combinations.
func (s *AttributeCombinationsService) List(ctx context.Context, productID int64, p Paging) (*Collection[AttributeCombination], error) {
	return listPage[AttributeCombination](ctx, s.service, idPath("products", productID, "attributecombinations"), nil, p)
}

// All streams every combination of a product.
func (s *AttributeCombinationsService) All(ctx context.Context, productID int64) iter.Seq2[AttributeCombination, error] {
	return listAll[AttributeCombination](ctx, s.service, idPath("products", productID, "attributecombinations"), nil, Paging{Size: 250})
}

// Get returns one combination.
func (s *AttributeCombinationsService) Get(ctx context.Context, id int64) (*AttributeCombination, error) {
	return getOne[AttributeCombination](ctx, s.service, idPath("attributecombinations", id), nil)
}

// Update patches a combination with absolute values (safe to repeat).
func (s *AttributeCombinationsService) Update(ctx context.Context, id int64, in *AttributeCombinationPatch) error {
	return s.api.Patch(ctx, idPath("attributecombinations", id), in, true)
}

// UpdateStock sets a variant's stock: PATCH {"stock": qty}.
func (s *AttributeCombinationsService) UpdateStock(ctx context.Context, id int64, qty decimal.Decimal) error {
	return s.Update(ctx, id, &AttributeCombinationPatch{Stock: &Number{Decimal: qty}})
}
