package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// queueSiteOn is newSite on dialect (SQLite or PostgreSQL).
func queueSiteOn(t *testing.T, dialect string) *site {
	t.Helper()
	db := storetest.Open(t, dialect)
	seedFixture(t, db)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cheap := auth.CheapParams()
	lag := new(atomic.Int64)
	now := func() time.Time { return time.Now().Add(-time.Duration(lag.Load())) }
	svc := desk.New(db, blobs, desk.Options{PasswordParams: &cheap, Quiet: true, Now: now})
	h, err := web.New(svc, web.Options{})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{srv: srv, svc: svc, lag: lag}
}

// forEachQueueSite runs f as a subtest on a site over SQLite and one over
// PostgreSQL.
func forEachQueueSite(t *testing.T, f func(t *testing.T, s *site)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			f(t, queueSiteOn(t, d))
		})
	}
}

var (
	overviewRow  = regexp.MustCompile(`(?s)<tr data-queue="([^"]*)">(.*?)</tr>`)
	overviewCell = regexp.MustCompile(`data-count="([a-z]+)">(?:<a href="[^"]*">(\d+)</a>|<span class="muted">(\d+)</span>)`)
	tabCount     = regexp.MustCompile(`data-tab="([a-z]+)"[^>]*>[^<]*<span class="badge[^"]*" data-count="(\d+)"`)
	resultsTotal = regexp.MustCompile(`id="h-results">(\d+) Tickets?<`)
	searchLink   = regexp.MustCompile(`href="([^"]+)" id="open-in-search"`)
)

// overview reads /queues: queue name ("" for the sums) → count name → n,
// and the queue names in the order shown.
func overview(t *testing.T, body string) (map[string]map[string]int, []string) {
	t.Helper()
	out := map[string]map[string]int{}
	var order []string
	for _, m := range overviewRow.FindAllStringSubmatch(body, -1) {
		name := html.UnescapeString(m[1])
		counts := map[string]int{}
		for _, c := range overviewCell.FindAllStringSubmatch(m[2], -1) {
			n, _ := strconv.Atoi(c[2] + c[3])
			counts[c[1]] = n
		}
		if len(counts) != 6 {
			t.Fatalf("row %q has %d counts, want 6:\n%s", name, len(counts), m[2])
		}
		out[name] = counts
		if name != "" {
			order = append(order, name)
		}
	}
	return out, order
}

// tabs reads a queue view's tab counts.
func tabs(t *testing.T, body string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range tabCount.FindAllStringSubmatch(body, -1) {
		out[m[1]], _ = strconv.Atoi(m[2])
	}
	if len(out) != 7 {
		t.Fatalf("got %d tabs, want 7:\n%s", len(out), body)
	}
	return out
}

// total reads the result count of a list (search page or queue view).
func total(t *testing.T, body string) int {
	t.Helper()
	m := resultsTotal.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no result count in:\n%s", body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// queueTickets makes, in Servicedesk: one new and unassigned, one Anton
// took, one waiting for the requester, one overdue, one resolved and one
// closed; in Security (confidential) one new ticket.
func queueTickets(t *testing.T, s *site) map[string]*ticket.Ticket {
	t.Helper()
	ctx := context.Background()
	anton, rita := s.actor(t, agentEmail), s.actor(t, requesterEmail)
	past := time.Now().Add(-48 * time.Hour)
	mk := func(queue, subject string, due *time.Time) *ticket.Ticket {
		if due != nil { // a due date is never set in the past: this one was set three days ago
			s.lag.Store(int64(72 * time.Hour))
			defer s.lag.Store(0)
		}
		tk, err := s.svc.CreateTicket(ctx, rita, desk.NewTicket{Queue: queue, Subject: subject, Description: "text", Due: due, Channel: ticket.ChannelWeb})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	act := func(a access.Actor, tk *ticket.Ticket, name string) {
		t.Helper()
		if _, err := s.svc.Act(ctx, a, tk.Number, desk.Action{Name: name}); err != nil {
			t.Fatalf("%s #%d: %v", name, tk.Number, err)
		}
	}
	ts := map[string]*ticket.Ticket{
		"new":      mk("Servicedesk", "Drucker meldet Papierstau", nil),
		"taken":    mk("Servicedesk", "Kennwort abgelaufen", nil),
		"waiting":  mk("Servicedesk", "Beamer im Hörsaal 3", nil),
		"overdue":  mk("Servicedesk", "Lizenz für Matlab", &past),
		"resolved": mk("Servicedesk", "Postfach voll", nil),
		"closed":   mk("Servicedesk", "VPN bricht ab", nil),
		"secret":   mk("Security", "Phishing-Verdacht im Rektorat", nil),
	}
	act(anton, ts["taken"], "take")
	act(anton, ts["waiting"], "take")
	if _, err := s.svc.AddEntry(ctx, anton, ts["waiting"].Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welcher Hörsaal?"}); err != nil {
		t.Fatal(err)
	}
	act(anton, ts["resolved"], "resolve")
	act(anton, ts["closed"], "resolve")
	act(rita, ts["closed"], "close")
	return ts
}

// TestQueuePages: /queues lists every queue with counts under visibility
// (a non-member neither sees nor counts a confidential ticket, a member
// does), the person's queues first; a queue view's tabs list the right
// tickets with the right counts, agree with "open in search", and take
// bulk actions; requesters and unknown queues get 404.
func TestQueuePages(t *testing.T) {
	forEachQueueSite(t, func(t *testing.T, s *site) {
		ts := queueTickets(t, s)
		anton, sec, rita := s.signedIn(t, agentEmail), s.signedIn(t, securityEmail), s.signedIn(t, requesterEmail)

		// The overview, as Anton (Servicedesk) and as Sepp (Security).
		a := anton.get("/queues")
		if a.status != http.StatusOK || !strings.Contains(a.body, `href="/queues" aria-current="page"`) {
			t.Fatalf("GET /queues: %d, or no active Queues item in the navigation\n%s", a.status, a.body)
		}
		counts, order := overview(t, a.body)
		sd := map[string]int{"new": 2, "open": 1, "waiting": 1, "overdue": 1, "unassigned": 3, "resolved": 1}
		if !equalCounts(counts["Servicedesk"], sd) || !equalCounts(counts["Security"], map[string]int{}) || !equalCounts(counts[""], sd) {
			t.Fatalf("Anton's overview: %v; want Servicedesk %v, Security all 0 (its confidential ticket is not his), sums as Servicedesk", counts, sd)
		}
		if strings.Join(order, ",") != "Servicedesk,Security" || strings.Index(a.body, `id="my-queues"`) > strings.Index(a.body, `id="other-queues"`) {
			t.Fatalf("Anton's queues in order %v; want his own first", order)
		}
		counts, order = overview(t, sec.get("/queues").body)
		if counts["Security"]["new"] != 1 || counts["Security"]["unassigned"] != 1 || counts[""]["new"] != 3 || strings.Join(order, ",") != "Security,Servicedesk" {
			t.Fatalf("Sepp's overview: %v in order %v; want the confidential ticket counted in Security, Security first", counts, order)
		}

		// Requesters and unknown queues: not found. The nav item is staff's.
		for _, p := range []string{"/queues", "/queues/Servicedesk", "/queues/Nowhere"} {
			if a := rita.get(p); a.status != http.StatusNotFound {
				t.Errorf("requester GET %s: got %d, want 404", p, a.status)
			}
		}
		if a := anton.get("/queues/Nowhere"); a.status != http.StatusNotFound {
			t.Errorf("GET /queues/Nowhere: got %d, want 404", a.status)
		}
		if strings.Contains(rita.get("/").body, `href="/queues"`) {
			t.Error("a requester's navigation offers Queues")
		}
		// The dashboard links Anton's queue to its view.
		if b := anton.get("/").body; !strings.Contains(b, `<a href="/queues/Servicedesk">Servicedesk</a>`) {
			t.Errorf("dashboard does not link the queue view:\n%s", b)
		}

		// The view: the header, tabs with counts, each tab's tickets.
		a = anton.get("/queues/servicedesk") // any case
		if a.status != http.StatusOK || !strings.Contains(a.body, "<h1>Servicedesk</h1>") || !strings.Contains(a.body, "Anton Agent") ||
			!strings.Contains(a.body, "Sie sind Mitglied") {
			t.Fatalf("queue view: %d\n%s", a.status, a.body)
		}
		want := map[string]int{"unassigned": 3, "open": 4, "mine": 2, "waiting": 1, "overdue": 1, "resolved": 1, "closed": 1}
		if got := tabs(t, a.body); !equalCounts(got, want) {
			t.Fatalf("tab counts: got %v, want %v", got, want)
		}
		lists := map[string][]string{
			"unassigned": {"new", "overdue", "resolved"},
			"open":       {"new", "taken", "waiting", "overdue"},
			"mine":       {"taken", "waiting"},
			"waiting":    {"waiting"},
			"overdue":    {"overdue"},
			"resolved":   {"resolved"},
			"closed":     {"closed"},
		}
		for tab, keys := range lists {
			a := anton.get("/queues/Servicedesk?tab=" + tab)
			if a.status != http.StatusOK || total(t, a.body) != want[tab] || !strings.Contains(a.body, `data-tab="`+tab+`" aria-current="page"`) ||
				strings.Contains(a.body, "[queues.") {
				t.Fatalf("tab %s: %d, total %d, want %d\n%s", tab, a.status, total(t, a.body), want[tab], a.body)
			}
			for k, tk := range ts {
				listed := strings.Contains(a.body, `href="/tickets/`+strconv.FormatInt(tk.Number, 10)+`"`)
				if wanted := contains(keys, k); listed != wanted {
					t.Errorf("tab %s: ticket %q listed %v, want %v", tab, k, listed, wanted)
				}
			}
			// "Open in search" shows the same tickets.
			m := searchLink.FindStringSubmatch(a.body)
			if m == nil {
				t.Fatalf("tab %s has no search link", tab)
			}
			if n := total(t, anton.get(html.UnescapeString(m[1])).body); n != want[tab] {
				t.Errorf("tab %s: the search %s finds %d, the tab %d", tab, html.UnescapeString(m[1]), n, want[tab])
			}
		}
		// Sorting and paging keep the tab; a bad tab or sort is a clear 400.
		a = anton.get("/queues/Servicedesk?tab=open&sort=subject")
		if !strings.Contains(a.body, `href="/queues/Servicedesk?sort=-subject&amp;tab=open"`) ||
			strings.Index(a.body, "Beamer im Hörsaal") > strings.Index(a.body, "Lizenz für Matlab") {
			t.Errorf("sorted by subject: not sorted, or the sort link loses the tab:\n%s", a.body)
		}
		if a := anton.get("/queues/Servicedesk?tab=everything"); a.status != http.StatusBadRequest || !strings.Contains(a.body, "Diese Liste gibt es nicht") {
			t.Errorf("unknown tab: got %d\n%s", a.status, a.body)
		}
		if a := anton.get("/queues/Servicedesk?sort=colour"); a.status != http.StatusBadRequest || !strings.Contains(a.body, "Sortierung") {
			t.Errorf("bad sort: got %d\n%s", a.status, a.body)
		}

		// Security: Anton sees the queue, not its confidential ticket; Sepp does.
		a = anton.get("/queues/Security?tab=unassigned")
		if a.status != http.StatusOK || strings.Contains(a.body, "Phishing") || total(t, a.body) != 0 || tabs(t, a.body)["unassigned"] != 0 {
			t.Fatalf("Anton's Security view shows or counts the confidential ticket: %d\n%s", a.status, a.body)
		}
		if a := sec.get("/queues/Security?tab=unassigned"); !strings.Contains(a.body, "Phishing-Verdacht") || tabs(t, a.body)["unassigned"] != 1 {
			t.Fatalf("Sepp's Security view lacks its ticket:\n%s", a.body)
		}

		// Bulk from the view: resolve the unassigned new ticket; back to the view.
		tk, _ := s.svc.Ticket(context.Background(), access.System, ts["new"].Number)
		view := "/queues/Servicedesk?tab=unassigned"
		a = anton.get(view)
		if !strings.Contains(a.body, `value="`+sel(tk)[0]+`" form="bulk-form"`) || !strings.Contains(a.body, `<option value="olga.outsider@zid.example">`) ||
			strings.Contains(a.body, `<option value="sepp.security@zid.example">`) {
			t.Fatalf("queue view lacks the selection, or offers assignees outside the queue:\n%s", a.body)
		}
		a = anton.post("/search/bulk", url.Values{"bulk_action": {"resolve"}, "t": sel(tk)}, "Referer", s.srv.URL+view)
		if a.status != http.StatusOK || !strings.Contains(a.body, "1 von 1") || !strings.Contains(a.body, `href="/queues/Servicedesk?tab=unassigned"`) {
			t.Fatalf("bulk from the queue view: %d\n%s", a.status, a.body)
		}
		got := tabs(t, anton.get(view).body)
		if got["resolved"] != 2 || got["open"] != 3 || got["unassigned"] != 3 {
			t.Fatalf("after resolving: tabs %v, want resolved 2, open 3, unassigned 3", got)
		}
	})
}

func equalCounts(got, want map[string]int) bool {
	for _, k := range []string{"new", "open", "waiting", "overdue", "unassigned", "resolved", "mine", "closed"} {
		if got[k] != want[k] {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSearchAgreesWithSavedFilters: for each query, the search page's total
// and the saved filter's count on the dashboard are the same number (one
// parser, one search), under the viewer's visibility.
func TestSearchAgreesWithSavedFilters(t *testing.T) {
	forEachQueueSite(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		queueTickets(t, s)
		urgent := desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker brennt", Description: "Rauch", Priority: ticket.PriorityUrgent, Channel: ticket.ChannelWeb}
		if _, err := s.svc.CreateTicket(ctx, s.actor(t, requesterEmail), urgent); err != nil {
			t.Fatal(err)
		}
		anton := s.signedIn(t, agentEmail)
		today := time.Now().In(time.UTC).Format("2006-01-02")
		for i, c := range []struct {
			query string
			want  int // -1: not checked beyond agreement
		}{
			{"", 7},
			{"q=drucker", 2},
			{"q=drucker&state=new&state=open", 2},
			{"q=phishing", 0}, // the confidential ticket of Security
			{"queue=Servicedesk&state=new", 3},
			{"queue=security", 0},
			{"assignee=me", 2},
			{"assignee=none&state=new&state=open&state=waiting&state=resolved", 4},
			{"priority=urgent", 1},
			{"requester=" + requesterEmail + "&state=closed", 1},
			{"created_after=2000-01-01&created_before=2099-12-31", 7},
			{"created_before=2000-01-01", 0},
			{"created_after=" + today, -1},
			{"overdue=1", 1},
			{"overdue=1&state=resolved&state=new", 1},
			{"state=waiting&sort=-priority", 1},
			{"sort=due", 7},
		} {
			name := "F" + strconv.Itoa(i)
			a := anton.post("/filters", url.Values{"name": {name}, "query": {c.query}})
			if a.status != http.StatusSeeOther {
				t.Fatalf("save %q: got %d\n%s", c.query, a.status, a.body)
			}
			searchTotal := total(t, anton.get("/search?"+c.query).body)
			savedTotal := total(t, anton.get(a.header.Get("Location")).body)
			counts, _ := dashboardFilters(t, anton.get("/").body)
			if strconv.Itoa(searchTotal) != counts[name] || savedTotal != searchTotal {
				t.Errorf("%q: search page %d, saved filter's page %d, dashboard count %s", c.query, searchTotal, savedTotal, counts[name])
			}
			if c.want >= 0 && searchTotal != c.want {
				t.Errorf("%q: %d tickets, want %d", c.query, searchTotal, c.want)
			}
		}
		// A search the parser refuses is a clear error on the page, not a count.
		if a := anton.get("/search?overdue=maybe"); a.status != http.StatusBadRequest || !strings.Contains(a.body, "Überfällig") {
			t.Errorf("overdue=maybe: got %d\n%s", a.status, a.body)
		}
		if a := anton.get("/search?created_after=gestern"); a.status != http.StatusBadRequest || !strings.Contains(a.body, `id="f-after" name="created_after" type="date" value="gestern" aria-invalid="true"`) {
			t.Errorf("bad date: got %d\n%s", a.status, a.body)
		}
	})
}
