package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/errtext"
	"github.com/servus-desk/servus/internal/ticket"
)

func openStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "attachments")
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	return s, dir
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// files lists the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenCreatesDir(t *testing.T) {
	_, dir := openStore(t)
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatalf("got error %v, want the folder", err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o750)&^umask(t); got != want {
		t.Errorf("mode: got %v, want %v", got, want)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(file); err == nil {
		t.Errorf("Open(a file): got nil error, want one")
	}
}

// umask returns the process umask as seen by a fresh directory.
func umask(t *testing.T) os.FileMode {
	t.Helper()
	d := filepath.Join(t.TempDir(), "probe")
	if err := os.Mkdir(d, 0o777); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(d)
	if err != nil {
		t.Fatal(err)
	}
	return 0o777 &^ fi.Mode().Perm()
}

func TestPutOpenRoundtrip(t *testing.T) {
	s, dir := openStore(t)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"text", []byte("Mein Drucker druckt nicht.\n")},
		{"binary", bytes.Repeat([]byte{0, 1, 2, 255}, 10000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := s.Put(bytes.NewReader(tt.data), 1<<20)
			if err != nil {
				t.Fatalf("Put: got error %v, want nil", err)
			}
			if want := sha(tt.data); info.Hash != want {
				t.Errorf("hash: got %s, want %s", info.Hash, want)
			}
			if info.Size != int64(len(tt.data)) {
				t.Errorf("size: got %d, want %d", info.Size, len(tt.data))
			}
			if _, err := os.Stat(filepath.Join(dir, info.Hash[:2], info.Hash)); err != nil {
				t.Errorf("fan-out path: got %v, want the file", err)
			}
			f, err := s.Open(info.Hash)
			if err != nil {
				t.Fatalf("Open: got error %v, want nil", err)
			}
			defer f.Close()
			got, err := io.ReadAll(f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Errorf("content: got %d bytes, want %d bytes equal to the input", len(got), len(tt.data))
			}
		})
	}
	for _, f := range files(t, dir) {
		if strings.HasPrefix(filepath.Base(f), tempPrefix) {
			t.Errorf("got leftover temp file %s, want none", f)
		}
	}
}

func TestPutDedupe(t *testing.T) {
	s, dir := openStore(t)
	data := []byte("same bytes")
	a, err := s.Put(bytes.NewReader(data), 100)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(bytes.NewReader(data), 100)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("got %+v and %+v, want equal infos", a, b)
	}
	if got, want := files(t, dir), []string{filepath.Join(a.Hash[:2], a.Hash)}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("files: got %v, want %v", got, want)
	}
}

func TestPutLimit(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		limit   int64
		wantErr string // ticket code, "" for success
		wantMsg string
	}{
		{"under", 99, 100, "", ""},
		{"exactly at", 100, 100, "", ""},
		{"one over", 101, 100, ticket.ETOOLARGE, "100 bytes"},
		{"far over", 5 << 20, 1 << 20, ticket.ETOOLARGE, "1 MiB"},
		{"empty at 1", 0, 1, "", ""},
		{"25 MiB", 25<<20 + 1, 25 << 20, ticket.ETOOLARGE, "25 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir := openStore(t)
			info, err := s.Put(bytes.NewReader(make([]byte, tt.size)), tt.limit)
			if got := ticket.ErrorCode(err); got != tt.wantErr {
				t.Fatalf("got code %q (%v), want %q", got, err, tt.wantErr)
			}
			if tt.wantErr != "" {
				if msg := errtext.Message("en", err); !strings.Contains(msg, tt.wantMsg) {
					t.Errorf("message: got %q, want it to contain %q", msg, tt.wantMsg)
				}
				if got := files(t, dir); len(got) != 0 {
					t.Errorf("files after rejection: got %v, want none", got)
				}
				return
			}
			if info.Size != int64(tt.size) {
				t.Errorf("size: got %d, want %d", info.Size, tt.size)
			}
		})
	}
	s, _ := openStore(t)
	if _, err := s.Put(strings.NewReader("x"), 0); err == nil {
		t.Errorf("limit 0: got nil error, want one")
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	r.n--
	return copy(p, "abc"), nil
}

func TestPutReadErrorLeavesNothing(t *testing.T) {
	s, dir := openStore(t)
	if _, err := s.Put(&failingReader{n: 3}, 1<<20); err == nil {
		t.Fatalf("got nil error, want the read error")
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files: got %v, want none", got)
	}
}

func TestPutSniffs(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"png", png, "image/png"},
		{"text", []byte("Hallo, mein Passwort geht nicht.\n"), "text/plain; charset=utf-8"},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "text/html; charset=utf-8"},
		{"pdf", []byte("%PDF-1.7\n..."), "application/pdf"},
		{"binary", []byte{0, 1, 2, 3, 0xfe}, "application/octet-stream"},
		{"empty", nil, "text/plain; charset=utf-8"},
		{"html after 512 bytes is text", append(bytes.Repeat([]byte(" x"), 300), "<html>"...), "text/plain; charset=utf-8"},
	}
	s, _ := openStore(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// iotest-style one-byte reads prove sniffing spans Write calls.
			info, err := s.Put(&oneByteReader{r: bytes.NewReader(tt.data)}, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if info.ContentType != tt.want {
				t.Errorf("got %q, want %q", info.ContentType, tt.want)
			}
		})
	}
}

type oneByteReader struct{ r io.Reader }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return r.r.Read(p[:1])
}

func TestHashValidation(t *testing.T) {
	s, dir := openStore(t)
	info, err := s.Put(strings.NewReader("secret"), 100)
	if err != nil {
		t.Fatal(err)
	}
	// A file outside the store that traversal would reach.
	if err := os.WriteFile(filepath.Join(filepath.Dir(dir), "x"), []byte("outside"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hash string
		wantCode   string
	}{
		{"valid", info.Hash, ""},
		{"traversal", "../x", ticket.ENOTFOUND},
		{"traversal padded", "../x" + strings.Repeat("0", 60), ticket.ENOTFOUND},
		{"absolute", "/etc/passwd", ticket.ENOTFOUND},
		{"uppercase", strings.ToUpper(info.Hash), ticket.ENOTFOUND},
		{"short", info.Hash[:63], ticket.ENOTFOUND},
		{"long", info.Hash + "0", ticket.ENOTFOUND},
		{"empty", "", ticket.ENOTFOUND},
		{"non-hex", strings.Repeat("g", 64), ticket.ENOTFOUND},
		{"missing", strings.Repeat("0", 64), ticket.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := s.Open(tt.hash)
			if f != nil {
				f.Close()
			}
			if got := ticket.ErrorCode(err); got != tt.wantCode {
				t.Errorf("Open(%q): got code %q (%v), want %q", tt.hash, got, err, tt.wantCode)
			}
		})
	}
}

func TestRemove(t *testing.T) {
	s, _ := openStore(t)
	info, err := s.Put(strings.NewReader("to be removed"), 100)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hash string
		wantCode   string
	}{
		{"existing", info.Hash, ""},
		{"already gone", info.Hash, ""},
		{"never stored", strings.Repeat("a", 64), ""},
		{"traversal", "../../etc/passwd", ticket.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ticket.ErrorCode(s.Remove(tt.hash)); got != tt.wantCode {
				t.Errorf("got code %q, want %q", got, tt.wantCode)
			}
		})
	}
	if _, err := s.Open(info.Hash); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Errorf("Open after Remove: got %v, want %s", err, ticket.ENOTFOUND)
	}
}

func TestConcurrentPutSameContent(t *testing.T) {
	s, dir := openStore(t)
	data := bytes.Repeat([]byte("concurrent "), 10000)
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	infos := make([]Info, n)
	for i := range n {
		wg.Go(func() { infos[i], errs[i] = s.Put(bytes.NewReader(data), 1<<20) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("Put %d: got error %v, want nil", i, errs[i])
		}
		if infos[i] != infos[0] {
			t.Errorf("Put %d: got %+v, want %+v", i, infos[i], infos[0])
		}
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("files: got %v, want exactly one", got)
	}
	f, err := s.Open(sha(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := io.ReadAll(f); !bytes.Equal(got, data) {
		t.Errorf("content: got %d bytes, want the %d input bytes", len(got), len(data))
	}
}

func TestOpenRemovesStaleTemps(t *testing.T) {
	_, dir := openStore(t)
	stale := filepath.Join(dir, tempPrefix+"old")
	fresh := filepath.Join(dir, tempPrefix+"new")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want bool
	}{
		{stale, false},
		{fresh, true},
	}
	for _, tt := range tests {
		_, err := os.Stat(tt.path)
		if got := err == nil; got != tt.want {
			t.Errorf("%s exists: got %v, want %v", filepath.Base(tt.path), got, tt.want)
		}
	}
}

func TestHumanSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"},
		{1, "1 byte"},
		{1023, "1023 bytes"},
		{1024, "1 KiB"},
		{1536, "1.5 KiB"},
		{25 << 20, "25 MiB"},
		{10 << 30, "10 GiB"},
	}
	for _, tt := range tests {
		if got := HumanSize(tt.n); got != tt.want {
			t.Errorf("HumanSize(%d): got %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestWritable: the readiness probe passes in a usable folder, leaves
// nothing behind, and fails once the folder is gone.
func TestWritable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "attachments")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Writable(); err != nil {
		t.Fatalf("Writable in a fresh folder: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the probe left %d files behind", len(left))
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Writable(); err == nil {
		t.Fatalf("Writable with the folder replaced by a file: got nil, want an error")
	}
}
