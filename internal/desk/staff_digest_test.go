package desk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// sendAll claims every due mail, records it sent and returns it.
func sendAll(t *testing.T, w *world) []*desk.OutMail {
	t.Helper()
	var out []*desk.OutMail
	for {
		ms := claim(t, w)
		if len(ms) == 0 {
			return out
		}
		for _, m := range ms {
			if err := w.svc.FinishMail(context.Background(), m.ID, nil); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, ms...)
	}
}

// named lists the entry texts a mail names: its entry, or a digest's.
func named(m *desk.OutMail) []string {
	var out []string
	if m.Entry != nil {
		out = append(out, m.Entry.Body)
	}
	for _, e := range m.Digest {
		out = append(out, e.Body)
	}
	return out
}

// TestStaffDigest: 100 replies of a requester within a few minutes, with
// the mail worker running all along, make a bounded number of mails to
// each queue member, and the last one names every reply; nothing is
// dropped. The requester's own mails are not throttled this way.
func TestStaffDigest(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		if err := w.svc.AddQueueMember(ctx, access.System, "Servicedesk", "admin@example.org"); err != nil {
			t.Fatal(err)
		}
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Flut", Description: "Es geht los"}))
		byTo := map[string][]*desk.OutMail{}
		collect := func(ms []*desk.OutMail) {
			for _, m := range ms {
				byTo[m.Recipient.Email] = append(byTo[m.Recipient.Email], m)
			}
		}
		collect(sendAll(t, w))
		for i := 1; i <= 100; i++ {
			w.clock.Add(2 * time.Second)
			must(w.svc.AddEntry(ctx, w.alice, tk.Number, desk.NewEntry{Kind: ticket.KindAnswer, Body: fmt.Sprintf("Antwort %d", i)}))
			if i%7 == 0 {
				collect(sendAll(t, w))
			}
		}
		collect(sendAll(t, w))
		w.clock.Add(10 * time.Minute)
		collect(sendAll(t, w))
		if s := states(t, w); strings.Contains(s, "dropped") || strings.Contains(s, "pending") {
			t.Errorf("outbox: %s; want everything sent", s)
		}
		for _, who := range []string{"anna@example.org", "admin@example.org"} {
			ms := byTo[who]
			if len(ms) < 2 || len(ms) > 3 {
				t.Fatalf("%s got %d mails, want the new ticket's and at most two more", who, len(ms))
			}
			last := ms[len(ms)-1]
			if last.Event != desk.NotifyDigest {
				t.Errorf("%s: last mail is %s, want a digest", who, last.Event)
			}
			got := strings.Join(named(last), ",")
			var want []string
			for i := 1; i <= 100; i++ {
				want = append(want, fmt.Sprintf("Antwort %d", i))
			}
			if got != strings.Join(want, ",") {
				t.Errorf("%s: last mail names %q, want every reply in order", who, got)
			}
		}
		if n := len(byTo["alice@example.org"]); n != 1 {
			t.Errorf("alice got %d mails, want her receipt", n)
		}

		// Later, with the window over, one reply is one mail again.
		w.clock.Add(time.Hour)
		must(w.svc.AddEntry(ctx, w.alice, tk.Number, desk.NewEntry{Kind: ticket.KindAnswer, Body: "Nachzügler"}))
		ms := sendAll(t, w)
		if len(ms) != 2 || ms[0].Event != desk.NotifyAnswer || ms[0].Entry.Body != "Nachzügler" {
			t.Errorf("got %d mails (%+v), want one answer to each member", len(ms), ms)
		}
	})
}

// TestStaffHourlyCap: beyond 30 mails in an hour a staff member's further
// notifications wait until the hour allows, and are sent then, none lost.
func TestStaffHourlyCap(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for i := range 40 {
			must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: fmt.Sprintf("Ticket %d", i), Description: "x"}))
			w.clock.Add(time.Second)
		}
		count := func(ms []*desk.OutMail) (anna, alice int) {
			for _, m := range ms {
				switch m.Recipient.Email {
				case "anna@example.org":
					anna++
				case "alice@example.org":
					alice++
				}
			}
			return
		}
		anna, alice := count(sendAll(t, w))
		if anna != 30 || alice != 40 {
			t.Errorf("in the first hour anna got %d, alice %d; want 30 (the cap) and 40 (receipts)", anna, alice)
		}
		w.clock.Add(time.Hour)
		if anna, _ := count(sendAll(t, w)); anna != 10 {
			t.Errorf("an hour later anna got %d, want the 10 held back", anna)
		}
	})
}
