package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/app"
)

func privacyExportCommand() *command {
	return &command{
		name:    "privacy export",
		summary: "write everything servus holds about a person into a zip file",
		help: `Writes the personal data servus holds about the person with --email into
the zip file --out (GDPR article 15): account.json, tickets.json (the
tickets they requested or are in CC of, as their requester sees them),
entries.json (every entry they wrote, as staff too), mails.json and mail/
(the mails they sent, raw), audit.json (the audit rows they caused or that
name them) and files/ (the files of their tickets); README.txt in the
archive says what each file holds. The export is streamed: a person with
any number of tickets needs little memory. The file is written under a
temporary name and renamed when complete; an existing file is replaced.
Every export is written to the audit log (privacy.export, "(command line)").`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var email, out string
			fs.StringVar(&email, "email", "", "e-mail `address` of the person (required)")
			fs.StringVar(&out, "out", "", "zip `file` to write (required)")
			return func(ctx context.Context, e *env) error {
				if err := required("email", email, "out", out); err != nil {
					return err
				}
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
					if err != nil {
						return err
					}
					tmp := f.Name()
					cw := &countingWriter{w: f}
					_, err = c.Service.ExportPerson(ctx, access.System, email, func() io.Writer { return cw })
					if err == nil {
						err = f.Sync()
					}
					err = errors.Join(err, f.Close())
					if err == nil {
						err = os.Rename(tmp, out)
					}
					if err != nil {
						os.Remove(tmp)
						return err
					}
					fmt.Fprintf(e.stdout, "wrote %s (%d bytes)\n", out, cw.n)
					return nil
				})
			}
		},
	}
}

// countingWriter counts what passes through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
