package intake_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/intake"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// startIMAP serves go-imap's in-memory server on 127.0.0.1 with the user
// desk (password pw) and an INBOX, and returns its address.
func startIMAP(t *testing.T) string {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("desk", "pw")
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
	})
	ln := must(net.Listen("tcp", "127.0.0.1:0"))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// imapClient logs in as desk.
func imapClient(t *testing.T, addr string) *imapclient.Client {
	t.Helper()
	c := must(imapclient.DialInsecure(addr, nil))
	if err := c.Login("desk", "pw").Wait(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// deliverIMAP appends raw to mailbox, as the mail server does.
func deliverIMAP(t *testing.T, c *imapclient.Client, mailbox, raw string) {
	t.Helper()
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	if _, err := cmd.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func runPoller(t *testing.T, p *intake.IMAP) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("the IMAP poller did not stop")
		}
	})
}

// TestIMAPPoller: mail in the mailbox before and after the poller starts
// (the latter found through IDLE) becomes tickets in the queue the mailbox
// receives for, and is flagged \Seen; a message that came by LMTP twice and
// by IMAP once makes one entry.
func TestIMAPPoller(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			svc := newDesk(t, d)
			addr := startIMAP(t)
			c := imapClient(t, addr)
			box := must(config.ParseIMAP("imap://desk:pw@" + addr + "/INBOX?tls=none&to=innet-admin@example.org&interval=1s"))

			// The same mail through LMTP twice, then through IMAP.
			dupRaw := mailText("erik@example.org", "servicedesk@example.org", "Drucker", "dup@erik", "", "Drucker offline.")
			lmtp := startLMTP(t, svc)
			lmtpSend(t, lmtp, "erik@example.org", []string{"servicedesk@example.org"}, dupRaw)
			lmtpSend(t, lmtp, "erik@example.org", []string{"servicedesk@example.org"}, dupRaw)
			deliverIMAP(t, c, "INBOX", "Received: from mx by imap.example.org\r\n"+dupRaw)

			deliverIMAP(t, c, "INBOX", mailText("frida@example.org", "netz@example.org", "Kein Netz in Raum 1", "n1@frida", "", "Seit heute früh."))
			runPoller(t, intake.NewIMAP(svc, box, nil))
			count := func() int { return must(svc.Search(ctx, access.System, ticket.Filter{})).Total }
			waitFor(t, "the first mails", func() bool { return count() == 2 })

			// New mail while the poller idles.
			deliverIMAP(t, c, "INBOX", mailText("gert@example.org", "netz@example.org", "WLAN weg", "n2@gert", "", "Im Hörsaal."))
			waitFor(t, "the mail sent while idling", func() bool { return count() == 3 })

			page := must(svc.Search(ctx, access.System, ticket.Filter{Requester: "gert@example.org"}))
			if page.Total != 1 || page.Items[0].Queue != "Netz" || page.Items[0].Channel != ticket.ChannelMail {
				t.Errorf("got %+v, want gert's ticket in Netz (the mailbox's address)", page.Items)
			}
			erik := must(svc.Search(ctx, access.System, ticket.Filter{Requester: "erik@example.org"}))
			if erik.Total != 1 {
				t.Fatalf("got %d tickets of erik, want 1", erik.Total)
			}
			if es := must(svc.Entries(ctx, access.System, erik.Items[0].Number)); len(es) != 1 {
				t.Errorf("got %d entries on erik's ticket, want 1: %+v", len(es), es)
			}

			// Every message is flagged \Seen.
			if _, err := c.Select("INBOX", nil).Wait(); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "every message \\Seen", func() bool {
				unseen := must(c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait())
				return len(unseen.AllUIDs()) == 0
			})
		})
	}
}

// TestIMAPProcessedFolder: with ?processed= the poller moves what it stored
// out of the mailbox.
func TestIMAPProcessedFolder(t *testing.T) {
	ctx := context.Background()
	svc := newDesk(t, storetest.Dialects[0])
	addr := startIMAP(t)
	c := imapClient(t, addr)
	deliverIMAP(t, c, "INBOX", mailText("hans@example.org", "servicedesk@example.org", "Passwort", "p1@hans", "", "Vergessen."))
	box := must(config.ParseIMAP("imap://desk:pw@" + addr + "?tls=none&processed=servus/processed"))
	runPoller(t, intake.NewIMAP(svc, box, nil))
	waitFor(t, "the ticket", func() bool { return must(svc.Search(ctx, access.System, ticket.Filter{})).Total == 1 })
	waitFor(t, "the message moved", func() bool {
		st := must(c.Status("servus/processed", &imap.StatusOptions{NumMessages: true}).Wait())
		in := must(c.Status("INBOX", &imap.StatusOptions{NumMessages: true}).Wait())
		return *st.NumMessages == 1 && *in.NumMessages == 0
	})
	if q := must(svc.Search(ctx, access.System, ticket.Filter{})).Items[0].Queue; q != "Servicedesk" {
		t.Errorf("got queue %s, want Servicedesk", q)
	}
	_ = desk.ChannelIMAP
}
