package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/servus-desk/servus/internal/api"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/server"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// Run serves servus as cfg says until ctx ends, then shuts down gracefully:
// the listener closes, requests in flight get cfg.ShutdownTimeout to
// finish, the background loop stops, and the database is closed. With
// cfg.Demo it first seeds an empty database and prints how to log in on
// stdout. It logs "listening addr=HOST:PORT" with the real port once it
// accepts connections. It returns nil after a clean shutdown and an error if
// servus could not start or stopped on its own.
func Run(ctx context.Context, cfg config.Config, stdout io.Writer, log *slog.Logger) (err error) {
	core, err := Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer core.closeWith(&err)

	var demoOut *DemoResult
	if cfg.Demo {
		if demoOut, err = core.SeedDemo(ctx, log); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	addr := ln.Addr().String()
	ln = server.LimitListener(ln, cfg.HTTP.MaxConns, cfg.HTTP.MaxConnsPerClient, cfg.TrustedProxies)
	baseURL := strings.TrimRight(cfg.BaseURL, "/")
	if baseURL == "" {
		baseURL = "http://" + addr
	}

	samlSP, err := newSAML(ctx, cfg.SAML, baseURL)
	if err != nil {
		ln.Close()
		return err
	}
	webUI, err := web.New(core.Service, web.Options{Logger: log, BaseURL: baseURL, TrustedProxies: cfg.TrustedProxies,
		Runtime: RuntimeSettings(cfg, addr, baseURL), ReadTimeout: server.ReadTimeout, Directory: cfg.LDAP.URL != "",
		OpenIDName: cfg.OIDC.Name, SAML: samlSP, SAMLLabel: cfg.SAML.Label})
	if err != nil {
		ln.Close()
		return err
	}
	srv := server.New(server.Options{
		Logger: log,
		API: api.New(core.Service, api.Options{
			Logger:      log,
			BaseURL:     baseURL,
			MaxBody:     cfg.MaxBody,
			ReadTimeout: server.ReadTimeout,
		}),
		Web:           webUI,
		Ready:         core.DB.Ping,
		DataWritable:  func(context.Context) error { return core.Blobs.Writable() },
		MetricsAllow:  cfg.HTTP.MetricsAllow,
		Profiling:     cfg.HTTP.Profiling,
		HeaderTimeout: cfg.HTTP.HeaderTimeout,
		BodyTimeout:   cfg.HTTP.BodyTimeout,
	})

	var wg sync.WaitGroup
	loopCtx, stopLoop := context.WithCancel(ctx)
	defer stopLoop()
	checkGroupQueues(ctx, core.Service, ticket.SourceOIDC, "group", cfg.OIDC.Groups, log)
	if cfg.LDAP.URL != "" {
		checkGroupQueues(ctx, core.Service, ticket.SourceLDAP, "group", cfg.LDAP.Groups, log)
	}
	checkGroupQueues(ctx, core.Service, ticket.SourceSAML, "value", cfg.SAML.Groups, log)
	wg.Go(func() {
		// Fresh planner statistics from the start (SQLite; see the
		// "optimize" job).
		if err := core.Service.OptimizeDatabase(loopCtx); err != nil && loopCtx.Err() == nil {
			log.Warn("refreshing the planner statistics failed", "err", err)
		}
	})
	wg.Go(func() {
		if err := core.Service.RunJobs(loopCtx, Jobs(core.Service, cfg, log), desk.JobOptions{Lease: cfg.Jobs.Lease, Logger: log}); err != nil {
			log.Error("background jobs did not start", "err", err)
		}
	})
	if err := startDelivery(loopCtx, cfg, core.Service, baseURL, &wg, log); err != nil {
		ln.Close()
		stopLoop()
		wg.Wait()
		return err
	}
	in, err := startIntake(loopCtx, cfg, core, &wg, log)
	if err != nil {
		ln.Close()
		stopLoop()
		wg.Wait()
		return err
	}

	served := make(chan error, 1)
	wg.Go(func() { served <- srv.Serve(ln) })
	// The demo logins first: whoever waits for the "listening" line (a
	// person, a script, a test) then has them already.
	if demoOut != nil {
		demoOut.Print(stdout, baseURL)
	}
	log.Info("listening", "addr", addr, "url", baseURL, "db", core.DB.Dialect(), "data", cfg.Data)

	select {
	case <-ctx.Done():
		log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
		shCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
		defer cancel()
		if serr := srv.Shutdown(shCtx); serr != nil {
			log.Warn("requests still running after shutdown timeout; closing them", "err", serr)
			srv.Close()
		}
		in.shutdown(shCtx, log)
		stopLoop()
		wg.Wait()
		if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", serr)
		}
		log.Info("stopped")
		return nil
	case serr := <-served:
		in.shutdown(context.WithoutCancel(ctx), log)
		stopLoop()
		srv.Close()
		wg.Wait()
		return fmt.Errorf("serve: %w", serr)
	}
}

// AutoCloseInterval is how often servus looks for resolved tickets to
// close: a tenth of after, at least 200ms and at most a minute, so the
// closing happens within a few seconds of being due when after is short (as
// in tests) and costs nothing when it is days.
func AutoCloseInterval(after time.Duration) time.Duration {
	return min(max(after/10, 200*time.Millisecond), time.Minute)
}

// Jobs is servus's periodic work, run by desk.RunJobs on every instance
// and, through the jobs table, once per interval across all of them.
// Adding a job is one more entry here, e.g.:
//
//	{Name: "cleanup", Interval: time.Hour, Run: func(ctx context.Context) error {
//		_, err := svc.Cleanup(ctx) // whatever the work is
//		return err
//	}},
//
// The name is the job's row in the jobs table (and its line on
// /admin/jobs): keep it stable.
func Jobs(svc *desk.Service, cfg config.Config, log *slog.Logger) []desk.Job {
	jobs := []desk.Job{
		{Name: "auto-close", Interval: AutoCloseInterval(cfg.AutoCloseAfter), Run: func(ctx context.Context) error {
			// Resolved tickets without a reaction for --auto-close-after.
			n, err := svc.AutoClose(ctx, cfg.AutoCloseAfter)
			if n > 0 {
				log.Info("auto-closed tickets", "count", n, "after", cfg.AutoCloseAfter)
			}
			return err
		}},
		{Name: "reminders", Interval: cfg.Jobs.ReminderInterval, Run: func(ctx context.Context) error {
			// Tickets waiting on their requesters, per queue setting.
			reminded, followed, err := svc.SendReminders(ctx)
			if reminded+followed > 0 {
				log.Info("reminders", "sent", reminded, "closed_or_returned", followed)
			}
			return err
		}},
		{Name: "reports", Interval: cfg.Jobs.ReportInterval, Run: func(ctx context.Context) error {
			// The reports' daily figures follow the tickets changed since
			// the last pass (the first pass fills them for every ticket);
			// a long backfill goes on in the next run.
			n, done, err := svc.RefreshReports(ctx, max(cfg.Jobs.Lease/2, time.Second))
			if n > 0 {
				log.Info("report figures brought up to date", "tickets", n, "done", done)
			}
			return err
		}},
		{Name: "escalations", Interval: cfg.Jobs.EscalationInterval, Run: func(ctx context.Context) error {
			// One digest per queue that asks for it, of its tickets newly
			// due soon or breached.
			n, err := svc.SendEscalations(ctx)
			if n > 0 {
				log.Info("escalation digests queued", "count", n)
			}
			return err
		}},
		{Name: "retention", Interval: cfg.Retention.Interval, Run: func(ctx context.Context) error {
			// Closed tickets past their queue's period are anonymised or
			// deleted, audit rows older than --audit-retention go.
			rep, err := svc.RunRetention(ctx, time.Now(), desk.RetentionOptions{AuditMonths: cfg.Retention.AuditMonths})
			if rep.Anonymised+rep.Deleted > 0 || rep.AuditDeleted > 0 {
				log.Info("retention run", "anonymised", rep.Anonymised, "deleted", rep.Deleted, "files", rep.Files, "audit_rows", rep.AuditDeleted)
			}
			return err
		}},
		{Name: "optimize", Interval: time.Hour, Run: func(ctx context.Context) error {
			// SQLite's planner statistics (PRAGMA optimize); PostgreSQL's
			// autovacuum keeps its own.
			return svc.OptimizeDatabase(ctx)
		}},
	}
	if cfg.LDAP.URL != "" && cfg.LDAP.SyncInterval > 0 {
		jobs = append(jobs, desk.Job{Name: "ldap-sync", Interval: cfg.LDAP.SyncInterval, Run: func(ctx context.Context) error {
			// Directory accounts whose entry left the directory are disabled.
			_, err := SyncDirectory(ctx, svc, log)
			return err
		}})
	}
	return jobs
}
