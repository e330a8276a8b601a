package intake_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/intake"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// dovecotClient logs in to d as user (password pw).
func dovecotClient(t *testing.T, d *dovecot, user string) *imapclient.Client {
	t.Helper()
	c := must(imapclient.DialInsecure(d.Addr, nil))
	if err := c.Login(user, "pw").Wait(); err != nil {
		t.Fatalf("log in to dovecot as %s: %v\n%s", user, err, d.Log())
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dovecotPoller is servus's IMAP poller for the --imap URL's path and query
// on d as user, retrying quickly and re-polling only once an hour without
// news (so what it takes while idling came through IDLE).
func dovecotPoller(t *testing.T, recv intake.Receiver, d *dovecot, user, rest string) *intake.IMAP {
	t.Helper()
	box := must(config.ParseIMAP("imap://" + user + ":pw@" + d.Addr + rest))
	p := intake.NewIMAP(recv, box, nil)
	p.Retry, p.MaxRetry, p.IdleRepoll = 50*time.Millisecond, 200*time.Millisecond, time.Hour
	return p
}

// numMessages counts the messages of mailbox, and those among them
// without \Seen.
func numMessages(t *testing.T, c *imapclient.Client, mailbox string) (all, unseen int) {
	t.Helper()
	st := must(c.Status(mailbox, &imap.StatusOptions{NumMessages: true, NumUnseen: true}).Wait())
	return int(*st.NumMessages), int(*st.NumUnseen)
}

// TestDovecotIdleAndSeen: against Dovecot, mail in the INBOX before the
// poller starts becomes a ticket, a message already \Seen is left alone,
// mail appended while the poller idles is taken at once (its IDLE is woken:
// it would otherwise not look again for an hour), and every message taken
// is flagged \Seen.
func TestDovecotIdleAndSeen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := startDovecot(t, "desk")
	svc := newDesk(t, storetest.Dialects[0])
	w := newWatched(svc)
	c := dovecotClient(t, d, "desk")

	deliverIMAP(t, c, "INBOX", mailText("anna@example.org", "servicedesk@example.org", "VPN", "vpn@anna", "", "Der VPN-Client startet nicht."))
	read := mailText("old@example.org", "servicedesk@example.org", "Gelesen", "read@old", "", "Schon gelesen.")
	cmd := c.Append("INBOX", int64(len(read)), &imap.AppendOptions{Flags: []imap.Flag{imap.FlagSeen}})
	must(cmd.Write([]byte(read)))
	must(0, cmd.Close())
	must(cmd.Wait())

	p := dovecotPoller(t, w, d, "desk", "/INBOX?tls=none&to=servicedesk@example.org")
	runPoller(t, p)
	if n := w.next(t, "the mail waiting in the INBOX"); n == 0 {
		t.Fatal("the first mail made no ticket")
	}

	start := time.Now()
	deliverIMAP(t, c, "INBOX", mailText("bert@example.org", "servicedesk@example.org", "Drucker", "drucker@bert", "", "Papierstau."))
	if n := w.next(t, "the mail appended while idling"); n == 0 {
		t.Fatal("the mail appended while idling made no ticket")
	}
	// The poller's fallback interval is an hour: arriving within minutes
	// shows that IDLE, not polling, brought the mail (a bound this loose is
	// no speed test; it only tells IDLE from the hourly poll).
	if took := time.Since(start); took > 5*time.Minute {
		t.Errorf("the mail appended while idling took %s: IDLE did not report it", took)
	}
	page := must(svc.Search(ctx, access.System, ticket.Filter{}))
	if page.Total != 2 {
		t.Fatalf("got %d tickets, want 2 (the \\Seen message is not taken): %+v", page.Total, page.Items)
	}
	for _, it := range page.Items {
		if it.Queue != "Servicedesk" || it.Channel != ticket.ChannelMail {
			t.Errorf("ticket %+v, want a mail ticket in Servicedesk", it)
		}
	}
	waitFor(t, "every message \\Seen", func() bool {
		all, unseen := numMessages(t, c, "INBOX")
		return all == 3 && unseen == 0
	})
}

// TestDovecotSeveralMailboxes: three pollers at once (two folders of one
// account, and another account) each idle on their own connection, and
// each mailbox's mail lands in the queue its ?to= names.
func TestDovecotSeveralMailboxes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := startDovecot(t, "desk", "netz")
	svc := newDesk(t, storetest.Dialects[0])
	w := newWatched(svc)
	desk, netz := dovecotClient(t, d, "desk"), dovecotClient(t, d, "netz")
	if err := desk.Create("Netzwerk", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	runPoller(t, dovecotPoller(t, w, d, "desk", "/INBOX?tls=none&to=servicedesk@example.org"))
	runPoller(t, dovecotPoller(t, w, d, "desk", "/Netzwerk?tls=none&to=innet-admin@example.org"))
	runPoller(t, dovecotPoller(t, w, d, "netz", "?tls=none&to=innet-admin@example.org"))

	deliverIMAP(t, desk, "INBOX", mailText("carl@example.org", "hilfe@example.org", "Passwort", "pw@carl", "", "Vergessen."))
	deliverIMAP(t, desk, "Netzwerk", mailText("dora@example.org", "hilfe@example.org", "WLAN", "wlan@dora", "", "Kein WLAN."))
	deliverIMAP(t, netz, "INBOX", mailText("emil@example.org", "hilfe@example.org", "Kabel", "kabel@emil", "", "Dose tot."))
	for i := range 3 {
		w.next(t, fmt.Sprintf("mail %d of 3", i+1))
	}
	for who, queue := range map[string]string{"carl@example.org": "Servicedesk", "dora@example.org": "Netz", "emil@example.org": "Netz"} {
		page := must(svc.Search(ctx, access.System, ticket.Filter{Requester: who}))
		if page.Total != 1 || page.Items[0].Queue != queue {
			t.Errorf("%s: got %+v, want one ticket in %s", who, page.Items, queue)
		}
	}
}

// TestDovecotProcessedFolder: with ?processed= the poller creates the
// folder on Dovecot and moves every message it took there, before and
// while idling; nothing is left in the INBOX.
func TestDovecotProcessedFolder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := startDovecot(t, "desk")
	svc := newDesk(t, storetest.Dialects[0])
	w := newWatched(svc)
	c := dovecotClient(t, d, "desk")
	deliverIMAP(t, c, "INBOX", mailText("fritz@example.org", "servicedesk@example.org", "Beamer", "beamer@fritz", "", "Kein Bild."))
	deliverIMAP(t, c, "INBOX", mailText("gabi@example.org", "servicedesk@example.org", "Maus", "maus@gabi", "", "Kaputt."))
	runPoller(t, dovecotPoller(t, w, d, "desk", "?tls=none&processed=Erledigt"))
	w.next(t, "the first mail")
	w.next(t, "the second mail")
	deliverIMAP(t, c, "INBOX", mailText("hugo@example.org", "servicedesk@example.org", "Tastatur", "tast@hugo", "", "Taste klemmt."))
	w.next(t, "the mail appended while idling")
	waitFor(t, "every message moved", func() bool {
		in, _ := numMessages(t, c, "INBOX")
		done, _ := numMessages(t, c, "Erledigt")
		return in == 0 && done == 3
	})
	if n := must(svc.Search(ctx, access.System, ticket.Filter{})).Total; n != 3 {
		t.Errorf("got %d tickets, want 3", n)
	}
}

// TestDovecotConnectionDropped: Dovecot is killed (every connection dropped)
// while the poller is storing a message it fetched, before it could flag
// it; servus keeps that message, the poller reconnects once Dovecot is
// back, and every message ends up as exactly one ticket with one entry,
// all \Seen: nothing lost, nothing doubled.
func TestDovecotConnectionDropped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := startDovecot(t, "desk")
	svc := newDesk(t, storetest.Dialects[0])
	w := newWatched(svc)
	c := dovecotClient(t, d, "desk")
	const total = 6
	for i := range total {
		deliverIMAP(t, c, "INBOX", mailText(fmt.Sprintf("user%d@example.org", i), "servicedesk@example.org",
			fmt.Sprintf("Anliegen %d", i), fmt.Sprintf("m%d@example.org", i), "", "Bitte helfen."))
	}
	c.Close()

	reached, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	w.hold = func(raw []byte) {
		if strings.Contains(string(raw), "Subject: Anliegen 3\r\n") {
			once.Do(func() { close(reached); <-release })
		}
	}
	runPoller(t, dovecotPoller(t, w, d, "desk", "?tls=none&to=servicedesk@example.org"))
	select {
	case <-reached:
	case <-time.After(10 * time.Second):
		t.Fatal("the poller never reached the fourth message")
	}
	d.Kill() // the poller's connection is gone while it stores message 3
	close(release)
	d.Start()

	tickets := map[int64]bool{}
	for i := range total {
		n := w.next(t, fmt.Sprintf("message %d of %d", i+1, total))
		if n == 0 || tickets[n] {
			t.Fatalf("message %d: ticket %d (tickets so far %v)", i+1, n, tickets)
		}
		tickets[n] = true
	}
	page := must(svc.Search(ctx, access.System, ticket.Filter{}))
	if page.Total != total {
		t.Fatalf("got %d tickets, want %d", page.Total, total)
	}
	for _, it := range page.Items {
		if es := must(svc.Entries(ctx, access.System, it.Number)); len(es) != 1 {
			t.Errorf("ticket %d has %d entries, want 1", it.Number, len(es))
		}
	}
	c = dovecotClient(t, d, "desk")
	waitFor(t, "every message \\Seen", func() bool {
		all, unseen := numMessages(t, c, "INBOX")
		return all == total && unseen == 0
	})
	select {
	case n := <-w.processed:
		t.Errorf("a message was processed once more (ticket %d)", n)
	default:
	}
}
