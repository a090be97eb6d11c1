package verto

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// MaxPageSize is the largest page this package asks for. The platform's
// maximum is UNCONFIRMED; clients in the wild clamp to 250.
const MaxPageSize = 250

// Collection is the platform's list envelope. Links are absolute URLs that
// already carry start, size and the original filters; an empty Next marks
// the last page.
type Collection[T any] struct {
	Href     string `json:"href"`
	Start    Int    `json:"start"`
	Size     Int    `json:"size"`
	First    string `json:"first"`
	Previous string `json:"previous"`
	Next     string `json:"next"`
	Items    []T    `json:"items"`
}

// wireCollection writes empty links as null, as the platform does.
type wireCollection[T any] struct {
	Href     string  `json:"href"`
	Start    Int     `json:"start"`
	Size     Int     `json:"size"`
	First    *string `json:"first"`
	Previous *string `json:"previous"`
	Next     *string `json:"next"`
	Items    []T     `json:"items"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// MarshalJSON implements json.Marshaler: empty links become null and a nil
// Items an empty array.
func (c Collection[T]) MarshalJSON() ([]byte, error) {
	items := c.Items
	if items == nil {
		items = []T{}
	}
	return json.Marshal(wireCollection[T]{
		Href: c.Href, Start: c.Start, Size: c.Size,
		First: nullable(c.First), Previous: nullable(c.Previous), Next: nullable(c.Next),
		Items: items,
	})
}

// UnmarshalJSON implements json.Unmarshaler. A list endpoint that answers
// with a single resource instead of an envelope (the official SDK handles
// that case) yields a one-item collection.
func (c *Collection[T]) UnmarshalJSON(b []byte) error {
	var probe struct {
		Items json.RawMessage `json:"items"`
		ID    json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	if probe.Items == nil && probe.ID != nil && !bytes.Equal(probe.ID, []byte("null")) {
		var one T
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*c = Collection[T]{Items: []T{one}, Size: 1}
		return nil
	}
	type plain Collection[T]
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*c = Collection[T](p)
	return nil
}

// PageQuery returns q (copied) with start and size set. size is clamped to
// 1..MaxPageSize; zero means def.
func PageQuery(q url.Values, start, size, def int) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	if size <= 0 {
		size = def
	}
	size = min(max(size, 1), MaxPageSize)
	out.Set("start", strconv.Itoa(max(start, 0)))
	out.Set("size", strconv.Itoa(size))
	return out
}

// GetPage fetches one page of a collection.
func GetPage[T any](ctx context.Context, c *Client, path string, q url.Values) (*Collection[T], error) {
	var page Collection[T]
	if err := c.Do(ctx, Request{Method: http.MethodGet, Path: path, Query: q, Out: &page}); err != nil {
		return nil, err
	}
	return &page, nil
}

// Pages streams the pages of a collection, starting at path?q and following
// next until it is empty. It requests a page only when the consumer asks for
// it. A next link that repeats an earlier one ends the stream with an error
// instead of looping.
func Pages[T any](ctx context.Context, c *Client, path string, q url.Values) iter.Seq2[*Collection[T], error] {
	return func(yield func(*Collection[T], error) bool) {
		seen := map[string]bool{}
		for {
			page, err := GetPage[T](ctx, c, path, q)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(page, nil) || page.Next == "" {
				return
			}
			next := c.resolve(page.Next)
			if seen[next] {
				yield(nil, fmt.Errorf("%s: GET %s: collection paging loops: next link %s was already followed",
					c.System(), pathOnly(c.resolve(path)), pathOnly(next)))
				return
			}
			seen[next] = true
			path, q = next, nil
		}
	}
}

// All streams every item of a collection, page by page (see [Pages]).
func All[T any](ctx context.Context, c *Client, path string, q url.Values) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page, err := range Pages[T](ctx, c, path, q) {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range page.Items {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}
