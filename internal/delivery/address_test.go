package delivery_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/servus-desk/servus/internal/delivery"
	"github.com/servus-desk/servus/internal/desk"
)

// displayNames are display names as they come in real From headers: each
// must reach the mail server in a message whose To, From and Reply-To parse
// back to the same name and address. want is the name as sent when it is
// not the name itself (line breaks become spaces, spaces are collapsed).
var displayNames = []struct{ name, want string }{
	{name: `Müller, Hans (ZID)`},
	{name: `"Hans Müller"`},
	{name: `O'Brien "Bob" Jr.`},
	{name: `Doe; John`},
	{name: `Back\slash \"quoted\"`},
	{name: `Jürgen Weiß ÄÖÜ äöü ß`},
	{name: `Support 🎫 Team 🚀`},
	{name: `alice@example.org`},
	{name: `bob@example.org <evil@example.net>`},
	{name: `"" <>`},
	{name: `=?utf-8?q?not=20really?=`},
	{name: strings.Repeat("Sehr langer Name mit Umlauten äöü ", 4)[:133], want: strings.TrimSpace(strings.Repeat("Sehr langer Name mit Umlauten äöü ", 4)[:133])},
	{name: strings.Repeat("Averyveryverylongnamewithoutanyspaces", 3)},
	{name: strings.Repeat("Plain ASCII words, long enough to be folded ", 3), want: strings.TrimSpace(strings.Repeat("Plain ASCII words, long enough to be folded ", 3))},
	{name: "Evil\r\nBcc: victim@example.net", want: "Evil Bcc: victim@example.net"},
	{name: "Evil\nX-Injected: yes", want: "Evil X-Injected: yes"},
	{name: "Tab\tand  double  spaces", want: "Tab and double spaces"},
}

// TestAddressesQuoted sends a mail for each display name, as the
// recipient's name and as the queue's name, through the SMTP sender to a
// loopback server, and parses To, From and Reply-To back.
func TestAddressesQuoted(t *testing.T) {
	d := startSMTPD(t, nil)
	s, err := delivery.NewSender(delivery.SMTPOptions{URL: d.URL("?tls=none"), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := renderer(t, "")
	for _, tc := range displayNames {
		want := tc.want
		if want == "" {
			want = tc.name
		}
		for _, lang := range []string{"de", "en"} {
			m := outMail(desk.NotifyQuestion, lang)
			m.Recipient.Name = tc.name
			m.Ticket.Queue = tc.name
			out, err := r.Render(m, m.CreatedAt)
			if err != nil {
				t.Errorf("%q: render: %v", tc.name, err)
				continue
			}
			if errs := s.Send(context.Background(), []*gomail.Msg{out.Msg}); errs[0] != nil {
				t.Errorf("%q: send: %v", tc.name, errs[0])
				continue
			}
			got := d.wait(1)[0]
			if len(got.To) != 1 || got.To[0] != "alice@example.org" || got.From != mailFrom {
				t.Errorf("%q: envelope from %q to %v, want %s to alice@example.org", tc.name, got.From, got.To, mailFrom)
			}
			p := parse(t, got.Data)
			for _, h := range []struct{ field, addr string }{
				{"To", "alice@example.org"}, {"From", mailFrom}, {"Reply-To", "servicedesk@example.org"},
			} {
				list, err := p.Header.AddressList(h.field)
				if err != nil || len(list) != 1 {
					t.Errorf("%q: %s %q: got %v, %v; want one address", tc.name, h.field, p.Header.Get(h.field), list, err)
					continue
				}
				if list[0].Name != want || list[0].Address != h.addr {
					t.Errorf("%q: %s parses as %q <%s>, want %q <%s>\n%s", tc.name, h.field, list[0].Name, list[0].Address,
						want, h.addr, p.Header.Get(h.field))
				}
			}
			for k := range p.Header {
				if k == "Bcc" || k == "X-Injected" {
					t.Errorf("%q: header %s injected", tc.name, k)
				}
			}
		}
	}
}

// TestAddressRefused: an address that is no address is refused when the
// mail is rendered (a permanent failure), never sent to someone else.
func TestAddressRefused(t *testing.T) {
	r := renderer(t, "")
	for _, addr := range []string{"", "alice", "alice@example.org, eve@example.net", "Alice <alice@example.org>",
		"alice@example.org\r\nBcc: eve@example.net"} {
		m := outMail(desk.NotifyQuestion, "en")
		m.Recipient.Email = addr
		if _, err := r.Render(m, m.CreatedAt); err == nil {
			t.Errorf("recipient %q: rendered, want an error", addr)
		}
	}
}
