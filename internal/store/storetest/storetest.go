// Package storetest gives tests a real, migrated servus database: SQLite in
// a temporary folder, or a fresh database on the local PostgreSQL server
// that is dropped when the test ends.
//
// The PostgreSQL server is SERVUS_TEST_POSTGRES (a postgres:// URL to an
// existing database the tests may CREATE DATABASE from), by default
// postgres://postgres@127.0.0.1:5432/postgres. When it does not answer the
// PostgreSQL tests skip with a message, unless CI is set: then they fail,
// so that CI never passes without them.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/servus-desk/servus/internal/store"
)

// Dialects lists the databases every store-backed test runs against.
var Dialects = []string{store.SQLite, store.Postgres}

// ServerURL is the PostgreSQL server the tests use.
func ServerURL() string {
	if u := os.Getenv("SERVUS_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// PostgresURL creates a fresh, empty database on the test server and
// returns its URL; the database is dropped when t ends. It skips t (or fails
// it when CI is set) if the server does not answer.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("pgx", ServerURL())
	if err != nil {
		t.Fatalf("open PostgreSQL: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL at %s does not answer and CI is set: %v", ServerURL(), err)
		}
		t.Skipf("PostgreSQL at %s does not answer (%v); start it to run the PostgreSQL tests", ServerURL(), err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "servus_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(ServerURL())
	if err != nil {
		t.Fatalf("parse %s: %v", ServerURL(), err)
	}
	u.Path = "/" + name
	return u.String()
}

// Open returns a migrated database of the given dialect (store.SQLite or
// store.Postgres), closed when t ends.
func Open(t testing.TB, dialect string) *store.DB {
	t.Helper()
	ctx := context.Background()
	var dbURL string
	if dialect == store.Postgres {
		dbURL = PostgresURL(t)
	}
	db, err := store.Open(ctx, dbURL, t.TempDir(), nil)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}
