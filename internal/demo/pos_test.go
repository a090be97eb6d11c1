package demo

import (
	"context"
	"errors"
	"iter"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mpluskassa"
	"github.com/tradelink/tradelink/mpluskassa/mpluskassatest"
)

// products is a ProductSource over a slice.
type products []connector.Product

func (products) System() string { return "test" }

func (ps products) Products(context.Context, connector.ProductQuery) iter.Seq2[connector.Product, error] {
	return func(yield func(connector.Product, error) bool) {
		for _, p := range ps {
			if !yield(p, nil) {
				return
			}
		}
	}
}

func TestRenameAxes(t *testing.T) {
	src := products{{SKU: "1", Type: connector.ProductConfigurable,
		Attributes: []connector.Attribute{{Name: "Maat", Values: []string{"S", "M"}}, {Name: "kleur", Values: []string{"Oker"}}, {Name: "Materiaal", Values: []string{"Linnen"}}},
		Variants:   []connector.Variant{{SKU: "11", Attributes: []connector.AttributeValue{{Name: "Maat", Value: "S"}, {Name: " KLEUR ", Value: "Oker"}}}},
	}, {SKU: "2"}}
	var got []connector.Product
	for p, err := range RenameAxes(src, POSAxes).Products(t.Context(), connector.ProductQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p)
	}
	want := []connector.Product{{SKU: "1", Type: connector.ProductConfigurable,
		Attributes: []connector.Attribute{{Name: "Size", Values: []string{"S", "M"}}, {Name: "Colour", Values: []string{"Oker"}}, {Name: "Materiaal", Values: []string{"Linnen"}}},
		Variants:   []connector.Variant{{SKU: "11", Attributes: []connector.AttributeValue{{Name: "Size", Value: "S"}, {Name: "Colour", Value: "Oker"}}}},
	}, {SKU: "2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("renamed (-want +got):\n%s", diff)
	}
	if src[0].Attributes[0].Name != "Maat" || src[0].Variants[0].Attributes[0].Name != "Maat" {
		t.Error("RenameAxes changed the source's slices")
	}
}

func TestRenameAxesStops(t *testing.T) {
	n := 0
	for range RenameAxes(products{{SKU: "1"}, {SKU: "2"}, {SKU: "3"}}, POSAxes).Products(t.Context(), connector.ProductQuery{}) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("read %d products", n)
	}
}

// TestPOSArticles finds simple products, configurable products and the
// articles of variants, which the connector alone does not find.
func TestPOSArticles(t *testing.T) {
	srv := mpluskassatest.New()
	t.Cleanup(srv.Close)
	c, err := mpluskassa.NewClient(srv.URL(), srv.Credentials())
	if err != nil {
		t.Fatal(err)
	}
	k, err := mpluskassa.NewConnector(c, mpluskassa.ConnectorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := k.CreateProduct(ctx, connector.Product{SKU: "500", Name: "Shirt", Type: connector.ProductConfigurable, Price: dec("19.95"),
		PriceIncludesTax: true, TaxRate: dec("21"), Active: true, Variants: []connector.Variant{
			{SKU: "5001", Active: true, Attributes: []connector.AttributeValue{{Name: "Maat", Value: "S"}}},
			{SKU: "5002", Active: true, Attributes: []connector.AttributeValue{{Name: "Maat", Value: "M"}}},
		}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddSimpleProduct(600, "Mok", 995); err != nil {
		t.Fatal(err)
	}
	if _, err := k.FindProductBySKU(ctx, "5002"); !errors.Is(err, connector.ErrNotFound) {
		t.Fatalf("the connector finds a variant's article by itself (%v): POSArticles may no longer be needed", err)
	}
	sink := POSArticles(k)
	for sku, wantType := range map[string]connector.ProductType{"600": connector.ProductSimple, "500": connector.ProductConfigurable, "5002": connector.ProductSimple} {
		p, err := sink.FindProductBySKU(ctx, sku)
		if err != nil || p.SKU != sku || p.ID == "" || p.Type != wantType {
			t.Errorf("FindProductBySKU(%s) = %+v, %v", sku, p, err)
		}
	}
	for _, sku := range []string{"5003", "SKU-1", "0"} {
		if _, err := sink.FindProductBySKU(ctx, sku); !errors.Is(err, connector.ErrNotFound) {
			t.Errorf("FindProductBySKU(%q) = %v, want ErrNotFound", sku, err)
		}
	}
}

// TestForSink sets each sink's adjustments and keeps those already made.
func TestForSink(t *testing.T) {
	fk := StartFakes(Options{Products: 6, Orders: 1}, nil)
	t.Cleanup(fk.Close)
	books, err := fk.BooksConnector()
	if err != nil {
		t.Fatal(err)
	}
	pos, err := fk.POSConnector()
	if err != nil {
		t.Fatal(err)
	}
	var cfg PairConfig
	cfg.ForSink(books)
	if cfg.Defaults != ShopToBooks || cfg.Axes != nil || cfg.SKUs != nil {
		t.Errorf("eAccounting: %+v", cfg)
	}
	cfg = PairConfig{}
	cfg.ForSink(pos)
	if cfg.Defaults != ShopToPOS || cfg.Axes == nil || cfg.SKUs == nil {
		t.Errorf("MplusKASSA: %+v", cfg)
	}
	own := Mappings{Order: ShopToBooks.Order}
	cfg = PairConfig{Defaults: own}
	cfg.ForSink(pos)
	if cfg.Defaults != own {
		t.Error("ForSink replaced the defaults already set")
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
