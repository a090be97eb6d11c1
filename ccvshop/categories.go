package ccvshop

import (
	"context"
	"encoding/base64"
	"iter"
	"net/url"
	"strings"
)

// Category is a shop category. Write bodies use ParentcategoryID where GET
// returns Parentcategory.
type Category struct {
	Href                 string `json:"href"`
	ID                   Int    `json:"id"`
	Name                 string `json:"name"`
	Description          string `json:"description"`
	DescriptionBottom    string `json:"description_bottom"`
	Searchwords          string `json:"searchwords"`
	Photo                string `json:"photo"`
	ShowBigPhoto         bool   `json:"show_big_photo"`
	ProductphotoInCanvas bool   `json:"productphoto_in_canvas"`
	ShowOrderbutton      bool   `json:"show_orderbutton"`
	Orderby              string `json:"orderby"`
	ItemsPerPage         Int    `json:"items_per_page"`
	Position             Int    `json:"position"`
	LayoutOfProducts     *Ref   `json:"layout_of_products,omitempty"`
	LayoutOfCategoriesID Int    `json:"layout_of_categories_id"`
	ShowOnWebsite        bool   `json:"show_on_website"`
	Color                Int    `json:"color"`
	ColorAlternative     Int    `json:"color_alternative"`
	PageTitle            string `json:"page_title"`
	MetaDescription      string `json:"meta_description"`
	MetaKeywords         string `json:"meta_keywords"`
	Alias                string `json:"alias"`
	Deeplink             string `json:"deeplink"`
	Producttocategories  *Link  `json:"producttocategories,omitempty"`
	Categories           *Link  `json:"categories,omitempty"`
	Parentcategory       *Ref   `json:"parentcategory,omitempty"`
	Parent               *Link  `json:"parent,omitempty"`
}

// CategoryInput is the body of POST /categories/ (Name required) and PATCH
// /categories/{id}/.
type CategoryInput struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// ParentcategoryID zero puts the category at the root.
	ParentcategoryID Int `json:"parentcategory_id,omitempty"`
	// Position zero puts the category last.
	Position      Int   `json:"position,omitempty"`
	ShowOnWebsite *bool `json:"show_on_website,omitempty"`
	// PhotoSource is base64 without a data: prefix, PhotoFileType its
	// extension.
	PhotoSource   string `json:"photo_source,omitempty"`
	PhotoFileType string `json:"photo_file_type,omitempty"`
}

// ProductToCategory links a product to a category.
type ProductToCategory struct {
	Href         string `json:"href"`
	ID           Int    `json:"id"`
	Position     Int    `json:"position"`
	ProductID    Int    `json:"product_id"`
	CategoryID   Int    `json:"category_id"`
	ProductHref  string `json:"product_href"`
	CategoryHref string `json:"category_href"`
}

// ProductToCategoryInput is the body of POST /producttocategories/.
type ProductToCategoryInput struct {
	ProductID  Int `json:"product_id"`
	CategoryID Int `json:"category_id"`
	Position   Int `json:"position,omitempty"`
}

// CategoriesService reads and writes categories.
type CategoriesService struct{ service }

// List returns one page of categories; parentID non-zero lists that
// category's children (/categories/{id}/categories/).
func (s *CategoriesService) List(ctx context.Context, parentID int64, p Paging) (*Collection[Category], error) {
	return listPage[Category](ctx, s.service, categoriesPath(parentID), nil, p)
}

// All streams every category (parentID zero) or a category's children.
func (s *CategoriesService) All(ctx context.Context, parentID int64) iter.Seq2[Category, error] {
	return listAll[Category](ctx, s.service, categoriesPath(parentID), nil, Paging{Size: 250})
}

func categoriesPath(parentID int64) string {
	if parentID != 0 {
		return idPath("categories", parentID, "categories")
	}
	return "categories/"
}

// Get returns one category.
func (s *CategoriesService) Get(ctx context.Context, id int64) (*Category, error) {
	return getOne[Category](ctx, s.service, idPath("categories", id), nil)
}

// Create creates a category.
func (s *CategoriesService) Create(ctx context.Context, in *CategoryInput) (*Category, error) {
	return create[Category](ctx, s.service, "categories/", in)
}

// Update patches a category.
func (s *CategoriesService) Update(ctx context.Context, id int64, in *CategoryInput) error {
	return s.api.Patch(ctx, idPath("categories", id), in, true)
}

// Delete deletes a category.
func (s *CategoriesService) Delete(ctx context.Context, id int64) error {
	return s.api.Delete(ctx, idPath("categories", id))
}

// ProductToCategoriesService links products and categories.
type ProductToCategoriesService struct{ service }

// ListByProduct returns one page of a product's category links.
func (s *ProductToCategoriesService) ListByProduct(ctx context.Context, productID int64, p Paging) (*Collection[ProductToCategory], error) {
	return listPage[ProductToCategory](ctx, s.service, idPath("products", productID, "producttocategories"), nil, p)
}

// ListByCategory returns one page of a category's product links.
func (s *ProductToCategoriesService) ListByCategory(ctx context.Context, categoryID int64, p Paging) (*Collection[ProductToCategory], error) {
	return listPage[ProductToCategory](ctx, s.service, idPath("categories", categoryID, "producttocategories"), nil, p)
}

// Get returns one link.
func (s *ProductToCategoriesService) Get(ctx context.Context, id int64) (*ProductToCategory, error) {
	return getOne[ProductToCategory](ctx, s.service, idPath("producttocategories", id), nil)
}

// Create links a product to a category.
func (s *ProductToCategoriesService) Create(ctx context.Context, in *ProductToCategoryInput) (*ProductToCategory, error) {
	return create[ProductToCategory](ctx, s.service, "producttocategories/", in)
}

// UpdatePosition moves a product within its category.
func (s *ProductToCategoriesService) UpdatePosition(ctx context.Context, id int64, position int) error {
	return s.api.Patch(ctx, idPath("producttocategories", id), struct {
		Position Int `json:"position"`
	}{Int(position)}, true)
}

// Delete removes a link.
func (s *ProductToCategoriesService) Delete(ctx context.Context, id int64) error {
	return s.api.Delete(ctx, idPath("producttocategories", id))
}

// ProductPhoto is a product photo.
type ProductPhoto struct {
	Href        string `json:"href"`
	ID          Int    `json:"id"`
	Filename    string `json:"filename"`
	Alttext     string `json:"alttext"`
	IsMainphoto bool   `json:"is_mainphoto"`
	// Deeplink is the image's URL.
	Deeplink string `json:"deeplink"`
	Parent   *Link  `json:"parent,omitempty"`
}

// ProductPhotoInput uploads a photo: Source is the file's base64 (without a
// data: prefix) and FileType its extension ("png", "jpg").
type ProductPhotoInput struct {
	Source      string `json:"source"`
	FileType    string `json:"file_type"`
	Alttext     string `json:"alttext,omitempty"`
	IsMainphoto *bool  `json:"is_mainphoto,omitempty"`
}

// NewPhotoInput encodes an image file for upload. fileType is the
// extension; a leading dot and upper case are accepted.
func NewPhotoInput(data []byte, fileType, alt string, main bool) ProductPhotoInput {
	in := ProductPhotoInput{
		Source:   base64.StdEncoding.EncodeToString(data),
		FileType: strings.ToLower(strings.TrimPrefix(fileType, ".")),
		Alttext:  alt,
	}
	if main {
		in.IsMainphoto = Bool(true)
	}
	return in
}

// ProductPhotoPatch is the body of PATCH /productphotos/{id}/.
type ProductPhotoPatch struct {
	Alttext     string `json:"alttext,omitempty"`
	IsMainphoto *bool  `json:"is_mainphoto,omitempty"`
}

type productPhotosBody struct {
	Productphotos []ProductPhotoInput `json:"productphotos"`
}

// ProductPhotosService manages product photos. CCV Shop takes one image per
// upload; PUT replaces all photos of a product.
type ProductPhotosService struct{ service }

// List returns one page of a product's photos; orderBy is id or ismainphoto
// (with "_desc"), or "".
func (s *ProductPhotosService) List(ctx context.Context, productID int64, orderBy string, p Paging) (*Collection[ProductPhoto], error) {
	q := url.Values{}
	setStr(q, "orderby", orderBy)
	return listPage[ProductPhoto](ctx, s.service, idPath("products", productID, "productphotos"), q, p)
}

// Get returns one photo.
func (s *ProductPhotosService) Get(ctx context.Context, id int64) (*ProductPhoto, error) {
	return getOne[ProductPhoto](ctx, s.service, idPath("productphotos", id), nil)
}

// Create uploads one photo to a product.
func (s *ProductPhotosService) Create(ctx context.Context, productID int64, in *ProductPhotoInput) (*ProductPhoto, error) {
	return create[ProductPhoto](ctx, s.service, idPath("products", productID, "productphotos"), in)
}

// Replace deletes every photo of the product and uploads photos; an empty
// list only deletes.
func (s *ProductPhotosService) Replace(ctx context.Context, productID int64, photos []ProductPhotoInput) error {
	if photos == nil {
		photos = []ProductPhotoInput{}
	}
	return s.api.Put(ctx, idPath("products", productID, "productphotos"), productPhotosBody{Productphotos: photos})
}

// Update changes a photo's alt text or main flag.
func (s *ProductPhotosService) Update(ctx context.Context, id int64, in *ProductPhotoPatch) error {
	return s.api.Patch(ctx, idPath("productphotos", id), in, true)
}

// Delete deletes a photo.
func (s *ProductPhotosService) Delete(ctx context.Context, id int64) error {
	return s.api.Delete(ctx, idPath("productphotos", id))
}
