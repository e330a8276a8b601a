package desk_test

import (
	"context"
	"testing"
	"time"

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
