package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestQueueTallyUsesIndexes: the queues page's one grouped count reads the
// tickets through an index on both databases, never the whole table: all
// queues through the state index (closed tickets, most of a desk's history,
// are not read), one queue through the queue index. The data is shaped like
// a real desk: 40 queues, two confidential, nine in ten tickets closed.
func TestQueueTallyUsesIndexes(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Open(t, d)
			var queues []*ticket.Queue
			var agent access.Actor
			err := db.Write(ctx, func(tx *store.Tx) error {
				now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
				req := &ticket.User{Email: "req@example.org", Name: "Req", Role: ticket.RoleRequester, Language: "de", CreatedAt: now}
				ag := &ticket.User{Email: "agent@example.org", Name: "Agent", Role: ticket.RoleAgent, Language: "de", CreatedAt: now}
				for _, u := range []*ticket.User{req, ag} {
					if err := tx.InsertUser(ctx, u, ""); err != nil {
						return err
					}
				}
				for i := range 40 {
					q := &ticket.Queue{Name: fmt.Sprintf("Queue %02d", i), Confidential: i%20 == 0, CreatedAt: now}
					if err := tx.InsertQueue(ctx, q); err != nil {
						return err
					}
					queues = append(queues, q)
					if i < 3 {
						if err := tx.AddMember(ctx, q.ID, ag.ID, nil); err != nil {
							return err
						}
					}
				}
				agent = access.Actor{UserID: ag.ID, Email: ag.Email, Role: ticket.RoleAgent, Queues: []int64{queues[0].ID, queues[1].ID, queues[2].ID}}
				states := []ticket.State{ticket.StateNew, ticket.StateOpen, ticket.StateWaiting, ticket.StateResolved}
				for i := range 4000 {
					num, err := tx.NextTicketNumber(ctx)
					if err != nil {
						return err
					}
					q := queues[i%len(queues)]
					st := ticket.StateClosed
					if (i/len(queues))%10 == 0 { // one round of the queues in ten
						st = states[(i/len(queues)/10)%len(states)]
					}
					at := now.Add(time.Duration(i) * time.Minute)
					tk := &ticket.Ticket{Number: num, Subject: "s", QueueID: q.ID, RequesterID: req.ID, Priority: ticket.PriorityNormal,
						Confidential: q.Confidential, State: st, Channel: ticket.ChannelMail, Version: 1, CreatedAt: at, UpdatedAt: at}
					if err := tx.InsertTicket(ctx, tk); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if d == store.Postgres { // a PostgreSQL server has statistics (autovacuum); SQLite runs without
				if err := db.Analyze(ctx); err != nil {
					t.Fatal(err)
				}
			}
			now := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
			for _, tc := range []struct {
				name string
				q    store.TallyQuery
			}{
				{"all queues", store.TallyQuery{Now: now}},
				{"one queue with closed", store.TallyQuery{QueueID: queues[7].ID, Closed: true, Now: now}},
			} {
				plan, err := db.QueueTallyPlan(ctx, agent, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				var ok bool
				if d == store.SQLite {
					ok = strings.Contains(plan, "SEARCH t USING INDEX tickets_") && !strings.Contains(plan, "SCAN t")
				} else {
					ok = strings.Contains(plan, "Index") && strings.Contains(plan, "tickets_") && !strings.Contains(plan, "Seq Scan on tickets")
				}
				if !ok {
					t.Errorf("%s: the plan reads tickets without an index:\n%s", tc.name, plan)
				}
				t.Logf("%s:\n%s", tc.name, plan)
			}
			// And the counts are right: 100 not closed per state, 10 per
			// queue; agent sees the confidential Queue 00, not Queue 20.
			var all, mine map[int64]*store.QueueTally
			err = db.Read(ctx, func(tx *store.Tx) (err error) {
				if all, err = tx.QueueTallies(ctx, agent, store.TallyQuery{Now: now}); err != nil {
					return err
				}
				mine, err = tx.QueueTallies(ctx, agent, store.TallyQuery{QueueID: queues[0].ID, Closed: true, Now: now})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 39 || all[queues[20].ID] != nil {
				t.Fatalf("queues counted: %d (Queue 20 %v), want 39 without the confidential Queue 20", len(all), all[queues[20].ID])
			}
			c := mine[queues[0].ID]
			if c == nil || c.New+c.Open+c.Waiting+c.Resolved != 10 || c.Closed != 90 || c.Unassigned != 10 || c.Overdue != 0 || c.Mine != 0 {
				t.Fatalf("Queue 00: %+v, want 10 not closed (all unassigned) and 90 closed", c)
			}
		})
	}
}
