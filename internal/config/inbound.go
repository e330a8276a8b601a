package config

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultReopenGrace is how long after closing a reply by mail reopens a
// ticket (30 days); later replies start a new, linked ticket.
const DefaultReopenGrace = 30 * 24 * time.Hour

// Inbound holds the mail intake settings of servus serve.
type Inbound struct {
	LMTP        string        // LMTP listen address HOST:PORT; empty: no listener
	IMAP        URLList       // mailboxes to poll, as imap(s)://user:password@host/MAILBOX?… URLs
	ReopenGrace time.Duration // see DefaultReopenGrace
	// TrustedAuthServIDs are the authserv-ids of the receiving mail
	// servers whose Authentication-Results servus believes (lowercased);
	// none: only replies to servus's reply addresses authenticate a sender.
	TrustedAuthServIDs NameList
}

// NameList is a flag.Value that collects names: the flag may be repeated,
// and one value may hold several, separated by commas or white space. Names
// are lowercased.
type NameList []string

func (l *NameList) String() string { return strings.Join(*l, ",") }

// Set adds the names in s.
func (l *NameList) Set(s string) error {
	for _, n := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if strings.ContainsAny(n, ";()\"=") {
			return fmt.Errorf("%q is not a host name such as mx.example.org", n)
		}
		*l = append(*l, strings.ToLower(n))
	}
	return nil
}

// URLList is a flag.Value that collects URLs: the flag may be repeated, and
// one value (as from an environment variable or a config file) may hold
// several, separated by white space.
type URLList []string

func (l *URLList) String() string { return strings.Join(*l, " ") }

// Set adds the URLs in s.
func (l *URLList) Set(s string) error {
	*l = append(*l, strings.Fields(s)...)
	return nil
}

// InboundFlags registers the mail intake flags of servus serve: --lmtp,
// --imap and --reopen-grace.
func (c *Config) InboundFlags(fs *flag.FlagSet) {
	if c.Inbound.ReopenGrace == 0 {
		c.Inbound.ReopenGrace = DefaultReopenGrace
	}
	fs.StringVar(&c.Inbound.LMTP, "lmtp", c.Inbound.LMTP, "listen for mail over LMTP on this `address` HOST:PORT (port 0 picks one; the log line \"lmtp listening addr=…\" tells which); the mail server hands mail for the service desk's addresses here")
	fs.Var(&c.Inbound.IMAP, "imap", "poll this mailbox `URL` for mail: imaps://user:password@host:993/INBOX (imap://…?tls=none for plain, imap://… for STARTTLS), with ?to=ADDRESS naming the address it receives for, ?processed=FOLDER to move processed mail there instead of flagging it \\Seen, ?interval=60s between polls without IDLE; repeat the flag, or separate URLs by spaces, for several mailboxes")
	fs.Var(&c.Inbound.TrustedAuthServIDs, "mail-trusted-authserv-id", "believe the Authentication-Results (DKIM, SPF, DMARC) that the receiving mail server with this authserv-id `name` (e.g. mx.example.org) puts on incoming mail: a reply by mail counts as written by its From address when they pass for that address's domain; repeat the flag or separate names by commas; without it, only replies to servus's per-recipient reply address authenticate their sender")
	fs.Var((*duration)(&c.Inbound.ReopenGrace), "reopen-grace", "a reply by mail reopens a closed ticket within this `duration` after closing (720h = 30 days); later it starts a new ticket linked to the old one")
}

// ValidateInbound checks the mail intake settings. Errors name the flag.
func (c *Config) ValidateInbound() error {
	if c.Inbound.LMTP != "" {
		_, port, err := net.SplitHostPort(c.Inbound.LMTP)
		if err != nil {
			return fmt.Errorf("--lmtp: %q is not HOST:PORT (e.g. 127.0.0.1:2424)", c.Inbound.LMTP)
		}
		if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			return fmt.Errorf("--lmtp: port %q must be a number from 0 to 65535", port)
		}
	}
	for _, raw := range c.Inbound.IMAP {
		if _, err := ParseIMAP(raw); err != nil {
			return err
		}
	}
	if c.Inbound.ReopenGrace < 0 {
		return fmt.Errorf("--reopen-grace: must not be negative, e.g. 720h (30 days)")
	}
	return nil
}

// IMAPMailbox is one mailbox servus polls.
type IMAPMailbox struct {
	Addr      string        // host:port
	TLS       string        // "tls" (imaps), "starttls" or "none"
	User      string        // login name
	Password  string        // login password
	Mailbox   string        // default INBOX
	To        string        // the address this mailbox receives for (chooses the queue), may be empty
	Processed string        // move processed mail to this folder; empty: flag it \Seen
	Interval  time.Duration // between polls when the server offers no IDLE; default 60s
}

// String names the mailbox for logs, without the password.
func (m IMAPMailbox) String() string {
	return m.User + "@" + m.Addr + "/" + m.Mailbox
}

// ParseIMAP reads one --imap URL. Errors name the flag and never show the
// password.
func ParseIMAP(raw string) (IMAPMailbox, error) {
	bad := func(why string) (IMAPMailbox, error) {
		return IMAPMailbox{}, fmt.Errorf("--imap: %s: %s (want imaps://user:password@host:993/INBOX)", redact(raw), why)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("not a URL")
	}
	m := IMAPMailbox{TLS: "starttls", Mailbox: "INBOX", Interval: 60 * time.Second}
	port := "143"
	switch u.Scheme {
	case "imaps":
		m.TLS, port = "tls", "993"
	case "imap":
	default:
		return bad("the scheme must be imap or imaps")
	}
	if u.Hostname() == "" {
		return bad("the host is missing")
	}
	if u.Port() != "" {
		port = u.Port()
	}
	m.Addr = net.JoinHostPort(u.Hostname(), port)
	if u.User == nil || u.User.Username() == "" {
		return bad("the user is missing")
	}
	m.User = u.User.Username()
	m.Password, _ = u.User.Password()
	if p := strings.Trim(u.Path, "/"); p != "" {
		m.Mailbox = p
	}
	q := u.Query()
	switch t := q.Get("tls"); t {
	case "":
	case "none":
		if u.Scheme == "imaps" {
			return bad("tls=none contradicts imaps")
		}
		m.TLS = "none"
	default:
		return bad("tls must be none when given")
	}
	m.To = strings.ToLower(strings.TrimSpace(q.Get("to")))
	m.Processed = strings.Trim(q.Get("processed"), "/")
	if iv := q.Get("interval"); iv != "" {
		d, err := time.ParseDuration(iv)
		if err != nil || d <= 0 {
			return bad("interval must be a positive duration such as 60s")
		}
		m.Interval = d
	}
	return m, nil
}
