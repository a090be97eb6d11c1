package cache

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestLRU(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := New[string, int](2, time.Minute)
	c.now = func() time.Time { return now }
	c.Put("a", 1)
	c.Put("b", 2)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("a = %d %v", v, ok)
	}
	c.Put("c", 3) // evicts b, the least recently used
	if _, ok := c.Get("b"); ok {
		t.Error("b survived eviction")
	}
	if c.Len() != 2 {
		t.Errorf("len = %d", c.Len())
	}
	c.Put("a", 10)
	if v, _ := c.Get("a"); v != 10 {
		t.Errorf("a = %d after update", v)
	}
	now = now.Add(2 * time.Minute)
	if _, ok := c.Get("a"); ok {
		t.Error("expired entry returned")
	}
	c.Delete("c")
	if c.Len() != 0 {
		t.Errorf("len = %d after expiry and delete", c.Len())
	}
}

func TestLRUConcurrent(t *testing.T) {
	c := New[int, int](100, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				c.Put(g*1000+i, i)
				c.Get(i)
			}
		})
	}
	wg.Wait()
	if c.Len() != 100 {
		t.Errorf("len = %d, want the capacity", c.Len())
	}
}

func Example() {
	c := New[string, string](2, 0)
	c.Put("800001", "article-1")
	c.Put("800002", "article-2")
	c.Put("800003", "article-3") // the least recently used entry goes
	_, ok := c.Get("800001")
	v, _ := c.Get("800003")
	fmt.Println(ok, v, c.Len())
	// Output: false article-3 2
}
