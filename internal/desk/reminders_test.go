package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// reminderMails counts the reminder notifications in the outbox, by
// recipient.
func reminderMails(t *testing.T, w *world) map[int64]int {
	t.Helper()
	out := map[int64]int{}
	err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		ns, err := tx.Notifications(context.Background(), "", 1000, 0)
		for _, n := range ns {
			if n.Event == desk.NotifyReminder {
				out[n.RecipientID]++
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func setReminder(t *testing.T, w *world, queue string, r ticket.Reminder) *ticket.Queue {
	t.Helper()
	q, err := w.svc.UpdateQueue(context.Background(), w.admin, queue, desk.QueuePatch{Reminder: &r})
	if err != nil {
		t.Fatalf("set reminder %+v: %v", r, err)
	}
	return q
}

// TestReminders walks waiting tickets through the reminder and what
// follows it, per queue setting: one reminder per waiting period (running
// the job again sends none), a new period after an answer and a new
// question, then close or return to the queue.
func TestReminders(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		const day = 24 * time.Hour
		q := setReminder(t, w, "Servicedesk", ticket.Reminder{AfterSeconds: 3 * 86400, Then: ticket.ReminderThenClose, ThenAfterSeconds: 4 * 86400})
		if q.Reminder == nil || q.Reminder.AfterSeconds != 3*86400 || q.Reminder.Then != "close" {
			t.Fatalf("queue after update: %+v", q.Reminder)
		}
		ask := func(n int64) {
			t.Helper()
			must(w.svc.AddEntry(ctx, w.agentA, n, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welcher Raum?"}))
		}
		run := func(wantReminded, wantFollowed int) {
			t.Helper()
			r, f, err := w.svc.SendReminders(ctx)
			if err != nil || r != wantReminded || f != wantFollowed {
				t.Fatalf("SendReminders: %d reminded, %d followed, %v; want %d, %d", r, f, err, wantReminded, wantFollowed)
			}
		}
		state := func(n int64) string {
			t.Helper()
			tk := must(w.svc.Ticket(ctx, w.agentA, n))
			return string(tk.State) + "/" + string(tk.CloseReason)
		}
		for range 3 {
			must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Beamer", Description: "geht nicht"}))
		}
		ask(1)
		ask(2)
		run(0, 0) // nothing is due yet
		w.clock.Add(3*day - time.Minute)
		run(0, 0)
		w.clock.Add(2 * time.Minute)
		before := reminderMails(t, w)[w.alice.UserID]
		run(2, 0) // #1 and #2; #3 is not waiting
		run(0, 0) // each period once
		if got := reminderMails(t, w)[w.alice.UserID] - before; got != 2 {
			t.Fatalf("reminder mails to alice: %d, want 2", got)
		}
		// Alice answers #2: its period ends; a new question starts another.
		must(w.svc.AddEntry(ctx, w.alice, 2, desk.NewEntry{Kind: ticket.KindAnswer, Body: "Raum 3"}))
		ask(2)
		w.clock.Add(3*day + time.Minute)
		run(1, 0)                               // #2's second period
		if got := state(1); got != "waiting/" { // 3 days after #1's reminder: not yet
			t.Fatalf("#1: %s", got)
		}
		w.clock.Add(day)
		run(0, 1) // #1 closes, four days after its reminder
		if got := state(1); got != "closed/auto-closed" {
			t.Fatalf("#1 after the follow-up: %s, want closed/auto-closed", got)
		}
		entries := must(w.svc.Entries(ctx, w.agentA, 1))
		var notes []string
		for _, e := range entries {
			if e.Field == "reminder" {
				notes = append(notes, e.NewValue)
			}
		}
		if len(notes) != 2 || notes[0] != "sent" || notes[1] != "closed" {
			t.Fatalf("#1 history of reminders: %v, want [sent closed]", notes)
		}
		// Return to the queue instead.
		setReminder(t, w, "Servicedesk", ticket.Reminder{AfterSeconds: 3 * 86400, Then: ticket.ReminderThenReopen, ThenAfterSeconds: 86400})
		w.clock.Add(3 * day)
		run(0, 1)
		if got := state(2); got != "open/" {
			t.Fatalf("#2: %s, want open/ (returned to the queue)", got)
		}
		run(0, 0)
		// Off: a waiting ticket stays as it is.
		setReminder(t, w, "Servicedesk", ticket.Reminder{})
		ask(3)
		w.clock.Add(30 * day)
		run(0, 0)
		if got := state(3); got != "waiting/" {
			t.Fatalf("#3: %s", got)
		}
	})
}

// TestReminderValidation: the queue setting's problems, in the API's and
// the web's words.
func TestReminderValidation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for _, c := range []struct {
			r            ticket.Reminder
			field, probl string
		}{
			{ticket.Reminder{AfterSeconds: -1}, "reminder.after_seconds", "problem.between"},
			{ticket.Reminder{AfterSeconds: 400 * 86400}, "reminder.after_seconds", "problem.between"},
			{ticket.Reminder{AfterSeconds: 60, Then: "explode", ThenAfterSeconds: 60}, "reminder.then", desk.ProblemReminderThen},
			{ticket.Reminder{Then: "close", ThenAfterSeconds: 60}, "reminder.then", desk.ProblemReminderOff},
			{ticket.Reminder{AfterSeconds: 60, Then: "reopen"}, "reminder.then_after_seconds", desk.ProblemReminderThenAfter},
		} {
			_, err := w.svc.UpdateQueue(ctx, w.admin, "Servicedesk", desk.QueuePatch{Reminder: &c.r})
			wantCode(t, err, ticket.EINVALID)
			if got := ticket.ErrorFields(err)[c.field]; got != c.probl {
				t.Errorf("%+v: field %s problem %q, want %q (all: %v)", c.r, c.field, got, c.probl, ticket.ErrorFields(err))
			}
		}
		r := ticket.Reminder{AfterSeconds: 60}
		_, err := w.svc.UpdateQueue(ctx, w.agentA, "Servicedesk", desk.QueuePatch{Reminder: &r})
		wantCode(t, err, ticket.EFORBIDDEN)
	})
}
