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
