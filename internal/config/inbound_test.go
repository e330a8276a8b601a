package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseIMAP(t *testing.T) {
	m, err := ParseIMAP("imaps://desk%40uni:s3cret@imap.example.org/Service%20Desk?to=ServiceDesk@example.org&processed=servus/processed&interval=30s")
	if err != nil {
		t.Fatal(err)
	}
	want := IMAPMailbox{Addr: "imap.example.org:993", TLS: "tls", User: "desk@uni", Password: "s3cret", Mailbox: "Service Desk",
		To: "servicedesk@example.org", Processed: "servus/processed", Interval: 30 * time.Second}
	if m != want {
		t.Errorf("got %+v, want %+v", m, want)
	}
	if m := mustIMAP(t, "imap://u:p@127.0.0.1:1143?tls=none"); m.TLS != "none" || m.Addr != "127.0.0.1:1143" || m.Mailbox != "INBOX" {
		t.Errorf("got %+v, want plain INBOX on 127.0.0.1:1143", m)
	}
	if m := mustIMAP(t, "imap://u:p@mail.example.org"); m.TLS != "starttls" || m.Addr != "mail.example.org:143" {
		t.Errorf("got %+v, want STARTTLS on port 143", m)
	}
	for _, bad := range []string{"pop3://u:p@x", "imaps://x/INBOX", "imaps://u:p@x?tls=none", "imap://u:p@x?interval=soon", "imap://u:p@/"} {
		_, err := ParseIMAP(bad)
		if err == nil || !strings.HasPrefix(err.Error(), "--imap:") {
			t.Errorf("ParseIMAP(%q) = %v, want an --imap error", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), ":p@") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
	var l URLList
	l.Set("imap://a:b@x imap://c:d@y")
	l.Set("imap://e:f@z")
	if len(l) != 3 {
		t.Errorf("got %v, want 3 URLs", l)
	}
}

func mustIMAP(t *testing.T, raw string) IMAPMailbox {
	t.Helper()
	m, err := ParseIMAP(raw)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
