package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// QueueReminders returns every queue's reminder setting by queue id.
func (tx *Tx) QueueReminders(ctx context.Context) (map[int64]ticket.Reminder, error) {
	rows, err := tx.query(ctx, "SELECT id, remind_after_ms, remind_then, remind_then_after_ms FROM queues")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ticket.Reminder{}
	for rows.Next() {
		var id, after, thenAfter int64
		var then string
		if err := rows.Scan(&id, &after, &then, &thenAfter); err != nil {
			return nil, err
		}
		out[id] = ticket.Reminder{AfterSeconds: after / 1000, Then: then, ThenAfterSeconds: thenAfter / 1000}
	}
	return out, rows.Err()
}

// SetQueueReminder writes queueID's reminder setting.
func (tx *Tx) SetQueueReminder(ctx context.Context, queueID int64, r ticket.Reminder) error {
	_, err := tx.exec(ctx, "UPDATE queues SET remind_after_ms = ?, remind_then = ?, remind_then_after_ms = ? WHERE id = ?",
		r.AfterSeconds*1000, r.Then, r.ThenAfterSeconds*1000, queueID)
	return err
}

// WaitingTicket is a ticket waiting on its requester in a queue that sends
// reminders, with its waiting period: the state entry that made it wait.
type WaitingTicket struct {
	Number         int64
	WaitingEntryID int64
	WaitingSince   time.Time
	Reminder       ticket.Reminder
	RemindedAt     *time.Time // when this period's reminder was queued; nil before
}

// waitingSelect finds the waiting tickets of queues with reminders, each
// with the entry of its latest change to waiting and that period's
// reminder, if any.
const waitingSelect = waitingColumns + " FROM tickets t" + waitingJoins

const waitingColumns = "SELECT t.number, e.id, e.created_at, q.remind_after_ms, q.remind_then, q.remind_then_after_ms, r.sent_at"

// waitingJoins says t.state = 'waiting' literally: the partial index
// tickets_waiting applies only to a query that does.
const waitingJoins = ` JOIN queues q ON q.id = t.queue_id
	JOIN entries e ON e.id = (SELECT MAX(w.id) FROM entries w WHERE w.ticket_id = t.id AND w.field = 'state' AND w.new_value = 'waiting')
	LEFT JOIN ticket_reminders r ON r.ticket_id = t.id AND r.waiting_entry_id = e.id
	WHERE t.state = 'waiting' AND q.remind_after_ms > 0`

func scanWaiting(row interface{ Scan(...any) error }) (*WaitingTicket, error) {
	var w WaitingTicket
	var since, after, thenAfter int64
	var sent sql.NullInt64
	if err := row.Scan(&w.Number, &w.WaitingEntryID, &since, &after, &w.Reminder.Then, &thenAfter, &sent); err != nil {
		return nil, err
	}
	w.WaitingSince, w.RemindedAt = fromMS(since), fromNullMS(sent)
	w.Reminder.AfterSeconds, w.Reminder.ThenAfterSeconds = after/1000, thenAfter/1000
	return &w, nil
}

// dueRemindersSQL is DueReminders' query in dialect; its arguments are
// after, now (twice, in ms) and limit. It reads the waiting tickets through
// the partial index tickets_waiting (migration 0036) in number order from
// after and stops at limit due ones: no sort, and neither the tickets at or
// below after nor those that do not wait are read. SQLite is told the index
// (INDEXED BY): without statistics (before PRAGMA optimize analysed the
// database) it guesses that ten tickets have any one state, so it read the
// waiting ones through tickets_state_resolved and sorted all of them for
// each batch; and should the query lose its literal state test, SQLite
// fails rather than silently reading every waiting ticket again.
// PostgreSQL chooses the index by its statistics (autovacuum analyses).
func dueRemindersSQL(dialect string) string {
	from := " FROM tickets t"
	if dialect == SQLite {
		from += " INDEXED BY tickets_waiting"
	}
	return waitingColumns + from + waitingJoins + ` AND t.number > ?
	AND ((r.sent_at IS NULL AND e.created_at + q.remind_after_ms <= ?)
	  OR (r.sent_at IS NOT NULL AND q.remind_then <> '' AND r.sent_at + q.remind_then_after_ms <= ?))
	ORDER BY t.number LIMIT ?`
}

// DueReminders lists up to limit waiting tickets with a number above after
// that have something due at now, in number order: a reminder (none yet in
// this waiting period and After passed), or what follows it (Then set and
// ThenAfter passed since the reminder). A caller walks all of them by
// passing the last number of one batch as the next one's after (0 to
// start), until a batch is shorter than limit; the walk reads each waiting
// ticket once, whatever is done to the due ones meanwhile.
func (tx *Tx) DueReminders(ctx context.Context, now time.Time, after int64, limit int) ([]*WaitingTicket, error) {
	rows, err := tx.query(ctx, dueRemindersSQL(tx.db.dialect), after, ms(now), ms(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*WaitingTicket
	for rows.Next() {
		w, err := scanWaiting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// WaitingTicketByNumber returns ticket number's current waiting period as
// DueReminders would; ENOTFOUND when it is not waiting or its queue sends
// no reminders.
func (tx *Tx) WaitingTicketByNumber(ctx context.Context, number int64) (*WaitingTicket, error) {
	w, err := scanWaiting(tx.queryRow(ctx, waitingSelect+" AND t.number = ?", number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.ticket.not_found", number)
	}
	return w, err
}

// RecordReminder notes that ticketID's waiting period waitingEntryID got
// its reminder at now. It reports false, changing nothing, when the period
// had one already: the primary key lets only one transaction record it, so
// the caller queues the mail in the same transaction only on true.
func (tx *Tx) RecordReminder(ctx context.Context, ticketID, waitingEntryID int64, now time.Time) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO ticket_reminders (ticket_id, waiting_entry_id, sent_at) VALUES (?, ?, ?)
		ON CONFLICT (ticket_id, waiting_entry_id) DO NOTHING`, ticketID, waitingEntryID, ms(now))
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, err
}
