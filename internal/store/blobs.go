package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/ticket"
)

// blobsMigration creates the tables of the files kept in the database.
const blobsMigration = "0033_blobs.sql"

// Blobs is the database side of a blob.Store that keeps its files in
// the database (blobs and blob_chunks), so that every servus instance on
// one PostgreSQL serves every file. Each blob is written in a transaction
// of its own, beside the one that names it, as files in the data folder
// are: a blob exists before any row refers to it.
type Blobs struct{ db *DB }

var _ blob.Backend = (*Blobs)(nil)

// SharedBlobs returns the database side of a blob store. It creates the
// tables when the database has not been migrated so far (a restore of an
// older backup loads files before it migrates to the latest version); in
// a migrated database it changes nothing.
func (db *DB) SharedBlobs(ctx context.Context) (*Blobs, error) {
	body, err := migrations.ReadFile("migrations/" + db.dialect + "/" + blobsMigration)
	if err != nil {
		return nil, err
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if db.dialect == Postgres {
		// The migrations' lock: two instances starting together do not
		// both create the tables.
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7263512)"); err != nil {
			return nil, err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7263512)")
		var exists bool
		if err := conn.QueryRowContext(ctx, "SELECT to_regclass('blob_chunks') IS NOT NULL").Scan(&exists); err != nil {
			return nil, err
		}
		if exists {
			return &Blobs{db: db}, nil
		}
	}
	if _, err := conn.ExecContext(ctx, string(body)); err != nil {
		return nil, fmt.Errorf("create the file tables: %w", err)
	}
	return &Blobs{db: db}, nil
}

// NewBlob begins a blob: its chunks are written under a temporary name in
// one transaction, renamed to the hash at Commit.
func (b *Blobs) NewBlob(ctx context.Context) (blob.BlobWriter, error) {
	var key [16]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	tx, err := b.db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &blobWriter{db: b.db, tx: tx, ctx: ctx, tmp: "tmp-" + hex.EncodeToString(key[:])}, nil
}

type blobWriter struct {
	db   *DB
	tx   *sql.Tx
	ctx  context.Context
	tmp  string
	done bool
}

func (w *blobWriter) WriteChunk(seq int64, data []byte) error {
	_, err := w.tx.ExecContext(w.ctx, w.db.rebind("INSERT INTO blob_chunks (blob, seq, data) VALUES (?, ?, ?)"), w.tmp, seq, data)
	return err
}

func (w *blobWriter) Commit(hash string, size int64, chunkSize int) error {
	if w.done {
		return errors.New("blob already committed")
	}
	w.done = true
	// A concurrent writer of the same content waits here for the other's
	// commit, then finds the row and keeps the other's chunks.
	res, err := w.tx.ExecContext(w.ctx, w.db.rebind(`INSERT INTO blobs (hash, size, chunk_size, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (hash) DO NOTHING`), hash, size, chunkSize, time.Now().UnixMilli())
	if err != nil {
		w.tx.Rollback()
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		w.tx.Rollback()
		return err // stored before: the new chunks are dropped
	}
	if _, err := w.tx.ExecContext(w.ctx, w.db.rebind("UPDATE blob_chunks SET blob = ? WHERE blob = ?"), hash, w.tmp); err != nil {
		w.tx.Rollback()
		return err
	}
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (w *blobWriter) Abort() {
	if !w.done {
		w.done = true
		w.tx.Rollback()
	}
}

// BlobSize returns the size and chunk size of the blob hash, ENOTFOUND
// when there is none.
func (b *Blobs) BlobSize(ctx context.Context, hash string) (int64, int, error) {
	var size int64
	var chunk int
	err := b.db.read.QueryRowContext(ctx, b.db.rebind("SELECT size, chunk_size FROM blobs WHERE hash = ?"), hash).Scan(&size, &chunk)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, ticket.E(ticket.ENOTFOUND, "err.blob.not_found")
	}
	return size, chunk, err
}

// BlobChunk returns chunk seq of the blob hash.
func (b *Blobs) BlobChunk(ctx context.Context, hash string, seq int64) ([]byte, error) {
	var data []byte
	err := b.db.read.QueryRowContext(ctx, b.db.rebind("SELECT data FROM blob_chunks WHERE blob = ? AND seq = ?"), hash, seq).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("chunk %d of %s is missing", seq, hash)
	}
	return data, err
}

// RemoveBlob deletes the blob hash and its chunks.
func (b *Blobs) RemoveBlob(ctx context.Context, hash string) error {
	tx, err := b.db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, b.db.rebind("DELETE FROM blobs WHERE hash = ?"), hash); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, b.db.rebind("DELETE FROM blob_chunks WHERE blob = ?"), hash); err != nil {
		return err
	}
	return tx.Commit()
}

// Ping checks that the database answers.
func (b *Blobs) Ping(ctx context.Context) error { return b.db.Ping(ctx) }
