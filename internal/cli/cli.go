// Package cli is servus's command line: it parses commands and flags (with
// their SERVUS_* environment variables and, for serve, a config file), and
// runs them through package app. Run is the whole program; main only wires
// it to the process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/errtext"
)

// Exit codes.
const (
	ExitOK      = 0 // done
	ExitFailure = 1 // the command failed (a refused operation, a database fault)
	ExitUsage   = 2 // the command line is wrong
	// ExitTempFail (sysexits EX_TEMPFAIL) is a temporary failure, e.g. a
	// database that does not answer: a mail server piping to servus mail
	// deliver keeps the message and tries again.
	ExitTempFail = 75
)

// env is what a command may use of the process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one servus command or one group of subcommands.
type command struct {
	name    string // "serve", "user add"
	args    string // synopsis after the flags, if any
	summary string // one line for the command list
	help    string // paragraph above the flags
	flags   func(fs *flag.FlagSet) func(ctx context.Context, e *env) error
}

// commands lists every command, in the order servus help shows them.
func commands() []*command {
	return append([]*command{
		serveCommand(),
		migrateCommand(),
		userAddCommand(),
		userSetCommand(),
		tokenCreateCommand(),
		queueAddCommand(),
		queueMemberCommand(),
		queueListCommand(),
		demoCommand(),
		mailDeliverCommand(),
		ldapSyncCommand(),
		loadCommand(),
		backupCommand(),
		restoreCommand(),
		benchSeedCommand(),
		benchRunCommand(),
		retentionRunCommand(),
	}, append(privacyCommands(), versionCommand())...)
}

// usageError is a wrong command line: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Run runs the servus command line args (without the program name) and
// returns the process's exit code: ExitOK, ExitFailure or ExitUsage. getenv
// reads the environment (os.Getenv, or a map in tests); help and errors go
// to stderr, a command's results to stdout.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmds := commands()
	if len(args) == 0 {
		printUsage(stderr, cmds)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) == 1 || args[0] != "help" {
			printUsage(stderr, cmds)
			return ExitOK
		}
		// "servus help user add" is "servus user add --help".
		args = append(slices.Clone(args[1:]), "--help")
	}
	cmd, rest, group := find(cmds, args)
	if cmd == nil {
		if group != "" {
			if len(rest) > 0 && isHelp(rest[0]) {
				printGroup(stderr, cmds, group)
				return ExitOK
			}
			if len(rest) == 0 {
				fmt.Fprintf(stderr, "servus %s: missing subcommand\n\n", group)
			} else {
				fmt.Fprintf(stderr, "servus %s: unknown subcommand %q\n\n", group, rest[0])
			}
			printGroup(stderr, cmds, group)
			return ExitUsage
		}
		fmt.Fprintf(stderr, "servus: unknown command %q\n\n", args[0])
		printUsage(stderr, cmds)
		return ExitUsage
	}
	return cmd.run(ctx, e, rest)
}

func isHelp(s string) bool { return s == "-h" || s == "-help" || s == "--help" || s == "help" }

// find returns the command args name and the arguments after its name, or,
// when args names a group without a known subcommand, the group's name.
func find(cmds []*command, args []string) (*command, []string, string) {
	for _, c := range cmds {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], ""
		}
	}
	for _, c := range cmds {
		words := strings.Fields(c.name)
		if len(words) > 1 && words[0] == args[0] {
			return nil, args[1:], words[0]
		}
	}
	return nil, nil, ""
}

// run parses the command's flags and runs it.
func (c *command) run(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	do := c.flags(fs)
	fs.Usage = func() {} // the flag package prints its error; help only on request
	err := config.Parse(fs, args, e.getenv)
	var se *config.SettingError
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.printHelp(e.stderr, fs)
		return ExitOK
	case errors.As(err, &se):
		// The flag package reports command-line errors itself; these
		// come from the environment or the config file.
		fmt.Fprintf(e.stderr, "servus %s: %v\n", c.name, err)
		fmt.Fprintf(e.stderr, "Run 'servus %s --help' for usage.\n", c.name)
		return ExitUsage
	case err != nil:
		fmt.Fprintf(e.stderr, "Run 'servus %s --help' for usage.\n", c.name)
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "servus %s: unexpected argument %q\n", c.name, fs.Arg(0))
		fmt.Fprintf(e.stderr, "Run 'servus %s --help' for usage.\n", c.name)
		return ExitUsage
	}
	err = do(ctx, e)
	var ue *usageError
	var te *tempError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &te):
		printError(e.stderr, "servus "+c.name, te.err)
		return ExitTempFail
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "servus %s: %s\n", c.name, ue.msg)
		fmt.Fprintf(e.stderr, "Run 'servus %s --help' for usage.\n", c.name)
		return ExitUsage
	}
	printError(e.stderr, "servus "+c.name, err)
	return ExitFailure
}

// printError shows err plainly: the English text of a servus error (with
// its field problems), or the whole error for a fault, which an operator at
// the command line needs to see.
func printError(w io.Writer, prefix string, err error) {
	fmt.Fprintf(w, "%s: %s\n", prefix, errtext.English(err))
}

func printUsage(w io.Writer, cmds []*command) {
	fmt.Fprint(w, `servus is a service desk: tickets, queues, mail, a web portal and a REST API.

Usage: servus COMMAND [flags]

Commands:
`)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `  help COMMAND   show a command's flags (or: servus COMMAND --help)

Every flag can also be given as an environment variable: SERVUS_ and the flag's
name in upper case with - as _ (--auto-close-after → SERVUS_AUTO_CLOSE_AFTER).
A flag on the command line wins over the environment.

Exit codes: 0 done, 1 the command failed, 2 wrong command line, 75 a temporary
failure (servus mail deliver: the mail server should try again).
`)
}

func printGroup(w io.Writer, cmds []*command, group string) {
	fmt.Fprintf(w, "Usage: servus %s SUBCOMMAND [flags]\n\nSubcommands:\n", group)
	for _, c := range cmds {
		if strings.HasPrefix(c.name, group+" ") {
			fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
		}
	}
}

// printHelp shows the command's synopsis, help and every flag with its
// environment variable and default.
func (c *command) printHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: servus %s [flags]%s\n\n%s\n", c.name, c.args, strings.TrimSpace(c.help))
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		if arg == "" && !isBool(f) {
			arg = "value"
		}
		line := "  --" + f.Name
		if arg != "" {
			line += " " + arg
		}
		fmt.Fprintln(w, line)
		fmt.Fprintf(w, "        %s\n", usage)
		var notes []string
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "0s" {
			notes = append(notes, "default "+f.DefValue)
		}
		notes = append(notes, "env "+config.EnvName(f.Name))
		fmt.Fprintf(w, "        (%s)\n", strings.Join(notes, "; "))
	})
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// logger returns the logger of a command: cfg's format and level on stderr.
func logger(cfg *config.Config, stderr io.Writer) *slog.Logger {
	return cfg.Logger(stderr)
}
