package delivery_test

import (
	"context"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestMailDetails drives the details people notice in their mail, from
// desk through the real renderer to SMTP, on both databases: an agent who
// opens a ticket on someone's behalf hears nothing of it; a question asked
// at once threads under the receipt, though both wait in the outbox
// together; the assignment mail names the assignee, in German and English.
func TestMailDetails(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := startSMTPD(t, nil)
			f := newFixture(t, dialect, d, desk.MailOptions{StaffWindow: -1})
			ctx := context.Background()
			must(f.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "eve@example.org", Name: "Eve Agent", Role: ticket.RoleAgent, Language: "en"}))

			// anna (in Servicedesk) takes bob's call, opens the ticket for
			// him and asks him a question right away, before any mail is sent.
			tk := must(f.svc.CreateTicket(ctx, f.anna, desk.NewTicket{Queue: "Servicedesk", Requester: "bob@example.org",
				Channel: ticket.ChannelPhone, Subject: "VPN", Description: "The VPN drops every hour."}))
			must(f.svc.AddEntry(ctx, f.anna, tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Which client version?"}))
			if n := f.round(t); n != 2 {
				t.Fatalf("claimed %d mails, want bob's receipt and his question (none to anna)", n)
			}
			ms := d.wait(2)
			for _, m := range ms {
				if m.To[0] != "bob@example.org" {
					t.Errorf("mail to %v, want bob only: anna opened and asked herself", m.To)
				}
			}
			var receipt, question parsed
			for _, m := range ms {
				p := parse(t, m.Data)
				if strings.Contains(p.Text, "We have received your request") {
					receipt = p
				} else {
					question = p
				}
			}
			receiptID := receipt.Header.Get("Message-ID")
			if receiptID == "" {
				t.Fatalf("no receipt among the mails to bob")
			}
			if irt := question.Header.Get("In-Reply-To"); irt != receiptID {
				t.Errorf("question In-Reply-To %q, want the receipt %s", irt, receiptID)
			}
			if refs := question.Header.Get("References"); !strings.Contains(refs, receiptID) {
				t.Errorf("question References %q lack the receipt %s", refs, receiptID)
			}
			contains(t, "question", question.Text, "Anna Agent has a question", "Which client version?")
			d.none()

			// Asking took the ticket for anna. bernd (German) and anna
			// (English) watch; ada hands it to eve.
			if err := f.svc.AddQueueMember(ctx, access.System, "Servicedesk", "eve@example.org"); err != nil {
				t.Fatal(err)
			}
			must(f.svc.Act(ctx, f.bernd, tk.Number, desk.Action{Name: "watch"}))
			must(f.svc.Act(ctx, f.anna, tk.Number, desk.Action{Name: "watch"}))
			must(f.svc.Act(ctx, f.admin, tk.Number, desk.Action{Name: "assign", Assignee: "eve@example.org"}))
			f.round(t)
			got := byRecipient(t, d.wait(3))
			contains(t, "assignee's mail", got["eve@example.org"].Text, "was assigned to you (by Ada Admin)")
			contains(t, "German watcher's mail", got["bernd@example.org"].Text, "wurde Eve Agent zugewiesen (von Ada Admin)")
			contains(t, "English watcher's mail", got["anna@example.org"].Text, "was assigned to Eve Agent (by Ada Admin)")
			contains(t, "English watcher's HTML", got["anna@example.org"].HTML, "was assigned to Eve Agent")
			for _, who := range []string{"bernd@example.org", "anna@example.org"} {
				lacks(t, who+"'s assignment mail", got[who].Text, "eve@example.org")
			}

			// A requester's answer goes to the assignee and the watchers,
			// not back to bob.
			must(f.svc.AddEntry(ctx, f.actor(t, "bob@example.org"), tk.Number, desk.NewEntry{Kind: ticket.KindAnswer, Body: "5.1"}))
			f.round(t)
			got = byRecipient(t, d.wait(3))
			if _, ok := got["bob@example.org"]; ok {
				t.Errorf("bob was mailed about his own answer")
			}
			d.none()
		})
	}
}
