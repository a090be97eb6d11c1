package demo

import (
	"context"
	"iter"
	"slices"
	"strings"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mpluskassa"
)

// POSAxes renames the variant axes of a Dutch web shop to the two axes a
// MplusKASSA article has. MplusKASSA reads a product's variants back as
// "Colour" and "Size" whatever the shop called them, so a product flow that
// compares the shop's "Maat" with the POS's "Size" would see a change that
// is none (and -plan would print it). A mapping rule cannot rename them:
// expr's map() yields []interface{}, not []connector.AttributeValue, so the
// renaming happens on the source stream instead (PairConfig.Axes). Keys
// match case-insensitively.
var POSAxes = map[string]string{
	"Maat": mpluskassa.AttrSize, "Size": mpluskassa.AttrSize, "Grootte": mpluskassa.AttrSize,
	"Kleur": mpluskassa.AttrColour, "Color": mpluskassa.AttrColour, "Colour": mpluskassa.AttrColour,
}

// renameAxes is a ProductSource whose products have their attribute names
// renamed by names (case-insensitive keys).
type renameAxes struct {
	connector.ProductSource
	names map[string]string
}

// RenameAxes returns src with the names of every product attribute and
// variant attribute replaced as names says; names not in it are kept.
func RenameAxes(src connector.ProductSource, names map[string]string) connector.ProductSource {
	lower := make(map[string]string, len(names))
	for k, v := range names {
		lower[strings.ToLower(strings.TrimSpace(k))] = v
	}
	return renameAxes{ProductSource: src, names: lower}
}

// Products streams the source's products with renamed axes.
func (r renameAxes) Products(ctx context.Context, q connector.ProductQuery) iter.Seq2[connector.Product, error] {
	return func(yield func(connector.Product, error) bool) {
		for p, err := range r.ProductSource.Products(ctx, q) {
			if err == nil {
				p = r.rename(p)
			}
			if !yield(p, err) {
				return
			}
		}
	}
}

func (r renameAxes) name(n string) string {
	if to, ok := r.names[strings.ToLower(strings.TrimSpace(n))]; ok {
		return to
	}
	return n
}

// rename copies the slices it changes: the source may share them.
func (r renameAxes) rename(p connector.Product) connector.Product {
	p.Attributes = renamed(p.Attributes, func(a *connector.Attribute) *string { return &a.Name }, r.name)
	p.Variants = slices.Clone(p.Variants)
	for i := range p.Variants {
		p.Variants[i].Attributes = renamed(p.Variants[i].Attributes, func(a *connector.AttributeValue) *string { return &a.Name }, r.name)
	}
	return p
}

// renamed returns a copy of xs with the name of each element (the string
// name points to) passed through rename.
func renamed[T any](xs []T, name func(*T) *string, rename func(string) string) []T {
	out := slices.Clone(xs)
	for i := range out {
		n := name(&out[i])
		*n = rename(*n)
	}
	return out
}
