package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

func TestMigrateIsIdempotentAndConcurrent(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var url string
			dir := t.TempDir()
			if d == store.Postgres {
				url = storetest.PostgresURL(t)
			}
			// Three servus processes starting at once on one database.
			var wg sync.WaitGroup
			applied := make([]int, 3)
			errs := make([]error, 3)
			for i := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					db, err := store.Open(ctx, url, dir, nil)
					if err != nil {
						errs[i] = err
						return
					}
					defer db.Close()
					applied[i], errs[i] = db.Migrate(ctx)
				}()
			}
			wg.Wait()
			total := 0
			for i := range 3 {
				if errs[i] != nil {
					t.Fatalf("migrate %d: %v", i, errs[i])
				}
				total += applied[i]
			}
			db, err := store.Open(ctx, url, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			again, err := db.Migrate(ctx)
			if err != nil || again != 0 {
				t.Fatalf("second migrate: got %d, %v; want 0, nil", again, err)
			}
			if total == 0 {
				t.Fatalf("no process applied the migrations")
			}
			if got := db.Dialect(); got != d {
				t.Fatalf("got dialect %s, want %s", got, d)
			}
		})
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	_, err := store.Open(context.Background(), "mysql://root:secret@localhost/x", t.TempDir(), nil)
	if err == nil {
		t.Fatal("got nil error for a mysql URL")
	}
	if got := err.Error(); strings.Contains(got, "secret") {
		t.Fatalf("error shows the password: %s", got)
	}
}

// A lost race between transactions or a lost connection is transient (the
// work is tried again later); a constraint or a refusal is not.
func TestIsTransient(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "40001"}, true},
		{fmt.Errorf("commit: %w", &pgconn.PgError{Code: "40P01"}), true},
		{&pgconn.PgError{Code: "08006"}, true},
		{&pgconn.PgError{Code: "23505"}, false},
		{&pgconn.PgError{Code: "22021"}, false},
		{ticket.E(ticket.ECONFLICT, "err.ticket.stale", "#1", 1, 2), false},
		{nil, false},
	} {
		if got := store.IsTransient(c.err); got != c.want {
			t.Errorf("IsTransient(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
