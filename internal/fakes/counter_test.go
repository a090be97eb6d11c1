package fakes

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestCounter(t *testing.T) {
	var c Counter
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				c.Hit()
				c.Count("GET /orders/")
			}
		})
	}
	wg.Wait()
	c.Hit() // a rejected request: no key
	if c.Total() != 401 || c.Get("GET /orders/") != 400 || len(c.Map()) != 1 {
		t.Errorf("total %d, orders %d, map %v", c.Total(), c.Get("GET /orders/"), c.Map())
	}
	c.Reset()
	if c.Total() != 0 || len(c.Map()) != 0 {
		t.Error("reset")
	}
}

func ExampleCounter() {
	var c Counter
	for _, op := range []string{"getProducts", "createOrderV3", "getProducts"} {
		c.Hit()
		c.Count(op)
	}
	fmt.Print(c.String())
	fmt.Println(c.Total())
	// Output:
	// createOrderV3 1
	// getProducts 2
	// 3
}

func TestFaults(t *testing.T) {
	type fault struct {
		path  string
		times int
	}
	var q Faults[fault]
	q.Add(fault{"/orders", 2}, 2)
	q.Add(fault{"/users", 0}, 0)
	match := func(path string) func(fault) bool { return func(f fault) bool { return f.path == path } }
	for i, want := range []bool{true, true, false} {
		if _, ok := q.Take(match("/orders")); ok != want {
			t.Errorf("take %d of /orders = %v, want %v", i+1, ok, want)
		}
	}
	if f, ok := q.Take(match("/users")); !ok || f.path != "/users" {
		t.Error("a fault added with times 0 applies once")
	}
	if _, ok := q.Take(match("/users")); ok {
		t.Error("used-up fault applied again")
	}
	q.Add(fault{"/x", 1}, 5)
	q.Clear()
	if _, ok := q.Take(func(fault) bool { return true }); ok {
		t.Error("Clear left a fault")
	}
}

func TestSleep(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if Sleep(ctx, time.Hour) {
		t.Error("a cancelled wait reported done")
	}
	if !Sleep(t.Context(), 0) {
		t.Error("no wait must report done")
	}
}
