// Package blob stores attachment bytes by content hash: on disk, a file with
// SHA-256 h lives at <dir>/<h[:2]>/<h>; a shared store (OpenShared) keeps
// them in a database through a Backend instead (shared.go), in chunks.
// Identical uploads share one file.
// Files are written to a temporary name in dir, fsynced and renamed into
// place, so a reader never sees a partial blob and a crash leaves at most a
// stray temporary file (cleaned up by Open after a day).
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

const (
	tempPrefix = ".tmp-"
	sniffLen   = 512
	staleTemp  = 24 * time.Hour
)

// Store keeps files under a folder, or in a database through a Backend
// (OpenShared), named by their SHA-256. It is safe for concurrent use, also
// by several processes sharing the folder or the database.
type Store struct {
	dir    string
	shared Backend // nil: the folder holds the files
}

// Info describes a stored blob.
type Info struct {
	Hash        string // lowercase hex SHA-256 of the content
	Size        int64  // bytes
	ContentType string // sniffed with http.DetectContentType, never the client's claim
}

// Open returns a Store in dir, creating it (mode 0o750) if needed, and
// removes temporary files that crashed uploads left behind more than a day
// ago. It returns an internal (non-ticket) error if dir cannot be created or
// is not a directory.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("blob: %s is not a directory", dir)
	}
	s := &Store{dir: dir}
	s.removeStaleTemps(time.Now().Add(-staleTemp))
	return s, nil
}

// removeStaleTemps deletes temporary files last modified before cutoff.
// Failures are ignored: a leftover file costs only space.
func (s *Store) removeStaleTemps(cutoff time.Time) {
	matches, _ := filepath.Glob(filepath.Join(s.dir, tempPrefix+"*"))
	for _, m := range matches {
		if fi, err := os.Lstat(m); err == nil && fi.Mode().IsRegular() && fi.ModTime().Before(cutoff) {
			_ = os.Remove(m)
		}
	}
}

// Put stores the bytes of r and returns their Info. It reads at most limit+1
// bytes: content longer than limit (which must be positive) is discarded and
// Put returns an ETOOLARGE error naming the limit in human units ("25 MiB").
// Content already stored is not written twice. Read and file-system failures
// return internal (non-ticket) errors, as does a limit below 1.
func (s *Store) Put(r io.Reader, limit int64) (Info, error) {
	if limit < 1 {
		return Info{}, fmt.Errorf("blob: limit %d must be positive", limit)
	}
	if s.shared != nil {
		return s.putShared(r, limit)
	}
	tmp, err := os.CreateTemp(s.dir, tempPrefix+"*")
	if err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	tmpName := tmp.Name()
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmpName)
		}
	}()

	h := sha256.New()
	sniff := &prefixWriter{max: sniffLen}
	n, err := io.Copy(io.MultiWriter(tmp, h, sniff), io.LimitReader(r, limit+1))
	if err != nil {
		return Info{}, fmt.Errorf("blob: writing %s: %w", tmpName, err)
	}
	if n > limit {
		return Info{}, ticket.E(ticket.ETOOLARGE, "err.blob.too_large", HumanSize(limit))
	}
	info := Info{Hash: hex.EncodeToString(h.Sum(nil)), Size: n, ContentType: http.DetectContentType(sniff.buf)}

	if err := tmp.Chmod(0o640); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}

	final := s.path(info.Hash)
	if _, err := os.Stat(final); err == nil {
		return info, nil // dedupe: the deferred func removes the temp file
	}
	fan := filepath.Dir(final)
	newFan := false
	if _, err := os.Stat(fan); errors.Is(err, fs.ErrNotExist) {
		newFan = true
	}
	if err := os.MkdirAll(fan, 0o750); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	// Rename replaces atomically: if another Put of the same content won
	// the race, the bytes it wrote are identical.
	if err := os.Rename(tmpName, final); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	done = true
	if err := syncDir(fan); err != nil {
		return Info{}, err
	}
	if newFan {
		if err := syncDir(s.dir); err != nil {
			return Info{}, err
		}
	}
	return info, nil
}

// File is an open blob: it reads, seeks and knows its size.
type File struct {
	io.ReadSeeker
	closer io.Closer
	size   int64
}

// Size is the blob's length in bytes.
func (f *File) Size() int64 { return f.size }

// Close releases the file.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// Open opens the blob with the given hash for reading. The caller closes the
// file. It returns an ENOTFOUND error when hash is not 64 lowercase hex
// digits or no such blob exists, and an internal (non-ticket) error for other
// file-system or database failures. A shared store that lacks the blob
// looks in its folder too (files stored there before the database held
// them).
func (s *Store) Open(hash string) (*File, error) {
	if !ValidHash(hash) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.blob.not_found")
	}
	if s.shared != nil {
		f, err := s.openShared(hash)
		if ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return f, err
		}
	}
	f, err := os.Open(s.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.blob.not_found")
	} else if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &File{ReadSeeker: f, closer: f, size: fi.Size()}, nil
}

// Remove deletes the blob with the given hash; a missing blob is not an
// error. The caller must know that no attachment refers to it any more. It
// returns an EINVALID error when hash is not 64 lowercase hex digits and an
// internal (non-ticket) error for file-system failures.
func (s *Store) Remove(hash string) error {
	if !ValidHash(hash) {
		return ticket.E(ticket.EINVALID, "err.blob.bad_hash", hash)
	}
	if s.shared != nil {
		if err := s.shared.RemoveBlob(context.Background(), hash); err != nil {
			return fmt.Errorf("blob: %w", err)
		}
	}
	if err := os.Remove(s.path(hash)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: %w", err)
	}
	return nil
}

// ValidHash reports whether hash is a lowercase hex SHA-256 (64 characters),
// the only form Store accepts, so a hash can never name a path outside the
// store. It returns no error.
func ValidHash(hash string) bool {
	if len(hash) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(hash); i++ {
		c := hash[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func (s *Store) path(hash string) string {
	return filepath.Join(s.dir, hash[:2], hash)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("blob: syncing %s: %w", dir, err)
	}
	return nil
}

// prefixWriter keeps the first max bytes written to it.
type prefixWriter struct {
	buf []byte
	max int
}

func (w *prefixWriter) Write(p []byte) (int, error) {
	if room := w.max - len(w.buf); room > 0 {
		w.buf = append(w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// HumanSize formats n bytes in binary units for messages, e.g. "25 MiB",
// "1.5 KiB" or "512 bytes". It returns no error.
func HumanSize(n int64) string {
	const unit = 1024
	if n < unit {
		if n == 1 {
			return "1 byte"
		}
		return fmt.Sprintf("%d bytes", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v, i := float64(n)/unit, 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + units[i]
}

// Writable checks that a file can be created, written and removed in the
// store's folder (a readiness probe: a full disk or a read-only mount
// fails it); a shared store asks its database instead. Its error is an
// internal (non-ticket) one.
func (s *Store) Writable() error {
	if s.shared != nil {
		return s.shared.Ping(context.Background())
	}
	tmp, err := os.CreateTemp(s.dir, tempPrefix+"probe-*")
	if err != nil {
		return fmt.Errorf("blob: %w", err)
	}
	_, werr := tmp.Write([]byte("ok\n"))
	cerr := tmp.Close()
	rerr := os.Remove(tmp.Name())
	if err := errors.Join(werr, cerr, rerr); err != nil {
		return fmt.Errorf("blob: probing %s: %w", s.dir, err)
	}
	return nil
}
