package config

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// EnvPrefix starts the name of every environment variable servus reads.
const EnvPrefix = "SERVUS_"

// EnvName is the environment variable for the flag called name:
// "auto-close-after" → "SERVUS_AUTO_CLOSE_AFTER".
func EnvName(name string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// StoreFlags registers --data and --db, the flags of every command that
// opens the database.
func (c *Config) StoreFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", c.Data, "data `folder`: the SQLite database (servus.db) and attachments/ live here")
	fs.StringVar(&c.DB, "db", c.DB, "database `URL`: postgres://user:password@host:5432/dbname for PostgreSQL; empty for SQLite in --data")
}

// LogFlags registers --log-format and --log-level.
func (c *Config) LogFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log `format` on stderr: text or json")
	fs.TextVar(&c.LogLevel, "log-level", c.LogLevel, "least `level` logged: debug, info, warn or error")
}

// ServeFlags registers the flags of servus serve beyond StoreFlags and
// LogFlags.
func (c *Config) ServeFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "HTTP listen `address` HOST:PORT; port 0 picks a free port (the log line \"listening addr=…\" tells which)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public `URL` of servus, used in links (default http://<listening address>)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "seed demo queues, users and tickets into an empty database and print how to log in")
	fs.Var((*duration)(&c.AutoCloseAfter), "auto-close-after", "close a resolved ticket after this `duration` without a requester reaction (336h = 14 days)")
	fs.Var((*duration)(&c.ShutdownTimeout), "shutdown-timeout", "at shutdown, wait this `duration` for in-flight requests to finish")
	fs.Int64Var(&c.MaxBody, "max-body", c.MaxBody, "largest JSON request body of the API in `bytes` (attachments: --max-attachment)")
	fs.Int64Var(&c.MaxAttachment, "max-attachment", c.MaxAttachment, "largest attachment in `bytes`")
	fs.StringVar(&c.SMTPURL, "smtp-url", c.SMTPURL, "send notifications through this mail server `URL`: smtp://user:password@host:587 (STARTTLS when offered; ?tls=required to insist, ?tls=none for a local relay) or smtps://user:password@host:465; empty: notifications wait in the outbox")
	fs.Var((*duration)(&c.StaffMailWindow), "staff-mail-window", "a staff member gets at most one mail about a ticket in this `duration`; what happens meanwhile is folded into it as a digest (0: every notification its own mail)")
	fs.StringVar(&c.MailFrom, "mail-from", c.MailFrom, "sender `address` of notifications, also where bounces go (default servicedesk@<host of --base-url>)")
	fs.StringVar(&c.SubjectPrefix, "subject-prefix", c.SubjectPrefix, "`tag` before the ticket number in mail subjects: \"#\" gives [#1234], \"ZID #\" gives [ZID #1234]")
	fs.Var((*prefixes)(&c.TrustedProxies), "trusted-proxies", "comma-separated `networks` of reverse proxies (e.g. 127.0.0.1,10.0.0.0/8) whose X-Forwarded-For names the client; sign-in limits then count the real client's address")
	c.InboundFlags(fs)
	c.HTTPFlags(fs)
	c.JobsFlags(fs)
	c.RetentionFlags(fs)
	c.LDAPFlags(fs)
	c.OIDCFlags(fs)
	c.SAMLFlags(fs)
}

// duration is a flag.Value read by time.ParseDuration whose error says
// what a duration looks like.
type duration time.Duration

func (d *duration) String() string { return time.Duration(*d).String() }

func (d *duration) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("not a duration (want e.g. 336h, 90m, 30s or 1h30m)")
	}
	*d = duration(v)
	return nil
}

// FileFlag registers --config, naming a file of settings (see ReadFile).
func FileFlag(fs *flag.FlagSet, path *string) {
	fs.StringVar(path, "config", "", "read settings from this `file` of \"name = value\" lines (names as the flags, # starts a comment line)")
}

// Parse parses args into fs, then gives every flag not on the command line
// its value from the environment variable EnvName(flag) when that is set
// and not empty, and then, if fs has a --config flag with a value, from that
// file. So a flag wins over the environment, which wins over the file,
// which wins over the default. It returns flag.ErrHelp for -h/--help, the
// flag package's error for a bad command line (which fs has printed), and a
// *SettingError naming the variable ("SERVUS_ADDR: …") or the file and line
// ("servus.conf:3: …") otherwise.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] {
			return
		}
		name := EnvName(f.Name)
		v := getenv(name)
		if v == "" {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", name, err))
			return
		}
		given[f.Name] = true
	})
	if len(errs) > 0 {
		return &SettingError{errors.Join(errs...)}
	}

	cf := fs.Lookup("config")
	if cf == nil || cf.Value.String() == "" {
		return nil
	}
	path := cf.Value.String()
	settings, err := ReadFile(path)
	if err != nil {
		return &SettingError{err}
	}
	seen := map[string]int{}
	for _, s := range settings {
		f := fs.Lookup(s.Name)
		if f == nil || s.Name == "config" {
			errs = append(errs, fmt.Errorf("%s:%d: unknown setting %q (settings are named like the flags of servus %s)", path, s.Line, s.Name, fs.Name()))
			continue
		}
		if prev, dup := seen[s.Name]; dup {
			if _, ok := f.Value.(repeatable); !ok {
				errs = append(errs, fmt.Errorf("%s:%d: %s already set on line %d", path, s.Line, s.Name, prev))
				continue
			}
		}
		seen[s.Name] = s.Line
		if given[s.Name] {
			continue
		}
		if err := fs.Set(s.Name, s.Value); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %s: %v", path, s.Line, s.Name, err))
		}
	}
	if len(errs) > 0 {
		return &SettingError{errors.Join(errs...)}
	}
	return nil
}

// repeatable is a flag.Value whose flag may be given several times, also
// in a config file (each line adds a value).
type repeatable interface {
	flag.Value
	Repeatable()
}

// SettingError is a bad value in the environment or the config file (as
// opposed to a bad command line, which the flag package reports itself).
type SettingError struct{ Err error }

func (e *SettingError) Error() string { return e.Err.Error() }
func (e *SettingError) Unwrap() error { return e.Err }

// Setting is one "name = value" line of a config file.
type Setting struct {
	Name  string
	Value string
	Line  int
}

// ReadFile reads a config file: one "name = value" per line, names as the
// flags without dashes in front (addr, db, auto-close-after, …); blank lines
// and lines starting with # are ignored; a value may be written in double
// quotes with Go escapes ("a \"b\""), otherwise it is taken as it stands,
// trimmed. Errors name the file and line. Parse refuses a name that
// appears twice, unless its flag may be repeated (such as ldap-group).
func ReadFile(path string) ([]Setting, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	defer f.Close()
	var out []Setting
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want \"name = value\", got %q", path, n, line)
		}
		name = strings.TrimSpace(name)
		value = strings.TrimSpace(value)
		if name == "" {
			return nil, fmt.Errorf("%s:%d: missing name before =", path, n)
		}
		if strings.HasPrefix(value, `"`) {
			uq, err := strconv.Unquote(value)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s: bad quoted value: %v", path, n, name, err)
			}
			value = uq
		}
		out = append(out, Setting{Name: name, Value: value, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--config: read %s: %w", path, err)
	}
	return out, nil
}

// Logger returns a logger writing to w in c's format and level.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// prefixes is a flag.Value holding a comma-separated list of networks in
// CIDR notation; a single address stands for itself (/32 or /128).
type prefixes []netip.Prefix

func (p *prefixes) String() string {
	s := make([]string, len(*p))
	for i, pr := range *p {
		s[i] = pr.String()
	}
	return strings.Join(s, ",")
}

func (p *prefixes) Set(s string) error {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if pr, err := netip.ParsePrefix(part); err == nil {
			out = append(out, pr.Masked())
			continue
		}
		addr, err := netip.ParseAddr(part)
		if err != nil {
			return fmt.Errorf("%q is neither an address nor a network such as 10.0.0.0/8", part)
		}
		out = append(out, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
	}
	*p = out
	return nil
}
