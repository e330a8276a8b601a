package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/demo"
	"github.com/servus-desk/servus/internal/store"
)

// TestQueueViewInBrowser: in Chromium, on the demo, an agent opens the
// queues page from the navigation, follows their queue, switches to the
// unassigned tab and finds its count and list agree; takes the
// screenshot queue-view.png (see screenshotDir).
func TestQueueViewInBrowser(t *testing.T) {
	t.Parallel()
	browser(t)
	in := boot(t, store.SQLite, true)
	agent := signIn(t, in, "markus.gruber@zid.example.org", demo.Password)
	agent.open("/")
	agent.submit(`.main-nav a[href="/queues"]`)
	if h := agent.text("h1"); h != "Queues" {
		t.Fatalf("queues page heading: %q\n%s", h, agent.body())
	}
	if mine := agent.text("#my-queues"); !strings.Contains(mine, "Servicedesk") {
		t.Fatalf("the agent's queues lack Servicedesk:\n%s", mine)
	}
	agent.submit(`#my-queues a[href="/queues/Servicedesk"]`)
	if h := agent.text("h1"); h != "Servicedesk" {
		t.Fatalf("queue view heading: %q at %s", h, agent.location())
	}
	if cur := agent.text(`.queue-tabs a[aria-current="page"]`); !strings.HasPrefix(cur, "Alle offenen") {
		t.Fatalf("the view opens on %q, want Alle offenen", cur)
	}
	agent.submit(`.queue-tabs a[data-tab="unassigned"]`)
	if loc := agent.location(); !strings.HasSuffix(loc, "/queues/Servicedesk?tab=unassigned") {
		t.Fatalf("after switching the tab: at %s", loc)
	}
	count := agent.text(`.queue-tabs a[aria-current="page"] .badge`)
	rows, err := chromedp.Run(agent.ctx, chromedp.Evaluate[int](`document.querySelectorAll(".results-table tbody tr").length`))
	if err != nil {
		t.Fatal(err)
	}
	if count == "" || count == "0" || count != strconv.Itoa(rows) {
		t.Fatalf("unassigned tab: badge %q, %d rows listed", count, rows)
	}
	agent.screenshot("queue-view")
}
