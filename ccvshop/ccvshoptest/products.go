package ccvshoptest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/ccvshop"
	"github.com/tradelink/tradelink/internal/verto"
)

// Stock types the fake writes: stock held on the product or on its
// attribute combinations. UNCONFIRMED: the platform's exact strings are not
// documented.
const (
	StockTypeProduct     = "product"
	StockTypeCombination = "attribute_combination"
)

// AddProduct seeds a product with its attribute combinations (variants),
// bypassing HTTP. Zero ids are assigned; each combination's Combination
// parts name an attribute and a value: the fake creates the attributes,
// values and product attribute values they imply (matching by name), so the
// catalogue reads back coherently. A combination's NettoExtraPrice left at
// zero is the sum of its parts' extra prices. It returns the stored product
// with its combinations.
func (s *Server) AddProduct(p ccvshop.Product, combos ...ccvshop.AttributeCombination) (ccvshop.Product, []ccvshop.AttributeCombination) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stored := s.insertProduct(p)
	out := make([]ccvshop.AttributeCombination, 0, len(combos))
	for _, c := range combos {
		out = append(out, s.insertCombination(stored, c))
	}
	if len(combos) > 0 {
		stored.Stocktype = StockTypeCombination
	}
	return *stored, out
}

// Product returns a stored product.
func (s *Server) Product(id int64) (ccvshop.Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[id]
	if !ok {
		return ccvshop.Product{}, false
	}
	return *p, true
}

// Combinations returns a product's stored attribute combinations.
func (s *Server) Combinations(productID int64) []ccvshop.AttributeCombination {
	s.mu.Lock()
	defer s.mu.Unlock()
	return collect(s.combosBy[productID], s.combos)
}

// ProductCount returns the number of products.
func (s *Server) ProductCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.products)
}

// SetStock sets the stock of the product or combination whose productnumber
// or sku_number is sku, bypassing HTTP. It reports whether sku exists.
func (s *Server) SetStock(sku string, qty decimal.Decimal) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.productIDs {
		if p := s.products[id]; p.Productnumber == sku {
			p.Stock, p.Stockenabled = num(qty), true
			return true
		}
	}
	for _, c := range s.combos {
		if c.SkuNumber == sku {
			c.Stock = num(qty)
			if p := s.products[int64(c.ProductID)]; p != nil {
				p.Stockenabled = true
			}
			return true
		}
	}
	return false
}

// ReserveStock seeds a reservation of qty of sku: an order in status 14
// (Reserved) with one row for it, as the ccvshop connector reads reserved
// stock. The product's own stock figure is left as it is.
func (s *Server) ReserveStock(sku string, qty decimal.Decimal) ccvshop.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	row := ccvshop.OrderRow{ProductNumber: sku, ProductName: sku, Count: num(qty)}
	for _, id := range s.productIDs {
		if p := s.products[id]; p.Productnumber == sku {
			row.ProductID, row.ProductName, row.Price = p.ID, p.Name, p.Price
		}
	}
	for _, c := range s.combos {
		if c.SkuNumber == sku {
			p := s.products[int64(c.ProductID)]
			row.ProductID, row.ProductName, row.Price, row.SubSkuNumber = p.ID, p.Name, p.Price, sku
			row.ProductNumber = p.Productnumber
		}
	}
	return s.insertOrder(ccvshop.Order{Status: ccvshop.StatusReserved}, []ccvshop.OrderRow{row}, true)
}

func (s *Server) insertProduct(p ccvshop.Product) *ccvshop.Product {
	id := s.useID(int64(p.ID))
	p.ID = verto.Int(id)
	p.Href = s.link("products/%d/", id)
	now := s.stamp()
	if p.Createdate == "" {
		p.Createdate = now
	}
	if p.Modifydate == "" {
		p.Modifydate = p.Createdate
	}
	if p.Package == nil {
		p.Package = &ccvshop.Ref{ID: DefaultPackageID}
	}
	p.Package.Href = s.link("packages/%d/", int64(p.Package.ID))
	if p.Stocktype == "" {
		p.Stocktype = StockTypeProduct
	}
	if p.Taxtariff == "" {
		p.Taxtariff = "normal"
	}
	if p.Vatrate.IsZero() && p.Taxtariff == "normal" {
		p.Vatrate = verto.MustNum("21")
	}
	if p.Deeplink == "" {
		p.Deeplink = s.URL() + "/" + slug(p.Name) + ".html"
	}
	for _, l := range []struct {
		dst  **ccvshop.Link
		name string
	}{{&p.Productlabels, "productlabels"}, {&p.Productvariations, "productvariations"}, {&p.Productvideos, "productvideos"},
		{&p.Producttaxtariffexceptions, "producttaxtariffexceptions"}, {&p.Productattachments, "productattachments"},
		{&p.Productkeywords, "productkeywords"}, {&p.Productrelevant, "productrelevant"},
		{&p.Productattributesets, "productattributesets"}, {&p.Productstaggeredprices, "productstaggeredprices"},
		{&p.Productreviews, "productreviews"}, {&p.Webshops, "webshops"}, {&p.Producttopropertygroups, "producttopropertygroups"}} {
		*l.dst = &ccvshop.Link{Href: s.link("products/%d/%s/", id, l.name)}
	}
	// Expandable children are filled on read.
	p.Productphotos, p.Producttocategories, p.Attributecombinations = nil, nil, nil
	stored := p
	s.products[id] = &stored
	s.productIDs = insertID(s.productIDs, id)
	return &stored
}

func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// attributeByName finds or creates an attribute.
func (s *Server) attributeByName(name string) *ccvshop.Attribute {
	for _, id := range s.attrIDs {
		if a := s.attrs[id]; strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return s.insertAttribute(ccvshop.AttributeInput{Name: name, Type: ccvshop.AttributeTypeOptionMenu})
}

func (s *Server) insertAttribute(in ccvshop.AttributeInput) *ccvshop.Attribute {
	id := s.id()
	a := &ccvshop.Attribute{ID: verto.Int(id), Href: s.link("attributes/%d/", id), Name: in.Name, Type: in.Type,
		AttributeType: 1, AttributeValues: &ccvshop.Link{Href: s.link("attributes/%d/attributevalues/", id)}}
	s.attrs[id] = a
	s.attrIDs = insertID(s.attrIDs, id)
	return a
}

// valueByName finds or creates a value of an attribute.
func (s *Server) valueByName(attr *ccvshop.Attribute, name string, price verto.Number) *ccvshop.AttributeValue {
	for _, id := range s.valuesBy[int64(attr.ID)] {
		if v := s.values[id]; strings.EqualFold(v.Name, name) {
			return v
		}
	}
	return s.insertValue(attr, ccvshop.AttributeValueInput{Name: name, DefaultPrice: price})
}

func (s *Server) insertValue(attr *ccvshop.Attribute, in ccvshop.AttributeValueInput) *ccvshop.AttributeValue {
	id := s.id()
	v := &ccvshop.AttributeValue{ID: verto.Int(id), Href: s.link("attributevalues/%d/", id), Name: in.Name,
		DefaultPrice: in.DefaultPrice, AttributeID: attr.ID}
	s.values[id] = v
	s.valuesBy[int64(attr.ID)] = append(s.valuesBy[int64(attr.ID)], id)
	return v
}

// pavFor finds or creates the product attribute value of value on product.
func (s *Server) pavFor(p *ccvshop.Product, v *ccvshop.AttributeValue, price verto.Number) *ccvshop.ProductAttributeValue {
	for _, id := range s.pavsBy[int64(p.ID)] {
		if pv := s.pavs[id]; pv.OptionvalueID == v.ID {
			return pv
		}
	}
	a := s.attrs[int64(v.AttributeID)]
	id := s.id()
	pv := &ccvshop.ProductAttributeValue{ID: verto.Int(id), Href: s.link("productattributevalues/%d/", id),
		Optionid: a.ID, Optionname: a.Name, Optionposition: verto.Int(s.attrPosition(p, a)),
		OptionvalueID: v.ID, OptionvalueName: v.Name, Position: verto.Int(len(s.pavsBy[int64(p.ID)]) + 1),
		Price: price, Enable: true}
	s.pavs[id] = pv
	s.pavsBy[int64(p.ID)] = append(s.pavsBy[int64(p.ID)], id)
	return pv
}

// attrPosition is the 1-based position of attribute a among p's attributes.
func (s *Server) attrPosition(p *ccvshop.Product, a *ccvshop.Attribute) int {
	seen := map[verto.Int]bool{}
	for _, id := range s.pavsBy[int64(p.ID)] {
		pv := s.pavs[id]
		if pv.Optionid == a.ID {
			return int(pv.Optionposition)
		}
		seen[pv.Optionid] = true
	}
	return len(seen) + 1
}

// insertCombination stores a seeded combination, creating the attributes,
// values and product attribute values its parts name.
func (s *Server) insertCombination(p *ccvshop.Product, c ccvshop.AttributeCombination) ccvshop.AttributeCombination {
	extra := decimal.Zero
	for i, part := range c.Combination {
		a := s.attributeByName(part.Attribute.Name)
		v := s.valueByName(a, part.AttributeValue.Name, verto.Number{})
		s.pavFor(p, v, part.ExtraPrice)
		c.Combination[i].Attribute = ccvshop.NamedRef{ID: a.ID, Name: a.Name, Href: a.Href}
		c.Combination[i].AttributeValue = ccvshop.NamedRef{ID: v.ID, Name: v.Name, Href: v.Href}
		extra = extra.Add(part.ExtraPrice.Decimal)
	}
	if c.NettoExtraPrice.IsZero() {
		c.NettoExtraPrice = num(extra)
	}
	return *s.storeCombination(p, c)
}

func (s *Server) storeCombination(p *ccvshop.Product, c ccvshop.AttributeCombination) *ccvshop.AttributeCombination {
	id := s.useID(int64(c.ID))
	c.ID, c.ProductID = verto.Int(id), p.ID
	c.Href = s.link("attributecombinations/%d/", id)
	c.Parent = &ccvshop.Link{Href: p.Href}
	c.Attributecombinationphotos = &ccvshop.Link{Href: s.link("attributecombinations/%d/attributecombinationphotos/", id)}
	c.Attributes = &ccvshop.Link{Href: s.link("attributecombinations/%d/attributes/", id)}
	c.Attributevalues = &ccvshop.Link{Href: s.link("attributecombinations/%d/attributevalues/", id)}
	if c.OrderingWithoutStock == "" {
		c.OrderingWithoutStock = "global_setting"
	}
	if c.Note == "" {
		names := make([]string, 0, len(c.Combination))
		for _, part := range c.Combination {
			names = append(names, part.AttributeValue.Name)
		}
		c.Note = strings.Join(names, " / ")
	}
	stored := c
	s.combos[id] = &stored
	s.combosBy[int64(p.ID)] = append(s.combosBy[int64(p.ID)], id)
	return &stored
}

// regenerate rebuilds a product's combinations from its product attribute
// values: every choice of one value per attribute is a combination. Existing
// combinations keep their id, stock and numbers; new ones start with stock.
func (s *Server) regenerate(p *ccvshop.Product, stock verto.Number) {
	var attrOrder []verto.Int
	byAttr := map[verto.Int][]*ccvshop.ProductAttributeValue{}
	for _, id := range s.pavsBy[int64(p.ID)] {
		pv := s.pavs[id]
		if _, ok := byAttr[pv.Optionid]; !ok {
			attrOrder = append(attrOrder, pv.Optionid)
		}
		byAttr[pv.Optionid] = append(byAttr[pv.Optionid], pv)
	}
	existing := map[string]*ccvshop.AttributeCombination{}
	for _, id := range s.combosBy[int64(p.ID)] {
		existing[comboKey(s.combos[id].Combination)] = s.combos[id]
	}
	var keep []int64
	var walk func(i int, parts []ccvshop.CombinationPart)
	walk = func(i int, parts []ccvshop.CombinationPart) {
		if i == len(attrOrder) {
			if len(parts) == 0 {
				return
			}
			cp := append([]ccvshop.CombinationPart(nil), parts...)
			extra := decimal.Zero
			for _, part := range cp {
				extra = extra.Add(part.ExtraPrice.Decimal)
			}
			if c, ok := existing[comboKey(cp)]; ok {
				c.Combination, c.NettoExtraPrice = cp, num(extra)
				keep = append(keep, int64(c.ID))
				delete(existing, comboKey(cp))
				return
			}
			c := s.storeCombination(p, ccvshop.AttributeCombination{Combination: cp, NettoExtraPrice: num(extra),
				Stock: stock, Active: true})
			keep = append(keep, int64(c.ID))
			return
		}
		for _, pv := range byAttr[attrOrder[i]] {
			a, v := s.attrs[int64(pv.Optionid)], s.values[int64(pv.OptionvalueID)]
			walk(i+1, append(parts, ccvshop.CombinationPart{
				Attribute:      ccvshop.NamedRef{ID: a.ID, Name: a.Name, Href: a.Href},
				AttributeValue: ccvshop.NamedRef{ID: v.ID, Name: v.Name, Href: v.Href},
				ExtraPrice:     pv.Price}))
		}
	}
	walk(0, nil)
	for _, c := range existing {
		delete(s.combos, int64(c.ID))
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i] < keep[j] })
	s.combosBy[int64(p.ID)] = keep
	if len(keep) > 0 {
		p.Stocktype = StockTypeCombination
	} else {
		p.Stocktype = StockTypeProduct
	}
	p.Modifydate = s.stamp()
}

func comboKey(parts []ccvshop.CombinationPart) string {
	ids := make([]string, 0, len(parts))
	for _, p := range parts {
		ids = append(ids, fmt.Sprint(int64(p.AttributeValue.ID)))
	}
	sort.Strings(ids)
	return strings.Join(ids, ",")
}

// view returns a product as the API shows it, with the requested
// sub-collections expanded.
func (s *Server) view(p *ccvshop.Product, expand map[string]bool) ccvshop.Product {
	out := *p
	id := int64(p.ID)
	out.Attributecombinations = &ccvshop.Expandable[ccvshop.AttributeCombination]{Href: s.link("products/%d/attributecombinations/", id)}
	out.Producttocategories = &ccvshop.Expandable[ccvshop.ProductToCategory]{Href: s.link("products/%d/producttocategories/", id)}
	out.Productphotos = &ccvshop.Expandable[ccvshop.ProductPhoto]{Href: s.link("products/%d/productphotos/", id)}
	if expand["attributecombinations"] {
		out.Attributecombinations.Collection = []ccvshop.AttributeCombination{}
		for _, cid := range s.combosBy[id] {
			out.Attributecombinations.Collection = append(out.Attributecombinations.Collection, *s.combos[cid])
		}
	}
	if expand["producttocategories"] {
		out.Producttocategories.Collection = []ccvshop.ProductToCategory{}
		for _, lid := range s.p2cIDs {
			if l := s.p2c[lid]; int64(l.ProductID) == id {
				out.Producttocategories.Collection = append(out.Producttocategories.Collection, *l)
			}
		}
	}
	if expand["productphotos"] {
		out.Productphotos.Collection = []ccvshop.ProductPhoto{}
		for _, ph := range s.photosBy[id] {
			out.Productphotos.Collection = append(out.Productphotos.Collection, *s.photos[ph])
		}
	}
	for _, ph := range s.photosBy[id] {
		if s.photos[ph].IsMainphoto {
			out.Productmainphoto = s.photos[ph].Deeplink
		}
	}
	return out
}

// productExpands are the expand names GET /products/ accepts.
var productExpands = map[string]bool{
	"attributecombinations": true, "productattachments": true, "productattributesets": true, "productkeywords": true,
	"productphotos": true, "productrelevant": true, "productreviews": true, "productshippingcosts": true,
	"productstaggeredprices": true, "producttaxtariffexceptions": true, "producttocategories": true,
	"producttopropertygroups": true, "productvariants": true, "productvideos": true,
}

func parseExpand(r *request) (map[string]bool, *reply) {
	out := map[string]bool{}
	v := r.URL.Query().Get("expand")
	if v == "" {
		return out, nil
	}
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if !productExpands[name] {
			rep := invalid("expand %q is not an expandable child of products", name)
			return nil, &rep
		}
		out[name] = true
	}
	return out, nil
}
