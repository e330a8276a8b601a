package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestTicketNumbersConcurrent takes ticket numbers from many transactions at
// once: each is new, and on PostgreSQL a transaction that holds a number
// open does not keep the others from taking theirs (the counter row used to
// make every create wait for the commit of the one before it).
func TestTicketNumbersConcurrent(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Open(t, dialect)
			if dialect == store.Postgres {
				// One transaction takes a number and stays open until
				// another has taken and committed its own.
				took, done := make(chan struct{}), make(chan struct{})
				var first int64
				go func() {
					defer close(done)
					err := db.Write(ctx, func(tx *store.Tx) (err error) {
						first, err = tx.NextTicketNumber(ctx)
						close(took)
						takeWhileOpen(t, ctx, db, first)
						return err
					})
					if err != nil {
						t.Error(err)
					}
				}()
				<-took
				<-done
			}
			var mu sync.Mutex
			seen := map[int64]bool{}
			var wg sync.WaitGroup
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 10 {
						var n int64
						err := db.Write(ctx, func(tx *store.Tx) (err error) {
							n, err = tx.NextTicketNumber(ctx)
							return err
						})
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						if seen[n] {
							t.Errorf("number %d handed out twice", n)
						}
						seen[n] = true
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(seen) != 80 {
				t.Errorf("got %d numbers, want 80", len(seen))
			}
		})
	}
}

// takeWhileOpen takes and commits a number in a second transaction while
// the first (which took first) is open; it fails the test when that has to
// wait for the first.
func takeWhileOpen(t *testing.T, ctx context.Context, db *store.DB, first int64) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var second int64
	err := db.Write(ctx, func(tx *store.Tx) (err error) {
		second, err = tx.NextTicketNumber(ctx)
		return err
	})
	if err != nil {
		t.Errorf("a second transaction could not take a number while the first was open: %v", err)
	} else if second == first {
		t.Errorf("both transactions got number %d", second)
	}
}

// TestTicketNumbersCatchUp: tickets written with numbers the sequence has
// not handed out (as a restore copying tables would) move it past them
// when the database is next opened and migrated.
func TestTicketNumbersCatchUp(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	db, err := store.Open(ctx, url, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		u := &ticket.User{Email: "r@example.org", Name: "R", Role: ticket.RoleRequester, Language: "de", CreatedAt: time.Now()}
		if err := tx.InsertUser(ctx, u, ""); err != nil {
			return err
		}
		q := &ticket.Queue{Name: "Q"}
		if err := tx.InsertQueue(ctx, q); err != nil {
			return err
		}
		now := time.Now()
		return tx.InsertTicket(ctx, &ticket.Ticket{Number: 500, Subject: "restored", QueueID: q.ID, RequesterID: u.ID,
			Priority: ticket.PriorityNormal, State: ticket.StateNew, Channel: ticket.ChannelWeb, Version: 1, CreatedAt: now, UpdatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var n int64
	err = db.Write(ctx, func(tx *store.Tx) (err error) {
		n, err = tx.NextTicketNumber(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 501 {
		t.Errorf("next number after a ticket #500 is %d, want 501", n)
	}
}
