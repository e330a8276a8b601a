package desk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// dsn builds a Postfix-style delivery status notification, addressed to
// to, saying that mail with Message-ID origID to rcpt failed.
func dsn(to, rcpt, origID, id string) []byte {
	return []byte("Return-Path: <>\r\nFrom: MAILER-DAEMON@mail.example.net (Mail Delivery System)\r\n" +
		"To: " + to + "\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-Id: <" + id + ">\r\n" +
		"Date: Thu, 12 Mar 2026 11:20:03 +0100\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n" +
		"--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n" +
		"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.net\r\n\r\n" +
		"Final-Recipient: rfc822; " + rcpt + "\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n" +
		"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: servicedesk@example.org\r\nTo: " + rcpt +
		"\r\nSubject: [#1] Drucker\r\nMessage-ID: <" + origID + ">\r\n\r\n--B--\r\n")
}

func undeliverable(t *testing.T, w *world, email string) bool {
	t.Helper()
	var u bool
	must(0, w.db.Read(context.Background(), func(tx *store.Tx) (err error) {
		u, err = tx.Undeliverable(context.Background(), email)
		return err
	}))
	return u
}

// claimAll leases every due mail, as the delivery worker does.
func claimAll(t *testing.T, w *world) map[string]*desk.OutMail {
	t.Helper()
	out := map[string]*desk.OutMail{}
	for _, m := range must(w.svc.ClaimMail(context.Background(), time.Minute, 100)) {
		out[m.Recipient.Email] = m
	}
	return out
}

// TestBounceAttribution: a bounce marks an address undeliverable only when
// it refers to a mail servus really sent to that address, by its
// Message-ID or by the mail's own bounce address (VERP); a later delivery
// or a sign-in clears the mark.
func TestBounceAttribution(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "Papierstau."}))
		toAlice, toAnna := sentIDTo(t, w, tk.Number, "alice@example.org"), sentIDTo(t, w, tk.Number, "anna@example.org")
		mails := claimAll(t, w)
		for _, m := range mails {
			must(0, w.svc.FinishMail(ctx, m.ID, nil))
		}

		// Forged: an address servus never mailed, and alice's address with
		// the Message-ID of the mail anna got. Noted, nothing marked.
		r := receive(t, w, dsn("servicedesk@example.org", "bob@example.org", toAlice, "f1@mail.example.net"), "")
		wantOutcome(t, r, desk.OutcomeBounce)
		if r.Ticket != tk.Number {
			t.Errorf("forged bounce noted on #%d, want #%d (it threads there)", r.Ticket, tk.Number)
		}
		if e := entryByID(w, w.agentA, tk.Number, r.Entry); e == nil || e.Visibility != ticket.VisibilityStaff || !strings.Contains(e.Body, "no address was marked") {
			t.Errorf("got note %+v, want a staff-only note saying nothing was marked", e)
		}
		receive(t, w, dsn("servicedesk@example.org", "alice@example.org", toAnna, "f2@mail.example.net"), "")
		receive(t, w, dsn("servicedesk@example.org", "carla@example.org", "made-up@servus.localhost", "f3@mail.example.net"), "")
		for _, a := range []string{"bob@example.org", "alice@example.org", "carla@example.org"} {
			if undeliverable(t, w, a) {
				t.Errorf("a forged bounce marked %s undeliverable", a)
			}
		}

		// The bounce of the mail alice really got marks her.
		must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welcher Drucker?"}))
		inFlight := claimAll(t, w)["alice@example.org"] // being sent while the bounce comes in
		if inFlight == nil {
			t.Fatal("no question mail to alice")
		}
		r = receive(t, w, dsn("servicedesk@example.org", "alice@example.org", toAlice, "b1@mail.example.net"), "")
		wantOutcome(t, r, desk.OutcomeBounce)
		if !undeliverable(t, w, "alice@example.org") {
			t.Fatal("the bounce of a mail sent to alice did not mark her")
		}
		// A later delivery to her clears it.
		must(0, w.svc.FinishMail(ctx, inFlight.ID, nil))
		if undeliverable(t, w, "alice@example.org") {
			t.Error("alice is still undeliverable after a mail to her was delivered")
		}

		// VERP: a bounce to the bounce address of one mail marks that
		// mail's recipient, whatever the report names; a wrong MAC marks
		// nothing.
		must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Ich komme vorbei."}))
		m := claimAll(t, w)["alice@example.org"]
		if m == nil || !strings.HasPrefix(m.BounceTag, fmt.Sprintf("bounce-%d-", m.ID)) {
			t.Fatalf("got mail %+v, want one to alice with a bounce tag", m)
		}
		must(0, w.svc.FinishMail(ctx, m.ID, nil))
		forged := fmt.Sprintf("servicedesk+bounce-%d-%s@example.org", m.ID, strings.Repeat("a", 16))
		r = receive(t, w, dsn(forged, "alice.forward@example.net", "unknown@x", "v1@mail.example.net"), forged)
		wantOutcome(t, r, desk.OutcomeBounce)
		if undeliverable(t, w, "alice@example.org") || undeliverable(t, w, "alice.forward@example.net") {
			t.Error("a bounce to a forged bounce address marked someone")
		}
		verp := "servicedesk+" + m.BounceTag + "@example.org"
		// (No channel recipient here: the To of the report names it.)
		r = receive(t, w, dsn(verp, "alice.forward@example.net", "unknown@x", "v2@mail.example.net"), "")
		wantOutcome(t, r, desk.OutcomeBounce)
		if r.Ticket != tk.Number {
			t.Errorf("VERP bounce noted on #%d, want #%d", r.Ticket, tk.Number)
		}
		if !undeliverable(t, w, "alice@example.org") {
			t.Fatal("a bounce to the bounce address of a mail to alice did not mark her")
		}
		// Signing in clears the mark.
		must(w.svc.StartSession(ctx, w.alice, time.Hour))
		if undeliverable(t, w, "alice@example.org") {
			t.Error("alice is still undeliverable after she signed in")
		}
	})
}

// TestMailSenderAuth: a mail about a ticket counts as written by its From
// address only when authenticated (a trusted server's
// Authentication-Results, or the sender's own reply address); otherwise it
// is an unverified queue-only note that changes and sends nothing.
func TestMailSenderAuth(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Passwort", Description: "Ich komme nicht rein."}))
		subject := fmt.Sprintf("Re: [#%d] Passwort", tk.Number)
		phish := testMail{From: "Anna Agent <anna@example.org>", To: "servicedesk@example.org", Subject: subject,
			Body: "Bitte bestätigen Sie Ihr Passwort unter https://evil.example/login"}

		check := func(name string, raw []byte, wantVerified bool) *ticket.Entry {
			t.Helper()
			before, version := len(notifications(t, w)), must(w.svc.Ticket(ctx, w.alice, tk.Number)).Version
			r := receive(t, w, raw, "servicedesk@example.org")
			wantOutcome(t, r, desk.OutcomeAppended)
			e := entryByID(w, w.agentA, tk.Number, r.Entry)
			if r.Ticket != tk.Number || e == nil {
				t.Fatalf("%s: got %+v, want an entry on #%d", name, r, tk.Number)
			}
			sent := len(notifications(t, w)) - before
			if !wantVerified {
				if e.Kind != ticket.KindComment || e.Visibility != ticket.VisibilityQueue || !strings.Contains(e.Body, "unverified sender") {
					t.Errorf("%s: got %+v, want a queue-only comment marked unverified sender", name, e)
				}
				if entryByID(w, w.alice, tk.Number, r.Entry) != nil {
					t.Errorf("%s: the requester sees the unverified mail", name)
				}
				if sent != 0 {
					t.Errorf("%s: %d notifications, want none", name, sent)
				}
				if v := must(w.svc.Ticket(ctx, w.alice, tk.Number)).Version; v != version {
					t.Errorf("%s: ticket version %d, want %d (unchanged)", name, v, version)
				}
			}
			return e
		}

		// Spoofed staff mail with the subject tag.
		phish.MessageID = "p1@evil.example"
		check("spoofed staff mail", phish.raw(), false)
		// Authentication-Results of a server nobody trusts prove nothing.
		phish.MessageID = "p2@evil.example"
		check("untrusted Authentication-Results", append([]byte("Authentication-Results: evil.example; dmarc=pass header.from=example.org\r\n"), phish.raw()...), false)
		// A trusted server that says fail proves nothing either.
		phish.MessageID = "p3@evil.example"
		check("trusted fail", append([]byte("Authentication-Results: "+trustedMX+"; dmarc=fail header.from=example.org\r\n"), phish.raw()...), false)

		// The real anna, vouched for by the trusted mail server: a message
		// to the requester.
		real := testMail{From: "Anna Agent <anna@example.org>", To: "servicedesk@example.org", Subject: subject, MessageID: "a1@example.org",
			Body: "Ich habe Ihr Passwort zurückgesetzt."}
		before := len(notifications(t, w))
		e := check("authenticated staff mail", authed(real.raw(), "example.org"), true)
		if e.Kind != ticket.KindMessage || e.Visibility != ticket.VisibilityPublic || e.Author != "anna@example.org" {
			t.Errorf("got %+v, want anna's public message", e)
		}
		if len(notifications(t, w)) == before {
			t.Error("the authenticated message notified nobody")
		}

		// A requester's unverified mail does not reopen.
		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "resolve"}))
		spoofAlice := testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: subject, MessageID: "s1@evil.example", Body: "Doch nicht gelöst."}
		check("spoofed requester", spoofAlice.raw(), false)
		if st := must(w.svc.Ticket(ctx, w.alice, tk.Number)).State; st != ticket.StateResolved {
			t.Errorf("an unverified mail moved the ticket to %s, want resolved", st)
		}

		// alice replies to the reply address of a mail she got: that is
		// her, even with no thread headers, no tag and no trusted server.
		m := claimAll(t, w)["alice@example.org"]
		if m == nil || !strings.HasPrefix(m.ReplyTag, fmt.Sprintf("%d-", tk.Number)) {
			t.Fatalf("got mail %+v, want one to alice with a reply tag for #%d", m, tk.Number)
		}
		replyAddr := "servicedesk+" + m.ReplyTag + "@example.org"
		r := receive(t, w, testMail{From: "Alice <alice@example.org>", To: replyAddr, Subject: "Re: Passwort", MessageID: "r1@example.org",
			Body: "Geht immer noch nicht."}.raw(), replyAddr)
		wantOutcome(t, r, desk.OutcomeAppended)
		if e := entryByID(w, w.alice, tk.Number, r.Entry); r.Ticket != tk.Number || e == nil || e.Kind != ticket.KindAnswer {
			t.Fatalf("reply to the reply address: got #%d %+v, want alice's answer on #%d", r.Ticket, e, tk.Number)
		}
		if st := must(w.svc.Ticket(ctx, w.alice, tk.Number)).State; st != ticket.StateOpen {
			t.Errorf("got state %s, want open after her answer", st)
		}
		// Bob using alice's reply address is not alice: it proves nothing
		// for him (his mail opens his own ticket).
		r = receive(t, w, testMail{From: "bob@example.org", To: replyAddr, Subject: "Re: Passwort", MessageID: "r2@example.org", Body: "Ich auch."}.raw(), replyAddr)
		if r.Ticket == tk.Number {
			t.Errorf("bob's mail to alice's reply address went to #%d", tk.Number)
		}
		// On an open ticket a requester's mail tells only staff, so it
		// counts without authentication (mail-only requesters write
		// addenda); one that would reopen does not.
		r = receive(t, w, testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: subject, MessageID: "r4@example.org", Body: "Nachtrag."}.raw(), "")
		if e := entryByID(w, w.alice, tk.Number, r.Entry); e == nil || e.Kind != ticket.KindAnswer {
			t.Errorf("requester's addendum on an open ticket: got %+v, want her answer", e)
		}
		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "resolve"}))
		// A forged MAC, From alice: unverified.
		forged := fmt.Sprintf("servicedesk+%d-%s@example.org", tk.Number, strings.Repeat("b", 16))
		check("forged reply address", testMail{From: "alice@example.org", To: forged, Subject: subject, MessageID: "r3@evil.example", Body: "Ich bin alice."}.raw(), false)
	})
}
