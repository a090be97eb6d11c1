package eaccounting

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/tradelink/tradelink/connector"
)

// Products implements connector.ProductSource: every article, or those
// changed at or after q.UpdatedSince (ChangedUtc). Prices are net
// (PriceIncludesTax false) in the company's currency; TaxCode is the
// article's coding id and RevenueAccount the coding's domestic account.
func (cn *Connector) Products(ctx context.Context, q connector.ProductQuery) iter.Seq2[connector.Product, error] {
	opts := ListOptions{PageSize: cn.pageSize(q.PageSize)}
	match := func(*Article) bool { return true }
	if !q.UpdatedSince.IsZero() {
		opts.Filter = Ge("ChangedUtc", q.UpdatedSince)
		match = func(a *Article) bool { return changedSince(a.ChangedUtc, q.UpdatedSince) }
	}
	return func(yield func(connector.Product, error) bool) {
		for a, err := range filtered(ctx, cn.c, "articles", "articles ChangedUtc", opts, match) {
			var p connector.Product
			if err == nil {
				p, err = cn.productFromWire(ctx, &a)
			}
			if err != nil {
				yield(connector.Product{}, err)
				return
			}
			if !yield(p, nil) {
				return
			}
		}
	}
}

// FindProductBySKU implements connector.ProductSink: the article whose
// number is sku exactly.
func (cn *Connector) FindProductBySKU(ctx context.Context, sku string) (connector.Product, error) {
	a, err := cn.c.Articles.FindByNumber(ctx, sku)
	if err != nil {
		return connector.Product{}, err
	}
	if a == nil {
		return connector.Product{}, notFound("article " + strconv.Quote(sku))
	}
	cn.remember(a)
	return cn.productFromWire(ctx, a)
}

// CreateProduct implements connector.ProductSink. A simple product becomes
// one article. eAccounting has no variants: a configurable product becomes
// one article per variant (named after the product and the variant's
// values) and no article for the parent; a grouped product is not
// supported.
func (cn *Connector) CreateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	return cn.writeProduct(ctx, p, true)
}

// UpdateProduct implements connector.ProductSink: read, merge, write.
// Properties the canonical model lacks are kept. A zero CostPrice keeps the
// purchase price, and a product without TaxCode, TaxRate and RevenueAccount
// keeps the article's coding. A configurable product updates (or creates)
// the article of each variant.
func (cn *Connector) UpdateProduct(ctx context.Context, p connector.Product) (connector.Product, error) {
	return cn.writeProduct(ctx, p, false)
}

func (cn *Connector) writeProduct(ctx context.Context, p connector.Product, create bool) (connector.Product, error) {
	if err := cn.checkProduct(p); err != nil {
		return connector.Product{}, err
	}
	if p.Type == connector.ProductConfigurable {
		return cn.writeVariants(ctx, p)
	}
	var (
		a   *Article
		err error
	)
	switch {
	case create:
		w := &Article{IsActive: p.Active}
		if err := cn.applyArticle(ctx, p, w, true); err != nil {
			return connector.Product{}, err
		}
		a, err = cn.c.Articles.Create(ctx, w)
	case !isGUID(p.ID):
		return connector.Product{}, notFound("article " + strconv.Quote(p.ID))
	default:
		a, err = cn.c.Articles.Update(ctx, p.ID, func(w *Article) error { return cn.applyArticle(ctx, p, w, false) })
	}
	if err != nil {
		return connector.Product{}, err
	}
	cn.remember(a)
	return cn.productFromWire(ctx, a)
}

func (cn *Connector) checkProduct(p connector.Product) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Type == connector.ProductGrouped {
		return fmt.Errorf("%s: product %q: grouped products: %w", SystemName, p.SKU, connector.ErrUnsupported)
	}
	return nil
}

// writeVariants creates or updates one article per variant.
func (cn *Connector) writeVariants(ctx context.Context, p connector.Product) (connector.Product, error) {
	out := p
	out.Variants = append([]connector.Variant(nil), p.Variants...)
	for i, v := range p.Variants {
		vp := p
		vp.ID, vp.SKU, vp.Type, vp.Variants, vp.Stock = "", v.SKU, connector.ProductSimple, nil, nil
		vp.Active = p.Active && v.Active
		if v.EAN != "" {
			vp.EAN = v.EAN
		}
		if v.Price.Valid {
			vp.Price = v.Price.Decimal
		}
		vals := make([]string, len(v.Attributes))
		for j, av := range v.Attributes {
			vals[j] = av.Value
		}
		if len(vals) > 0 {
			vp.Name = p.Name + " " + strings.Join(vals, " / ")
		}
		existing, err := cn.articleBySKU(ctx, v.SKU)
		if err != nil {
			return connector.Product{}, err
		}
		if existing != nil {
			vp.ID = existing.id
		}
		written, err := cn.writeProduct(ctx, vp, existing == nil)
		if err != nil {
			return connector.Product{}, fmt.Errorf("variant %d (%s): %w", i, v.SKU, err)
		}
		out.Variants[i].ID = written.ID
	}
	return out, nil
}

// applyArticle writes the canonical fields of p into w. GrossPrice is
// derived from NetPrice and the coding's VAT, as the server demands.
func (cn *Connector) applyArticle(ctx context.Context, p connector.Product, w *Article, create bool) error {
	ck := &checker{record: "product " + strconv.Quote(p.SKU)}
	s, err := cn.settings.get(ctx)
	if err != nil {
		return err
	}
	if p.Currency != "" && !strings.EqualFold(p.Currency, s.CurrencyCode) {
		ck.add("Currency", p.Currency, "article prices are in the company's currency "+s.CurrencyCode)
	}
	var cd *ArticleAccountCoding
	if create || p.TaxCode != "" || !p.TaxRate.IsZero() || p.RevenueAccount != "" {
		cd, err = cn.codingFor(ctx, ck, p.TaxCode, p.TaxRate, p.RevenueAccount)
	} else {
		cd, err = cn.coding(ctx, w.CodingID)
		if err == nil && cd == nil {
			ck.add("TaxCode", "", "the article's coding is unknown; set TaxCode or TaxRate")
		}
	}
	if err != nil {
		return err
	}
	if create || p.Unit != "" {
		if w.UnitID, err = cn.unitFor(ctx, ck, p.Unit); err != nil {
			return err
		}
	}
	ck.max("SKU", p.SKU, 40, false)
	ck.max("Name", p.Name, 50, false)
	if err := ck.err(); err != nil {
		return err
	}
	rate := VATPercent(cd.VatRatePercent)
	net := p.Price.Round(2)
	if p.PriceIncludesTax {
		net = NetPrice(p.Price, rate)
	}
	w.Number, w.Name, w.IsActive, w.CodingID = p.SKU, p.Name, p.Active, cd.ID
	w.NetPrice, w.GrossPrice = Num(net), Num(GrossPrice(net, rate))
	if create || !p.CostPrice.IsZero() {
		w.PurchasePrice = Num(p.CostPrice.Round(2))
	}
	if p.EAN != "" {
		setDefaultBarcode(w, p.EAN)
	}
	return nil
}

// setDefaultBarcode makes ean the article's default barcode (type 0),
// keeping its other barcodes.
func setDefaultBarcode(w *Article, ean string) {
	for i := range w.Barcodes {
		if w.Barcodes[i].BarcodeType == 0 {
			w.Barcodes[i].Barcode = ean
			return
		}
	}
	w.Barcodes = append(w.Barcodes, Barcode{Barcode: ean})
}

// productFromWire converts an article.
func (cn *Connector) productFromWire(ctx context.Context, a *Article) (connector.Product, error) {
	s, err := cn.settings.get(ctx)
	if err != nil {
		return connector.Product{}, err
	}
	cd, err := cn.coding(ctx, a.CodingID)
	if err != nil {
		return connector.Product{}, err
	}
	level := stockFromWire(a)
	p := connector.Product{
		ID: a.ID, SKU: a.Number, Name: a.Name, Price: a.NetPrice.Decimal, CostPrice: a.PurchasePrice.Decimal,
		Currency: s.CurrencyCode, Unit: a.UnitAbbreviation, Type: connector.ProductSimple, Active: a.IsActive,
		TaxCode: a.CodingID, Stock: &level,
	}
	if cd != nil {
		p.TaxRate = VATPercent(cd.VatRatePercent)
		if acct, ok := cd.RevenueAccount(Domestic); ok {
			p.RevenueAccount = strconv.FormatInt(acct, 10)
		}
	}
	for _, b := range a.Barcodes {
		if b.BarcodeType == 0 {
			p.EAN = b.Barcode
		}
	}
	p.UpdatedAt = a.ChangedUtc.Time
	return p, nil
}

// StockLevels implements connector.StockSource from the articles' stock
// balances: on hand is StockBalance, reserved StockBalanceReserved and
// available their difference (see Available). Managed is the article's
// IsStock flag, Location its StockLocationReference. With q.SKUs the
// articles are fetched by number, up to skuBatch per request.
func (cn *Connector) StockLevels(ctx context.Context, q connector.StockQuery) iter.Seq2[connector.StockLevel, error] {
	return func(yield func(connector.StockLevel, error) bool) {
		emit := func(seq iter.Seq2[Article, error]) bool {
			for a, err := range seq {
				if err != nil {
					yield(connector.StockLevel{}, err)
					return false
				}
				if q.Location != "" && a.StockLocationReference != q.Location {
					continue
				}
				if !yield(stockFromWire(&a), nil) {
					return false
				}
			}
			return true
		}
		if len(q.SKUs) == 0 {
			emit(cn.c.Articles.List(ctx, ListOptions{PageSize: cn.cfg.PageSize}))
			return
		}
		for start := 0; start < len(q.SKUs); start += skuBatch {
			batch := q.SKUs[start:min(start+skuBatch, len(q.SKUs))]
			want := make(map[string]bool, len(batch))
			fs := make([]Filter, len(batch))
			for i, sku := range batch {
				want[sku] = true
				fs[i] = EqString("Number", sku)
			}
			match := func(a *Article) bool { return want[a.Number] }
			if !emit(filtered(ctx, cn.c, "articles", "articles Number", ListOptions{Filter: Or(fs...)}, match)) {
				return
			}
		}
	}
}

// skuBatch is how many article numbers one stock request asks for; it keeps
// the URL well below common limits.
const skuBatch = 20

func stockFromWire(a *Article) connector.StockLevel {
	l := connector.StockLevel{
		SKU: a.Number, ProductID: a.ID, OnHand: a.StockBalance.Decimal, Reserved: a.StockBalanceReserved.Decimal,
		Available: Available(a), Managed: a.IsStock, Location: a.StockLocationReference,
	}
	l.UpdatedAt = a.ChangedUtc.Time
	return l
}
