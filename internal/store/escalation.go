package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// QueueEscalations returns whether each queue mails escalation digests,
// by queue id.
func (tx *Tx) QueueEscalations(ctx context.Context) (map[int64]bool, error) {
	rows, err := tx.query(ctx, "SELECT id, escalate FROM queues")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		var on bool
		if err := rows.Scan(&id, &on); err != nil {
			return nil, err
		}
		out[id] = on
	}
	return out, rows.Err()
}

// SetQueueEscalate writes whether queueID mails escalation digests.
func (tx *Tx) SetQueueEscalate(ctx context.Context, queueID int64, on bool) error {
	_, err := tx.exec(ctx, "UPDATE queues SET escalate = ? WHERE id = ?", on, queueID)
	return err
}

// EscalatingQueues lists the ids of the queues that mail escalation
// digests, in id order.
func (tx *Tx) EscalatingQueues(ctx context.Context) ([]int64, error) {
	return tx.ids(ctx, "SELECT id FROM queues WHERE escalate ORDER BY id")
}

// TargetTicket is a ticket of a queue with escalation digests whose next
// running target is due soon or was missed, with what the escalation job
// needs to tell which of its targets stand how.
type TargetTicket struct {
	ID, Number          int64
	State               ticket.State
	FirstResponseTarget int // minutes; 0 for none
	ResolutionTarget    int
	FirstResponseDue    *time.Time
	ResolutionDue       *time.Time
	FirstResponseAt     *time.Time
	// Whether each target was not mailed yet in the state its due instant
	// says at the time asked: breached once it passed, else due soon.
	FirstResponsePending, ResolutionPending bool
}

// EscalationCandidates calls fn, in order of their next due instant, for
// the tickets of queueID that are new or open (their clock runs) and whose
// targets are due soon or breached at now (target_soon_at passed), leaving
// out those none of whose running targets waits to be mailed in its
// current state: breached once its due instant passed (for that instant),
// else due soon. Whether a target is due soon yet is the caller's to tell
// (it takes the queue's calendar); fn returns false to stop early.
func (tx *Tx) EscalationCandidates(ctx context.Context, queueID int64, now time.Time, fn func(*TargetTicket) (bool, error)) error {
	pending := func(kind, due string) string {
		return `NOT EXISTS (SELECT 1 FROM ticket_escalations e WHERE e.ticket_id = t.id AND e.queue_id = t.queue_id AND e.kind = '` + kind + `'
			AND e.due_at = ` + due + ` AND e.state = CASE WHEN ` + due + ` <= ? THEN 'breached' ELSE 'due_soon' END)`
	}
	frPending := `COALESCE(t.first_response_target, 0) > 0 AND t.first_response_at IS NULL AND t.first_response_due IS NOT NULL
		AND ` + pending("first_response", "t.first_response_due")
	resPending := `COALESCE(t.resolution_target, 0) > 0 AND t.resolution_due IS NOT NULL AND ` + pending("resolution", "t.resolution_due")
	rows, err := tx.query(ctx, `SELECT t.id, t.number, t.state, COALESCE(t.first_response_target, 0), COALESCE(t.resolution_target, 0),
		t.first_response_due, t.resolution_due, t.first_response_at,
		CASE WHEN `+frPending+` THEN 1 ELSE 0 END, CASE WHEN `+resPending+` THEN 1 ELSE 0 END
		FROM tickets t
		WHERE t.queue_id = ? AND t.state IN ('new', 'open') AND t.target_soon_at <= ?
		AND ((`+frPending+`) OR (`+resPending+`))
		ORDER BY t.target_at, t.number`, ms(now), ms(now), queueID, ms(now), ms(now), ms(now))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c TargetTicket
		var frDue, resDue, frAt sql.NullInt64
		var frPending, resPending int
		if err := rows.Scan(&c.ID, &c.Number, &c.State, &c.FirstResponseTarget, &c.ResolutionTarget, &frDue, &resDue, &frAt,
			&frPending, &resPending); err != nil {
			return err
		}
		c.FirstResponseDue, c.ResolutionDue, c.FirstResponseAt = fromNullMS(frDue), fromNullMS(resDue), fromNullMS(frAt)
		c.FirstResponsePending, c.ResolutionPending = frPending == 1, resPending == 1
		if more, err := fn(&c); err != nil || !more {
			return err
		}
	}
	return rows.Err()
}

// Escalation is one state of one target of one ticket, as mailed in a
// digest.
type Escalation struct {
	TicketID int64
	QueueID  int64 // the queue the ticket was in
	Number   int64 // loaded by EscalationDigest
	Kind     string
	State    string
	DueAt    time.Time
}

// InsertEscalationDigest records a new digest of queueID at now and
// returns its id.
func (tx *Tx) InsertEscalationDigest(ctx context.Context, queueID int64, now time.Time) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, "INSERT INTO escalation_digests (queue_id, created_at) VALUES (?, ?) RETURNING id", queueID, ms(now)).Scan(&id)
	return id, err
}

// DeleteEscalationDigest removes a digest that came to list nothing.
func (tx *Tx) DeleteEscalationDigest(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, "DELETE FROM escalation_digests WHERE id = ?", id)
	return err
}

// RecordEscalation notes that e goes out in digestID. It reports false,
// changing nothing, when e was recorded already: the primary key lets only
// one transaction record it, so the caller lists it only on true.
func (tx *Tx) RecordEscalation(ctx context.Context, e Escalation, digestID int64, now time.Time) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO ticket_escalations (ticket_id, queue_id, kind, state, due_at, digest_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (ticket_id, queue_id, kind, state, due_at) DO NOTHING`, e.TicketID, e.QueueID, e.Kind, e.State, ms(e.DueAt), digestID, ms(now))
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// EscalationDigest returns the queue of digest id and what it lists,
// breached first, then by due instant and ticket number; tickets deleted
// since are left out. ENOTFOUND when there is no such digest.
func (tx *Tx) EscalationDigest(ctx context.Context, id int64) (queueID int64, items []Escalation, err error) {
	err = tx.queryRow(ctx, "SELECT queue_id FROM escalation_digests WHERE id = ?", id).Scan(&queueID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, ticket.E(ticket.ENOTFOUND, "err.outbox.not_found", id)
	} else if err != nil {
		return 0, nil, err
	}
	rows, err := tx.query(ctx, `SELECT e.ticket_id, e.queue_id, t.number, e.kind, e.state, e.due_at FROM ticket_escalations e
		JOIN tickets t ON t.id = e.ticket_id WHERE e.digest_id = ?
		ORDER BY CASE e.state WHEN 'breached' THEN 0 ELSE 1 END, e.due_at, t.number, e.kind`, id)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e Escalation
		var due int64
		if err := rows.Scan(&e.TicketID, &e.QueueID, &e.Number, &e.Kind, &e.State, &due); err != nil {
			return 0, nil, err
		}
		e.DueAt = fromMS(due)
		items = append(items, e)
	}
	return queueID, items, rows.Err()
}
