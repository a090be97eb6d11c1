// Package fakes holds what tradelink's in-process fake servers share.
package fakes

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Counter counts the requests a fake server receives: all of them, and per
// key (a route, or a SOAP operation). The zero value is ready; it is safe for
// concurrent use.
type Counter struct {
	total atomic.Int64
	mu    sync.Mutex
	byKey map[string]int64
}

// Hit counts one request in the total (before its key is known, so that
// rejected requests count too).
func (c *Counter) Hit() { c.total.Add(1) }

// Count counts one request under key.
func (c *Counter) Count(key string) {
	c.mu.Lock()
	if c.byKey == nil {
		c.byKey = map[string]int64{}
	}
	c.byKey[key]++
	c.mu.Unlock()
}

// Total returns the number of requests.
func (c *Counter) Total() int64 { return c.total.Load() }

// Get returns the count of one key.
func (c *Counter) Get(key string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byKey[key]
}

// Map returns a copy of the counts per key.
func (c *Counter) Map() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int64, len(c.byKey))
	for k, v := range c.byKey {
		out[k] = v
	}
	return out
}

// String lists the counts sorted by key, one "key n" per line.
func (c *Counter) String() string {
	m := c.Map()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %d\n", k, m[k])
	}
	return b.String()
}

// Reset zeroes every count.
func (c *Counter) Reset() {
	c.mu.Lock()
	c.byKey = nil
	c.mu.Unlock()
	c.total.Store(0)
}
