package desk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

func TestErasePerson(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			w := newRetentionWorld(t, d)
			ctx := context.Background()
			own := w.closedTicket(t, "Servicedesk", "zaunkoenig") // alice's, closed, with a file
			open := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Open rotkehlchen", Description: "alice open"}))
			bobs := must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "Bob's stieglitz", Description: "bob asks",
				CC: []string{"alice@example.org"}}))
			must(w.svc.Act(ctx, w.agentA, bobs.Number, desk.Action{Name: "take"}))
			must(w.svc.AddEntry(ctx, w.agentA, bobs.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "Anna's work stays"}))
			token := must(w.svc.CreateToken(ctx, w.alice, "alice@example.org"))
			must(w.svc.CreateOrganisation(ctx, w.admin, desk.NewOrganisation{Name: "Institut für Vogelkunde"}))
			must(w.svc.AddOrganisationMember(ctx, w.admin, "Institut für Vogelkunde", "alice@example.org", true))

			info := must(w.svc.ErasureInfo(ctx, w.admin, "alice@example.org"))
			if info.Tickets != 2 || info.Staff || info.Self || info.LastAdmn {
				t.Fatalf("erasure info: got %+v, want 2 tickets of a requester", info)
			}
			er := must(w.svc.ErasePerson(ctx, w.admin, "Alice@Example.org"))
			if er.Tickets != 2 || er.Files != 1 || len(er.ID) != 16 {
				t.Fatalf("got %+v, want 2 tickets, 1 file, an opaque ID", er)
			}
			for _, n := range []int64{own, open.Number} {
				tk := must(w.svc.Ticket(ctx, access.System, n))
				if tk.Requester != store.AnonymousAddress || tk.Subject != store.AnonymisedSubject {
					t.Errorf("ticket %d: got %+v, want anonymised", n, tk)
				}
			}
			if got := w.found(t, "rotkehlchen"); len(got) != 0 {
				t.Errorf("search finds the erased person's ticket %v", got)
			}
			tk := must(w.svc.Ticket(ctx, access.System, bobs.Number))
			if len(tk.CC) != 0 || tk.Subject != "Bob's stieglitz" {
				t.Errorf("bob's ticket: got %+v, want it whole without alice as cc", tk)
			}
			if m := must(w.svc.MyOrganisation(ctx, w.alice)); m != nil {
				t.Errorf("institute after erasure: got %+v, want none (erasure ends the membership)", m)
			}
			if _, err := w.svc.ActorByEmail(ctx, "alice@example.org"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
				t.Errorf("the address is still known: %v", err)
			}
			if _, err := w.svc.ActorByToken(ctx, token); ticket.ErrorCode(err) != ticket.EUNAUTHORIZED {
				t.Errorf("the token still works: %v", err)
			}
			rows := auditDetails(t, w.db, "privacy.erase")
			if len(rows) != 1 || !strings.Contains(rows[0], er.ID) || strings.Contains(rows[0], "alice") {
				t.Fatalf("got audit rows %q, want one naming %s and not the address", rows, er.ID)
			}
			_, err := w.svc.ErasePerson(ctx, w.admin, "alice@example.org")
			wantCode(t, err, ticket.ENOTFOUND)

			// An agent's work stays, authored by a former staff member.
			must(w.svc.ErasePerson(ctx, w.admin, "anna@example.org"))
			var author string
			for _, e := range must(w.svc.Entries(ctx, access.System, bobs.Number)) {
				if e.Body == "Anna's work stays" {
					author = e.Author
				}
			}
			if desk.ErasedNameKey(author) != "privacy.former_staff" {
				t.Fatalf("got author %q, want an erased staff address", author)
			}
			if tk := must(w.svc.Ticket(ctx, access.System, bobs.Number)); tk.Assignee != author {
				t.Errorf("got assignee %q, want %q", tk.Assignee, author)
			}

			// Refusals: not an admin, oneself, the last admin.
			_, err = w.svc.ErasePerson(ctx, w.agentB, "bob@example.org")
			wantCode(t, err, ticket.EFORBIDDEN)
			_, err = w.svc.ErasePerson(ctx, w.admin, "admin@example.org")
			wantCode(t, err, ticket.ECONFLICT)
			_, err = w.svc.ErasePerson(ctx, access.System, "admin@example.org")
			wantCode(t, err, ticket.ECONFLICT)
			if p := problemFields(err); p["email"].Reason != desk.ProblemLastAdmin {
				t.Errorf("got problems %v, want last admin", p)
			}
		})
	}
}
