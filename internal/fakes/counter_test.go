package fakes

import (
	"fmt"
	"sync"
	"testing"
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
