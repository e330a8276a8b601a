package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Job is one kind of periodic work: auto-close, reminders, and whatever
// comes later (escalation digests, retention). All of servus's periodic
// work runs through RunJobs, which makes each run happen once per Interval
// across every servus instance on the database.
//
// Adding a job is a few lines in app.Run's job list:
//
//	desk.Job{Name: "retention", Interval: time.Hour, Run: func(ctx context.Context) error {
//		_, err := svc.ApplyRetention(ctx) // whatever the work is
//		return err
//	}}
//
// Run must be safe to run again after a crash half-way (do the work in
// small transactions that each check their own preconditions, as AutoClose
// and SendReminders do) and should return soon after ctx ends.
type Job struct {
	Name     string        // unique, stable: the row in the jobs table
	Interval time.Duration // from the start of one run to the next
	Run      func(ctx context.Context) error
}

// JobOptions tune RunJobs; zero values take defaults.
type JobOptions struct {
	// Owner names this instance in the jobs table; default
	// hostname/pid/random.
	Owner string
	// Lease is how long a claimed run may take: the run's context ends
	// then, and another instance may claim the job once it has run out
	// (after a crash, at the latest after Lease). Default 5 minutes.
	Lease time.Duration
	// MaxWait bounds the sleep between looks at the schedule (another
	// instance may have changed it); default 30 seconds.
	MaxWait time.Duration
	// Logger gets one line per failed run and per run that did something;
	// default slog.Default().
	Logger *slog.Logger
}

func (o JobOptions) withDefaults() JobOptions {
	if o.Owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		rand.Read(b)
		o.Owner = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Minute
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// RunJobs runs jobs until ctx ends. It registers each job in the jobs table
// (a known job keeps its stored schedule, so a restart neither skips nor
// repeats a run), then sleeps until a job is due, claims it with a lease
// (one UPDATE that exactly one instance wins), runs it, records the
// outcome (last run, duration, error) and schedules the next run one
// Interval after this one started. Jobs run one at a time per instance.
// When ctx ends, a running job's context ends too and its lease is given
// back, so another instance takes it over at once. Errors of the jobs are
// logged and recorded, never returned; RunJobs returns an error only if it
// cannot register the jobs for a lasting reason (a transient database
// fault is retried).
func (s *Service) RunJobs(ctx context.Context, jobs []Job, opts JobOptions) error {
	o := opts.withDefaults()
	for {
		err := s.db.Write(ctx, func(tx *store.Tx) error {
			for _, j := range jobs {
				if err := tx.EnsureJob(ctx, j.Name, j.Interval, s.now().UTC()); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			break
		}
		if !store.IsTransient(err) && ctx.Err() == nil {
			return fmt.Errorf("register jobs: %w", err)
		}
		o.Logger.Warn("jobs: registering failed; trying again", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(5 * time.Second):
		}
	}
	byName := map[string]Job{}
	for _, j := range jobs {
		byName[j.Name] = j
	}
	for {
		wait := o.MaxWait
		rows, err := s.jobRows(ctx)
		if err != nil && ctx.Err() == nil {
			o.Logger.Error("jobs: reading the schedule failed", "err", err)
		}
		now := s.now().UTC()
		for _, r := range rows {
			j, ok := byName[r.Name]
			if !ok {
				continue // another instance's job (a newer servus)
			}
			at := r.NextRunAt
			if r.LeaseUntil.After(at) {
				at = r.LeaseUntil // held by someone: look again when the lease runs out
			}
			if at.After(now) {
				wait = min(wait, at.Sub(now))
				continue
			}
			// Look again soon: time passed while it ran, or another
			// instance won the claim and the schedule shows its lease now.
			s.runJob(ctx, j, o)
			wait = min(wait, 5*time.Millisecond)
			if ctx.Err() != nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(max(wait, time.Millisecond)):
		}
	}
}

func (s *Service) jobRows(ctx context.Context) ([]*store.JobRow, error) {
	var rows []*store.JobRow
	err := s.db.Read(ctx, func(tx *store.Tx) (err error) {
		rows, err = tx.Jobs(ctx)
		return err
	})
	return rows, err
}

// runJob claims j and runs it; it reports whether this instance ran it.
func (s *Service) runJob(ctx context.Context, j Job, o JobOptions) bool {
	started := s.now().UTC()
	var claimed bool
	err := s.db.Write(ctx, func(tx *store.Tx) (err error) {
		claimed, err = tx.ClaimJob(ctx, j.Name, o.Owner, started, o.Lease)
		return err
	})
	if err != nil {
		if ctx.Err() == nil {
			o.Logger.Error("jobs: claiming failed", "job", j.Name, "err", err)
		}
		return false
	}
	if !claimed {
		return false // not due any more, or another instance has it
	}
	// The run ends with the lease, a little before another instance may
	// claim the job again.
	runCtx, cancel := context.WithTimeout(ctx, o.Lease-o.Lease/10)
	runErr := safeRun(runCtx, j)
	cancel()
	// The bookkeeping outlives ctx: a shutdown still records or gives back.
	bg, stop := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer stop()
	if ctx.Err() != nil {
		if err := s.db.Write(bg, func(tx *store.Tx) error { return tx.ReleaseJob(bg, j.Name, o.Owner) }); err != nil {
			o.Logger.Error("jobs: giving back the lease failed", "job", j.Name, "err", err)
		}
		return true
	}
	ended := s.now().UTC()
	next := started.Add(j.Interval)
	if next.Before(ended) {
		next = ended
	}
	errText := ""
	if runErr != nil {
		errText = runErr.Error()
		o.Logger.Error("job failed", "job", j.Name, "err", runErr, "took", ended.Sub(started))
	}
	var held bool
	err = s.db.Write(bg, func(tx *store.Tx) (err error) {
		held, err = tx.FinishJob(bg, j.Name, o.Owner, started, ended, next, errText)
		return err
	})
	switch {
	case err != nil:
		o.Logger.Error("jobs: recording the run failed", "job", j.Name, "err", err)
	case !held:
		o.Logger.Warn("jobs: the lease ran out before the run ended", "job", j.Name, "took", ended.Sub(started))
	}
	return true
}

// safeRun runs j, turning a panic into an error so that one broken job
// does not stop the others.
func safeRun(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return j.Run(ctx)
}

// JobStatus is a job's schedule and last outcome, for admins.
type JobStatus = store.JobRow

// Jobs lists the background jobs with their schedule and last outcome;
// admins only (EFORBIDDEN).
func (s *Service) Jobs(ctx context.Context, a access.Actor) ([]*JobStatus, error) {
	if !a.Admin() {
		return nil, ticket.E(ticket.EFORBIDDEN, "err.jobs.admins")
	}
	return s.jobRows(ctx)
}

// OptimizeDatabase refreshes the database's planner statistics where the
// database does not do so by itself (SQLite; store.DB.Optimize). It runs as
// the "optimize" job and once at start.
func (s *Service) OptimizeDatabase(ctx context.Context) error {
	return s.db.Optimize(ctx)
}
