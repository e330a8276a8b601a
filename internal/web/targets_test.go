package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestTargetsPages: an admin sets a queue's targets on its page (a bad
// value shows the form again with the reason), and a ticket's target shows
// on its page as a badge with words, on the dashboard as a count per queue
// that links to the filtered search, and in the search, as its clock runs.
func TestTargetsPages(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			targetsPages(t, queueSiteOn(t, dialect))
		})
	}
}

func targetsPages(t *testing.T, s *site) {
	admin := withAdmin(t, s)
	agent := s.signedIn(t, agentEmail)
	sd := queueID(t, s, "Servicedesk")
	form := url.Values{"name": {"Servicedesk"}, "first_response": {"soon"}, "resolution": {""},
		"hours": {"Mo-So 0-24"}, "time_zone": {"UTC"}}
	want422(t, admin.post("/admin/queues/"+sd, form), `id="q-first" name="first_response" value="soon"`, `aria-invalid="true"`)
	form.Set("first_response", "1h")
	a := admin.post("/admin/queues/"+sd, form)
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "opening hours such as") {
		t.Fatalf("bad hours: %d\n%s", a.status, a.body)
	}
	form.Set("hours", "Mon-Sun 00:00-24:00")
	wantRedirect(t, admin.post("/admin/queues/"+sd, form), "/admin/queues/"+sd)
	if a := admin.get("/admin/queues/" + sd); !strings.Contains(a.body, `name="first_response" value="1h"`) || !strings.Contains(a.body, `value="Mon-Sun 00:00-24:00"`) {
		t.Fatalf("the saved targets are not in the form:\n%s", a.body)
	}

	tk := s.ticket(t, requesterEmail, "Servicedesk", "Kein Netz")
	page := "/tickets/" + strconv.FormatInt(tk.Number, 10)
	badge := func(state, words string) {
		t.Helper()
		a := agent.get(page)
		if a.status != http.StatusOK || !strings.Contains(a.body, `class="badge target target-`+state+`"`) ||
			!strings.Contains(a.body, `<span class="visually-hidden">Reaktionsziele:</span> `+words+`</span>`) {
			t.Fatalf("ticket page: want the %s badge saying %q:\n%s", state, words, a.body)
		}
	}
	badge("ok", "im Ziel")
	if a := agent.get(page); !strings.Contains(a.body, "Erste Antwort") || !strings.Contains(a.body, "fällig ") {
		t.Errorf("the ticket page does not show the first response's due time")
	}
	s.lag.Store(int64(-50 * time.Minute)) // within a fifth of the hour
	badge("due_soon", "bald fällig")
	dash := agent.get("/")
	f, _ := desk.DashboardSearch("targets", "Servicedesk")
	link := "/search?" + f.Encode(nil)
	if !strings.Contains(dash.body, `href="`+strings.ReplaceAll(link, "&", "&amp;")+`" aria-label="1 bald fällig, 0 verfehlt in Servicedesk">1</a>`) {
		t.Errorf("dashboard: no link %s with the count:\n%s", link, dash.body)
	}
	if a := agent.get(link); !strings.Contains(a.body, `href="`+page+`"`) || !strings.Contains(a.body, "target-due_soon") {
		t.Errorf("the dashboard's search does not list the ticket:\n%s", a.body)
	}
	s.lag.Store(int64(-70 * time.Minute))
	badge("breached", "verfehlt")
	if a := agent.get("/search?target=breached&sort=target"); !strings.Contains(a.body, `href="`+page+`"`) {
		t.Errorf("target=breached does not list the ticket:\n%s", a.body)
	}
	if a := agent.get("/search?target=due_soon"); strings.Contains(a.body, `href="`+page+`"`) {
		t.Errorf("target=due_soon lists a breached ticket")
	}
	if a := agent.get("/search?due_within=later"); a.status != http.StatusUnprocessableEntity && a.status != http.StatusBadRequest {
		t.Errorf("due_within=later: status %d, want a problem", a.status)
	}
	// The answer stops the first response's clock; the breach stays on record.
	if _, err := s.svc.AddEntry(context.Background(), s.actor(t, agentEmail), tk.Number, desk.NewEntry{Kind: ticket.KindMessage,
		Body: "Wir schauen", Visibility: ticket.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	if a := agent.get(page); !strings.Contains(a.body, "beantwortet ") {
		t.Errorf("the ticket page does not say when it was answered")
	}
	badge("breached", "verfehlt")
}
