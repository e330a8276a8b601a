package store

import "context"

// AddReportDayRow adds c to the report_days row k alone, as servus did
// before migration 0034 added the coarser report tables.
func (tx *Tx) AddReportDayRow(ctx context.Context, k ReportCell, c *ReportCounts) error {
	return tx.addReportRow(ctx, reportDays, k, c)
}
