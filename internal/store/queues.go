package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

const queueColumns = `q.id, q.name, COALESCE(q.address, ''), q.is_default, q.confidential, q.time_spent, q.created_at,
	COALESCE(q.first_response_minutes, 0), COALESCE(q.resolution_minutes, 0), q.hours, q.time_zone, q.holidays,
	q.closed_dec_24_31, q.closed_days`

func scanQueue(row interface{ Scan(...any) error }) (*ticket.Queue, error) {
	var q ticket.Queue
	var created int64
	var closed string
	tg := &q.Targets
	if err := row.Scan(&q.ID, &q.Name, &q.Address, &q.Default, &q.Confidential, &q.TimeSpent, &created,
		&tg.FirstResponse, &tg.Resolution, &tg.Hours, &tg.Zone, &tg.Holidays, &tg.Closures, &closed); err != nil {
		return nil, err
	}
	q.CreatedAt = fromMS(created)
	tg.ClosedDays = strings.Fields(closed)
	return &q, nil
}

// nullMinutes stores a target of 0 minutes (none) as NULL.
func nullMinutes(m int) any {
	if m <= 0 {
		return nil
	}
	return m
}

// InsertQueue adds q and sets q.ID. A new default queue takes the role from
// the previous one. ECONFLICT if the name or address is taken.
func (tx *Tx) InsertQueue(ctx context.Context, q *ticket.Queue) error {
	if q.Default {
		if _, err := tx.exec(ctx, "UPDATE queues SET is_default = FALSE WHERE is_default"); err != nil {
			return err
		}
	}
	var addr any
	if q.Address != "" {
		addr = q.Address
	}
	if q.TimeSpent == "" {
		q.TimeSpent = ticket.TimeSpentOff
	}
	tg := q.Targets
	err := tx.queryRow(ctx, `INSERT INTO queues (name, address, is_default, confidential, time_spent, created_at,
		first_response_minutes, resolution_minutes, hours, time_zone, holidays, closed_dec_24_31, closed_days)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, q.Name, addr, q.Default, q.Confidential, q.TimeSpent, ms(q.CreatedAt),
		nullMinutes(tg.FirstResponse), nullMinutes(tg.Resolution), tg.Hours, tg.Zone, tg.Holidays, tg.Closures,
		strings.Join(tg.ClosedDays, " ")).Scan(&q.ID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.queue.exists")
	}
	return err
}

// QueueByName returns the queue called name (case-insensitive); ENOTFOUND if
// none.
func (tx *Tx) QueueByName(ctx context.Context, name string) (*ticket.Queue, error) {
	q, err := scanQueue(tx.queryRow(ctx, "SELECT "+queueColumns+" FROM queues q WHERE LOWER(q.name) = LOWER(?)", name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.queue.not_found", name)
	}
	return q, err
}

// QueueByAddress returns the queue whose functional address is addr;
// ENOTFOUND if none.
func (tx *Tx) QueueByAddress(ctx context.Context, addr string) (*ticket.Queue, error) {
	q, err := scanQueue(tx.queryRow(ctx, "SELECT "+queueColumns+" FROM queues q WHERE q.address = ?", addr))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.queue.no_address", addr)
	}
	return q, err
}

// Queues lists every queue by name; with members, their e-mails too (one
// query for all).
func (tx *Tx) Queues(ctx context.Context, members bool) ([]*ticket.Queue, error) {
	rows, err := tx.query(ctx, "SELECT "+queueColumns+" FROM queues q ORDER BY q.name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var qs []*ticket.Queue
	byID := map[int64]*ticket.Queue{}
	for rows.Next() {
		q, err := scanQueue(rows)
		if err != nil {
			return nil, err
		}
		qs = append(qs, q)
		byID[q.ID] = q
	}
	if err := rows.Err(); err != nil || !members {
		return qs, err
	}
	mrows, err := tx.query(ctx, "SELECT m.queue_id, u.email FROM queue_members m JOIN users u ON u.id = m.user_id ORDER BY u.email")
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var id int64
		var email string
		if err := mrows.Scan(&id, &email); err != nil {
			return nil, err
		}
		if q := byID[id]; q != nil {
			q.Members = append(q.Members, email)
		}
	}
	return qs, mrows.Err()
}

// AddMember makes userID a member of queueID; being one already is fine.
// selfAt, when not nil, records that they joined by themself then (kept
// only when the membership is new).
func (tx *Tx) AddMember(ctx context.Context, queueID, userID int64, selfAt *time.Time) error {
	var self any
	if selfAt != nil {
		self = ms(*selfAt)
	}
	_, err := tx.exec(ctx, "INSERT INTO queue_members (queue_id, user_id, self_joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		queueID, userID, self)
	return err
}

// IsMember reports whether userID is an enabled member of queueID: one who
// may be assigned its tickets (a disabled account keeps its memberships
// but works no tickets).
func (tx *Tx) IsMember(ctx context.Context, queueID, userID int64) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM queue_members m JOIN users u ON u.id = m.user_id
		WHERE m.queue_id = ? AND m.user_id = ? AND u.disabled_at IS NULL`, queueID, userID).Scan(&n)
	return n > 0, err
}

// QueueByID returns the queue with id; ENOTFOUND if none.
func (tx *Tx) QueueByID(ctx context.Context, id int64) (*ticket.Queue, error) {
	q, err := scanQueue(tx.queryRow(ctx, "SELECT "+queueColumns+" FROM queues q WHERE q.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.queue.unknown")
	}
	return q, err
}

// UpdateQueue writes q's name, address, flags, time spent setting and targets. A queue that becomes the
// default takes the role from the previous one. ECONFLICT if the name or
// address is taken, ENOTFOUND if there is no queue q.ID.
func (tx *Tx) UpdateQueue(ctx context.Context, q *ticket.Queue) error {
	if q.Default {
		if _, err := tx.exec(ctx, "UPDATE queues SET is_default = FALSE WHERE is_default AND id <> ?", q.ID); err != nil {
			return err
		}
	}
	var addr any
	if q.Address != "" {
		addr = q.Address
	}
	tg := q.Targets
	res, err := tx.exec(ctx, `UPDATE queues SET name = ?, address = ?, is_default = ?, confidential = ?, time_spent = ?,
		first_response_minutes = ?, resolution_minutes = ?, hours = ?, time_zone = ?, holidays = ?,
		closed_dec_24_31 = ?, closed_days = ? WHERE id = ?`,
		q.Name, addr, q.Default, q.Confidential, q.TimeSpent, nullMinutes(tg.FirstResponse), nullMinutes(tg.Resolution),
		tg.Hours, tg.Zone, tg.Holidays, tg.Closures, strings.Join(tg.ClosedDays, " "), q.ID)
	if IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.queue.exists")
	} else if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ticket.E(ticket.ENOTFOUND, "err.queue.not_found", q.Name)
	}
	return nil
}

// QueueUse is what refers to a queue: its tickets that the reader may see
// (all, and those not closed), whether it holds more that they may not
// (without how many: a count would tell of confidential tickets), and the
// assistant leaves that file requests into it.
type QueueUse struct {
	Tickets     int
	OpenTickets int
	Hidden      bool
	Leaves      int
}

// QueueUse counts what refers to queueID, the tickets as a may see them.
func (tx *Tx) QueueUse(ctx context.Context, a access.Actor, queueID int64) (QueueUse, error) {
	var u QueueUse
	scope, args := access.TicketScope(a)
	err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN t.state <> 'closed' THEN 1 ELSE 0 END), 0)
		FROM tickets t WHERE t.queue_id = ? AND `+scope, append([]any{queueID}, args...)...).Scan(&u.Tickets, &u.OpenTickets)
	if err != nil {
		return u, err
	}
	var all int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM tickets WHERE queue_id = ?", queueID).Scan(&all); err != nil {
		return u, err
	}
	u.Hidden = all > u.Tickets
	err = tx.queryRow(ctx, "SELECT COUNT(*) FROM assistant_nodes WHERE queue_id = ?", queueID).Scan(&u.Leaves)
	return u, err
}

// DeleteQueue removes queueID with its memberships and the saved filters
// shared with it. The caller checks first that nothing else refers to it.
func (tx *Tx) DeleteQueue(ctx context.Context, queueID int64) error {
	_, err := tx.exec(ctx, "DELETE FROM queues WHERE id = ?", queueID)
	return err
}

// RemoveMember takes userID out of queueID and reports whether they were a
// member.
func (tx *Tx) RemoveMember(ctx context.Context, queueID, userID int64) (bool, error) {
	res, err := tx.exec(ctx, "DELETE FROM queue_members WHERE queue_id = ? AND user_id = ?", queueID, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// QueueMembers returns the enabled members (e-mail and name) of queueID,
// by name: those a ticket of the queue may be assigned to.
func (tx *Tx) QueueMembers(ctx context.Context, queueID int64) ([][2]string, error) {
	rows, err := tx.query(ctx, `SELECT u.email, u.name FROM queue_members m JOIN users u ON u.id = m.user_id
		WHERE m.queue_id = ? AND u.disabled_at IS NULL ORDER BY u.name, u.email`, queueID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var e, n string
		if err := rows.Scan(&e, &n); err != nil {
			return nil, err
		}
		out = append(out, [2]string{e, n})
	}
	return out, rows.Err()
}

// QueueMemberRow is one member of a queue as an admin sees it: who, whether
// their account is disabled, and how many of the queue's tickets not closed
// are assigned to them, of those the admin may see.
type QueueMemberRow struct {
	ID       int64
	Email    string
	Name     string
	Disabled bool
	Assigned int
	// SelfJoined is when they made themself a member (an admin adding
	// themself); nil when someone else added them.
	SelfJoined *time.Time
}

// QueueMemberRows lists every member of queueID (disabled ones too) by name,
// with their assigned tickets in the queue that a may see.
func (tx *Tx) QueueMemberRows(ctx context.Context, a access.Actor, queueID int64) ([]QueueMemberRow, error) {
	scope, args := access.TicketScope(a)
	rows, err := tx.query(ctx, `SELECT u.id, u.email, u.name, u.disabled_at IS NOT NULL, m.self_joined_at,
		(SELECT COUNT(*) FROM tickets t WHERE t.queue_id = m.queue_id AND t.assignee_id = u.id AND t.state <> 'closed' AND `+scope+`)
		FROM queue_members m JOIN users u ON u.id = m.user_id
		WHERE m.queue_id = ? ORDER BY LOWER(u.name), u.email`, append(args, queueID)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []QueueMemberRow
	for rows.Next() {
		var m QueueMemberRow
		var self sql.NullInt64
		if err := rows.Scan(&m.ID, &m.Email, &m.Name, &m.Disabled, &self, &m.Assigned); err != nil {
			return nil, err
		}
		m.SelfJoined = fromNullMS(self)
		out = append(out, m)
	}
	return out, rows.Err()
}
