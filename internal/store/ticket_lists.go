package store

import (
	"context"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// ListQuery is a dashboard list: tickets a may see that meet every set
// field. Only these allow-listed conditions exist.
type ListQuery struct {
	AssigneeID int64          // >0: assigned to this user; -1: unassigned; 0: any
	QueueIDs   []int64        // in any of these queues (nil: any queue)
	States     []ticket.State // in any of these states (nil: any)
	DueBefore  *time.Time     // with a due date before this
	OrderByDue bool           // earliest due first, else most recently updated first
	Limit      int            // rows to return, default 10
	OnlyQueues bool           // with QueueIDs empty: match nothing (a person in no queue)
}

// ListTickets returns up to q.Limit tickets a may see that match q, and
// how many match in all (under the same visibility).
func (tx *Tx) ListTickets(ctx context.Context, a access.Actor, q ListQuery) ([]*ticket.Ticket, int, error) {
	scope, args := access.TicketScope(a)
	where := []string{scope}
	add := func(cond string, vals ...any) {
		where = append(where, cond)
		args = append(args, vals...)
	}
	switch {
	case q.AssigneeID > 0:
		add("t.assignee_id = ?", q.AssigneeID)
	case q.AssigneeID < 0:
		add("t.assignee_id IS NULL")
	}
	if len(q.QueueIDs) > 0 {
		vals := make([]any, len(q.QueueIDs))
		for i, id := range q.QueueIDs {
			vals[i] = id
		}
		add("t.queue_id IN ("+placeholders(len(vals))+")", vals...)
	} else if q.OnlyQueues {
		return nil, 0, nil
	}
	if len(q.States) > 0 {
		vals := make([]any, len(q.States))
		for i, s := range q.States {
			vals[i] = s
		}
		add("t.state IN ("+placeholders(len(vals))+")", vals...)
	}
	if q.DueBefore != nil {
		add("t.due_at IS NOT NULL AND t.due_at < ?", ms(*q.DueBefore))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM tickets t WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, 0, tx.db.wrap(err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	order := "t.updated_at DESC, t.number DESC"
	if q.OrderByDue {
		order = "(t.due_at IS NULL), t.due_at ASC, t.number ASC"
	}
	rows, err := tx.query(ctx, ticketSelect+" WHERE "+cond+" ORDER BY "+order+" LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*ticket.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, t)
	}
	return out, total, rows.Err()
}

// QueueCount is the open work of one queue as its members see it.
type QueueCount struct {
	QueueID    int64
	Unassigned int // new, open or waiting with nobody assigned
	Active     int // new, open or waiting
	Waiting    int // waiting for the requester
	Overdue    int // active with a due date before now
	DueSoon    int // active with a response target due soon
	Breached   int // active with a response target missed
}

// QueueCounts counts the active tickets a may see in each of queueIDs.
func (tx *Tx) QueueCounts(ctx context.Context, a access.Actor, queueIDs []int64, now time.Time) (map[int64]*QueueCount, error) {
	out := make(map[int64]*QueueCount, len(queueIDs))
	if len(queueIDs) == 0 {
		return out, nil
	}
	scope, args := access.TicketScope(a)
	n := ms(now)
	args = append([]any{n, n, n, n}, args...)
	for _, id := range queueIDs {
		args = append(args, id)
	}
	rows, err := tx.query(ctx, `SELECT t.queue_id,
		SUM(CASE WHEN t.assignee_id IS NULL THEN 1 ELSE 0 END),
		COUNT(*),
		SUM(CASE WHEN t.state = 'waiting' THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.due_at IS NOT NULL AND t.due_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.target_soon_at <= ? AND t.target_at >= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.target_at < ? THEN 1 ELSE 0 END)
		FROM tickets t WHERE `+scope+` AND t.state IN ('new', 'open', 'waiting')
		AND t.queue_id IN (`+placeholders(len(queueIDs))+`) GROUP BY t.queue_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c QueueCount
		if err := rows.Scan(&c.QueueID, &c.Unassigned, &c.Active, &c.Waiting, &c.Overdue, &c.DueSoon, &c.Breached); err != nil {
			return nil, err
		}
		out[c.QueueID] = &c
	}
	return out, rows.Err()
}
