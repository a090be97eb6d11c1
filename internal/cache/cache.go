// Package cache is a small bounded LRU map with an optional time to live,
// for connectors that remember what they looked up (SKU → article, id →
// customer) without growing with the catalogue.
package cache

import (
	"container/list"
	"sync"
	"time"
)

// LRU is a map of at most Cap entries; putting one more evicts the least
// recently used. Entries older than TTL (when set) are not returned. It is
// safe for concurrent use.
type LRU[K comparable, V any] struct {
	cap int
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex
	ll    *list.List
	items map[K]*list.Element
}

type entry[K comparable, V any] struct {
	key K
	val V
	at  time.Time
}

// New returns an LRU holding at most capacity entries (at least 1) for at
// most ttl (zero: no expiry).
func New[K comparable, V any](capacity int, ttl time.Duration) *LRU[K, V] {
	if capacity < 1 {
		capacity = 1
	}
	return &LRU[K, V]{cap: capacity, ttl: ttl, now: time.Now, ll: list.New(), items: map[K]*list.Element{}}
}

// Get returns the value of key and whether it is there and fresh.
func (c *LRU[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	e := el.Value.(*entry[K, V])
	if c.ttl > 0 && c.now().Sub(e.at) > c.ttl {
		c.ll.Remove(el)
		delete(c.items, key)
		var zero V
		return zero, false
	}
	c.ll.MoveToFront(el)
	return e.val, true
}

// Put stores val under key, evicting the least recently used entry when
// the cache is full.
func (c *LRU[K, V]) Put(key K, val V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		e := el.Value.(*entry[K, V])
		e.val, e.at = val, c.now()
		c.ll.MoveToFront(el)
		return
	}
	c.items[key] = c.ll.PushFront(&entry[K, V]{key: key, val: val, at: c.now()})
	if c.ll.Len() > c.cap {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.items, old.Value.(*entry[K, V]).key)
	}
}

// Delete removes key.
func (c *LRU[K, V]) Delete(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.ll.Remove(el)
		delete(c.items, key)
	}
}

// Len returns the number of entries, fresh or not.
func (c *LRU[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}
