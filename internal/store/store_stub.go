package store

// TEMPORARY signatures; replaced by the real implementation.

import (
	"context"
	"log/slog"
)

// DB is servus's database: SQLite in the data folder, or PostgreSQL.
type DB struct{}

// Open connects to dbURL (empty: SQLite file servus.db in dataDir;
// postgres://… : PostgreSQL). It does not migrate; call Migrate.
func Open(ctx context.Context, dbURL, dataDir string, log *slog.Logger) (*DB, error) { return nil, nil }

// Migrate applies every embedded migration not yet applied, each in its own
// transaction, and returns how many it applied.
func (db *DB) Migrate(ctx context.Context) (int, error) { return 0, nil }

// Ping checks the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error { return nil }

// Dialect is "sqlite" or "postgres".
func (db *DB) Dialect() string { return "" }

// Close closes every connection.
func (db *DB) Close() error { return nil }
