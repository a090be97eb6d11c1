package eaccounting

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// DefaultPageSize is the server's page size when $pagesize is not sent.
const DefaultPageSize = 50

// ListOptions selects and pages a list.
type ListOptions struct {
	// Filter is sent as $filter.
	Filter Filter
	// PageSize is sent as $pagesize; zero leaves the server's default (50).
	// The maximum the server accepts is unconfirmed; the iterator follows
	// whatever size the server reports in Meta.
	PageSize int
	// Page is the first page to fetch (1-based); zero means 1.
	Page int
	// Query holds endpoint-specific parameters such as modifiedSinceUtc.
	Query url.Values
}

func (o ListOptions) query(page int) url.Values {
	q := url.Values{}
	for k, vs := range o.Query {
		q[k] = append([]string(nil), vs...)
	}
	q.Set("$page", strconv.Itoa(page))
	if o.PageSize > 0 {
		q.Set("$pagesize", strconv.Itoa(o.PageSize))
	}
	if o.Filter != "" {
		q.Set("$filter", string(o.Filter))
	}
	return q
}

// Meta is the paging metadata of a list answer (CommonPaginationMetadata).
type Meta struct {
	CurrentPage          int  `json:"CurrentPage"`
	PageSize             int  `json:"PageSize"`
	TotalNumberOfPages   int  `json:"TotalNumberOfPages"`
	TotalNumberOfResults int  `json:"TotalNumberOfResults"`
	ServerTimeUtc        Time `json:"ServerTimeUtc"`
}

// Page is one page of a list answer (PaginatedResponseOf…).
type Page[T any] struct {
	Meta Meta `json:"Meta"`
	Data []T  `json:"Data"`
}

// list streams every record of a list endpoint, fetching the next page only
// when the consumer has taken the previous one.
func list[T any](ctx context.Context, c *Client, path string, opts ListOptions) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		page := max(opts.Page, 1)
		for {
			var p Page[T]
			if err := c.do(ctx, http.MethodGet, path, opts.query(page), nil, &p); err != nil {
				yield(zero, err)
				return
			}
			if len(p.Data) > 0 && p.Meta.CurrentPage != page {
				yield(zero, fmt.Errorf("%s: GET %s: asked for page %d, got page %d", SystemName, c.fullPath(path), page, p.Meta.CurrentPage))
				return
			}
			for _, rec := range p.Data {
				if !yield(rec, nil) {
					return
				}
			}
			if len(p.Data) == 0 || p.Meta.CurrentPage >= p.Meta.TotalNumberOfPages {
				return
			}
			page++
		}
	}
}

// get fetches one record.
func get[T any](ctx context.Context, c *Client, path string, query url.Values) (*T, error) {
	var out T
	if err := c.do(ctx, http.MethodGet, path, query, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// send POSTs or PUTs in and decodes the answer.
func send[T any](ctx context.Context, c *Client, method, path string, query url.Values, in any) (*T, error) {
	var out T
	if err := c.do(ctx, method, path, query, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// filtered streams the records of path that match, narrowing on the server
// with opts.Filter. Which properties the server can filter on is
// unconfirmed, so when it rejects the filter (400 on the first page) the
// client remembers that for key (the endpoint and properties, e.g.
// "customers EmailAddress") and scans the whole list instead, matching on
// the client: ceil(n/page size) calls instead of one, but correct. match
// must hold exactly what the filter means, so both paths agree.
func filtered[T any](ctx context.Context, c *Client, path, key string, opts ListOptions, match func(*T) bool) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if _, rejected := c.unfilterable.Load(key); rejected {
			opts.Filter = ""
		}
		// scanning is set after the server rejected the filter; the
		// rejection is remembered once the unfiltered list works, so a 400
		// with another cause does not switch the lookups to scans.
		scanning := false
		accept := func() {
			if scanning {
				scanning = false
				c.unfilterable.Store(key, true)
				c.log.Warn("the server rejected a $filter; scanning the list instead", "system", SystemName, "path", path, "filter", key)
			}
		}
		for {
			rescan, fresh := false, true
			for rec, err := range list[T](ctx, c, path, opts) {
				if err != nil {
					ae, ok := errors.AsType[*APIError](err)
					if ok && ae.StatusCode == http.StatusBadRequest && fresh && opts.Filter != "" {
						rescan = true
						break
					}
					yield(zero, err)
					return
				}
				fresh = false
				accept()
				if match(&rec) && !yield(rec, nil) {
					return
				}
			}
			if !rescan {
				accept()
				return
			}
			opts.Filter, scanning = "", true
		}
	}
}

// first returns the first record of path that matches, or nil; see filtered.
func first[T any](ctx context.Context, c *Client, path, key string, f Filter, match func(*T) bool) (*T, error) {
	for rec, err := range filtered(ctx, c, path, key, ListOptions{Filter: f}, match) {
		if err != nil {
			return nil, err
		}
		return &rec, nil
	}
	return nil, nil
}

// update is the read-merge-write every PUT needs, because PUT replaces the
// whole object: a property that is not sent becomes null. It reads the
// record as raw JSON, decodes it into T, lets mutate change T, and sends the
// raw record with every property T models replaced by T's value. Properties
// T does not model (ROT/RUT data, labels, e-invoicing settings, anything
// Visma adds later) go back exactly as they came.
func update[T any](ctx context.Context, c *Client, path string, mutate func(*T) error) (*T, error) {
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, path, nil, nil, &raw); err != nil {
		return nil, err
	}
	var rec T
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, c.decodeError(http.MethodGet, path, raw, err)
	}
	if err := mutate(&rec); err != nil {
		return nil, err
	}
	body, err := overlay(raw, &rec)
	if err != nil {
		return nil, fmt.Errorf("%s: PUT %s: %w", SystemName, path, err)
	}
	return send[T](ctx, c, http.MethodPut, path, nil, body)
}

// overlay returns the JSON object raw with the properties v's type models
// replaced by v's values. A modeled property that v leaves out (omitempty)
// is removed, so v decides about every property it knows.
func overlay(raw json.RawMessage, v any) (json.RawMessage, error) {
	var base map[string]json.RawMessage
	if err := json.Unmarshal(raw, &base); err != nil {
		return nil, err
	}
	if base == nil {
		base = map[string]json.RawMessage{}
	}
	for _, name := range jsonNames(reflect.TypeOf(v).Elem()) {
		delete(base, name)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var mine map[string]json.RawMessage
	if err := json.Unmarshal(b, &mine); err != nil {
		return nil, err
	}
	for k, val := range mine {
		base[k] = val
	}
	return json.Marshal(base)
}

var jsonNamesCache sync.Map // reflect.Type -> []string

// jsonNames lists the JSON property names of struct type t, including
// those of embedded structs (InvoiceAddress, DeliveryAddress).
func jsonNames(t reflect.Type) []string {
	if v, ok := jsonNamesCache.Load(t); ok {
		return v.([]string)
	}
	var names []string
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous && f.Type.Kind() == reflect.Struct {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case name == "":
			name = f.Name
		}
		names = append(names, name)
	}
	jsonNamesCache.Store(t, names)
	return names
}
