package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

func sel(ts ...*ticket.Ticket) []string {
	var out []string
	for _, t := range ts {
		out = append(out, fmt.Sprintf("%d:%d", t.Number, t.Version))
	}
	return out
}

// TestBulkActions: selected tickets are assigned, moved or resolved one by
// one; a stale, refused or hidden one fails alone and is reported, the
// others go through.
func TestBulkActions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newSite(t, web.Options{})
	t1 := s.ticket(t, requesterEmail, "Servicedesk", "Bulk one")
	t2 := s.ticket(t, requesterEmail, "Servicedesk", "Bulk two")
	t3 := s.ticket(t, requesterEmail, "Servicedesk", "Bulk three")
	secret := s.ticket(t, requesterEmail, "Security", "Bulk secret")
	anton := s.signedIn(t, agentEmail)

	list := anton.get("/search?q=bulk")
	if !strings.Contains(list.body, `name="t" value="`+sel(t1)[0]+`" form="bulk-form"`) || !strings.Contains(list.body, `id="bulk-form"`) {
		t.Fatalf("search page lacks the selection:\n%s", list.body)
	}
	if r := s.signedIn(t, requesterEmail).get("/search"); strings.Contains(r.body, "bulk-form") {
		t.Fatal("a requester gets bulk actions")
	}

	// Olga changes t3 after Anton loaded the list: t3 is stale.
	stale := sel(t3)
	if _, err := s.svc.Act(ctx, s.actor(t, outsiderEmail), t3.Number, desk.Action{Name: "take"}); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"bulk_action": {"assign"}, "assignee": {outsiderEmail}, "t": append(append(sel(t1, t2), stale...), sel(secret)...)}
	a := anton.post("/search/bulk", form, "Referer", s.srv.URL+"/search?q=bulk")
	if a.status != http.StatusOK || !strings.Contains(a.body, "2 von 4 Tickets erledigt.") || !strings.Contains(a.body, "Inzwischen von jemand anderem geändert") ||
		strings.Contains(a.body, "Bulk secret") || !strings.Contains(a.body, `href="/search?q=bulk"`) {
		t.Fatalf("bulk assign: %d\n%s", a.status, a.body)
	}
	for _, tk := range []*ticket.Ticket{t1, t2} {
		if got, _ := s.svc.Ticket(ctx, access.System, tk.Number); got.Assignee != outsiderEmail {
			t.Fatalf("#%d assignee %q", tk.Number, got.Assignee)
		}
	}
	// Assigning someone who is not a member fails per ticket, clearly.
	t1, _ = s.svc.Ticket(ctx, access.System, t1.Number)
	a = anton.post("/search/bulk", url.Values{"bulk_action": {"assign"}, "assignee": {securityEmail}, "t": sel(t1)})
	if !strings.Contains(a.body, "0 von 1") || !strings.Contains(a.body, "nicht Mitglied der Queue") {
		t.Fatalf("bulk assign to a non-member:\n%s", a.body)
	}
	// Resolve: a refused transition (t3 resolved twice) fails alone.
	t2, _ = s.svc.Ticket(ctx, access.System, t2.Number)
	t3, _ = s.svc.Ticket(ctx, access.System, t3.Number)
	if _, err := s.svc.Act(ctx, s.actor(t, outsiderEmail), t3.Number, desk.Action{Name: "resolve"}); err != nil {
		t.Fatal(err)
	}
	t3, _ = s.svc.Ticket(ctx, access.System, t3.Number)
	a = anton.post("/search/bulk", url.Values{"bulk_action": {"resolve"}, "t": sel(t1, t2, t3)})
	if !strings.Contains(a.body, "2 von 3") || !strings.Contains(a.body, "passt nicht zum aktuellen Status") {
		t.Fatalf("bulk resolve:\n%s", a.body)
	}
	// Move.
	t4 := s.ticket(t, requesterEmail, "Servicedesk", "Bulk four")
	a = anton.post("/search/bulk", url.Values{"bulk_action": {"move"}, "queue": {"Security"}, "t": sel(t4)})
	if got, _ := s.svc.Ticket(ctx, access.System, t4.Number); !strings.Contains(a.body, "1 von 1") || got.Queue != "Security" {
		t.Fatalf("bulk move: queue %s\n%s", got.Queue, a.body)
	}
	// Nothing selected, an unknown action, a requester, another site.
	if a := anton.post("/search/bulk", url.Values{"bulk_action": {"resolve"}}); a.status != http.StatusBadRequest || !strings.Contains(a.body, "mindestens ein Ticket") {
		t.Fatalf("nothing selected: %d\n%s", a.status, a.body)
	}
	if a := anton.post("/search/bulk", url.Values{"bulk_action": {"close"}, "t": sel(t4)}); a.status != http.StatusBadRequest {
		t.Fatalf("unknown action: %d", a.status)
	}
	if a := s.signedIn(t, requesterEmail).post("/search/bulk", url.Values{"bulk_action": {"resolve"}, "t": sel(t4)}); a.status != http.StatusNotFound {
		t.Fatalf("requester: %d", a.status)
	}
	if a := anton.post("/search/bulk", url.Values{"bulk_action": {"resolve"}, "t": sel(t4)}, "Sec-Fetch-Site", "cross-site"); a.status != http.StatusForbidden {
		t.Fatalf("cross-site: %d", a.status)
	}
}

// TestBulkReasons: each failure gives its own reason for a page that shows
// no ticket, in the person's language, and the summary's plural fits.
func TestBulkReasons(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newSite(t, web.Options{})
	anton := s.signedIn(t, agentEmail)
	t1 := s.ticket(t, requesterEmail, "Servicedesk", "Reason one")
	t2 := s.ticket(t, requesterEmail, "Servicedesk", "Reason two")

	// An empty assignee is said once, not as "not a member" per ticket.
	for _, assignee := range []string{"", "  "} {
		a := anton.post("/search/bulk", url.Values{"bulk_action": {"assign"}, "assignee": {assignee}, "t": sel(t1, t2)})
		if a.status != http.StatusBadRequest || !strings.Contains(a.body, "Bitte geben Sie an, wem die Tickets zugewiesen werden") ||
			strings.Contains(a.body, "nicht Mitglied") {
			t.Fatalf("empty assignee %q: %d\n%s", assignee, a.status, a.body)
		}
	}
	if a := anton.post("/search/bulk", url.Values{"bulk_action": {"move"}, "t": sel(t1)}); a.status != http.StatusBadRequest ||
		!strings.Contains(a.body, "Bitte wählen Sie die Queue") {
		t.Fatalf("move without queue: %d\n%s", a.status, a.body)
	}
	// Unknown person, unknown queue: their own reasons.
	if a := anton.post("/search/bulk", url.Values{"bulk_action": {"assign"}, "assignee": {"nobody@zid.example"}, "t": sel(t1)}); !strings.Contains(a.body, "Diese Person ist nicht bekannt.") ||
		strings.Contains(a.body, "nicht Mitglied") {
		t.Fatalf("unknown assignee:\n%s", a.body)
	}
	if a := anton.post("/search/bulk", url.Values{"bulk_action": {"move"}, "queue": {"Nowhere"}, "t": sel(t1)}); !strings.Contains(a.body, "Diese Queue gibt es nicht.") {
		t.Fatalf("unknown queue:\n%s", a.body)
	}
	// A refused transition names the current state and points at no
	// ticket below; one of one is singular.
	if _, err := s.svc.Act(ctx, s.actor(t, agentEmail), t2.Number, desk.Action{Name: "resolve"}); err != nil {
		t.Fatal(err)
	}
	t2, _ = s.svc.Ticket(ctx, access.System, t2.Number)
	a := anton.post("/search/bulk", url.Values{"bulk_action": {"resolve"}, "t": sel(t2)})
	if !strings.Contains(a.body, "Diese Aktion passt nicht zum aktuellen Status des Tickets (Gelöst).") || strings.Contains(a.body, "Unten sehen Sie") ||
		!strings.Contains(a.body, "0 von 1 Ticket erledigt.") || !strings.Contains(a.body, "Reason two") {
		t.Fatalf("bulk resolve of a resolved ticket:\n%s", a.body)
	}
	// English, singular and plural.
	if a := anton.post("/settings", url.Values{"language": {"en"}, "time_zone": {"Europe/Vienna"}}); a.status != http.StatusSeeOther {
		t.Fatalf("settings: %d", a.status)
	}
	a = anton.post("/search/bulk", url.Values{"bulk_action": {"resolve"}, "t": sel(t2)})
	if !strings.Contains(a.body, "This action does not fit the ticket&#39;s current state (Resolved).") || strings.Contains(a.body, "Below is") ||
		!strings.Contains(a.body, "0 of 1 ticket done.") {
		t.Fatalf("English bulk resolve:\n%s", a.body)
	}
	a = anton.post("/search/bulk", url.Values{"bulk_action": {"resolve"}, "t": sel(t1, t2)})
	if !strings.Contains(a.body, "1 of 2 tickets done.") {
		t.Fatalf("English plural:\n%s", a.body)
	}
}
