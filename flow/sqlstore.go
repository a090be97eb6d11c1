package flow

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver behind OpenSQLite
)

// Dialect adapts [SQLStore]'s statements to a database. The statements use
// only what SQLite (3.24+) and PostgreSQL (9.5+) share, so a dialect differs
// in its placeholders and its name.
type Dialect struct {
	// Name is the dialect's name, e.g. "sqlite" or "postgres".
	Name string
	// Placeholder returns the i-th (1-based) bind parameter.
	Placeholder func(i int) string
}

// SQLite is the dialect of modernc.org/sqlite.
var SQLite = Dialect{Name: "sqlite", Placeholder: func(int) string { return "?" }}

// Postgres is the dialect of PostgreSQL drivers (pgx, lib/pq). Use it with
// NewSQLStore and your own *sql.DB to share state between several workers.
var Postgres = Dialect{Name: "postgres", Placeholder: func(i int) string { return "$" + strconv.Itoa(i) }}

// SQLStore is a [Store] on database/sql.
type SQLStore struct {
	db      *sql.DB
	dialect Dialect
	own     bool
	now     func() time.Time

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

var schema = []string{
	`CREATE TABLE IF NOT EXISTS tl_links (scope TEXT NOT NULL, source_id TEXT NOT NULL, sink_id TEXT NOT NULL, PRIMARY KEY (scope, source_id))`,
	`CREATE TABLE IF NOT EXISTS tl_hashes (scope TEXT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (scope, key))`,
	`CREATE TABLE IF NOT EXISTS tl_cursors (flow TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS tl_retries (flow TEXT NOT NULL, source_id TEXT NOT NULL, position TEXT NOT NULL, attempts INTEGER NOT NULL, PRIMARY KEY (flow, source_id))`,
	`CREATE TABLE IF NOT EXISTS tl_locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL)`,
}

// OpenSQLite opens (creating if needed) the state database at path, the
// embedded default store. It needs no cgo. Use ":memory:" for a throwaway
// database.
func OpenSQLite(path string) (*SQLStore, error) {
	dsn := path
	if path != ":memory:" {
		dsn = "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("flow: open state database: %w", err)
	}
	// One connection: SQLite serialises writers anyway, and ":memory:"
	// databases exist per connection.
	db.SetMaxOpenConns(1)
	s, err := NewSQLStore(context.Background(), db, SQLite)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.own = true
	return s, nil
}

// NewSQLStore returns a store on db, creating its tables (prefixed "tl_")
// when they are missing.
func NewSQLStore(ctx context.Context, db *sql.DB, d Dialect) (*SQLStore, error) {
	if d.Placeholder == nil {
		return nil, errors.New("flow: dialect without placeholder function")
	}
	for _, stmt := range schema {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("flow: create state tables (%s): %w", d.Name, err)
		}
	}
	return &SQLStore{db: db, dialect: d, now: time.Now, stmts: map[string]*sql.Stmt{}}, nil
}

// stmt returns the prepared form of a statement, preparing it on first use:
// the hot statements run once or twice per record.
func (s *SQLStore) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, s.q(query))
	if err != nil {
		return nil, fmt.Errorf("flow: state store: %w", err)
	}
	s.stmts[query] = st
	return st, nil
}

// Close releases the prepared statements and closes the database when the
// store opened it.
func (s *SQLStore) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = map[string]*sql.Stmt{}
	s.mu.Unlock()
	if s.own {
		return s.db.Close()
	}
	return nil
}

// q rewrites "?" placeholders for the dialect.
func (s *SQLStore) q(stmt string) string {
	if s.dialect.Name == SQLite.Name {
		return stmt
	}
	var b strings.Builder
	n := 0
	for _, r := range stmt {
		if r == '?' {
			n++
			b.WriteString(s.dialect.Placeholder(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *SQLStore) get(ctx context.Context, query string, args ...any) (string, bool, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return "", false, err
	}
	var v string
	err = st.QueryRowContext(ctx, args...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("flow: state store: %w", err)
	}
	return v, true, nil
}

func (s *SQLStore) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("flow: state store: %w", err)
	}
	return res, nil
}

// Link implements Store.
func (s *SQLStore) Link(ctx context.Context, scope, sourceID string) (string, bool, error) {
	return s.get(ctx, `SELECT sink_id FROM tl_links WHERE scope = ? AND source_id = ?`, scope, sourceID)
}

// SetLink implements Store.
func (s *SQLStore) SetLink(ctx context.Context, scope, sourceID, sinkID string) error {
	_, err := s.exec(ctx, upsertLink, scope, sourceID, sinkID)
	return err
}

const (
	upsertLink = `INSERT INTO tl_links (scope, source_id, sink_id) VALUES (?, ?, ?)
		ON CONFLICT (scope, source_id) DO UPDATE SET sink_id = excluded.sink_id`
	upsertHash = `INSERT INTO tl_hashes (scope, key, hash) VALUES (?, ?, ?)
		ON CONFLICT (scope, key) DO UPDATE SET hash = excluded.hash`
)

// SetLinkAndHash stores a link and a content hash in one transaction.
func (s *SQLStore) SetLinkAndHash(ctx context.Context, scope, key, sinkID, hash string) error {
	link, err := s.stmt(ctx, upsertLink)
	if err != nil {
		return err
	}
	h, err := s.stmt(ctx, upsertHash)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("flow: state store: %w", err)
	}
	if _, err := tx.StmtContext(ctx, link).ExecContext(ctx, scope, key, sinkID); err != nil {
		tx.Rollback()
		return fmt.Errorf("flow: state store: %w", err)
	}
	if _, err := tx.StmtContext(ctx, h).ExecContext(ctx, scope, key, hash); err != nil {
		tx.Rollback()
		return fmt.Errorf("flow: state store: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("flow: state store: %w", err)
	}
	return nil
}

// Hash implements Store.
func (s *SQLStore) Hash(ctx context.Context, scope, key string) (string, bool, error) {
	return s.get(ctx, `SELECT hash FROM tl_hashes WHERE scope = ? AND key = ?`, scope, key)
}

// SetHash implements Store.
func (s *SQLStore) SetHash(ctx context.Context, scope, key, hash string) error {
	_, err := s.exec(ctx, upsertHash, scope, key, hash)
	return err
}

// Cursor implements Store.
func (s *SQLStore) Cursor(ctx context.Context, flow string) (Cursor, error) {
	v, ok, err := s.get(ctx, `SELECT value FROM tl_cursors WHERE flow = ?`, flow)
	if err != nil || !ok {
		return Cursor{}, err
	}
	var c Cursor
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return Cursor{}, fmt.Errorf("flow: state store: cursor of %q is corrupt: %w", flow, err)
	}
	return c, nil
}

// SetCursor implements Store.
func (s *SQLStore) SetCursor(ctx context.Context, flow string, c Cursor) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO tl_cursors (flow, value) VALUES (?, ?)
		ON CONFLICT (flow) DO UPDATE SET value = excluded.value`, flow, string(b))
	return err
}

// Retries implements Store.
func (s *SQLStore) Retries(ctx context.Context, flow string) ([]Retry, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT source_id, position, attempts FROM tl_retries WHERE flow = ?`), flow)
	if err != nil {
		return nil, fmt.Errorf("flow: state store: %w", err)
	}
	defer rows.Close()
	var out []Retry
	for rows.Next() {
		var r Retry
		var pos string
		if err := rows.Scan(&r.SourceID, &pos, &r.Attempts); err != nil {
			return nil, fmt.Errorf("flow: state store: %w", err)
		}
		if err := json.Unmarshal([]byte(pos), &r.Position); err != nil {
			return nil, fmt.Errorf("flow: state store: retry %q of %q is corrupt: %w", r.SourceID, flow, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("flow: state store: %w", err)
	}
	sortRetries(out)
	return out, nil
}

// AddRetry implements Store. A record that fails again keeps its first
// position and adds to its attempts.
func (s *SQLStore) AddRetry(ctx context.Context, flow string, r Retry) error {
	pos, err := json.Marshal(r.Position)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO tl_retries (flow, source_id, position, attempts) VALUES (?, ?, ?, ?)
		ON CONFLICT (flow, source_id) DO UPDATE SET attempts = tl_retries.attempts + excluded.attempts`,
		flow, r.SourceID, string(pos), r.Attempts)
	return err
}

// RemoveRetry implements Store.
func (s *SQLStore) RemoveRetry(ctx context.Context, flow, sourceID string) error {
	_, err := s.exec(ctx, `DELETE FROM tl_retries WHERE flow = ? AND source_id = ?`, flow, sourceID)
	return err
}

// Lock implements Store with one conditional upsert, so two processes
// sharing the database cannot both take the lock.
func (s *SQLStore) Lock(ctx context.Context, name, owner string, ttl time.Duration) (func() error, error) {
	now := s.now()
	res, err := s.exec(ctx, `INSERT INTO tl_locks (name, owner, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
		WHERE tl_locks.owner = excluded.owner OR tl_locks.expires_at < ?`,
		name, owner, now.Add(ttl).UnixNano(), now.UnixNano())
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		holder, _, _ := s.get(ctx, `SELECT owner FROM tl_locks WHERE name = ?`, name)
		return nil, fmt.Errorf("lock %q held by %q: %w", name, holder, ErrLocked)
	}
	return func() error {
		_, err := s.exec(context.WithoutCancel(ctx), `DELETE FROM tl_locks WHERE name = ? AND owner = ?`, name, owner)
		return err
	}, nil
}
