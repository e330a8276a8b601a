package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestDueRemindersCursor: DueReminders returns the due tickets above its
// cursor in number order, up to its limit, so that a walk from 0 with the
// last number of each batch finds every due ticket once; and it reads the
// waiting tickets through the partial index tickets_waiting in number
// order, without sorting and without reading the other tickets. The data
// is shaped like a real desk: most tickets closed, one in ten waiting, in
// a queue with reminders and one without, some due and some not.
func TestDueRemindersCursor(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Open(t, d)
			now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			const day = 24 * time.Hour
			var want []int64 // the due tickets' numbers, in order
			err := db.Write(ctx, func(tx *store.Tx) error {
				req := &ticket.User{Email: "req@example.org", Name: "Req", Role: ticket.RoleRequester, Language: "de", CreatedAt: now}
				if err := tx.InsertUser(ctx, req, ""); err != nil {
					return err
				}
				reminding := &ticket.Queue{Name: "Reminding", CreatedAt: now}
				quiet := &ticket.Queue{Name: "Quiet", CreatedAt: now}
				for _, q := range []*ticket.Queue{reminding, quiet} {
					if err := tx.InsertQueue(ctx, q); err != nil {
						return err
					}
				}
				if err := tx.SetQueueReminder(ctx, reminding.ID, ticket.Reminder{AfterSeconds: 86400, Then: ticket.ReminderThenClose, ThenAfterSeconds: 2 * 86400}); err != nil {
					return err
				}
				for i := range 4000 {
					num, err := tx.NextTicketNumber(ctx)
					if err != nil {
						return err
					}
					q, st := reminding, ticket.StateClosed
					switch {
					case i%10 == 3:
						st = ticket.StateWaiting
					case i%10 == 4:
						st = ticket.StateOpen
					case i%20 == 7:
						q, st = quiet, ticket.StateWaiting // waiting, but no reminders
					}
					tk := &ticket.Ticket{Number: num, Subject: "s", QueueID: q.ID, RequesterID: req.ID, Priority: ticket.PriorityNormal,
						State: st, Channel: ticket.ChannelMail, Version: 1, CreatedAt: now.Add(-30 * day), UpdatedAt: now.Add(-30 * day)}
					if err := tx.InsertTicket(ctx, tk); err != nil {
						return err
					}
					if st != ticket.StateWaiting {
						continue
					}
					// Waiting since: two days (reminder due), an hour (not
					// due), or four days with a reminder three days ago
					// (close due) or one day ago (not due).
					k := (i / 10) % 4
					since := now.Add([]time.Duration{-2 * day, -time.Hour, -4 * day, -4 * day}[k])
					e := &ticket.Entry{TicketID: tk.ID, Kind: ticket.KindEvent, Channel: ticket.ChannelSystem, Visibility: ticket.VisibilityPublic,
						Field: "state", OldValue: "open", NewValue: "waiting", CreatedAt: since}
					if err := tx.InsertEntry(ctx, e); err != nil {
						return err
					}
					if k >= 2 {
						sent := now.Add([]time.Duration{-3 * day, -day}[k-2])
						if _, err := tx.RecordReminder(ctx, tk.ID, e.ID, sent); err != nil {
							return err
						}
					}
					if q == reminding && (k == 0 || k == 2) {
						want = append(want, num)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			due := func(after int64, limit int) []int64 {
				t.Helper()
				var ws []*store.WaitingTicket
				if err := db.Read(ctx, func(tx *store.Tx) (err error) {
					ws, err = tx.DueReminders(ctx, now, after, limit)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				var out []int64
				for _, w := range ws {
					out = append(out, w.Number)
				}
				return out
			}
			if len(want) != 200 {
				t.Fatalf("made %d due tickets, want 200", len(want))
			}
			// From the middle: the next ones above the cursor, in order.
			if got := due(want[41], 5); !slices.Equal(got, want[42:47]) {
				t.Errorf("5 after #%d: got %v, want %v", want[41], got, want[42:47])
			}
			if got := due(want[41]+1, 3); !slices.Equal(got, want[42:45]) {
				t.Errorf("3 after #%d (not due itself): got %v, want %v", want[41]+1, got, want[42:45])
			}
			if got := due(want[199], 10); len(got) != 0 {
				t.Errorf("after the last due #%d: got %v, want none", want[199], got)
			}
			// The walk, in batches of 30: every due ticket once, the last
			// batch short.
			var walked []int64
			var after int64
			for batches := 1; ; batches++ {
				got := due(after, 30)
				walked = append(walked, got...)
				if len(got) < 30 {
					if batches != 7 {
						t.Errorf("walk: %d batches, want 7", batches)
					}
					break
				}
				after = got[len(got)-1]
			}
			if !slices.Equal(walked, want) {
				t.Errorf("walk: got %d tickets %v, want %d %v", len(walked), walked, len(want), want)
			}

			// The plan, without statistics and with them (servus analyses
			// SQLite as it runs: store.Optimize; PostgreSQL's autovacuum):
			// the waiting tickets through tickets_waiting, never the
			// whole table; on SQLite in number order, without a sort.
			for _, analysed := range []bool{false, true} {
				if analysed {
					if err := db.Analyze(ctx); err != nil {
						t.Fatal(err)
					}
				}
				plan, err := db.DueRemindersPlan(ctx, now, want[41], 100)
				if err != nil {
					t.Fatal(err)
				}
				var ok bool
				if d == store.SQLite {
					ok = strings.Contains(plan, "SEARCH t USING INDEX tickets_waiting (number>?)") &&
						!strings.Contains(plan, "SCAN t") && !strings.Contains(plan, "TEMP B-TREE")
				} else {
					// PostgreSQL reads these few through the index too, but
					// then may rather sort them than walk them in order;
					// with more waiting than a batch it walks (200,000
					// tickets: "Index Scan using tickets_waiting", no Sort).
					ok = strings.Contains(plan, "Index Scan using tickets_waiting on tickets t") ||
						strings.Contains(plan, "Bitmap Index Scan on tickets_waiting")
					ok = ok && !strings.Contains(plan, "Seq Scan on tickets t")
				}
				if !ok {
					t.Errorf("analysed %v: the plan does not read the waiting tickets through tickets_waiting:\n%s", analysed, plan)
				}
				t.Logf("analysed %v:\n%s", analysed, plan)
			}
		})
	}
}
