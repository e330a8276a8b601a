package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/web"
)

var (
	filterCount  = regexp.MustCompile(`class="filter-name" href="([^"]+)">([^<]+)</a>(?:\s*<span class="badge vis"[^>]*>[^<]*</span>)?\s*<span class="filter-count">([^<]+)</span>`)
	filterDelete = regexp.MustCompile(`action="/filters/(\d+)/delete"`)
)

// dashboardFilters returns name → count and name → link of the saved
// filters on a dashboard.
func dashboardFilters(t *testing.T, body string) (map[string]string, map[string]string) {
	t.Helper()
	counts, links := map[string]string{}, map[string]string{}
	for _, m := range filterCount.FindAllStringSubmatch(body, -1) {
		name := html.UnescapeString(m[2])
		counts[name], links[name] = m[3], html.UnescapeString(m[1])
	}
	return counts, links
}

// TestSavedFilter: an agent saves a search from the search page, finds it
// on the dashboard with its live count, and opens it; counts respect
// visibility (a confidential ticket of another queue never counts); a
// shared filter reaches its queue's members only; sharing with a queue one
// is not in is refused; one deletes only one's own.
func TestSavedFilter(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	s.ticket(t, requesterEmail, "Servicedesk", "Printer jams on floor 2")
	s.ticket(t, requesterEmail, "Servicedesk", "Mail quota full")
	s.ticket(t, requesterEmail, "Security", "Phishing mail about the printer") // confidential by default

	anton := s.signedIn(t, agentEmail)
	sepp := s.signedIn(t, securityEmail)

	// The search page offers the form, with the agent's queues to share with.
	a := anton.get("/search?q=printer&state=new")
	if a.status != http.StatusOK || !strings.Contains(a.body, `action="/filters"`) || !strings.Contains(a.body, `<option value="Servicedesk">`) ||
		strings.Contains(a.body, `<option value="Security">Queue`) {
		t.Fatalf("search page lacks the save form or offers a foreign queue: %d\n%s", a.status, a.body)
	}
	a = anton.post("/filters", url.Values{"name": {"Printers"}, "q": {"printer"}, "state": {"new"}, "page": {"2"}, "share": {""}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/search?q=printer&state=new" {
		t.Fatalf("save: got %d to %q\n%s", a.status, a.header.Get("Location"), a.body)
	}
	a = anton.post("/filters", url.Values{"name": {"Sneaky"}, "q": {"printer"}, "share": {"Security"}})
	if a.status != http.StatusForbidden || !strings.Contains(a.body, "nur mit Queues teilen") {
		t.Fatalf("share with a foreign queue: got %d\n%s", a.status, a.body)
	}
	a = anton.post("/filters", url.Values{"name": {""}, "q": {"printer"}})
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, `aria-invalid="true"`) {
		t.Fatalf("save without a name: got %d\n%s", a.status, a.body)
	}
	if a := sepp.post("/filters", url.Values{"name": {"Sec printers"}, "q": {"printer"}, "share": {"Security"}}); a.status != http.StatusSeeOther {
		t.Fatalf("sepp shares: got %d\n%s", a.status, a.body)
	}
	if a := anton.post("/filters", url.Values{"name": {"Team: everything"}, "share": {"Servicedesk"}}); a.status != http.StatusSeeOther {
		t.Fatalf("anton shares: got %d\n%s", a.status, a.body)
	}

	counts, links := dashboardFilters(t, anton.get("/").body)
	if len(counts) != 2 || counts["Printers"] != "1" || counts["Team: everything"] != "2" {
		t.Fatalf("anton's dashboard filters: %v (the confidential Security ticket must not count; Sec printers must not show)", counts)
	}
	a = anton.get(links["Printers"])
	if a.status != http.StatusOK || !strings.Contains(a.body, "Printer jams") || strings.Contains(a.body, "Phishing") {
		t.Fatalf("opening the filter: %d\n%s", a.status, a.body)
	}
	counts, _ = dashboardFilters(t, sepp.get("/").body)
	if len(counts) != 1 || counts["Sec printers"] != "2" {
		t.Fatalf("sepp's dashboard filters: %v", counts)
	}

	// Deleting: one's own only; someone else's is not found.
	page := anton.get("/filters")
	ids := filterDelete.FindAllStringSubmatch(page.body, -1)
	if page.status != http.StatusOK || len(ids) != 2 {
		t.Fatalf("filters page: %d, %d delete buttons\n%s", page.status, len(ids), page.body)
	}
	if a := sepp.post("/filters/"+ids[0][1]+"/delete", nil); a.status != http.StatusNotFound {
		t.Fatalf("sepp deletes anton's filter: got %d", a.status)
	}
	if a := anton.post("/filters/"+ids[0][1]+"/delete", url.Values{"back": {"/filters"}}); a.status != http.StatusSeeOther || a.header.Get("Location") != "/filters" {
		t.Fatalf("anton deletes his filter: got %d to %q", a.status, a.header.Get("Location"))
	}
	if counts, _ := dashboardFilters(t, anton.get("/").body); len(counts) != 1 {
		t.Fatalf("after delete: %v", counts)
	}
}
