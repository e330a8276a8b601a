package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
)

// TestReportsBrowser: in Chromium, on a real servus with seven tickets,
// an agent finds /reports in the navigation, sees the figures (once the
// report job has filled them) with charts drawn as SVG with a title and
// a table beside them, groups by queue through the form; asking for a
// grouping by assignee by hand answers the works council's reason and no
// figures; on a phone the page fits the screen. A requester gets not
// found.
func TestReportsBrowser(t *testing.T) {
	t.Parallel()
	browser(t)
	data := t.TempDir()
	seed(t, data, "", func(t testing.TB, db *store.DB) {
		seedFixture(t, db)
		ctx := context.Background()
		cheap := auth.CheapParams()
		svc := desk.New(db, nil, desk.Options{PasswordParams: &cheap, Quiet: true})
		rita, err := svc.ActorByEmail(ctx, requesterEmail)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 7 {
			if _, err := svc.CreateTicket(ctx, rita, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker " + strconv.Itoa(i), Description: "geht nicht"}); err != nil {
				t.Fatal(err)
			}
		}
	})
	in := start(t, data, "", "--shutdown-timeout", "5s")
	agent := signIn(t, in, agentEmail, fixturePassword)
	agent.do(chromedp.EmulateViewport(1280, 900))
	agent.open("/")
	agent.submit(`nav.main-nav a[href="/reports"]`)
	if h := agent.text("h1"); h != "Berichte" && h != "Reports" {
		t.Fatalf("h1: got %q, want the reports page", h)
	}
	waitReportFigures(t, agent, "/reports")
	for _, sel := range []string{`svg#chart-volume title`, `svg#chart-backlog desc`, `svg#chart-load title`, `svg#chart-feedback title`} {
		got, err := chromedp.Run(agent.ctx, chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(sel)+`)||{}).textContent||""`))
		if err != nil || got == "" {
			t.Errorf("no %s (%v)", sel, err)
		}
	}
	if got := agent.text(".report-load tbody"); got == "" {
		t.Errorf("no load table beside the heat map")
	}
	agent.do(chromedp.SetValue(chromedp.ID("r-group"), "queue"))
	agent.submit(`form[action="/reports"] button[type=submit]`)
	if loc := agent.location(); !strings.Contains(loc, "group_by=queue") {
		t.Fatalf("after the form: at %s", loc)
	}
	if rows := agent.text(".report-table tbody"); !strings.Contains(rows, "Servicedesk") {
		t.Errorf("by queue: %q, want Servicedesk's line", rows)
	}

	// On a phone the page does not scroll sideways (tables scroll in
	// their own box).
	agent.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	agent.open("/reports?group_by=queue")
	if w, err := chromedp.Run(agent.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); err != nil || w > 0 {
		t.Errorf("phone: the page is %d px wider than the screen (%v)", w, err)
	}
	agent.do(chromedp.EmulateViewport(1280, 900))

	// By hand, a grouping or a filter by a person: refused, kindly.
	for _, q := range []string{"group_by=assignee", "assignee=" + agentEmail, "author=x", "agent=1"} {
		agent.open("/reports?" + q)
		body := agent.body()
		if !strings.Contains(body, "Betriebsrat") && !strings.Contains(body, "works council") {
			t.Errorf("%s: got %q, want the works council's reason", q, body)
		}
		if agent.text(".report-table") != "" {
			t.Errorf("%s: figures shown", q)
		}
	}

	requester := signIn(t, in, requesterEmail, fixturePassword)
	requester.open("/reports")
	if b := requester.body(); strings.Contains(b, "Kennzahlen") || strings.Contains(b, "Figures") {
		t.Errorf("a requester sees reports: %q", b)
	}
}

// waitReportFigures opens path until its total line counts at least five
// tickets: the report job fills the figures right after the start.
func waitReportFigures(t *testing.T, p *person, path string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		p.open(path)
		total := p.text(".report-table tfoot tr.total")
		if fields := strings.Fields(total); len(fields) > 1 {
			if n, err := strconv.Atoi(fields[1]); err == nil && n >= 5 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no figures at %s after two minutes: total line %q", path, total)
		}
		time.Sleep(500 * time.Millisecond) // the job's next pass; there is no event to await in the browser
	}
}
