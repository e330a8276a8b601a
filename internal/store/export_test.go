package store

import (
	"context"
	"time"
)

// AddReportDayRow adds c to the report_days row k alone, as servus did
// before migration 0034 added the coarser report tables.
func (tx *Tx) AddReportDayRow(ctx context.Context, k ReportCell, c *ReportCounts) error {
	return tx.addReportRow(ctx, reportDays, k, c)
}

// DueRemindersPlan returns the database's plan for DueReminders' query
// (see explain); for the tests.
func (db *DB) DueRemindersPlan(ctx context.Context, now time.Time, after int64, limit int) (string, error) {
	return db.explain(ctx, dueRemindersSQL(db.dialect), after, ms(now), ms(now), limit)
}
