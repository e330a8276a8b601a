package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// The admin's pages of one queue and one user: edit, delete, remove
// members, disable and enable, each with a confirmation.

func queueID(t *testing.T, s *site, name string) string {
	t.Helper()
	qs, err := s.svc.Queues(context.Background(), access.System)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(qs, func(q *ticket.Queue) bool { return q.Name == name })
	if i < 0 {
		t.Fatalf("no queue %s", name)
	}
	return strconv.FormatInt(qs[i].ID, 10)
}

func userID(t *testing.T, s *site, email string) string {
	t.Helper()
	return strconv.FormatInt(s.actor(t, email).UserID, 10)
}

// wantRedirect checks a 303 to location.
func wantRedirect(t *testing.T, a answer, location string) {
	t.Helper()
	if a.status != http.StatusSeeOther || a.header.Get("Location") != location {
		t.Fatalf("got %d to %q, want 303 to %s\n%s", a.status, a.header.Get("Location"), location, a.body)
	}
}

// want422 checks that a form came back as 422 holding each text.
func want422(t *testing.T, a answer, texts ...string) {
	t.Helper()
	if a.status != http.StatusUnprocessableEntity {
		t.Fatalf("got %d, want 422\n%s", a.status, a.body)
	}
	for _, s := range texts {
		if !strings.Contains(a.body, s) {
			t.Errorf("the page lacks %q\n%s", s, a.body)
		}
	}
}

// TestAdminManageHidden: the new pages do not exist for agents and
// requesters, and their POSTs change nothing.
func TestAdminManageHidden(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	sd, sepp := queueID(t, s, "Servicedesk"), userID(t, s, securityEmail)
	anton := userID(t, s, agentEmail)
	for _, who := range []string{agentEmail, requesterEmail} {
		c := s.signedIn(t, who)
		for _, p := range []string{"/admin/queues/" + sd, "/admin/queues/" + sd + "/members/" + anton + "/remove", "/admin/users/" + sepp, "/admin/users?q=sepp"} {
			if a := c.get(p); a.status != http.StatusNotFound {
				t.Errorf("%s GET %s: got %d, want 404", who, p, a.status)
			}
		}
		for _, p := range []string{"/admin/queues/" + sd, "/admin/queues/" + sd + "/delete", "/admin/queues/" + sd + "/members/" + anton + "/remove",
			"/admin/users/" + sepp, "/admin/users/" + sepp + "/disable", "/admin/users/" + sepp + "/enable"} {
			form := url.Values{"name": {"Evil"}, "role": {"requester"}, "confirm": {"yes"}, "confirm_role": {"yes"}, "language": {"en"}}
			if a := c.post(p, form); a.status != http.StatusNotFound {
				t.Errorf("%s POST %s: got %d, want 404", who, p, a.status)
			}
		}
	}
	if a := s.actor(t, securityEmail); a.Role != ticket.RoleAgent || len(a.Queues) != 1 {
		t.Fatalf("a refused POST changed sepp: %+v", a)
	}
	if a := s.actor(t, agentEmail); len(a.Queues) != 1 {
		t.Fatalf("a refused POST removed anton: %+v", a)
	}
	if u, _ := s.svc.User(context.Background(), access.System, securityEmail); u.Disabled {
		t.Fatal("a refused POST disabled sepp")
	}
	if qs, _ := s.svc.Queues(context.Background(), access.System); len(qs) != 2 || qs[0].Name != "Security" {
		t.Fatalf("a refused POST changed the queues: %+v", qs)
	}
	// An admin asking for what does not exist gets 404 too.
	admin := withAdmin(t, s)
	for _, p := range []string{"/admin/queues/999999", "/admin/queues/abc", "/admin/users/999999", "/admin/queues/" + sd + "/members/" + sepp + "/remove"} {
		if a := admin.get(p); a.status != http.StatusNotFound {
			t.Errorf("admin GET %s: got %d, want 404", p, a.status)
		}
	}
}

func TestAdminQueueEdit(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	ctx := context.Background()
	sec, sd := queueID(t, s, "Security"), queueID(t, s, "Servicedesk")
	if a := admin.get("/admin/queues"); !strings.Contains(a.body, `href="/admin/queues/`+sec+`"`) {
		t.Fatalf("the list does not link the queue pages:\n%s", a.body)
	}
	a := admin.get("/admin/queues/" + sec)
	if a.status != http.StatusOK || !strings.Contains(a.body, `<label for="q-name">`) || !strings.Contains(a.body, `value="Security"`) ||
		!strings.Contains(a.body, "Sepp Security") || !strings.Contains(a.body, `name="default"`) {
		t.Fatalf("queue page: %d\n%s", a.status, a.body)
	}

	// Saved: a flash on the page it comes back to.
	wantRedirect(t, admin.post("/admin/queues/"+sec, url.Values{"name": {"IT-Security"}, "address": {"Security@zid.example"}, "confidential": {"1"}}), "/admin/queues/"+sec)
	if a := admin.get("/admin/queues/" + sec); !strings.Contains(a.body, "Queue saved.") || !strings.Contains(a.body, `value="security@zid.example"`) {
		t.Fatalf("after saving:\n%s", a.body)
	}
	// Invalid and taken input: the form again, as typed, with the reason.
	a = admin.post("/admin/queues/"+sec, url.Values{"name": {""}, "address": {"not mail"}, "confidential": {"1"}})
	want422(t, a, `id="q-address" name="address" type="email" value="not mail" placeholder`, `aria-invalid="true"`, "Please check")
	a = admin.post("/admin/queues/"+sec, url.Values{"name": {"servicedesk"}, "address": {"x@zid.example"}})
	want422(t, a, "A queue with this name exists already.", `value="servicedesk"`, `value="x@zid.example"`)

	// The default moves; it cannot be unticked away.
	wantRedirect(t, admin.post("/admin/queues/"+sec, url.Values{"name": {"IT-Security"}, "default": {"1"}}), "/admin/queues/"+sec)
	qs, _ := s.svc.Queues(ctx, access.System)
	if !qs[0].Default || qs[1].Default { // IT-Security, Servicedesk
		t.Fatalf("default did not move: %+v", qs)
	}
	a = admin.get("/admin/queues/" + sec)
	if !strings.Contains(a.body, "This is the default queue") || strings.Contains(a.body, `name="default"`) {
		t.Fatalf("default queue page:\n%s", a.body)
	}
	wantRedirect(t, admin.post("/admin/queues/"+sec, url.Values{"name": {"IT-Security"}}), "/admin/queues/"+sec) // no box: stays default
	if qs, _ := s.svc.Queues(ctx, access.System); !qs[0].Default {
		t.Fatalf("saving the default queue unset it: %+v", qs)
	}
	if a := admin.get("/admin/queues/" + sd); !strings.Contains(a.body, "Make this the default queue (instead of IT-Security)") {
		t.Fatalf("other queue page:\n%s", a.body)
	}

	// Delete: refused for the default and for a queue with tickets (the
	// page says why and offers no button), done for an empty one with the
	// box ticked.
	if a := admin.get("/admin/queues/" + sec); !strings.Contains(a.body, "It is the default queue.") || strings.Contains(a.body, `action="/admin/queues/`+sec+`/delete"`) {
		t.Fatalf("default queue offers deletion:\n%s", a.body)
	}
	want422(t, admin.post("/admin/queues/"+sec+"/delete", url.Values{"confirm": {"yes"}}), "The default queue cannot be deleted.")
	s.ticket(t, requesterEmail, "Servicedesk", "Drucker")
	if a := admin.get("/admin/queues/" + sd); !strings.Contains(a.body, "It holds 1 ticket. If it is open, move it") {
		t.Fatalf("queue with a ticket:\n%s", a.body)
	}
	want422(t, admin.post("/admin/queues/"+sd+"/delete", url.Values{"confirm": {"yes"}}), "The queue holds tickets now and cannot be deleted.")
	if _, err := s.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Leer"}); err != nil {
		t.Fatal(err)
	}
	leer := queueID(t, s, "Leer")
	if a := admin.get("/admin/queues/" + leer); !strings.Contains(a.body, `action="/admin/queues/`+leer+`/delete"`) {
		t.Fatalf("empty queue offers no deletion:\n%s", a.body)
	}
	want422(t, admin.post("/admin/queues/"+leer+"/delete", nil), "Please tick the box to confirm.")
	wantRedirect(t, admin.post("/admin/queues/"+leer+"/delete", url.Values{"confirm": {"yes"}}), "/admin/queues")
	if a := admin.get("/admin/queues"); !strings.Contains(a.body, "Queue deleted.") || strings.Contains(a.body, ">Leer<") {
		t.Fatalf("after deleting:\n%s", a.body)
	}
	if a := admin.get("/admin/queues/" + leer); a.status != http.StatusNotFound {
		t.Fatalf("deleted queue: %d", a.status)
	}
	if a := admin.post("/admin/queues/"+sec, url.Values{"name": {"Evil"}}, "Sec-Fetch-Site", "cross-site"); a.status != http.StatusForbidden {
		t.Fatalf("cross-site edit: %d", a.status)
	}
}

func TestAdminRemoveMember(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	ctx := context.Background()
	sd, anton := queueID(t, s, "Servicedesk"), userID(t, s, agentEmail)
	mine := s.ticket(t, requesterEmail, "Servicedesk", "Drucker")
	if _, err := s.svc.Act(ctx, s.actor(t, agentEmail), mine.Number, desk.Action{Name: "take"}); err != nil {
		t.Fatal(err)
	}
	olgas := s.ticket(t, requesterEmail, "Servicedesk", "Beamer")
	if _, err := s.svc.Act(ctx, s.actor(t, outsiderEmail), olgas.Number, desk.Action{Name: "take"}); err != nil {
		t.Fatal(err)
	}
	page := "/admin/queues/" + sd + "/members/" + anton + "/remove"
	if a := admin.get("/admin/queues/" + sd); !strings.Contains(a.body, `href="`+page+`"`) || !strings.Contains(a.body, "1 open ticket assigned") {
		t.Fatalf("queue page lacks the remove link:\n%s", a.body)
	}
	a := admin.get(page)
	if a.status != http.StatusOK || !strings.Contains(a.body, "Remove Anton Agent from queue Servicedesk?") ||
		!strings.Contains(a.body, "1 ticket of this queue that is not closed is assigned to this person; it becomes unassigned") {
		t.Fatalf("confirmation: %d\n%s", a.status, a.body)
	}
	want422(t, admin.post(page, nil), "Please tick the box to confirm.", "Remove Anton Agent")
	if a := s.actor(t, agentEmail); len(a.Queues) != 1 {
		t.Fatal("an unconfirmed POST removed anton")
	}
	wantRedirect(t, admin.post(page, url.Values{"confirm": {"yes"}}), "/admin/queues/"+sd)
	if a := admin.get("/admin/queues/" + sd); !strings.Contains(a.body, "Member removed.") || strings.Contains(a.body, "Anton Agent") && strings.Contains(a.body, `href="`+page+`"`) {
		t.Fatalf("after removing:\n%s", a.body)
	}
	if a := s.actor(t, agentEmail); len(a.Queues) != 0 {
		t.Fatalf("anton still in %v", a.Queues)
	}
	for n, want := range map[int64]string{mine.Number: "", olgas.Number: outsiderEmail} {
		if tk, _ := s.svc.Ticket(ctx, access.System, n); tk.Assignee != want {
			t.Errorf("#%d: assignee %q, want %q", n, tk.Assignee, want)
		}
	}
	if a := admin.get(page); a.status != http.StatusNotFound {
		t.Fatalf("no member any more: %d", a.status)
	}
	// Back in, from the queue's own page, which the form returns to.
	wantRedirect(t, admin.post("/admin/queues/members", url.Values{"queue": {"Servicedesk"}, "email": {agentEmail}, "back": {sd}}), "/admin/queues/"+sd)
	if a := s.actor(t, agentEmail); len(a.Queues) != 1 {
		t.Fatalf("anton not added again: %v", a.Queues)
	}
}

func TestAdminUserEdit(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	ctx := context.Background()
	anton, sepp, self := userID(t, s, agentEmail), userID(t, s, securityEmail), userID(t, s, deskAdminEmail)

	// The list: state, queues, search.
	a := admin.get("/admin/users")
	if !strings.Contains(a.body, `<label for="f-q">Name or e-mail address</label>`) || !strings.Contains(a.body, `href="/admin/users/`+anton+`"`) ||
		!strings.Contains(a.body, ">active<") || !strings.Contains(a.body, "<li>Servicedesk</li>") || !strings.Contains(a.body, "5 people") {
		t.Fatalf("users page:\n%s", a.body)
	}
	a = admin.get("/admin/users?q=ANTON")
	if !strings.Contains(a.body, "Anton Agent") || strings.Contains(a.body, "Rita Requester") || !strings.Contains(a.body, "1 person") ||
		!strings.Contains(a.body, `value="ANTON"`) {
		t.Fatalf("search:\n%s", a.body)
	}
	if a := admin.get("/admin/users?q=zid.example&role=agent&state=disabled"); !strings.Contains(a.body, "Nobody matches the search.") {
		t.Fatalf("empty search:\n%s", a.body)
	}
	if a := admin.get("/admin/users?role=emperor&state=x&page=-3"); a.status != http.StatusOK || !strings.Contains(a.body, "5 people") {
		t.Fatalf("junk filter: %d\n%s", a.status, a.body)
	}

	// One person: invalid input comes back as typed.
	a = admin.get("/admin/users/" + anton)
	if a.status != http.StatusOK || !strings.Contains(a.body, `value="Anton Agent"`) || !strings.Contains(a.body, "<li>Servicedesk</li>") {
		t.Fatalf("user page: %d\n%s", a.status, a.body)
	}
	a = admin.post("/admin/users/"+anton, url.Values{"name": {" "}, "language": {"fr"}, "role": {"agent"}})
	want422(t, a, `id="u-name" name="name" value=" "`, "Please check")
	wantRedirect(t, admin.post("/admin/users/"+anton, url.Values{"name": {"Anton A. Agent"}, "language": {"en"}, "role": {"agent"}}), "/admin/users/"+anton)
	if a := admin.get("/admin/users/" + anton); !strings.Contains(a.body, "Changes to the user saved.") || !strings.Contains(a.body, `value="Anton A. Agent"`) {
		t.Fatalf("after saving:\n%s", a.body)
	}
	// To requester ends memberships: only with the box ticked.
	want422(t, admin.post("/admin/users/"+anton, url.Values{"name": {"Anton A. Agent"}, "language": {"en"}, "role": {"requester"}}),
		"Please tick the box to confirm.", `<option value="requester" selected>`)
	if a := s.actor(t, agentEmail); a.Role != ticket.RoleAgent {
		t.Fatal("an unconfirmed role change went through")
	}
	wantRedirect(t, admin.post("/admin/users/"+anton, url.Values{"name": {"Anton A. Agent"}, "language": {"en"}, "role": {"requester"}, "confirm_role": {"yes"}}), "/admin/users/"+anton)
	if a := s.actor(t, agentEmail); a.Role != ticket.RoleRequester || len(a.Queues) != 0 {
		t.Fatalf("got %+v, want a requester in no queue", a)
	}

	// Oneself: neither demoted nor disabled, and the page offers neither.
	a = admin.get("/admin/users/" + self)
	if !strings.Contains(a.body, "This is your own account.") || strings.Contains(a.body, `action="/admin/users/`+self+`/disable"`) {
		t.Fatalf("own page:\n%s", a.body)
	}
	want422(t, admin.post("/admin/users/"+self, url.Values{"name": {"Adele Admin"}, "language": {"en"}, "role": {"agent"}}), "You can neither demote nor disable your own account.")
	want422(t, admin.post("/admin/users/"+self+"/disable", url.Values{"confirm": {"yes"}}), "You can neither demote nor disable your own account.")

	// Disabling ends the person's session and sign-in; enabling restores it.
	seppBrowser := s.signedIn(t, securityEmail)
	want422(t, admin.post("/admin/users/"+sepp+"/disable", nil), "Please tick the box to confirm.")
	wantRedirect(t, admin.post("/admin/users/"+sepp+"/disable", url.Values{"confirm": {"yes"}}), "/admin/users/"+sepp)
	if a := admin.get("/admin/users/" + sepp); !strings.Contains(a.body, "Account disabled.") || !strings.Contains(a.body, "Disabled since") ||
		!strings.Contains(a.body, `action="/admin/users/`+sepp+`/enable"`) {
		t.Fatalf("after disabling:\n%s", a.body)
	}
	if a := seppBrowser.get("/"); a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/login") {
		t.Fatalf("sepp's session: got %d to %q, want the sign-in page", a.status, a.header.Get("Location"))
	}
	if a := s.client(t).login(securityEmail, fixturePassword); a.status == http.StatusSeeOther {
		t.Fatal("a disabled account signed in")
	}
	if a := admin.get("/admin/users?state=disabled"); !strings.Contains(a.body, "Sepp Security") || !strings.Contains(a.body, "1 person") {
		t.Fatalf("disabled list:\n%s", a.body)
	}
	if a := admin.get("/admin/queues"); !strings.Contains(a.body, "Sepp Security (disabled)") {
		t.Fatalf("queue list does not mark sepp:\n%s", a.body)
	}
	wantRedirect(t, admin.post("/admin/users/"+sepp+"/enable", nil), "/admin/users/"+sepp)
	if a := s.client(t).login(securityEmail, fixturePassword); a.status != http.StatusSeeOther {
		t.Fatalf("sepp signs in again: %d", a.status)
	}
	if a := s.actor(t, securityEmail); len(a.Queues) != 1 {
		t.Fatalf("sepp lost his queue: %v", a.Queues)
	}
	if u, _ := s.svc.User(ctx, access.System, securityEmail); u.Disabled {
		t.Fatal("still disabled")
	}
}

// TestAdminCountsScoped: an admin outside a confidential queue sees none of
// its tickets counted on the queue page, the user page or the removal's
// confirmation (the search they link to finds none either); an admin in
// the queue sees them, in singular and plural as the count asks.
func TestAdminCountsScoped(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	ctx := context.Background()
	outside := withAdmin(t, s)
	const idaEmail = "ida.admin@zid.example"
	if _, err := s.svc.CreateUser(ctx, access.System, desk.NewUser{Email: idaEmail, Name: "Ida Admin", Role: ticket.RoleAdmin,
		Language: "en", Password: fixturePassword}); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.AddQueueMember(ctx, access.System, "Security", idaEmail); err != nil {
		t.Fatal(err)
	}
	inside := s.signedIn(t, idaEmail)
	secret := s.ticket(t, requesterEmail, "Security", "Stolen laptop") // confidential
	if _, err := s.svc.Act(ctx, s.actor(t, securityEmail), secret.Number, desk.Action{Name: "take"}); err != nil {
		t.Fatal(err)
	}
	sec, sepp := queueID(t, s, "Security"), userID(t, s, securityEmail)
	pages := []string{"/admin/queues/" + sec, "/admin/users/" + sepp, "/admin/queues/" + sec + "/members/" + sepp + "/remove"}

	for i, c := range []struct{ want, leak string }{
		{"<span class=\"muted\">–</span>", "1 open ticket assigned"},
		{"0 not closed", "1 open assigned ticket"},
		{"No open tickets of this queue are assigned to this person.", "1 ticket of this queue"},
	} {
		a := outside.get(pages[i])
		if a.status != http.StatusOK || !strings.Contains(a.body, c.want) || strings.Contains(a.body, c.leak) {
			t.Errorf("admin outside Security, %s: got %d, want 200 with %q and without %q\n%s", pages[i], a.status, c.want, c.leak, a.body)
		}
	}
	if a := outside.get("/search?queue=Security&assignee=" + url.QueryEscape(securityEmail)); !strings.Contains(a.body, "0 tickets") {
		t.Errorf("admin outside Security: the linked search finds the hidden ticket\n%s", a.body)
	}

	for i, want := range []string{"1 open ticket assigned", "1 not closed", "1 ticket of this queue that is not closed is assigned to this person"} {
		if a := inside.get(pages[i]); a.status != http.StatusOK || !strings.Contains(a.body, want) {
			t.Errorf("admin in Security, %s: got %d, want 200 with %q\n%s", pages[i], a.status, want, a.body)
		}
	}
	a := inside.get(pages[1])
	for _, want := range []string{"unassigns their 1 open assigned ticket.", "Yes, end the membership in 1 queue and unassign 1 open ticket if the role becomes requester"} {
		if !strings.Contains(a.body, want) {
			t.Errorf("admin in Security, user page lacks %q\n%s", want, a.body)
		}
	}
}
