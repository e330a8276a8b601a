package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestTextModulesInBrowser: in Chromium, on SQLite and PostgreSQL, an
// agent presses Alt+Shift+T in the reply box, searches, inserts a shared
// module with Enter (filled in for the ticket, in the requester's
// language, at the cursor), sends it, and then applies a macro that asks
// for the inventory number and makes the ticket wait.
func TestTextModulesInBrowser(t *testing.T) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			browser(t)
			var number int64
			data, db := t.TempDir(), ""
			if dialect == store.Postgres {
				db = storetest.PostgresURL(t)
			}
			seed(t, data, db, func(t testing.TB, db *store.DB) {
				seedFixture(t, db)
				number = seedTextModules(t, db)
			})
			in := start(t, data, db, "--shutdown-timeout", "5s")
			anton := signIn(t, in, agentEmail, fixturePassword)
			path := "/tickets/" + strconv.FormatInt(number, 10)
			anton.open(path)

			anton.do(chromedp.SetValue(chromedp.ID("body"), "Thanks for writing."),
				chromedp.Click(chromedp.CSS(`input[name=kind][value=message]`), chromedp.NodeVisible),
				chromedp.Focus(chromedp.ID("body")),
				chromedp.KeyEvent("T", chromedp.KeyModifiers(chromedp.ModifierAlt, chromedp.ModifierShift)))
			if id, err := chromedp.Run(anton.ctx, chromedp.Evaluate[string](`document.activeElement.id`)); err != nil || id != "module-search" {
				t.Fatalf("after Alt+Shift+T the focus is on %q (%v), want the module search", id, err)
			}
			// Enter as a key press alone: the page's handler cancels it, so
			// the character it would type never comes (the DevTools
			// protocol sends that one separately, after the focus moved).
			anton.do(chromedp.SendKeys(chromedp.ID("module-search"), "pass"),
				chromedp.KeyEvent("\r", func(p *input.DispatchKeyEventParams) {
					if p.Type == input.DispatchKeyEventTypeKeyDown {
						p.Type = input.DispatchKeyEventTypeRawKeyDown
					}
					p.Text, p.UnmodifiedText = "", ""
				}))
			got, err := chromedp.Run(anton.ctx, chromedp.Evaluate[string](`document.getElementById("body").value`))
			if err != nil {
				t.Fatal(err)
			}
			want := "Thanks for writing.\nHello Rita Requester, your password for ticket " + strconv.FormatInt(number, 10) + " is reset. Anton Agent"
			if got != want {
				t.Fatalf("the reply reads %q, want %q", got, want)
			}
			anton.submit(`form[action$="/entries"] button[type=submit]:not([formaction])`)
			if b := anton.body(); !strings.Contains(b, "your password for ticket") {
				t.Fatalf("the sent message is not on the page:\n%s", b)
			}

			// The macro: question + waiting in one step.
			anton.do(chromedp.SetValue(chromedp.ID("macro"), anton.optionValue("#macro", "Ask for the inventory number")))
			anton.submit(`form.macro-form button[type=submit]`)
			if b := anton.body(); !strings.Contains(b, "Please tell us the inventory number, Rita Requester.") {
				t.Fatalf("the macro's question is not on the page:\n%s", b)
			}
			if s := anton.ticketState(); s != "Rückfrage" {
				t.Fatalf("after the macro the ticket is %q, want waiting", s)
			}
		})
	}
}

// optionValue is the value of the option of select sel whose text is text.
func (p *person) optionValue(sel, text string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(`+strconv.Quote(sel+" option")+
		`)).find(o => o.text === `+strconv.Quote(text)+`)?.value || ""`))
	if err != nil || v == "" {
		p.t.Fatalf("no option %q in %s (%v)", text, sel, err)
	}
	return v
}

// seedTextModules adds Servicedesk's modules and macro and a ticket of
// the (English-speaking) requester; it returns the ticket's number.
func seedTextModules(t testing.TB, db *store.DB) int64 {
	t.Helper()
	ctx := context.Background()
	cheap := auth.CheapParams()
	svc := desk.New(db, nil, desk.Options{PasswordParams: &cheap, Quiet: true})
	for _, m := range []desk.NewTextModule{
		{Queue: "Servicedesk", Name: "Password reset", Language: "de", Body: "Hallo {requester.name}, Ihr Passwort ist zurückgesetzt."},
		{Queue: "Servicedesk", Name: "Password reset", Language: "en", Body: "Hello {requester.name}, your password for ticket {ticket.number} is reset. {agent.name}"},
		{Queue: "Servicedesk", Name: "Printer", Language: "en", Body: "About the printer."},
	} {
		if _, err := svc.CreateTextModule(ctx, access.System, m); err != nil {
			t.Fatalf("module: %v", err)
		}
	}
	if _, err := svc.CreateMacro(ctx, access.System, desk.MacroInput{Name: "Ask for the inventory number", Queue: "Servicedesk",
		EntryKind: ticket.KindQuestion, Body: "Please tell us the inventory number, {requester.name}.", Language: "en"}); err != nil {
		t.Fatalf("macro: %v", err)
	}
	rita, err := svc.ActorByEmail(ctx, requesterEmail)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := svc.CreateTicket(ctx, rita, desk.NewTicket{Queue: "Servicedesk", Subject: "Password", Description: "I forgot my password."})
	if err != nil {
		t.Fatal(err)
	}
	return tk.Number
}
