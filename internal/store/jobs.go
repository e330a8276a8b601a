package store

import (
	"context"
	"database/sql"
	"time"
)

// JobRow is the stored state of one periodic job: its schedule, who holds
// its lease, and how its last run went.
type JobRow struct {
	Name         string
	Interval     time.Duration
	NextRunAt    time.Time
	LeaseOwner   string // "" when nobody holds it
	LeaseUntil   time.Time
	LastRunAt    *time.Time
	LastDuration time.Duration
	LastError    string
	Runs         int64
	Failures     int64
}

// Running reports whether an instance holds the job's lease at now: a run
// is in progress (or its instance died less than a lease ago).
func (j *JobRow) Running(now time.Time) bool { return j.LeaseOwner != "" && j.LeaseUntil.After(now) }

// EnsureJob registers the job name with interval: a new job is due at
// first; a known one keeps its stored next run (the schedule survives
// restarts), moved closer when interval became shorter than the time left.
func (tx *Tx) EnsureJob(ctx context.Context, name string, interval time.Duration, first time.Time) error {
	if _, err := tx.exec(ctx, `INSERT INTO jobs (name, interval_ms, next_run_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
		name, interval.Milliseconds(), ms(first)); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE jobs SET interval_ms = ?, next_run_at = CASE WHEN next_run_at > ? THEN ? ELSE next_run_at END
		WHERE name = ?`, interval.Milliseconds(), ms(first.Add(interval)), ms(first.Add(interval)), name)
	return err
}

// ClaimJob gives job name to owner for lease when it is due at now and no
// lease on it runs: one UPDATE, so of several instances trying at once
// exactly one gets it (PostgreSQL re-checks the condition on the row the
// winner changed). It reports whether owner got it.
func (tx *Tx) ClaimJob(ctx context.Context, name, owner string, now time.Time, lease time.Duration) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE jobs SET lease_owner = ?, lease_until = ?
		WHERE name = ? AND next_run_at <= ? AND lease_until <= ?`, owner, ms(now.Add(lease)), name, ms(now), ms(now))
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// FinishJob records a run of job name by owner that started at started and
// ended at now (errText "" for success), schedules the next run at next
// and gives the lease up. A run whose lease ran out and was claimed by
// another instance records nothing; it reports whether owner still held it.
func (tx *Tx) FinishJob(ctx context.Context, name, owner string, started, now, next time.Time, errText string) (bool, error) {
	failed := 0
	if errText != "" {
		failed = 1
	}
	res, err := tx.exec(ctx, `UPDATE jobs SET lease_owner = '', lease_until = 0, next_run_at = ?, last_run_at = ?,
		last_duration_ms = ?, last_error = ?, runs = runs + 1, failures = failures + ?
		WHERE name = ? AND lease_owner = ?`, ms(next), ms(started), now.Sub(started).Milliseconds(), errText, failed, name, owner)
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// ReleaseJob gives up owner's lease on job name without recording a run
// (an instance shutting down): the job stays due for the next instance.
func (tx *Tx) ReleaseJob(ctx context.Context, name, owner string) error {
	_, err := tx.exec(ctx, "UPDATE jobs SET lease_owner = '', lease_until = 0 WHERE name = ? AND lease_owner = ?", name, owner)
	return err
}

// Jobs lists every registered job by name.
func (tx *Tx) Jobs(ctx context.Context) ([]*JobRow, error) {
	rows, err := tx.query(ctx, `SELECT name, interval_ms, next_run_at, lease_owner, lease_until, last_run_at, last_duration_ms,
		last_error, runs, failures FROM jobs ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*JobRow{}
	for rows.Next() {
		var j JobRow
		var interval, next, until, dur int64
		var last sql.NullInt64
		if err := rows.Scan(&j.Name, &interval, &next, &j.LeaseOwner, &until, &last, &dur, &j.LastError, &j.Runs, &j.Failures); err != nil {
			return nil, err
		}
		j.Interval, j.NextRunAt, j.LeaseUntil = time.Duration(interval)*time.Millisecond, fromMS(next), fromMS(until)
		j.LastRunAt, j.LastDuration = fromNullMS(last), time.Duration(dur)*time.Millisecond
		out = append(out, &j)
	}
	return out, rows.Err()
}
