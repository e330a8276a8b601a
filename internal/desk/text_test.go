package desk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// NUL bytes and invalid UTF-8 are cleaned on the way in, alike on both
// databases, through the service's operations and through mail intake; a
// mail is never refused for them.
func TestNULAndInvalidUTF8AreCleaned(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Dru\x00cker\r\nBcc: x@evil.example",
			Description: "Zeile\x00eins"}))
		if tk.Subject != "Drucker  Bcc: x@evil.example" {
			t.Fatalf("got subject %q, want NUL removed and the line break a space", tk.Subject)
		}
		must(w.svc.AddEntry(ctx, w.alice, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "Kommentar\x00 mit NUL"}))
		es := must(w.svc.Entries(ctx, w.alice, tk.Number))
		if got := es[len(es)-1].Body; got != "Kommentar mit NUL" {
			t.Fatalf("got body %q", got)
		}
		if _, err := w.svc.SaveFilter(ctx, w.agentA, "Mein\x00 Filter", "q=a%00b", ""); err != nil {
			t.Fatalf("SaveFilter: %v", err)
		}
		if _, err := w.svc.Search(ctx, w.agentA, ticket.Filter{Q: "Dru\x00cker \xff", Requester: "a\x00@example.org"}); err != nil {
			t.Fatalf("Search: %v", err)
		}
		must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "nul@example.org", Name: "Nu\x00ll \xe4rger"}))

		// Mail: a NUL in an encoded subject, an 8-bit Message-ID, NUL and
		// Latin-1 bytes in an undeclared body.
		raw := "From: Carla <carla@example.org>\r\nTo: servicedesk@example.org\r\nSubject: =?utf-8?q?a=00b?=\r\n" +
			"Message-ID: <gr\xfc\xdfe-1@example.org>\r\n\r\nHallo\x00 M\xfcnchen\r\n"
		r := receive(t, w, []byte(raw), "servicedesk@example.org")
		wantOutcome(t, r, desk.OutcomeCreated)
		mt := must(w.svc.Ticket(ctx, w.agentA, r.Ticket))
		if strings.ContainsRune(mt.Subject, 0) || mt.Subject != "ab" {
			t.Fatalf("got subject %q, want \"ab\"", mt.Subject)
		}
		// The same mail again is a duplicate (the Message-ID is found as
		// stored), never a failure.
		again := receive(t, w, []byte(strings.Replace(raw, "Hallo", "Hallo!", 1)), "servicedesk@example.org")
		wantOutcome(t, again, desk.OutcomeDuplicate)
	})
}
