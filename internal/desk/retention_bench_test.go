package desk_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// BenchmarkRetention measures one retention run over closed tickets old
// enough for it (each with its subject indexed and two entries), on both
// databases, anonymising and deleting. The number of tickets is
// SERVUS_BENCH_RETENTION (default 10000); the README's figure is for
// 100000:
//
//	SERVUS_BENCH_RETENTION=100000 go test -run '^$' -bench BenchmarkRetention -benchtime 1x ./internal/desk
func BenchmarkRetention(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("SERVUS_BENCH_RETENTION")); err == nil && v > 0 {
		n = v
	}
	for _, d := range storetest.Dialects {
		for _, mode := range []string{desk.RetentionAnonymise, desk.RetentionDelete} {
			b.Run(d+"/"+mode, func(b *testing.B) {
				ctx := context.Background()
				for range b.N {
					b.StopTimer()
					w, raw := newRetentionWorldRaw(b, d)
					seedClosedBulk(b, w, raw, n, w.clock.Now().Add(-400*24*time.Hour))
					if _, err := w.svc.SetRetentionDefault(ctx, w.admin, desk.RetentionRule{Mode: mode, Months: 6}); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					start := time.Now()
					rep, err := w.svc.RunRetention(ctx, w.clock.Now(), desk.RetentionOptions{})
					if err != nil {
						b.Fatal(err)
					}
					took := time.Since(start)
					if got := rep.Anonymised + rep.Deleted; got != n {
						b.Fatalf("got %d tickets done, want %d", got, n)
					}
					b.ReportMetric(float64(n)/took.Seconds(), "tickets/s")
					b.Logf("%s %s: %d tickets in %v", d, mode, n, took.Round(time.Millisecond))
				}
			})
		}
	}
}

// newRetentionWorldRaw is newRetentionWorld with a second connection to
// its database, for seeding in bulk.
func newRetentionWorldRaw(b *testing.B, dialect string) (*retentionWorld, *sql.DB) {
	b.Helper()
	ctx := context.Background()
	dir, dbURL, driver, dsn := b.TempDir(), "", "sqlite", ""
	if dialect == store.Postgres {
		dbURL = storetest.PostgresURL(b)
		driver, dsn = "pgx", dbURL
	} else {
		dsn = "file:" + filepath.Join(dir, "servus.db") + "?_pragma=busy_timeout(10000)"
	}
	db, err := store.Open(ctx, dbURL, dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	w := newWorldOn(b, db)
	blobDir := b.TempDir()
	blobs, err := blob.Open(blobDir)
	if err != nil {
		b.Fatal(err)
	}
	p := auth.CheapParams()
	w.svc = desk.New(db, blobs, desk.Options{Now: w.clock.Now, PasswordParams: &p})
	return &retentionWorld{world: w, blobDir: blobDir}, raw
}

// seedClosedBulk adds n closed tickets of alice in Servicedesk, closed at
// or before closed, each with two entries (alice's and anna's) and a
// search document for the subject and each entry, in a few set-wise
// statements (setup, not measured).
func seedClosedBulk(b *testing.B, w *retentionWorld, raw *sql.DB, n int, closed time.Time) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	qs := must(w.svc.Queues(ctx, w.admin))
	var queueID int64
	for _, x := range qs {
		if x.Name == "Servicedesk" {
			queueID = x.ID
		}
	}
	at := closed.UnixMilli()
	terms := "'printer room floor blank page again'"
	if w.db.Dialect() == store.Postgres {
		terms = "to_tsvector('simple', " + terms + ")"
	}
	steps := []string{
		fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM c WHERE i < %d)
		INSERT INTO tickets (number, subject, queue_id, requester_id, priority, priority_rank, confidential, state, close_reason,
			channel, version, created_at, updated_at, resolved_at, closed_at)
		SELECT 1000 + i, 'Printer ' || i || ' in room ' || (i %% 500), %d, %d, 'normal', %d, FALSE, 'closed', 'solved', 'mail', 1,
			%d - i * 60000 - 3600000, %d - i * 60000, %d - i * 60000, %d - i * 60000 FROM c`,
			n, queueID, w.alice.UserID, ticket.PriorityNormal.Rank(), at, at, at, at),
		fmt.Sprintf(`UPDATE counters SET value = %d WHERE name = 'ticket'`, 1000+n),
		fmt.Sprintf(`INSERT INTO entries (ticket_id, kind, author_id, channel, visibility, body, created_at)
		SELECT t.id, 'comment', CASE WHEN x.k = 0 THEN %d ELSE %d END, 'web', 'public',
			'The printer on floor ' || (t.number %% 7) || ' prints blank pages again, entry ' || x.k || '.', t.closed_at - 60000
		FROM tickets t CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) x WHERE t.queue_id = %d`, w.alice.UserID, w.agentA.UserID, queueID),
	}
	if w.db.Dialect() == store.Postgres {
		steps = append(steps,
			"INSERT INTO search_docs (ticket_id, source, source_id, visibility, terms) SELECT id, 'subject', 0, 'public', "+terms+" FROM tickets",
			"INSERT INTO search_docs (ticket_id, source, source_id, visibility, terms) SELECT ticket_id, 'entry', id, 'public', "+terms+" FROM entries",
			"ANALYZE")
	} else {
		steps = append(steps,
			"INSERT INTO search_docs (ticket_id, source, source_id, visibility) SELECT id, 'subject', 0, 'public' FROM tickets",
			"INSERT INTO search_docs (ticket_id, source, source_id, visibility) SELECT ticket_id, 'entry', id, 'public' FROM entries",
			"INSERT INTO search_fts (rowid, terms) SELECT id, "+terms+" FROM search_docs")
	}
	for _, q := range steps {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	b.Logf("seeded %d tickets in %v", n, time.Since(start).Round(time.Millisecond))
}
