package config

import (
	"flag"
	"fmt"
	"time"
)

// Retention defaults.
const (
	DefaultAuditRetention    = 24 // months
	DefaultRetentionInterval = time.Hour
)

// Retention is how servus serve runs retention: how often, and how long
// the audit log is kept. What happens to closed tickets is set by admins
// (a desk-wide default and per queue), not here.
type Retention struct {
	AuditMonths int           // audit-log rows older than this many months are removed; 0 keeps them all
	Interval    time.Duration // how often a retention run starts
}

// RetentionFlags registers --audit-retention and --retention-interval.
// servus retention run uses the first one too.
func (c *Config) RetentionFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.Retention.AuditMonths, "audit-retention", c.Retention.AuditMonths, "remove audit-log rows older than this many `months` (0 keeps the whole log)")
	fs.Var((*duration)(&c.Retention.Interval), "retention-interval", "run retention (closed tickets after their queue's period, old audit-log rows) every `duration`")
}

// ValidateRetention checks the retention flags.
func (c *Config) ValidateRetention() error {
	switch {
	case c.Retention.AuditMonths < 0 || c.Retention.AuditMonths > 1200:
		return fmt.Errorf("--audit-retention: must be a number of months from 0 (keep all) to 1200")
	case c.Retention.Interval <= 0:
		return fmt.Errorf("--retention-interval: must be positive, e.g. 1h")
	}
	return nil
}
