package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// storeConfig is the Config of a command that opens the database but does
// not serve: --data, --db and the log flags, logging only warnings by
// default so that results on stdout stand alone.
func storeConfig(fs *flag.FlagSet) *config.Config {
	cfg := config.Default()
	cfg.LogLevel = slog.LevelWarn
	cfg.StoreFlags(fs)
	cfg.LogFlags(fs)
	return &cfg
}

// withCore validates cfg, opens servus's state (migrating the database) and
// runs fn with it.
func withCore(ctx context.Context, e *env, cfg *config.Config, fn func(c *app.Core) error) (err error) {
	if err := cfg.ValidateStore(); err != nil {
		return &usageError{msg: err.Error()}
	}
	core, err := app.Open(ctx, *cfg, logger(cfg, e.stderr))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := core.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close database: %w", cerr)
		}
	}()
	return fn(core)
}

func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "run the servus web server",
		help: `Serves servus over HTTP until interrupted (SIGINT or SIGTERM), then finishes
the requests in flight and stops. Applies pending database migrations at start.
Without --db the database is SQLite in the --data folder; --db postgres://…
uses PostgreSQL. Attachments are kept in <data>/attachments in either case.
Logs go to stderr; the line "listening addr=HOST:PORT" gives the real address.

With --smtp-url servus mails its notifications (receipts, messages, questions,
resolutions to requesters; requester actions to the assignee or queue; watchers)
through that server, retrying with back-off while it is down. Without it they
wait in the outbox, which admins see at GET /api/v1/outbox.

Settings come from the flags, then the SERVUS_* environment variables, then
the --config file ("name = value" lines named like the flags, e.g.
"addr = 0.0.0.0:8080"; lines starting with # are comments), then defaults.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := config.Default()
			var file string
			cfg.StoreFlags(fs)
			cfg.ServeFlags(fs)
			cfg.LogFlags(fs)
			config.FileFlag(fs, &file)
			return func(ctx context.Context, e *env) error {
				if err := cfg.Validate(); err != nil {
					return &usageError{msg: err.Error()}
				}
				return app.Run(ctx, cfg, e.stdout, logger(&cfg, e.stderr))
			}
		},
	}
}

func migrateCommand() *command {
	return &command{
		name:    "migrate",
		summary: "apply pending database migrations",
		help:    "Applies every database migration not yet applied and prints how many it applied.\n(servus serve and the other commands migrate by themselves too.)",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			return func(ctx context.Context, e *env) error {
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					fmt.Fprintf(e.stdout, "applied %d migrations (%s)\n", c.Migrated, c.DB.Dialect())
					return nil
				})
			}
		},
	}
}

func userAddCommand() *command {
	return &command{
		name:    "user add",
		summary: "create a user (requester, agent, admin or auditor)",
		help:    "Creates a user. The password may be given with --password or, to keep it out of\nthe process list and shell history, on standard input with --password-stdin.\nWithout a password the user cannot sign in with one (but may get an API token).\nWith --service the user is a service account: a program's, never signing in on\nthe web, whose API tokens admins may create.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var u desk.NewUser
			var role string
			var pwStdin bool
			fs.StringVar(&u.Email, "email", "", "e-mail `address` of the user (required)")
			fs.StringVar(&u.Name, "name", "", "full `name` of the user (required)")
			fs.StringVar(&role, "role", "", "`role`: requester, agent, admin or auditor (required)")
			fs.StringVar(&u.Password, "password", "", "`password` for signing in")
			fs.BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of standard input")
			fs.StringVar(&u.Language, "language", "", "`language` of the user's mail and pages: de or en (default de)")
			fs.BoolVar(&u.Service, "service", false, "create a service account: a program's, with no password and no web sign-in; admins create its API tokens")
			return func(ctx context.Context, e *env) error {
				if err := required("email", u.Email, "name", u.Name, "role", role); err != nil {
					return err
				}
				if u.Service && (u.Password != "" || pwStdin) {
					return usagef("--service: a service account has no password")
				}
				u.Role = ticket.Role(role)
				if !u.Role.Valid() {
					return usagef("--role: must be requester, agent, admin or auditor, not %q", role)
				}
				if u.Language != "" && u.Language != "de" && u.Language != "en" {
					return usagef("--language: must be de or en, not %q", u.Language)
				}
				if pwStdin {
					if u.Password != "" {
						return usagef("--password and --password-stdin exclude each other")
					}
					pw, err := readLine(e.stdin)
					if err != nil {
						return fmt.Errorf("read password from standard input: %w", err)
					}
					if pw == "" {
						return usagef("--password-stdin: standard input holds no password")
					}
					u.Password = pw
				}
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					user, err := c.Service.CreateUser(ctx, access.System, u)
					if err != nil {
						return err
					}
					kind := ""
					if user.Service() {
						kind = " service account"
					}
					fmt.Fprintf(e.stdout, "created %s%s %s (%s)\n", user.Role, kind, user.Email, user.Name)
					return nil
				})
			}
		},
	}
}

func tokenCreateCommand() *command {
	return &command{
		name:    "token create",
		summary: "create an API token for a user and print it",
		help:    "Creates a new API token for the user and prints it, alone, on stdout. It is\nshown only this once: servus keeps only its hash. Use it as\n\"Authorization: Bearer TOKEN\".",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var email string
			fs.StringVar(&email, "email", "", "e-mail `address` of the token's user (required)")
			return func(ctx context.Context, e *env) error {
				if err := required("email", email); err != nil {
					return err
				}
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					tok, err := c.Service.CreateToken(ctx, access.System, email)
					if err != nil {
						return err
					}
					fmt.Fprintln(e.stdout, tok)
					return nil
				})
			}
		},
	}
}

func queueAddCommand() *command {
	return &command{
		name:    "queue add",
		summary: "create a queue",
		help:    "Creates a queue (a work group that answers tickets).",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var q desk.NewQueue
			fs.StringVar(&q.Name, "name", "", "`name` of the queue (required)")
			fs.StringVar(&q.Address, "address", "", "functional mail `address` whose mail becomes tickets in this queue")
			fs.BoolVar(&q.Default, "default", false, "make this the queue for mail to no functional address")
			fs.BoolVar(&q.Confidential, "confidential", false, "make new tickets of this queue confidential by default")
			return func(ctx context.Context, e *env) error {
				if err := required("name", q.Name); err != nil {
					return err
				}
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					got, err := c.Service.CreateQueue(ctx, access.System, q)
					if err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "created queue %s\n", got.Name)
					return nil
				})
			}
		},
	}
}

func queueMemberCommand() *command {
	return &command{
		name:    "queue member",
		summary: "add an agent or admin to a queue",
		help:    "Makes an agent or admin a member of a queue: members take its tickets and see\nits confidential ones.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			var name, email string
			fs.StringVar(&name, "name", "", "`name` of the queue (required)")
			fs.StringVar(&email, "email", "", "e-mail `address` of the agent or admin (required)")
			return func(ctx context.Context, e *env) error {
				if err := required("name", name, "email", email); err != nil {
					return err
				}
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					if err := c.Service.AddQueueMember(ctx, access.System, name, email); err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "added %s to queue %s\n", email, name)
					return nil
				})
			}
		},
	}
}

func queueListCommand() *command {
	return &command{
		name:    "queue list",
		summary: "list the queues and their members",
		help:    "Lists every queue with its address, flags and members.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			return func(ctx context.Context, e *env) error {
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					qs, err := c.Service.Queues(ctx, access.System)
					if err != nil {
						return err
					}
					tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "NAME\tADDRESS\tDEFAULT\tCONFIDENTIAL\tMEMBERS")
					for _, q := range qs {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", q.Name, dash(q.Address), yesNo(q.Default), yesNo(q.Confidential), dash(strings.Join(q.Members, ", ")))
					}
					return tw.Flush()
				})
			}
		},
	}
}

func demoCommand() *command {
	return &command{
		name:    "demo",
		summary: "seed demo data into an empty database",
		help:    "Seeds demo queues, users and tickets into an empty database, without serving,\nand prints how to log in. A database that is not empty is left alone (exit 1).",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			cfg := storeConfig(fs)
			return func(ctx context.Context, e *env) error {
				return withCore(ctx, e, cfg, func(c *app.Core) error {
					res, err := c.SeedDemo(ctx, logger(cfg, e.stderr))
					if err != nil {
						return err
					}
					if !res.Seeded {
						return errors.New("the database is not empty; demo data is only seeded into an empty one")
					}
					res.Print(e.stdout, "")
					return nil
				})
			}
		},
	}
}

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print servus's version",
		help:    "Prints the version of servus, its source revision when known, and the Go version it was built with.",
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			return func(ctx context.Context, e *env) error {
				fmt.Fprintln(e.stdout, version())
				return nil
			}
		},
	}
}

// version describes the running binary from its build information.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "servus (unknown version)"
	}
	v := "servus " + bi.Main.Version
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		v += " " + rev[:min(12, len(rev))] + modified
	}
	return v + " " + bi.GoVersion
}

// required returns a usage error naming the first of the (flag, value)
// pairs whose value is empty.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return usagef("--%s is required", pairs[i])
		}
	}
	return nil
}

// readLine reads the first line of r, without its line ending.
func readLine(r io.Reader) (string, error) {
	if r == nil {
		return "", nil
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
