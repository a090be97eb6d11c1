package flow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/tradelink/tradelink/connector"
	"github.com/tradelink/tradelink/mapping"
)

// cmpOpts compare records as a sink sees them: decimals by value (1.50 ==
// 1.5) and nil like empty slices and maps.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b decimal.NullDecimal) bool {
		return a.Valid == b.Valid && (!a.Valid || a.Decimal.Equal(b.Decimal))
	}),
	cmpopts.EquateEmpty(),
	// Change stamps are each system's own; they never make records differ.
	cmpopts.IgnoreFields(connector.Customer{}, "UpdatedAt", "Cursor"),
	cmpopts.IgnoreFields(connector.Product{}, "UpdatedAt", "Cursor"),
	cmpopts.IgnoreFields(connector.Order{}, "UpdatedAt", "Cursor"),
	cmpopts.IgnoreFields(connector.StockLevel{}, "UpdatedAt"),
}

func equal(a, b any) bool { return cmp.Equal(a, b, cmpOpts) }

// diff is the field-level difference from a to b in go-cmp's format.
func diff(a, b any) string { return cmp.Diff(a, b, cmpOpts) }

// pathReporter collects the paths of the fields that differ.
type pathReporter struct {
	path  cmp.Path
	paths []string
}

func (r *pathReporter) PushStep(ps cmp.PathStep) { r.path = append(r.path, ps) }
func (r *pathReporter) PopStep()                 { r.path = r.path[:len(r.path)-1] }
func (r *pathReporter) Report(rs cmp.Result) {
	if rs.Equal() {
		return
	}
	var b strings.Builder
	for _, s := range r.path[1:] {
		switch s := s.(type) {
		case cmp.StructField:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name())
		case cmp.SliceIndex:
			if k, _ := s.SplitKeys(); k >= 0 {
				b.WriteString("[" + strconv.Itoa(k) + "]")
			} else {
				b.WriteString("[]")
			}
		case cmp.MapIndex:
			b.WriteString("[" + toString(s.Key()) + "]")
		}
	}
	p := b.String()
	if len(r.paths) == 0 || r.paths[len(r.paths)-1] != p {
		r.paths = append(r.paths, p)
	}
}

// changedFields lists the paths of the fields that differ from a to b.
func changedFields(a, b any) []string {
	var r pathReporter
	cmp.Equal(a, b, cmpOpts, cmp.Reporter(&r))
	return r.paths
}

func toString(v reflect.Value) string {
	if v.Kind() == reflect.String {
		return v.String()
	}
	return v.Type().String()
}

// fingerprintOf hashes a mapping, so that changing the mapping makes every
// record differ from its stored hash and sync again.
func fingerprintOf(m *mapping.Mapping) string {
	b, _ := json.Marshal(m)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// contentHash hashes a source record together with the mapping's
// fingerprint. Records are plain data, so their JSON form is stable.
func contentHash(fingerprint string, v any) string {
	h := sha256.New()
	h.Write([]byte(fingerprint))
	_ = json.NewEncoder(h).Encode(v)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// keyOf turns personal data used as a key (an e-mail address) into an
// opaque one, so the store never holds it.
func keyOf(s string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(s))))
	return hex.EncodeToString(sum[:12])
}

// unchanged reports whether the record was synced before with this exact
// content, and the sink ID it is linked to.
func unchanged(ctx context.Context, o *Options, scope, key, hash string) (string, bool) {
	old, ok, err := o.Store.Hash(ctx, scope, key)
	if err != nil || !ok || old != hash {
		return "", false
	}
	id, ok, err := o.Store.Link(ctx, scope, key)
	return id, err == nil && ok
}

// linkHasher is implemented by stores that write a link and a content hash
// in one step (one transaction for SQLStore).
type linkHasher interface {
	SetLinkAndHash(ctx context.Context, scope, key, sinkID, hash string) error
}

// remember stores the link and the content hash after a successful sync.
func remember(ctx context.Context, o *Options, scope, key, sinkID, hash string) error {
	bg := context.WithoutCancel(ctx)
	if lh, ok := o.Store.(linkHasher); ok {
		return lh.SetLinkAndHash(bg, scope, key, sinkID, hash)
	}
	if err := o.Store.SetLink(bg, scope, key, sinkID); err != nil {
		return err
	}
	return o.Store.SetHash(bg, scope, key, hash)
}
