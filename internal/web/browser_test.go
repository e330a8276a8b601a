package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/demo"
	"github.com/servus-desk/servus/internal/saml/samltest"
	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store"
)

// chromiumPath is Debian's Chromium, which CI installs.
const chromiumPath = "/usr/bin/chromium"

// The browser: one Chromium process for the whole package, started on
// first use; each test gets its own tabs in fresh browser contexts, so
// cookies never leak between people.
var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
)

func TestMain(m *testing.M) {
	code := servustest.Main(m)
	samltest.Cleanup()
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	if browserCtx != nil {
		chromedp.Cancel(browserCtx)
	}
	os.Exit(code)
}

// browser returns the shared browser's context; it skips t when Chromium is
// missing (or fails it when CI is set).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing and CI is set: install Debian's chromium package", chromiumPath)
		}
		t.Skipf("%s is missing: install Debian's chromium package to run the browser tests", chromiumPath)
	}
	browserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "servus-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		alloc, _ := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromiumPath),
			chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1280, 900),
		)
		ctx, _ := chromedp.NewContext(alloc)
		// Start the browser now, so that tests can open browser contexts.
		browserErr = chromedp.Do(ctx, chromedp.Navigate("about:blank"))
		browserCtx = ctx
	})
	if browserErr != nil {
		t.Fatalf("start Chromium: %v", browserErr)
	}
	return browserCtx
}

// person is one signed-in browser: a tab in its own browser context.
type person struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// signIn opens a fresh browser context and signs email in.
func signIn(t *testing.T, in *instance, email, password string) *person {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelT)
	p := &person{t: t, ctx: ctx, base: in.URL}
	p.do(chromedp.EmulateViewport(1280, 900))
	p.open("/login")
	p.do(chromedp.SetValue(chromedp.ID("email"), email), chromedp.SetValue(chromedp.ID("password"), password))
	p.submit(chromedp.CSS(`form[action="/login"] button[type=submit]`))
	if loc := p.location(); strings.Contains(loc, "/login") {
		t.Fatalf("sign-in of %s failed: still at %s: %s", email, loc, p.text(chromedp.CSS(".notice-error")))
	}
	return p
}

func (p *person) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// open navigates to path and waits for the page.
func (p *person) open(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base + path))
}

// submit clicks sel and waits until the next page has loaded.
func (p *person) submit(sel chromedp.CSS) {
	p.t.Helper()
	loaded := chromedp.Events(p.ctx, page.LoadEventFired)
	p.do(chromedp.Click(sel, chromedp.NodeVisible))
	for _, err := range loaded {
		if err != nil {
			p.t.Fatalf("wait for the page after clicking %s: %v", sel, err)
		}
		break
	}
}

func (p *person) location() string {
	p.t.Helper()
	loc, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		p.t.Fatalf("location: %v", err)
	}
	return loc
}

// text returns the text of the first element sel matches, "" when none.
func (p *person) text(sel chromedp.CSS) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(string(sel))+`)||{}).innerText||""`))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// body is the visible text of the page.
func (p *person) body() string { return p.text("body") }

// screenshotDir is where screenshots go: the README's docs/screenshots
// when SERVUS_SCREENSHOTS is 1, the folder it names when it is another
// value, else a temporary folder of t (the screenshot is still taken, so
// the code path runs, but the tracked tree is left alone).
func screenshotDir(t *testing.T) string {
	switch v := os.Getenv("SERVUS_SCREENSHOTS"); v {
	case "", "0":
		return t.TempDir()
	case "1":
		return filepath.Join("..", "..", "docs", "screenshots")
	default:
		if err := os.MkdirAll(v, 0o755); err != nil {
			t.Fatalf("screenshot folder: %v", err)
		}
		return v
	}
}

// screenshot takes a full-page screenshot and writes it as name.png into
// screenshotDir.
func (p *person) screenshot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	if len(png) == 0 {
		p.t.Fatalf("screenshot %s is empty", name)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir(p.t), name+".png"), png, 0o644); err != nil {
		p.t.Fatalf("write screenshot: %v", err)
	}
}

// ticketState is the state badge of the ticket page.
func (p *person) ticketState() string { return p.text(".ticket-badges .badge") }

// TestJourney walks the main journey in Chromium on a real servus, on
// SQLite and PostgreSQL: a requester (English) opens a ticket through the
// assistant, an agent (German) takes it and asks a question, the requester
// answers, the agent resolves, the requester closes. A confidential ticket stays out of a
// non-member agent's lists, counts and search.
func TestJourney(t *testing.T) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			browser(t)
			in := boot(t, dialect, false)
			rita := signIn(t, in, requesterEmail, fixturePassword)
			anton := signIn(t, in, agentEmail, fixturePassword)

			// The requester opens a ticket through the assistant, in
			// English: choose, fill in, review, submit.
			rita.open("/")
			rita.submit(`.help a[href="/tickets/new/assistant"]`)
			for _, step := range []string{"Media technology", "Projector flickers"} {
				rita.clickLink(step)
			}
			if b := rita.body(); !strings.Contains(b, "Please name the room.") {
				t.Fatalf("assistant leaf lacks its help text:\n%s", b)
			}
			// The room is required: the browser will not send the form
			// without it (the server checks again: TestAssistantSteps).
			if req, err := chromedp.Run(rita.ctx, chromedp.Evaluate[bool](`document.getElementById("f_room").required`)); err != nil || !req {
				t.Fatalf("room field required: got %v (%v), want true", req, err)
			}
			rita.do(chromedp.SetValue(chromedp.ID("text"), "Since this morning the projector in lecture hall A flickers."))
			rita.do(chromedp.SetValue(chromedp.ID("f_room"), "HS A"))
			rita.submit(`button[name=step][value=review]`)
			if got := rita.text(".review-subject"); got != "Beamer flackert: HS A" {
				t.Fatalf("review subject: got %q, want Beamer flackert: HS A\n%s", got, rita.body())
			}
			rita.submit(`button[name=step][value=submit]`)
			loc := rita.location()
			number := loc[strings.LastIndex(loc, "/")+1:]
			if _, err := strconv.Atoi(number); err != nil {
				t.Fatalf("after creating: at %s, want /tickets/N", loc)
			}
			if got := rita.ticketState(); got != "New" {
				t.Fatalf("state after creating: got %q, want New", got)
			}
			if b := rita.body(); !strings.Contains(b, "Room: HS A") || !strings.Contains(b, "lecture hall A flickers") {
				t.Fatalf("ticket lacks the assistant's details:\n%s", b)
			}

			// The agent sees it unassigned, takes it and asks, in German.
			anton.open("/")
			if b := anton.body(); !strings.Contains(b, "Beamer flackert: HS A") || !strings.Contains(b, "Nicht zugewiesen") {
				t.Fatalf("agent dashboard lacks the new ticket:\n%s", b)
			}
			anton.open("/tickets/" + number)
			anton.submit(`form input[name=action][value=take] ~ button`)
			if got := anton.ticketState(); got != "In Bearbeitung" {
				t.Fatalf("state after take: got %q, want In Bearbeitung", got)
			}
			anton.do(chromedp.Click(chromedp.CSS(`input[name=kind][value=question]`)),
				chromedp.SetValue(chromedp.ID("body"), "Welches Gerät genau? Bitte die Inventarnummer."))
			anton.submit(`form[action$="/entries"] button[type=submit]`)
			if got := anton.ticketState(); got != "Rückfrage" {
				t.Fatalf("state after question: got %q, want Rückfrage", got)
			}

			// The requester answers.
			rita.open("/tickets/" + number)
			if b := rita.body(); !strings.Contains(b, "Inventarnummer") || !strings.Contains(b, "We asked you a question") {
				t.Fatalf("requester does not see the question:\n%s", b)
			}
			rita.do(chromedp.SetValue(chromedp.ID("body"), "Inventarnummer 4711."))
			rita.submit(`form[action$="/entries"] button[type=submit]`)
			if got := rita.ticketState(); got != "Open" {
				t.Fatalf("state after answer: got %q, want Open", got)
			}

			// The agent resolves; the requester closes.
			anton.open("/tickets/" + number)
			anton.submit(`form input[name=action][value=resolve] ~ button`)
			if got := anton.ticketState(); got != "Gelöst" {
				t.Fatalf("state after resolve: got %q, want Gelöst", got)
			}
			rita.open("/tickets/" + number)
			rita.submit(`form input[name=action][value=close] ~ button`)
			if got := rita.ticketState(); got != "Closed" {
				t.Fatalf("state after close: got %q, want Closed", got)
			}

			// A confidential ticket: its queue's member sees it; another
			// agent finds it nowhere.
			rita.open("/tickets/new")
			rita.do(chromedp.SetValue(chromedp.ID("queue"), "Security"),
				chromedp.SetValue(chromedp.ID("subject"), "Phishing Verdacht Zebrafink"),
				chromedp.SetValue(chromedp.ID("description"), "Eine seltsame Mail über Zebrafink."))
			rita.submit(`form[action="/tickets/new"] button[type=submit]`)
			loc = rita.location()
			secret := loc[strings.LastIndex(loc, "/")+1:]
			sepp := signIn(t, in, securityEmail, fixturePassword)
			sepp.open("/")
			if b := sepp.body(); !strings.Contains(b, "Zebrafink") {
				t.Fatalf("queue member's dashboard lacks the confidential ticket:\n%s", b)
			}
			olga := signIn(t, in, outsiderEmail, fixturePassword)
			olga.open("/")
			if b := olga.body(); strings.Contains(b, "Zebrafink") {
				t.Fatalf("non-member's dashboard shows the confidential ticket:\n%s", b)
			}
			olga.open("/search?q=Zebrafink")
			if got := olga.text("#h-results"); got != "0 Tickets" {
				t.Fatalf("non-member's search: got %q, want 0 Tickets", got)
			}
			olga.open("/search")
			if b := olga.body(); strings.Contains(b, "Zebrafink") || strings.Contains(b, "#"+secret+"\t") {
				t.Fatalf("non-member's full list shows the confidential ticket")
			}
			if got := olga.text("#h-results"); got != "1 Ticket" {
				t.Fatalf("non-member's count: got %q, want 1 Ticket (the first one only)", got)
			}
			olga.open("/tickets/" + secret)
			if got := olga.text(".error-code"); got != "404" {
				t.Fatalf("non-member opening #%s: got %q, want a 404 page", secret, got)
			}
		})
	}
}

// TestScreenshots renders the main pages of the demo, in German and
// English, and writes them to docs/screenshots when SERVUS_SCREENSHOTS=1
// (see screenshotDir).
func TestScreenshots(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	in := boot(t, store.SQLite, true)

	// The sign-in page, signed out, both languages.
	anon, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	guest := &person{t: t, ctx: anon, base: in.URL}
	guest.do(chromedp.EmulateViewport(1280, 800))
	guest.open("/login?lang=de")
	if b := guest.body(); !strings.Contains(b, "Beim Servicedesk anmelden") {
		t.Fatalf("German sign-in page:\n%s", b)
	}
	guest.screenshot("login")
	guest.open("/login?lang=en")
	if b := guest.body(); !strings.Contains(b, "Sign in to the service desk") {
		t.Fatalf("English sign-in page:\n%s", b)
	}

	agent := signIn(t, in, "markus.gruber@zid.example.org", demo.Password)
	agent.open("/")
	agent.screenshot("dashboard-agent")
	agent.open("/search?q=drucker")
	agent.screenshot("search")
	agent.open("/tickets/new")
	agent.screenshot("new-ticket")
	// A ticket with a history: the first of the agent's search results.
	agent.open("/search?state=open&sort=-updated")
	href, err := chromedp.Run(agent.ctx, chromedp.Evaluate[string](`document.querySelector(".results-table tbody a").getAttribute("href")`))
	if err != nil {
		t.Fatalf("find a ticket: %v", err)
	}
	agent.open(href)
	agent.screenshot("ticket-agent")
	agent.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	agent.open(href)
	agent.screenshot("ticket-phone")

	agent.do(chromedp.EmulateViewport(1280, 800))
	waitReportFigures(t, agent, "/reports?group_by=queue")
	agent.screenshot("reports")

	requester := signIn(t, in, "maria.huber@uibk.example", demo.Password)
	requester.open("/")
	requester.screenshot("dashboard-requester")
}
