package delivery_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/delivery"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
)

var resetLink = regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/password/reset\?token=(servus_[a-z2-7]+)`)

// TestPasswordResetMail: a reset link asked for in the web goes out through
// the outbox and a real SMTP conversation, in the language asked in (else
// the account's), with the link, its expiry and the line for whoever did
// not ask; it names no ticket and threads on nothing. The mailed link
// works.
func TestPasswordResetMail(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := startSMTPD(t, nil)
			f := newFixture(t, dialect, d, desk.MailOptions{})
			ctx := context.Background()
			must(0, f.svc.RequestPasswordReset(ctx, "alice@example.org", ""))  // German account
			must(0, f.svc.RequestPasswordReset(ctx, "anna@example.org", "de")) // English account, asked on the German page
			if n := f.round(t); n != 2 {
				t.Fatalf("claimed %d, want 2", n)
			}
			got := byRecipient(t, d.wait(2))
			d.none()

			de := got["alice@example.org"]
			if s := de.subject(t); s != "Neues Passwort für Ihr Service-Desk-Konto" {
				t.Errorf("subject %q", s)
			}
			for name, want := range map[string]string{
				"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All",
				"In-Reply-To": "", "References": "", "X-Servus-Ticket": "", "Precedence": "",
				"From": `"Service-Desk" <` + mailFrom + `>`,
			} {
				if got := de.Header.Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
			if id := de.Header.Get("Message-ID"); !strings.HasPrefix(id, "<servus.account.") || !strings.HasSuffix(id, "@servus.example.org>") {
				t.Errorf("Message-ID %q", id)
			}
			contains(t, "German reset mail", de.Text, "Guten Tag Alice Requester", "alice@example.org",
				"Neues Passwort festlegen:\r\n"+baseURL+"/password/reset?token=servus_",
				"bis 02.03.2026 um 10:00 (UTC)", "Wenn Sie das nicht angefordert haben, ignorieren Sie diese Mail")
			lacks(t, "German reset mail", de.Text, "#", delivery.Marker) // no ticket, nothing quoted
			m := resetLink.FindStringSubmatch(de.Text)
			if m == nil {
				t.Fatalf("no link in:\n%s", de.Text)
			}
			contains(t, "German reset HTML", de.HTML, `href="`+m[0]+`"`, "Wenn Sie das nicht angefordert haben")

			en := got["anna@example.org"]
			contains(t, "English reset mail", en.Text, "Guten Tag Anna Agent", "Neues Passwort festlegen")
			if en.Header.Get("From") != `"Service-Desk" <`+mailFrom+`>` {
				t.Errorf("From %q: want the language asked in", en.Header.Get("From"))
			}

			// The mailed link is the real one, and it works once.
			link := must(f.svc.CheckPasswordReset(ctx, m[1]))
			if link.Email != "alice@example.org" {
				t.Errorf("the link is for %s", link.Email)
			}
			must(f.svc.ResetPassword(ctx, m[1], "ein neues Passwort"))
			if _, err := f.svc.ActorByPassword(ctx, "alice@example.org", "ein neues Passwort"); err != nil {
				t.Errorf("sign-in with the new password: %v", err)
			}
			for _, it := range f.outbox(t) {
				if it.State != "sent" || it.Ticket != 0 || it.Event != desk.NotifyPasswordReset {
					t.Errorf("outbox: %+v, want sent reset mails", it)
				}
			}
		})
	}
}

// TestPasswordResetMailEnglish: an English account that asks in English
// gets English wording.
func TestPasswordResetMailEnglish(t *testing.T) {
	d := startSMTPD(t, nil)
	f := newFixture(t, storetest.Dialects[0], d, desk.MailOptions{})
	must(0, f.svc.RequestPasswordReset(context.Background(), "bob@example.org", "en"))
	f.round(t)
	m := byRecipient(t, d.wait(1))["bob@example.org"]
	if s := m.subject(t); s != "A new password for your service desk account" {
		t.Errorf("subject %q", s)
	}
	contains(t, "English reset mail", m.Text, "Hello Bob Requester", "Someone – hopefully you –", "Set a new password:\r\n"+baseURL,
		"until 2 Mar 2026 at 10:00 (UTC)", "If you did not ask for this, ignore this mail")
	if m.Header.Get("From") != `"Service Desk" <`+mailFrom+`>` {
		t.Errorf("From %q", m.Header.Get("From"))
	}
}

// TestPasswordResetMailDropped: a reset mail whose link expired, or was
// replaced by a used link, before the mail could go out is dropped, not
// sent.
func TestPasswordResetMailDropped(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := startSMTPD(t, nil)
			f := newFixture(t, dialect, d, desk.MailOptions{})
			ctx := context.Background()

			// The mail server is down for the link's hour.
			d.down()
			must(0, f.svc.RequestPasswordReset(ctx, "bob@example.org", "en"))
			f.round(t)
			f.clock.Add(time.Hour)
			d.up()
			if n := f.round(t); n != 0 {
				t.Errorf("claimed %d mails with an expired link", n)
			}
			d.none()
			items := f.outbox(t)
			if len(items) != 1 || items[0].State != "dropped" || items[0].LastError != "the link expired before the mail could be sent" {
				t.Fatalf("outbox: %+v", items[0])
			}

			// A first link arrives; a second waits for the mail server; the
			// first is used: the second is dropped, never sent.
			must(0, f.svc.RequestPasswordReset(ctx, "bob@example.org", "en"))
			f.round(t)
			first := resetLink.FindStringSubmatch(byRecipient(t, d.wait(1))["bob@example.org"].Text)
			d.down()
			must(0, f.svc.RequestPasswordReset(ctx, "bob@example.org", "en"))
			f.round(t)
			if it := f.outbox(t)[0]; it.State != "pending" || it.Attempts != 1 {
				t.Fatalf("second mail: %+v, want pending after a failed attempt", it)
			}
			must(f.svc.ResetPassword(ctx, first[1], "bob's new password"))
			d.up()
			f.clock.Add(time.Hour)
			if n := f.round(t); n != 0 {
				t.Errorf("claimed %d mails of a replaced link", n)
			}
			d.none()
			if it := f.outbox(t)[0]; it.State != "dropped" || !strings.Contains(it.LastError, "could no longer be used") {
				t.Errorf("second mail: %+v, want dropped", it)
			}
		})
	}
}
