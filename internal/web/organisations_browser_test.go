package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/demo"
	"github.com/servus-desk/servus/internal/store"
)

// TestDelegateInBrowser: in Chromium, on the demo, the IT delegate of the
// Institut für Informatik finds the institute's tickets on the dashboard,
// opens one of them (a colleague's), and
// opens a ticket for a colleague from the list's button; the new ticket's
// requester is the colleague.
func TestDelegateInBrowser(t *testing.T) {
	t.Parallel()
	browser(t)
	in := boot(t, store.SQLite, true)
	dora := signIn(t, in, "sonja.falkner@uibk.example", demo.Password)
	dora.open("/")
	list := dora.text("#institute")
	if !strings.Contains(list, "Tickets meines Instituts") || !strings.Contains(list, "Peter Kirchmair") {
		t.Fatalf("the institute's list lacks Peter Kirchmair's tickets:\n%s", list)
	}
	dora.submit(`#institute .ticket-item a.ti-subject`)
	if loc := dora.location(); !strings.Contains(loc, "/tickets/") {
		t.Fatalf("after following the list: at %s", loc)
	}
	if body := dora.body(); !strings.Contains(body, "Peter Kirchmair") {
		t.Fatalf("the colleague's ticket, as its requester sees it:\n%s", body)
	}

	dora.open("/")
	dora.submit(`#institute a[href="/tickets/new#behalf"]`)
	dora.do(
		chromedp.SetValue(chromedp.ID("requester"), "peter.kirchmair@uibk.example"),
		chromedp.SetValue(chromedp.ID("subject"), "Neuer Bildschirm für Peter"),
		chromedp.SetValue(chromedp.ID("description"), "Bitte einen zweiten Bildschirm im Raum 3M12 anschließen."),
	)
	dora.submit(`form[action="/tickets/new"] button[type=submit]`)
	if loc := dora.location(); !strings.Contains(loc, "/tickets/") || strings.HasSuffix(loc, "/tickets/new") {
		t.Fatalf("after opening for Peter: at %s: %s", loc, dora.text(".notice-error"))
	}
	if facts := dora.body(); !strings.Contains(facts, "Neuer Bildschirm für Peter") || !strings.Contains(facts, "Peter Kirchmair") {
		t.Fatalf("the new ticket does not name Peter as requester:\n%s", facts)
	}
}
