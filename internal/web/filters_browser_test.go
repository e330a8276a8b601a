package web_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// TestSavedFilterInBrowser: in Chromium, an agent saves a search as a
// filter shared with their queue, finds it on the dashboard with its
// count, and opens it from there.
func TestSavedFilterInBrowser(t *testing.T) {
	t.Parallel()
	browser(t)
	s := newSite(t, web.Options{})
	s.ticket(t, requesterEmail, "Servicedesk", "Printer jams on floor 2")
	s.ticket(t, requesterEmail, "Servicedesk", "Mail quota full")
	s.ticket(t, requesterEmail, "Security", "Phishing mail about the printer") // confidential: never counts for Anton

	anton := signIn(t, &instance{URL: s.srv.URL}, agentEmail, fixturePassword)
	anton.open("/search?q=printer")
	anton.do(chromedp.Click(chromedp.CSS(".save-filter summary"), chromedp.NodeVisible),
		chromedp.SetValue(chromedp.ID("filter-name"), "Drucker"),
		chromedp.SetValue(chromedp.ID("filter-share"), "Servicedesk"))
	anton.submit(chromedp.CSS(`.save-filter button[type=submit]`))
	if loc := anton.location(); !strings.HasSuffix(loc, "/search?q=printer") {
		t.Fatalf("after saving: at %s: %s", loc, anton.text(".notice-error"))
	}
	if n := anton.text(".notice-ok"); !strings.Contains(n, "Filter gespeichert") {
		t.Fatalf("no confirmation: %q", n)
	}

	anton.open("/")
	if name, count := anton.text("#filters .filter-name"), anton.text("#filters .filter-count"); name != "Drucker" || count != "1" {
		t.Fatalf("dashboard filter: %q with %q, want Drucker with 1", name, count)
	}
	anton.submit(chromedp.CSS("#filters .filter-name"))
	if loc := anton.location(); !strings.HasSuffix(loc, "/search?q=printer") {
		t.Fatalf("opening the filter: at %s", loc)
	}
	if b := anton.text(".results"); !strings.Contains(b, "Printer jams") || strings.Contains(b, "Phishing") {
		t.Fatalf("the filter's results:\n%s", b)
	}

	// Sepp, in Security only, does not get Anton's team filter.
	sepp := signIn(t, &instance{URL: s.srv.URL}, securityEmail, fixturePassword)
	sepp.open("/")
	if b := sepp.text("#filters"); strings.Contains(b, "Drucker") {
		t.Fatalf("Sepp sees Anton's Servicedesk filter:\n%s", b)
	}
}

// smtpPerm is a permanent SMTP answer, for the outbox screenshot.
type smtpPerm struct{ msg string }

func (e smtpPerm) Error() string   { return e.msg }
func (e smtpPerm) Permanent() bool { return true }

// TestAdminScreenshots takes the screenshots admin-queues.png and
// outbox.png (see screenshotDir) from a small, realistic computing centre.
func TestAdminScreenshots(t *testing.T) {
	t.Parallel()
	browser(t)
	ctx := context.Background()
	s := newMailSite(t)
	for _, q := range []desk.NewQueue{
		{Name: "INNET", Address: "innet-admin@zid.example"},
		{Name: "Mail", Address: "mail-admin@zid.example"},
		{Name: "Telefonie", Address: "telefon-admin@zid.example"},
		{Name: "VIS Online", Address: "vis-online@zid.example", Confidential: true},
	} {
		if _, err := s.svc.CreateQueue(ctx, access.System, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []desk.NewUser{
		{Email: "lena.berger@zid.example", Name: "Lena Berger", Role: ticket.RoleAgent},
		{Email: "jonas.wimmer@zid.example", Name: "Jonas Wimmer", Role: ticket.RoleAgent},
		{Email: "maria.huber@uni.example", Name: "Maria Huber", Role: ticket.RoleRequester},
		{Email: "paul.egger@uni.example", Name: "Paul Egger", Role: ticket.RoleRequester},
	} {
		if _, err := s.svc.CreateUser(ctx, access.System, u); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range [][2]string{{"INNET", "lena.berger@zid.example"}, {"INNET", agentEmail}, {"Mail", "jonas.wimmer@zid.example"},
		{"Telefonie", "lena.berger@zid.example"}, {"VIS Online", securityEmail}, {"Security", "jonas.wimmer@zid.example"}} {
		if err := s.svc.AddQueueMember(ctx, access.System, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, tk := range []struct{ who, queue, subject string }{
		{requesterEmail, "Servicedesk", "Drucker im 2. Stock druckt nur leere Seiten"},
		{"maria.huber@uni.example", "INNET", "WLAN eduroam im Hörsaal 3 bricht ab"},
		{"paul.egger@uni.example", "Mail", "Postfach voll, Kontingent erhöhen"},
		{"maria.huber@uni.example", "Telefonie", "Neue Nebenstelle für Sekretariat"},
		{"paul.egger@uni.example", "Servicedesk", "VPN-Zugang für Forschungsaufenthalt"},
		{requesterEmail, "INNET", "Netzwerkdose 1.034 ohne Verbindung"},
	} {
		s.ticket(t, tk.who, tk.queue, tk.subject)
	}
	ms, err := s.svc.ClaimMail(ctx, time.Minute, 20)
	if err != nil || len(ms) < 4 {
		t.Fatalf("claim: %d, %v", len(ms), err)
	}
	for i, m := range ms {
		var sendErr error
		switch i % 4 {
		case 1:
			sendErr = smtpPerm{"550 5.1.1 <" + m.Recipient.Email + ">: Recipient address rejected: User unknown in virtual mailbox table"}
		case 2:
			sendErr = errors.New("dial tcp 10.0.4.25:587: connect: connection refused")
		}
		if err := s.svc.FinishMail(ctx, m.ID, sendErr); err != nil {
			t.Fatal(err)
		}
	}

	withAdmin(t, s)
	p := signIn(t, &instance{URL: s.srv.URL}, deskAdminEmail, fixturePassword)
	p.open("/admin/queues")
	if b := p.body(); !strings.Contains(b, "innet-admin@zid.example") || !strings.Contains(b, "Lena Berger") {
		t.Fatalf("queues page:\n%s", b)
	}
	p.screenshot("admin-queues")
	p.open("/admin/outbox")
	if b := p.body(); !strings.Contains(b, "User unknown") || !strings.Contains(b, "connection refused") {
		t.Fatalf("outbox page:\n%s", b)
	}
	p.screenshot("outbox")
}
