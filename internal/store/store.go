// Package store holds all of servus's SQL, for SQLite (the embedded
// default) and PostgreSQL. Queries are written once with "?" placeholders
// and rebound for PostgreSQL; the few differences between the two (full-text
// search, upserts) are spelled out where they occur. Visibility is applied
// inside the queries through package access, never by filtering rows
// afterwards. Errors are *ticket.Error for what a caller can act on
// (ENOTFOUND, ECONFLICT); anything else is a database fault.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/servus-desk/servus/internal/ticket"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

//go:embed migrations
var migrations embed.FS

// DB is servus's database: SQLite in the data folder, or PostgreSQL. With
// SQLite all writes go through one connection (SQLite allows one writer at a
// time; queueing them in Go avoids busy errors) and reads use a pool; each
// SQLite connection keeps the statements it prepared (stmtcache.go).
type DB struct {
	dialect string
	write   *sql.DB
	read    *sql.DB
	log     *slog.Logger
	trace   func(query string) // TraceStatements; nil
	group   *groupCommitter    // SQLite: Write's group commit (groupcommit.go)
	plan    string             // SetTextPlan; "" lets each search choose
}

// Open connects to dbURL: empty for SQLite in dataDir/servus.db (the folder
// is created), "postgres://…" or "postgresql://…" for PostgreSQL. It does not
// migrate; call Migrate.
func Open(ctx context.Context, dbURL, dataDir string, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	switch {
	case dbURL == "" || strings.HasPrefix(dbURL, "sqlite:") || strings.HasPrefix(dbURL, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite:"), "file:")
		if path == "" {
			if err := os.MkdirAll(dataDir, 0o750); err != nil {
				return nil, fmt.Errorf("create data folder: %w", err)
			}
			path = filepath.Join(dataDir, "servus.db")
		}
		return openSQLite(ctx, path, log)
	case strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://"):
		return openPostgres(ctx, dbURL, log)
	}
	return nil, ticket.E(ticket.EINVALID, "err.store.db_url", redact(dbURL))
}

func openSQLite(ctx context.Context, path string, log *slog.Logger) (*DB, error) {
	// synchronous=FULL: a commit survives power loss, not only a crash;
	// foreign keys on; a writer waits up to 10 s for another process.
	// busy_timeout first: the pragmas after it (journal_mode=WAL needs a lock
	// of its own) then wait for another process instead of failing at once.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	// Each connection keeps the statements it prepared (stmtcache.go).
	wc, err := newSQLiteConnector("file:"+path+"?"+pragmas+"&_txlock=immediate", stmtCacheSize)
	if err != nil {
		return nil, err
	}
	rc, err := newSQLiteConnector("file:"+path+"?"+pragmas+"&_pragma=query_only(1)", stmtCacheSize)
	if err != nil {
		return nil, err
	}
	w := sql.OpenDB(wc)
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r := sql.OpenDB(rc)
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db := &DB{dialect: SQLite, write: w, read: r, log: log}
	// Several processes opening a new database at once: switching it to
	// WAL can answer SQLITE_BUSY without waiting for busy_timeout, so a
	// busy first connection is tried again for up to 5 s.
	err = db.Ping(ctx)
	for tries := 0; err != nil && IsTransient(err) && tries < 50 && ctx.Err() == nil; tries++ {
		time.Sleep(100 * time.Millisecond)
		err = db.Ping(ctx)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	db.group = startGroupCommit(db)
	return db, nil
}

func openPostgres(ctx context.Context, url string, log *slog.Logger) (*DB, error) {
	p, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	p.SetMaxOpenConns(20)
	p.SetMaxIdleConns(20)
	p.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{dialect: Postgres, write: p, read: p, log: log}
	if err := db.Ping(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("connect to PostgreSQL %s: %w", redact(url), err)
	}
	return db, nil
}

// redact hides a password in a database URL.
func redact(url string) string {
	at := strings.LastIndexByte(url, '@')
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	creds := url[scheme+3 : at]
	if i := strings.IndexByte(creds, ':'); i >= 0 {
		return url[:scheme+3] + creds[:i] + ":***" + url[at:]
	}
	return url
}

// Analyze refreshes the query planner's statistics (ANALYZE). PostgreSQL's
// autovacuum does this by itself after enough writes; call it after a bulk
// load. On PostgreSQL it is VACUUM ANALYZE: a bulk load leaves its search
// terms in the full-text index's pending list (GIN fastupdate), which every
// search reads through until a vacuum merges it (a rare word took 90 ms
// instead of 0.6 ms on 10,000 tickets). On SQLite it also merges the
// full-text index into one segment (FTS5 optimize): each transaction of a
// bulk load leaves a segment, and a search that checks a ticket's documents
// looks its words up in every segment (at 100,000 seeded tickets: 23
// segments; a requester's common-word search took 4 ms of CPU, 1 ms after).
// That rewrites the whole index (4 s at 100,000 tickets) while holding the
// write lock: for after a bulk load, not while servus serves.
func (db *DB) Analyze(ctx context.Context) error {
	if db.dialect == Postgres {
		_, err := db.write.ExecContext(ctx, "VACUUM ANALYZE")
		return err
	}
	if _, err := db.write.ExecContext(ctx, "INSERT INTO search_fts (search_fts) VALUES ('optimize')"); err != nil {
		return fmt.Errorf("merge the full-text index: %w", err)
	}
	_, err := db.write.ExecContext(ctx, "ANALYZE")
	return err
}

// SearchSegments is how many segments SQLite's full-text index has (each
// search probe looks a word up in every one; Analyze merges them into one);
// 0 on PostgreSQL.
func (db *DB) SearchSegments(ctx context.Context) (int, error) {
	if db.dialect != SQLite {
		return 0, nil
	}
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(DISTINCT segid) FROM search_fts_idx").Scan(&n)
	return n, err
}

// Optimize keeps the query planner's statistics fresh while servus runs.
// On SQLite it is PRAGMA optimize over every table (0x10002), each table
// analysed on a bounded sample (analysis_limit), so it takes milliseconds
// even at a million tickets and re-analyses only tables that changed
// enough. The search plan depends on these statistics (the rare/common
// split reads the full-text index itself, but the ticket indexes' choice
// does not). On PostgreSQL it does nothing: autovacuum analyses by itself
// (migration 0032 tunes it for the search tables; docs/performance.md).
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	_, err := db.write.ExecContext(ctx, "PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002")
	return err
}

// Dialect is SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks that the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	if db.read != db.write {
		return db.read.PingContext(ctx)
	}
	return nil
}

// Close closes every connection.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.stop()
	}
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Migrate applies every embedded migration not yet applied, in order, each
// in its own transaction, and returns how many it applied. Several servus
// processes may call it at once: on PostgreSQL an advisory lock serialises
// them, on SQLite the single writer does.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	return db.MigrateTo(ctx, math.MaxInt)
}

// MigrateTo is Migrate for the migrations up to version only (a restore
// brings the schema to the archive's version before it loads the rows).
func (db *DB) MigrateTo(ctx context.Context, version int) (int, error) {
	dir := "migrations/" + db.dialect
	files, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return 0, err
	}
	sort.Strings(files)
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if db.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7263512)"); err != nil {
			return 0, err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7263512)")
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := 0
	for _, f := range files {
		name := filepath.Base(f)
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return applied, fmt.Errorf("migration %s: name must start with a number", name)
		}
		if v > version {
			break
		}
		body, err := migrations.ReadFile(f)
		if err != nil {
			return applied, err
		}
		// The check is inside the transaction: on SQLite it holds the write
		// lock (BEGIN IMMEDIATE), so two processes cannot both apply it.
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		var n int
		if err := tx.QueryRowContext(ctx, db.rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), v).Scan(&n); err != nil {
			tx.Rollback()
			return applied, err
		}
		if n > 0 {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, db.rebind("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"), v, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("migration %s: %w", name, err)
		}
		db.log.Info("applied migration", "name", name)
		applied++
	}
	if db.dialect == Postgres {
		// Tickets copied in by other means than servus (a restore of
		// tables, an import) may carry numbers beyond the sequence: move
		// it past them, so that it never hands out a number in use. In
		// normal operation the sequence is ahead and nothing changes.
		if _, err := conn.ExecContext(ctx, `SELECT setval('ticket_numbers', x.m)
			FROM (SELECT GREATEST((SELECT COALESCE(MAX(number), 0) FROM tickets), (SELECT value FROM counters WHERE name = 'ticket')) AS m) x,
				ticket_numbers s
			WHERE x.m > s.last_value OR (NOT s.is_called AND x.m >= s.last_value)`); err != nil {
			return applied, fmt.Errorf("catch up ticket_numbers: %w", err)
		}
	}
	return applied, nil
}

// Tx is one database transaction. Its methods are servus's queries.
type Tx struct {
	db       *DB
	tx       *sql.Tx
	readOnly bool // begun by Read: nothing to lock
}

// Dialect is the database's dialect.
func (tx *Tx) Dialect() string { return tx.db.dialect }

// Write runs fn in a read-write transaction, committing when fn returns nil
// and rolling back otherwise, and returns once the commit is durable. When
// PostgreSQL gives up the transaction for a serialization failure or a
// deadlock (SQLSTATE 40001, 40P01), Write runs fn again in a new one, up to
// writeAttempts times in all; fn must therefore do nothing outside tx that
// cannot be done twice. On SQLite, the functions of concurrent Writes share
// one transaction, each in a savepoint of its own (group commit, see
// groupcommit.go).
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if db.group != nil {
			err = db.group.write(ctx, fn)
		} else {
			err = db.run(ctx, db.write, nil, fn)
		}
		if attempt == writeAttempts || !(retryable(err) || errors.Is(err, errGroupAborted)) || ctx.Err() != nil {
			return err
		}
		db.log.Debug("transaction retried", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
		}
	}
}

// writeAttempts is how often Write tries a transaction that PostgreSQL
// aborted for a conflict with another one.
const writeAttempts = 5

// retryable reports whether err means the transaction lost a race with
// another one and may simply be run again.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// IsTransient reports whether err is a fault that may pass by itself: a
// lost race between transactions (after Write's own retries), a lock or
// statement timeout, or a lost or refused database connection. Work that
// failed for such a reason is worth trying again later; it says nothing
// about the work itself.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if retryable(err) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "55P03", pgErr.Code == "57014", strings.HasPrefix(pgErr.Code, "08"),
			strings.HasPrefix(pgErr.Code, "53"), strings.HasPrefix(pgErr.Code, "57P"):
			return true
		}
		return false
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	// SQLite: another process held the database longer than busy_timeout.
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// Read runs fn in a read-only transaction: a consistent snapshot.
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: db.dialect == Postgres}
	return db.run(ctx, db.read, opts, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(tx *Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{db: db, tx: sqlTx, readOnly: opts != nil && opts.ReadOnly}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// TraceStatements makes db call fn with every statement a transaction
// runs, before it runs (tests count the steps of an operation with it). Set
// it before db is used; nil stops tracing.
func (db *DB) TraceStatements(fn func(query string)) { db.trace = fn }

func (tx *Tx) traced(q string) {
	if tx.db.trace != nil {
		tx.db.trace(q)
	}
}

// clean makes every text argument of a query what servus stores
// (ticket.CleanText: no NUL bytes, valid UTF-8), so that both databases
// store, and look up, the same text, and PostgreSQL never refuses a value
// SQLite would take. It is the one place all text passes on its way in.
func clean(args []any) []any {
	for i, a := range args {
		if s, ok := a.(string); ok {
			if c := ticket.CleanText(s); c != s {
				args[i] = c
			}
		}
	}
	return args
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	tx.traced(q)
	res, err := tx.tx.ExecContext(ctx, tx.db.rebind(q), clean(args)...)
	return res, tx.db.wrap(err)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	tx.traced(q)
	rows, err := tx.tx.QueryContext(ctx, tx.db.rebind(q), clean(args)...)
	return rows, tx.db.wrap(err)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	tx.traced(q)
	return tx.tx.QueryRowContext(ctx, tx.db.rebind(q), clean(args)...)
}

// rebind turns "?" placeholders into PostgreSQL's "$1", "$2", …; servus's
// queries never put a "?" inside a string literal.
func (db *DB) rebind(q string) string {
	if db.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// wrap turns a unique-constraint violation into ECONFLICT.
func (db *DB) wrap(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return &conflictError{err}
	}
	if strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return &conflictError{err}
	}
	return err
}

// conflictError is a unique-constraint violation.
type conflictError struct{ err error }

func (e *conflictError) Error() string { return e.err.Error() }
func (e *conflictError) Unwrap() error { return e.err }

// IsUniqueViolation reports whether err came from a unique constraint.
func IsUniqueViolation(err error) bool {
	var c *conflictError
	return errors.As(err, &c)
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func msPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}
