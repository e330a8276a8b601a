package delivery_test

import (
	"context"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestEscalationMail: an escalation digest goes out through the outbox and
// a real SMTP conversation to each member of the queue, in their language,
// with a line per ticket and target, its state, due instant and link; it
// names the queue as sender and no ticket, and threads on nothing.
func TestEscalationMail(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := startSMTPD(t, nil)
			f := newFixture(t, dialect, d, desk.MailOptions{})
			ctx := context.Background()
			if err := f.svc.AddQueueMember(ctx, access.System, "Servicedesk", "bernd@example.org"); err != nil {
				t.Fatal(err)
			}
			first, none, on := 60, 0, true
			must(f.svc.UpdateQueue(ctx, f.admin, "Servicedesk", desk.QueuePatch{FirstResponse: &first, Resolution: &none, Escalate: &on}))
			tk := must(f.svc.CreateTicket(ctx, f.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker im 3. Stock", Description: "druckt nicht"}))
			if n := f.round(t); n != 3 { // the receipt and the two members
				t.Fatalf("claimed %d, want 3", n)
			}
			d.wait(3)
			f.clock.t = f.clock.t.Add(90 * time.Minute) // due at 10:00 UTC (11:00 in Vienna)
			if n := must(f.svc.SendEscalations(ctx)); n != 1 {
				t.Fatalf("digests %d, want 1", n)
			}
			if n := f.round(t); n != 2 {
				t.Fatalf("claimed %d, want 2", n)
			}
			got := byRecipient(t, d.wait(2))
			d.none()
			link := baseURL + "/tickets/" + tk.Ref()[1:]
			for _, c := range []struct{ to, subject, line, due string }{
				{"anna@example.org", "[Servicedesk] 1 response target breached", "First response: breached", "due 2 Mar 2026 at 10:00 (UTC)"},
				{"bernd@example.org", "[Servicedesk] 1 Reaktionsziel verletzt", "Erste Antwort: verletzt", "fällig 02.03.2026 um 10:00 (UTC)"},
			} {
				m := got[c.to]
				if s := m.subject(t); s != c.subject {
					t.Errorf("%s: subject %q, want %q", c.to, s, c.subject)
				}
				for name, want := range map[string]string{
					"Auto-Submitted": "auto-generated", "X-Servus-Escalation": "Servicedesk", "X-Servus-Ticket": "",
					"In-Reply-To": "", "References": "", "Reply-To": "", "From": `"Servicedesk" <` + mailFrom + `>`,
				} {
					if got := m.Header.Get(name); got != want {
						t.Errorf("%s: %s %q, want %q", c.to, name, got, want)
					}
				}
				contains(t, c.to+" text", m.Text, tk.Ref()+" Drucker im 3. Stock\r\n  "+c.line+" ("+c.due+")\r\n  "+link)
				contains(t, c.to+" HTML", m.HTML, `<a href="`+link+`">`+tk.Ref()+`</a>`, c.due)
			}
		})
	}
}
