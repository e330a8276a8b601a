package app

import (
	"fmt"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/web"
)

// RuntimeSettings describes what an instance runs with, for the read-only
// "running configuration" on the admin settings page: database, data
// folder, addresses, mail servers, limits, version. addr is the address it
// listens on, baseURL its public URL. No value ever holds a password: URLs
// are rebuilt from their parts, with "***" where a password was given.
func RuntimeSettings(cfg config.Config, addr, baseURL string) []web.Setting {
	out := []web.Setting{
		{Name: "runtime.version", Value: buildVersion()},
		{Name: "runtime.database", Value: describeDB(cfg)},
		{Name: "runtime.data", Value: absPath(cfg.Data)},
		{Name: "runtime.listen", Value: addr},
		{Name: "runtime.base_url", Value: baseURL},
		{Name: "runtime.smtp", Value: describeSMTP(cfg.SMTPURL)},
		{Name: "runtime.mail_from", Value: mailFrom(cfg, baseURL)},
		{Name: "runtime.subject_prefix", Value: "[" + cfg.SubjectPrefix + "1234]"},
		{Name: "runtime.lmtp", Value: cfg.Inbound.LMTP},
	}
	if len(cfg.Inbound.IMAP) == 0 {
		out = append(out, web.Setting{Name: "runtime.imap"})
	}
	for _, raw := range cfg.Inbound.IMAP {
		out = append(out, web.Setting{Name: "runtime.imap", Value: describeIMAP(raw)})
	}
	proxies := make([]string, len(cfg.TrustedProxies))
	for i, p := range cfg.TrustedProxies {
		proxies[i] = p.String()
	}
	return append(out,
		web.Setting{Name: "runtime.auto_close", Value: describeDuration(cfg.AutoCloseAfter)},
		web.Setting{Name: "runtime.reopen_grace", Value: describeDuration(cfg.Inbound.ReopenGrace)},
		web.Setting{Name: "runtime.reminder_interval", Value: describeDuration(cfg.Jobs.ReminderInterval)},
		web.Setting{Name: "runtime.escalation_interval", Value: describeDuration(cfg.Jobs.EscalationInterval)},
		web.Setting{Name: "runtime.job_lease", Value: describeDuration(cfg.Jobs.Lease)},
		web.Setting{Name: "runtime.max_attachment", Value: describeBytes(cfg.MaxAttachment)},
		web.Setting{Name: "runtime.trusted_proxies", Value: strings.Join(proxies, ", ")},
		web.Setting{Name: "runtime.retention_interval", Value: describeDuration(cfg.Retention.Interval)},
		web.Setting{Name: "runtime.audit_retention", Value: describeMonths(cfg.Retention.AuditMonths)},
		web.Setting{Name: "runtime.ldap", Value: describeLDAP(cfg.LDAP)},
		web.Setting{Name: "runtime.oidc", Value: describeOpenID(cfg.OIDC)},
		web.Setting{Name: "runtime.saml", Value: describeSAML(cfg.SAML)},
	)
}

// describeLDAP names the directory people sign in with: its URL (without
// a password), base DN, service account and how many group mappings; ""
// without one.
func describeLDAP(l config.LDAP) string {
	if l.URL == "" {
		return ""
	}
	u, err := url.Parse(l.URL)
	if err != nil {
		return "(?)"
	}
	d := u.Scheme + "://" + u.Host + " " + l.BaseDN
	if l.BindDN != "" {
		d += " as " + l.BindDN
	}
	return d + fmt.Sprintf(" (%d group mappings)", len(l.Groups))
}

// describeDB names the database: SQLite and its file, or PostgreSQL's user,
// host and database; never a password, nor the URL's parameters (which may
// carry one).
func describeDB(cfg config.Config) string {
	switch {
	case cfg.DB == "":
		return "SQLite " + absPath(filepath.Join(cfg.Data, "servus.db"))
	case strings.HasPrefix(cfg.DB, "sqlite:"), strings.HasPrefix(cfg.DB, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(cfg.DB, "sqlite:"), "file:")
		path, _, _ = strings.Cut(path, "?")
		return "SQLite " + path
	}
	u, err := url.Parse(cfg.DB)
	if err != nil {
		return "PostgreSQL"
	}
	who := ""
	if u.User != nil && u.User.Username() != "" {
		who = u.User.Username() + "@"
	}
	return "PostgreSQL " + who + u.Host + "/" + strings.TrimPrefix(u.Path, "/")
}

// describeSMTP rebuilds an --smtp-url without its password.
func describeSMTP(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(?)"
	}
	s := u.Scheme + "://" + userPart(u.User) + u.Host
	if tls := u.Query().Get("tls"); tls != "" {
		s += "?tls=" + url.QueryEscape(tls)
	}
	return s
}

// describeIMAP rebuilds an --imap URL from its parsed parts, without the
// password.
func describeIMAP(raw string) string {
	m, err := config.ParseIMAP(raw)
	if err != nil {
		return "(?)"
	}
	scheme := "imap"
	if m.TLS == "tls" {
		scheme = "imaps"
	}
	q := url.Values{}
	if m.TLS == "none" {
		q.Set("tls", "none")
	}
	if m.To != "" {
		q.Set("to", m.To)
	}
	if m.Processed != "" {
		q.Set("processed", m.Processed)
	}
	s := scheme + "://" + url.User(m.User).String() + ":***@" + m.Addr + "/" + m.Mailbox
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

// userPart is "user@", "user:***@" with a password, or "".
func userPart(u *url.Userinfo) string {
	if u == nil {
		return ""
	}
	s := url.User(u.Username()).String()
	if _, ok := u.Password(); ok {
		s += ":***"
	}
	return s + "@"
}

// describeDuration writes d as its flag would take it: 336h, 30s, 1h30m.
func describeDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// describeBytes writes n bytes as KiB or MiB when it is a whole number of
// them.
func describeBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// buildVersion is the binary's module version and source revision, as
// servus version prints them.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	var rev, modified string
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision":
			rev = " " + s.Value[:min(12, len(s.Value))]
		case s.Key == "vcs.modified" && s.Value == "true":
			modified = "+dirty"
		}
	}
	if rev != "" {
		v += rev + modified
	}
	return v + " " + bi.GoVersion
}

// describeSAML names the SAML identity provider's metadata source and how
// many group mappings; "" without SAML.
func describeSAML(s config.SAML) string {
	if s.IdPMetadata == "" {
		return ""
	}
	d := s.IdPMetadata
	if s.IdPEntityID != "" {
		d += " (" + s.IdPEntityID + ")"
	}
	return d + fmt.Sprintf(" (%d group mappings)", len(s.Groups))
}
