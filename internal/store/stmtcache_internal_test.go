package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeStmt is a prepared statement that notices being used by two callers
// at once, or after it was closed.
type fakeStmt struct {
	t      *testing.T
	text   string
	inUse  atomic.Bool
	closed atomic.Int32
}

func (s *fakeStmt) Close() error {
	if s.closed.Add(1) > 1 {
		s.t.Errorf("%s: closed twice", s.text)
	}
	if s.inUse.Load() {
		s.t.Errorf("%s: closed in use", s.text)
	}
	return nil
}
func (s *fakeStmt) NumInput() int { return -1 }
func (s *fakeStmt) Exec([]driver.Value) (driver.Result, error) {
	return nil, errors.New("not used")
}
func (s *fakeStmt) Query([]driver.Value) (driver.Rows, error) {
	return nil, errors.New("not used")
}
func (s *fakeStmt) ExecContext(context.Context, []driver.NamedValue) (driver.Result, error) {
	return nil, nil
}
func (s *fakeStmt) QueryContext(context.Context, []driver.NamedValue) (driver.Rows, error) {
	return nil, nil
}

// use marks s in use until the returned function is called.
func (s *fakeStmt) use() func() {
	if s.closed.Load() > 0 {
		s.t.Errorf("%s: used after close", s.text)
	}
	if !s.inUse.CompareAndSwap(false, true) {
		s.t.Errorf("%s: used by two callers at once", s.text)
	}
	return func() { s.inUse.Store(false) }
}

// fakePrepare prepares fakeStmts, failing for texts starting with "BAD",
// and records every statement it made.
type fakePrepare struct {
	t     *testing.T
	mu    sync.Mutex
	stmts []*fakeStmt
}

var errFakeSyntax = errors.New(`SQL logic error: near "BAD": syntax error (1)`)

func (p *fakePrepare) prepare(_ context.Context, q string) (driver.Stmt, error) {
	if len(q) >= 3 && q[:3] == "BAD" {
		return nil, errFakeSyntax
	}
	s := &fakeStmt{t: p.t, text: q}
	p.mu.Lock()
	p.stmts = append(p.stmts, s)
	p.mu.Unlock()
	return s, nil
}

func (p *fakePrepare) prepared() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.stmts)
}

// run acquires q's statement, uses it and releases it, as a connection
// does; it reports whether the cache handed one out.
func run(t *testing.T, c *stmtCache, q string) bool {
	t.Helper()
	s, err := c.acquire(context.Background(), q)
	if err != nil {
		t.Fatalf("acquire %s: %v", q, err)
	}
	if s == nil {
		return false
	}
	done := s.stmt.(*fakeStmt).use()
	done()
	c.release(s)
	return true
}

// TestStmtCacheBounded: the cache keeps the size most recently used
// statements, prepares each text once while it holds it, and finalizes
// what it evicts.
func TestStmtCacheBounded(t *testing.T) {
	p := &fakePrepare{t: t}
	c := newStmtCache(4, p.prepare)
	for i := range 10 {
		run(t, c, fmt.Sprintf("SELECT %d", i))
		// SELECT 0 is used all along: it stays.
		run(t, c, "SELECT 0")
	}
	if got := c.count(); got != 4 {
		t.Errorf("got %d statements cached, want 4", got)
	}
	if got := p.prepared(); got != 10 {
		t.Errorf("got %d prepares, want 10 (one per text)", got)
	}
	kept := map[string]bool{"SELECT 0": true, "SELECT 7": true, "SELECT 8": true, "SELECT 9": true}
	for _, s := range p.stmts {
		if closed := s.closed.Load() == 1; closed == kept[s.text] {
			t.Errorf("%s: closed %v, want %v", s.text, closed, !kept[s.text])
		}
	}
	for q := range kept {
		run(t, c, q)
	}
	if got := p.prepared(); got != 10 {
		t.Errorf("got %d prepares after using the kept texts again, want 10", got)
	}
	c.close()
	for _, s := range p.stmts {
		if s.closed.Load() != 1 {
			t.Errorf("%s: not closed with the cache", s.text)
		}
	}
	if got := c.count(); got != 0 {
		t.Errorf("got %d statements after close, want 0", got)
	}
}

// TestStmtCacheInUse: a statement is handed to one user at a time (the
// next gets nil: run the text without the cache), and one evicted while in
// use is finalized when it is released.
func TestStmtCacheInUse(t *testing.T) {
	p := &fakePrepare{t: t}
	c := newStmtCache(2, p.prepare)
	ctx := context.Background()
	a, err := c.acquire(ctx, "A")
	if err != nil || a == nil {
		t.Fatalf("acquire A: %v, %v", a, err)
	}
	if again, err := c.acquire(ctx, "A"); again != nil || err != nil {
		t.Fatalf("acquire A while in use: %v, %v; want nil, nil", again, err)
	}
	run(t, c, "B")
	run(t, c, "C") // evicts A, in use
	fa := a.stmt.(*fakeStmt)
	if fa.closed.Load() != 0 {
		t.Fatal("A closed while in use")
	}
	c.release(a)
	if fa.closed.Load() != 1 {
		t.Fatal("A not closed when released after its eviction")
	}
	if !run(t, c, "A") || p.prepared() != 4 {
		t.Errorf("A after its eviction: %d prepares, want 4 (A again)", p.prepared())
	}
}

// TestStmtCachePrepareError: a statement that does not prepare gives the
// driver's error, every time, and takes no place in the cache.
func TestStmtCachePrepareError(t *testing.T) {
	p := &fakePrepare{t: t}
	c := newStmtCache(2, p.prepare)
	for range 2 {
		s, err := c.acquire(context.Background(), "BAD SQL")
		if s != nil || err != errFakeSyntax {
			t.Fatalf("got %v, %v; want nil, %v", s, err, errFakeSyntax)
		}
	}
	if got := c.count(); got != 0 {
		t.Errorf("got %d statements cached, want 0", got)
	}
}

// TestStmtCacheConcurrent uses one cache from 8 goroutines (run it with
// -race): no statement is used by two at once or after it was closed, the
// cache stays within its size, and every statement not in it is closed
// once.
func TestStmtCacheConcurrent(t *testing.T) {
	p := &fakePrepare{t: t}
	c := newStmtCache(8, p.prepare)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 1))
			for range 2000 {
				q := fmt.Sprintf("SELECT %d", r.IntN(20))
				if r.IntN(50) == 0 {
					q = "BAD " + q
				}
				s, err := c.acquire(context.Background(), q)
				if err != nil {
					if err != errFakeSyntax {
						t.Errorf("%s: %v", q, err)
					}
					continue
				}
				if s == nil {
					continue
				}
				done := s.stmt.(*fakeStmt).use()
				if r.IntN(4) == 0 {
					time.Sleep(time.Microsecond)
				}
				done()
				c.release(s)
				if n := c.count(); n > 8 {
					t.Errorf("got %d statements cached, want at most 8", n)
				}
			}
		})
	}
	wg.Wait()
	cached := map[*fakeStmt]bool{}
	c.mu.Lock()
	for e := c.recent.Front(); e != nil; e = e.Next() {
		cached[e.Value.(*cachedStmt).stmt.(*fakeStmt)] = true
	}
	c.mu.Unlock()
	for _, s := range p.stmts {
		if want := int32(1); !cached[s] && s.closed.Load() != want {
			t.Errorf("%s: evicted, closed %d times, want 1", s.text, s.closed.Load())
		}
		if cached[s] && s.closed.Load() != 0 {
			t.Errorf("%s: cached but closed", s.text)
		}
	}
}

// openSQLiteTest is a migrated SQLite database in a temporary folder.
func openSQLiteTest(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, "", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// writeCache runs fn with the write connection's statement cache.
func writeCache(t *testing.T, db *DB, fn func(c *stmtCache)) {
	t.Helper()
	conn, err := db.write.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Raw(func(dc any) error {
		cc, ok := dc.(*cachingConn)
		if !ok {
			return fmt.Errorf("the write connection is a %T, not a *cachingConn", dc)
		}
		fn(cc.stmts)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestSQLiteStatementsKept: on SQLite a statement run again is not
// prepared again, within a transaction and across transactions.
func TestSQLiteStatementsKept(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := context.Background()
	var prepares atomic.Int32
	writeCache(t, db, func(c *stmtCache) {
		prepare := c.prepare
		c.prepare = func(ctx context.Context, q string) (driver.Stmt, error) {
			prepares.Add(1)
			return prepare(ctx, q)
		}
	})
	put := func(tx *Tx, key string) error { return tx.PutSetting(ctx, key, "v", time.Unix(0, 0), 0) }
	if err := db.Write(ctx, func(tx *Tx) error { return put(tx, "a") }); err != nil {
		t.Fatal(err)
	}
	first := prepares.Load()
	if first == 0 {
		t.Fatal("no statement prepared through the cache")
	}
	for i := range 5 {
		if err := db.Write(ctx, func(tx *Tx) error {
			if err := put(tx, fmt.Sprint("b", i)); err != nil {
				return err
			}
			return put(tx, fmt.Sprint("c", i))
		}); err != nil {
			t.Fatal(err)
		}
	}
	if got := prepares.Load(); got != first {
		t.Errorf("got %d prepares after 10 more of the same writes, want %d", got, first)
	}
}

// TestSQLiteNestedSameQuery runs a query again while its rows are still
// open (and an insert of the same text twice with them): the inner runs
// get statements of their own, and the outer rows go on unharmed.
func TestSQLiteNestedSameQuery(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := context.Background()
	const list = "SELECT key, value FROM settings WHERE key LIKE 'n%' ORDER BY key"
	err := db.Write(ctx, func(tx *Tx) error {
		for i := range 3 {
			if err := tx.PutSetting(ctx, fmt.Sprint("n", i), fmt.Sprint(i), time.Unix(0, 0), 0); err != nil {
				return err
			}
		}
		// The same text twice in a row first: cached, and free again.
		for range 2 {
			if _, err := tx.exec(ctx, list); err != nil {
				return err
			}
		}
		outer, err := tx.query(ctx, list)
		if err != nil {
			return err
		}
		defer outer.Close()
		var seen []string
		for outer.Next() {
			var k, v string
			if err := outer.Scan(&k, &v); err != nil {
				return err
			}
			seen = append(seen, k)
			if len(seen) > 3 {
				t.Errorf("outer query: got more than 3 rows: %v", seen)
				break
			}
			inner, err := tx.query(ctx, list)
			if err != nil {
				return err
			}
			n := 0
			for inner.Next() {
				n++
			}
			if err := inner.Close(); err != nil {
				return err
			}
			if n != 3 {
				t.Errorf("inner query: got %d rows, want 3", n)
			}
			if _, err := tx.exec(ctx, list); err != nil {
				return err
			}
		}
		if err := outer.Err(); err != nil {
			return err
		}
		if fmt.Sprint(seen) != "[n0 n1 n2]" {
			t.Errorf("outer query: got %v, want [n0 n1 n2]", seen)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSQLiteCachedErrors: through the cache a statement fails as it does
// without it, both when it does not prepare and when it fails on a run of
// a statement already cached (a unique constraint: still ECONFLICT).
func TestSQLiteCachedErrors(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := context.Background()
	plain, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	const bad = "SELEKT 1"
	_, want := plain.ExecContext(ctx, bad)
	if want == nil {
		t.Fatal("the plain driver took bad SQL")
	}
	for i := range 2 {
		err := db.Write(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, bad)
			return err
		})
		if err == nil || err.Error() != want.Error() {
			t.Errorf("run %d, exec: got %v, want %v", i, err, want)
		}
		err = db.Read(ctx, func(tx *Tx) error {
			var n int
			return tx.queryRow(ctx, bad).Scan(&n)
		})
		if err == nil || err.Error() != want.Error() {
			t.Errorf("run %d, queryRow: got %v, want %v", i, err, want)
		}
	}
	const insert = "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('dup', 'v', 0, NULL)"
	var dups []string
	for i := range 3 {
		err := db.Write(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, insert)
			return err
		})
		switch {
		case i == 0 && err != nil:
			t.Fatalf("first insert: %v", err)
		case i > 0 && !IsUniqueViolation(err):
			t.Errorf("insert %d: got %v, want a unique violation", i, err)
		case i > 0:
			dups = append(dups, err.Error())
		}
	}
	if len(dups) == 2 && dups[0] != dups[1] {
		t.Errorf("the cached insert failed with %q, then %q", dups[0], dups[1])
	}
}

// TestSQLiteCachedColumnTypes: rows of a cached statement tell their
// column types, as the driver's own do.
func TestSQLiteCachedColumnTypes(t *testing.T) {
	db := openSQLiteTest(t)
	ctx := context.Background()
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, "SELECT version, applied_at FROM schema_migrations ORDER BY version LIMIT 1")
		if err != nil {
			return err
		}
		defer rows.Close()
		types, err := rows.ColumnTypes()
		if err != nil {
			return err
		}
		if len(types) != 2 || types[0].DatabaseTypeName() != "INTEGER" || types[1].DatabaseTypeName() != "BIGINT" {
			t.Errorf("got column types %v, %v; want INTEGER, BIGINT", types[0].DatabaseTypeName(), types[1].DatabaseTypeName())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
