package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// ticketSelect loads list fields of tickets t with their queue, requester
// and assignee names; it never touches timelines.
const ticketSelect = `SELECT t.id, t.number, t.subject, t.queue_id, q.name, t.requester_id, ru.email,
	t.assignee_id, COALESCE(au.email, ''), t.priority, t.due_at, t.confidential, t.state, t.close_reason,
	t.channel, t.version, t.created_at, t.updated_at, t.resolved_at, t.closed_at,
	COALESCE(t.first_response_target, 0), COALESCE(t.resolution_target, 0), t.first_response_due,
	t.resolution_due, t.first_response_at, t.target_at, t.target_soon_at,
	COALESCE((SELECT om.organisation_id FROM organisation_members om WHERE om.user_id = t.requester_id), 0)
	FROM tickets t
	JOIN queues q ON q.id = t.queue_id
	JOIN users ru ON ru.id = t.requester_id
	LEFT JOIN users au ON au.id = t.assignee_id`

func scanTicket(row interface{ Scan(...any) error }) (*ticket.Ticket, error) {
	var t ticket.Ticket
	var assignee, due, resolved, closed sql.NullInt64
	var frDue, resDue, frAt, tAt, tSoon sql.NullInt64
	var created, updated int64
	err := row.Scan(&t.ID, &t.Number, &t.Subject, &t.QueueID, &t.Queue, &t.RequesterID, &t.Requester,
		&assignee, &t.Assignee, &t.Priority, &due, &t.Confidential, &t.State, &t.CloseReason,
		&t.Channel, &t.Version, &created, &updated, &resolved, &closed,
		&t.FirstResponseTarget, &t.ResolutionTarget, &frDue, &resDue, &frAt, &tAt, &tSoon, &t.RequesterOrg)
	if err != nil {
		return nil, err
	}
	t.FirstResponseDue, t.ResolutionDue, t.FirstResponseAt = fromNullMS(frDue), fromNullMS(resDue), fromNullMS(frAt)
	t.TargetAt, t.TargetSoonAt = fromNullMS(tAt), fromNullMS(tSoon)
	t.AssigneeID = assignee.Int64
	t.Due = fromNullMS(due)
	t.CreatedAt, t.UpdatedAt = fromMS(created), fromMS(updated)
	t.ResolvedAt, t.ClosedAt = fromNullMS(resolved), fromNullMS(closed)
	t.CC = []string{}
	return &t, nil
}

// NextTicketNumber returns a new, never reused ticket number. On
// PostgreSQL it comes from the sequence ticket_numbers, which, unlike an
// UPDATE of a counter row, holds no lock to the end of tx: concurrent
// creates do not wait for each other's commit. A number whose transaction
// rolls back is skipped there. SQLite's single writer serialises writes
// anyway; it counts in the counters row, without gaps.
func (tx *Tx) NextTicketNumber(ctx context.Context) (int64, error) {
	var n int64
	if tx.db.dialect == Postgres {
		err := tx.queryRow(ctx, "SELECT nextval('ticket_numbers')").Scan(&n)
		return n, err
	}
	err := tx.queryRow(ctx, "UPDATE counters SET value = value + 1 WHERE name = 'ticket' RETURNING value").Scan(&n)
	return n, err
}

// InsertTicket adds t (Number already set) and sets t.ID.
func (tx *Tx) InsertTicket(ctx context.Context, t *ticket.Ticket) error {
	return tx.queryRow(ctx, `INSERT INTO tickets (number, subject, queue_id, requester_id, assignee_id,
		priority, priority_rank, due_at, confidential, state, close_reason, channel, version,
		created_at, updated_at, resolved_at, closed_at, first_response_target, resolution_target,
		first_response_due, resolution_due, first_response_at, target_at, target_soon_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.Number, t.Subject, t.QueueID, t.RequesterID, nullID(t.AssigneeID),
		t.Priority, t.Priority.Rank(), msPtr(t.Due), t.Confidential, t.State, t.CloseReason, t.Channel, t.Version,
		ms(t.CreatedAt), ms(t.UpdatedAt), msPtr(t.ResolvedAt), msPtr(t.ClosedAt),
		nullMinutes(t.FirstResponseTarget), nullMinutes(t.ResolutionTarget), msPtr(t.FirstResponseDue),
		msPtr(t.ResolutionDue), msPtr(t.FirstResponseAt), msPtr(t.TargetAt), msPtr(t.TargetSoonAt)).Scan(&t.ID)
}

// UpdateTicket writes t's mutable fields if its stored version is still
// oldVersion, storing t.Version (the caller sets it to oldVersion+1).
// ECONFLICT when another change came first.
func (tx *Tx) UpdateTicket(ctx context.Context, t *ticket.Ticket, oldVersion int64) error {
	res, err := tx.exec(ctx, `UPDATE tickets SET subject = ?, queue_id = ?, requester_id = ?, assignee_id = ?,
		priority = ?, priority_rank = ?, due_at = ?, confidential = ?, state = ?, close_reason = ?,
		version = ?, updated_at = ?, resolved_at = ?, closed_at = ?, first_response_target = ?,
		resolution_target = ?, first_response_due = ?, resolution_due = ?, first_response_at = ?,
		target_at = ?, target_soon_at = ?
		WHERE id = ? AND version = ?`,
		t.Subject, t.QueueID, t.RequesterID, nullID(t.AssigneeID), t.Priority, t.Priority.Rank(),
		msPtr(t.Due), t.Confidential, t.State, t.CloseReason, t.Version, ms(t.UpdatedAt),
		msPtr(t.ResolvedAt), msPtr(t.ClosedAt), nullMinutes(t.FirstResponseTarget), nullMinutes(t.ResolutionTarget),
		msPtr(t.FirstResponseDue), msPtr(t.ResolutionDue), msPtr(t.FirstResponseAt), msPtr(t.TargetAt),
		msPtr(t.TargetSoonAt), t.ID, oldVersion)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ticket.E(ticket.ECONFLICT, "err.ticket.stale_write", t.Ref())
	}
	return nil
}

// LockTicket makes the transaction wait for, then hold, the ticket with
// number until it ends, so that changes to one ticket at once take turns
// rather than fail on each other's version. On PostgreSQL it locks the row
// (SELECT … FOR UPDATE); SQLite's transactions take the write lock at
// BEGIN already, and a read-only transaction changes nothing. A ticket that
// does not exist is no error here.
func (tx *Tx) LockTicket(ctx context.Context, number int64) error {
	if tx.db.dialect != Postgres || tx.readOnly {
		return nil
	}
	rows, err := tx.query(ctx, "SELECT id FROM tickets WHERE number = ? FOR UPDATE", number)
	if err != nil {
		return err
	}
	return errors.Join(rows.Close(), rows.Err())
}

// TicketByNumber returns the ticket with number if a may see it, with its
// CC, watchers, links and the minutes spent on the entries a may see;
// ENOTFOUND otherwise.
func (tx *Tx) TicketByNumber(ctx context.Context, a access.Actor, number int64) (*ticket.Ticket, error) {
	scope, args := access.TicketScope(a)
	t, err := scanTicket(tx.queryRow(ctx, ticketSelect+" WHERE t.number = ? AND "+scope, append([]any{number}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.ticket.not_found", number)
	} else if err != nil {
		return nil, err
	}
	if t.CC, err = tx.emails(ctx, "SELECT u.email FROM ticket_cc c JOIN users u ON u.id = c.user_id WHERE c.ticket_id = ? ORDER BY u.email", t.ID); err != nil {
		return nil, err
	}
	if t.Watchers, err = tx.emails(ctx, "SELECT u.email FROM watchers w JOIN users u ON u.id = w.user_id WHERE w.ticket_id = ? ORDER BY u.email", t.ID); err != nil {
		return nil, err
	}
	if !a.Staff() {
		// Who watches a ticket is staff's business; a requester learns
		// only whether they watch it themselves.
		t.Watchers = slices.DeleteFunc(t.Watchers, func(e string) bool { return e != a.Email })
	}
	if t.Links, err = tx.links(ctx, a, t.ID); err != nil {
		return nil, err
	}
	var spent int
	if err := tx.queryRow(ctx, `SELECT COALESCE(SUM(e.time_spent), 0) FROM entries e JOIN tickets t ON t.id = e.ticket_id
		WHERE e.ticket_id = ? AND e.time_spent IS NOT NULL AND `+access.EntryScope(a, "e"), t.ID).Scan(&spent); err != nil {
		return nil, err
	}
	t.TimeSpent = &spent
	return t, nil
}

func (tx *Tx) emails(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// links lists t's links to tickets a may see (a link must not reveal a
// hidden ticket's existence).
func (tx *Tx) links(ctx context.Context, a access.Actor, ticketID int64) ([]ticket.Link, error) {
	scope, args := access.TicketScope(a)
	rows, err := tx.query(ctx, `SELECT l.kind, t.number FROM links l JOIN tickets t ON t.id = l.other_id
		WHERE l.ticket_id = ? AND `+scope+` ORDER BY t.number, l.kind`, append([]any{ticketID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ticket.Link
	for rows.Next() {
		var l ticket.Link
		if err := rows.Scan(&l.Kind, &l.Number); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// InsertLink links two tickets both ways (the reverse with reverseKind) and
// reports whether the link is new.
func (tx *Tx) InsertLink(ctx context.Context, fromID, toID int64, kind, reverseKind string) (bool, error) {
	res, err := tx.exec(ctx, "INSERT INTO links (ticket_id, other_id, kind) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", fromID, toID, kind)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	_, err = tx.exec(ctx, "INSERT INTO links (ticket_id, other_id, kind) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", toID, fromID, reverseKind)
	return true, err
}

// DeleteLink removes the link of kind from one ticket to the other and its
// reverse (reverseKind), and reports whether there was one.
func (tx *Tx) DeleteLink(ctx context.Context, fromID, toID int64, kind, reverseKind string) (bool, error) {
	res, err := tx.exec(ctx, "DELETE FROM links WHERE ticket_id = ? AND other_id = ? AND kind = ?", fromID, toID, kind)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	_, err = tx.exec(ctx, "DELETE FROM links WHERE ticket_id = ? AND other_id = ? AND kind = ?", toID, fromID, reverseKind)
	return true, err
}

// StateHistory returns the state changes of ticketID in order: the state
// entered and when, as its history entries record them.
func (tx *Tx) StateHistory(ctx context.Context, ticketID int64) ([]StateChange, error) {
	rows, err := tx.query(ctx, `SELECT new_value, created_at FROM entries
		WHERE ticket_id = ? AND kind = 'event' AND field = 'state' ORDER BY id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StateChange
	for rows.Next() {
		var c StateChange
		var at int64
		if err := rows.Scan(&c.State, &at); err != nil {
			return nil, err
		}
		c.At = fromMS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// StateChange is one entry of a ticket's state history.
type StateChange struct {
	State ticket.State
	At    time.Time
}

// ResolvedBefore lists the numbers of resolved tickets resolved before
// cutoff, oldest first, at most limit of them.
func (tx *Tx) ResolvedBefore(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	rows, err := tx.query(ctx, "SELECT number FROM tickets WHERE state = 'resolved' AND resolved_at < ? ORDER BY resolved_at LIMIT ?", ms(cutoff), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
