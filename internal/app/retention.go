package app

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
)

// retentionLoop runs retention (desk.RunRetention) every cfg.Interval
// until ctx ends: closed tickets past their queue's period are anonymised
// or deleted, audit-log rows older than cfg.AuditMonths go. It is a thin
// wrapper around the desk method, so that a general job scheduler can take
// it over; several instances running it at once is safe.
func retentionLoop(ctx context.Context, svc *desk.Service, cfg config.Retention, log *slog.Logger) {
	t := time.NewTicker(cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rep, err := svc.RunRetention(ctx, time.Now(), desk.RetentionOptions{AuditMonths: cfg.AuditMonths})
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			log.Error("retention run failed", "err", err)
		}
		if rep.Anonymised+rep.Deleted > 0 || rep.AuditDeleted > 0 {
			log.Info("retention run", "anonymised", rep.Anonymised, "deleted", rep.Deleted, "files", rep.Files, "audit_rows", rep.AuditDeleted)
		}
	}
}

// describeMonths is --audit-retention for the running configuration: "24
// months", or "" (not set) for a log kept whole.
func describeMonths(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n) + " months"
}
