package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestAccountMailMigration upgrades a database with mail in its outbox
// from before migration 0006 (which rebuilds the outbox on SQLite): the
// mail is kept as it was, and the outbox then takes account mail, whose
// secret lives only while the mail is pending.
func TestAccountMailMigration(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			var url, driver, dsn string
			switch d {
			case store.Postgres:
				url = storetest.PostgresURL(t)
				driver, dsn = "pgx", url
			default:
				driver, dsn = "sqlite", "file:"+filepath.Join(dir, "servus.db")+"?_pragma=foreign_keys(1)"
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			exec := func(q string) {
				t.Helper()
				if _, err := raw.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			// The schema as it was before 0006, with one sent and one pending mail.
			files, _ := filepath.Glob("migrations/" + d + "/*.sql")
			sort.Strings(files)
			exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)")
			for _, f := range files {
				v, _ := strconv.Atoi(strings.SplitN(filepath.Base(f), "_", 2)[0])
				if v >= 6 {
					continue
				}
				body, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				exec(string(body))
				exec("INSERT INTO schema_migrations (version, applied_at) VALUES (" + strconv.Itoa(v) + ", 0)")
			}
			exec("INSERT INTO users (id, email, name, role, created_at) VALUES (1, 'rita@example.org', 'Rita', 'requester', 1)")
			exec("INSERT INTO queues (id, name, created_at) VALUES (1, 'Servicedesk', 1)")
			exec(`INSERT INTO tickets (id, number, subject, queue_id, requester_id, priority, priority_rank, confidential, state, channel, version, created_at, updated_at)
				VALUES (1, 42, 'Drucker', 1, 1, 'normal', 2, FALSE, 'new', 'web', 1, 1, 1)`)
			exec(`INSERT INTO outbox (id, created_at, ticket_id, event, recipient_id, message_id, state, attempts, next_attempt_at, sent_at)
				VALUES (7, 1000, 1, 'created', 1, 'a@servus.test', 'sent', 1, 1000, 2000)`)
			exec(`INSERT INTO outbox (id, created_at, ticket_id, event, recipient_id, message_id, next_attempt_at)
				VALUES (8, 1000, 1, 'created', 1, 'b@servus.test', 3000)`)

			db, err := store.Open(ctx, url, dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			if d == store.SQLite {
				var problems int
				if err := raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM pragma_foreign_key_check").Scan(&problems); err != nil || problems != 0 {
					t.Errorf("foreign key check: %d problems, %v", problems, err)
				}
				var indexes int
				raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND name IN ('outbox_due', 'outbox_ticket', 'outbox_recipient', 'outbox_reset')").Scan(&indexes)
				if indexes != 4 {
					t.Errorf("outbox has %d of its 4 indexes", indexes)
				}
			}
			now := time.UnixMilli(10_000).UTC()
			err = db.Write(ctx, func(tx *store.Tx) error {
				ns, err := tx.Notifications(ctx, "", 10, 0)
				if err != nil {
					return err
				}
				if len(ns) != 2 || ns[1].ID != 7 || ns[1].State != "sent" || ns[1].TicketNumber != 42 || ns[1].SentAt == nil ||
					ns[1].MessageID != "a@servus.test" || ns[0].ID != 8 || ns[0].State != "pending" || ns[0].ResetID != 0 {
					t.Errorf("after the migration: got %+v %+v, want both mails as they were", ns[1], ns[0])
				}
				// Account mail: no ticket, a reset, a secret until it is finished.
				r := &store.PasswordReset{UserID: 1, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
				if err := tx.InsertPasswordReset(ctx, r, "hash-1"); err != nil {
					return err
				}
				n := &store.Notification{CreatedAt: now, Event: "password_reset", RecipientID: 1, ResetID: r.ID,
					MessageID: "c@servus.test", NextAttemptAt: now, Secret: "servus_secret"}
				if err := tx.InsertNotification(ctx, n); err != nil {
					return err
				}
				if s, err := tx.NotificationSecret(ctx, n.ID); err != nil || s != "servus_secret" {
					t.Errorf("secret while pending: %q, %v", s, err)
				}
				if err := tx.FinishNotification(ctx, n.ID, "pending", now, now.Add(time.Minute), "421 try later"); err != nil {
					return err
				}
				if s, _ := tx.NotificationSecret(ctx, n.ID); s != "servus_secret" {
					t.Errorf("secret after a temporary failure: %q, want it kept for the retry", s)
				}
				if err := tx.FinishNotification(ctx, n.ID, "sent", now, now, ""); err != nil {
					return err
				}
				got, err := tx.NotificationByID(ctx, n.ID)
				if err != nil {
					return err
				}
				if got.TicketID != 0 || got.TicketNumber != 0 || got.ResetID != r.ID || got.State != "sent" || got.Recipient != "rita@example.org" {
					t.Errorf("account mail: got %+v", got)
				}
				if err := tx.RetryNotification(ctx, n.ID, now); ticket.ErrorCode(err) != ticket.ECONFLICT {
					t.Errorf("retry of sent account mail: %v, want conflict", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// Mail about nothing is refused by the schema.
			err = db.Write(ctx, func(tx *store.Tx) error {
				return tx.InsertNotification(ctx, &store.Notification{CreatedAt: now, Event: "password_reset", RecipientID: 1,
					MessageID: "d@servus.test", NextAttemptAt: now})
			})
			if err == nil {
				t.Errorf("a notification without ticket and reset was stored")
			}
			var secrets int
			if err := raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE secret IS NOT NULL").Scan(&secrets); err != nil || secrets != 0 {
				t.Errorf("%d secrets left in the outbox after sending (%v), want 0", secrets, err)
			}
		})
	}
}

// TestDropStaleResetMails: pending reset mails whose link can no longer be
// used are dropped and lose their secret; usable ones stay.
func TestDropStaleResetMails(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Open(t, d)
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			err := db.Write(ctx, func(tx *store.Tx) error {
				u := &ticket.User{Email: "rita@example.org", Name: "Rita", Role: ticket.RoleRequester, Language: "de", CreatedAt: now}
				if err := tx.InsertUser(ctx, u, ""); err != nil {
					return err
				}
				var ids []int64
				for i, created := range []time.Time{now.Add(-2 * time.Hour), now.Add(-time.Minute), now.Add(-2 * time.Minute)} {
					r := &store.PasswordReset{UserID: u.ID, CreatedAt: created, ExpiresAt: created.Add(time.Hour)}
					if err := tx.InsertPasswordReset(ctx, r, "hash-"+strconv.Itoa(i)); err != nil {
						return err
					}
					n := &store.Notification{CreatedAt: created, Event: "password_reset", RecipientID: u.ID, ResetID: r.ID,
						MessageID: "m" + strconv.Itoa(i) + "@servus.test", NextAttemptAt: created, Secret: "token-" + strconv.Itoa(i)}
					if err := tx.InsertNotification(ctx, n); err != nil {
						return err
					}
					ids = append(ids, n.ID)
				}
				// The third link is used: the second is revoked with it.
				third, err := tx.PasswordResetByHash(ctx, "hash-2")
				if err != nil {
					return err
				}
				if err := tx.UsePasswordReset(ctx, third, "new-hash", now); err != nil {
					return err
				}
				if err := tx.UsePasswordReset(ctx, third, "newer-hash", now); ticket.ErrorCode(err) != ticket.ECONFLICT {
					t.Errorf("second use of a link: %v, want conflict", err)
				}
				k, err := tx.DropStaleResetMails(ctx, now)
				if err != nil {
					return err
				}
				if k != 3 {
					t.Errorf("dropped %d, want 3 (expired, revoked, used)", k)
				}
				for _, id := range ids {
					n, err := tx.NotificationByID(ctx, id)
					if err != nil {
						return err
					}
					if s, _ := tx.NotificationSecret(ctx, id); n.State != "dropped" || s != "" || n.LastError == "" {
						t.Errorf("mail %d: %s, secret %q, reason %q; want dropped without secret", id, n.State, s, n.LastError)
					}
				}
				_, hash, err := tx.UserByEmail(ctx, u.Email)
				if err != nil || hash != "new-hash" {
					t.Errorf("password hash %q, %v; want the one the link set", hash, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
