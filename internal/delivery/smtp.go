package delivery

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPOptions configure a Sender.
type SMTPOptions struct {
	// URL names the mail server (see ParseSMTPURL).
	URL string
	// Timeout bounds connecting and each command; default 30s.
	Timeout time.Duration
	// TLSConfig, when set, is used for STARTTLS and implicit TLS instead of
	// the system's roots; tests set it to trust their self-signed
	// certificate. servus itself never sets it: there is no switch to skip
	// certificate checks.
	TLSConfig *tls.Config
	// HELO is the name servus greets the server with; default the host
	// name.
	HELO string
}

// SMTPServer is a parsed --smtp-url.
type SMTPServer struct {
	Host     string
	Port     int
	Implicit bool // smtps: TLS from the first byte
	TLS      gomail.TLSPolicy
	User     string
	Password string
}

// ParseSMTPURL reads a mail server URL:
//
//	smtp://user:pass@host:587           STARTTLS when the server offers it
//	smtp://user:pass@host:587?tls=required   STARTTLS or fail
//	smtp://host:25?tls=none             plain (a local relay)
//	smtps://user:pass@host:465          implicit TLS
//
// The port defaults to 25 for smtp and 465 for smtps. User and password
// (URL-escaped) turn on SMTP AUTH with the best mechanism the server offers;
// over an unencrypted connection only mechanisms that do not send the
// password in clear are tried. Its errors say what is wrong, never the
// password.
func ParseSMTPURL(s string) (*SMTPServer, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, errors.New("not a URL (want smtp://user:password@host:587 or smtps://host:465)")
	}
	srv := &SMTPServer{Host: u.Hostname(), TLS: gomail.TLSOpportunistic}
	switch u.Scheme {
	case "smtp":
		srv.Port = 25
	case "smtps":
		srv.Port, srv.Implicit, srv.TLS = 465, true, gomail.TLSMandatory
	default:
		return nil, fmt.Errorf("scheme %q: want smtp:// or smtps://", u.Scheme)
	}
	if srv.Host == "" {
		return nil, errors.New("no host (want smtp://host:587)")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("port %q: want 1 to 65535", p)
		}
		srv.Port = n
	}
	if u.User != nil {
		srv.User = u.User.Username()
		srv.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return nil, fmt.Errorf("unknown parameter %q (only tls=required|none is known)", k)
		}
	}
	switch tlsMode := q.Get("tls"); {
	case tlsMode == "":
	case srv.Implicit:
		return nil, errors.New("tls= does not apply to smtps://, which is always TLS")
	case tlsMode == "required":
		srv.TLS = gomail.TLSMandatory
	case tlsMode == "none":
		srv.TLS = gomail.NoTLS
	default:
		return nil, fmt.Errorf("tls=%s: want tls=required or tls=none", tlsMode)
	}
	return srv, nil
}

// Sender delivers messages to one mail server. It dials a connection per
// batch; it is safe for use by one goroutine at a time.
type Sender struct {
	srv    *SMTPServer
	client *gomail.Client
}

// NewSender returns a Sender for opts.URL; its error is a bad URL.
func NewSender(opts SMTPOptions) (*Sender, error) {
	srv, err := ParseSMTPURL(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	tc := opts.TLSConfig
	if tc == nil {
		tc = &tls.Config{}
	}
	tc = tc.Clone()
	tc.ServerName = srv.Host
	tc.MinVersion = max(tc.MinVersion, tls.VersionTLS12)
	copts := []gomail.Option{
		gomail.WithPort(srv.Port),
		gomail.WithTimeout(opts.Timeout),
		gomail.WithTLSPolicy(srv.TLS), // no port guessing: the URL says
		gomail.WithTLSConfig(tc),
	}
	if srv.Implicit {
		copts = append(copts, gomail.WithSSL())
	}
	if srv.User != "" {
		copts = append(copts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(srv.User), gomail.WithPassword(srv.Password))
	}
	if opts.HELO != "" {
		copts = append(copts, gomail.WithHELO(opts.HELO))
	}
	c, err := gomail.NewClient(srv.Host, copts...)
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	return &Sender{srv: srv, client: c}, nil
}

// Addr is the server's host:port, for logs.
func (s *Sender) Addr() string { return net.JoinHostPort(s.srv.Host, strconv.Itoa(s.srv.Port)) }

// Send delivers msgs over one connection and returns one error per
// message: nil when the server accepted it. A message the server refused
// with a 5xx answer gets an error whose Permanent method says true; every
// other error (no connection, 4xx, a timeout) is temporary. If the
// connection cannot be made, every message gets that error.
func (s *Sender) Send(ctx context.Context, msgs []*gomail.Msg) []error {
	errs := make([]error, len(msgs))
	if len(msgs) == 0 {
		return errs
	}
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		err = fmt.Errorf("connect to %s: %w", s.Addr(), err)
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	defer s.client.CloseWithSMTPClient(conn)
	for i, m := range msgs {
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			continue
		}
		err := s.client.SendWithSMTPClient(conn, m)
		switch {
		case err == nil || m.IsDelivered(): // a failed RSET after an accepted message is no failure
		case isPermanent(err):
			errs[i] = &permanentError{err}
		default:
			errs[i] = err
		}
	}
	return errs
}

// isPermanent reports whether err is a 5xx answer of the server.
func isPermanent(err error) bool {
	var se *gomail.SendError
	return errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 && se.ErrorCode() < 600
}

// permanentError is a refusal that sending again will not change.
type permanentError struct{ err error }

func (e *permanentError) Error() string   { return e.err.Error() }
func (e *permanentError) Unwrap() error   { return e.err }
func (e *permanentError) Permanent() bool { return true }
