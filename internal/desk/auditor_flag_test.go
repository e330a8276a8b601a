package desk_test

import (
	"context"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestAuditorBesidesAgent grants an agent the auditor role besides theirs:
// they read the audit log and keep their tickets; the grant and the
// withdrawal are audit rows; a requester cannot hold it, and a role change
// to requester withdraws it.
func TestAuditorBesidesAgent(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "d"}))
		_, err := w.svc.AuditLog(ctx, w.agentA, desk.AuditFilter{}, 1, 10)
		wantCode(t, err, ticket.EFORBIDDEN)

		yes, no := true, false
		u := must(w.svc.UpdateUser(ctx, w.admin, "anna@example.org", desk.UserPatch{Auditor: &yes}))
		if !u.Auditor || u.Role != ticket.RoleAgent {
			t.Fatalf("got %+v, want an agent who is auditor too", u)
		}
		anna := w.actor(t, "anna@example.org")
		if !anna.AlsoAuditor || len(anna.Queues) != 1 {
			t.Fatalf("actor %+v: want auditor besides, still in her queue", anna)
		}
		if _, err := w.svc.AuditLog(ctx, anna, desk.AuditFilter{}, 1, 10); err != nil {
			t.Fatalf("the agent who is auditor reads the log: %v", err)
		}
		if _, err := w.svc.Ticket(ctx, anna, tk.Number); err != nil {
			t.Fatalf("the agent who is auditor still sees the tickets of her role: %v", err)
		}
		p := must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "user.auditor."}, 1, 10))
		if p.Total != 1 || p.Items[0].Action != "user.auditor.grant" || p.Items[0].Detail != "anna@example.org" || p.Items[0].Actor != "admin@example.org" {
			t.Fatalf("audit rows of the grant: got %d, %+v", p.Total, p.Items)
		}
		must(w.svc.UpdateUser(ctx, w.admin, "anna@example.org", desk.UserPatch{Auditor: &no}))
		if a := w.actor(t, "anna@example.org"); a.AlsoAuditor {
			t.Fatal("withdrawn, yet still auditor")
		}
		p = must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "user.auditor.revoke"}, 1, 10))
		if p.Total != 1 {
			t.Fatalf("user.auditor.revoke rows: got %d, want 1", p.Total)
		}

		// Only staff hold it; becoming a requester withdraws it.
		_, err = w.svc.UpdateUser(ctx, w.admin, "alice@example.org", desk.UserPatch{Auditor: &yes})
		wantCode(t, err, ticket.EINVALID)
		must(w.svc.UpdateUser(ctx, w.admin, "bernd@example.org", desk.UserPatch{Auditor: &yes}))
		req := ticket.RoleRequester
		u = must(w.svc.UpdateUser(ctx, w.admin, "bernd@example.org", desk.UserPatch{Role: &req}))
		if u.Auditor {
			t.Fatalf("bernd became a requester and is still auditor: %+v", u)
		}
	})
}
