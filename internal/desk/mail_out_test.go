package desk_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// permanentErr is what a 5xx answer looks like to desk.
type permanentErr struct{}

func (permanentErr) Error() string   { return "550 no such user" }
func (permanentErr) Permanent() bool { return true }

// states returns the outbox as "event>recipient:state" lines, oldest first.
func states(t *testing.T, w *world) string {
	t.Helper()
	p, err := w.svc.Outbox(context.Background(), access.System, "", 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range slices.Backward(p.Items) {
		s := it.Event + ">" + strings.TrimSuffix(it.Recipient, "@example.org") + ":" + it.State
		if it.State == "dropped" {
			s += "(" + it.LastError + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func claim(t *testing.T, w *world) []*desk.OutMail {
	t.Helper()
	ms, err := w.svc.ClaimMail(context.Background(), time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestClaimMail(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Mail", Description: "Erste Zeile"}))
		ms := claim(t, w)
		if len(ms) != 2 {
			t.Fatalf("claimed %d, want the receipt and the queue's mail", len(ms))
		}
		receipt := ms[0]
		if receipt.Recipient.Email != "alice@example.org" || !receipt.Requests || receipt.Staff || receipt.Event != desk.NotifyCreated ||
			receipt.Entry == nil || receipt.Entry.Body != "Erste Zeile" || receipt.Actor != "Alice Requester" ||
			receipt.QueueAddress != "servicedesk@example.org" || receipt.InReplyTo != "" || len(receipt.History) != 0 {
			t.Errorf("receipt: got %+v", receipt)
		}
		if again := claim(t, w); len(again) != 0 {
			t.Errorf("claimed %d leased mails again", len(again))
		}
		for _, m := range ms {
			if err := w.svc.FinishMail(ctx, m.ID, nil); err != nil {
				t.Fatal(err)
			}
		}

		// A question threads on the receipt and quotes the description.
		w.clock.Add(time.Minute)
		must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Wann?"}))
		w.clock.Add(time.Minute)
		must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "intern", Visibility: ticket.VisibilityStaff}))
		ms = claim(t, w)
		if len(ms) != 1 {
			t.Fatalf("claimed %d, want the question to alice", len(ms))
		}
		q := ms[0]
		if q.InReplyTo != receipt.MessageID || !slices.Contains(q.References, receipt.MessageID) {
			t.Errorf("question threads In-Reply-To %q, References %q; want the receipt %s", q.InReplyTo, q.References, receipt.MessageID)
		}
		if len(q.History) != 1 || q.History[0].Body != "Erste Zeile" || q.Names["alice@example.org"] != "Alice Requester" || q.Actor != "Anna Agent" {
			t.Errorf("question: history %+v, names %v, actor %q", q.History, q.Names, q.Actor)
		}
		if err := w.svc.FinishMail(ctx, q.ID, nil); err != nil {
			t.Fatal(err)
		}

		// Dropped: a bounced address; a lost right to see.
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "carl@example.org", Name: "Carl"}))
		cur := must(w.svc.Ticket(ctx, w.agentA, tk.Number))
		must(w.svc.UpdateTicket(ctx, w.agentA, tk.Number, desk.Patch{Version: cur.Version, CC: &[]string{"carl@example.org"}}))
		must(w.svc.Act(ctx, w.agentB, tk.Number, desk.Action{Name: "watch"}))
		if err := w.db.Write(ctx, func(tx *store.Tx) error {
			return tx.MarkUndeliverable(ctx, "carl@example.org", "550 user unknown", w.clock.Now())
		}); err != nil {
			t.Fatal(err)
		}
		must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Morgen."}))
		cur = must(w.svc.Ticket(ctx, w.agentA, tk.Number))
		yes := true
		must(w.svc.UpdateTicket(ctx, w.agentA, tk.Number, desk.Patch{Version: cur.Version, Confidential: &yes}))
		ms = claim(t, w)
		if len(ms) != 1 || ms[0].Recipient.Email != "alice@example.org" {
			t.Fatalf("claimed %d, want alice's message only", len(ms))
		}
		want := "created>alice:sent created>anna:sent question>alice:sent message>alice:pending" +
			" message>carl:dropped(address is undeliverable (mail to it bounced)) message>bernd:dropped(recipient may no longer see ticket #1)"
		if got := states(t, w); got != want {
			t.Errorf("outbox\n got %s\nwant %s", got, want)
		}

		// Dropped: a disabled account gets no more mail.
		if err := w.svc.FinishMail(ctx, ms[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		yes = true
		must(w.svc.UpdateUser(ctx, access.System, "alice@example.org", desk.UserPatch{Disabled: &yes}))
		must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Noch da?"}))
		if ms = claim(t, w); len(ms) != 0 {
			t.Fatalf("claimed %d mails for a disabled account, want none", len(ms))
		}
		if got := states(t, w); !strings.Contains(got, " message>alice:dropped(recipient's account is disabled)") {
			t.Errorf("outbox: got %s, want alice's last message dropped as disabled", got)
		}
	})
}

func TestFinishMailBackoff(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := desk.New(w.db, nil, desk.Options{Now: w.clock.Now, Mail: desk.MailOptions{MaxAttempts: 9}})
		must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		var waits []string
		for range 9 {
			ms := must(svc.ClaimMail(ctx, time.Minute, 10))
			if len(ms) != 2 {
				t.Fatalf("claimed %d, want 2 (waits so far %v)", len(ms), waits)
			}
			for _, m := range ms {
				if err := svc.FinishMail(ctx, m.ID, errors.New("421 busy")); err != nil {
					t.Fatal(err)
				}
			}
			p := must(svc.Outbox(ctx, access.System, "", 1, 10))
			it := p.Items[len(p.Items)-1]
			if it.State != "pending" {
				waits = append(waits, it.State)
				break
			}
			d := it.NextAttemptAt.Sub(w.clock.Now())
			waits = append(waits, d.String())
			w.clock.Add(d)
		}
		if got, want := fmt.Sprint(waits), "[1m0s 2m0s 4m0s 8m0s 16m0s 32m0s 1h0m0s 1h0m0s failed]"; got != want {
			t.Errorf("waits %s, want %s", got, want)
		}
		// A permanent error fails at once.
		must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		ms := must(svc.ClaimMail(ctx, time.Minute, 1))
		if len(ms) != 1 {
			t.Fatalf("claimed %d, want bob's receipt", len(ms))
		}
		if err := svc.FinishMail(ctx, ms[0].ID, fmt.Errorf("send: %w", permanentErr{})); err != nil {
			t.Fatal(err)
		}
		if got, want := states(t, w), "created>bob:failed created>anna:failed created>bob:failed created>anna:pending"; got != want {
			t.Errorf("outbox %s, want %s", got, want)
		}
	})
}

func TestDailyCap(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := desk.New(w.db, nil, desk.Options{Now: w.clock.Now, Mail: desk.MailOptions{DailyCap: 2}})
		for range 3 {
			must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		}
		ms := must(svc.ClaimMail(ctx, time.Minute, 100))
		var to []string
		for _, m := range ms {
			to = append(to, m.Recipient.Email)
			if err := svc.FinishMail(ctx, m.ID, nil); err != nil {
				t.Fatal(err)
			}
		}
		// bob (a requester) gets two a day; anna (staff) is not capped.
		if got, want := strings.Join(to, " "), "bob@example.org anna@example.org bob@example.org anna@example.org anna@example.org"; got != want {
			t.Errorf("sent to %s, want %s", got, want)
		}
		w.clock.Add(24*time.Hour + time.Second)
		must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		if ms := must(svc.ClaimMail(ctx, time.Minute, 100)); len(ms) != 2 {
			t.Errorf("a day later claimed %d, want 2", len(ms))
		}
	})
}

func TestOutboxAdmin(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "s", Description: "d"}))
		must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Security", Subject: "geheim", Description: "d"})) // confidential
		if _, err := w.svc.Outbox(ctx, w.agentA, "", 1, 10); ticket.ErrorCode(err) != ticket.EFORBIDDEN {
			t.Errorf("agent: got %v, want forbidden", err)
		}
		if _, err := w.svc.Outbox(ctx, w.admin, "lost", 1, 10); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Errorf("bad state: got %v, want invalid", err)
		}
		// The admin is no member of Security: its confidential ticket's mail stays hidden.
		p := must(w.svc.Outbox(ctx, w.admin, "pending", 1, 1))
		if p.Total != 2 || len(p.Items) != 1 || p.Items[0].Ticket != 1 || p.PerPage != 1 {
			t.Errorf("admin's outbox: got total %d, items %+v; want 2 mails of #1, one per page", p.Total, p.Items)
		}
		if all := must(w.svc.Outbox(ctx, access.System, "", 1, 0)); all.Total != 4 || all.PerPage != 50 {
			t.Errorf("system's outbox: total %d, per page %d; want 4, 50", all.Total, all.PerPage)
		}
		hidden := must(w.svc.Outbox(ctx, access.System, "", 1, 1)).Items[0]
		if _, err := w.svc.RetryMail(ctx, w.admin, hidden.ID); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Errorf("retry of a hidden ticket's mail: got %v, want not found", err)
		}
	})
}

// TestClaimMailThreadsOnReceivedMail: a ticket opened by mail threads its
// receipt and every later mail on the requester's own message.
func TestClaimMailThreadsOnReceivedMail(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "per Mail", Description: "Hallo", Channel: ticket.ChannelMail}))
		if err := w.db.Write(ctx, func(tx *store.Tx) error {
			full, err := tx.TicketByNumber(ctx, access.System, tk.Number)
			if err != nil {
				return err
			}
			es, err := tx.Entries(ctx, access.System, full.ID)
			if err != nil {
				return err
			}
			return tx.InsertMailID(ctx, "orig.1@uni.example", full.ID, es[0].ID, false, w.clock.Now())
		}); err != nil {
			t.Fatal(err)
		}
		var receipt *desk.OutMail
		for _, m := range claim(t, w) {
			if m.Recipient.Email == "alice@example.org" {
				receipt = m
			}
			if err := w.svc.FinishMail(ctx, m.ID, nil); err != nil {
				t.Fatal(err)
			}
		}
		if receipt == nil || receipt.InReplyTo != "orig.1@uni.example" || fmt.Sprint(receipt.References) != "[orig.1@uni.example]" {
			t.Fatalf("receipt: got %+v, want it to answer alice's mail", receipt)
		}
		w.clock.Add(time.Minute)
		must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Erledigt bald."}))
		ms := claim(t, w)
		if len(ms) != 1 || ms[0].InReplyTo != receipt.MessageID ||
			fmt.Sprint(ms[0].References) != fmt.Sprint([]string{"orig.1@uni.example", receipt.MessageID}) {
			t.Fatalf("message: got %+v, want it to answer the receipt, referencing alice's mail", ms)
		}
	})
}
