package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/desk"
)

// TestPhoneLayout: at 390 pixels no page scrolls sideways (wide tables
// scroll inside their box), and a result list fits its card.
func TestPhoneLayout(t *testing.T) {
	t.Parallel()
	browser(t)
	ctx := context.Background()
	s := newMailSite(t)
	for i := range 30 {
		s.ticket(t, requesterEmail, "Servicedesk", "Drucker im 2. Stock druckt nur leere Seiten, Nummer "+strconv.Itoa(i))
	}
	if _, err := s.svc.Receive(ctx, []byte(senderlessMail), desk.ChannelLMTP, ""); err != nil {
		t.Fatal(err)
	}
	withAdmin(t, s)
	sd := ""
	qs, err := s.svc.Queues(ctx, s.actor(t, deskAdminEmail))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Name == "Servicedesk" {
			sd = strconv.FormatInt(q.ID, 10)
		}
	}
	p := signIn(t, &instance{URL: s.srv.URL}, deskAdminEmail, fixturePassword)
	p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, path := range []string{"/admin/queues", "/admin/queues/" + sd, "/admin/outbox", "/admin/mail/failed", "/admin/users",
		"/admin/settings", "/search", "/", "/settings", "/tickets/new"} {
		p.open(path)
		got, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct{ Width, Tables int }](
			`({Width: document.documentElement.scrollWidth, Tables: document.querySelectorAll("table").length})`))
		if err != nil {
			t.Fatal(err)
		}
		if got.Width > 390 {
			t.Errorf("%s: the page is %d pixels wide at 390", path, got.Width)
		}
		if strings.HasPrefix(path, "/admin/") && path != "/admin/settings" && got.Tables == 0 {
			t.Errorf("%s: no table to check", path)
		}
	}
	// The result list fits on a phone and on a small tablet, each result
	// with its number, state and queue below the subject.
	for _, width := range []int64{390, 768} {
		p.do(chromedp.EmulateViewport(width, 1000, chromedp.EmulateMobile))
		p.open("/search")
		fit, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct{ Scroll, Client, Rows int }](`(() => { const w = document.querySelector(".results .table-wrap");
			return {Scroll: w.scrollWidth, Client: w.clientWidth, Rows: w.querySelectorAll("tbody tr").length}; })()`))
		if err != nil {
			t.Fatal(err)
		}
		if fit.Rows == 0 || fit.Scroll > fit.Client {
			t.Errorf("results at %d: %d rows %d pixels wide in a %d pixel card, want them to fit", width, fit.Rows, fit.Scroll, fit.Client)
		}
		if meta := p.text(".results tbody tr .rt-meta"); !strings.Contains(meta, "#") || !strings.Contains(meta, "Servicedesk") {
			t.Errorf("a result at %d shows %q below its subject, want its number, state and queue", width, meta)
		}
	}
}
