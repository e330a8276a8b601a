// Package backup writes servus's state (database and files) into one
// archive while servus serves, and restores such an archive into an empty
// data folder or database.
//
// The archive is a tar file:
//
//	servus-backup.json          format, dialect, schema version, time
//	tables/NNNN-NAME.PPPP.jsonl.gz  a table's rows, in parts of about 16 MiB
//	files/HASH                  every file the rows name (attachments, raw mail)
//	manifest.json               rows per table, files and bytes: what a restore checks
//
// Rows are JSON arrays in the order of the table's first line (its column
// names); bytes are {"b": base64}. The form is the same for SQLite and
// PostgreSQL, so an archive of one restores into the other (moving an
// installation from SQLite to PostgreSQL is a backup and a restore). The
// search index is not in the archive: a restore builds it again.
//
// Consistency: the rows are read in one snapshot transaction (REPEATABLE
// READ on PostgreSQL, a WAL read transaction on SQLite), so they are one
// state of the database even while servus writes. Files are written before
// the rows that name them are committed and never change, so every file
// the snapshot names is on disk when the backup copies it.
package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/store"
)

// Format is the archive format this servus writes and reads.
const Format = 1

// partSize is the compressed size after which a table's rows continue in a
// new part: a tar entry's size must be known before it is written, so a
// part is held in memory; this bounds that memory.
const partSize = 16 << 20

// Header is the archive's first entry.
type Header struct {
	Format        int       `json:"format"`
	Dialect       string    `json:"dialect"`
	SchemaVersion int       `json:"schema_version"`
	CreatedAt     time.Time `json:"created_at"`
}

// Manifest is the archive's last entry: what a complete archive holds.
type Manifest struct {
	Tables       map[string]int64 `json:"tables"` // rows per table
	Files        int64            `json:"files"`
	FileBytes    int64            `json:"file_bytes"`
	MissingFiles []string         `json:"missing_files,omitempty"` // named by a row but gone from disk
}

// Progress reports how far a backup or restore has come.
type Progress struct {
	Phase     string // "tables", "files", "search", "done"
	Table     string
	Rows      int64
	Files     int64
	FileBytes int64
}

// Write writes an archive of db and blobs to w. progress, if not nil, is
// called now and then (from the calling goroutine).
func Write(ctx context.Context, db *store.DB, blobs *blob.Store, w io.Writer, progress func(Progress)) (*Manifest, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	tw := tar.NewWriter(w)
	now := time.Now().UTC()
	m := &Manifest{Tables: map[string]int64{}}
	var p Progress
	last := time.Now()
	tick := func(force bool) {
		if force || time.Since(last) > 500*time.Millisecond {
			progress(p)
			last = time.Now()
		}
	}
	hashes := map[string]bool{}
	err := db.Snapshot(ctx, func(tx *store.Tx) error {
		version, err := tx.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		if err := writeJSON(tw, "servus-backup.json", now, Header{Format, db.Dialect(), version, now}); err != nil {
			return err
		}
		tables, err := tx.Tables(ctx)
		if err != nil {
			return err
		}
		p.Phase = "tables"
		for i, t := range tables {
			p.Table = t.Name
			blobCols := blobColumns(t)
			part := 0
			var buf bytes.Buffer
			var zw *gzip.Writer
			var enc *json.Encoder
			open := func() error {
				buf.Reset()
				zw = gzip.NewWriter(&buf)
				enc = json.NewEncoder(zw)
				names := make([]string, len(t.Columns))
				for i, c := range t.Columns {
					names[i] = c.Name
				}
				return enc.Encode(names)
			}
			flush := func() error {
				if err := zw.Close(); err != nil {
					return err
				}
				part++
				name := fmt.Sprintf("tables/%04d-%s.%04d.jsonl.gz", i+1, t.Name, part)
				return writeEntry(tw, name, now, buf.Bytes())
			}
			if err := open(); err != nil {
				return err
			}
			rowsInPart := 0
			vals := make([]any, len(t.Columns))
			err := tx.DumpTable(ctx, t, func(row []any) error {
				for j, v := range row {
					if b, ok := v.([]byte); ok {
						vals[j] = map[string]string{"b": base64.StdEncoding.EncodeToString(b)}
					} else {
						vals[j] = v
					}
				}
				for _, j := range blobCols {
					if h, ok := row[j].(string); ok && h != "" {
						hashes[h] = true
					}
				}
				if err := enc.Encode(vals); err != nil {
					return err
				}
				m.Tables[t.Name]++
				p.Rows++
				rowsInPart++
				if rowsInPart%256 == 0 && buf.Len() > partSize {
					if err := flush(); err != nil {
						return err
					}
					rowsInPart = 0
					if err := open(); err != nil {
						return err
					}
				}
				tick(false)
				return ctx.Err()
			})
			if err != nil {
				return err
			}
			if rowsInPart > 0 || part == 0 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	p.Phase, p.Table = "files", ""
	sorted := make([]string, 0, len(hashes))
	for h := range hashes {
		sorted = append(sorted, h)
	}
	sort.Strings(sorted)
	for _, h := range sorted {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := copyFile(tw, blobs, h, now)
		if errors.Is(err, errMissing) {
			m.MissingFiles = append(m.MissingFiles, h)
			continue
		}
		if err != nil {
			return nil, err
		}
		m.Files++
		m.FileBytes += n
		p.Files, p.FileBytes = m.Files, m.FileBytes
		tick(false)
	}
	if err := writeJSON(tw, "manifest.json", now, m); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	p.Phase = "done"
	tick(true)
	return m, nil
}

var errMissing = errors.New("file missing")

// copyFile writes the blob h into the archive as files/h and returns its
// size; errMissing if the blob store does not have it.
func copyFile(tw *tar.Writer, blobs *blob.Store, h string, now time.Time) (int64, error) {
	if !blob.ValidHash(h) {
		return 0, errMissing
	}
	f, err := blobs.Open(h)
	if err != nil {
		return 0, errMissing
	}
	defer f.Close()
	if err := tw.WriteHeader(&tar.Header{Name: "files/" + h, Mode: 0o640, Size: f.Size(), ModTime: now, Typeflag: tar.TypeReg}); err != nil {
		return 0, err
	}
	n, err := io.Copy(tw, f)
	if err == nil && n != f.Size() {
		err = fmt.Errorf("backup: file %s changed size while copied", h)
	}
	return n, err
}

func blobColumns(t store.Table) []int {
	var out []int
	for _, bc := range store.BlobColumns {
		if bc[0] != t.Name {
			continue
		}
		for i, c := range t.Columns {
			if c.Name == bc[1] {
				out = append(out, i)
			}
		}
	}
	return out
}

func writeJSON(tw *tar.Writer, name string, now time.Time, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeEntry(tw, name, now, append(b, '\n'))
}

func writeEntry(tw *tar.Writer, name string, now time.Time, b []byte) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o640, Size: int64(len(b)), ModTime: now, Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err := tw.Write(b)
	return err
}

// Restore loads the archive r into db and blobs. db must hold no users and
// no tickets (a fresh database, or one a crashed restore left); it is
// migrated to the archive's schema version, loaded in one transaction that
// is committed only when every row and file of the manifest arrived, and
// then migrated to this servus's latest version.
func Restore(ctx context.Context, db *store.DB, blobs *blob.Store, r io.Reader, progress func(Progress)) (*Manifest, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	var version int
	var holds bool
	if err := db.Read(ctx, func(tx *store.Tx) (err error) {
		if version, err = tx.SchemaVersion(ctx); err != nil {
			return err
		}
		holds, err = tx.HoldsData(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	if holds {
		return nil, errors.New("restore: the database already holds users or tickets; restore only into an empty database (a new data folder, or a new PostgreSQL database)")
	}

	tr := tar.NewReader(bufio.NewReaderSize(r, 1<<20))
	hdr, err := tr.Next()
	if err != nil {
		return nil, fmt.Errorf("restore: not a servus backup: %w", err)
	}
	if hdr.Name != "servus-backup.json" {
		return nil, fmt.Errorf("restore: not a servus backup (first entry %q)", hdr.Name)
	}
	var head Header
	if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&head); err != nil {
		return nil, fmt.Errorf("restore: backup header: %w", err)
	}
	if head.Format != Format {
		return nil, fmt.Errorf("restore: backup format %d; this servus reads format %d", head.Format, Format)
	}
	if head.SchemaVersion > db.LatestMigration() {
		return nil, fmt.Errorf("restore: the backup comes from a newer servus (schema %d, this one knows %d): restore it with that version", head.SchemaVersion, db.LatestMigration())
	}
	if version > head.SchemaVersion {
		return nil, fmt.Errorf("restore: the empty database is already migrated past the backup's schema (%d > %d): restore into a new database", version, head.SchemaVersion)
	}
	if _, err := db.MigrateTo(ctx, head.SchemaVersion); err != nil {
		return nil, err
	}

	got := &Manifest{Tables: map[string]int64{}}
	var want *Manifest
	var p Progress
	last := time.Now()
	tick := func() {
		if time.Since(last) > 500*time.Millisecond {
			progress(p)
			last = time.Now()
		}
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		tables, err := tx.Tables(ctx)
		if err != nil {
			return err
		}
		byName := map[string]store.Table{}
		for _, t := range tables {
			byName[t.Name] = t
		}
		later := map[string]*deferred{} // "table.column": values set after every table is in
		if err := tx.ClearTables(ctx, tables); err != nil {
			return err
		}
		p.Phase = "tables"
		for {
			hdr, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("restore: archive: %w", err)
			}
			switch {
			case strings.HasPrefix(hdr.Name, "tables/"):
				name := tableOf(hdr.Name)
				t, ok := byName[name]
				if !ok {
					return fmt.Errorf("restore: the backup has a table %q that this schema does not", name)
				}
				p.Table = name
				n, err := loadPart(ctx, tx, t, tr, later, func(rows int64) { p.Rows += rows; tick() })
				if err != nil {
					return err
				}
				got.Tables[name] += n
			case strings.HasPrefix(hdr.Name, "files/"):
				p.Phase = "files"
				h := path.Base(hdr.Name)
				info, err := blobs.Put(tr, max(hdr.Size, 1))
				if err != nil {
					return fmt.Errorf("restore: file %s: %w", h, err)
				}
				if info.Hash != h {
					return fmt.Errorf("restore: file %s is damaged (its content hashes to %s)", h, info.Hash)
				}
				got.Files++
				got.FileBytes += info.Size
				p.Files, p.FileBytes = got.Files, got.FileBytes
				tick()
			case hdr.Name == "manifest.json":
				want = &Manifest{}
				if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(want); err != nil {
					return fmt.Errorf("restore: manifest: %w", err)
				}
			default:
				return fmt.Errorf("restore: unexpected entry %q in the backup", hdr.Name)
			}
		}
		if want == nil {
			return errors.New("restore: the backup is incomplete (no manifest at its end): nothing was restored")
		}
		if err := compare(want, got); err != nil {
			return err
		}
		for _, t := range tables {
			for _, c := range t.Deferred {
				if d := later[t.Name+"."+c]; d != nil {
					if err := tx.SetDeferred(ctx, t, c, d.keys, d.vals); err != nil {
						return err
					}
				}
			}
		}
		if err := tx.FixSequences(ctx, tables); err != nil {
			return err
		}
		p.Phase = "search"
		return tx.RebuildSearch(ctx, func(done int) { p.Rows = int64(done); tick() })
	})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("restore: rows restored, but migrating them to this servus's schema failed: %w", err)
	}
	_ = db.Analyze(ctx)
	p.Phase = "done"
	progress(p)
	return want, nil
}

// tableOf returns the table name of "tables/0003-tickets.0001.jsonl.gz".
func tableOf(name string) string {
	base := strings.TrimSuffix(path.Base(name), ".jsonl.gz")
	if i := strings.IndexByte(base, '-'); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	return base
}

// deferred holds the values of a Deferred column: set once every table is in.
type deferred struct{ keys, vals []any }

// loadPart inserts the rows of one table part and returns how many.
func loadPart(ctx context.Context, tx *store.Tx, t store.Table, r io.Reader, later map[string]*deferred, progress func(int64)) (int64, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return 0, fmt.Errorf("restore %s: %w", t.Name, err)
	}
	dec := json.NewDecoder(zr)
	dec.UseNumber()
	var names []string
	if err := dec.Decode(&names); err != nil {
		return 0, fmt.Errorf("restore %s: column names: %w", t.Name, err)
	}
	// The archive's columns by name: a column the schema has and the archive
	// lacks would be an archive of another schema version.
	idx := make([]int, len(t.Columns))
	pos := map[string]int{}
	for i, n := range names {
		pos[n] = i
	}
	for i, c := range t.Columns {
		j, ok := pos[c.Name]
		if !ok {
			return 0, fmt.Errorf("restore %s: the backup lacks column %s", t.Name, c.Name)
		}
		idx[i] = j
	}
	if len(names) != len(t.Columns) {
		return 0, fmt.Errorf("restore %s: the backup has %d columns, the schema %d", t.Name, len(names), len(t.Columns))
	}
	keyCol := -1
	defer1 := map[int]*deferred{}
	for i, c := range t.Columns {
		if len(t.Key) == 1 && c.Name == t.Key[0] {
			keyCol = i
		}
		for _, d := range t.Deferred {
			if c.Name == d {
				k := t.Name + "." + d
				if later[k] == nil {
					later[k] = &deferred{}
				}
				defer1[i] = later[k]
			}
		}
	}
	if len(defer1) > 0 && keyCol < 0 {
		return 0, fmt.Errorf("restore %s: a deferred column needs a one-column key", t.Name)
	}
	var n int64
	batch := make([][]any, 0, 500)
	for {
		var raw []any
		err := dec.Decode(&raw)
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, fmt.Errorf("restore %s: row %d: %w", t.Name, n+1, err)
		}
		if len(raw) != len(names) {
			return n, fmt.Errorf("restore %s: row %d has %d values, want %d", t.Name, n+1, len(raw), len(names))
		}
		row := make([]any, len(t.Columns))
		for i, c := range t.Columns {
			v, err := value(c.Kind, raw[idx[i]])
			if err != nil {
				return n, fmt.Errorf("restore %s: row %d, %s: %w", t.Name, n+1, c.Name, err)
			}
			row[i] = v
		}
		for i, d := range defer1 {
			if row[i] != nil {
				d.keys = append(d.keys, row[keyCol])
				d.vals = append(d.vals, row[i])
				row[i] = nil
			}
		}
		batch = append(batch, row)
		n++
		if len(batch) == cap(batch) {
			if err := tx.LoadRows(ctx, t, batch); err != nil {
				return n, err
			}
			progress(int64(len(batch)))
			batch = batch[:0]
		}
	}
	if err := tx.LoadRows(ctx, t, batch); err != nil {
		return n, err
	}
	progress(int64(len(batch)))
	return n, zr.Close()
}

// value converts a decoded JSON value to what the column's kind takes.
func value(kind string, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case "int":
		switch x := v.(type) {
		case json.Number:
			return x.Int64()
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case "float":
		if x, ok := v.(json.Number); ok {
			return x.Float64()
		}
	case "bool":
		switch x := v.(type) {
		case bool:
			return x, nil
		case json.Number:
			i, err := x.Int64()
			return i != 0, err
		}
	case "text":
		if x, ok := v.(string); ok {
			return x, nil
		}
	case "bytes":
		if x, ok := v.(map[string]any); ok {
			if s, ok := x["b"].(string); ok {
				return base64.StdEncoding.DecodeString(s)
			}
		}
	}
	return nil, fmt.Errorf("value %v does not fit a %s column", v, kind)
}

// compare checks that a restore received what the manifest says.
func compare(want, got *Manifest) error {
	var diffs []string
	for t, n := range want.Tables {
		if got.Tables[t] != n {
			diffs = append(diffs, fmt.Sprintf("%s: %d rows of %d", t, got.Tables[t], n))
		}
	}
	if got.Files != want.Files || got.FileBytes != want.FileBytes {
		diffs = append(diffs, fmt.Sprintf("files: %d (%d bytes) of %d (%d bytes)", got.Files, got.FileBytes, want.Files, want.FileBytes))
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		return fmt.Errorf("restore: the backup is damaged, nothing was restored: %s", strings.Join(diffs, "; "))
	}
	return nil
}
