package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/backup"
	"github.com/servus-desk/servus/internal/blob"
)

func backupCommand() *command {
	return &command{
		name:    "backup",
		summary: "write the database and files into one archive, while servus runs",
		help: `Writes one consistent archive of servus's state: every table of the database
(read in one snapshot, so writes that go on meanwhile are either wholly in it or
not at all) and every file the rows name (attachments, raw mails). servus may
serve and write meanwhile. The archive is written to FILE.partial and renamed to
FILE when complete; it holds password hashes and all personal data: keep it as
safe as the database (it is created readable by its owner only). Progress goes
to stderr. The archive restores into SQLite or PostgreSQL (servus restore).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var out string
			fs.StringVar(&out, "out", "", "archive `file` to write (required)")
			return func(ctx context.Context, e *env) (err error) {
				if err := required("out", out); err != nil {
					return err
				}
				if err := cfg.ValidateStore(); err != nil {
					return &usageError{msg: err.Error()}
				}
				db, blobs, err := app.OpenStorage(ctx, *cfg, logger(cfg, e.stderr))
				if err != nil {
					return err
				}
				defer db.Close()
				partial := out + ".partial"
				f, err := os.OpenFile(partial, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
				if err != nil {
					return err
				}
				defer func() {
					if err != nil {
						f.Close()
						os.Remove(partial)
					}
				}()
				m, err := backup.Write(ctx, db, blobs, f, progressPrinter(e.stderr))
				if err != nil {
					return fmt.Errorf("backup: %w", err)
				}
				if err := f.Sync(); err != nil {
					return err
				}
				if err := f.Close(); err != nil {
					return err
				}
				if err := os.Rename(partial, out); err != nil {
					return err
				}
				if d, err := os.Open(filepath.Dir(out)); err == nil {
					d.Sync()
					d.Close()
				}
				var rows int64
				for _, n := range m.Tables {
					rows += n
				}
				fmt.Fprintf(e.stdout, "backup written to %s: %d rows in %d tables, %d files (%s)\n", out, rows, len(m.Tables), m.Files, blob.HumanSize(m.FileBytes))
				if len(m.MissingFiles) > 0 {
					fmt.Fprintf(e.stderr, "warning: %d files named by the database were not on disk (removed after the snapshot?): %v\n", len(m.MissingFiles), m.MissingFiles)
				}
				return nil
			}
		},
	}
}

func restoreCommand() *command {
	return &command{
		name:    "restore",
		summary: "restore an archive of servus backup into an empty data folder or database",
		help: `Restores an archive written by servus backup into an empty database (a new
--data folder for SQLite, or a new PostgreSQL database with --db) and its files
into <data>/attachments. An archive of SQLite restores into PostgreSQL and back.
The rows are loaded in one transaction, committed only when the archive proved
complete; the search index is built again; then pending migrations are applied.
A restore that fails leaves the database empty, and may simply be run again.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var in string
			fs.StringVar(&in, "in", "", "archive `file` to read (required)")
			return func(ctx context.Context, e *env) error {
				if err := required("in", in); err != nil {
					return err
				}
				if err := cfg.ValidateStore(); err != nil {
					return &usageError{msg: err.Error()}
				}
				f, err := os.Open(in)
				if err != nil {
					return err
				}
				defer f.Close()
				db, blobs, err := app.OpenStorage(ctx, *cfg, logger(cfg, e.stderr))
				if err != nil {
					return err
				}
				defer db.Close()
				m, err := backup.Restore(ctx, db, blobs, f, progressPrinter(e.stderr))
				if err != nil {
					return err
				}
				var rows int64
				for _, n := range m.Tables {
					rows += n
				}
				fmt.Fprintf(e.stdout, "restored %d rows in %d tables and %d files (%s) into %s\n", rows, len(m.Tables), m.Files, blob.HumanSize(m.FileBytes), db.Dialect())
				return nil
			}
		},
	}
}

// progressPrinter prints a backup's or restore's progress as one line on
// w, rewritten in place.
func progressPrinter(w io.Writer) func(backup.Progress) {
	return func(p backup.Progress) {
		switch p.Phase {
		case "tables":
			fmt.Fprintf(w, "\rtables: %s, %d rows          ", p.Table, p.Rows)
		case "files":
			fmt.Fprintf(w, "\rfiles: %d (%s)          ", p.Files, blob.HumanSize(p.FileBytes))
		case "search":
			fmt.Fprintf(w, "\rsearch index: %d texts          ", p.Rows)
		case "done":
			fmt.Fprintln(w)
		}
	}
}
