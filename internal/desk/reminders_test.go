package desk_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
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

// remindersByTicket counts the reminder notifications in the outbox, by
// ticket number.
func remindersByTicket(t *testing.T, w *world) map[int64]int {
	t.Helper()
	out := map[int64]int{}
	err := w.db.Read(context.Background(), func(tx *store.Tx) error {
		for offset := 0; ; offset += 1000 {
			ns, err := tx.Notifications(context.Background(), "", 1000, offset)
			if err != nil || len(ns) == 0 {
				return err
			}
			for _, n := range ns {
				if n.Event == desk.NotifyReminder {
					out[n.TicketNumber]++
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// newTickets makes n tickets of alice's in Servicedesk and returns their
// numbers.
func newTickets(t *testing.T, w *world, n int) []int64 {
	t.Helper()
	var out []int64
	for range n {
		tk := must(w.svc.CreateTicket(context.Background(), w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Beamer", Description: "geht nicht"}))
		out = append(out, tk.Number)
	}
	return out
}

// askAll makes the tickets numbers wait on their requester: an agent asks.
func askAll(t *testing.T, w *world, numbers []int64) {
	t.Helper()
	for _, n := range numbers {
		must(w.svc.AddEntry(context.Background(), w.agentA, n, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welcher Raum?"}))
	}
}

// wantReminders runs SendReminders once and checks its counts.
func wantReminders(t *testing.T, w *world, wantReminded, wantFollowed int) {
	t.Helper()
	r, f, err := w.svc.SendReminders(context.Background())
	if err != nil || r != wantReminded || f != wantFollowed {
		t.Fatalf("SendReminders: got %d reminded, %d followed, %v; want %d, %d", r, f, err, wantReminded, wantFollowed)
	}
}

// TestRemindersManyBatches: more due tickets than one batch reads (100)
// are all reminded in one run, each once.
func TestRemindersManyBatches(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		setReminder(t, w, "Servicedesk", ticket.Reminder{AfterSeconds: 3 * 86400, Then: ticket.ReminderThenClose, ThenAfterSeconds: 4 * 86400})
		numbers := newTickets(t, w, 250)
		askAll(t, w, numbers)
		w.clock.Add(3*24*time.Hour + time.Minute)
		wantReminders(t, w, 250, 0)
		wantReminders(t, w, 0, 0)
		got := remindersByTicket(t, w)
		for _, n := range numbers {
			if got[n] != 1 {
				t.Errorf("#%d: got %d reminder mails, want 1", n, got[n])
			}
		}
	})
}

// TestRemindersMixedBatches: due tickets between others that wait but are
// not due (asked later, or reminded later), over more than one batch: each
// run does what is due for all of them and nothing for the others.
func TestRemindersMixedBatches(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		const day = 24 * time.Hour
		setReminder(t, w, "Servicedesk", ticket.Reminder{AfterSeconds: 3 * 86400, Then: ticket.ReminderThenClose, ThenAfterSeconds: 4 * 86400})
		// 240 tickets; every third one is asked two days after the others.
		var early, late []int64
		for i, n := range newTickets(t, w, 240) {
			if i%3 == 2 {
				late = append(late, n)
			} else {
				early = append(early, n)
			}
		}
		askAll(t, w, early)
		w.clock.Add(2 * day)
		askAll(t, w, late)
		state := func(ns []int64, want string) {
			t.Helper()
			for _, n := range ns {
				tk := must(w.svc.Ticket(ctx, w.agentA, n))
				if got := string(tk.State) + "/" + string(tk.CloseReason); got != want {
					t.Fatalf("#%d: got %s, want %s", n, got, want)
				}
			}
		}
		w.clock.Add(day + time.Minute) // day 3: the early ones are due
		wantReminders(t, w, 160, 0)
		got := remindersByTicket(t, w)
		for _, n := range early {
			if got[n] != 1 {
				t.Fatalf("#%d (asked first): got %d reminder mails, want 1", n, got[n])
			}
		}
		for _, n := range late {
			if got[n] != 0 {
				t.Fatalf("#%d (asked later): got %d reminder mails, want 0", n, got[n])
			}
		}
		w.clock.Add(2 * day) // day 5: the late ones are due; the early ones' close is not
		wantReminders(t, w, 80, 0)
		w.clock.Add(2 * day) // day 7: the early ones close; the late ones not yet
		wantReminders(t, w, 0, 160)
		state(early, "closed/auto-closed")
		state(late, "waiting/")
		w.clock.Add(2 * day)
		wantReminders(t, w, 0, 80)
		state(late, "closed/auto-closed")
		got = remindersByTicket(t, w)
		for _, n := range late {
			if got[n] != 1 {
				t.Fatalf("#%d (asked later): got %d reminder mails, want 1", n, got[n])
			}
		}
	})
}

// TestRemindersPastABatchOfNothing: a whole batch of tickets that were
// listed as due but had nothing due when their turn came (as when another
// instance was quicker, or the requester answered in between) does not end
// the run: the due tickets after them are reminded in the same run. The
// clock the first batch's tickets see on their turn is an hour early.
func TestRemindersPastABatchOfNothing(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			turns, early := 0, false
			w := newWorldOn(t, storetest.Open(t, d), func(o *desk.Options) {
				now := o.Now
				o.Now = func() time.Time {
					mu.Lock()
					defer mu.Unlock()
					if early { // the first reading of the clock on a ticket's turn
						early = false
						return now().Add(-time.Hour)
					}
					return now()
				}
			})
			setReminder(t, w, "Servicedesk", ticket.Reminder{AfterSeconds: 3 * 86400})
			numbers := newTickets(t, w, 120)
			askAll(t, w, numbers)
			w.clock.Add(3*24*time.Hour + time.Minute)
			w.db.TraceStatements(func(q string) {
				// A ticket's turn reads its waiting period again
				// (store.WaitingTicketByNumber).
				if strings.Contains(q, "remind_after_ms") && strings.Contains(q, "t.number = ?") {
					mu.Lock()
					turns++
					early = turns <= 100
					mu.Unlock()
				}
			})
			wantReminders(t, w, 20, 0)
			w.db.TraceStatements(nil)
			if turns != 120 {
				t.Fatalf("got %d tickets' turns, want 120", turns)
			}
			wantReminders(t, w, 100, 0)
			got := remindersByTicket(t, w)
			for _, n := range numbers {
				if got[n] != 1 {
					t.Errorf("#%d: got %d reminder mails, want 1", n, got[n])
				}
			}
		})
	}
}
