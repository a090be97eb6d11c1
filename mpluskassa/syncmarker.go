package mpluskassa

import (
	"context"
	"fmt"
	"iter"
)

// DefaultSyncMarkerLimit is the page size (syncMarkerLimit) the streaming
// methods ask for when the request sets none. The server caps pages itself
// too (1000 relations per call).
const DefaultSyncMarkerLimit = 100

// Sync markers (§5 of the notes): every product, relation, employee, order,
// invoice and receipt carries a syncMarker from an ever-increasing sequence
// per entity type. A request's syncMarker is an inclusive lower bound and
// syncMarkerLimit caps the number of items; the next page starts at the
// highest marker seen plus one, and the end is an empty page (the server may
// cap pages below the limit asked for, so a short page is not the end).

// syncPages streams the items of consecutive sync-marker pages starting at
// start. fetch returns one page; marker returns an item's sync marker. The
// stream stops when a page comes back empty, when the consumer stops, or
// at the first error. A page whose markers do not advance past the request's
// is an error rather than an endless loop.
func syncPages[T any](ctx context.Context, entity string, start int64, fetch func(ctx context.Context, from int64) ([]T, error), marker func(T) *int64) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		from := start
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := fetch(ctx, from)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(page) == 0 {
				return
			}
			next := from
			for i, item := range page {
				m := marker(item)
				if m == nil {
					yield(zero, fmt.Errorf("%s: %s %d of the page from sync marker %d has no syncMarker", SystemName, entity, i, from))
					return
				}
				if *m < from {
					yield(zero, fmt.Errorf("%s: %s %d has syncMarker %d, below the requested %d", SystemName, entity, i, *m, from))
					return
				}
				if *m+1 > next {
					next = *m + 1
				}
				if !yield(item, nil) {
					return
				}
			}
			from = next
		}
	}
}

// syncRequest is a list request paged by sync marker: cursor points at its
// syncMarker and syncMarkerLimit fields.
type syncRequest interface {
	cursor() (marker **int64, limit **int)
}

func (r *GetProductsRequest) cursor() (**int64, **int)  { return &r.SyncMarker, &r.SyncMarkerLimit }
func (r *GetOrdersRequest) cursor() (**int64, **int)    { return &r.SyncMarker, &r.SyncMarkerLimit }
func (r *GetRelationsRequest) cursor() (**int64, **int) { return &r.SyncMarker, &r.SyncMarkerLimit }
func (r *GetEmployeesRequest) cursor() (**int64, **int) { return &r.SyncMarker, &r.SyncMarkerLimit }

// pages streams what get returns for req page by page, from req's sync
// marker (nil: the start) in pages of its limit (nil:
// DefaultSyncMarkerLimit).
func pages[Req any, P interface {
	*Req
	syncRequest
}, E any](ctx context.Context, entity string, req Req, get func(context.Context, Req) ([]E, error), marker func(E) *int64) iter.Seq2[E, error] {
	m, limit := P(&req).cursor()
	if *limit == nil {
		*limit = Ptr(DefaultSyncMarkerLimit)
	}
	return syncPages(ctx, entity, val(*m), func(ctx context.Context, from int64) ([]E, error) {
		*m = &from
		return get(ctx, req)
	}, marker)
}
