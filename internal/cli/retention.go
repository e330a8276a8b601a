package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/desk"
)

func retentionRunCommand() *command {
	return &command{
		name:    "retention run",
		summary: "anonymise or delete old closed tickets now (or --dry-run)",
		help: "Runs retention once, as servus serve does every --retention-interval:\n" +
			"closed tickets older than their queue's period (or the default's) are\n" +
			"anonymised or deleted, and audit-log rows older than --audit-retention\n" +
			"months go. Prints the counts per queue and mode. --dry-run counts what\n" +
			"would happen and changes nothing.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			fs.IntVar(&cfg.Retention.AuditMonths, "audit-retention", cfg.Retention.AuditMonths, "remove audit-log rows older than this many `months` (0 keeps the whole log)")
			var dry bool
			fs.BoolVar(&dry, "dry-run", false, "count what would be done, change nothing")
			return func(ctx context.Context, e *env) error {
				if err := cfg.ValidateRetention(); err != nil {
					return &usageError{msg: err.Error()}
				}
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					start := time.Now()
					rep, err := c.Service.RunRetention(ctx, time.Now(), desk.RetentionOptions{DryRun: dry, AuditMonths: cfg.Retention.AuditMonths})
					printRetention(e, rep, time.Since(start))
					return err
				})
			}
		},
	}
}

// printRetention writes a retention report: a line per queue, then the
// totals.
func printRetention(e *env, rep desk.RetentionReport, took time.Duration) {
	verb := ""
	if rep.DryRun {
		verb = "would "
	}
	for _, q := range rep.Queues {
		fmt.Fprintf(e.stdout, "%s\t%s after %d months\t%d tickets\n", q.Queue, q.Mode, q.Months, q.Tickets)
	}
	fmt.Fprintf(e.stdout, "%sanonymise %d, %sdelete %d tickets; %sremove %d files and %d audit rows (%v)\n",
		verb, rep.Anonymised, verb, rep.Deleted, verb, rep.Files, rep.AuditDeleted, took.Round(time.Millisecond))
}
