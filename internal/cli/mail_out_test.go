package cli_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// smtpSink is an SMTP server on loopback that hands every message it
// accepts to got.
// smtpSink takes every mail: with record set, it records the mail before
// it answers 250 (so a sender that saw the 250 finds it recorded);
// otherwise it passes it on through got.
type smtpSink struct {
	got    chan string
	record func(raw string)
}

func (s *smtpSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s}, nil }

type sinkSession struct{ s *smtpSink }

func (*sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (*sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (*sinkSession) Reset()                               {}
func (*sinkSession) Logout() error                        { return nil }
func (x *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if x.s.record != nil {
		x.s.record(string(b))
		return err
	}
	x.s.got <- string(b)
	return err
}

// TestServeMailsNotifications: servus serve with --smtp-url (from the
// environment) mails a new ticket's receipt with the configured subject
// tag and the base URL's link.
func TestServeMailsNotifications(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sink := &smtpSink{got: make(chan string, 10)}
	srv := smtp.NewServer(sink)
	srv.Domain = "mx.test"
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	store := storeArgs(t, "sqlite")
	_, requester := bootstrap(t, store)
	in := startServe(t, map[string]string{"SERVUS_SMTP_URL": "smtp://" + ln.Addr().String() + "?tls=none"},
		append([]string{"--addr", "127.0.0.1:0", "--base-url", "https://servus.uni.example", "--subject-prefix", "ZID #"}, store...)...)
	tk := call(t, "POST", in.URL+"/api/v1/tickets", requester, map[string]any{"queue": "Servicedesk", "subject": "WLAN", "description": "kein Netz"}, 201)
	var mails []string
	for len(mails) < 2 { // the receipt and the queue member's mail
		select {
		case m := <-sink.got:
			mails = append(mails, m)
		case <-time.After(20 * time.Second):
			t.Fatalf("got %d mails, want 2; stderr:\n%s", len(mails), in.Log())
		}
	}
	all := strings.Join(mails, "\n")
	for _, want := range []string{
		fmt.Sprintf("Subject: [ZID #%v] WLAN", tk["number"]),
		fmt.Sprintf("https://servus.uni.example/tickets/%v", tk["number"]),
		"From: \"Servicedesk\" <servicedesk@servus.uni.example>",
		"@servus.uni.example>", // Message-ID in servus's domain
		"Auto-Submitted: auto-generated",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("mails lack %q:\n%s", want, all)
		}
	}
	if !strings.Contains(in.Log(), "mailing notifications") {
		t.Errorf("no start line in the log:\n%s", in.Log())
	}
}
