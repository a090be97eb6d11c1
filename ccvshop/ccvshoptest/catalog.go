package ccvshoptest

import (
	"encoding/base64"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/internal/verto"
)

func (s *Server) listProducts(r *request) reply {
	q := r.URL.Query()
	expand, b := parseExpand(r)
	if bad(b) {
		return *b
	}
	active, hasActive, b1 := boolParam(q, "active")
	minStock, hasMinStock, b2 := decParam(q, "minstock")
	maxStock, hasMaxStock, b3 := decParam(q, "maxstock")
	minPrice, hasMinPrice, b4 := decParam(q, "minprice")
	maxPrice, hasMaxPrice, b5 := decParam(q, "maxprice")
	for _, b := range []*reply{b1, b2, b3, b4, b5} {
		if bad(b) {
			return *b
		}
	}
	name := q.Get("productname")
	if name != "" && len([]rune(name)) < 3 {
		return invalid("filter productname needs at least 3 characters")
	}
	pn, ean, mpn := q.Get("productnumber"), q.Get("eannumber"), q.Get("mpnnumber")
	var catFilter map[int64]bool
	s.mu.Lock()
	if cid, ok := pathID(r); ok {
		if _, exists := s.categories[cid]; !exists {
			s.mu.Unlock()
			return notFound("category", r.PathValue("id"))
		}
		catFilter = map[int64]bool{}
		for _, l := range s.p2c {
			if int64(l.CategoryID) == cid {
				catFilter[int64(l.ProductID)] = true
			}
		}
	}
	var out []ccvshop.Product
	for _, id := range s.productIDs {
		p := s.products[id]
		switch {
		case catFilter != nil && !catFilter[id],
			pn != "" && p.Productnumber != pn,
			ean != "" && p.Eannumber != ean,
			mpn != "" && p.Mpnnumber != mpn,
			name != "" && !strings.Contains(strings.ToLower(p.Name), strings.ToLower(name)),
			hasActive && p.IsActive != active,
			hasMinStock && p.Stock.LessThan(minStock),
			hasMaxStock && p.Stock.GreaterThan(maxStock),
			hasMinPrice && p.Price.LessThan(minPrice),
			hasMaxPrice && p.Price.GreaterThan(maxPrice):
			continue
		}
		out = append(out, s.view(p, expand))
	}
	s.mu.Unlock()
	if b := sortItems(out, q.Get("orderby"), []string{"id", "name", "createdate", "modifydate"},
		func(a, b ccvshop.Product, f string) int {
			switch f {
			case "name":
				return strings.Compare(a.Name, b.Name)
			case "createdate":
				return strings.Compare(a.Createdate, b.Createdate)
			case "modifydate":
				if c := strings.Compare(a.Modifydate, b.Modifydate); c != 0 {
					return c
				}
			}
			return cmpInt(int64(a.ID), int64(b.ID))
		}); bad(b) {
		return *b
	}
	return paginate(r, out)
}

func (s *Server) getProduct(r *request) reply {
	id, _ := pathID(r)
	expand, b := parseExpand(r)
	if bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[id]
	if !ok {
		return notFound("product", r.PathValue("id"))
	}
	return okJSON(s.view(p, expand))
}

// applyProduct copies what a product body sets onto p.
func (s *Server) applyProduct(p *ccvshop.Product, in *ccvshop.ProductInput) *reply {
	for _, n := range []*verto.Number{in.Price, in.Discount, in.Purchaseprice, in.Weight} {
		if n != nil && n.IsNegative() {
			rep := invalid("product: prices and weight must not be negative")
			return &rep
		}
	}
	if in.Vatrate != nil && (in.Vatrate.IsNegative() || in.Vatrate.GreaterThan(hundred)) {
		rep := invalid("product: vatrate must be a percentage between 0 and 100")
		return &rep
	}
	if in.Taxtariff != "" && !taxTariffs[in.Taxtariff] {
		rep := invalid("product: taxtariff %q is not one of normal, low a, low b, extra low, zero", in.Taxtariff)
		return &rep
	}
	if in.PackageID != 0 {
		if _, ok := s.packages[int64(in.PackageID)]; !ok {
			rep := invalid("product: package_id %d does not exist", int64(in.PackageID))
			return &rep
		}
		p.Package = &ccvshop.Ref{ID: in.PackageID, Href: s.link("packages/%d/", int64(in.PackageID))}
	}
	setS := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	setS(&p.Name, in.Name)
	setS(&p.Productnumber, in.Productnumber)
	setS(&p.Eannumber, in.Eannumber)
	setS(&p.Mpnnumber, in.Mpnnumber)
	setS(&p.Unit, in.Unit)
	setS(&p.Taxtariff, in.Taxtariff)
	if in.Shortdescription != nil {
		p.Shortdescription = *in.Shortdescription
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.Active != nil {
		p.IsActive = *in.Active
	}
	if in.Stockenabled != nil {
		p.Stockenabled = *in.Stockenabled
	}
	for dst, v := range map[*verto.Number]*verto.Number{&p.Price: in.Price, &p.Discount: in.Discount,
		&p.Purchaseprice: in.Purchaseprice, &p.Weight: in.Weight, &p.Vatrate: in.Vatrate, &p.Stock: in.Stock} {
		if v != nil {
			*dst = *v
		}
	}
	if in.Vatrate == nil && in.Taxtariff != "" {
		p.Vatrate = num(tariffRate[in.Taxtariff])
	}
	if in.BrandID != 0 {
		p.Brand = &ccvshop.NamedRef{ID: in.BrandID, Href: s.link("brands/%d/", int64(in.BrandID))}
	}
	if in.SupplierID != 0 {
		p.Supplier = &ccvshop.NamedRef{ID: in.SupplierID, Href: s.link("suppliers/%d/", int64(in.SupplierID))}
	}
	if in.ConditionID != 0 {
		p.Condition = &ccvshop.NamedRef{ID: in.ConditionID, Href: s.link("conditions/%d/", int64(in.ConditionID))}
	}
	return nil
}

var taxTariffs = map[string]bool{"normal": true, "low a": true, "low b": true, "extra low": true, "zero": true}

// tariffRate is the Dutch VAT percentage of each tariff (the fake's shop is
// Dutch).
var tariffRate = map[string]decimal.Decimal{
	"normal": decimal.NewFromInt(21), "low a": decimal.NewFromInt(9), "low b": decimal.NewFromInt(9),
	"extra low": decimal.Zero, "zero": decimal.Zero,
}

func (s *Server) createProduct(r *request) reply {
	var in ccvshop.ProductInput
	if b := decodeRequired(r, &in, "product", "name", "price", "discount", "package_id"); bad(b) {
		return *b
	}
	if in.Taxtariff == "" && in.Vatrate == nil {
		return invalid("product: one of taxtariff and vatrate is required")
	}
	if strings.TrimSpace(in.Name) == "" {
		return invalid("product: name must not be empty")
	}
	s.mu.Lock()
	p := ccvshop.Product{IsActive: true, OrderingWithoutStock: "global_setting", ShowOrderButton: "Y", IsVisible: true,
		CanBeOrdered: true, DecimalAmount: 0, MinimalOrderAmount: verto.MustNum("1")}
	if b := s.applyProduct(&p, &in); bad(b) {
		s.mu.Unlock()
		return *b
	}
	stored := s.insertProduct(p)
	view := s.view(stored, nil)
	s.mu.Unlock()
	s.notify(ccvshop.EventProductCreated, map[string]any{"id": int64(stored.ID), "href": strings.TrimSuffix(stored.Href, "/")})
	return created(view)
}

func (s *Server) patchProduct(r *request) reply {
	id, _ := pathID(r)
	var in ccvshop.ProductInput
	if _, b := decode(r, &in); bad(b) {
		return *b
	}
	s.mu.Lock()
	p, ok := s.products[id]
	if !ok {
		s.mu.Unlock()
		return notFound("product", r.PathValue("id"))
	}
	cp := *p
	if b := s.applyProduct(&cp, &in); bad(b) {
		s.mu.Unlock()
		return *b
	}
	cp.Modifydate = s.stamp()
	*p = cp
	s.mu.Unlock()
	s.notify(ccvshop.EventProductUpdated, map[string]any{"id": id, "href": strings.TrimSuffix(cp.Href, "/")})
	return noContent()
}

func (s *Server) deleteProduct(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	p, ok := s.products[id]
	if !ok {
		s.mu.Unlock()
		return notFound("product", r.PathValue("id"))
	}
	delete(s.products, id)
	s.productIDs = removeID(s.productIDs, id)
	for _, cid := range s.combosBy[id] {
		delete(s.combos, cid)
	}
	delete(s.combosBy, id)
	for _, pv := range s.pavsBy[id] {
		delete(s.pavs, pv)
	}
	delete(s.pavsBy, id)
	for lid, l := range s.p2c {
		if int64(l.ProductID) == id {
			delete(s.p2c, lid)
			s.p2cIDs = removeID(s.p2cIDs, lid)
		}
	}
	for _, ph := range s.photosBy[id] {
		delete(s.photos, ph)
	}
	delete(s.photosBy, id)
	href := p.Href
	s.mu.Unlock()
	s.notify(ccvshop.EventProductDeleted, map[string]any{"id": id, "href": strings.TrimSuffix(href, "/")})
	return noContent()
}

// productQueries finds products by number and attribute combinations by
// SKU. A product found through a combination comes with the matching
// combinations expanded (inferred: the live schema lists the combinations
// as an expandable child).
func (s *Server) productQueries(r *request) reply {
	q := r.URL.Query()
	pn, ean, mpn, sku := q.Get("productnumber"), q.Get("eannumber"), q.Get("mpnnumber"), q.Get("skunumber")
	if pn == "" && ean == "" && mpn == "" && sku == "" {
		return invalid("productqueries needs one of productnumber, eannumber, mpnnumber, skunumber")
	}
	s.mu.Lock()
	var out []ccvshop.Product
	for _, id := range s.productIDs {
		p := s.products[id]
		if (pn != "" && p.Productnumber == pn) || (ean != "" && p.Eannumber == ean) || (mpn != "" && p.Mpnnumber == mpn) {
			out = append(out, s.view(p, map[string]bool{"attributecombinations": true}))
			continue
		}
		if sku == "" {
			continue
		}
		var hits []ccvshop.AttributeCombination
		for _, cid := range s.combosBy[id] {
			if c := s.combos[cid]; c.SkuNumber == sku {
				hits = append(hits, *c)
			}
		}
		if len(hits) > 0 {
			v := s.view(p, nil)
			v.Attributecombinations.Collection = hits
			out = append(out, v)
		}
	}
	s.mu.Unlock()
	return paginate(r, out)
}

func (s *Server) patchCombination() handler {
	return patch(s, "attributecombination", func() map[int64]*ccvshop.AttributeCombination { return s.combos },
		func(_ int64, c *ccvshop.AttributeCombination, in *ccvshop.AttributeCombinationPatch) reply {
			if in.Stock != nil {
				c.Stock = *in.Stock
			}
			for dst, v := range map[*string]string{&c.ProductNumber: in.ProductNumber, &c.EanNumber: in.EanNumber,
				&c.SkuNumber: in.SkuNumber, &c.Note: in.Note, &c.OrderingWithoutStock: in.OrderingWithoutStock} {
				if v != "" {
					*dst = v
				}
			}
			if in.Active != nil {
				c.Active = *in.Active
			}
			if p := s.products[int64(c.ProductID)]; p != nil {
				p.Modifydate = s.stamp()
			}
			return noContent()
		})
}

func (s *Server) createAttribute(r *request) reply {
	var in ccvshop.AttributeInput
	if b := decodeRequired(r, &in, "attribute", "name", "type"); bad(b) {
		return *b
	}
	if strings.TrimSpace(in.Name) == "" {
		return invalid("attribute: name must not be empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return created(*s.insertAttribute(in))
}

func (s *Server) patchAttribute() handler {
	return patch(s, "attribute", func() map[int64]*ccvshop.Attribute { return s.attrs },
		func(_ int64, a *ccvshop.Attribute, in *ccvshop.AttributeInput) reply {
			if in.Name != "" {
				a.Name = in.Name
			}
			if in.Type != "" {
				a.Type = in.Type
			}
			return noContent()
		})
}

func (s *Server) deleteAttribute(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.attrs[id]; !ok {
		return notFound("attribute", r.PathValue("id"))
	}
	for _, vid := range s.valuesBy[id] {
		delete(s.values, vid)
	}
	delete(s.valuesBy, id)
	delete(s.attrs, id)
	s.attrIDs = removeID(s.attrIDs, id)
	return noContent()
}

func (s *Server) createValue(r *request) reply {
	id, _ := pathID(r)
	var in ccvshop.AttributeValueInput
	if b := decodeRequired(r, &in, "attributevalue", "name", "default_price"); bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.attrs[id]
	if !ok {
		return notFound("attribute", r.PathValue("id"))
	}
	return created(*s.insertValue(a, in))
}

func (s *Server) patchValue() handler {
	return patch(s, "attributevalue", func() map[int64]*ccvshop.AttributeValue { return s.values },
		func(_ int64, v *ccvshop.AttributeValue, in *struct {
			Name         string        `json:"name"`
			DefaultPrice *verto.Number `json:"default_price"`
		}) reply {
			if in.Name != "" {
				v.Name = in.Name
			}
			if in.DefaultPrice != nil {
				v.DefaultPrice = *in.DefaultPrice
			}
			return noContent()
		})
}

func (s *Server) deleteValue(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.values[id]
	if !ok {
		return notFound("attributevalue", r.PathValue("id"))
	}
	delete(s.values, id)
	s.valuesBy[int64(v.AttributeID)] = removeFrom(s.valuesBy[int64(v.AttributeID)], id)
	return noContent()
}

func (s *Server) createPAV(r *request) reply {
	id, _ := pathID(r)
	var in ccvshop.ProductAttributeValueInput
	if b := decodeRequired(r, &in, "productattributevalue", "optionvalue", "price"); bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[id]
	if !ok {
		return notFound("product", r.PathValue("id"))
	}
	v, ok := s.values[int64(in.Optionvalue)]
	if !ok {
		return invalid("productattributevalue: optionvalue %d does not exist", int64(in.Optionvalue))
	}
	for _, pid := range s.pavsBy[id] {
		if s.pavs[pid].OptionvalueID == v.ID {
			return vertotestFail(500, verto.CodePropertyExists, "attribute value already attached to this product")
		}
	}
	pv := s.pavFor(p, v, in.Price)
	if in.Position != 0 {
		pv.Position = in.Position
	}
	stock := verto.Number{}
	if in.Stock != nil {
		stock = *in.Stock
	}
	s.regenerate(p, stock)
	return created(*pv)
}

func (s *Server) patchPAV() handler {
	return patch(s, "productattributevalue", func() map[int64]*ccvshop.ProductAttributeValue { return s.pavs },
		func(id int64, pv *ccvshop.ProductAttributeValue, in *ccvshop.ProductAttributeValuePatch) reply {
			if in.Price != nil {
				pv.Price = *in.Price
			}
			if in.Position != 0 {
				pv.Position = in.Position
			}
			for pid, list := range s.pavsBy {
				for _, x := range list {
					if x == id {
						s.regenerate(s.products[pid], verto.Number{})
					}
				}
			}
			return noContent()
		})
}

func (s *Server) deletePAV(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pavs[id]; !ok {
		return notFound("productattributevalue", r.PathValue("id"))
	}
	delete(s.pavs, id)
	for pid, list := range s.pavsBy {
		if n := removeFrom(list, id); len(n) != len(list) {
			s.pavsBy[pid] = n
			s.regenerate(s.products[pid], verto.Number{})
		}
	}
	return noContent()
}

// AddCategory seeds a category (ParentcategoryID-style parent via
// c.Parentcategory), bypassing HTTP, and returns it.
func (s *Server) AddCategory(c ccvshop.Category) ccvshop.Category {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.insertCategory(c)
}

// LinkProduct seeds a product-to-category link.
func (s *Server) LinkProduct(productID, categoryID int64) ccvshop.ProductToCategory {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.insertLink(ccvshop.ProductToCategoryInput{ProductID: verto.Int(productID), CategoryID: verto.Int(categoryID)})
}

func (s *Server) insertCategory(c ccvshop.Category) *ccvshop.Category {
	id := s.useID(int64(c.ID))
	c.ID = verto.Int(id)
	c.Href = s.link("categories/%d/", id)
	c.Producttocategories = &ccvshop.Link{Href: s.link("categories/%d/producttocategories/", id)}
	c.Categories = &ccvshop.Link{Href: s.link("categories/%d/categories/", id)}
	if c.Parentcategory != nil && c.Parentcategory.ID != 0 {
		c.Parentcategory.Href = s.link("categories/%d/", int64(c.Parentcategory.ID))
	} else {
		c.Parentcategory = nil
	}
	if c.Position == 0 {
		c.Position = verto.Int(len(s.catIDs) + 1)
	}
	if c.Deeplink == "" {
		c.Deeplink = s.URL() + "/" + slug(c.Name) + "/"
	}
	stored := c
	s.categories[id] = &stored
	s.catIDs = insertID(s.catIDs, id)
	return &stored
}

func parentOf(c *ccvshop.Category) int64 {
	if c.Parentcategory == nil {
		return 0
	}
	return int64(c.Parentcategory.ID)
}

func (s *Server) listCategories(r *request) reply {
	parent, nested := pathID(r)
	s.mu.Lock()
	if nested {
		if _, ok := s.categories[parent]; !ok {
			s.mu.Unlock()
			return notFound("category", r.PathValue("id"))
		}
	}
	var out []ccvshop.Category
	for _, id := range s.catIDs {
		c := s.categories[id]
		if nested && parentOf(c) != parent {
			continue
		}
		out = append(out, *c)
	}
	s.mu.Unlock()
	return paginate(r, out)
}

func (s *Server) createCategory(r *request) reply {
	var in ccvshop.CategoryInput
	if b := decodeRequired(r, &in, "category", "name"); bad(b) {
		return *b
	}
	if strings.TrimSpace(in.Name) == "" {
		return invalid("category: name must not be empty")
	}
	s.mu.Lock()
	c := ccvshop.Category{Name: in.Name, Description: in.Description, Position: in.Position, ShowOnWebsite: true}
	if in.ShowOnWebsite != nil {
		c.ShowOnWebsite = *in.ShowOnWebsite
	}
	if in.ParentcategoryID != 0 {
		if _, ok := s.categories[int64(in.ParentcategoryID)]; !ok {
			s.mu.Unlock()
			return invalid("category: parentcategory_id %d does not exist", int64(in.ParentcategoryID))
		}
		c.Parentcategory = &ccvshop.Ref{ID: in.ParentcategoryID}
	}
	if in.PhotoSource != "" {
		if _, err := base64.StdEncoding.DecodeString(in.PhotoSource); err != nil || in.PhotoFileType == "" {
			s.mu.Unlock()
			return vertotestFail(500, "500.22", "photo_source must be base64 with a photo_file_type")
		}
	}
	stored := *s.insertCategory(c)
	s.mu.Unlock()
	s.notify(ccvshop.EventCategoryCreated, map[string]any{"id": int64(stored.ID), "href": strings.TrimSuffix(stored.Href, "/")})
	return created(stored)
}

func (s *Server) patchCategory() handler {
	return patch(s, "category", func() map[int64]*ccvshop.Category { return s.categories },
		func(id int64, c *ccvshop.Category, in *ccvshop.CategoryInput) reply {
			if in.Name != "" {
				c.Name = in.Name
			}
			if in.Description != "" {
				c.Description = in.Description
			}
			if in.Position != 0 {
				c.Position = in.Position
			}
			if in.ShowOnWebsite != nil {
				c.ShowOnWebsite = *in.ShowOnWebsite
			}
			if in.ParentcategoryID != 0 {
				if _, ok := s.categories[int64(in.ParentcategoryID)]; !ok || int64(in.ParentcategoryID) == id {
					return invalid("category: parentcategory_id %d is not another existing category", int64(in.ParentcategoryID))
				}
				c.Parentcategory = &ccvshop.Ref{ID: in.ParentcategoryID, Href: s.link("categories/%d/", int64(in.ParentcategoryID))}
			}
			return noContent()
		})
}

func (s *Server) deleteCategory(r *request) reply {
	id, _ := pathID(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.categories[id]; !ok {
		return notFound("category", r.PathValue("id"))
	}
	delete(s.categories, id)
	s.catIDs = removeID(s.catIDs, id)
	for lid, l := range s.p2c {
		if int64(l.CategoryID) == id {
			delete(s.p2c, lid)
			s.p2cIDs = removeID(s.p2cIDs, lid)
		}
	}
	return noContent()
}

func (s *Server) insertLink(in ccvshop.ProductToCategoryInput) *ccvshop.ProductToCategory {
	id := s.id()
	pos := in.Position
	if pos == 0 {
		pos = 1
		for _, l := range s.p2c {
			if l.CategoryID == in.CategoryID && l.Position >= pos {
				pos = l.Position + 1
			}
		}
	}
	l := &ccvshop.ProductToCategory{ID: verto.Int(id), Href: s.link("producttocategories/%d/", id), Position: pos,
		ProductID: in.ProductID, CategoryID: in.CategoryID,
		ProductHref: s.link("products/%d/", int64(in.ProductID)), CategoryHref: s.link("categories/%d/", int64(in.CategoryID))}
	s.p2c[id] = l
	s.p2cIDs = insertID(s.p2cIDs, id)
	return l
}

func (s *Server) listLinks(byProduct bool) func(r *request) reply {
	return func(r *request) reply {
		id, _ := pathID(r)
		s.mu.Lock()
		_, okP := s.products[id]
		_, okC := s.categories[id]
		if (byProduct && !okP) || (!byProduct && !okC) {
			s.mu.Unlock()
			return notFound("parent", r.PathValue("id"))
		}
		var out []ccvshop.ProductToCategory
		for _, lid := range s.p2cIDs {
			l := s.p2c[lid]
			if (byProduct && int64(l.ProductID) == id) || (!byProduct && int64(l.CategoryID) == id) {
				out = append(out, *l)
			}
		}
		s.mu.Unlock()
		return paginate(r, out)
	}
}

func (s *Server) createLink(r *request) reply {
	var in ccvshop.ProductToCategoryInput
	if b := decodeRequired(r, &in, "producttocategory", "product_id", "category_id"); bad(b) {
		return *b
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.products[int64(in.ProductID)]; !ok {
		return invalid("producttocategory: product_id %d does not exist", int64(in.ProductID))
	}
	if _, ok := s.categories[int64(in.CategoryID)]; !ok {
		return invalid("producttocategory: category_id %d does not exist", int64(in.CategoryID))
	}
	for _, l := range s.p2c {
		if l.ProductID == in.ProductID && l.CategoryID == in.CategoryID {
			return vertotestFail(500, verto.CodePropertyExists, "product is already in this category")
		}
	}
	return created(*s.insertLink(in))
}

func (s *Server) patchLink() handler {
	return patch(s, "producttocategory", func() map[int64]*ccvshop.ProductToCategory { return s.p2c },
		func(_ int64, l *ccvshop.ProductToCategory, in *struct {
			Position verto.Int `json:"position"`
		}) reply {
			if in.Position > 0 {
				l.Position = in.Position
			}
			return noContent()
		})
}

func (s *Server) deleteLink() handler {
	return deleter(s, "producttocategory", func(id int64) bool {
		_, ok := s.p2c[id]
		delete(s.p2c, id)
		s.p2cIDs = removeID(s.p2cIDs, id)
		return ok
	})
}
