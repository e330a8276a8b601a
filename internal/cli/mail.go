package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/intake"
)

// tempError is a temporary failure: exit code ExitTempFail.
type tempError struct{ err error }

func (e *tempError) Error() string { return e.err.Error() }
func (e *tempError) Unwrap() error { return e.err }

// deliverTimeout bounds servus mail deliver, so that a database that does
// not answer ends in a temporary failure rather than a hung pipe.
const deliverTimeout = 5 * time.Minute

func mailDeliverCommand() *command {
	return &command{
		name:    "mail deliver",
		summary: "take one mail from standard input into the tickets",
		help: `Reads one raw mail (RFC 5322) from standard input, stores it and makes it a
ticket or an entry, as mail arriving over LMTP or IMAP would. For a mail
server's pipe alias, e.g. in /etc/aliases:

    servicedesk: "|/usr/local/bin/servus mail deliver --data /var/lib/servus --to servicedesk@example.org"

Prints the outcome as JSON on stdout: {"outcome": "created", "ticket": 12,
"entry": 40, "inbound": 7}. Exit code 0 once the mail is stored, even when
processing it failed (it waits in the failed-mail list); 75 on a temporary
failure (the database does not answer, the disk is full), so that the mail
server keeps the mail and tries again; 1 for a mail that can never be taken
(empty, larger than 50 MiB).`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var to string
			fs.StringVar(&to, "to", "", "the `address` the mail was sent to; chooses the queue by its functional address (default: Delivered-To, To, Cc)")
			fs.StringVar(&cfg.SubjectPrefix, "subject-prefix", cfg.SubjectPrefix, "`tag` before the ticket number in mail subjects, as servus serve has it")
			fs.Var((*durationFlag)(&cfg.Inbound.ReopenGrace), "reopen-grace", "a reply reopens a closed ticket within this `duration` after closing, as servus serve has it")
			return func(ctx context.Context, e *env) error {
				if err := cfg.ValidateStore(); err != nil {
					return &usageError{msg: err.Error()}
				}
				raw, err := intake.ReadMessage(e.stdin)
				if err != nil {
					if intake.Permanent(err) {
						return err
					}
					return &tempError{err}
				}
				ctx, cancel := context.WithTimeout(ctx, deliverTimeout)
				defer cancel()
				core, err := app.Open(ctx, *cfg, logger(cfg, e.stderr))
				if err != nil {
					return &tempError{err}
				}
				defer core.Close()
				r, err := intake.Deliver(ctx, core.Service, bytes.NewReader(raw), to)
				if err != nil {
					if intake.Permanent(err) {
						return err
					}
					return &tempError{err}
				}
				out, _ := json.Marshal(r)
				fmt.Fprintln(e.stdout, string(out))
				return nil
			}
		},
	}
}

// durationFlag is a flag.Value read by time.ParseDuration.
type durationFlag time.Duration

func (d *durationFlag) String() string { return time.Duration(*d).String() }

func (d *durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("not a duration (want e.g. 720h)")
	}
	*d = durationFlag(v)
	return nil
}
