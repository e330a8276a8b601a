package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/store"
)

// TestEditAndSplitInBrowser: in Chromium, on SQLite and PostgreSQL, a
// requester edits her ticket's subject and description and makes it
// confidential; the earlier description stays readable; an agent splits
// her later comment off into a new ticket, which she then finds with her
// comment in it.
func TestEditAndSplitInBrowser(t *testing.T) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			browser(t)
			in := boot(t, dialect, false)
			rita := signIn(t, in, requesterEmail, fixturePassword)
			anton := signIn(t, in, agentEmail, fixturePassword)

			rita.open("/tickets/new")
			rita.do(chromedp.SetValue(chromedp.ID("queue"), "Servicedesk"),
				chromedp.SetValue(chromedp.ID("subject"), "Printer"),
				chromedp.SetValue(chromedp.ID("description"), "The printer prints blank pages."))
			rita.submit(`form[action="/tickets/new"] button[type=submit]`)
			loc := rita.location()
			path := loc[strings.Index(loc, "/tickets/"):]

			// She edits it: subject, description, confidential.
			rita.do(chromedp.Click(chromedp.CSS(`section[aria-labelledby=h-edit] summary`), chromedp.NodeVisible),
				chromedp.SetValue(chromedp.ID("edit-subject"), "Printer in room 3.14"),
				chromedp.SetValue(chromedp.ID("edit-description"), "The printer in room 3.14 prints blank pages since Monday."),
				chromedp.Click(chromedp.CSS(`input[name=confidential]`), chromedp.NodeVisible))
			rita.submit(`form[action$="/edit"] button[type=submit]`)
			if got := rita.text("h1"); !strings.Contains(got, "Printer in room 3.14") {
				t.Fatalf("after the edit: heading %q", got)
			}
			if b := rita.body(); !strings.Contains(b, "since Monday") || !strings.Contains(b, "Earlier versions (1)") ||
				!strings.Contains(b, "changed the description") || !strings.Contains(b, "Confidential") {
				t.Fatalf("after the edit the page lacks the new text, the earlier version or the history:\n%s", b)
			}
			rita.do(chromedp.Click(chromedp.CSS(`.description-versions summary`), chromedp.NodeVisible))
			if got := rita.text(".description-versions .versions"); !strings.Contains(got, "The printer prints blank pages.") {
				t.Fatalf("the earlier version reads %q", got)
			}
			// Confidential now: making it public again is not hers.
			rita.do(chromedp.Click(chromedp.CSS(`section[aria-labelledby=h-edit] summary`), chromedp.NodeVisible))
			if n, err := chromedp.Run(rita.ctx, chromedp.Evaluate[int](`document.querySelectorAll("input[name=confidential]").length`)); err != nil || n != 0 {
				t.Fatalf("the requester's form still has the confidential box (%d, %v)", n, err)
			}

			// She adds a second matter as a comment.
			rita.do(chromedp.SetValue(chromedp.ID("body"), "Also my laptop does not start."))
			rita.submit(`form[action$="/entries"] button[type=submit]`)

			// The agent splits that comment off.
			anton.open(path)
			if _, err := chromedp.Run(anton.ctx, chromedp.Evaluate[bool](`(() => {
				const li = Array.from(document.querySelectorAll("li.entry")).find(li => li.innerText.includes("my laptop"));
				const box = li && li.querySelector("input[name=entries]");
				if (!box) return false;
				box.click();
				return box.checked;
			})()`)); err != nil {
				t.Fatal(err)
			}
			anton.do(chromedp.SetValue(chromedp.ID("split-subject"), "Laptop does not start"))
			anton.submit(`#split-form button[type=submit]`)
			nloc := anton.location()
			if nloc == loc || !strings.Contains(nloc, "/tickets/") {
				t.Fatalf("after the split: at %s, want the new ticket\n%s", nloc, anton.body())
			}
			if b := anton.body(); !strings.Contains(b, "Laptop does not start") || !strings.Contains(b, "Also my laptop does not start.") ||
				!strings.Contains(b, "abgetrennt") {
				t.Fatalf("the new ticket's page:\n%s", b)
			}
			anton.open(path)
			if b := anton.body(); strings.Contains(b, "Also my laptop") || !strings.Contains(b, "Einträge in #") {
				t.Fatalf("the old ticket still has the comment or lacks the note:\n%s", b)
			}

			// The requester finds the new ticket with her comment.
			rita.open(nloc[strings.Index(nloc, "/tickets/"):])
			if b := rita.body(); !strings.Contains(b, "Also my laptop does not start.") || !strings.Contains(b, "Split off #") {
				t.Fatalf("the requester's view of the new ticket:\n%s", b)
			}
		})
	}
}
