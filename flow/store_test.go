package flow

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func storeImpls(t *testing.T) map[string]func(t *testing.T) Store {
	return map[string]func(t *testing.T) Store{
		"memory": func(t *testing.T) Store { return NewMemoryStore() },
		"sqlite": func(t *testing.T) Store {
			s, err := OpenSQLite(filepath.Join(t.TempDir(), "state.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
}

func TestStores(t *testing.T) {
	for name, open := range storeImpls(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			s := open(t)
			if _, ok, err := s.Link(ctx, "orders", "1"); ok || err != nil {
				t.Fatalf("empty link: %v %v", ok, err)
			}
			must(t, s.SetLink(ctx, "orders", "1", "A"))
			must(t, s.SetLink(ctx, "orders", "1", "B"))
			must(t, s.SetLink(ctx, "other", "1", "C"))
			if id, ok, err := s.Link(ctx, "orders", "1"); id != "B" || !ok || err != nil {
				t.Errorf("link = %q %v %v", id, ok, err)
			}
			must(t, s.SetHash(ctx, "products", "SKU", "h1"))
			if h, ok, _ := s.Hash(ctx, "products", "SKU"); h != "h1" || !ok {
				t.Errorf("hash = %q", h)
			}
			if c, err := s.Cursor(ctx, "orders"); err != nil || !c.IsZero() {
				t.Errorf("empty cursor = %+v %v", c, err)
			}
			want := Cursor{Position: Position{Time: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}, Ties: []string{"7", "8"}}
			must(t, s.SetCursor(ctx, "orders", want))
			got, err := s.Cursor(ctx, "orders")
			must(t, err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cursor (-want +got):\n%s", diff)
			}
			must(t, s.AddRetry(ctx, "orders", Retry{SourceID: "9", Position: Position{Token: "12"}, Attempts: 1}))
			must(t, s.AddRetry(ctx, "orders", Retry{SourceID: "3", Position: Position{Token: "4"}, Attempts: 1}))
			must(t, s.AddRetry(ctx, "orders", Retry{SourceID: "9", Position: Position{Token: "15"}, Attempts: 1}))
			rs, err := s.Retries(ctx, "orders")
			must(t, err)
			wantR := []Retry{{SourceID: "3", Position: Position{Token: "4"}, Attempts: 1}, {SourceID: "9", Position: Position{Token: "12"}, Attempts: 2}}
			if diff := cmp.Diff(wantR, rs); diff != "" {
				t.Errorf("retries (-want +got):\n%s", diff)
			}
			must(t, s.RemoveRetry(ctx, "orders", "3"))
			if rs, _ := s.Retries(ctx, "orders"); len(rs) != 1 {
				t.Errorf("after remove: %v", rs)
			}

			unlock, err := s.Lock(ctx, "products|a|b", "a->b#1", time.Minute)
			must(t, err)
			if _, err := s.Lock(ctx, "products|a|b", "b->a#2", time.Minute); !errors.Is(err, ErrLocked) {
				t.Errorf("second owner took the lock: %v", err)
			}
			must(t, unlock())
			unlock2, err := s.Lock(ctx, "products|a|b", "b->a#2", time.Minute)
			must(t, err)
			must(t, unlock2())
		})
	}
}

func TestLockExpires(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := NewMemoryStore()
	m.now = func() time.Time { return now }
	sq, err := OpenSQLite(":memory:")
	must(t, err)
	defer sq.Close()
	sq.now = m.now
	for _, s := range []Store{m, sq} {
		if _, err := s.Lock(t.Context(), "l", "one", time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Lock(t.Context(), "l", "two", time.Minute); !errors.Is(err, ErrLocked) {
			t.Fatalf("held lock taken: %v", err)
		}
		now = now.Add(2 * time.Minute) // the holder crashed; its lease ran out
		if _, err := s.Lock(t.Context(), "l", "two", time.Minute); err != nil {
			t.Fatalf("expired lock not taken: %v", err)
		}
	}
}

func TestSQLiteStatePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := OpenSQLite(path)
	must(t, err)
	must(t, s.SetLink(t.Context(), "orders", "1", "X"))
	must(t, s.Close())
	s, err = OpenSQLite(path)
	must(t, err)
	defer s.Close()
	if id, ok, _ := s.Link(t.Context(), "orders", "1"); id != "X" || !ok {
		t.Errorf("after reopen: %q %v", id, ok)
	}
}

func TestPositionCompare(t *testing.T) {
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		a, b Position
		want int
	}{
		{Position{Token: "9"}, Position{Token: "10"}, -1},
		{Position{Token: "b"}, Position{Token: "a"}, 1},
		{Position{Token: "10"}, Position{Token: "10"}, 0},
		{Position{Time: t1}, Position{Time: t1.Add(time.Second)}, -1},
		{Position{Time: t1}, Position{Time: t1}, 0},
	}
	for _, tt := range tests {
		if got := tt.a.Compare(tt.b); got != tt.want {
			t.Errorf("%+v.Compare(%+v) = %d", tt.a, tt.b, got)
		}
	}
}

func TestPostgresPlaceholders(t *testing.T) {
	s := &SQLStore{dialect: Postgres}
	if got := s.q(`SELECT a FROM t WHERE x = ? AND y = ?`); got != `SELECT a FROM t WHERE x = $1 AND y = $2` {
		t.Errorf("q = %q", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
