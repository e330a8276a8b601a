package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestGroupCommitBatches holds the committer inside one write until 40
// more have arrived: they all go into that write's transaction, one commit
// for 41 writes. A write that fails, and one that panics, are rolled back
// to their savepoints alone (the caller gets the error, and the panic
// again); the others are committed; and every caller returns only after
// the commit.
func TestGroupCommitBatches(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c0, w0 := db.WriteStats()
	put := func(tx *Tx, key string) error {
		return tx.PutSetting(ctx, key, "v", time.Unix(0, 0), 0)
	}
	started, release := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- db.Write(ctx, func(tx *Tx) error {
			close(started)
			<-release
			return put(tx, "first")
		})
	}()
	<-started
	const n = 40
	failed := errors.New("refused")
	results := make([]error, n)
	panicked := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() { panicked[i] = recover() }()
			results[i] = db.Write(ctx, func(tx *Tx) error {
				if err := put(tx, fmt.Sprintf("k%02d", i)); err != nil {
					return err
				}
				switch {
				case i == 7:
					panic("boom")
				case i%3 == 0:
					return failed // after writing: the savepoint takes it back
				}
				return nil
			})
		})
	}
	for len(db.group.reqs) < n {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	commits, writes := db.WriteStats()
	if commits-c0 != 1 || writes-w0 != n+1 {
		t.Fatalf("%d commits for %d writes; want 1 for %d", commits-c0, writes-w0, n+1)
	}
	var settings map[string]Setting
	if err := db.Read(ctx, func(tx *Tx) (err error) { settings, err = tx.Settings(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	if _, ok := settings["first"]; !ok {
		t.Error("the first write is missing")
	}
	for i := range n {
		key := fmt.Sprintf("k%02d", i)
		_, stored := settings[key]
		switch {
		case i == 7:
			if panicked[i] != "boom" || stored {
				t.Errorf("write %d panicked: caller got panic %v, stored %v; want the panic and nothing stored", i, panicked[i], stored)
			}
		case i%3 == 0:
			if !errors.Is(results[i], failed) || stored {
				t.Errorf("write %d failed: caller got %v, stored %v; want its error and nothing stored", i, results[i], stored)
			}
		default:
			if results[i] != nil || !stored {
				t.Errorf("write %d: caller got %v, stored %v; want nil and stored", i, results[i], stored)
			}
		}
	}
}

// TestGroupCommitClosed: a write after Close fails at once, and Close
// twice is harmless.
func TestGroupCommitClosed(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := db.Write(ctx, func(tx *Tx) error { return nil }); !errors.Is(err, errClosed) {
		t.Fatalf("write after close: %v", err)
	}
	db.Close()
}
