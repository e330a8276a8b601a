package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// TestLinkAndMerge: the ticket page's link and merge forms; a target the
// agent may not see answers exactly like one that does not exist; errors
// show on the ticket page.
func TestLinkAndMerge(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	a1 := s.ticket(t, requesterEmail, "Servicedesk", "VPN drops")
	a2 := s.ticket(t, requesterEmail, "Servicedesk", "VPN drops again")
	a3 := s.ticket(t, requesterEmail, "Servicedesk", "VPN is slow")
	secret := s.ticket(t, requesterEmail, "Security", "Stolen VPN password") // confidential
	anton := s.signedIn(t, agentEmail)
	path := func(n int64) string { return "/tickets/" + strconv.FormatInt(n, 10) }

	page := anton.get(path(a1.Number))
	if !strings.Contains(page.body, `action="/tickets/`+strconv.FormatInt(a1.Number, 10)+`/link"`) || !strings.Contains(page.body, `/merge"`) {
		t.Fatalf("ticket page lacks the forms:\n%s", page.body)
	}
	a := anton.post(path(a1.Number)+"/link", url.Values{"target": {"#" + strconv.FormatInt(a3.Number, 10)}, "link_kind": {"parent"}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != path(a1.Number) {
		t.Fatalf("link: %d\n%s", a.status, a.body)
	}
	if page := anton.get(path(a1.Number)); !strings.Contains(page.body, `übergeordnet</span> <a href="/tickets/`+strconv.FormatInt(a3.Number, 10)+`">`) {
		t.Fatalf("the link does not show:\n%s", page.body)
	}

	// Hidden and missing targets read the same.
	hidden := anton.post(path(a1.Number)+"/link", url.Values{"target": {strconv.FormatInt(secret.Number, 10)}, "link_kind": {"related"}})
	missing := anton.post(path(a1.Number)+"/link", url.Values{"target": {"9999"}, "link_kind": {"related"}})
	if hidden.status != http.StatusUnprocessableEntity || missing.status != hidden.status ||
		!strings.Contains(hidden.body, "Ticket #"+strconv.FormatInt(secret.Number, 10)+" gibt es nicht, oder Sie dürfen es nicht sehen") ||
		!strings.Contains(missing.body, "Ticket #9999 gibt es nicht, oder Sie dürfen es nicht sehen") ||
		strings.Contains(hidden.body, "Stolen") {
		t.Fatalf("hidden target: %d, missing: %d\n%s", hidden.status, missing.status, hidden.body)
	}
	for _, tc := range []struct{ target, want string }{{"abc", "Nummer eines anderen Tickets"}, {strconv.FormatInt(a1.Number, 10), "Nummer eines anderen Tickets"}} {
		if a := anton.post(path(a1.Number)+"/link", url.Values{"target": {tc.target}}); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, tc.want) {
			t.Fatalf("target %q: %d\n%s", tc.target, a.status, a.body)
		}
	}
	// A hidden source ticket stays a plain 404.
	if a := anton.post(path(secret.Number)+"/link", url.Values{"target": {strconv.FormatInt(a1.Number, 10)}}); a.status != http.StatusNotFound {
		t.Fatalf("hidden source: %d", a.status)
	}

	// Merge a2 into a1: a2 closes (merged), we land on a1.
	a = anton.post(path(a2.Number)+"/merge", url.Values{"target": {strconv.FormatInt(a1.Number, 10)}, "version": {strconv.FormatInt(a2.Version, 10)}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != path(a1.Number) {
		t.Fatalf("merge: %d\n%s", a.status, a.body)
	}
	got, _ := s.svc.Ticket(context.Background(), access.System, a2.Number)
	if got.State != ticket.StateClosed || got.CloseReason != ticket.ReasonMerged {
		t.Fatalf("merged ticket: %s %s", got.State, got.CloseReason)
	}
	// Into a closed ticket: refused, clearly.
	a = anton.post(path(a3.Number)+"/merge", url.Values{"target": {strconv.FormatInt(a2.Number, 10)}, "version": {"0"}})
	if a.status != http.StatusConflict && a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "geschlossen") {
		t.Fatalf("merge into a closed ticket: %d\n%s", a.status, a.body)
	}
	// A stale version: the conflict, never a silent merge.
	a = anton.post(path(a3.Number)+"/merge", url.Values{"target": {strconv.FormatInt(a1.Number, 10)}, "version": {strconv.FormatInt(a3.Version+7, 10)}})
	if cur, _ := s.svc.Ticket(context.Background(), access.System, a3.Number); a.status != http.StatusConflict || cur.State == ticket.StateClosed ||
		!strings.Contains(a.body, "Jemand anderes hat das Ticket geändert") {
		t.Fatalf("stale merge: %d, state %s\n%s", a.status, cur.State, a.body)
	}
}

// TestMergeHistoryHidesHiddenTicket: after a public ticket is merged into a
// confidential one, the history on each page names the other ticket only
// to those who may see it; the others read of "another ticket".
func TestMergeHistoryHidesHiddenTicket(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	ctx := context.Background()
	const inesEmail = "ines.requester@uni.example"
	for _, u := range []desk.NewUser{
		{Email: deskAdminEmail, Name: "Adele Admin", Role: ticket.RoleAdmin, Language: "en", Password: fixturePassword},
		{Email: inesEmail, Name: "Ines Requester", Role: ticket.RoleRequester, Language: "en", Password: fixturePassword},
	} {
		if _, err := s.svc.CreateUser(ctx, access.System, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.svc.AddQueueMember(ctx, access.System, "Security", deskAdminEmail); err != nil {
		t.Fatal(err)
	}
	secret := s.ticket(t, inesEmail, "Security", "Stolen laptop") // confidential
	plain := s.ticket(t, requesterEmail, "Servicedesk", "Laptop gone")
	path := func(n int64) string { return "/tickets/" + strconv.FormatInt(n, 10) }
	ref := func(n int64) string { return "#" + strconv.FormatInt(n, 10) }
	wantRedirect(t, s.signedIn(t, deskAdminEmail).post(path(plain.Number)+"/merge",
		url.Values{"target": {strconv.FormatInt(secret.Number, 10)}, "version": {strconv.FormatInt(plain.Version, 10)}}), path(secret.Number))

	anton, sepp, ines := s.signedIn(t, agentEmail), s.signedIn(t, securityEmail), s.signedIn(t, inesEmail)
	if a := anton.get(path(secret.Number)); a.status != http.StatusNotFound {
		t.Fatalf("anton GET the confidential ticket: got %d, want 404", a.status)
	}
	for _, c := range []struct {
		who           string
		c             *client
		number, other int64
		sees          bool // whether the person may see other
		want          string
	}{
		{"non-member agent on the merged ticket", anton, plain.Number, secret.Number, false, "hat das Ticket in ein anderes Ticket zusammengeführt"},
		{"member on the merged ticket", sepp, plain.Number, secret.Number, true, "hat das Ticket in " + ref(secret.Number) + " zusammengeführt"},
		{"requester of the surviving ticket", ines, secret.Number, plain.Number, false, "merged another ticket into this one"},
		{"member on the surviving ticket", sepp, secret.Number, plain.Number, true, "hat " + ref(plain.Number) + " in dieses Ticket zusammengeführt"},
	} {
		a := c.c.get(path(c.number))
		if a.status != http.StatusOK || !strings.Contains(a.body, c.want) {
			t.Errorf("%s: got %d, want 200 with %q\n%s", c.who, a.status, c.want, a.body)
		}
		named := regexp.MustCompile(ref(c.other)+`\b`).MatchString(a.body) || strings.Contains(a.body, `href="`+path(c.other)+`"`)
		if named != c.sees {
			t.Errorf("%s: got the page naming %s %v, want %v\n%s", c.who, ref(c.other), named, c.sees, a.body)
		}
	}
}
