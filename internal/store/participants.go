package store

import (
	"context"
)

// WatcherIDs returns the user IDs watching ticketID.
func (tx *Tx) WatcherIDs(ctx context.Context, ticketID int64) ([]int64, error) {
	return tx.ids(ctx, "SELECT user_id FROM watchers WHERE ticket_id = ? ORDER BY user_id", ticketID)
}

// CCIDs returns the user IDs of ticketID's further requesters.
func (tx *Tx) CCIDs(ctx context.Context, ticketID int64) ([]int64, error) {
	return tx.ids(ctx, "SELECT user_id FROM ticket_cc WHERE ticket_id = ? ORDER BY user_id", ticketID)
}

// MemberIDs returns the user IDs of queueID's members.
func (tx *Tx) MemberIDs(ctx context.Context, queueID int64) ([]int64, error) {
	return tx.ids(ctx, "SELECT user_id FROM queue_members WHERE queue_id = ? ORDER BY user_id", queueID)
}

func (tx *Tx) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SetCC replaces the ticket's further requesters.
func (tx *Tx) SetCC(ctx context.Context, ticketID int64, userIDs []int64) error {
	if _, err := tx.exec(ctx, "DELETE FROM ticket_cc WHERE ticket_id = ?", ticketID); err != nil {
		return err
	}
	for _, id := range userIDs {
		if _, err := tx.exec(ctx, "INSERT INTO ticket_cc (ticket_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", ticketID, id); err != nil {
			return err
		}
	}
	return nil
}

// SetWatching adds or removes userID as a watcher of ticketID and reports
// whether anything changed.
func (tx *Tx) SetWatching(ctx context.Context, ticketID, userID int64, watch bool) (bool, error) {
	q := "INSERT INTO watchers (ticket_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING"
	if !watch {
		q = "DELETE FROM watchers WHERE ticket_id = ? AND user_id = ?"
	}
	res, err := tx.exec(ctx, q, ticketID, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
