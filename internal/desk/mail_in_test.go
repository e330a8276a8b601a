package desk_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// testMail builds a plain mail a person writes.
type testMail struct {
	From, To, Cc, Subject, MessageID, InReplyTo, References, Body string
	Extra                                                         []string // further header lines
}

func (m testMail) raw() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\n", m.From, m.To)
	if m.Cc != "" {
		fmt.Fprintf(&b, "Cc: %s\r\n", m.Cc)
	}
	fmt.Fprintf(&b, "Subject: %s\r\nDate: Mon, 02 Mar 2026 10:00:00 +0100\r\n", m.Subject)
	if m.MessageID != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\r\n", m.MessageID)
	}
	if m.InReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\n", m.InReplyTo)
	}
	if m.References != "" {
		fmt.Fprintf(&b, "References: %s\r\n", m.References)
	}
	for _, h := range m.Extra {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(strings.ReplaceAll(m.Body, "\n", "\r\n"))
	return []byte(b.String())
}

// corpus reads testdata/mail/name with {{KEY}} replaced by vars.
func corpus(t *testing.T, name string, vars map[string]string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mail", name))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for k, v := range vars {
		s = strings.ReplaceAll(s, "{{"+k+"}}", v)
	}
	return []byte(s)
}

// trustedMX is the authserv-id the test world's mail server signs its
// Authentication-Results with.
const trustedMX = "mx.example.org"

// authed is raw as the trusted mail server hands it over after DMARC
// passed for domain.
func authed(raw []byte, domain string) []byte {
	return append([]byte("Authentication-Results: "+trustedMX+"; dmarc=pass (p=reject) header.from="+domain+"\r\n"), raw...)
}

// sentIDTo returns the Message-ID of the mail servus sent (or owes) to
// email about ticket number.
func sentIDTo(t testing.TB, w *world, number int64, email string) string {
	t.Helper()
	for _, n := range notifications(t, w) {
		if n.TicketNumber == number && n.Recipient == email {
			return n.MessageID
		}
	}
	t.Fatalf("no notification to %s about #%d", email, number)
	return ""
}

func receive(t *testing.T, w *world, raw []byte, recipient string) *desk.Receipt {
	t.Helper()
	r, err := w.svc.Receive(context.Background(), raw, desk.ChannelAPI, recipient)
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	return r
}

func wantOutcome(t *testing.T, r *desk.Receipt, outcome string) {
	t.Helper()
	if r.Outcome != outcome {
		t.Fatalf("got outcome %q (error %q, ticket %d), want %q", r.Outcome, r.Error, r.Ticket, outcome)
	}
}

// notifications lists the outbox.
func notifications(t testing.TB, w *world) []*store.Notification {
	t.Helper()
	var ns []*store.Notification
	if err := w.db.Read(context.Background(), func(tx *store.Tx) (err error) {
		ns, err = tx.Notifications(context.Background(), "", 1000, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ns
}

// sentID returns the Message-ID of a mail servus sent (or owes) about
// ticket number.
func sentID(t testing.TB, w *world, number int64) string {
	t.Helper()
	for _, n := range notifications(t, w) {
		if n.TicketNumber == number {
			return n.MessageID
		}
	}
	t.Fatalf("no notification about #%d", number)
	return ""
}

func lastEntry(t *testing.T, w *world, a access.Actor, number int64) *ticket.Entry {
	t.Helper()
	es := must(w.svc.Entries(context.Background(), a, number))
	return es[len(es)-1]
}

func entryByID(w *world, a access.Actor, number, id int64) *ticket.Entry {
	for _, e := range must(w.svc.Entries(context.Background(), a, number)) {
		if e.ID == id {
			return e
		}
	}
	return nil
}

func TestMailNewTicket(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Netz", Address: "innet-admin@example.org"}))
		raw := corpus(t, "new-with-attachment-en.eml", map[string]string{"N": "1"})
		r := receive(t, w, raw, "")
		wantOutcome(t, r, desk.OutcomeCreated)
		tk := must(w.svc.Ticket(ctx, access.System, r.Ticket))
		if tk.Queue != "Netz" || tk.Requester != "carla.cruz@example.org" || tk.Channel != ticket.ChannelMail ||
			tk.Subject != "Switch in building 4 keeps rebooting" || tk.State != ticket.StateNew {
			t.Fatalf("got %+v, want a new mail ticket of carla.cruz in Netz", tk)
		}
		carla := w.actor(t, "carla.cruz@example.org")
		if carla.Role != ticket.RoleRequester || carla.Name != "Carla Cruz" {
			t.Errorf("got sender user %+v, want requester Carla Cruz", carla)
		}
		desc := lastEntry(t, w, carla, r.Ticket)
		if desc.ID != r.Entry || desc.Kind != ticket.KindDescription || !strings.HasPrefix(desc.Body, "Hello,\n\nthe switch in building 4") {
			t.Fatalf("got entry %+v, want the description %d with the mail's text", desc, r.Entry)
		}
		atts := must(w.svc.Attachments(ctx, carla, r.Ticket))
		var names []string
		for _, a := range atts {
			names = append(names, a.Name)
			if a.EntryID != r.Entry {
				t.Errorf("attachment %s on entry %d, want %d", a.Name, a.EntryID, r.Entry)
			}
		}
		slices.Sort(names)
		if !slices.Equal(names, []string{"panel.png", "switch.log"}) {
			t.Errorf("got attachments %v, want panel.png and switch.log", names)
		}
		// The original stays downloadable, to whoever sees the entry.
		_, rc, err := w.svc.EntryMail(ctx, carla, r.Ticket, r.Entry)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, raw) {
			t.Errorf("EntryMail gave %d bytes, want the %d bytes received", len(got), len(raw))
		}
		_, _, err = w.svc.EntryMail(ctx, w.bob, r.Ticket, r.Entry)
		wantCode(t, err, ticket.ENOTFOUND)

		// To no functional address: the default queue; the channel's
		// recipient wins over To.
		r = receive(t, w, testMail{From: "dora@example.org", To: "someone@example.org", Subject: "Hilfe", Body: "Mein Passwort geht nicht."}.raw(), "")
		wantOutcome(t, r, desk.OutcomeCreated)
		if q := must(w.svc.Ticket(ctx, access.System, r.Ticket)).Queue; q != "Servicedesk" {
			t.Errorf("got queue %s, want the default Servicedesk", q)
		}
		r = receive(t, w, testMail{From: "dora@example.org", To: "servicedesk@example.org", Subject: "Netz kaputt", Body: "Kein Netz."}.raw(), "innet-admin@example.org")
		if q := must(w.svc.Ticket(ctx, access.System, r.Ticket)).Queue; q != "Netz" {
			t.Errorf("got queue %s, want Netz (the LMTP recipient)", q)
		}
	})
}

func TestMailThreading(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker druckt nicht", Description: "Papierstau."}))
		must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Ist das Papierfach eingerastet?"}))
		ref := sentID(t, w, tk.Number)

		// An Outlook reply by In-Reply-To: only the new text, as the
		// requester's answer, which opens the waiting ticket.
		raw := corpus(t, "outlook-reply-de.eml", map[string]string{"REF": ref, "TAG": "", "N": "1"})
		r := receive(t, w, authed(raw, "example.org"), "")
		wantOutcome(t, r, desk.OutcomeAppended)
		if r.Ticket != tk.Number {
			t.Fatalf("appended to #%d, want #%d", r.Ticket, tk.Number)
		}
		e := entryByID(w, w.alice, tk.Number, r.Entry)
		wantBody := "Hallo Frau Agent,\n\nder Drucker druckt jetzt wieder, vielen Dank für die schnelle Hilfe!\n\nViele Grüße\nAlice"
		if e == nil || e.Kind != ticket.KindAnswer || e.Author != "alice@example.org" || e.Channel != ticket.ChannelMail || e.Body != wantBody {
			t.Fatalf("got entry %+v, want alice's answer with body %q", e, wantBody)
		}
		if st := must(w.svc.Ticket(ctx, w.alice, tk.Number)).State; st != ticket.StateOpen {
			t.Errorf("got state %s, want open after the answer", st)
		}

		// By References only (a client that drops In-Reply-To), pointing
		// at the message alice sent.
		r = receive(t, w, testMail{From: "Alice <alice@example.org>", To: "servicedesk@example.org", Subject: "Nachtrag",
			MessageID: "n2@alice.example.org", References: "<unknown@x> <AM0PR07MB6115A1B2C3D4E5F61@AM0PR07MB6115.eurprd07.prod.outlook.com>",
			Body: "Noch etwas: der Toner ist auch leer."}.raw(), "")
		wantOutcome(t, r, desk.OutcomeAppended)
		if r.Ticket != tk.Number {
			t.Fatalf("References: appended to #%d, want #%d", r.Ticket, tk.Number)
		}

		// By the subject tag from a participant, without any thread headers.
		r = receive(t, w, testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: fmt.Sprintf("Re: [#%d] Drucker", tk.Number),
			Body: "Und das Display flackert."}.raw(), "")
		wantOutcome(t, r, desk.OutcomeAppended)
		if r.Ticket != tk.Number {
			t.Fatalf("tag: appended to #%d, want #%d", r.Ticket, tk.Number)
		}

		// A queue member's reply by mail is a message to the requester.
		before := len(notifications(t, w))
		r = receive(t, w, authed(testMail{From: "anna@example.org", To: "servicedesk@example.org", Subject: "Re: Drucker",
			InReplyTo: ref, Body: "Ich komme morgen vorbei."}.raw(), "example.org"), "")
		wantOutcome(t, r, desk.OutcomeAppended)
		if e := entryByID(w, w.alice, tk.Number, r.Entry); e == nil || e.Kind != ticket.KindMessage || e.Visibility != ticket.VisibilityPublic {
			t.Fatalf("got %+v, want a public message alice sees", e)
		}
		if ns := notifications(t, w); len(ns) <= before {
			t.Errorf("a staff message by mail notified nobody")
		}
	})
}

func TestMailNonParticipant(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		secret := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Konto kompromittiert", Description: "Mein Konto wurde übernommen."}))
		if !secret.Confidential {
			t.Fatal("Security tickets should be confidential")
		}
		subject := fmt.Sprintf("Re: [#%d] Konto kompromittiert", secret.Number)
		before := len(notifications(t, w))

		// Bob guesses the tag: his mail makes his own ticket.
		r := receive(t, w, testMail{From: "bob@example.org", To: "servicedesk@example.org", Subject: subject, Body: "Was ist da los?"}.raw(), "")
		wantOutcome(t, r, desk.OutcomeCreated)
		if r.Ticket == secret.Number {
			t.Fatal("a non-participant's subject tag attached to a confidential ticket")
		}
		mine := must(w.svc.Ticket(ctx, w.bob, r.Ticket))
		if mine.Requester != "bob@example.org" || mine.Confidential || mine.Queue != "Servicedesk" {
			t.Errorf("got %+v, want bob's own ticket in Servicedesk", mine)
		}
		_, err := w.svc.Ticket(ctx, w.bob, secret.Number)
		wantCode(t, err, ticket.ENOTFOUND)
		// An unknown address too.
		r = receive(t, w, testMail{From: "mallory@evil.example", To: "servicedesk@example.org", Subject: subject, Body: "Gib mir alles."}.raw(), "")
		wantOutcome(t, r, desk.OutcomeCreated)
		if r.Ticket == secret.Number {
			t.Fatal("an unknown sender's subject tag attached to a confidential ticket")
		}

		// A reply threaded by Message-ID from someone outside: kept as a
		// queue-only note, never shown to the requester, nothing sent to
		// the sender.
		ref := sentID(t, w, secret.Number)
		r = receive(t, w, testMail{From: "mallory@evil.example", To: "servicedesk@example.org", Subject: "Re: Konto", InReplyTo: ref, Body: "Ich habe die Mail weitergeleitet bekommen."}.raw(), "")
		wantOutcome(t, r, desk.OutcomeAppended)
		if r.Ticket != secret.Number {
			t.Fatalf("got #%d, want the note on #%d", r.Ticket, secret.Number)
		}
		e := entryByID(w, w.agentB, secret.Number, r.Entry)
		if e == nil || e.Kind != ticket.KindComment || e.Visibility != ticket.VisibilityQueue || !strings.Contains(e.Body, "non-participant") {
			t.Fatalf("got %+v, want a queue-only comment marked non-participant", e)
		}
		if entryByID(w, w.alice, secret.Number, r.Entry) != nil {
			t.Error("the requester sees the non-participant's note")
		}
		mallory := w.actor(t, "mallory@evil.example")
		for _, n := range notifications(t, w)[:len(notifications(t, w))-before] {
			if n.RecipientID == mallory.UserID && n.TicketNumber == secret.Number {
				t.Errorf("mallory gets mail about the confidential ticket: %+v", n)
			}
		}
		if st := must(w.svc.Ticket(ctx, access.System, secret.Number)).State; st != ticket.StateNew {
			t.Errorf("a non-participant changed the state to %s", st)
		}

		// A queue member whose account is disabled: the mail is kept, as a
		// non-participant's note, not as a message to the requester.
		yes := true
		must(w.svc.UpdateUser(ctx, access.System, "bernd@example.org", desk.UserPatch{Disabled: &yes}))
		r = receive(t, w, testMail{From: "bernd@example.org", To: "servicedesk@example.org", Subject: subject, InReplyTo: ref, Body: "Ich bin nicht mehr da."}.raw(), "")
		wantOutcome(t, r, desk.OutcomeAppended)
		e = entryByID(w, access.System, secret.Number, r.Entry)
		if r.Ticket != secret.Number || e == nil || e.Kind != ticket.KindComment || e.Visibility != ticket.VisibilityQueue || !strings.Contains(e.Body, "non-participant") {
			t.Fatalf("disabled member's mail: got #%d %+v, want a queue-only note on #%d", r.Ticket, e, secret.Number)
		}
	})
}

func TestMailAutoReplyAndBounce(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.agentA, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "Anruf.", Requester: "alice@example.org"}))
		ref := sentIDTo(t, w, tk.Number, "alice@example.org")
		before, version := len(notifications(t, w)), tk.Version

		r := receive(t, w, corpus(t, "ooo-exchange-de.eml", map[string]string{"REF": ref, "TAG": fmt.Sprintf("[#%d]", tk.Number)}), "")
		wantOutcome(t, r, desk.OutcomeAutoReply)
		if r.Ticket != tk.Number {
			t.Fatalf("auto-reply noted on #%d, want #%d", r.Ticket, tk.Number)
		}
		if e := entryByID(w, w.agentA, tk.Number, r.Entry); e == nil || e.Visibility != ticket.VisibilityStaff {
			t.Errorf("got %+v, want a staff-only note", e)
		}
		if entryByID(w, w.alice, tk.Number, r.Entry) != nil {
			t.Error("the requester sees the note on her own auto-reply")
		}
		// An auto-reply threading nowhere is only recorded.
		r = receive(t, w, corpus(t, "ooo-exchange-de.eml", map[string]string{"REF": "nowhere@x", "TAG": ""}), "")
		wantOutcome(t, r, desk.OutcomeDuplicate) // same Message-ID and sender as before
		r = receive(t, w, testMail{From: "carl@example.org", To: "servicedesk@example.org", Subject: "Out of Office: Hallo", MessageID: "ooo2@x",
			Extra: []string{"Auto-Submitted: auto-replied"}, Body: "Bin weg."}.raw(), "")
		wantOutcome(t, r, desk.OutcomeAutoReply)
		if r.Ticket != 0 {
			t.Errorf("an unthreaded auto-reply touched #%d", r.Ticket)
		}

		r = receive(t, w, corpus(t, "dsn-postfix.eml", map[string]string{"REF": ref, "TAG": fmt.Sprintf("[#%d]", tk.Number), "RCPT": "alice@example.org"}), "")
		wantOutcome(t, r, desk.OutcomeBounce)
		if r.Ticket != tk.Number {
			t.Fatalf("bounce noted on #%d, want #%d", r.Ticket, tk.Number)
		}
		if e := entryByID(w, w.agentA, tk.Number, r.Entry); e == nil || e.Visibility != ticket.VisibilityStaff || !strings.Contains(e.Body, "alice@example.org") {
			t.Errorf("got %+v, want a staff-only note naming alice", e)
		}
		var undeliverable bool
		must(0, w.db.Read(ctx, func(tx *store.Tx) (err error) {
			undeliverable, err = tx.Undeliverable(ctx, "alice@example.org")
			return err
		}))
		if !undeliverable {
			t.Error("alice@example.org is not marked undeliverable after the bounce")
		}

		after := must(w.svc.Ticket(ctx, access.System, tk.Number))
		if after.State != ticket.StateNew || after.Version != version {
			t.Errorf("got state %s version %d, want the ticket untouched (new, %d)", after.State, after.Version, version)
		}
		if n := len(notifications(t, w)); n != before {
			t.Errorf("automatic mail caused %d notifications, want none", n-before)
		}
		page := must(w.svc.Search(ctx, access.System, ticket.Filter{}))
		if page.Total != 1 {
			t.Errorf("got %d tickets, want 1: automatic mail never makes tickets", page.Total)
		}

		// alice writes again: her address works after all.
		receive(t, w, authed(testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: "Neu", Body: "Hallo."}.raw(), "example.org"), "")
		must(0, w.db.Read(ctx, func(tx *store.Tx) (err error) {
			undeliverable, err = tx.Undeliverable(ctx, "alice@example.org")
			return err
		}))
		if undeliverable {
			t.Error("alice@example.org is still undeliverable after she wrote")
		}
	})
}

func TestMailDuplicate(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		m := testMail{From: "erik@example.org", To: "servicedesk@example.org", Subject: "VPN", MessageID: "vpn-1@erik.example.org", Body: "VPN verbindet nicht."}
		first := receive(t, w, m.raw(), "")
		wantOutcome(t, first, desk.OutcomeCreated)
		again := receive(t, w, m.raw(), "")
		wantOutcome(t, again, desk.OutcomeDuplicate)
		// The same mail through another path: other bytes, same Message-ID.
		m.Extra = []string{"Received: from imap by servus"}
		copy := receive(t, w, m.raw(), "")
		wantOutcome(t, copy, desk.OutcomeDuplicate)
		for _, r := range []*desk.Receipt{again, copy} {
			if r.Ticket != first.Ticket || r.Entry != first.Entry || r.Inbound != first.Inbound {
				t.Errorf("got %+v, want it to point at the first %+v", r, first)
			}
		}
		if n := must(w.svc.Search(ctx, access.System, ticket.Filter{})).Total; n != 1 {
			t.Errorf("got %d tickets, want 1", n)
		}
	})
}

func TestMailReopen(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "WLAN", Description: "Kein WLAN."}))
		ref := sentID(t, w, tk.Number)
		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "take"}))
		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "resolve"}))
		must(w.svc.Act(ctx, w.alice, tk.Number, desk.Action{Name: "close"}))

		w.clock.Add(desk.DefaultReopenGrace - time.Hour)
		r := receive(t, w, authed(testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: "Re: WLAN", MessageID: "w1@a", InReplyTo: ref, Body: "Geht wieder nicht."}.raw(), "example.org"), "")
		wantOutcome(t, r, desk.OutcomeAppended)
		if got := must(w.svc.Ticket(ctx, w.alice, tk.Number)); r.Ticket != tk.Number || got.State != ticket.StateOpen {
			t.Fatalf("got #%d in state %s, want #%d reopened", r.Ticket, got.State, tk.Number)
		}

		must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "resolve"}))
		must(w.svc.Act(ctx, w.alice, tk.Number, desk.Action{Name: "close"}))
		w.clock.Add(desk.DefaultReopenGrace + time.Hour)
		r = receive(t, w, authed(testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: fmt.Sprintf("Re: [#%d] WLAN", tk.Number), MessageID: "w2@a", InReplyTo: ref, Body: "Schon wieder."}.raw(), "example.org"), "")
		wantOutcome(t, r, desk.OutcomeCreated)
		if r.Ticket == tk.Number {
			t.Fatal("a reply after the grace period reopened the old ticket")
		}
		nt := must(w.svc.Ticket(ctx, w.alice, r.Ticket))
		if nt.Subject != "WLAN" || !slices.Contains(nt.Links, ticket.Link{Kind: "related", Number: tk.Number}) {
			t.Errorf("got %+v, want subject WLAN linked to #%d", nt, tk.Number)
		}
		if st := must(w.svc.Ticket(ctx, w.alice, tk.Number)).State; st != ticket.StateClosed {
			t.Errorf("old ticket in state %s, want closed", st)
		}
		// Further replies in that thread go to the new ticket? No: they
		// name the old ticket's mail; they make new tickets too, each
		// linked. The reply to the new ticket's mail threads there.
		r2 := receive(t, w, authed(testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: "Re: WLAN", MessageID: "w3@a", InReplyTo: "w2@a", Body: "Noch was."}.raw(), "example.org"), "")
		if r2.Outcome != desk.OutcomeAppended || r2.Ticket != r.Ticket {
			t.Errorf("got %+v, want appended to #%d", r2, r.Ticket)
		}
	})
}

// TestMailFailedAndRetry: a mail no queue takes fails, stays in the failed
// list, and a retry after the admin fixed the cause processes it.
func TestMailFailedAndRetry(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Open(t, d)
			blobs := must(blob.Open(t.TempDir()))
			p := auth.CheapParams()
			svc := desk.New(db, blobs, desk.Options{PasswordParams: &p})
			must(svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Netz", Address: "innet-admin@example.org"}))
			admin := must(svc.CreateUser(ctx, access.System, desk.NewUser{Email: "admin@example.org", Name: "Admin", Role: ticket.RoleAdmin}))
			a := must(svc.ActorByEmail(ctx, admin.Email))

			r := must(svc.Receive(ctx, testMail{From: "fritz@example.org", To: "info@example.org", Subject: "Hallo", Body: "Test."}.raw(), desk.ChannelAPI, ""))
			wantOutcome(t, r, desk.OutcomeFailed)
			if !strings.Contains(r.Error, "default queue") {
				t.Errorf("got error %q, want it to name the missing default queue", r.Error)
			}
			page := must(svc.FailedMail(ctx, a, 1, 10))
			if page.Total != 1 || page.Items[0].ID != r.Inbound || page.Items[0].Sender != "fritz@example.org" || page.Items[0].Subject != "Hallo" {
				t.Fatalf("got failed list %+v, want the one message", page)
			}
			must(svc.CreateUser(ctx, access.System, desk.NewUser{Email: "req@example.org", Name: "Req"}))
			_, err := svc.FailedMail(ctx, must(svc.ActorByEmail(ctx, "req@example.org")), 1, 10)
			if ticket.ErrorCode(err) != ticket.EFORBIDDEN && ticket.ErrorCode(err) != ticket.ENOTFOUND {
				t.Errorf("a requester sees the failed list: %v", err)
			}

			must(svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Servicedesk", Default: true}))
			r2 := must(svc.RetryInbound(ctx, a, r.Inbound))
			wantOutcome(t, r2, desk.OutcomeCreated)
			if page := must(svc.FailedMail(ctx, a, 1, 10)); page.Total != 0 {
				t.Errorf("got %d failed, want none after the retry", page.Total)
			}
			_, err = svc.RetryInbound(ctx, a, r.Inbound)
			wantCode(t, err, ticket.ECONFLICT)
			m := must(svc.InboundMessage(ctx, a, r.Inbound))
			if m.State != "done" || m.Outcome != desk.OutcomeCreated || m.Ticket != r2.Ticket || m.Attempts != 2 {
				t.Errorf("got %+v, want done, created #%d after 2 attempts", m, r2.Ticket)
			}
		})
	}
}

// TestMailStoreFirst: a stored message that was never processed (a crash
// right after the channel's acknowledgement) is processed by
// ProcessPending, once.
func TestMailStoreFirst(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		var ids []int64
		for i := range 3 {
			id, dup, err := w.svc.StoreInbound(ctx, testMail{From: "gina@example.org", To: "servicedesk@example.org", Subject: fmt.Sprintf("Frage %d", i), MessageID: fmt.Sprintf("q%d@gina", i), Body: "Frage."}.raw(), desk.ChannelLMTP, "servicedesk@example.org")
			if err != nil || dup != nil {
				t.Fatalf("StoreInbound: %v, %+v", err, dup)
			}
			ids = append(ids, id)
		}
		if n := must(w.svc.Search(ctx, access.System, ticket.Filter{})).Total; n != 0 {
			t.Fatalf("got %d tickets before processing, want 0", n)
		}
		n := must(w.svc.ProcessPending(ctx, 0))
		if n != 3 {
			t.Fatalf("processed %d, want 3", n)
		}
		if n := must(w.svc.ProcessPending(ctx, 0)); n != 0 {
			t.Errorf("processed %d again, want 0", n)
		}
		r := must(w.svc.ProcessInbound(ctx, ids[0]))
		wantOutcome(t, r, desk.OutcomeCreated)
		if n := must(w.svc.Search(ctx, access.System, ticket.Filter{})).Total; n != 3 {
			t.Errorf("got %d tickets, want 3", n)
		}
	})
}
