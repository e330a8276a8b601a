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
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// ChunkSize is the size of the chunks a shared store keeps a blob in (the
// last chunk may be shorter): reads and writes hold one chunk in memory,
// never a whole file.
const ChunkSize = 1 << 20

// Backend keeps blobs in a database shared by every servus instance
// (store.DB does so on PostgreSQL), in chunks of a fixed size.
type Backend interface {
	// NewBlob begins writing a blob whose hash is not known yet; the
	// chunks become visible to readers only at Commit.
	NewBlob(ctx context.Context) (BlobWriter, error)
	// BlobSize returns the size and chunk size of the blob hash; an
	// ENOTFOUND error when no such blob is stored.
	BlobSize(ctx context.Context, hash string) (size int64, chunkSize int, err error)
	// BlobChunk returns chunk seq (0, 1, …) of the blob hash.
	BlobChunk(ctx context.Context, hash string, seq int64) ([]byte, error)
	// RemoveBlob deletes the blob hash; a missing blob is not an error.
	RemoveBlob(ctx context.Context, hash string) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
}

// BlobWriter is a blob being written.
type BlobWriter interface {
	// WriteChunk stores chunk seq (0, 1, …); every chunk but the last
	// holds exactly chunkSize bytes.
	WriteChunk(seq int64, data []byte) error
	// Commit names the chunks written hash and makes them visible; a blob
	// hash already stored is kept and the new chunks are dropped.
	Commit(hash string, size int64, chunkSize int) error
	// Abort drops the chunks written so far; after Commit it does nothing.
	Abort()
}

// OpenShared returns a Store that keeps files through b and reads files
// that b lacks from the folder dir (where servus kept them before), which
// it creates as Open does. Put writes to b only.
func OpenShared(b Backend, dir string) (*Store, error) {
	s, err := Open(dir)
	if err != nil {
		return nil, err
	}
	s.shared = b
	return s, nil
}

// Shared reports whether s keeps its files in a database.
func (s *Store) Shared() bool { return s.shared != nil }

func (s *Store) putShared(r io.Reader, limit int64) (Info, error) {
	ctx := context.Background()
	w, err := s.shared.NewBlob(ctx)
	if err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	defer w.Abort()
	h := sha256.New()
	var sniff []byte
	buf := make([]byte, ChunkSize)
	lr := io.LimitReader(r, limit+1)
	var size, seq int64
	for {
		n, err := io.ReadFull(lr, buf)
		if n > 0 {
			size += int64(n)
			if size > limit {
				return Info{}, ticket.E(ticket.ETOOLARGE, "err.blob.too_large", HumanSize(limit))
			}
			if sniff == nil {
				sniff = append([]byte(nil), buf[:min(n, sniffLen)]...)
			}
			h.Write(buf[:n])
			if err := w.WriteChunk(seq, buf[:n]); err != nil {
				return Info{}, fmt.Errorf("blob: %w", err)
			}
			seq++
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return Info{}, fmt.Errorf("blob: reading: %w", err)
		}
	}
	info := Info{Hash: hex.EncodeToString(h.Sum(nil)), Size: size, ContentType: http.DetectContentType(sniff)}
	if err := w.Commit(info.Hash, size, ChunkSize); err != nil {
		return Info{}, fmt.Errorf("blob: %w", err)
	}
	return info, nil
}

func (s *Store) openShared(hash string) (*File, error) {
	ctx := context.Background()
	size, chunk, err := s.shared.BlobSize(ctx, hash)
	if err != nil {
		return nil, err
	}
	if chunk < 1 {
		return nil, fmt.Errorf("blob: %s has chunk size %d", hash, chunk)
	}
	return &File{ReadSeeker: &chunkReader{b: s.shared, hash: hash, size: size, chunk: int64(chunk), cur: -1}, size: size}, nil
}

// chunkReader reads a shared blob chunk by chunk, holding one in memory.
type chunkReader struct {
	b     Backend
	hash  string
	size  int64
	chunk int64
	pos   int64
	cur   int64 // seq of data; -1: none
	data  []byte
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if r.pos >= r.size {
		return 0, io.EOF
	}
	seq := r.pos / r.chunk
	if seq != r.cur {
		data, err := r.b.BlobChunk(context.Background(), r.hash, seq)
		if err != nil {
			return 0, fmt.Errorf("blob: reading %s: %w", r.hash, err)
		}
		want := min(r.chunk, r.size-seq*r.chunk)
		if int64(len(data)) != want {
			return 0, fmt.Errorf("blob: %s chunk %d holds %d bytes, want %d", r.hash, seq, len(data), want)
		}
		r.cur, r.data = seq, data
	}
	n := copy(p, r.data[r.pos-seq*r.chunk:])
	r.pos += int64(n)
	return n, nil
}

func (r *chunkReader) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = r.pos + offset
	case io.SeekEnd:
		abs = r.size + offset
	default:
		return 0, errors.New("blob: bad whence")
	}
	if abs < 0 {
		return 0, errors.New("blob: negative position")
	}
	r.pos = abs
	return abs, nil
}

// copiedMarker is the file CopyFolderIn leaves in the folder once it has
// copied everything: a shared store never writes to the folder, so later
// starts need not look at every file again.
const copiedMarker = ".copied-into-database"

// CopyFolderIn copies every file of the store's folder that its database
// lacks into the database, and returns how many it copied. Files whose
// content no longer matches their name are left out and counted in bad.
// The folder's files are left as they are: once this has run on one
// instance, the folder is no longer needed. When it is done it leaves a
// marker file in the folder, and later calls find it and copy nothing
// (remove the marker to copy again, e.g. after putting files back by
// hand). Only a shared store copies; for others it does nothing.
func (s *Store) CopyFolderIn(ctx context.Context) (copied, bad int, err error) {
	if s.shared == nil {
		return 0, 0, nil
	}
	marker := filepath.Join(s.dir, copiedMarker)
	if _, err := os.Stat(marker); err == nil {
		return 0, 0, nil
	}
	err = filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() || !d.Type().IsRegular() || !ValidHash(d.Name()) || filepath.Dir(path) != filepath.Join(s.dir, d.Name()[:2]) {
			return nil
		}
		h := d.Name()
		if _, _, err := s.shared.BlobSize(ctx, h); err == nil {
			return nil
		} else if ticket.ErrorCode(err) != ticket.ENOTFOUND {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		info, err := s.putShared(f, max(fi.Size(), 1))
		if err != nil {
			return err
		}
		if info.Hash != h {
			// The bytes are stored under their true hash, which
			// nothing names; the name they had is left missing.
			bad++
			return nil
		}
		copied++
		return nil
	})
	if err != nil {
		return copied, bad, fmt.Errorf("blob: copying %s into the database: %w", s.dir, err)
	}
	note := fmt.Sprintf("servus copied the files of this folder into its database (%d files, %d damaged) on %s.\n",
		copied, bad, time.Now().UTC().Format(time.RFC3339))
	if err := os.WriteFile(marker, []byte(note), 0o640); err != nil {
		return copied, bad, fmt.Errorf("blob: %w", err)
	}
	return copied, bad, nil
}
