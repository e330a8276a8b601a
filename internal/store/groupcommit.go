package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Group commit (SQLite). SQLite writes through one connection, and every
// commit waits for an fsync: one transaction per write caps servus at the
// disk's fsync rate, however many clients wait. So Write on SQLite hands
// its function to one committer goroutine, which runs the functions that
// arrive together in one transaction, each inside its own savepoint, and
// commits them with one fsync. A function that fails is rolled back to its
// savepoint alone; the others commit. Every caller's Write returns only
// after the commit that holds its work (or its failure): durability is what
// it was with one transaction per write.
//
// To a function, the savepoint is its transaction: it sees what the
// functions before it in the batch wrote (as it would have after their
// commits), and nothing it does is visible outside before the commit.

// maxGroup bounds a batch: a larger one delays the first caller's answer
// for little gain in throughput.
const maxGroup = 64

// errGroupAborted is the answer to the functions of a batch whose
// transaction could not go on (a savepoint could not be rolled back, or the
// commit failed): none of them is written, and Write runs them again.
var errGroupAborted = errors.New("store: the group transaction was aborted")

type writeReq struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	err  error
	pnc  any // a panic of fn, raised again in the caller
	done chan error
}

type groupCommitter struct {
	db   *DB
	reqs chan *writeReq // waiting writes, in order of arrival
	quit chan struct{}
	wg   sync.WaitGroup

	mu     sync.RWMutex // senders hold it for reading; stop for writing
	closed bool

	commits, writes atomic.Int64 // WriteStats
}

func startGroupCommit(db *DB) *groupCommitter {
	g := &groupCommitter{db: db, reqs: make(chan *writeReq, 4*maxGroup), quit: make(chan struct{})}
	g.wg.Add(1)
	go g.loop()
	return g
}

// stop ends the committer after the batch in hand; writes still waiting,
// and later ones, fail with errClosed. Calling it again does nothing.
func (g *groupCommitter) stop() {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return
	}
	g.closed = true
	g.mu.Unlock()
	close(g.quit)
	g.wg.Wait()
}

// WriteStats reports how many write transactions SQLite committed and how
// many Write calls they held: writes/commits is what group commit gained.
// Both are 0 on PostgreSQL, where each Write is its own transaction.
func (db *DB) WriteStats() (commits, writes int64) {
	if db.group == nil {
		return 0, 0
	}
	return db.group.commits.Load(), db.group.writes.Load()
}

var errClosed = errors.New("store: database closed")

// write runs fn in the next group transaction and returns when it is
// committed (nil) or failed (fn's error, or a database fault).
func (g *groupCommitter) write(ctx context.Context, fn func(tx *Tx) error) error {
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return errClosed
	}
	select {
	case g.reqs <- r:
		g.mu.RUnlock()
	case <-ctx.Done():
		g.mu.RUnlock()
		return ctx.Err()
	}
	// Once taken, the request runs or fails with its context; its answer
	// is awaited whatever happens, so that a caller never believes a
	// committed write failed.
	err := <-r.done
	if r.pnc != nil {
		panic(r.pnc)
	}
	return err
}

func (g *groupCommitter) loop() {
	defer g.wg.Done()
	for {
		var first *writeReq
		select {
		case first = <-g.reqs:
		case <-g.quit:
			for {
				select {
				case r := <-g.reqs:
					r.done <- errClosed
				default:
					return
				}
			}
		}
		g.batch(first)
	}
}

// batch runs first and whatever else is waiting in one transaction.
func (g *groupCommitter) batch(first *writeReq) {
	db := g.db
	sqlTx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		first.done <- fmt.Errorf("begin: %w", err)
		return
	}
	tx := &Tx{db: db, tx: sqlTx}
	batch := []*writeReq{first}
	ok := g.runOne(tx, first)
	for ok && len(batch) < maxGroup {
		var r *writeReq
		select {
		case r = <-g.reqs:
		default:
		}
		if r == nil {
			break
		}
		batch = append(batch, r)
		ok = g.runOne(tx, r)
	}
	if !ok {
		sqlTx.Rollback()
		for _, r := range batch {
			if r.err == nil {
				r.err = errGroupAborted
			}
			r.done <- r.err
		}
		return
	}
	if err := sqlTx.Commit(); err != nil {
		err = fmt.Errorf("commit: %w", err)
		for _, r := range batch {
			if r.err == nil {
				r.err = err
			}
			r.done <- r.err
		}
		return
	}
	g.commits.Add(1)
	g.writes.Add(int64(len(batch)))
	for _, r := range batch {
		r.done <- r.err
	}
}

// runOne runs r's function inside a savepoint of tx, rolling back to it if
// the function fails. It reports false when the transaction cannot go on.
func (g *groupCommitter) runOne(tx *Tx, r *writeReq) bool {
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return true
	}
	if _, err := tx.tx.ExecContext(context.Background(), "SAVEPOINT w"); err != nil {
		r.err = fmt.Errorf("begin: %w", err)
		return false
	}
	r.err = g.call(tx, r)
	if r.err != nil {
		if _, err := tx.tx.ExecContext(context.Background(), "ROLLBACK TO w"); err != nil {
			return false
		}
	}
	if _, err := tx.tx.ExecContext(context.Background(), "RELEASE w"); err != nil {
		if r.err == nil {
			r.err = errGroupAborted
		}
		return false
	}
	return true
}

// call runs the function; a panic in it rolls its work back and is raised
// again in its caller (the committer survives to answer the others).
func (g *groupCommitter) call(tx *Tx, r *writeReq) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.pnc = p
			err = fmt.Errorf("store: write panicked: %v", p)
		}
	}()
	return r.fn(tx)
}
