package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestDashboardVisibility: a confidential ticket counts for its queue's
// members only; lists and counts follow the policy.
func TestDashboardVisibility(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "x"}))
		secret := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Phishing", Description: "x"}))
		soon := w.clock.Now().Add(time.Hour)
		must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "Spät", Description: "x", Due: &soon}))
		w.clock.Add(2 * time.Hour) // the due date passes

		anna := must(w.svc.Dashboard(ctx, w.agentA, 10))
		if anna.Unassigned.Total != 2 || len(anna.Queues) != 1 || anna.Queues[0].Unassigned != 2 || anna.Overdue.Total != 1 {
			t.Fatalf("Anna: unassigned %d, queues %d, overdue %d; want 2, 1 with 2, 1", anna.Unassigned.Total, len(anna.Queues), anna.Overdue.Total)
		}
		for _, tk := range anna.Unassigned.Items {
			if tk.Number == secret.Number {
				t.Fatalf("Anna's dashboard lists the confidential ticket")
			}
		}
		bernd := must(w.svc.Dashboard(ctx, w.agentB, 10))
		if bernd.Unassigned.Total != 1 || bernd.Unassigned.Items[0].Number != secret.Number {
			t.Fatalf("Bernd (Security): got %d unassigned, want the confidential one", bernd.Unassigned.Total)
		}
		alice := must(w.svc.Dashboard(ctx, w.alice, 10))
		if alice.Mine.Total != 2 || alice.Names["alice@example.org"] != "Alice Requester" {
			t.Fatalf("Alice: got %d of hers, want 2", alice.Mine.Total)
		}
		_, err := w.svc.TicketView(ctx, w.agentA, secret.Number)
		wantCode(t, err, ticket.ENOTFOUND)
		v := must(w.svc.TicketView(ctx, w.agentB, secret.Number))
		if !v.Can["take"] || len(v.Members) != 1 || len(v.Entries) == 0 {
			t.Fatalf("Bernd's view: can take %v, members %v, entries %d", v.Can["take"], v.Members, len(v.Entries))
		}
	})
}

// TestDashboardAgreesWithSearch: each dashboard number that one search can
// list is that search's total (DashboardSearch, through the filter
// language and Search), so the page a number links to shows as many.
func TestDashboardAgreesWithSearch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "x"}))
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Phishing", Description: "x"}))
		taken := must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "Scanner", Description: "x"}))
		must(w.svc.Act(ctx, w.agentA, taken.Number, desk.Action{Name: "take"}))
		total := func(a access.Actor, name, queue string) int {
			f, ok := desk.DashboardSearch(name, queue)
			if !ok {
				t.Fatalf("no dashboard search %q", name)
			}
			f, err := ticket.ParseFilterQuery(f.Encode(time.UTC), time.UTC) // as the link is read
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return must(w.svc.Search(ctx, a, f)).Total
		}
		for _, a := range []access.Actor{w.agentA, w.agentB} {
			d := must(w.svc.Dashboard(ctx, a, 10))
			if got := total(a, "assigned", ""); got != d.Assigned.Total {
				t.Errorf("%s: assigned %d, search %d", a.Email, d.Assigned.Total, got)
			}
			for _, q := range d.Queues {
				if got := total(a, "unassigned", q.Queue.Name); got != q.Unassigned || got == 0 {
					t.Errorf("%s, %s: unassigned %d, search %d", a.Email, q.Queue.Name, q.Unassigned, got)
				}
			}
		}
		d := must(w.svc.Dashboard(ctx, w.alice, 10))
		if got := total(w.alice, "mine", ""); got != d.Mine.Total || got != 2 {
			t.Errorf("Alice: mine %d, search %d", d.Mine.Total, got)
		}
		if got := total(w.alice, "mine_closed", ""); got != d.MineClosed.Total {
			t.Errorf("Alice: closed %d, search %d", d.MineClosed.Total, got)
		}
		if _, ok := desk.DashboardSearch("everything", ""); ok {
			t.Error("an unknown dashboard search exists")
		}
	})
}
