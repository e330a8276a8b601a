package store

import (
	"context"
	"time"
)

// MarkUndeliverable records that mail to email bounced.
func (tx *Tx) MarkUndeliverable(ctx context.Context, email, reason string, now time.Time) error {
	_, err := tx.exec(ctx, "INSERT INTO undeliverable (email, since, reason) VALUES (?, ?, ?) ON CONFLICT (email) DO UPDATE SET reason = excluded.reason",
		email, ms(now), reason)
	return err
}

// ClearUndeliverable forgets a bounce, e.g. when the address writes again.
func (tx *Tx) ClearUndeliverable(ctx context.Context, email string) error {
	_, err := tx.exec(ctx, "DELETE FROM undeliverable WHERE email = ?", email)
	return err
}

// Undeliverable reports whether mail to email bounced.
func (tx *Tx) Undeliverable(ctx context.Context, email string) (bool, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM undeliverable WHERE email = ?", email).Scan(&n)
	return n > 0, err
}

// SentTo reports whether one of the Message-IDs ids (without angle
// brackets) is a mail servus sent, or is sending, to the address email: a
// bounce counts only for mail that really went to that address.
func (tx *Tx) SentTo(ctx context.Context, ids []string, email string) (bool, error) {
	for _, id := range ids {
		var n int
		err := tx.queryRow(ctx, `SELECT COUNT(*) FROM outbox o JOIN users u ON u.id = o.recipient_id
			WHERE o.message_id = ? AND u.email = ? AND o.state IN ('sent', 'pending')`, id, email).Scan(&n)
		if err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}
