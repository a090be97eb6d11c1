package flow

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Store keeps a flow's state between runs: links from source records to
// sink records, content hashes, cursors, records to retry and run locks. It
// holds only identifiers, hashes and positions — never personal data.
//
// Implementations must be safe for concurrent use. [MemoryStore] keeps
// state in memory; [SQLStore] keeps it in SQLite (the embedded default) and
// is written so that other database/sql dialects can follow.
type Store interface {
	// Link returns the sink ID linked to sourceID in scope, and whether
	// there is one.
	Link(ctx context.Context, scope, sourceID string) (sinkID string, ok bool, err error)
	// SetLink links sourceID to sinkID in scope.
	SetLink(ctx context.Context, scope, sourceID, sinkID string) error
	// Hash returns the content hash stored for key in scope.
	Hash(ctx context.Context, scope, key string) (hash string, ok bool, err error)
	// SetHash stores the content hash of key in scope.
	SetHash(ctx context.Context, scope, key, hash string) error
	// Cursor returns the cursor of a flow.
	Cursor(ctx context.Context, flow string) (Cursor, error)
	// SetCursor stores the cursor of a flow.
	SetCursor(ctx context.Context, flow string, c Cursor) error
	// Retries returns the records of a flow that failed and must be tried
	// again, oldest position first.
	Retries(ctx context.Context, flow string) ([]Retry, error)
	// AddRetry records that a record failed.
	AddRetry(ctx context.Context, flow string, r Retry) error
	// RemoveRetry forgets a failed record after it succeeded.
	RemoveRetry(ctx context.Context, flow, sourceID string) error
	// Lock takes the named lock for owner until ttl passes or unlock is
	// called. It fails with an error matching [ErrLocked] when another
	// owner holds it.
	Lock(ctx context.Context, name, owner string, ttl time.Duration) (unlock func() error, err error)
}

// ErrLocked is returned by [Store.Lock] when another owner holds the lock.
var ErrLocked = errors.New("locked by another run")

// Position is where a record sits in its source's change stream: its
// source-specific cursor token when the source has one, else its update
// time.
type Position struct {
	Time  time.Time `json:"time"`
	Token string    `json:"token,omitempty"`
}

// IsZero reports whether the position is unset.
func (p Position) IsZero() bool { return p.Time.IsZero() && p.Token == "" }

// Compare orders positions: tokens when both have one (numerically when
// both are integers, else as strings), else times.
func (p Position) Compare(q Position) int {
	if p.Token != "" && q.Token != "" {
		a, errA := strconv.ParseInt(p.Token, 10, 64)
		b, errB := strconv.ParseInt(q.Token, 10, 64)
		if errA == nil && errB == nil {
			switch {
			case a < b:
				return -1
			case a > b:
				return 1
			}
			return 0
		}
		return strings.Compare(p.Token, q.Token)
	}
	return p.Time.Compare(q.Time)
}

// Cursor is how far a flow got: every record before Position is done, and
// so are the records at exactly Position whose IDs are in Ties (sources are
// queried with ">=", so the records at the position come again and are
// skipped).
type Cursor struct {
	Position
	Ties []string `json:"ties,omitempty"`
}

// Retry is a record that failed and is tried again on the next run.
type Retry struct {
	SourceID string   `json:"source_id"`
	Position Position `json:"position"`
	// Attempts counts the runs in which the record failed.
	Attempts int `json:"attempts"`
}

// MemoryStore is a [Store] in memory. State ends with the process, so it
// suits tests and one-shot runs.
type MemoryStore struct {
	mu      sync.Mutex
	links   map[[2]string]string
	hashes  map[[2]string]string
	cursors map[string]Cursor
	retries map[string]map[string]Retry
	locks   map[string]memLock
	now     func() time.Time
}

type memLock struct {
	owner   string
	expires time.Time
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{
		links: map[[2]string]string{}, hashes: map[[2]string]string{}, cursors: map[string]Cursor{},
		retries: map[string]map[string]Retry{}, locks: map[string]memLock{}, now: time.Now,
	}
}

// Link implements Store.
func (m *MemoryStore) Link(_ context.Context, scope, sourceID string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.links[[2]string{scope, sourceID}]
	return id, ok, nil
}

// SetLink implements Store.
func (m *MemoryStore) SetLink(_ context.Context, scope, sourceID, sinkID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.links[[2]string{scope, sourceID}] = sinkID
	return nil
}

// Hash implements Store.
func (m *MemoryStore) Hash(_ context.Context, scope, key string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.hashes[[2]string{scope, key}]
	return h, ok, nil
}

// SetHash implements Store.
func (m *MemoryStore) SetHash(_ context.Context, scope, key, hash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hashes[[2]string{scope, key}] = hash
	return nil
}

// Cursor implements Store.
func (m *MemoryStore) Cursor(_ context.Context, flow string) (Cursor, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cursors[flow]
	c.Ties = append([]string(nil), c.Ties...)
	return c, nil
}

// SetCursor implements Store.
func (m *MemoryStore) SetCursor(_ context.Context, flow string, c Cursor) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c.Ties = append([]string(nil), c.Ties...)
	m.cursors[flow] = c
	return nil
}

// Retries implements Store.
func (m *MemoryStore) Retries(_ context.Context, flow string) ([]Retry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Retry, 0, len(m.retries[flow]))
	for _, r := range m.retries[flow] {
		out = append(out, r)
	}
	sortRetries(out)
	return out, nil
}

func sortRetries(rs []Retry) {
	sort.Slice(rs, func(i, j int) bool {
		if c := rs[i].Position.Compare(rs[j].Position); c != 0 {
			return c < 0
		}
		return rs[i].SourceID < rs[j].SourceID
	})
}

// AddRetry implements Store.
func (m *MemoryStore) AddRetry(_ context.Context, flow string, r Retry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.retries[flow] == nil {
		m.retries[flow] = map[string]Retry{}
	}
	if old, ok := m.retries[flow][r.SourceID]; ok {
		r.Attempts += old.Attempts
		if old.Position.Compare(r.Position) < 0 {
			r.Position = old.Position
		}
	}
	m.retries[flow][r.SourceID] = r
	return nil
}

// RemoveRetry implements Store.
func (m *MemoryStore) RemoveRetry(_ context.Context, flow, sourceID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.retries[flow], sourceID)
	return nil
}

// Lock implements Store.
func (m *MemoryStore) Lock(_ context.Context, name, owner string, ttl time.Duration) (func() error, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if l, ok := m.locks[name]; ok && l.owner != owner && now.Before(l.expires) {
		return nil, fmt.Errorf("lock %q held by %q: %w", name, l.owner, ErrLocked)
	}
	m.locks[name] = memLock{owner: owner, expires: now.Add(ttl)}
	return func() error {
		m.mu.Lock()
		defer m.mu.Unlock()
		if l, ok := m.locks[name]; ok && l.owner == owner {
			delete(m.locks, name)
		}
		return nil
	}, nil
}
