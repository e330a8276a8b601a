package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

const (
	instAdminEmail = "ines.admin@zid.example"
	delegateEmail  = "dora.delegate@physik.uni.example"
	memberEmail    = "max.member@physik.uni.example"
)

// instituteSite is a site with an admin, and two requesters at
// physik.uni.example (dora and max), without an institute yet.
func instituteSite(t *testing.T) *site {
	t.Helper()
	s := newSite(t, web.Options{})
	for _, u := range []desk.NewUser{
		{Email: instAdminEmail, Name: "Ines Admin", Role: ticket.RoleAdmin, Language: "en"},
		{Email: delegateEmail, Name: "Dora Delegate", Role: ticket.RoleRequester, Language: "en"},
		{Email: memberEmail, Name: "Max Member", Role: ticket.RoleRequester, Language: "en"},
	} {
		u.Password = fixturePassword
		if _, err := s.svc.CreateUser(context.Background(), access.System, u); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestInstitutesWeb: an admin creates an institute and makes members and
// a delegate on /admin/organisations (bad input shown again, kindly); the
// delegate's dashboard lists the members' non-confidential tickets, the
// new-ticket form opens one for a member (and for nobody else), and the
// settings page keeps the delegate's mail choice. Without JavaScript.
func TestInstitutesWeb(t *testing.T) {
	t.Parallel()
	s := instituteSite(t)
	ctx := context.Background()
	admin := s.signedIn(t, instAdminEmail)

	if a := admin.get("/admin/organisations"); a.status != http.StatusOK || !strings.Contains(a.body, "No institutes yet") {
		t.Fatalf("list: got %d, want 200 with no institutes\n%s", a.status, a.body)
	}
	a := admin.post("/admin/organisations", url.Values{"name": {"Physik"}, "domains": {"nodot"}})
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "nodot is not a domain") || !strings.Contains(a.body, `value="Physik"`) {
		t.Fatalf("bad domain: got %d, want 400 naming it, the name kept\n%s", a.status, a.body)
	}
	a = admin.post("/admin/organisations", url.Values{"name": {"Physik"}, "domains": {"physik.uni.example, astro.uni.example"}, "directory_value": {"PHYS"}})
	if a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/admin/organisations/") {
		t.Fatalf("create: got %d %s, want 303 to the institute", a.status, a.header.Get("Location"))
	}
	page := a.header.Get("Location")
	for _, f := range []url.Values{{"email": {memberEmail}}, {"email": {delegateEmail}, "delegate": {"yes"}}} {
		if a = admin.post(page+"/members", f); a.status != http.StatusSeeOther {
			t.Fatalf("member %v: got %d, want 303\n%s", f, a.status, a.body)
		}
	}
	if a = admin.post(page+"/members", url.Values{"email": {"nobody@uni.example"}}); a.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown person: got %d, want 422", a.status)
	}
	a = admin.get(page)
	for _, want := range []string{"astro.uni.example", "phys", "Dora Delegate", "Max Member", "IT delegate"} {
		if !strings.Contains(a.body, want) {
			t.Errorf("institute page lacks %q", want)
		}
	}
	if a = s.signedIn(t, requesterEmail).get("/admin/organisations"); a.status != http.StatusNotFound {
		t.Errorf("a requester on the admin page: got %d, want 404", a.status)
	}

	// Max's tickets: one plain, one confidential.
	maxA := s.actor(t, memberEmail)
	if _, err := s.svc.CreateTicket(ctx, maxA, desk.NewTicket{Queue: "Servicedesk", Subject: "Laborrechner startet nicht", Description: "d"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateTicket(ctx, maxA, desk.NewTicket{Queue: "Security", Subject: "Vertrauliche Sache", Description: "d"}); err != nil {
		t.Fatal(err)
	}
	dora := s.signedIn(t, delegateEmail)
	a = dora.get("/")
	if !strings.Contains(a.body, "Tickets of my institute") || !strings.Contains(a.body, "Laborrechner startet nicht") || strings.Contains(a.body, "Vertrauliche Sache") {
		t.Errorf("dashboard: want the institute's list with the plain ticket only\n%s", a.body)
	}

	a = dora.get("/tickets/new")
	if !strings.Contains(a.body, `<option value="`+memberEmail+`"`) {
		t.Fatalf("new-ticket form: want max to choose\n%s", a.body)
	}
	form := url.Values{"queue": {"Servicedesk"}, "subject": {"Drucker für Max"}, "description": {"Bitte einrichten."}, "priority": {"normal"}, "requester": {memberEmail}}
	if a = dora.post("/tickets/new", form); a.status != http.StatusSeeOther {
		t.Fatalf("on behalf: got %d, want 303\n%s", a.status, a.body)
	}
	p, err := s.svc.Search(ctx, maxA, ticket.Filter{Q: "Drucker", Sort: "number"})
	if err != nil || p.Total != 1 || p.Items[0].Requester != memberEmail {
		t.Errorf("max's ticket opened by dora: got %v %v", p, err)
	}
	form.Set("requester", requesterEmail)
	if a = dora.post("/tickets/new", form); a.status != http.StatusForbidden || !strings.Contains(a.body, "only for members of their institute") {
		t.Errorf("for a non-member: got %d, want 403 with the reason\n%s", a.status, a.body)
	}

	a = dora.get("/settings")
	if !strings.Contains(a.body, `name="delegate_mail"`) || !strings.Contains(a.body, "Physik") {
		t.Fatalf("settings: want the institute and the mail choice\n%s", a.body)
	}
	if a = dora.post("/settings/institute", url.Values{"delegate_mail": {"yes"}}); a.status != http.StatusSeeOther {
		t.Fatalf("mail choice: got %d, want 303", a.status)
	}
	if m, err := s.svc.MyOrganisation(ctx, s.actor(t, delegateEmail)); err != nil || !m.DelegateMail {
		t.Errorf("mail choice kept: got %+v %v", m, err)
	}
	if a = s.signedIn(t, memberEmail).post("/settings/institute", url.Values{"delegate_mail": {"yes"}}); a.status != http.StatusForbidden {
		t.Errorf("a member who is no delegate: got %d, want 403", a.status)
	}
}
