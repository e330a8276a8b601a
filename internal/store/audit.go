package store

import (
	"context"
	"strings"
	"time"
)

// InsertAudit writes one audit-log row.
func (tx *Tx) InsertAudit(ctx context.Context, at time.Time, actorID int64, action string, ticketID int64, detail string) error {
	_, err := tx.exec(ctx, "INSERT INTO audit_log (at, actor_id, action, ticket_id, detail) VALUES (?, ?, ?, ?, ?)",
		ms(at), nullID(actorID), action, nullID(ticketID), detail)
	return err
}

// AuditFilter selects audit rows. Zero fields select everything. Action
// matches exactly, or as a prefix when it ends in "." ("user." matches
// "user.create" and "user.update"); ActorEmail is the acting person's
// address; Ticket a ticket's number; After and Before bound the time
// (After inclusive, Before exclusive).
type AuditFilter struct {
	Action     string
	ActorEmail string
	Ticket     int64
	After      time.Time
	Before     time.Time
}

// AuditRow is one audit-log row as it is read: who (by address; empty for
// servus itself), what, when, about which ticket (its number, 0 for none).
type AuditRow struct {
	ID     int64
	At     time.Time
	Actor  string
	Action string
	Ticket int64
	Detail string
}

const auditSelect = "SELECT a.id, a.at, COALESCE(u.email, ''), a.action, COALESCE(t.number, 0), a.detail" +
	" FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN tickets t ON t.id = a.ticket_id"

// auditWhere renders f as a WHERE clause over audit_log a, users u and
// tickets t.
func auditWhere(f AuditFilter) (string, []any) {
	var conds []string
	var args []any
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			conds = append(conds, "substr(a.action, 1, ?) = ?")
			args = append(args, len(f.Action), f.Action)
		} else {
			conds = append(conds, "a.action = ?")
			args = append(args, f.Action)
		}
	}
	if f.ActorEmail != "" {
		conds = append(conds, "u.email = ?")
		args = append(args, f.ActorEmail)
	}
	if f.Ticket != 0 {
		conds = append(conds, "t.number = ?")
		args = append(args, f.Ticket)
	}
	if !f.After.IsZero() {
		conds = append(conds, "a.at >= ?")
		args = append(args, ms(f.After))
	}
	if !f.Before.IsZero() {
		conds = append(conds, "a.at < ?")
		args = append(args, ms(f.Before))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// AuditPage lists the audit rows f selects, newest first: at most limit
// from offset, and how many there are in all.
func (tx *Tx) AuditPage(ctx context.Context, f AuditFilter, limit, offset int) ([]*AuditRow, int, error) {
	where, args := auditWhere(f)
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN tickets t ON t.id = a.ticket_id"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out := []*AuditRow{}
	err := tx.eachAudit(ctx, auditSelect+where+" ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?", append(args, limit, offset), func(r *AuditRow) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// EachAudit calls fn with every audit row f selects, newest first, as the
// rows are read (nothing is collected); an error of fn stops it.
func (tx *Tx) EachAudit(ctx context.Context, f AuditFilter, fn func(*AuditRow) error) error {
	where, args := auditWhere(f)
	return tx.eachAudit(ctx, auditSelect+where+" ORDER BY a.at DESC, a.id DESC", args, fn)
}

func (tx *Tx) eachAudit(ctx context.Context, q string, args []any, fn func(*AuditRow) error) error {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := &AuditRow{}
		var at int64
		if err := rows.Scan(&r.ID, &at, &r.Actor, &r.Action, &r.Ticket, &r.Detail); err != nil {
			return err
		}
		r.At = fromMS(at)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditCount is how many audit rows of one kind of action there are for
// one queue (the current queue of the ticket the rows name; "" for rows
// that name no ticket).
type AuditCount struct {
	Action string
	Queue  string
	Count  int
}

// AuditConfidentialReads counts the reads of confidential tickets of one
// queue: the ticket itself (its page, its entries), its files and its raw
// mail.
type AuditConfidentialReads struct {
	Queue   string
	Tickets int
	Files   int
	Mail    int
}

// auditReadKind sorts a read row by what was read: the ticket.view rows
// say it in their detail ("attachment ID", "mail of entry N"), mail.view
// is always raw mail.
const auditReadKind = "CASE WHEN a.action = 'mail.view' OR substr(a.detail, 1, 13) = 'mail of entry' THEN 'mail'" +
	" WHEN substr(a.detail, 1, 11) = 'attachment ' THEN 'file' ELSE 'ticket' END"

// AuditCounts counts the audit rows from after (inclusive) to before
// (exclusive) by kind of action and queue, ordered by action and queue.
func (tx *Tx) AuditCounts(ctx context.Context, after, before time.Time) ([]AuditCount, error) {
	rows, err := tx.query(ctx, "SELECT a.action, COALESCE(q.name, ''), COUNT(*) FROM audit_log a"+
		" LEFT JOIN tickets t ON t.id = a.ticket_id LEFT JOIN queues q ON q.id = t.queue_id"+
		" WHERE a.at >= ? AND a.at < ? GROUP BY a.action, q.name ORDER BY a.action, COALESCE(q.name, '')",
		ms(after), ms(before))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditCount{}
	for rows.Next() {
		var c AuditCount
		if err := rows.Scan(&c.Action, &c.Queue, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AuditConfidentialReadCounts counts the reads of confidential tickets
// from after (inclusive) to before (exclusive) by the ticket's queue: every
// ticket.view row (written for confidential tickets only) and the mail.view
// rows (raw inbound mail) of tickets that are confidential. Ordered by
// queue.
func (tx *Tx) AuditConfidentialReadCounts(ctx context.Context, after, before time.Time) ([]AuditConfidentialReads, error) {
	rows, err := tx.query(ctx, "SELECT COALESCE(q.name, ''), "+auditReadKind+", COUNT(*) FROM audit_log a"+
		" LEFT JOIN tickets t ON t.id = a.ticket_id LEFT JOIN queues q ON q.id = t.queue_id"+
		" WHERE a.at >= ? AND a.at < ? AND (a.action = 'ticket.view' OR (a.action = 'mail.view' AND t.confidential = TRUE))"+
		" GROUP BY COALESCE(q.name, ''), "+auditReadKind+" ORDER BY COALESCE(q.name, '')",
		ms(after), ms(before))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditConfidentialReads{}
	for rows.Next() {
		var queue, kind string
		var n int
		if err := rows.Scan(&queue, &kind, &n); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Queue != queue {
			out = append(out, AuditConfidentialReads{Queue: queue})
		}
		c := &out[len(out)-1]
		switch kind {
		case "mail":
			c.Mail += n
		case "file":
			c.Files += n
		default:
			c.Tickets += n
		}
	}
	return out, rows.Err()
}

// AuditActionsIn calls fn with every audit row from after (inclusive) to
// before (exclusive) whose action starts with one of prefixes, oldest
// first, as the rows are read.
func (tx *Tx) AuditActionsIn(ctx context.Context, after, before time.Time, prefixes []string, fn func(*AuditRow) error) error {
	var conds []string
	args := []any{ms(after), ms(before)}
	for _, p := range prefixes {
		conds = append(conds, "substr(a.action, 1, ?) = ?")
		args = append(args, len(p), p)
	}
	q := auditSelect + " WHERE a.at >= ? AND a.at < ?"
	if len(conds) > 0 {
		q += " AND (" + strings.Join(conds, " OR ") + ")"
	}
	return tx.eachAudit(ctx, q+" ORDER BY a.at, a.id", args, fn)
}
