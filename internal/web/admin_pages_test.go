package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

const deskAdminEmail = "adele.admin@zid.example"

// withAdmin adds an admin (in no queue) to s and signs them in.
func withAdmin(t *testing.T, s *site) *client {
	t.Helper()
	if _, err := s.svc.CreateUser(context.Background(), access.System, desk.NewUser{Email: deskAdminEmail, Name: "Adele Admin",
		Role: ticket.RoleAdmin, Language: "en", Password: fixturePassword}); err != nil {
		t.Fatal(err)
	}
	return s.signedIn(t, deskAdminEmail)
}

// TestAdminPagesHidden: the admin pages do not exist for anyone but
// admins, for reading and for changing.
func TestAdminPagesHidden(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	for _, who := range []string{agentEmail, requesterEmail} {
		c := s.signedIn(t, who)
		for _, p := range []string{"/admin/queues", "/admin/users", "/admin/outbox", "/admin/outbox?state=failed", "/admin/mail/failed", "/admin/mail/1/eml"} {
			if a := c.get(p); a.status != http.StatusNotFound {
				t.Errorf("%s GET %s: got %d, want 404", who, p, a.status)
			}
		}
		for _, p := range []string{"/admin/queues", "/admin/queues/members", "/admin/users", "/admin/outbox/1/retry", "/admin/mail/failed/1/retry"} {
			if a := c.post(p, url.Values{"name": {"Evil"}, "email": {who}, "role": {"admin"}, "queue": {"Security"}}); a.status != http.StatusNotFound {
				t.Errorf("%s POST %s: got %d, want 404", who, p, a.status)
			}
		}
		if a := c.get("/"); strings.Contains(a.body, `href="/admin/queues"`) {
			t.Errorf("%s sees the admin link", who)
		}
	}
	if a := s.signedIn(t, agentEmail).get("/"); a.status != http.StatusOK {
		t.Fatal(a.status)
	}
	if qs, _ := s.svc.Queues(context.Background(), access.System); len(qs) != 2 {
		t.Fatalf("a refused POST created a queue: %d queues", len(qs))
	}
	if a := s.actor(t, agentEmail); len(a.Queues) != 1 {
		t.Fatalf("a refused POST changed membership: %v", a.Queues)
	}
	// Signed out: to the sign-in page.
	if a := s.client(t).get("/admin/queues"); a.status != http.StatusSeeOther {
		t.Fatalf("signed out: got %d", a.status)
	}
}

func TestAdminQueues(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	a := admin.get("/admin/queues")
	if a.status != http.StatusOK || !strings.Contains(a.body, "Servicedesk") || !strings.Contains(a.body, "Sepp Security") ||
		!strings.Contains(a.body, `href="/admin/queues" aria-current="page"`) {
		t.Fatalf("queues page: %d\n%s", a.status, a.body)
	}
	a = admin.post("/admin/queues", url.Values{"name": {"Netz"}, "address": {"Netz-Admin@zid.example"}, "confidential": {"1"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("create queue: %d\n%s", a.status, a.body)
	}
	if a := admin.get("/admin/queues"); !strings.Contains(a.body, "netz-admin@zid.example") || !strings.Contains(a.body, "Queue created.") {
		t.Fatalf("new queue missing:\n%s", a.body)
	}
	qs, _ := s.svc.Queues(context.Background(), access.System)
	if i := slices.IndexFunc(qs, func(q *ticket.Queue) bool { return q.Name == "Netz" }); i < 0 || !qs[i].Confidential || qs[i].Default {
		t.Fatalf("queue Netz: %+v", qs)
	}
	// A taken name, a bad address: the form again with what was typed.
	a = admin.post("/admin/queues", url.Values{"name": {"Netz"}})
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "taken already") {
		t.Fatalf("taken name: %d\n%s", a.status, a.body)
	}
	a = admin.post("/admin/queues", url.Values{"name": {"Telefon"}, "address": {"not an address"}})
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, `value="Telefon"`) || !strings.Contains(a.body, `id="q-address" name="address" type="email" value="not an address"`) {
		t.Fatalf("bad address: %d\n%s", a.status, a.body)
	}

	// Members.
	if a := admin.post("/admin/queues/members", url.Values{"queue": {"Netz"}, "email": {agentEmail}}); a.status != http.StatusSeeOther {
		t.Fatalf("add member: %d\n%s", a.status, a.body)
	}
	if a := s.actor(t, agentEmail); len(a.Queues) != 2 {
		t.Fatalf("anton's queues: %v", a.Queues)
	}
	if a := admin.post("/admin/queues/members", url.Values{"queue": {"Netz"}, "email": {requesterEmail}}); a.status != http.StatusBadRequest {
		t.Fatalf("a requester as member: %d\n%s", a.status, a.body)
	}
	if a := admin.post("/admin/queues/members", url.Values{"queue": {"Nowhere"}, "email": {agentEmail}}); a.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown queue: %d\n%s", a.status, a.body)
	}

	// CSRF: a POST from another site is refused and changes nothing.
	a = admin.post("/admin/queues", url.Values{"name": {"Evil"}}, "Sec-Fetch-Site", "cross-site")
	if a.status != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", a.status)
	}
	a = admin.post("/admin/queues/members", url.Values{"queue": {"Security"}, "email": {agentEmail}}, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if a.status != http.StatusForbidden {
		t.Fatalf("cross-site member POST: %d", a.status)
	}
	qs, _ = s.svc.Queues(context.Background(), access.System)
	if len(qs) != 3 || len(s.actor(t, agentEmail).Queues) != 2 {
		t.Fatalf("a cross-site POST changed something: %d queues", len(qs))
	}
}

func TestAdminUsers(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	a := admin.get("/admin/users")
	if a.status != http.StatusOK || !strings.Contains(a.body, "Rita Requester") || !strings.Contains(a.body, "5 people") {
		t.Fatalf("users page: %d\n%s", a.status, a.body)
	}
	a = admin.post("/admin/users", url.Values{"name": {"Nora Neu"}, "email": {"nora@zid.example"}, "role": {"agent"}, "language": {"en"}, "password": {"a long password"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("create user: %d\n%s", a.status, a.body)
	}
	if u, err := s.svc.User(context.Background(), access.System, "nora@zid.example"); err != nil || u.Role != ticket.RoleAgent || u.Language != "en" {
		t.Fatalf("nora: %+v %v", u, err)
	}
	if a := s.client(t).login("nora@zid.example", "a long password"); a.status != http.StatusSeeOther {
		t.Fatalf("nora signs in: %d", a.status)
	}
	a = admin.post("/admin/users", url.Values{"name": {"Nora Again"}, "email": {"nora@zid.example"}, "role": {"agent"}, "password": {"secret-secret"}})
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "taken already") || strings.Contains(a.body, "secret-secret") {
		t.Fatalf("taken e-mail: %d\n%s", a.status, a.body)
	}
	a = admin.post("/admin/users", url.Values{"name": {"X"}, "email": {"x@zid.example"}, "role": {"emperor"}})
	if a.status != http.StatusBadRequest {
		t.Fatalf("bad role: %d\n%s", a.status, a.body)
	}
	if a := admin.post("/admin/users", url.Values{"name": {"Y"}, "email": {"y@zid.example"}, "role": {"admin"}}, "Sec-Fetch-Site", "cross-site"); a.status != http.StatusForbidden {
		t.Fatalf("cross-site: %d", a.status)
	}
	if _, err := s.svc.User(context.Background(), access.System, "y@zid.example"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
		t.Fatalf("cross-site POST created a user: %v", err)
	}
}

// TestDeskAdminKeys: the texts the admin, filter, bulk and link pages name
// by value exist.
func TestDeskAdminKeys(t *testing.T) {
	keys := []string{"field.query", "field.name", "field.email", "field.role", "field.password", "field.address", "field.language",
		"link.merged-into", "link.merged-from", "action.assign", "action.move", "action.resolve", "flash.action.link", "flash.action.merge"}
	for _, s := range desk.OutboxStates {
		keys = append(keys, "outbox."+s)
	}
	for _, k := range []string{"outbox.count", "failed.count", "search.results"} {
		keys = append(keys, k+".one", k+".other")
	}
	for _, r := range []ticket.Role{ticket.RoleRequester, ticket.RoleAgent, ticket.RoleAdmin} {
		keys = append(keys, "role."+string(r))
	}
	for _, l := range i18n.Languages {
		keys = append(keys, "lang."+l)
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("catalog lacks %s", k)
		}
	}
}

// TestRouteGuards walks the route table: every admin page is the 404 page
// for a requester and an agent and the sign-in page for someone signed out;
// bulk actions are the same for a requester; an admin reaches the admin
// lists. No /admin route is left to its handler to guard.
func TestRouteGuards(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	people := map[string]*client{"requester": s.signedIn(t, requesterEmail), "agent": s.signedIn(t, agentEmail), "signed out": s.client(t)}
	notFound := func(a answer) bool {
		return a.status == http.StatusNotFound && (strings.Contains(a.body, "gibt es nicht") || strings.Contains(a.body, "does not exist"))
	}
	guarded := 0
	for _, rt := range web.RouteGuards() {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		if strings.HasPrefix(pattern, "/admin") && rt.Guard != "admin" {
			t.Errorf("%s is guarded %q, want admin", rt.Pattern, rt.Guard)
		}
		if rt.Guard != "admin" && rt.Guard != "staff" && rt.Guard != "auditor" {
			continue
		}
		guarded++
		path := regexp.MustCompile(`\{[^}]*\}`).ReplaceAllString(pattern, "1")
		for who, c := range people {
			if who == "agent" && rt.Guard == "staff" {
				continue
			}
			var a answer
			if method == "GET" {
				a = c.get(path)
			} else {
				a = c.post(path, url.Values{"name": {"Evil"}, "email": {requesterEmail}, "role": {"admin"}, "confirm": {"1"}})
			}
			switch {
			case who == "signed out":
				if a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/login") {
					t.Errorf("%s signed out: got %d to %q, want 303 to /login", rt.Pattern, a.status, a.header.Get("Location"))
				}
			case !notFound(a):
				t.Errorf("%s as %s: got %d, want the 404 page", rt.Pattern, who, a.status)
			}
		}
		if method == "GET" && !strings.Contains(pattern, "{") {
			if a := admin.get(path); a.status != http.StatusOK {
				t.Errorf("%s as admin: got %d, want 200", rt.Pattern, a.status)
			}
		}
	}
	if guarded < 25 {
		t.Fatalf("only %d guarded routes in the table", guarded)
	}
	if a := s.actor(t, requesterEmail); a.Role != ticket.RoleRequester {
		t.Fatalf("a refused POST changed the requester's role to %s", a.Role)
	}
}
