package mpluskassa

import (
	"context"
	"fmt"
	"iter"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
)

// Products and articles. A MplusKASSA product groups articles; the canonical
// model maps it so:
//
//   - a product with one article is a simple product whose SKU is the
//     article number;
//   - a product with several articles is a configurable product whose SKU
//     is the product number, with one variant per article (variant SKU =
//     article number) varying by the attributes "Colour" and "Size" — the
//     only axes an article has;
//   - Product.ID is the product number in both cases.
//
// Custom fields carry the article's pluNumber (its free-text code),
// turnoverGroup and vatCode, read and written.

// Names of the attributes an article varies by, and the custom fields the
// adapter reads and writes.
const (
	AttrColour         = "Colour"
	AttrSize           = "Size"
	FieldPluNumber     = "pluNumber"
	FieldTurnoverGroup = "turnoverGroup"
	FieldVatCode       = "vatCode"
)

// Products streams every product by sync marker. q.Cursor (a product's
// Cursor, its sync marker) resumes inclusively; without it q.UpdatedSince
// selects products changed since then (changedSinceTimestamp with the
// booking branch, still paged by sync marker).
//
// UNCONFIRMED: the vendor recommends sync markers over
// changedSinceTimestamp and the legacy client never sends both; that the
// server applies the two together is assumed. Prefer the cursor.
func (k *Connector) Products(ctx context.Context, q connector.ProductQuery) iter.Seq2[connector.Product, error] {
	req := GetProductsRequest{SyncMarkerLimit: Ptr(k.pageSize(q.PageSize))}
	m, err := cursorOf("product query", q.Cursor, "sync marker")
	switch {
	case err != nil:
		return failed[connector.Product](err)
	case m != nil:
		req.SyncMarker = m
	case !q.UpdatedSince.IsZero():
		req.ChangedSinceTimestamp = Ptr(NewDateTime(q.UpdatedSince))
		req.ChangedSinceBranchNumber = Ptr(k.cfg.BranchNumber)
	}
	return convert(k.c.Products.All(ctx, req), k.toProduct, nil)
}

// pageSize is the syncMarkerLimit for a query's page size.
func (k *Connector) pageSize(n int) int {
	if n > 0 {
		return n
	}
	return k.cfg.PageSize
}

// FindProductBySKU implements connector.ProductSink: the simple product
// whose article number is sku, the configurable product one of whose
// articles (variants) has that number, or the configurable product whose
// product number is sku. A SKU that cannot be
// an article number ("SKU-1", "00123") names no product: connector.ErrNotFound
// without a call.
func (k *Connector) FindProductBySKU(ctx context.Context, sku string) (connector.Product, error) {
	n, ok := parseNumber(sku)
	if !ok {
		return connector.Product{}, fmt.Errorf("%s: product with SKU %q (not a MplusKASSA article number): %w", SystemName, sku, connector.ErrNotFound)
	}
	ps, err := k.c.Products.GetProducts(ctx, GetProductsRequest{ArticleNumbers: []int64{n}, IncludeAllArticlesOfSelectedProducts: Ptr(true)})
	if err != nil {
		return connector.Product{}, err
	}
	for _, p := range ps {
		for _, a := range p.Articles() {
			if val(a.ArticleNumber) == n {
				return k.toProduct(p) // a simple product, or the configurable one of a variant
			}
		}
	}
	ps, err = k.c.Products.GetProducts(ctx, GetProductsRequest{ProductNumbers: []int64{n}, IncludeAllArticlesOfSelectedProducts: Ptr(true)})
	if err != nil {
		return connector.Product{}, err
	}
	for _, p := range ps {
		if val(p.ProductNumber) == n && len(p.Articles()) > 1 {
			return k.toProduct(p)
		}
	}
	return connector.Product{}, fmt.Errorf("%s: product with SKU %q: %w", SystemName, sku, connector.ErrNotFound)
}

// CreateProduct creates p as a product with one article (simple) or one
// article per variant (configurable) and returns it with its product and
// article numbers as IDs.
func (k *Connector) CreateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	w, err := k.toWireProduct(ctx, p)
	if err != nil {
		return connector.Product{}, err
	}
	resp, err := k.c.Products.CreateProduct(ctx, w)
	if err != nil {
		return connector.Product{}, err
	}
	return withIDs(p, resp.ProductNumber), nil
}

// UpdateProduct writes p over the product with number p.ID. Only fields the
// canonical product carries are written; empty texts and a zero cost price
// are not, so the back office's values stay. A SKU the product does not have
// yet is added as a new article. An unknown ID is connector.ErrNotFound.
func (k *Connector) UpdateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	id, err := numberField("product "+strconv.Quote(p.SKU), "ID", p.ID, "the product ID (a MplusKASSA product number)")
	if err != nil {
		return connector.Product{}, err
	}
	w, err := k.toWireProduct(ctx, p)
	if err != nil {
		return connector.Product{}, err
	}
	w.ProductNumber = &id
	if _, err := k.c.Products.UpdateProduct(ctx, w); err != nil {
		return connector.Product{}, err
	}
	return withIDs(p, id), nil
}

// withIDs sets the product number as ID and the article numbers (the
// variant SKUs) as variant IDs.
func withIDs(p connector.Product, productNumber int64) connector.Product {
	p.ID = format(productNumber)
	p.Variants = append([]connector.Variant(nil), p.Variants...)
	for i := range p.Variants {
		p.Variants[i].ID = p.Variants[i].SKU
	}
	return p
}

// toWireProduct validates p and converts it to a wire product (without a
// product number for a simple product).
func (k *Connector) toWireProduct(ctx context.Context, p connector.Product) (Product, error) {
	if err := p.Validate(); err != nil {
		return Product{}, err
	}
	r := rules{record: "product " + strconv.Quote(p.SKU)}
	w := Product{Description: opt(p.Name), ExtraText: opt(p.Description)}
	base := Article{Active: Ptr(p.Active), Unit: opt(p.Unit), ExtraText: opt(p.Description)}
	if p.Currency != "" && p.Currency != k.cfg.Currency {
		r.add("Currency", p.Currency, "the database keeps prices in "+k.cfg.Currency)
	}
	if !p.CostPrice.IsZero() {
		c, err := ToCents(p.CostPrice)
		r.value("CostPrice", p.CostPrice.String(), err)
		base.PurchasePrice = &c
	}
	if p.Stock != nil {
		base.StockArticle = Ptr(p.Stock.Managed)
	}
	tg, err := k.turnoverGroup(r.record, p.CustomFields)
	_ = r.merge(err)
	base.TurnoverGroup = tg
	code, err := k.vatCode(ctx, r.record, "TaxRate", p.TaxRate)
	if err := r.merge(err); err != nil {
		return Product{}, err // the VAT groups could not be read
	}
	base.VatCode = &code
	price := func(field string, d decimal.Decimal, a *Article) {
		c, err := ToCents(d)
		r.value(field, d.String(), err)
		if p.PriceIncludesTax {
			a.PriceIncl = &c
		} else {
			a.PriceExcl = &c
		}
	}
	switch p.Type {
	case "", connector.ProductSimple:
		n, err := skuField(r.record, "SKU", p.SKU)
		_ = r.merge(err)
		a := base
		a.ArticleNumber = &n
		a.Description = opt(p.Name)
		a.Barcode = opt(p.EAN)
		a.PluNumber = opt(p.CustomFields[FieldPluNumber])
		price("Price", p.Price, &a)
		w.ArticleList = &ArticleList{Article: []Article{a}}
	case connector.ProductConfigurable:
		n, err := numberField(r.record, "SKU", p.SKU, "the SKU of a configurable product is its MplusKASSA product number and")
		_ = r.merge(err)
		w.ProductNumber = &n
		if len(p.Variants) == 0 {
			r.add("Variants", "", "a configurable product needs at least one variant")
		}
		w.ArticleList = &ArticleList{}
		for i, v := range p.Variants {
			f := fmt.Sprintf("Variants[%d]", i)
			an, err := skuField(r.record, f+".SKU", v.SKU)
			_ = r.merge(err)
			a := base
			a.ArticleNumber = &an
			a.Active = Ptr(v.Active)
			a.Barcode = opt(v.EAN)
			var values []string
			for j, av := range v.Attributes {
				switch attrAxis(av.Name) {
				case AttrColour:
					a.Colour = opt(av.Value)
				case AttrSize:
					a.Size = opt(av.Value)
				default:
					r.add(fmt.Sprintf("%s.Attributes[%d].Name", f, j), av.Name, "MplusKASSA articles vary only by colour and size")
				}
				values = append(values, av.Value)
			}
			a.Description = opt(strings.TrimSpace(p.Name + " " + strings.Join(values, " ")))
			if v.Price.Valid {
				price(f+".Price", v.Price.Decimal, &a)
			} else {
				price("Price", p.Price, &a)
			}
			if v.Stock != nil {
				a.StockArticle = Ptr(v.Stock.Managed)
			}
			w.ArticleList.Article = append(w.ArticleList.Article, a)
		}
	default:
		r.add("Type", string(p.Type), "MplusKASSA has simple products and products with variants only")
	}
	if err := r.err(); err != nil {
		return Product{}, err
	}
	return w, nil
}

// attrAxis maps an attribute name to the article field it is stored in.
func attrAxis(name string) string {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "colour", "color", "kleur", "farbe":
		return AttrColour
	case "size", "maat", "größe", "grösse":
		return AttrSize
	}
	return ""
}

// turnoverGroup reads the "turnoverGroup" custom field, else the
// configured default (zero: none).
func (k *Connector) turnoverGroup(rec string, cf map[string]string) (*int, error) {
	s, ok := cf[FieldTurnoverGroup]
	if !ok || s == "" {
		if k.cfg.TurnoverGroup == 0 {
			return nil, nil
		}
		return Ptr(k.cfg.TurnoverGroup), nil
	}
	g, err := strconv.Atoi(s)
	field := "CustomFields[" + FieldTurnoverGroup + "]"
	if err != nil {
		return nil, &connector.ValidationError{Record: rec, Field: field, Value: s, Reason: "is not a number"}
	}
	r := rules{record: rec}
	r.turnoverGroup(field, &g)
	if err := r.err(); err != nil {
		return nil, err
	}
	return &g, nil
}

// toProduct converts a wire product to the canonical model.
func (k *Connector) toProduct(p Product) (connector.Product, error) {
	rec := "product " + format(val(p.ProductNumber))
	arts := p.Articles()
	if p.ProductNumber == nil {
		return connector.Product{}, &connector.ValidationError{Record: "product", Field: "productNumber", Reason: "is missing"}
	}
	if len(arts) == 0 {
		return connector.Product{}, &connector.ValidationError{Record: rec, Field: "articleList", Reason: "the product has no articles"}
	}
	for i, a := range arts {
		if a.ArticleNumber == nil {
			return connector.Product{}, &connector.ValidationError{Record: rec, Field: fmt.Sprintf("articleList.article[%d].articleNumber", i), Reason: "is missing"}
		}
	}
	first := arts[0]
	cp := connector.Product{
		ID:          format(*p.ProductNumber),
		Name:        firstNonEmpty(val(p.Description), val(first.Description)),
		Description: firstNonEmpty(val(p.ExtraText), val(first.ExtraText)),
		Currency:    k.cfg.Currency,
		Unit:        val(first.Unit),
		Active:      val(first.Active),
		TaxRate:     VATPercentage(val(first.VatPercentage)),
		CostPrice:   FromCents(val(first.PurchasePrice)),
	}
	if p.SyncMarker != nil {
		cp.Cursor = format(*p.SyncMarker)
	}
	cp.Price, cp.PriceIncludesTax = articlePrice(first)
	var err error
	if cp.UpdatedAt, err = timeOf(rec, "articleList.article[0].changeTimestamp", first.ChangeTimestamp); err != nil {
		return connector.Product{}, err
	}
	if len(arts) == 1 {
		cp.Type = connector.ProductSimple
		cp.SKU = format(*first.ArticleNumber)
		cp.Name = firstNonEmpty(val(first.Description), val(p.Description))
		cp.EAN = val(first.Barcode)
		cp.CustomFields = articleFields(first)
		return cp, nil
	}
	cp.Type = connector.ProductConfigurable
	cp.SKU = format(*p.ProductNumber)
	axes := map[string][]string{}
	addValue := func(axis, v string) {
		for _, x := range axes[axis] {
			if x == v {
				return
			}
		}
		axes[axis] = append(axes[axis], v)
	}
	for _, a := range arts {
		v := connector.Variant{ID: format(*a.ArticleNumber), SKU: format(*a.ArticleNumber), EAN: val(a.Barcode), Active: val(a.Active)}
		if price, incl := articlePrice(a); incl == cp.PriceIncludesTax {
			v.Price = decimal.NewNullDecimal(price)
		}
		if c := val(a.Colour); c != "" {
			v.Attributes = append(v.Attributes, connector.AttributeValue{Name: AttrColour, Value: c})
			addValue(AttrColour, c)
		}
		if s := val(a.Size); s != "" {
			v.Attributes = append(v.Attributes, connector.AttributeValue{Name: AttrSize, Value: s})
			addValue(AttrSize, s)
		}
		cp.Variants = append(cp.Variants, v)
	}
	names := make([]string, 0, len(axes))
	for n := range axes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cp.Attributes = append(cp.Attributes, connector.Attribute{Name: n, Values: axes[n]})
	}
	return cp, nil
}

// articlePrice is the article's selling price, including VAT when the
// article has priceIncl.
func articlePrice(a Article) (decimal.Decimal, bool) {
	if a.PriceIncl != nil {
		return FromCents(*a.PriceIncl), true
	}
	return FromCents(val(a.PriceExcl)), false
}

// articleFields are the custom fields a simple product carries.
func articleFields(a Article) map[string]string {
	m := map[string]string{}
	if a.PluNumber != nil && *a.PluNumber != "" {
		m[FieldPluNumber] = *a.PluNumber
	}
	if a.TurnoverGroup != nil {
		m[FieldTurnoverGroup] = strconv.Itoa(*a.TurnoverGroup)
	}
	if a.VatCode != nil {
		m[FieldVatCode] = strconv.Itoa(*a.VatCode)
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
