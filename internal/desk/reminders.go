package desk

import (
	"context"
	"fmt"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// NotifyReminder is the reminder to the requesters of a ticket that waits
// for their answer (see SendReminders).
const NotifyReminder = "reminder"

// Problems of a queue's reminder setting (fields reminder.after_seconds,
// reminder.then, reminder.then_after_seconds).
const (
	ProblemReminderThen      = "problem.reminder_then"       // not "", close or reopen
	ProblemReminderOff       = "problem.reminder_off"        // something follows a reminder that is off
	ProblemReminderThenAfter = "problem.reminder_then_after" // something follows, but after no time
)

// maxReminderSeconds bounds both reminder times: a year.
const maxReminderSeconds = 366 * 24 * 3600

// validReminder adds r's problems to v.
func validReminder(v ticket.Validation, r ticket.Reminder) {
	if r.AfterSeconds < 0 || r.AfterSeconds > maxReminderSeconds {
		v.Add("reminder.after_seconds", "problem.between", 0, maxReminderSeconds)
	}
	if r.ThenAfterSeconds < 0 || r.ThenAfterSeconds > maxReminderSeconds {
		v.Add("reminder.then_after_seconds", "problem.between", 0, maxReminderSeconds)
	}
	switch {
	case !ticket.ValidReminderThen(r.Then):
		v.Add("reminder.then", ProblemReminderThen)
	case r.Then != ticket.ReminderThenNothing && r.AfterSeconds == 0:
		v.Add("reminder.then", ProblemReminderOff)
	case r.Then != ticket.ReminderThenNothing && r.ThenAfterSeconds == 0:
		v.Add("reminder.then_after_seconds", ProblemReminderThenAfter)
	}
}

// describeReminder is a reminder setting in the audit log.
func describeReminder(r ticket.Reminder) string {
	if !r.On() {
		return "off"
	}
	s := fmt.Sprintf("after %ds", r.AfterSeconds)
	if r.Then != "" {
		s += fmt.Sprintf(", then %s after %ds", r.Then, r.ThenAfterSeconds)
	}
	return s
}

// withReminders sets each queue's Reminder, and its Escalate
// (escalation.go).
func withReminders(ctx context.Context, tx *store.Tx, qs ...*ticket.Queue) error {
	rs, err := tx.QueueReminders(ctx)
	if err != nil {
		return err
	}
	for _, q := range qs {
		r := rs[q.ID]
		q.Reminder = &r
	}
	return withEscalation(ctx, tx, qs...)
}

// reminderBatch is how many due tickets SendReminders reads at a time.
const reminderBatch = 100

// SendReminders does what is due for tickets waiting on their requesters
// in queues that send reminders (ticket.Reminder), at most once per waiting
// period: after Reminder.After in waiting the requesters get a reminder
// mail; after a further Reminder.ThenAfter without an answer the ticket is
// closed (auto-closed) or goes back to the queue (open), as the queue says,
// with an entry in its history. An answer ends the waiting period; asking
// again later starts a new one. Each ticket is handled in its own
// transaction under the ticket's lock: the reminder is recorded in
// ticket_reminders (whose key allows one per period) in the same
// transaction that queues its mail in the outbox, so several servus
// instances running this at once send each reminder exactly once.
//
// It walks the due tickets in number order, a batch of reminderBatch at a
// time from the last number of the one before (store.DueReminders), until
// a batch is short: one run reads each waiting ticket at most once, and a
// batch in which nothing was done any more (the tickets changed meanwhile,
// or another instance was quicker) does not end the walk. A ticket that
// becomes due behind the cursor during the run waits for the next run. It
// returns how many reminders it queued and how many tickets it closed or
// returned, and the first error other than a ticket that changed or went
// meanwhile.
func (s *Service) SendReminders(ctx context.Context) (reminded, followed int, err error) {
	var after int64
	for {
		var due []*store.WaitingTicket
		if err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
			due, err = tx.DueReminders(ctx, s.now().UTC(), after, reminderBatch)
			return err
		}); err != nil || len(due) == 0 {
			return reminded, followed, err
		}
		for _, w := range due {
			var did string
			err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
				did, err = s.remind(ctx, tx, w.Number)
				return err
			})
			if ticket.ErrorCode(err) == ticket.ECONFLICT || ticket.ErrorCode(err) == ticket.ENOTFOUND {
				continue // changed meanwhile, maybe by another instance
			} else if err != nil {
				return reminded, followed, err
			}
			switch did {
			case "reminded":
				reminded++
			case "followed":
				followed++
			}
		}
		if len(due) < reminderBatch {
			return reminded, followed, nil
		}
		after = due[len(due)-1].Number
	}
}

// remind does what is due for ticket number at now, inside tx, after
// locking it and reading its waiting period again: "reminded", "followed"
// or "" (nothing was due any more: another instance was quicker, or the
// requester answered).
func (s *Service) remind(ctx context.Context, tx *store.Tx, number int64) (string, error) {
	if err := tx.LockTicket(ctx, number); err != nil {
		return "", err
	}
	w, err := tx.WaitingTicketByNumber(ctx, number)
	if err != nil {
		return "", err
	}
	t, err := tx.TicketByNumber(ctx, access.System, number)
	if err != nil {
		return "", err
	}
	now := s.now().UTC()
	if w.RemindedAt == nil {
		if now.Before(w.WaitingSince.Add(w.Reminder.After())) {
			return "", nil
		}
		first, err := tx.RecordReminder(ctx, t.ID, w.WaitingEntryID, now)
		if err != nil || !first {
			return "", err
		}
		if err := s.event(ctx, tx, access.System, t, "reminder", "", "sent"); err != nil {
			return "", err
		}
		if err := s.notify(ctx, tx, access.System, t, NotifyReminder, nil); err != nil {
			return "", err
		}
		return "reminded", s.save(ctx, tx, t)
	}
	if w.Reminder.Then == ticket.ReminderThenNothing || now.Before(w.RemindedAt.Add(w.Reminder.ThenAfter())) {
		return "", nil
	}
	ev, note := ticket.EventAutoClose, "closed"
	if w.Reminder.Then == ticket.ReminderThenReopen {
		ev, note = ticket.EventReturn, "returned"
	}
	if err := s.event(ctx, tx, access.System, t, "reminder", "", note); err != nil {
		return "", err
	}
	if err := s.transition(ctx, tx, access.System, t, ev); err != nil {
		return "", err
	}
	return "followed", s.save(ctx, tx, t)
}
