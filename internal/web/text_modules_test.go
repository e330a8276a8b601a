package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// TestTextModulesWithoutJavaScript: on both databases, an agent makes a
// module on the text modules page (a bad placeholder is refused with the
// text kept), inserts it into a reply with the "Insert" button (the page
// comes back with the text filled in and what was typed kept), and
// applies a macro; a requester has no such page.
func TestTextModulesWithoutJavaScript(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		s, _ := newSiteOn(t, dialect, web.Options{BaseURL: "https://desk.example/"})
		ctx := context.Background()
		tk, err := s.svc.CreateTicket(ctx, s.actor(t, requesterEmail), desk.NewTicket{Queue: "Servicedesk",
			Subject: "Password", Description: "Forgot it.", Channel: ticket.ChannelWeb})
		if err != nil {
			t.Fatal(err)
		}
		path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
		anton := s.signedIn(t, agentEmail)

		bad := anton.post("/text-modules", url.Values{"name": {"Reset"}, "language": {"en"}, "queue": {"Servicedesk"},
			"body": {"Hello {requester.nmae}"}})
		if bad.status != http.StatusBadRequest {
			t.Fatalf("bad placeholder: got %d, want 400", bad.status)
		}
		wantIn(t, "refused module", bad, "{requester.nmae}", "Hello {requester.nmae}</textarea>")
		for _, f := range []url.Values{
			{"name": {"Reset"}, "language": {"en"}, "queue": {"Servicedesk"}, "body": {"Hello {requester.name}, see {ticket.link}"}},
			{"name": {"Reset"}, "language": {"de"}, "queue": {"Servicedesk"}, "body": {"Hallo {requester.name}"}},
		} {
			if a := anton.post("/text-modules", f); a.status != http.StatusSeeOther {
				t.Fatalf("save module: got %d, want 303\n%s", a.status, a.body)
			}
		}
		mods, err := s.svc.TicketModules(ctx, s.actor(t, agentEmail), tk.Number)
		if err != nil || len(mods) != 1 || mods[0].Language != "en" {
			t.Fatalf("got modules %+v (%v), want the English one for Rita", mods, err)
		}
		page := anton.get(path).body
		a := anton.post(path+"/text-module", url.Values{"version": {versionOf(t, page)}, "kind": {"message"},
			"body": {"Thanks."}, "module": {strconv.FormatInt(mods[0].ID, 10)}})
		if a.status != http.StatusOK {
			t.Fatalf("insert: got %d, want 200\n%s", a.status, a.body)
		}
		want := "Thanks.\n\nHello Rita Requester, see https://desk.example/tickets/" + strconv.FormatInt(tk.Number, 10) + "</textarea>"
		if !strings.Contains(html.UnescapeString(a.body), want) {
			t.Fatalf("the reply box lacks %q:\n%s", want, a.body)
		}
		if !strings.Contains(a.body, `value="message" checked`) {
			t.Error("the kind chosen was not kept")
		}

		// A macro: message + resolve, made on the page and applied.
		if a := anton.post("/macros", url.Values{"name": {"Done"}, "queue": {"Servicedesk"}, "entry_kind": {"message"},
			"visibility": {"public"}, "text_module": {strconv.FormatInt(mods[0].ID, 10)}, "state": {"resolve"}}); a.status != http.StatusSeeOther {
			t.Fatalf("save macro: got %d\n%s", a.status, a.body)
		}
		page = anton.get(path).body
		wantIn(t, "ticket page", answer{body: page}, "Makro anwenden", ">Done</option>")
		ms, err := s.svc.TicketMacros(ctx, s.actor(t, agentEmail), tk.Number)
		if err != nil || len(ms) != 1 {
			t.Fatalf("got macros %v (%v)", ms, err)
		}
		macro := strconv.FormatInt(ms[0].ID, 10)

		// Editing it on the page: the form comes filled in, a refusal keeps
		// what was typed, a change is saved and its owner stays.
		edit := anton.get("/macros/" + macro)
		wantIn(t, "macro edit form", edit, `action="/macros/`+macro+`"`, `value="Done"`, `value="resolve" selected`)
		if a := anton.post("/macros/"+macro, url.Values{"name": {"Done"}, "entry_kind": {"question"}, "visibility": {"public"},
			"text_module": {strconv.FormatInt(mods[0].ID, 10)}, "state": {"resolve"}}); a.status != http.StatusBadRequest {
			t.Fatalf("question + resolve: got %d, want 400", a.status)
		}
		if a := anton.post("/macros/"+macro, url.Values{"name": {"Erledigt"}, "entry_kind": {"message"}, "visibility": {"public"},
			"text_module": {strconv.FormatInt(mods[0].ID, 10)}, "state": {"resolve"}, "priority": {"high"}}); a.status != http.StatusSeeOther {
			t.Fatalf("edit macro: got %d\n%s", a.status, a.body)
		}
		if m, err := s.svc.Macro(ctx, s.actor(t, agentEmail), ms[0].ID); err != nil || m.Name != "Erledigt" || m.Priority != ticket.PriorityHigh || m.Queue != "Servicedesk" {
			t.Fatalf("after the edit: got %+v (%v), want Erledigt, high, still Servicedesk's", m, err)
		}
		if a := s.signedIn(t, requesterEmail).get("/macros/" + macro); a.status != http.StatusNotFound {
			t.Errorf("requester's macro edit page: got %d, want 404", a.status)
		}
		if a := anton.post(path+"/macro", url.Values{"version": {"999"}, "macro": {macro}}); a.status != http.StatusConflict {
			t.Fatalf("stale macro: got %d, want 409", a.status)
		}
		if a := anton.post(path+"/macro", url.Values{"version": {versionOf(t, page)}, "macro": {macro}}); a.status != http.StatusSeeOther {
			t.Fatalf("apply: got %d, want 303\n%s", a.status, a.body)
		}
		got, err := s.svc.Ticket(ctx, s.actor(t, agentEmail), tk.Number)
		if err != nil || got.State != ticket.StateResolved {
			t.Fatalf("after the macro: %v (%v), want resolved", got, err)
		}

		// Requesters have no text modules.
		rita := s.signedIn(t, requesterEmail)
		if a := rita.get("/text-modules"); a.status != http.StatusNotFound {
			t.Errorf("requester's /text-modules: got %d, want 404", a.status)
		}
		if b := rita.get(path).body; strings.Contains(b, "data-text-modules") || strings.Contains(b, "/macro") {
			t.Error("the requester's ticket page offers text modules or macros")
		}
	})
}
