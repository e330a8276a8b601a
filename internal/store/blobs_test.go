package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// sharedStore opens a blob store that keeps its files in a fresh
// PostgreSQL database, with dir as its folder.
func sharedStore(t testing.TB, dir string) (*sql.DB, *blob.Store) {
	t.Helper()
	url := storetest.PostgresURL(t)
	db, err := store.Open(context.Background(), url, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	b, err := db.SharedBlobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s, err := blob.OpenShared(b, dir)
	if err != nil {
		t.Fatal(err)
	}
	return raw, s
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func hashOf(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func countRows(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSharedBlobsRoundTrip: files of every size around the chunk size come
// back byte for byte from the database, also read from an offset (range
// requests), stored once however often they are put, and gone after
// Remove; nothing is written to the folder.
func TestSharedBlobsRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, s := sharedStore(t, dir)
	if !s.Shared() {
		t.Fatal("Shared() = false, want true")
	}
	sizes := []int{0, 1, 512, blob.ChunkSize - 1, blob.ChunkSize, blob.ChunkSize + 1, 2*blob.ChunkSize + 12345}
	for i, n := range sizes {
		data := randomBytes(n, uint64(i))
		info, err := s.Put(bytes.NewReader(data), 10<<20)
		if err != nil {
			t.Fatalf("Put %d bytes: %v", n, err)
		}
		if info.Hash != hashOf(data) || info.Size != int64(n) {
			t.Fatalf("Put %d bytes: got %s/%d, want %s/%d", n, info.Hash, info.Size, hashOf(data), n)
		}
		if _, err := s.Put(bytes.NewReader(data), 10<<20); err != nil {
			t.Fatalf("Put %d bytes again: %v", n, err)
		}
		f, err := s.Open(info.Hash)
		if err != nil {
			t.Fatalf("Open %d bytes: %v", n, err)
		}
		got, err := io.ReadAll(f)
		if err != nil || !bytes.Equal(got, data) || f.Size() != int64(n) {
			t.Fatalf("read %d bytes: got %d bytes (size %d, err %v), want the %d put", n, len(got), f.Size(), err, n)
		}
		if n > 10 {
			off := int64(n) - int64(n)/3
			if _, err := f.Seek(off, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			tail, err := io.ReadAll(f)
			if err != nil || !bytes.Equal(tail, data[off:]) {
				t.Fatalf("read %d bytes from %d: got %d bytes (%v), want %d", n, off, len(tail), err, int64(n)-off)
			}
		}
		f.Close()
	}
	if got, want := countRows(t, db, "blobs"), len(sizes); got != want {
		t.Errorf("blobs rows: got %d, want %d (each content once)", got, want)
	}
	if got, want := countRows(t, db, "blob_chunks"), 0+1+1+1+1+2+3; got != want {
		t.Errorf("blob_chunks rows: got %d, want %d", got, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("the folder holds %d entries, want none", len(entries))
	}
	big := randomBytes(2*blob.ChunkSize+1, 99)
	if _, err := s.Put(bytes.NewReader(big), 2*blob.ChunkSize); ticket.ErrorCode(err) != ticket.ETOOLARGE {
		t.Errorf("Put over the limit: got %v, want ETOOLARGE", err)
	}
	if got, want := countRows(t, db, "blob_chunks"), 9; got != want {
		t.Errorf("blob_chunks rows after a refused Put: got %d, want %d (nothing left of it)", got, want)
	}
	h := hashOf(randomBytes(sizes[6], 6))
	if err := s.Remove(h); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(h); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("Open after Remove: got %v, want ENOTFOUND", err)
	}
	if got, want := countRows(t, db, "blob_chunks"), 6; got != want {
		t.Errorf("blob_chunks rows after Remove: got %d, want %d", got, want)
	}
}

// TestSharedBlobsConcurrentSameContent: instances storing the same file at
// once keep one copy, and every one of them gets its hash.
func TestSharedBlobsConcurrentSameContent(t *testing.T) {
	t.Parallel()
	db, s := sharedStore(t, t.TempDir())
	data := randomBytes(blob.ChunkSize+100, 7)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			info, err := s.Put(bytes.NewReader(data), 10<<20)
			if err == nil && info.Hash != hashOf(data) {
				err = io.ErrShortWrite
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Put %d: %v", i, err)
		}
	}
	if got := countRows(t, db, "blob_chunks"); got != 2 {
		t.Errorf("blob_chunks rows: got %d, want 2", got)
	}
}

// TestSharedBlobsFromFolder: an installation that kept its files in the
// data folder reads them at once through the fallback, and CopyFolderIn
// moves them into the database (a damaged file is counted, not copied
// under its name), after which the folder is no longer needed.
func TestSharedBlobsFromFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for i := range 3 {
		info, err := old.Put(bytes.NewReader(randomBytes(1000+i*blob.ChunkSize, uint64(10+i))), 10<<20)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, info.Hash)
	}
	damaged := hashOf([]byte("what the name says"))
	if err := os.MkdirAll(filepath.Join(dir, damaged[:2]), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, damaged[:2], damaged), []byte("something else"), 0o640); err != nil {
		t.Fatal(err)
	}
	db, s := sharedStore(t, dir)
	for _, h := range hashes {
		f, err := s.Open(h)
		if err != nil {
			t.Fatalf("Open %s through the fallback: %v", h, err)
		}
		f.Close()
	}
	copied, bad, err := s.CopyFolderIn(context.Background())
	if err != nil || copied != 3 || bad != 1 {
		t.Fatalf("CopyFolderIn: got %d copied, %d damaged, %v; want 3, 1, nil", copied, bad, err)
	}
	if copied, _, err := s.CopyFolderIn(context.Background()); err != nil || copied != 0 {
		t.Fatalf("CopyFolderIn again: got %d copied, %v; want 0, nil", copied, err)
	}
	// The marker makes later starts skip the folder; without it, a walk
	// finds everything in the database already.
	if err := os.Remove(filepath.Join(dir, ".copied-into-database")); err != nil {
		t.Fatalf("no marker after the copy: %v", err)
	}
	if copied, bad, err := s.CopyFolderIn(context.Background()); err != nil || copied != 0 || bad != 1 {
		t.Fatalf("CopyFolderIn without the marker: got %d copied, %d damaged, %v; want 0, 1, nil", copied, bad, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for i, h := range hashes {
		f, err := s.Open(h)
		if err != nil {
			t.Fatalf("Open %s after the folder is gone: %v", h, err)
		}
		got, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(got, randomBytes(1000+i*blob.ChunkSize, uint64(10+i))) {
			t.Errorf("file %d: content differs after the copy", i)
		}
	}
	if _, err := s.Open(damaged); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("Open of the damaged file: got %v, want ENOTFOUND", err)
	}
	if got := countRows(t, db, "blobs"); got != 4 {
		t.Errorf("blobs rows: got %d, want 4 (three files and the damaged one's true content)", got)
	}
}

// BenchmarkSharedBlobs measures storing and reading a file through
// PostgreSQL and through the folder (b.SetBytes: MB/s is the figure).
func BenchmarkSharedBlobs(b *testing.B) {
	data := randomBytes(8<<20, 1)
	for _, where := range []string{"postgres", "folder"} {
		var s *blob.Store
		if where == "postgres" {
			_, s = sharedStore(b, b.TempDir())
		} else {
			var err error
			if s, err = blob.Open(b.TempDir()); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(where+"/put", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for i := 0; b.Loop(); i++ {
				data[0] = byte(i) // new content each time: no dedupe
				data[1] = byte(i >> 8)
				if _, err := s.Put(bytes.NewReader(data), 16<<20); err != nil {
					b.Fatal(err)
				}
			}
		})
		info, err := s.Put(bytes.NewReader(data), 16<<20)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(where+"/read", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				f, err := s.Open(info.Hash)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, f); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}
