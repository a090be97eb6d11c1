package ccvshop

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// productExpand is what product reads embed, so one request per page
// carries variants, category links and photos.
var productExpand = []string{"attributecombinations", "producttocategories", "productphotos"}

// skuLocation is where a SKU's stock lives: a product, or one attribute
// combination of it (comboID non-zero) with its extra price.
type skuLocation struct {
	productID, comboID int64
	extra              decimal.Decimal
	stockEnabled       bool
}

func (c *Connector) remember(sku string, loc skuLocation) {
	if sku == "" {
		return
	}
	c.skus.Put(sku, loc)
}

func (c *Connector) forget(sku string) {
	c.skus.Delete(sku)
}

// rememberProduct caches where the SKUs of p and its combinations live.
func (c *Connector) rememberProduct(p *Product) {
	c.remember(p.Productnumber, skuLocation{productID: int64(p.ID), stockEnabled: p.Stockenabled})
	if p.Attributecombinations != nil {
		for _, ac := range p.Attributecombinations.Collection {
			c.remember(ac.SkuNumber, skuLocation{productID: int64(p.ID), comboID: int64(ac.ID),
				extra: ac.NettoExtraPrice.Decimal, stockEnabled: p.Stockenabled})
		}
	}
}

// locate finds where sku lives, with as few rate-limited calls as possible:
// the connector's cache first; then GET /products/?productnumber= (an
// ordinary read, 150/min), which finds simple products and parents; only
// for a SKU that is no product number GET /productqueries/?skunumber= (the
// 30/min bucket), which finds attribute combinations.
func (c *Connector) locate(ctx context.Context, sku string) (skuLocation, error) {
	if loc, ok := c.skus.Get(sku); ok {
		return loc, nil
	}
	if p, err := c.productBySKU(ctx, sku); err == nil {
		return skuLocation{productID: int64(p.ID), stockEnabled: p.Stockenabled}, nil
	} else if !errors.Is(err, connector.ErrNotFound) {
		return skuLocation{}, err
	}
	return c.comboBySKU(ctx, sku)
}

// comboBySKU finds the attribute combination whose sku_number is sku, with
// one product query (30/min: used only when no product has the number).
func (c *Connector) comboBySKU(ctx context.Context, sku string) (skuLocation, error) {
	page, err := c.c.ProductQueries.List(ctx, ProductQuery{Skunumber: sku})
	if err != nil {
		return skuLocation{}, err
	}
	for _, p := range page.Items {
		if p.Attributecombinations == nil {
			continue
		}
		for _, ac := range p.Attributecombinations.Collection {
			if ac.SkuNumber == sku {
				loc := skuLocation{productID: int64(p.ID), comboID: int64(ac.ID), extra: ac.NettoExtraPrice.Decimal,
					stockEnabled: p.Stockenabled}
				c.remember(sku, loc)
				return loc, nil
			}
		}
	}
	return skuLocation{}, fmt.Errorf("ccvshop: SKU %q: %w", sku, connector.ErrNotFound)
}

// productBySKU returns the product whose productnumber is sku exactly, with
// its sub-collections expanded (one request).
func (c *Connector) productBySKU(ctx context.Context, sku string) (*Product, error) {
	if strings.TrimSpace(sku) == "" {
		return nil, fmt.Errorf("ccvshop: empty SKU: %w", connector.ErrNotFound)
	}
	page, err := c.c.Products.List(ctx, &ProductListOptions{Productnumber: sku, Expand: productExpand, Paging: Paging{Size: 25}})
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		if p := &page.Items[i]; p.Productnumber == sku {
			c.rememberProduct(p)
			return p, nil
		}
	}
	return nil, fmt.Errorf("ccvshop: product with SKU %q: %w", sku, connector.ErrNotFound)
}

// categoryTree caches the shop's categories for product conversion.
type categoryTree map[int64]Category

func (t categoryTree) path(id int64) []string {
	var out []string
	for seen := 0; id != 0 && seen < 32; seen++ {
		cat, ok := t[id]
		if !ok {
			break
		}
		out = append([]string{cat.Name}, out...)
		id = 0
		if cat.Parentcategory != nil {
			id = int64(cat.Parentcategory.ID)
		}
	}
	return out
}

func (c *Connector) categories(ctx context.Context) (categoryTree, error) {
	t := categoryTree{}
	for cat, err := range c.c.Categories.All(ctx, 0) {
		if err != nil {
			return nil, err
		}
		t[int64(cat.ID)] = cat
	}
	return t, nil
}

// ProductToCanonical converts a product read with its combinations,
// category links and photos expanded. Price is the sell price (price −
// discount); a variant's price is that plus the combination's extra price.
// tree names the linked categories (nil: IDs only).
func (c *Connector) ProductToCanonical(p *Product, tree categoryTree) (connector.Product, error) {
	rec := "product " + strconv.Quote(p.Productnumber)
	updated, err := parseTime(rec, "modifydate", p.Modifydate)
	if err != nil {
		return connector.Product{}, err
	}
	out := connector.Product{
		ID: idString(p.ID), SKU: p.Productnumber, Name: p.Name, ShortDescription: p.Shortdescription,
		Description: p.Description, Price: p.SellPrice(), PriceIncludesTax: !c.cfg.ProductPricesExcludeTax,
		CostPrice: p.Purchaseprice.Decimal, TaxRate: p.Vatrate.Decimal, TaxCode: p.Taxtariff, EAN: p.Eannumber,
		Currency: c.cfg.Currency, Unit: p.Unit, Type: connector.ProductSimple, Active: p.IsActive, UpdatedAt: updated,
	}
	if !p.Discount.IsZero() {
		out.CustomFields = map[string]string{"price": p.Price.String(), "discount": p.Discount.String()}
	}
	var combos []AttributeCombination
	if p.Attributecombinations != nil {
		combos = p.Attributecombinations.Collection
	}
	if len(combos) == 0 {
		out.Stock = &connector.StockLevel{SKU: p.Productnumber, ProductID: out.ID, OnHand: p.Stock.Decimal,
			Available: p.Stock.Decimal, Managed: p.Stockenabled, Location: p.Stocklocation, UpdatedAt: updated}
	} else {
		out.Type = connector.ProductConfigurable
		axes := map[string]int{}
		for _, ac := range combos {
			if ac.SkuNumber == "" {
				// Generated for a value choice nobody sells: no SKU to
				// sync it by.
				continue
			}
			v := connector.Variant{ID: idString(ac.ID), SKU: ac.SkuNumber, EAN: ac.EanNumber, Active: ac.Active,
				Price: decimal.NewNullDecimal(out.Price.Add(ac.NettoExtraPrice.Decimal)),
				Stock: &connector.StockLevel{SKU: ac.SkuNumber, ProductID: idString(ac.ID), OnHand: ac.Stock.Decimal,
					Available: ac.Stock.Decimal, Managed: p.Stockenabled, Location: p.Stocklocation, UpdatedAt: updated}}
			for _, part := range ac.Combination {
				v.Attributes = append(v.Attributes, connector.AttributeValue{Name: part.Attribute.Name, Value: part.AttributeValue.Name})
				i, ok := axes[part.Attribute.Name]
				if !ok {
					i = len(out.Attributes)
					axes[part.Attribute.Name] = i
					out.Attributes = append(out.Attributes, connector.Attribute{Name: part.Attribute.Name})
				}
				if !slices.Contains(out.Attributes[i].Values, part.AttributeValue.Name) {
					out.Attributes[i].Values = append(out.Attributes[i].Values, part.AttributeValue.Name)
				}
			}
			out.Variants = append(out.Variants, v)
		}
	}
	if p.Producttocategories != nil {
		for _, l := range p.Producttocategories.Collection {
			cat := connector.Category{ID: idString(l.CategoryID)}
			if tc, ok := tree[int64(l.CategoryID)]; ok {
				cat.Name = tc.Name
				cat.Path = tree.path(int64(l.CategoryID))
				if tc.Parentcategory != nil {
					cat.ParentID = idString(tc.Parentcategory.ID)
				}
			}
			out.Categories = append(out.Categories, cat)
		}
	}
	if p.Productphotos != nil {
		for _, ph := range p.Productphotos.Collection {
			out.Images = append(out.Images, connector.Image{ID: idString(ph.ID), URL: ph.Deeplink, Alt: ph.Alttext, Main: ph.IsMainphoto})
		}
	}
	return out, nil
}

// Products streams products with variants, categories and images: one
// request per page (sub-collections expanded) plus one category listing per
// stream when a product has categories. With UpdatedSince the stream reads
// newest-modified first (orderby=modifydate_desc) and stops at the first
// product modified before it.
func (c *Connector) Products(ctx context.Context, q connector.ProductQuery) iter.Seq2[connector.Product, error] {
	return func(yield func(connector.Product, error) bool) {
		opts := &ProductListOptions{Paging: Paging{Size: c.pageSize(q.PageSize)}, Expand: productExpand, OrderBy: "id"}
		since := !q.UpdatedSince.IsZero()
		var seen map[Int]bool
		if since {
			opts.OrderBy = "modifydate_desc"
			seen = map[Int]bool{}
		}
		var tree categoryTree
		for p, err := range c.c.Products.All(ctx, opts) {
			if err != nil {
				yield(connector.Product{}, err)
				return
			}
			if since {
				if seen[p.ID] {
					continue // moved up by a concurrent change
				}
				seen[p.ID] = true
			}
			if tree == nil && p.Producttocategories != nil && len(p.Producttocategories.Collection) > 0 {
				if tree, err = c.categories(ctx); err != nil {
					yield(connector.Product{}, err)
					return
				}
			}
			c.rememberProduct(&p)
			cp, err := c.ProductToCanonical(&p, tree)
			if err != nil {
				yield(connector.Product{}, err)
				return
			}
			if since && cp.UpdatedAt.Before(q.UpdatedSince) {
				return
			}
			if !yield(cp, nil) {
				return
			}
		}
	}
}

// FindProductBySKU implements connector.ProductSink: the product whose
// product number is sku exactly (one GET /products/?productnumber=
// request), or else the configurable product with an attribute combination
// whose sku_number is sku (one /productqueries/ request, limited to 30 a
// minute, then one GET of the product).
func (c *Connector) FindProductBySKU(ctx context.Context, sku string) (connector.Product, error) {
	p, err := c.productBySKU(ctx, sku)
	if errors.Is(err, connector.ErrNotFound) && strings.TrimSpace(sku) != "" {
		// A variant's SKU finds the configurable product it belongs to.
		loc, lerr := c.comboBySKU(ctx, sku)
		if lerr != nil {
			return connector.Product{}, lerr
		}
		if p, err = c.c.Products.Get(ctx, loc.productID, productExpand...); err == nil {
			c.rememberProduct(p)
		}
	}
	if err != nil {
		return connector.Product{}, err
	}
	var tree categoryTree
	if p.Producttocategories != nil && len(p.Producttocategories.Collection) > 0 {
		if tree, err = c.categories(ctx); err != nil {
			return connector.Product{}, err
		}
	}
	return c.ProductToCanonical(p, tree)
}

// productInput builds the product body. The shop's discount is kept: the
// price written is the sell price plus it.
func (c *Connector) productInput(p *connector.Product, keepDiscount decimal.Decimal) *ProductInput {
	in := &ProductInput{
		Name: p.Name, Productnumber: p.SKU, Eannumber: p.EAN, Unit: p.Unit,
		Shortdescription: &p.ShortDescription, Description: &p.Description, Active: Bool(p.Active),
		Price: numPtr(p.Price.Add(keepDiscount)), Vatrate: numPtr(p.TaxRate), Purchaseprice: numPtr(p.CostPrice),
	}
	if tariffs[p.TaxCode] {
		in.Taxtariff = p.TaxCode
	}
	if p.Stock != nil && len(p.Variants) == 0 {
		l := p.Stock.Normalize()
		in.Stock, in.Stockenabled = numPtr(l.Available), Bool(l.Managed)
	} else if stockManaged(p) {
		in.Stockenabled = Bool(true)
	}
	return in
}

// tariffs are the platform's taxtariff names.
var tariffs = map[string]bool{"normal": true, "low a": true, "low b": true, "extra low": true, "zero": true}

func stockManaged(p *connector.Product) bool {
	for _, v := range p.Variants {
		if v.Stock != nil && v.Stock.Managed {
			return true
		}
	}
	return false
}

// checkProduct validates p for CCV Shop.
func checkProduct(p *connector.Product) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Type == connector.ProductGrouped {
		return fmt.Errorf("ccvshop: product %q: %w: grouped products", p.SKU, connector.ErrUnsupported)
	}
	if p.Currency != "" && !strings.EqualFold(p.Currency, "EUR") {
		return validation("product "+strconv.Quote(p.SKU), "Currency", "CCV Shop prices products in the shop's currency; only EUR is supported")
	}
	return nil
}

// CreateProduct creates p: the product, then for a configurable product its
// attribute values (creating attributes and values the shop lacks), which
// generate the combinations; each combination gets the variant's SKU, EAN,
// active flag and stock, and combinations no variant asks for are
// deactivated. Categories are linked (by ID, or found or created by name)
// and images with content are uploaded (images given only by URL cannot be:
// the API takes file content).
func (c *Connector) CreateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	if err := checkProduct(&p); err != nil {
		return connector.Product{}, err
	}
	in := c.productInput(&p, decimal.Zero)
	pkg, err := c.packageFor(ctx)
	if err != nil {
		return connector.Product{}, err
	}
	in.PackageID, in.Discount = pkg, numPtr(decimal.Zero)
	extras, err := variantExtras(&p)
	if err != nil {
		return connector.Product{}, err
	}
	created, err := c.c.Products.Create(ctx, in)
	if err != nil {
		return connector.Product{}, err
	}
	if created.ID == 0 {
		if created, err = c.productBySKU(ctx, p.SKU); err != nil {
			return connector.Product{}, fmt.Errorf("ccvshop: product %q created but not found: %w", p.SKU, err)
		}
	}
	id := int64(created.ID)
	c.remember(p.SKU, skuLocation{productID: id, stockEnabled: in.Stockenabled != nil && *in.Stockenabled})
	out := p
	out.ID = idString(created.ID)
	if out.Variants, err = c.syncVariants(ctx, id, &p, extras, nil); err != nil {
		return out, err
	}
	if err := c.linkCategories(ctx, id, p.Categories, nil); err != nil {
		return out, err
	}
	for i, img := range p.Images {
		if len(img.Data) == 0 {
			continue
		}
		ph := NewPhotoInput(img.Data, imageType(img), img.Alt, img.Main || i == 0)
		if _, err := c.c.ProductPhotos.Create(ctx, id, &ph); err != nil {
			return out, err
		}
	}
	return out, nil
}

// imageType guesses an image's file type from its content or URL.
func imageType(img connector.Image) string {
	switch ct := http.DetectContentType(img.Data); ct {
	case "image/png":
		return "png"
	case "image/gif":
		return "gif"
	case "image/webp":
		return "webp"
	case "image/jpeg":
		return "jpg"
	}
	if i := strings.LastIndexByte(img.URL, '.'); i >= 0 && i < len(img.URL)-1 {
		return strings.ToLower(img.URL[i+1:])
	}
	return "jpg"
}

// UpdateProduct writes p over product p.ID: the product fields (keeping
// the shop's discount), variants (matched by SKU, else by attribute
// values; new values are attached, which generates their combinations) and
// missing category links. Images are written on create only.
func (c *Connector) UpdateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	if err := checkProduct(&p); err != nil {
		return connector.Product{}, err
	}
	id, err := parseID("product", p.ID)
	if err != nil {
		return connector.Product{}, err
	}
	cur, err := c.c.Products.Get(ctx, id, productExpand...)
	if err != nil {
		return connector.Product{}, err
	}
	extras, err := variantExtras(&p)
	if err != nil {
		return connector.Product{}, err
	}
	if err := c.c.Products.Update(ctx, id, c.productInput(&p, cur.Discount.Decimal)); err != nil {
		return connector.Product{}, err
	}
	if cur.Productnumber != p.SKU {
		c.forget(cur.Productnumber)
	}
	c.rememberProduct(cur)
	c.remember(p.SKU, skuLocation{productID: id, stockEnabled: cur.Stockenabled})
	out := p
	var existing []AttributeCombination
	if cur.Attributecombinations != nil {
		existing = cur.Attributecombinations.Collection
	}
	if out.Variants, err = c.syncVariants(ctx, id, &p, extras, existing); err != nil {
		return out, err
	}
	var links []ProductToCategory
	if cur.Producttocategories != nil {
		links = cur.Producttocategories.Collection
	}
	return out, c.linkCategories(ctx, id, p.Categories, links)
}

// variantExtras derives the extra price of each attribute value from the
// variants' prices. CCV Shop prices a combination as the product's price
// plus the sum of its values' extra prices, so the variant prices must be
// additive: with one attribute every price works; with several the extras
// are fitted from the first variant and checked against every variant.
func variantExtras(p *connector.Product) (map[[2]string]decimal.Decimal, error) {
	extras := map[[2]string]decimal.Decimal{}
	if len(p.Variants) == 0 {
		return extras, nil
	}
	rec := "product " + strconv.Quote(p.SKU)
	delta := func(v connector.Variant) decimal.Decimal {
		if !v.Price.Valid {
			return decimal.Zero
		}
		return v.Price.Decimal.Sub(p.Price)
	}
	// Reference: the first variant's values carry no extra; every other
	// value's extra is learnt from a variant that differs from the
	// reference in that value only.
	ref := map[string]string{}
	for _, a := range p.Variants[0].Attributes {
		ref[a.Name] = a.Value
		extras[[2]string{a.Name, a.Value}] = decimal.Zero
	}
	base := delta(p.Variants[0])
	if len(ref) > 0 {
		// Spread the first variant's delta on its first attribute.
		first := p.Variants[0].Attributes[0]
		extras[[2]string{first.Name, first.Value}] = base
	}
	for changed := true; changed; {
		changed = false
		for _, v := range p.Variants {
			var unknown [][2]string
			sum := decimal.Zero
			for _, a := range v.Attributes {
				k := [2]string{a.Name, a.Value}
				if e, ok := extras[k]; ok {
					sum = sum.Add(e)
				} else {
					unknown = append(unknown, k)
				}
			}
			if len(unknown) == 1 {
				extras[unknown[0]] = delta(v).Sub(sum)
				changed = true
			}
		}
	}
	for i, v := range p.Variants {
		sum := decimal.Zero
		for _, a := range v.Attributes {
			e, ok := extras[[2]string{a.Name, a.Value}]
			if !ok {
				return nil, validation(rec, fmt.Sprintf("Variants[%d].Price", i),
					"cannot be expressed as the product price plus per-value extra prices (CCV Shop's variant pricing)")
			}
			sum = sum.Add(e)
		}
		if !sum.Equal(delta(v)) {
			return nil, validation(rec, fmt.Sprintf("Variants[%d].Price", i),
				"is not additive: CCV Shop prices a variant as the product price plus the sum of its values' extra prices")
		}
	}
	return extras, nil
}

// attributeEntry caches an attribute and its values by lower-case name.
type attributeEntry struct {
	id     int64
	values map[string]int64
}

// attributeValueID finds or creates attribute name and its value.
func (c *Connector) attributeValueID(ctx context.Context, name, value string) (int64, error) {
	c.mu.Lock()
	loaded := len(c.attrs) > 0
	c.mu.Unlock()
	if !loaded {
		for a, err := range c.c.Attributes.All(ctx) {
			if err != nil {
				return 0, err
			}
			c.mu.Lock()
			c.attrs[strings.ToLower(a.Name)] = &attributeEntry{id: int64(a.ID)}
			c.mu.Unlock()
		}
	}
	key := strings.ToLower(name)
	c.mu.Lock()
	e := c.attrs[key]
	c.mu.Unlock()
	if e == nil {
		a, err := c.c.Attributes.Create(ctx, &AttributeInput{Name: name, Type: AttributeTypeOptionMenu})
		if err != nil {
			return 0, err
		}
		e = &attributeEntry{id: int64(a.ID), values: map[string]int64{}}
		c.mu.Lock()
		c.attrs[key] = e
		c.mu.Unlock()
	}
	c.mu.Lock()
	needValues := e.values == nil
	c.mu.Unlock()
	if needValues {
		vals := map[string]int64{}
		for v, err := range c.c.AttributeValues.All(ctx, e.id) {
			if err != nil {
				return 0, err
			}
			vals[strings.ToLower(v.Name)] = int64(v.ID)
		}
		c.mu.Lock()
		e.values = vals
		c.mu.Unlock()
	}
	c.mu.Lock()
	vid, ok := e.values[strings.ToLower(value)]
	c.mu.Unlock()
	if ok {
		return vid, nil
	}
	v, err := c.c.AttributeValues.Create(ctx, e.id, &AttributeValueInput{Name: value, DefaultPrice: Number{}})
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	e.values[strings.ToLower(value)] = int64(v.ID)
	c.mu.Unlock()
	return int64(v.ID), nil
}

// comboKey identifies a combination by its attribute values.
func comboKey(pairs [][2]string) string {
	keys := make([]string, len(pairs))
	for i, p := range pairs {
		keys[i] = strings.ToLower(p[0]) + "=" + strings.ToLower(p[1])
	}
	sort.Strings(keys)
	return strings.Join(keys, "|")
}

func wireComboKey(ac *AttributeCombination) string {
	pairs := make([][2]string, len(ac.Combination))
	for i, part := range ac.Combination {
		pairs[i] = [2]string{part.Attribute.Name, part.AttributeValue.Name}
	}
	return comboKey(pairs)
}

func variantKey(v *connector.Variant) string {
	pairs := make([][2]string, len(v.Attributes))
	for i, a := range v.Attributes {
		pairs[i] = [2]string{a.Name, a.Value}
	}
	return comboKey(pairs)
}

// syncVariants makes the product's combinations match p.Variants and
// returns the variants with their combination IDs.
func (c *Connector) syncVariants(ctx context.Context, productID int64, p *connector.Product,
	extras map[[2]string]decimal.Decimal, existing []AttributeCombination) ([]connector.Variant, error) {
	if len(p.Variants) == 0 {
		return nil, nil
	}
	// Attach the values the product lacks.
	have := map[string]bool{}
	for _, ac := range existing {
		for _, part := range ac.Combination {
			have[strings.ToLower(part.Attribute.Name)+"="+strings.ToLower(part.AttributeValue.Name)] = true
		}
	}
	added := false
	for _, v := range p.Variants {
		for _, a := range v.Attributes {
			k := strings.ToLower(a.Name) + "=" + strings.ToLower(a.Value)
			if have[k] {
				continue
			}
			vid, err := c.attributeValueID(ctx, a.Name, a.Value)
			if err != nil {
				return nil, err
			}
			if _, err := c.c.ProductAttributeValues.Create(ctx, productID, &ProductAttributeValueInput{
				Optionvalue: Int(vid), Price: Number{Decimal: extras[[2]string{a.Name, a.Value}]}}); err != nil {
				return nil, err
			}
			have[k] = true
			added = true
		}
	}
	combos := existing
	if added || existing == nil {
		combos = nil
		for ac, err := range c.c.AttributeCombinations.All(ctx, productID) {
			if err != nil {
				return nil, err
			}
			combos = append(combos, ac)
		}
	}
	bySKU, byKey := map[string]*AttributeCombination{}, map[string]*AttributeCombination{}
	for i := range combos {
		ac := &combos[i]
		if ac.SkuNumber != "" {
			bySKU[ac.SkuNumber] = ac
		}
		byKey[wireComboKey(ac)] = ac
	}
	used := map[Int]bool{}
	out := append([]connector.Variant(nil), p.Variants...)
	for i := range out {
		v := &out[i]
		ac := bySKU[v.SKU]
		if ac == nil {
			ac = byKey[variantKey(v)]
		}
		if ac == nil {
			return out, fmt.Errorf("ccvshop: product %q: no attribute combination for variant %q", p.SKU, v.SKU)
		}
		used[ac.ID] = true
		v.ID = idString(ac.ID)
		patch := AttributeCombinationPatch{}
		if ac.SkuNumber != v.SKU {
			patch.SkuNumber = v.SKU
		}
		if v.EAN != "" && ac.EanNumber != v.EAN {
			patch.EanNumber = v.EAN
		}
		if ac.Active != v.Active {
			patch.Active = Bool(v.Active)
		}
		if v.Stock != nil {
			if l := v.Stock.Normalize(); !l.Available.Equal(ac.Stock.Decimal) {
				patch.Stock = numPtr(l.Available)
			}
		}
		if patch != (AttributeCombinationPatch{}) {
			if err := c.c.AttributeCombinations.Update(ctx, int64(ac.ID), &patch); err != nil {
				return out, err
			}
		}
		c.remember(v.SKU, skuLocation{productID: productID, comboID: int64(ac.ID), extra: ac.NettoExtraPrice.Decimal,
			stockEnabled: stockManaged(p)})
	}
	// Combinations generated for value choices no variant asks for.
	for i := range combos {
		if ac := &combos[i]; !used[ac.ID] && ac.Active {
			if err := c.c.AttributeCombinations.Update(ctx, int64(ac.ID), &AttributeCombinationPatch{Active: Bool(false)}); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// linkCategories links the product to each category (by ID, or by name,
// found or created) it is not linked to yet.
func (c *Connector) linkCategories(ctx context.Context, productID int64, cats []connector.Category, links []ProductToCategory) error {
	linked := map[int64]bool{}
	for _, l := range links {
		linked[int64(l.CategoryID)] = true
	}
	for i, cat := range cats {
		cid := int64(0)
		if cat.ID != "" {
			v, err := strconv.ParseInt(cat.ID, 10, 64)
			if err != nil || v <= 0 {
				return validation("product", fmt.Sprintf("Categories[%d].ID", i), "is not a CCV Shop category id")
			}
			cid = v
		} else {
			found, err := c.FindCategory(ctx, cat.Name, cat.ParentID)
			if errors.Is(err, connector.ErrNotFound) {
				found, err = c.CreateCategory(ctx, cat)
			}
			if err != nil {
				return err
			}
			cid, _ = strconv.ParseInt(found.ID, 10, 64)
		}
		if linked[cid] {
			continue
		}
		if _, err := c.c.ProductToCategories.Create(ctx, &ProductToCategoryInput{ProductID: Int(productID), CategoryID: Int(cid)}); err != nil {
			return err
		}
		linked[cid] = true
	}
	return nil
}

// FindCategory returns the category named name (ignoring case and
// surrounding space) directly under parentID ("" for the root).
func (c *Connector) FindCategory(ctx context.Context, name, parentID string) (connector.Category, error) {
	want := strings.TrimSpace(name)
	var parent int64
	if parentID != "" {
		v, err := parseID("category", parentID)
		if err != nil {
			return connector.Category{}, err
		}
		parent = v
	}
	for cat, err := range c.c.Categories.All(ctx, parent) {
		if err != nil {
			return connector.Category{}, err
		}
		p := int64(0)
		if cat.Parentcategory != nil {
			p = int64(cat.Parentcategory.ID)
		}
		if p == parent && strings.EqualFold(strings.TrimSpace(cat.Name), want) {
			return connector.Category{ID: idString(cat.ID), Name: cat.Name, ParentID: parentID}, nil
		}
	}
	return connector.Category{}, fmt.Errorf("ccvshop: category %q: %w", want, connector.ErrNotFound)
}

// CreateCategory creates c under c.ParentID.
func (c *Connector) CreateCategory(ctx context.Context, cat connector.Category) (connector.Category, error) {
	if strings.TrimSpace(cat.Name) == "" {
		return connector.Category{}, validation("category "+strconv.Quote(cat.ID), "Name", "is required")
	}
	in := &CategoryInput{Name: strings.TrimSpace(cat.Name)}
	if cat.ParentID != "" {
		v, err := strconv.ParseInt(cat.ParentID, 10, 64)
		if err != nil || v <= 0 {
			return connector.Category{}, validation("category "+strconv.Quote(cat.Name), "ParentID", "is not a CCV Shop category id")
		}
		in.ParentcategoryID = Int(v)
	}
	created, err := c.c.Categories.Create(ctx, in)
	if err != nil {
		return connector.Category{}, err
	}
	out := cat
	out.ID = idString(created.ID)
	return out, nil
}
