package desk_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// escalationRows lists the escalation digests in the outbox as
// "recipient-id:state", oldest first.
func escalationRows(t *testing.T, w *world) []string {
	t.Helper()
	var out []string
	err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		ns, err := tx.Notifications(context.Background(), "", 1000, 0)
		for _, n := range slices.Backward(ns) {
			if n.Event == desk.NotifyEscalation {
				if n.DigestID == 0 || n.TicketID != 0 {
					t.Errorf("escalation row %d: digest %d, ticket %d; want a digest and no ticket", n.ID, n.DigestID, n.TicketID)
				}
				out = append(out, fmt.Sprintf("%d:%s", n.RecipientID, n.State))
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// claimDigests claims the due mails and returns the escalation digests as
// "recipient email: #n kind state, …"; other mails are claimed too and
// left alone.
func claimDigests(t *testing.T, w *world) []string {
	t.Helper()
	ms, err := w.svc.ClaimMail(context.Background(), time.Minute, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		if m.Event != desk.NotifyEscalation {
			continue
		}
		if m.Escalation == nil || m.Ticket != nil {
			t.Fatalf("digest mail %d: escalation %v, ticket %v", m.ID, m.Escalation, m.Ticket)
		}
		var items []string
		for _, it := range m.Escalation.Items {
			items = append(items, fmt.Sprintf("#%d %s %s", it.Number, it.Kind, it.State))
		}
		out = append(out, m.Recipient.Email+": "+strings.Join(items, ", "))
		if err := w.svc.FinishMail(context.Background(), m.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func setEscalate(t *testing.T, w *world, queue string, on bool) *ticket.Queue {
	t.Helper()
	q, err := w.svc.UpdateQueue(context.Background(), w.admin, queue, desk.QueuePatch{Escalate: &on})
	if err != nil {
		t.Fatalf("escalate %s %v: %v", queue, on, err)
	}
	if q.Escalate == nil || *q.Escalate != on {
		t.Fatalf("queue %s after update: escalate %v, want %v", queue, q.Escalate, on)
	}
	return q
}

// TestEscalationDigests walks tickets of a queue with escalation digests
// through due soon and breached, for the first response and the
// resolution: each state of each target is mailed once, in one digest per
// run to the queue's members; a queue without the setting mails nothing.
func TestEscalationDigests(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		// First response within an hour (due soon 12 minutes before),
		// resolution within 8 business hours (due soon 96 minutes before).
		setTargets(t, w, "Servicedesk", 60, 8*60)
		setTargets(t, w, "Security", 60, 8*60)
		if qs := must(w.svc.Queues(ctx, w.admin)); qs[0].Escalate == nil || *qs[0].Escalate {
			t.Fatalf("escalate by default: %v, want false", qs[0].Escalate)
		}
		setEscalate(t, w, "Servicedesk", true)
		a := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		b := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		openAt(t, w, "2026-03-02 10:00", "Security") // Security sends no digests
		run := func(at string, want int) {
			t.Helper()
			w.clock.t = wien(t, at)
			n, err := w.svc.SendEscalations(ctx)
			if err != nil || n != want {
				t.Fatalf("SendEscalations at %s: %d, %v; want %d", at, n, err, want)
			}
		}
		run("2026-03-02 10:47", 0)
		claimDigests(t, w) // the receipts of the new tickets
		run("2026-03-02 10:48", 1)
		run("2026-03-02 10:49", 0) // nothing twice
		anna := fmt.Sprint(w.agentA.UserID)
		if got := claimDigests(t, w); !slices.Equal(got, []string{
			fmt.Sprintf("anna@example.org: #%d first_response due_soon, #%d first_response due_soon", a.Number, b.Number)}) {
			t.Fatalf("digests at 10:48: %q", got)
		}
		// a is answered in time; b is not.
		w.clock.t = wien(t, "2026-03-02 10:55")
		must(w.svc.AddEntry(ctx, w.agentA, a.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Wir sehen uns das an."}))
		claimDigests(t, w)
		run("2026-03-02 11:00", 1)
		run("2026-03-02 11:30", 0)
		if got := claimDigests(t, w); !slices.Equal(got, []string{fmt.Sprintf("anna@example.org: #%d first_response breached", b.Number)}) {
			t.Fatalf("digests at 11:00: %q", got)
		}
		// Resolution: due Tuesday 09:00, due soon Monday 16:24; one digest
		// lists both tickets, then one lists both breached.
		run("2026-03-02 16:23", 0)
		run("2026-03-02 16:24", 1)
		run("2026-03-03 08:59", 0)
		run("2026-03-03 09:00", 1)
		run("2026-03-03 12:00", 0)
		if got := claimDigests(t, w); !slices.Equal(got, []string{
			fmt.Sprintf("anna@example.org: #%d resolution due_soon, #%d resolution due_soon", a.Number, b.Number),
			fmt.Sprintf("anna@example.org: #%d resolution breached, #%d resolution breached", a.Number, b.Number)}) {
			t.Fatalf("resolution digests: %q", got)
		}
		if got := escalationRows(t, w); !slices.Equal(got, []string{anna + ":sent", anna + ":sent", anna + ":sent", anna + ":sent"}) {
			t.Fatalf("escalation mails in the outbox: %q, want four to anna, all sent", got)
		}
		// Turned off: a new ticket breaching stays quiet.
		setEscalate(t, w, "Servicedesk", false)
		openAt(t, w, "2026-03-03 12:00", "Servicedesk")
		run("2026-03-04 12:00", 0)
	})
}

// TestEscalationJumpsToBreached: a ticket found breached without having
// been mailed as due soon (the job did not run meanwhile) is mailed once,
// as breached; a ticket waiting for its requester, resolved or closed is
// not mailed (its clock stands still).
func TestEscalationJumpsToBreached(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		setTargets(t, w, "Servicedesk", 0, 60)
		setEscalate(t, w, "Servicedesk", true)
		late := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		waiting := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		resolved := openAt(t, w, "2026-03-02 10:00", "Servicedesk")
		w.clock.t = wien(t, "2026-03-02 10:10")
		must(w.svc.AddEntry(ctx, w.agentA, waiting.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welcher Raum?"}))
		must(w.svc.Act(ctx, w.agentA, resolved.Number, desk.Action{Name: "resolve"}))
		claimDigests(t, w)
		w.clock.t = wien(t, "2026-03-02 13:00")
		if n := must(w.svc.SendEscalations(ctx)); n != 1 {
			t.Fatalf("digests: %d, want 1", n)
		}
		if n := must(w.svc.SendEscalations(ctx)); n != 0 {
			t.Fatalf("digests again: %d, want 0", n)
		}
		if got := claimDigests(t, w); !slices.Equal(got, []string{fmt.Sprintf("anna@example.org: #%d resolution breached", late.Number)}) {
			t.Fatalf("digests: %q", got)
		}
	})
}

// TestEscalationConfidential: a confidential ticket's digest goes to the
// members of its queue only; moved to another queue before the mail goes
// out, it is left out of the old queue's digest (whose members may not see
// it any more), and the new queue's members hear of it in their own digest.
func TestEscalationConfidential(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for _, q := range []string{"Servicedesk", "Security"} {
			setTargets(t, w, q, 60, 0)
			setEscalate(t, w, q, true)
		}
		c := openAt(t, w, "2026-03-02 10:00", "Security")
		if !c.Confidential {
			t.Fatalf("#%d is not confidential", c.Number)
		}
		claimDigests(t, w)
		w.clock.t = wien(t, "2026-03-02 10:50")
		if n := must(w.svc.SendEscalations(ctx)); n != 1 {
			t.Fatalf("digests: %d, want 1 (Security's)", n)
		}
		if got := escalationRows(t, w); !slices.Equal(got, []string{fmt.Sprint(w.agentB.UserID) + ":pending"}) {
			t.Fatalf("escalation mails: %q, want one to bernd", got)
		}
		// Moved to Servicedesk before the mail goes out: bernd, no member
		// there, may no longer see it.
		must(w.svc.Act(ctx, w.agentB, c.Number, desk.Action{Name: "move", Queue: "Servicedesk"}))
		if got := claimDigests(t, w); len(got) != 0 {
			t.Fatalf("digests after the move: %q, want none", got)
		}
		if got := escalationRows(t, w); !slices.Equal(got, []string{fmt.Sprint(w.agentB.UserID) + ":dropped"}) {
			t.Fatalf("escalation mails after the move: %q, want bernd's dropped", got)
		}
		// Servicedesk's members are told of it: it is theirs now.
		if n := must(w.svc.SendEscalations(ctx)); n != 1 {
			t.Fatalf("digests after the move: %d, want 1 (Servicedesk's)", n)
		}
		if got := claimDigests(t, w); !slices.Equal(got, []string{fmt.Sprintf("anna@example.org: #%d first_response due_soon", c.Number)}) {
			t.Fatalf("Servicedesk's digest: %q", got)
		}
		// Back to Security, with the same due instant: bernd was told.
		must(w.svc.Act(ctx, w.agentA, c.Number, desk.Action{Name: "move", Queue: "Security"}))
		if n := must(w.svc.SendEscalations(ctx)); n != 0 {
			t.Fatalf("digests after moving back: %d, want 0", n)
		}
	})
}
