package demo

import (
	"context"
	"iter"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tradelink/tradelink/connector"
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
	if cfg.Defaults != ShopToPOS || cfg.Axes == nil || cfg.SKUs != nil {
		t.Errorf("MplusKASSA: %+v", cfg)
	}
	own := Mappings{Order: ShopToBooks.Order}
	cfg = PairConfig{Defaults: own}
	cfg.ForSink(pos)
	if cfg.Defaults != own {
		t.Error("ForSink replaced the defaults already set")
	}
}
