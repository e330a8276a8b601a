package store

import (
	"context"
	"strings"

	"github.com/servus-desk/servus/internal/ticket"
)

// UserFilter narrows the admin's list of users; zero values match all.
type UserFilter struct {
	Query string      // part of the name or e-mail, any case
	Role  ticket.Role // one role only
	State string      // "active" or "disabled"
}

// Users lists the users f matches by role (admins, agents, requesters) and
// name, at most limit (default 500) from offset, with the total.
func (tx *Tx) Users(ctx context.Context, f UserFilter, limit, offset int) ([]*ticket.User, int, error) {
	var where []string
	var args []any
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		like := "%" + likeEscape(q) + "%"
		where = append(where, `(LOWER(u.name) LIKE ? ESCAPE '\' OR u.email LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	if f.Role != "" {
		where = append(where, "u.role = ?")
		args = append(args, f.Role)
	}
	switch f.State {
	case "active":
		where = append(where, "u.disabled_at IS NULL")
	case "disabled":
		where = append(where, "u.disabled_at IS NOT NULL")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM users u"+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if limit <= 0 {
		limit = 500
	}
	rows, err := tx.query(ctx, "SELECT "+userColumns+" FROM users u"+cond+`
		ORDER BY CASE u.role WHEN 'admin' THEN 0 WHEN 'agent' THEN 1 ELSE 2 END, LOWER(u.name), u.email
		LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*ticket.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// likeEscape escapes the wildcards of a LIKE pattern (with ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
