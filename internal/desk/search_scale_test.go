package desk_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// searchWorld fills w with tickets for the paging tests: in Servicedesk
// (alice's, some with "drucker" in the subject, some only in a staff note)
// and confidential ones in Security (alice's, one with "drucker"). Due
// dates and priorities vary, some tickets have none, and several share an
// update instant, so that ties are broken by number.
func searchWorld(t *testing.T, w *world) {
	t.Helper()
	ctx := context.Background()
	prios := []ticket.Priority{ticket.PriorityLow, ticket.PriorityNormal, ticket.PriorityHigh}
	for i := range 14 {
		if i%3 != 0 {
			w.clock.Add(time.Minute) // every third shares its neighbour's instant
		}
		nt := desk.NewTicket{Queue: "Servicedesk", Subject: fmt.Sprintf("Anfrage %d", i), Description: "Bitte um Hilfe.", Priority: prios[i%3]}
		if i%2 == 0 {
			nt.Subject += " Drucker"
		}
		if i%4 != 1 {
			due := w.clock.Now().Add(time.Duration(i%5) * time.Hour)
			nt.Due = &due
		}
		n := must(w.svc.CreateTicket(ctx, w.alice, nt)).Number
		if i%5 == 1 {
			must(w.svc.AddEntry(ctx, w.agentA, n, desk.NewEntry{Kind: ticket.KindComment, Body: "Drucker prüfen", Visibility: ticket.VisibilityStaff}))
		}
	}
	for i := range 3 {
		w.clock.Add(time.Minute)
		subject := fmt.Sprintf("Vorfall %d", i)
		if i == 1 {
			subject += " Drucker"
		}
		must(w.svc.CreateTicket(ctx, w.agentB, desk.NewTicket{Queue: "Security", Subject: subject, Description: "Vertraulich.", Requester: "alice@example.org"}))
	}
}

// TestSearchCappedTotals: with a cap, the count stops there and says there
// are more; without, or below the cap, it is exact. Both text plans, both
// databases, agent and requester.
func TestSearchCappedTotals(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		searchWorld(t, w)
		for _, plan := range []string{store.PlanDocs, store.PlanTickets} {
			w.db.SetTextPlan(plan)
			for _, c := range []struct {
				name      string
				who       access.Actor
				f         ticket.Filter
				total     int
				lowerBond bool
			}{
				{"agent, all, exact", w.agentA, ticket.Filter{}, 14, false},
				{"agent, all, capped", w.agentA, ticket.Filter{TotalCap: 5}, 5, true},
				{"agent, all, cap = total", w.agentA, ticket.Filter{TotalCap: 14}, 14, false},
				{"agent, word, exact (seven subjects, two staff notes)", w.agentA, ticket.Filter{Q: "drucker"}, 9, false},
				{"agent, word, capped", w.agentA, ticket.Filter{Q: "drucker", TotalCap: 4}, 4, true},
				{"agent, word, at the cap", w.agentA, ticket.Filter{Q: "drucker", TotalCap: 9}, 9, false},
				{"agent, word and filter, capped", w.agentA, ticket.Filter{Q: "drucker", Priority: ticket.PriorityLow, TotalCap: 2}, 2, true},
				{"agent, word and filter", w.agentA, ticket.Filter{Q: "drucker", Priority: ticket.PriorityLow, TotalCap: 5}, 3, false},
				{"security agent sees the confidential one", w.agentB, ticket.Filter{Q: "drucker", TotalCap: 100}, 10, false},
				{"requester, word (no staff notes)", w.alice, ticket.Filter{Q: "drucker", TotalCap: 100}, 8, false},
				{"requester, word, capped", w.alice, ticket.Filter{Q: "drucker", TotalCap: 3}, 3, true},
			} {
				p, err := w.svc.Search(ctx, c.who, c.f)
				if err != nil {
					t.Fatalf("%s, %s: %v", plan, c.name, err)
				}
				if p.Total != c.total || p.TotalIsLowerBound != c.lowerBond {
					t.Errorf("%s, %s: got total %d (lower bound %v), want %d (%v)", plan, c.name, p.Total, p.TotalIsLowerBound, c.total, c.lowerBond)
				}
			}
		}
	})
}

// TestSearchCursorPaging walks every result by cursor, forward while new
// matching tickets arrive between the pages, then backward: each visible
// match is visited exactly once, in the order of a one-page search, for
// every sort (nullable due dates and ties included), both text plans, the
// agent, the confidential queue's agent and the requester.
func TestSearchCursorPaging(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		searchWorld(t, w)
		added := 0
		for _, plan := range []string{store.PlanDocs, store.PlanTickets} {
			w.db.SetTextPlan(plan)
			for _, who := range []struct {
				name string
				a    access.Actor
			}{{"agent", w.agentA}, {"security agent", w.agentB}, {"requester", w.alice}} {
				for _, sort := range []string{"-updated", "number", "-number", "due", "-due", "-priority", "subject", "state", "-created"} {
					for _, q := range []string{"", "drucker"} {
						name := fmt.Sprintf("%s, %s, sort %s, q %q", plan, who.name, sort, q)
						f := ticket.Filter{Q: q, Sort: sort, PerPage: 100}
						before := must(w.svc.Search(ctx, who.a, f))
						// Forward, 3 a page; new matching tickets arrive after
						// the first pages of some walks.
						f.PerPage = 3
						var walk []int64
						for pages := 0; ; pages++ {
							if pages > 50 {
								t.Fatalf("%s: the cursor does not end", name)
							}
							p, err := w.svc.Search(ctx, who.a, f)
							if err != nil {
								t.Fatalf("%s: %v", name, err)
							}
							for _, it := range p.Items {
								walk = append(walk, it.Number)
							}
							if q != "" && pages < 2 && (sort == "-updated" || sort == "number" || sort == "due") {
								w.clock.Add(time.Second)
								added++
								must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: fmt.Sprintf("Neu %d Drucker", added), Description: "Neu."}))
							}
							if p.NextCursor == "" {
								break
							}
							f.Cursor, f.Page = p.NextCursor, 0
						}
						after := must(w.svc.Search(ctx, who.a, ticket.Filter{Q: q, Sort: sort, PerPage: 100}))
						all := nums(after.Items)
						if after.Total > 100 {
							t.Fatalf("%s: %d tickets, more than one page", name, after.Total)
						}
						if !subsequence(walk, all) {
							t.Errorf("%s: walked %v, not in the order of %v", name, walk, all)
						}
						for _, n := range nums(before.Items) {
							if !slices.Contains(walk, n) {
								t.Errorf("%s: walked %v, missing %d of %v", name, walk, n, nums(before.Items))
							}
						}
						// Backward from the last page: the same tickets, now
						// with the arrivals, in the same order.
						f = ticket.Filter{Q: q, Sort: sort, PerPage: 4, Page: (len(all) + 3) / 4}
						p := must(w.svc.Search(ctx, who.a, f))
						back := nums(p.Items)
						for p.PrevCursor != "" {
							f.Cursor, f.Page = p.PrevCursor, 0
							p = must(w.svc.Search(ctx, who.a, f))
							back = append(nums(p.Items), back...)
						}
						if fmt.Sprint(back) != fmt.Sprint(all) {
							t.Errorf("%s: backward got %v, want %v", name, back, all)
						}
					}
				}
			}
		}
		// A cursor of another sort, or no cursor at all, is refused.
		p := must(w.svc.Search(ctx, w.agentA, ticket.Filter{Sort: "number", PerPage: 2}))
		for _, f := range []ticket.Filter{{Sort: "-number", Cursor: p.NextCursor}, {Cursor: "bm90IGEgY3Vyc29y"}, {Cursor: "%%"}} {
			_, err := w.svc.Search(ctx, w.agentA, f)
			wantCode(t, err, ticket.EINVALID)
		}
	})
}

func nums(ts []*ticket.Ticket) []int64 {
	out := []int64{}
	for _, t := range ts {
		out = append(out, t.Number)
	}
	return out
}

// subsequence reports whether every element of sub occurs in all, in the
// same order, each once.
func subsequence(sub, all []int64) bool {
	i := 0
	for _, n := range sub {
		for i < len(all) && all[i] != n {
			i++
		}
		if i == len(all) {
			return false
		}
		i++
	}
	return true
}

// TestAnalyzeMergesSearchIndex: after a bulk load, Analyze leaves SQLite's
// full-text index in one segment, and searches find what they found before.
func TestAnalyzeMergesSearchIndex(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		searchWorld(t, w)
		before := must(w.svc.Search(ctx, w.agentA, ticket.Filter{Q: "drucker", Sort: "number"}))
		segs := must(w.db.SearchSegments(ctx))
		if w.db.Dialect() == store.SQLite && segs < 2 {
			t.Fatalf("%d segments after a ticket per transaction, want several", segs)
		}
		if err := w.db.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		want := 1
		if w.db.Dialect() != store.SQLite {
			want = 0
		}
		if segs := must(w.db.SearchSegments(ctx)); segs != want {
			t.Errorf("%d segments after Analyze, want %d", segs, want)
		}
		after := must(w.svc.Search(ctx, w.agentA, ticket.Filter{Q: "drucker", Sort: "number"}))
		if numbers(before) != numbers(after) || before.Total != after.Total || before.Total == 0 {
			t.Errorf("after Analyze: %s (%d), before %s (%d)", numbers(after), after.Total, numbers(before), before.Total)
		}
	})
}

// TestSearchCommonWordCap: a word so common that the tickets are probed in
// sort order (PlanTickets) is counted up to store.CommonWordCap for staff,
// however high the search's cap; collected (PlanDocs, a rare word's plan),
// its matches are counted up to the search's cap. Both databases. A
// requester's own tickets are counted exactly.
func TestSearchCommonWordCap(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		queues := must(w.svc.Queues(ctx, access.System))
		var sd int64
		for _, q := range queues {
			if q.Name == "Servicedesk" {
				sd = q.ID
			}
		}
		n := store.CommonWordCap + 10
		err := w.db.Write(ctx, func(tx *store.Tx) error {
			for i := range n {
				num, err := tx.NextTicketNumber(ctx)
				if err != nil {
					return err
				}
				at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
				tk := &ticket.Ticket{Number: num, Subject: fmt.Sprintf("Drucker %d", i), QueueID: sd, RequesterID: w.bob.UserID,
					Priority: ticket.PriorityNormal, State: ticket.StateOpen, Channel: ticket.ChannelWeb, Version: 1, CreatedAt: at, UpdatedAt: at}
				if err := tx.InsertTicket(ctx, tk); err != nil {
					return err
				}
				if err := tx.IndexNewText(ctx, tk.ID, "subject", 0, ticket.VisibilityPublic, tk.Subject); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "Er druckt nicht."}))
		for _, c := range []struct {
			plan      string
			who       access.Actor
			total     int
			lowerBond bool
		}{
			{store.PlanTickets, w.agentA, store.CommonWordCap, true},
			{store.PlanDocs, w.agentA, n + 1, false},
			{store.PlanTickets, w.alice, 1, false},
			{store.PlanTickets, w.bob, n, false},
		} {
			w.db.SetTextPlan(c.plan)
			p, err := w.svc.Search(ctx, c.who, ticket.Filter{Q: "drucker", TotalCap: ticket.TotalCap})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != c.total || p.TotalIsLowerBound != c.lowerBond || len(p.Items) != 25 && c.total >= 25 {
				t.Errorf("%s, %s: got total %d (lower bound %v, %d items), want %d (%v)", c.plan, c.who.Email, p.Total, p.TotalIsLowerBound, len(p.Items), c.total, c.lowerBond)
			}
		}
		w.db.SetTextPlan("")
	})
}
