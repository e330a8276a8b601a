package config

import (
	"flag"
	"fmt"
	"time"
)

// Background job defaults.
const (
	DefaultReminderInterval   = time.Minute
	DefaultEscalationInterval = 5 * time.Minute
	DefaultJobLease           = 5 * time.Minute
	DefaultReportInterval     = time.Minute
)

// Jobs tunes servus serve's background jobs (auto-close, reminders, …;
// see desk.RunJobs).
type Jobs struct {
	ReminderInterval time.Duration // how often the reminder job looks for waiting tickets
	// EscalationInterval is how often the escalation job mails the
	// digests of tickets due soon or breached: at most one per queue per
	// interval.
	EscalationInterval time.Duration
	Lease              time.Duration // how long one run may take; a crashed instance's job is taken over after this
	ReportInterval     time.Duration // how often the report figures are brought up to date
}

// JobsFlags registers the flags of the background jobs.
func (c *Config) JobsFlags(fs *flag.FlagSet) {
	if c.Jobs.ReminderInterval == 0 {
		c.Jobs.ReminderInterval = DefaultReminderInterval
	}
	if c.Jobs.Lease == 0 {
		c.Jobs.Lease = DefaultJobLease
	}
	if c.Jobs.EscalationInterval == 0 {
		c.Jobs.EscalationInterval = DefaultEscalationInterval
	}
	fs.Var((*duration)(&c.Jobs.ReminderInterval), "reminder-interval", "look for tickets waiting on their requesters that are due a reminder (or what follows it) every `duration`; the times themselves are set per queue")
	if c.Jobs.ReportInterval == 0 {
		c.Jobs.ReportInterval = DefaultReportInterval
	}
	fs.Var((*duration)(&c.Jobs.ReportInterval), "report-interval", "bring the reports' daily figures up to date with the tickets changed since every `duration`")
	fs.Var((*duration)(&c.Jobs.EscalationInterval), "escalation-interval", "mail each queue that asks for escalations one digest of its tickets newly due soon or breached at most every `duration`")
	fs.Var((*duration)(&c.Jobs.Lease), "job-lease", "a background job run may take this `duration`; when an instance dies during a run, another one takes the job over after it")
}

// validateJobs checks the background job settings.
func (c *Config) validateJobs() error {
	switch {
	case c.Jobs.ReminderInterval <= 0:
		return fmt.Errorf("--reminder-interval: must be positive, e.g. 1m")
	case c.Jobs.ReportInterval <= 0:
		return fmt.Errorf("--report-interval: must be positive, e.g. 1m")
	case c.Jobs.EscalationInterval <= 0:
		return fmt.Errorf("--escalation-interval: must be positive, e.g. 5m")
	case c.Jobs.Lease < time.Second:
		return fmt.Errorf("--job-lease: must be at least 1s, e.g. 5m")
	}
	return nil
}
