package store

import (
	"context"
	"time"
)

// DeleteAuditBefore removes the audit-log rows written before cutoff and
// returns how many it removed. It is the retention of the log itself
// (--audit-retention) and the only code path that removes audit rows:
// TestAuditLogIsAppendOnly allows this file and no other.
func (tx *Tx) DeleteAuditBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := tx.exec(ctx, "DELETE FROM audit_log WHERE at < ?", ms(cutoff))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
