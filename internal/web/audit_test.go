package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// TestAuditPage reads /audit as an auditor on both databases, in English
// and German: the start page leads there, the navigation shows no tickets,
// the filters, the CSV link and its export work, every reading is a row;
// agents and requesters get the 404 page.
func TestAuditPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		s, _ := newSiteOn(t, dialect, web.Options{})
		ctx := context.Background()
		for _, u := range []desk.NewUser{
			{Email: "olga@example.org", Name: "Olga Auditor", Role: ticket.RoleAuditor, Language: "en", Password: fixturePassword},
			{Email: "otto@example.org", Name: "Otto Prüfer", Role: ticket.RoleAuditor, Language: "de", Password: fixturePassword},
		} {
			if _, err := s.svc.CreateUser(ctx, access.System, u); err != nil {
				t.Fatal(err)
			}
		}
		olga := s.signedIn(t, "olga@example.org")
		if a := olga.get("/"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/audit" {
			t.Fatalf("auditor's start: got %d to %q, want 303 to /audit", a.status, a.header.Get("Location"))
		}
		a := olga.get("/audit")
		if a.status != http.StatusOK || !strings.Contains(a.body, "<h1>Audit log</h1>") || !strings.Contains(a.body, "session.start") {
			t.Fatalf("/audit: got %d, want the log with the sign-in\n%s", a.status, a.body)
		}
		for _, leak := range []string{`href="/tickets/new"`, `href="/search"`, `href="/queues"`, `action="/search"`} {
			if strings.Contains(a.body, leak) {
				t.Errorf("/audit for an auditor shows %s", leak)
			}
		}
		for _, path := range []string{"/tickets/new", "/tickets/new/assistant", "/search", "/search?q=x", "/tickets/1", "/queues"} {
			if a := olga.get(path); a.status != http.StatusNotFound {
				t.Errorf("auditor GET %s: got %d, want 404", path, a.status)
			}
		}
		a = olga.get("/audit?action=user.&actor=")
		if a.status != http.StatusOK || !strings.Contains(a.body, "user.create") || strings.Contains(a.body, "<code>session.start</code>") {
			t.Errorf("/audit?action=user.: got %d, want user rows only\n%s", a.status, a.body)
		}
		if a = olga.get("/audit?after=gestern"); a.status != http.StatusBadRequest || !strings.Contains(a.body, `aria-invalid="true"`) {
			t.Errorf("/audit?after=gestern: got %d, want 400 with the field marked", a.status)
		}
		a = olga.get("/audit?action=user.&after=2000-01-01")
		i := strings.Index(a.body, `href="/audit.csv?`)
		if i < 0 {
			t.Fatalf("no CSV link\n%s", a.body)
		}
		link := html.UnescapeString(a.body[i+len(`href="`):])
		link = link[:strings.IndexByte(link, '"')]
		c := olga.get(link)
		if c.status != http.StatusOK || c.header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("%s: got %d %s", link, c.status, c.header.Get("Content-Type"))
		}
		recs, err := csv.NewReader(bytes.NewReader([]byte(c.body))).ReadAll()
		if err != nil || len(recs) < 3 || strings.Join(recs[0], ",") != "at,actor,action,ticket,detail" {
			t.Fatalf("%s: got %q, %v; want a header and the user rows", link, recs, err)
		}
		for _, r := range recs[1:] {
			if !strings.HasPrefix(r[2], "user.") {
				t.Errorf("CSV row %q, want user rows only", r)
			}
		}

		// The monthly summary, on the page and as CSV.
		if a := olga.get("/audit/summary?month=2026-11"); a.status != http.StatusOK || !strings.Contains(a.body, "<h1>Monthly summary</h1>") {
			t.Errorf("/audit/summary: got %d, want the summary\n%s", a.status, a.body)
		}
		if a := olga.get("/audit/summary.csv?month=2026-11"); a.status != http.StatusOK || a.header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Errorf("/audit/summary.csv: got %d %s, want CSV", a.status, a.header.Get("Content-Type"))
		}
		if a := olga.get("/audit/summary?month=2026-13"); a.status != http.StatusBadRequest {
			t.Errorf("/audit/summary?month=2026-13: got %d, want 400", a.status)
		}

		// German
		if a := s.signedIn(t, "otto@example.org").get("/audit"); a.status != http.StatusOK || !strings.Contains(a.body, "<h1>Prüfprotokoll</h1>") {
			t.Errorf("/audit in German: got %d\n%s", a.status, a.body)
		}

		// Every reading is a row.
		p, err := s.svc.AuditLog(ctx, access.System, desk.AuditFilter{Action: "audit.read", Actor: "olga@example.org"}, 1, 100)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 6 { // the page three times (the bad filter read nothing), the CSV once, the summary and its CSV (the bad month read nothing)
			t.Errorf("olga's readings: got %d, want 6: %+v", p.Total, p.Items)
		}

		// Others: the page does not exist.
		for _, who := range []string{agentEmail, requesterEmail} {
			c := s.signedIn(t, who)
			for _, path := range []string{"/audit", "/audit.csv", "/audit?action=user.", "/audit/summary", "/audit/summary.csv"} {
				if a := c.get(path); a.status != http.StatusNotFound {
					t.Errorf("%s GET %s: got %d, want 404", who, path, a.status)
				}
			}
			if a := c.get("/"); strings.Contains(a.body, `href="/audit"`) {
				t.Errorf("%s sees the audit link", who)
			}
		}
	})
}
