package store

import (
	"context"

	"github.com/servus-desk/servus/internal/ticket"
)

// Users lists every user by role (admins, agents, requesters) and name, at
// most limit (default 500) from offset, with the total.
func (tx *Tx) Users(ctx context.Context, limit, offset int) ([]*ticket.User, int, error) {
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&total); err != nil {
		return nil, 0, err
	}
	if limit <= 0 {
		limit = 500
	}
	rows, err := tx.query(ctx, "SELECT "+userColumns+` FROM users u
		ORDER BY CASE u.role WHEN 'admin' THEN 0 WHEN 'agent' THEN 1 ELSE 2 END, LOWER(u.name), u.email
		LIMIT ? OFFSET ?`, limit, offset)
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
