package store

import (
	"container/list"
	"context"
	"database/sql/driver"
	"fmt"
	"reflect"
	"sync"

	"modernc.org/sqlite" // also registers the "sqlite" driver
)

// Prepared statements (SQLite). SQLite compiles every statement before it
// runs it, and for servus's short transactions that compiling is much of
// the work (CPU profiles: 46 % of the report backfill, 14 % of a ticket's
// creation). So each SQLite connection keeps the statements it ran, by
// their SQL text, and runs one again by binding new arguments to it (the
// driver keeps a prepared statement compiled and resets it after each run;
// only a text of several statements is parsed on every run, as before).
// The statements live on the connection because SQLite's do: a
// connection is all a transaction holds, so no statement ever waits for
// another connection. (A cache of database/sql statements on the pool
// would prepare each new text on a free connection of the pool, and the
// write pool's only connection is the one the transaction holds.)
//
// The cache is bounded: texts built at run time (IN lists, searches, report
// rows) would otherwise collect without end. The least recently used
// statement leaves it and is finalized. A statement is used by one call at
// a time: while its rows are open, the same text runs as it did before the
// cache, prepared for that call alone (a query nested in the rows of the
// same query gets its own statement, as it must). PostgreSQL needs none of
// this: pgx caches its prepared statements per connection itself (512 by
// default).

// stmtCacheSize is how many statements each SQLite connection keeps. The
// desk tests run about 340 different texts (about 300 once IN lists of
// different lengths count as one), and prepare at most about 230 on one
// connection, the migrations' included: a connection of the read pool runs
// only the reading ones. A prepared statement takes about 6 KB of SQLite's
// memory (the average of those 340), so a full cache about 1.5 MB a
// connection.
const stmtCacheSize = 256

// sqliteConnector opens SQLite connections that keep their statements.
type sqliteConnector struct {
	base driver.Connector
	size int
}

func newSQLiteConnector(dsn string, size int) (*sqliteConnector, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return &sqliteConnector{base: c, size: size}, nil
}

// sqliteDriverConn is what database/sql uses of a SQLite connection; the
// cache passes all of it on.
type sqliteDriverConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// Connect opens a connection; it fails when the driver's connection lacks
// one of the methods database/sql uses (a driver upgrade that changed it).
func (c *sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	conn, ok := dc.(sqliteDriverConn)
	if !ok {
		dc.Close()
		return nil, fmt.Errorf("store: the SQLite driver's connection %T lacks a method the statement cache passes on", dc)
	}
	return &cachingConn{sqliteDriverConn: conn, stmts: newStmtCache(c.size, conn.PrepareContext)}, nil
}

// Driver is the SQLite driver.
func (c *sqliteConnector) Driver() driver.Driver { return c.base.Driver() }

// cachingConn is a SQLite connection whose ExecContext and QueryContext
// keep the statements they prepare.
type cachingConn struct {
	sqliteDriverConn
	stmts *stmtCache
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmts.acquire(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteDriverConn.ExecContext(ctx, query, args)
	}
	defer c.stmts.release(s)
	return s.exec.ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmts.acquire(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteDriverConn.QueryContext(ctx, query, args)
	}
	r, err := s.query.QueryContext(ctx, args)
	if err != nil {
		c.stmts.release(s)
		return nil, err
	}
	rows, ok := r.(sqliteRows)
	if !ok {
		r.Close()
		c.stmts.release(s)
		return nil, fmt.Errorf("store: the SQLite driver's rows %T lack a method the statement cache passes on", r)
	}
	return &cachedRows{sqliteRows: rows, stmts: c.stmts, s: s}, nil
}

// Close finalizes the connection's statements, then closes it.
func (c *cachingConn) Close() error {
	c.stmts.close()
	return c.sqliteDriverConn.Close()
}

// sqliteRows is what database/sql uses of a SQLite result.
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// cachedRows are the rows of a cached statement: closing them frees the
// statement for its next use.
type cachedRows struct {
	sqliteRows
	stmts  *stmtCache
	s      *cachedStmt
	closed bool
}

func (r *cachedRows) Close() error {
	err := r.sqliteRows.Close()
	if !r.closed {
		r.closed = true
		r.stmts.release(r.s)
	}
	return err
}

// The column types: database/sql asks for them through these interfaces,
// which the embedded interface alone would not show.
func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	return r.sqliteRows.ColumnTypeDatabaseTypeName(i)
}
func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) { return r.sqliteRows.ColumnTypeLength(i) }
func (r *cachedRows) ColumnTypeNullable(i int) (bool, bool) {
	return r.sqliteRows.ColumnTypeNullable(i)
}
func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	return r.sqliteRows.ColumnTypeScanType(i)
}
func (r *cachedRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	return r.sqliteRows.ColumnTypePrecisionScale(i)
}

// stmtCache holds up to size prepared statements by their SQL text, the
// least recently used evicted first. It is safe for concurrent use; a
// statement is handed to one user at a time.
type stmtCache struct {
	prepare func(ctx context.Context, query string) (driver.Stmt, error)
	size    int

	mu      sync.Mutex
	byQuery map[string]*list.Element // of recent, Value a *cachedStmt
	recent  list.List                // most recently used first
	closed  bool
}

// cachedStmt is a prepared statement of a stmtCache.
type cachedStmt struct {
	text  string
	stmt  driver.Stmt
	exec  driver.StmtExecContext
	query driver.StmtQueryContext
	busy  bool // handed out by acquire, not yet released
	gone  bool // evicted (or not kept): finalize once released
}

func newStmtCache(size int, prepare func(ctx context.Context, query string) (driver.Stmt, error)) *stmtCache {
	return &stmtCache{prepare: prepare, size: max(size, 1), byQuery: map[string]*list.Element{}}
}

// acquire hands out query's statement, preparing it first if the cache
// does not hold it; release gives it back. It returns nil, nil when the
// statement is in use already: the caller then runs query without the
// cache. A failed prepare returns the driver's error, as running query
// without the cache would.
func (c *stmtCache) acquire(ctx context.Context, query string) (*cachedStmt, error) {
	c.mu.Lock()
	if e, ok := c.byQuery[query]; ok {
		s := e.Value.(*cachedStmt)
		if s.busy {
			c.mu.Unlock()
			return nil, nil
		}
		s.busy = true
		c.recent.MoveToFront(e)
		c.mu.Unlock()
		return s, nil
	}
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, nil
	}
	ds, err := c.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	exec, okE := ds.(driver.StmtExecContext)
	q, okQ := ds.(driver.StmtQueryContext)
	if !okE || !okQ {
		ds.Close()
		return nil, nil
	}
	s := &cachedStmt{text: query, stmt: ds, exec: exec, query: q, busy: true}
	var evicted []*cachedStmt
	c.mu.Lock()
	if _, ok := c.byQuery[query]; ok || c.closed {
		// Another user cached the text meanwhile, or the cache was
		// closed: this statement serves this use alone.
		s.gone = true
	} else {
		c.byQuery[query] = c.recent.PushFront(s)
		for c.recent.Len() > c.size {
			old := c.recent.Remove(c.recent.Back()).(*cachedStmt)
			delete(c.byQuery, old.text)
			old.gone = true
			if !old.busy {
				evicted = append(evicted, old)
			}
		}
	}
	c.mu.Unlock()
	for _, old := range evicted {
		old.stmt.Close()
	}
	return s, nil
}

// release gives s back after use, finalizing it if it left the cache
// meanwhile (but not after close: its connection is closed then).
func (c *stmtCache) release(s *cachedStmt) {
	c.mu.Lock()
	s.busy = false
	gone := s.gone && !c.closed
	c.mu.Unlock()
	if gone {
		// Its error is the last run's, which that run reported.
		s.stmt.Close()
	}
}

// close finalizes the statements before their connection closes; the
// cache keeps none after. database/sql closes a connection only when no
// rows of it are open, so no statement is in use then.
func (c *stmtCache) close() {
	var idle []*cachedStmt
	c.mu.Lock()
	c.closed = true
	for e := c.recent.Front(); e != nil; e = e.Next() {
		s := e.Value.(*cachedStmt)
		s.gone = true
		if !s.busy {
			idle = append(idle, s)
		}
	}
	c.recent.Init()
	clear(c.byQuery)
	c.mu.Unlock()
	for _, s := range idle {
		s.stmt.Close()
	}
}

// count is how many statements the cache holds.
func (c *stmtCache) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.recent.Len()
}
