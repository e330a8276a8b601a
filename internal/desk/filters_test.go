package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

func TestSaveFilterPermissions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for _, tc := range []struct {
			name               string
			who                access.Actor
			filter, query, que string
			code               string
		}{
			{"personal, agent", w.agentA, "Open ones", "state=open&page=3", "", ""},
			{"personal, requester", w.alice, "Mine", "state=waiting", "", ""},
			{"shared with my queue", w.agentA, "Team", "queue=Servicedesk", "Servicedesk", ""},
			{"shared with my queue, any case", w.agentB, "Sec", "", "security", ""},
			{"shared with a queue I am not in", w.agentA, "Sneaky", "", "Security", ticket.EFORBIDDEN},
			{"admin in no queue shares", w.admin, "Admin", "", "Servicedesk", ticket.EFORBIDDEN},
			{"requester shares", w.alice, "Mine", "", "Servicedesk", ticket.EFORBIDDEN},
			{"unknown queue", w.agentA, "X", "", "Nowhere", ticket.EINVALID},
			{"no name", w.agentA, "  ", "state=open", "", ticket.EINVALID},
			{"long name", w.agentA, string(make([]byte, 101)), "", "", ticket.EINVALID},
			{"bad date", w.agentA, "Dates", "created_after=yesterday", "", ticket.EINVALID},
			{"bad state", w.agentA, "States", "state=sleeping", "", ticket.EINVALID},
			{"bad sort", w.agentA, "Sort", "sort=colour", "", ticket.EINVALID},
			{"malformed query", w.agentA, "Broken", "%zz", "", ticket.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f, err := w.svc.SaveFilter(ctx, tc.who, tc.filter, tc.query, tc.que)
				wantCode(t, err, tc.code)
				if tc.code == "" && (f.ID == 0 || !f.Mine) {
					t.Fatalf("saved filter: %+v", f)
				}
			})
		}
		// The page is never kept; the query is canonical.
		fs := must(w.svc.SavedFilters(ctx, w.agentA, time.UTC))
		if len(fs) != 2 || fs[0].Name != "Open ones" || fs[0].Query != "state=open" || fs[1].Queue != "Servicedesk" {
			t.Fatalf("agent A's filters: %+v", fs)
		}
	})
}

// TestSavedFilterVisibility: a shared filter reaches its queue's members
// only, and every count respects the viewer's visibility: a confidential
// ticket of another queue never counts.
func TestSavedFilterVisibility(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Printer jams", Description: "paper"}))
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Mail quota", Description: "full"}))
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Phishing printer", Description: "secret"}))

		all := must(w.svc.SaveFilter(ctx, w.agentA, "Everything", "", ""))
		printers := must(w.svc.SaveFilter(ctx, w.agentB, "Printers", "q=printer", "Security"))
		teamNew := must(w.svc.SaveFilter(ctx, w.agentA, "New in team", "state=new&queue=Servicedesk", "Servicedesk"))
		mine := must(w.svc.SaveFilter(ctx, w.agentA, "Assigned to me", "assignee=me", "Servicedesk"))

		counts := func(a access.Actor) map[string]int {
			out := map[string]int{}
			for _, f := range must(w.svc.SavedFilters(ctx, a, time.UTC)) {
				out[f.Name] = f.Count
			}
			return out
		}
		got := counts(w.agentA)
		if len(got) != 3 || got["Everything"] != 2 || got["New in team"] != 2 || got["Assigned to me"] != 0 {
			t.Fatalf("agent A (Servicedesk) sees %v; want Everything 2 (not the confidential one), New in team 2, Assigned to me 0, and not Printers", got)
		}
		got = counts(w.agentB)
		if len(got) != 1 || got["Printers"] != 2 {
			t.Fatalf("agent B (Security) sees %v; want only Printers with 2", got)
		}
		if got := counts(w.alice); len(got) != 0 {
			t.Fatalf("requester sees %v", got)
		}

		// "me" is whoever looks: Bernd takes nothing in Servicedesk, Anna takes one.
		tk := must(w.svc.Search(ctx, w.agentA, ticket.Filter{Q: "quota"})).Items[0]
		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "take"}))
		if got := counts(w.agentA); got["Assigned to me"] != 1 || got["New in team"] != 1 {
			t.Fatalf("after taking: %v", got)
		}

		// Deleting: one's own only; a shared one of someone else is
		// forbidden to its queue's members and unknown to everyone else.
		wantCode(t, w.svc.DeleteSavedFilter(ctx, w.agentA, printers.ID), ticket.ENOTFOUND)
		wantCode(t, w.svc.DeleteSavedFilter(ctx, w.agentB, all.ID), ticket.ENOTFOUND)
		if err := w.svc.AddQueueMember(ctx, access.System, "Servicedesk", "bernd@example.org"); err != nil {
			t.Fatal(err)
		}
		bernd := w.actor(t, "bernd@example.org")
		wantCode(t, w.svc.DeleteSavedFilter(ctx, bernd, teamNew.ID), ticket.EFORBIDDEN)
		if got := counts(bernd); len(got) != 3 || got["Assigned to me"] != 0 {
			t.Fatalf("Bernd, now in both queues, sees %v", got)
		}
		if err := w.svc.DeleteSavedFilter(ctx, w.agentA, mine.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, w.svc.DeleteSavedFilter(ctx, w.agentA, mine.ID), ticket.ENOTFOUND)
	})
}
