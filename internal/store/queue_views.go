package store

import (
	"context"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// QueueTally is what one queue holds, as one person may see it.
type QueueTally struct {
	QueueID                              int64
	New, Open, Waiting, Resolved, Closed int // by state (Closed only when counted)
	Unassigned                           int // nobody assigned, not closed
	Overdue                              int // new, open or waiting with a due date before now
	Mine                                 int // new, open or waiting, assigned to the person
}

// TallyQuery says which queues QueueTallies counts.
type TallyQuery struct {
	QueueID int64     // one queue; 0 for every queue
	Closed  bool      // count closed tickets too (most of a queue's history)
	Now     time.Time // overdue is judged at this time
}

// QueueTallies counts the tickets a may see, per queue, in one grouped
// query under the visibility policy (a confidential ticket a may not see
// never counts). Queues without a ticket a may see are missing from the
// map. Without q.Closed only the tickets still to be worked or resolved
// are read (through the state index), so the cost grows with the open work,
// not with the closed history.
func (tx *Tx) QueueTallies(ctx context.Context, a access.Actor, q TallyQuery) (map[int64]*QueueTally, error) {
	query, args := queueTallySQL(a, q)
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*QueueTally{}
	for rows.Next() {
		var (
			queueID                      int64
			state                        ticket.State
			n, unassigned, overdue, mine int
		)
		if err := rows.Scan(&queueID, &state, &n, &unassigned, &overdue, &mine); err != nil {
			return nil, err
		}
		c := out[queueID]
		if c == nil {
			c = &QueueTally{QueueID: queueID}
			out[queueID] = c
		}
		switch state {
		case ticket.StateNew:
			c.New += n
		case ticket.StateOpen:
			c.Open += n
		case ticket.StateWaiting:
			c.Waiting += n
		case ticket.StateResolved:
			c.Resolved += n
		case ticket.StateClosed:
			c.Closed += n
			continue // closed: neither unassigned, overdue nor mine
		}
		c.Unassigned += unassigned
		if state != ticket.StateResolved {
			c.Overdue += overdue
			c.Mine += mine
		}
	}
	return out, rows.Err()
}

// queueTallySQL is QueueTallies' query: one row per queue and state, with
// the unassigned, overdue and mine counts as CASE sums.
func queueTallySQL(a access.Actor, q TallyQuery) (string, []any) {
	scope, scopeArgs := access.TicketScope(a)
	args := append([]any{ms(q.Now), a.UserID}, scopeArgs...)
	states := "'new', 'open', 'waiting', 'resolved'"
	if q.Closed {
		states += ", 'closed'"
	}
	query := `SELECT t.queue_id, t.state, COUNT(*),
		SUM(CASE WHEN t.assignee_id IS NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.due_at IS NOT NULL AND t.due_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN t.assignee_id = ? THEN 1 ELSE 0 END)
		FROM tickets t WHERE ` + scope + ` AND t.state IN (` + states + `)`
	if q.QueueID > 0 {
		query += " AND t.queue_id = ?"
		args = append(args, q.QueueID)
	}
	return query + " GROUP BY t.queue_id, t.state", args
}
