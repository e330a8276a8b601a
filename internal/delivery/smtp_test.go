package delivery_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/servus-desk/servus/internal/delivery"
)

func TestParseSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		url     string
		want    delivery.SMTPServer
		wantErr string
	}{
		{url: "smtp://mx.example.org", want: delivery.SMTPServer{Host: "mx.example.org", Port: 25, TLS: gomail.TLSOpportunistic}},
		{url: "smtp://user%40uni:p%3Ass@mx.example.org:587", want: delivery.SMTPServer{Host: "mx.example.org", Port: 587, TLS: gomail.TLSOpportunistic, User: "user@uni", Password: "p:ss"}},
		{url: "smtp://mx.example.org:587?tls=required", want: delivery.SMTPServer{Host: "mx.example.org", Port: 587, TLS: gomail.TLSMandatory}},
		{url: "smtp://127.0.0.1:25?tls=none", want: delivery.SMTPServer{Host: "127.0.0.1", Port: 25, TLS: gomail.NoTLS}},
		{url: "smtps://u:p@mx.example.org", want: delivery.SMTPServer{Host: "mx.example.org", Port: 465, Implicit: true, TLS: gomail.TLSMandatory, User: "u", Password: "p"}},
		{url: "http://mx.example.org", wantErr: "scheme"},
		{url: "smtp://:25", wantErr: "no host"},
		{url: "smtp://mx:99999", wantErr: "port"},
		{url: "smtp://mx?tls=maybe", wantErr: "tls=maybe"},
		{url: "smtp://mx?tls=insecure", wantErr: "tls=insecure"},
		{url: "smtps://mx?tls=none", wantErr: "always TLS"},
		{url: "smtp://mx?insecure=1", wantErr: "unknown parameter"},
		{url: "smtp://u:secret@mx:bad", wantErr: "not a URL"},
	} {
		got, err := delivery.ParseSMTPURL(tc.url)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: got error %v, want one about %q without the password", tc.url, err, tc.wantErr)
			}
			continue
		}
		if err != nil || *got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.url, got, err, tc.want)
		}
	}
}

// testMsg is a small message from servus to alice.
func testMsg(t *testing.T) *gomail.Msg {
	t.Helper()
	m := gomail.NewMsg()
	if err := m.From(mailFrom); err != nil {
		t.Fatal(err)
	}
	if err := m.To("alice@example.org"); err != nil {
		t.Fatal(err)
	}
	m.Subject("hello")
	m.SetBodyString(gomail.TypeTextPlain, "hello")
	return m
}

// TestTLSAndAuth: STARTTLS and implicit TLS with AUTH against a server
// with a self-signed certificate that the test trusts, and the failures
// that must stay temporary (wrong password, no STARTTLS when required).
func TestTLSAndAuth(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	for _, tc := range []struct {
		name     string
		implicit bool
		offerTLS bool
		urlExtra string
		pass     string // the password servus uses
		wantErr  string
	}{
		{name: "STARTTLS offered, used", offerTLS: true},
		{name: "STARTTLS required", offerTLS: true, urlExtra: "?tls=required"},
		{name: "implicit TLS", implicit: true},
		{name: "wrong password", offerTLS: true, pass: "wrong", wantErr: "535"},
		{name: "required but not offered", urlExtra: "?tls=required", wantErr: "STARTTLS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := startSMTPD(t, func(d *smtpd) {
				d.user, d.pass, d.implicit = "servus", "s3cret", tc.implicit
				if tc.offerTLS || tc.implicit {
					d.tls = serverTLS
				}
			})
			url := d.URL(tc.urlExtra)
			if tc.pass != "" {
				url = strings.Replace(url, ":s3cret@", ":"+tc.pass+"@", 1)
			}
			s, err := delivery.NewSender(delivery.SMTPOptions{URL: url, TLSConfig: clientTLS, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			errs := s.Send(context.Background(), []*gomail.Msg{testMsg(t)})
			if tc.wantErr != "" {
				if errs[0] == nil || !strings.Contains(errs[0].Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error about %s", errs[0], tc.wantErr)
				}
				if p, ok := errs[0].(interface{ Permanent() bool }); ok && p.Permanent() {
					t.Errorf("%v is permanent; a configuration or connection problem must be retried", errs[0])
				}
				d.none()
				return
			}
			if errs[0] != nil {
				t.Fatal(errs[0])
			}
			got := d.wait(1)[0]
			if !got.TLS || got.User != "servus" || got.From != mailFrom {
				t.Errorf("got TLS %v, user %q, from %q; want TLS, servus, %s", got.TLS, got.User, got.From, mailFrom)
			}
		})
	}
}

// TestUntrustedCertificate: without the test's roots the self-signed
// certificate is refused: there is no way to skip the check.
func TestUntrustedCertificate(t *testing.T) {
	serverTLS, _ := selfSigned(t)
	d := startSMTPD(t, func(d *smtpd) { d.tls = serverTLS })
	s, err := delivery.NewSender(delivery.SMTPOptions{URL: d.URL("?tls=required"), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if errs := s.Send(context.Background(), []*gomail.Msg{testMsg(t)}); errs[0] == nil || !strings.Contains(errs[0].Error(), "certificate") {
		t.Fatalf("got %v, want a certificate error", errs[0])
	}
	d.none()
}
