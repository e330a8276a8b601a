package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// TestRetentionPages sets the default retention on /admin/settings and a
// queue's own on its page; bad values come back with the field marked.
func TestRetentionPages(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	ctx := context.Background()
	a := admin.get("/admin/settings")
	wantIn(t, "settings page", a, "Retention", `name="retention_mode"`, `<option value="off" selected>keep</option>`)

	want422(t, admin.post("/admin/settings/retention", url.Values{"retention_mode": {"anonymise"}, "retention_months": {"0"}}),
		"must be a number from 1 to 1200", `id="r-months" name="retention_months" type="number" min="0" max="1200" value="0" aria-invalid="true"`)
	wantRedirect(t, admin.post("/admin/settings/retention", url.Values{"retention_mode": {"anonymise"}, "retention_months": {"24"}}), "/admin/settings")
	if r := must(s.svc.RetentionDefault(ctx, s.actor(t, deskAdminEmail))); r != (desk.RetentionRule{Mode: "anonymise", Months: 24}) {
		t.Fatalf("got default %+v, want anonymise after 24 months", r)
	}

	sec := queueID(t, s, "Security")
	a = admin.get("/admin/queues/" + sec)
	wantIn(t, "queue page", a, "In force: anonymise 24 months after closing", `<option value="default" selected>as the default</option>`)
	want422(t, admin.post("/admin/queues/"+sec+"/retention", url.Values{"retention_mode": {"shred"}}), "must be off, anonymise or delete")
	wantRedirect(t, admin.post("/admin/queues/"+sec+"/retention", url.Values{"retention_mode": {"delete"}, "retention_months": {"6"}}), "/admin/queues/"+sec)
	a = admin.get("/admin/queues/" + sec)
	wantIn(t, "queue page", a, "In force: delete 6 months after closing", `<option value="delete" selected>delete</option>`)

	// Agents do not have these pages.
	agent := s.signedIn(t, agentEmail)
	if a := agent.post("/admin/queues/"+sec+"/retention", url.Values{"retention_mode": {"off"}}); a.status != http.StatusNotFound {
		t.Fatalf("agent: got %d, want 404", a.status)
	}
}

// TestErasePage erases a requester through the confirmation page: it says
// what will happen, and only its button erases.
func TestErasePage(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	ctx := context.Background()
	tk := s.ticket(t, requesterEmail, "Servicedesk", "Kaputter Beamer im Hörsaal")
	rita, anton := userID(t, s, requesterEmail), userID(t, s, agentEmail)
	if _, err := s.svc.AddEntry(ctx, s.actor(t, agentEmail), tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "Beamer getauscht."}); err != nil {
		t.Fatal(err)
	}

	wantIn(t, "user page", admin.get("/admin/users/"+rita), `href="/admin/users/`+rita+`/erase"`)
	a := admin.get("/admin/users/" + rita + "/erase")
	wantIn(t, "confirmation", a, "The 1 tickets this person requested are anonymised", "sessions and API tokens end", "This cannot be undone.", "Erase for good")
	if strings.Contains(a.body, "former staff member") {
		t.Error("a requester's confirmation speaks of staff work")
	}
	// Without the confirmation nothing happens.
	want422(t, admin.post("/admin/users/"+rita+"/erase", url.Values{}), "Erase for good")
	if _, err := s.svc.ActorByEmail(ctx, requesterEmail); err != nil {
		t.Fatalf("erased without confirmation: %v", err)
	}
	a = admin.post("/admin/users/"+rita+"/erase", url.Values{"confirm": {"yes"}})
	wantIn(t, "done", a, "The data is erased (ID ", "1 tickets were anonymised")
	if _, err := s.svc.ActorByEmail(ctx, requesterEmail); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("got %v, want the address gone", err)
	}
	got := must(s.svc.Ticket(ctx, access.System, tk.Number))
	if got.Subject == "Kaputter Beamer im Hörsaal" {
		t.Fatal("the ticket was not anonymised")
	}

	// An agent's work stays, by a former staff member.
	wantIn(t, "agent confirmation", admin.get("/admin/users/"+anton+"/erase"), "former staff member")
	wantIn(t, "agent erased", admin.post("/admin/users/"+anton+"/erase", url.Values{"confirm": {"yes"}}), "The data is erased")
	wantIn(t, "ticket page", admin.get("/tickets/"+strconv.FormatInt(tk.Number, 10)), "former staff member")

	// Nobody erases themself: no button, and the page refuses.
	self := userID(t, s, deskAdminEmail)
	if a := admin.get("/admin/users/" + self); strings.Contains(a.body, "/erase\"") {
		t.Error("the admin's own page offers erasure")
	}
	a = admin.post("/admin/users/"+self+"/erase", url.Values{"confirm": {"yes"}})
	if a.status != http.StatusConflict || !strings.Contains(a.body, "You cannot erase yourself.") {
		t.Fatalf("self: got %d, want 409 with the refusal\n%s", a.status, a.body)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
