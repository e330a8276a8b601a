package desk_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// instance is one servus instance's job runner on db (a Service of its
// own, on the real clock), stopped when the test ends or by stop.
type instance struct {
	svc  *desk.Service
	stop func()
}

func startInstance(t *testing.T, db *store.DB, owner string, lease time.Duration, jobs ...desk.Job) *instance {
	t.Helper()
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := desk.New(db, blobs, desk.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := svc.RunJobs(ctx, jobs, desk.JobOptions{Owner: owner, Lease: lease, MaxWait: 50 * time.Millisecond}); err != nil {
			t.Errorf("RunJobs %s: %v", owner, err)
		}
	})
	once := sync.Once{}
	stop := func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(stop)
	return &instance{svc: svc, stop: stop}
}

func jobRow(t *testing.T, db *store.DB, name string) *store.JobRow {
	t.Helper()
	var row *store.JobRow
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Jobs(context.Background())
		for _, r := range rows {
			if r.Name == name {
				row = r
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return row
}

func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestJobsOncePerInterval: three instances on one database run a job with
// a short interval; its runs never overlap and happen about once per
// interval in all, not once per instance.
func TestJobsOncePerInterval(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			const interval = 100 * time.Millisecond
			var running, overlaps, runs atomic.Int32
			job := desk.Job{Name: "count", Interval: interval, Run: func(ctx context.Context) error {
				if running.Add(1) > 1 {
					overlaps.Add(1)
				}
				runs.Add(1)
				time.Sleep(5 * time.Millisecond)
				running.Add(-1)
				return nil
			}}
			start := time.Now()
			var ins []*instance
			for _, o := range []string{"a", "b", "c"} {
				ins = append(ins, startInstance(t, db, o, time.Minute, job))
			}
			time.Sleep(time.Second)
			for _, in := range ins {
				in.stop()
			}
			elapsed := time.Since(start)
			max := int32(elapsed/interval) + 1
			if n := runs.Load(); n < 4 || n > max {
				t.Errorf("%d runs in %v at interval %v, want at most %d (once per interval across instances)", n, elapsed, interval, max)
			}
			if n := overlaps.Load(); n != 0 {
				t.Errorf("%d runs overlapped another", n)
			}
			// A run under way when its instance stops gives its lease back
			// unrecorded (RunJobs), so the row may count one run fewer.
			row := jobRow(t, db, "count")
			n := int64(runs.Load())
			if row == nil || (row.Runs != n && row.Runs != n-1) || row.LastRunAt == nil || row.LeaseOwner != "" {
				t.Errorf("job row %+v, want %d runs recorded (or %d, one cut by the stop) and no lease held", row, n, n-1)
			}
		})
	}
}

// TestJobsRestart: the schedule is in the database, so an instance that
// restarts does not run a job again before its interval is over; a
// failed run is recorded with its error.
func TestJobsRestart(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			var runs atomic.Int32
			job := desk.Job{Name: "hourly", Interval: time.Hour, Run: func(ctx context.Context) error {
				runs.Add(1)
				return errors.New("mail server down")
			}}
			first := startInstance(t, db, "first", time.Minute, job)
			waitUntil(t, 10*time.Second, "the first run", func() bool { r := jobRow(t, db, "hourly"); return r != nil && r.Runs == 1 })
			first.stop()
			row := jobRow(t, db, "hourly")
			if row.LastError != "mail server down" || row.Failures != 1 || row.Interval != time.Hour {
				t.Errorf("after a failed run: %+v", row)
			}
			if d := time.Until(row.NextRunAt); d < 59*time.Minute || d > time.Hour {
				t.Errorf("next run in %v, want an hour after the last", d)
			}
			// Restarted (twice, as after a crash loop): nothing runs again.
			for _, o := range []string{"second", "third"} {
				in := startInstance(t, db, o, time.Minute, job)
				time.Sleep(200 * time.Millisecond)
				in.stop()
			}
			if n := runs.Load(); n != 1 {
				t.Errorf("%d runs after restarts, want 1", n)
			}
			// A shorter interval after a restart moves the next run closer.
			job.Interval = 100 * time.Millisecond
			startInstance(t, db, "fourth", time.Minute, job)
			waitUntil(t, 10*time.Second, "the run at the shorter interval", func() bool { return runs.Load() >= 2 })
		})
	}
}

// TestJobsLeaseExpiry: an instance that claimed a job and died holds it
// only until its lease runs out; then another instance runs it.
func TestJobsLeaseExpiry(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			ctx := context.Background()
			const lease = 700 * time.Millisecond
			// The dead instance registered and claimed the job, then
			// crashed before finishing.
			claimedAt := time.Now()
			err := db.Write(ctx, func(tx *store.Tx) error {
				if err := tx.EnsureJob(ctx, "sweep", time.Hour, claimedAt); err != nil {
					return err
				}
				ok, err := tx.ClaimJob(ctx, "sweep", "dead", claimedAt, lease)
				if err == nil && !ok {
					t.Error("the dead instance could not claim the due job")
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			ran := make(chan time.Time, 10)
			startInstance(t, db, "alive", lease, desk.Job{Name: "sweep", Interval: time.Hour, Run: func(ctx context.Context) error {
				ran <- time.Now()
				return nil
			}})
			select {
			case at := <-ran:
				if at.Before(claimedAt.Add(lease)) {
					t.Errorf("ran %v after the dead instance's claim, before its lease of %v ran out", at.Sub(claimedAt), lease)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("the job was never taken over")
			}
			waitUntil(t, 5*time.Second, "the run recorded", func() bool { r := jobRow(t, db, "sweep"); return r.Runs == 1 && r.LeaseOwner == "" })
			// The dead instance's late finish records nothing.
			err = db.Write(ctx, func(tx *store.Tx) error {
				held, err := tx.FinishJob(ctx, "sweep", "dead", claimedAt, time.Now(), time.Now(), "")
				if held {
					t.Error("a finish after the lease ran out was recorded")
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if r := jobRow(t, db, "sweep"); r.Runs != 1 || time.Until(r.NextRunAt) < 59*time.Minute {
				t.Errorf("after the dead instance's finish: %+v", r)
			}
		})
	}
}

// TestJobsShutdown: a run in progress at shutdown ends with its context and
// gives its lease back, so the next instance runs the job at once.
func TestJobsShutdown(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := storetest.Open(t, d)
			started := make(chan struct{})
			slow := desk.Job{Name: "slow", Interval: time.Hour, Run: func(ctx context.Context) error {
				close(started)
				<-ctx.Done()
				return ctx.Err()
			}}
			in := startInstance(t, db, "stopping", time.Hour, slow)
			<-started
			in.stop()
			if r := jobRow(t, db, "slow"); r.LeaseOwner != "" || r.Runs != 0 || time.Until(r.NextRunAt) > 0 {
				t.Fatalf("after shutdown: %+v, want no lease, no run recorded, still due", r)
			}
			done := make(chan struct{})
			startInstance(t, db, "next", time.Hour, desk.Job{Name: "slow", Interval: time.Hour, Run: func(ctx context.Context) error {
				close(done)
				return nil
			}})
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the next instance did not run the job")
			}
		})
	}
}
