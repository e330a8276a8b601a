// Package config holds servus's settings and the one way they are read:
// command-line flags, then SERVUS_* environment variables, then a config
// file, then defaults. It has no package state: every command builds its own
// Config and flag.FlagSet.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults.
const (
	DefaultData            = "./servus-data"
	DefaultAddr            = "127.0.0.1:8080"
	DefaultAutoCloseAfter  = 14 * 24 * time.Hour
	DefaultShutdownTimeout = 20 * time.Second
	DefaultMaxBody         = 1 << 20
	DefaultMaxAttachment   = 25 << 20
	DefaultSubjectPrefix   = "#"
	DefaultStaffMailWindow = 5 * time.Minute
)

// Config is everything servus needs to run. Commands other than serve use
// only Data and DB (and the log settings).
type Config struct {
	Data            string         // data folder: SQLite database and attachments
	DB              string         // database URL; empty for SQLite in Data
	Addr            string         // HTTP listen address, host:port (port 0 picks one)
	BaseURL         string         // public URL of servus; empty: http://<listening address>
	Demo            bool           // seed demo data into an empty database
	AutoCloseAfter  time.Duration  // resolved tickets without reaction are closed after this
	ShutdownTimeout time.Duration  // how long in-flight requests may take at shutdown
	MaxBody         int64          // largest JSON request body in bytes
	MaxAttachment   int64          // largest attachment in bytes
	LogFormat       string         // "text" or "json"
	LogLevel        slog.Level     // debug, info, warn, error
	SMTPURL         string         // mail server for notifications; empty: they wait in the outbox
	MailFrom        string         // sender of notifications; empty: servicedesk@<host of the base URL>
	SubjectPrefix   string         // before the number in the subject tag: "#" → [#1234]
	StaffMailWindow time.Duration  // one mail per ticket and staff member in this time, the rest folded into a digest; 0: no folding
	Inbound         Inbound        // mail intake: LMTP, IMAP, reopen grace (inbound.go)
	TrustedProxies  []netip.Prefix // reverse proxies whose X-Forwarded-For is believed
	HTTP            HTTP           // limits against slow and greedy clients, who reads /metrics (http.go)
	Jobs            Jobs           // background jobs: reminder interval, lease (jobs.go)
	Retention       Retention      // retention runs and the audit log's own retention (retention.go)
	LDAP            LDAP           // sign-in with an LDAP directory (ldap.go)
	OIDC            OIDC           // sign-in with an OpenID Connect provider (oidc.go)
	SAML            SAML           // sign-in with a SAML identity provider (saml.go)
}

// Default returns a Config with every default filled in.
func Default() Config {
	return Config{
		Data:            DefaultData,
		Addr:            DefaultAddr,
		AutoCloseAfter:  DefaultAutoCloseAfter,
		ShutdownTimeout: DefaultShutdownTimeout,
		MaxBody:         DefaultMaxBody,
		MaxAttachment:   DefaultMaxAttachment,
		StaffMailWindow: DefaultStaffMailWindow,
		LogFormat:       "text",
		LogLevel:        slog.LevelInfo,
		SubjectPrefix:   DefaultSubjectPrefix,
		Inbound:         Inbound{ReopenGrace: DefaultReopenGrace},
		HTTP:            DefaultHTTP(),
		Jobs:            Jobs{ReminderInterval: DefaultReminderInterval, EscalationInterval: DefaultEscalationInterval, Lease: DefaultJobLease, ReportInterval: DefaultReportInterval},
		Retention:       Retention{AuditMonths: DefaultAuditRetention, Interval: DefaultRetentionInterval},
		LDAP:            LDAP{Timeout: 10 * time.Second, SyncInterval: time.Hour},
		OIDC:            OIDC{Timeout: 10 * time.Second, Scopes: strings.Fields(DefaultOIDCScopes)},
	}
}

// ValidateStore checks the settings every database command uses. Errors
// name the flag: "--db: …".
func (c *Config) ValidateStore() error {
	if strings.TrimSpace(c.Data) == "" {
		return fmt.Errorf("--data: must not be empty")
	}
	if c.DB != "" {
		switch {
		case strings.HasPrefix(c.DB, "postgres://"), strings.HasPrefix(c.DB, "postgresql://"):
			if _, err := url.Parse(c.DB); err != nil {
				return fmt.Errorf("--db: not a valid URL (want postgres://user@host:port/dbname)")
			}
		case strings.HasPrefix(c.DB, "sqlite:"), strings.HasPrefix(c.DB, "file:"):
		default:
			return fmt.Errorf("--db: %q is not supported: use postgres://… for PostgreSQL, or leave it empty for SQLite in --data", redact(c.DB))
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format: must be text or json, not %q", c.LogFormat)
	}
	return nil
}

// Validate checks every setting of servus serve.
func (c *Config) Validate() error {
	if err := c.ValidateStore(); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("--addr: %q is not HOST:PORT (e.g. 127.0.0.1:8080, :8080, or port 0 for any free port)", c.Addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("--addr: port %q must be a number from 0 to 65535", port)
	}
	_ = host // empty host listens on every interface
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--base-url: want an absolute http:// or https:// URL, not %q", c.BaseURL)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("--base-url: must not carry a query or fragment")
		}
	}
	if c.AutoCloseAfter <= 0 {
		return fmt.Errorf("--auto-close-after: must be positive, e.g. 336h (14 days) or 30s")
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("--shutdown-timeout: must be positive, e.g. 20s")
	}
	if c.MaxBody < 1024 {
		return fmt.Errorf("--max-body: must be at least 1024 bytes")
	}
	if c.MaxAttachment < 1 {
		return fmt.Errorf("--max-attachment: must be at least 1 byte")
	}
	if err := c.validateMail(); err != nil {
		return err
	}
	if err := c.validateHTTP(); err != nil {
		return err
	}
	if err := c.ValidateInbound(); err != nil {
		return err
	}
	if err := c.ValidateRetention(); err != nil {
		return err
	}
	if err := c.validateJobs(); err != nil {
		return err
	}
	if err := c.ValidateOIDC(); err != nil {
		return err
	}
	if err := c.ValidateSAML(); err != nil {
		return err
	}
	return c.ValidateLDAP()
}

// redact hides a password in a URL for error messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return u.String()
}

// validateMail checks the outbound mail settings; the SMTP URL's details
// are checked again when servus starts sending.
func (c *Config) validateMail() error {
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			return fmt.Errorf("--smtp-url: want smtp://user:password@host:587 or smtps://host:465, not %q", redact(c.SMTPURL))
		}
	}
	if c.MailFrom != "" && (strings.Count(c.MailFrom, "@") != 1 || strings.ContainsAny(c.MailFrom, " <>\"\r\n") ||
		strings.HasPrefix(c.MailFrom, "@") || strings.HasSuffix(c.MailFrom, "@")) {
		return fmt.Errorf("--mail-from: want a plain address like servicedesk@example.org, not %q", c.MailFrom)
	}
	if strings.TrimSpace(c.SubjectPrefix) == "" || len(c.SubjectPrefix) > 20 || strings.ContainsAny(c.SubjectPrefix, "[]\r\n") {
		return fmt.Errorf("--subject-prefix: want a short tag such as \"#\" or \"ZID #\" (no brackets), not %q", c.SubjectPrefix)
	}
	return nil
}
