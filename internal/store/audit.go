package store

import (
	"context"
	"time"
)

// InsertAudit writes one audit-log row.
func (tx *Tx) InsertAudit(ctx context.Context, at time.Time, actorID int64, action string, ticketID int64, detail string) error {
	_, err := tx.exec(ctx, "INSERT INTO audit_log (at, actor_id, action, ticket_id, detail) VALUES (?, ?, ?, ?, ?)",
		ms(at), nullID(actorID), action, nullID(ticketID), detail)
	return err
}
