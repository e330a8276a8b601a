package delivery_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message the test SMTP server accepted.
type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool   // the session was encrypted
	User string // who authenticated, if anyone
}

// smtpd is an SMTP server on loopback that records what it receives. It
// can be told to refuse mail (fail), be down and come up again, require
// AUTH, and speak TLS.
type smtpd struct {
	t        *testing.T
	addr     string
	tls      *tls.Config // offered as STARTTLS, or implicit when implicit
	implicit bool
	user     string // AUTH PLAIN required with user/pass when set
	pass     string

	mu   sync.Mutex
	srv  *smtp.Server
	msgs []received
	fail *smtp.SMTPError // RCPT answers this when set
	got  chan received
}

func startSMTPD(t *testing.T, configure func(d *smtpd)) *smtpd {
	t.Helper()
	d := &smtpd{t: t, addr: "127.0.0.1:0", got: make(chan received, 1000)}
	if configure != nil {
		configure(d)
	}
	d.up()
	t.Cleanup(d.down)
	return d
}

// up starts serving on d.addr (the same port again after down).
func (d *smtpd) up() {
	d.t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port of a closed listener may take a moment to be free
		if d.implicit {
			ln, err = tls.Listen("tcp", d.addr, d.tls)
		} else {
			ln, err = net.Listen("tcp", d.addr)
		}
		if err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		d.t.Fatalf("SMTP listen: %v", err)
	}
	d.addr = ln.Addr().String()
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{d: d, tls: isTLS}, nil
	}))
	srv.Domain = "mx.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	if !d.implicit {
		srv.TLSConfig = d.tls
	}
	srv.ErrorLog = nopLogger{}
	d.mu.Lock()
	d.srv = srv
	d.mu.Unlock()
	go srv.Serve(ln)
}

// down stops the server: connections are refused until up.
func (d *smtpd) down() {
	d.mu.Lock()
	srv := d.srv
	d.srv = nil
	d.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

func (d *smtpd) setFail(e *smtp.SMTPError) {
	d.mu.Lock()
	d.fail = e
	d.mu.Unlock()
}

// URL is an smtp:// URL for d with extra appended (e.g. "?tls=none").
func (d *smtpd) URL(extra string) string {
	scheme := "smtp://"
	if d.implicit {
		scheme = "smtps://"
	}
	auth := ""
	if d.user != "" {
		auth = d.user + ":" + d.pass + "@"
	}
	return scheme + auth + d.addr + extra
}

// wait returns the next n messages, failing t after a timeout.
func (d *smtpd) wait(n int) []received {
	d.t.Helper()
	var out []received
	timeout := time.After(20 * time.Second)
	for len(out) < n {
		select {
		case m := <-d.got:
			out = append(out, m)
		case <-timeout:
			d.t.Fatalf("got %d mails, want %d", len(out), n)
		}
	}
	return out
}

// none checks that no further message arrived.
func (d *smtpd) none() {
	d.t.Helper()
	select {
	case m := <-d.got:
		d.t.Fatalf("got an unexpected mail to %v:\n%s", m.To, m.Data)
	default:
	}
}

func (d *smtpd) all() []received {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]received(nil), d.msgs...)
}

type session struct {
	d    *smtpd
	tls  bool
	user string
	cur  received
}

func (s *session) AuthMechanisms() []string {
	if s.d.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.d.user || password != s.d.pass {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.d.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.cur = received{From: from, TLS: s.tls, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.d.mu.Lock()
	fail := s.d.fail
	s.d.mu.Unlock()
	if fail != nil {
		return fail
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = b
	s.d.mu.Lock()
	s.d.msgs = append(s.d.msgs, s.cur)
	s.d.mu.Unlock()
	s.d.got <- s.cur
	return nil
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }

type nopLogger struct{}

func (nopLogger) Printf(string, ...any) {}
func (nopLogger) Println(...any)        {}

// selfSigned returns a server TLS config for 127.0.0.1 and a client config
// that trusts it (and nothing else).
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mx.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"mx.test"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, &tls.Config{RootCAs: pool}
}

// parsed is a received mail taken apart.
type parsed struct {
	Header mail.Header
	Text   string
	HTML   string
	Type   string // the top-level media type
}

// parse decodes a multipart/alternative mail into its text and HTML parts.
func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read mail: %v\n%s", err, data)
	}
	p := parsed{Header: m.Header}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", m.Header.Get("Content-Type"), err)
	}
	p.Type = mt
	if !strings.HasPrefix(mt, "multipart/") {
		t.Fatalf("Content-Type %s, want multipart/alternative", mt)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("part: %v", err)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			p.Text = string(b)
		case "text/html":
			p.HTML = string(b)
		}
	}
	return p
}

// subject decodes the Subject header.
func (p parsed) subject(t *testing.T) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(p.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("Subject %q: %v", p.Header.Get("Subject"), err)
	}
	return s
}
