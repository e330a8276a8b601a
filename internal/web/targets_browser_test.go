package web_test

import (
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/demo"
	"github.com/servus-desk/servus/internal/store"
)

// TestTargetsInBrowser: in Chromium, on the demo, an agent follows the
// dashboard's count of tickets close to or past their targets to the
// search, lists the breached ones, and opens one: its page says
// "verfehlt" in the target badge, with a label for screen readers, and
// shows the first response's due time.
func TestTargetsInBrowser(t *testing.T) {
	t.Parallel()
	browser(t)
	in := boot(t, store.SQLite, true)
	agent := signIn(t, in, "markus.gruber@zid.example.org", demo.Password)
	agent.open("/")
	agent.submit(`.queue-table a[href*="target=due_soon"]`)
	if loc := agent.location(); !strings.Contains(loc, "target=due_soon&target=breached") || !strings.Contains(loc, "sort=target") {
		t.Fatalf("the dashboard's targets link leads to %s", loc)
	}
	agent.open("/search?target=breached&sort=-target")
	agent.submit(`.results-table tbody tr a[href^="/tickets/"]`)
	badge := agent.text(`.ticket-badges .badge.target`)
	if !strings.Contains(badge, "verfehlt") || !strings.Contains(badge, "Reaktionsziele:") {
		t.Fatalf("target badge on %s: %q, want it to say verfehlt with its label", agent.location(), badge)
	}
	if facts := agent.text(`#h-fields + .facts`); !strings.Contains(facts, "Erste Antwort") || !strings.Contains(facts, "fällig") {
		t.Fatalf("the ticket's details lack the first response's due time:\n%s", facts)
	}
	agent.screenshot("ticket-targets")
}
