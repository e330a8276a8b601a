package store

import (
	"context"

	"github.com/servus-desk/servus/internal/access"
)

// SetUserPreferences stores a user's language ("de" or "en") and time zone
// (an IANA name, or empty for the default).
func (tx *Tx) SetUserPreferences(ctx context.Context, userID int64, lang, timeZone string) error {
	_, err := tx.exec(ctx, "UPDATE users SET language = ?, time_zone = ? WHERE id = ?", lang, timeZone, userID)
	return err
}

// UserTimeZone returns the time zone of userID ("" for the default).
func (tx *Tx) UserTimeZone(ctx context.Context, userID int64) (string, error) {
	var tz string
	err := tx.queryRow(ctx, "SELECT time_zone FROM users WHERE id = ?", userID).Scan(&tz)
	return tz, err
}

// UserNames returns the display names of the users with the given e-mails,
// keyed by e-mail; unknown ones are absent.
func (tx *Tx) UserNames(ctx context.Context, emails []string) (map[string]string, error) {
	out := make(map[string]string, len(emails))
	if len(emails) == 0 {
		return out, nil
	}
	args := make([]any, len(emails))
	for i, e := range emails {
		args[i] = e
	}
	rows, err := tx.query(ctx, "SELECT email, name FROM users WHERE email IN ("+placeholders(len(emails))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e, n string
		if err := rows.Scan(&e, &n); err != nil {
			return nil, err
		}
		out[e] = n
	}
	return out, rows.Err()
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
}

// QueueMemberRows lists every member of queueID (disabled ones too) by name,
// with their assigned tickets in the queue that a may see.
func (tx *Tx) QueueMemberRows(ctx context.Context, a access.Actor, queueID int64) ([]QueueMemberRow, error) {
	scope, args := access.TicketScope(a)
	rows, err := tx.query(ctx, `SELECT u.id, u.email, u.name, u.disabled_at IS NOT NULL,
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
		if err := rows.Scan(&m.ID, &m.Email, &m.Name, &m.Disabled, &m.Assigned); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
