package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/web"
)

// TestAdminExportAndAuditor: on the admin user page an admin downloads a
// person's data (a zip; audited) and grants an agent the auditor role
// besides, which the agent's settings page and navigation then show.
func TestAdminExportAndAuditor(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	ctx := context.Background()
	admin := withAdmin(t, s)
	rita := s.actor(t, requesterEmail)
	if _, err := s.svc.CreateTicket(ctx, rita, desk.NewTicket{Queue: "Servicedesk", Subject: "Ritas Drucker", Description: "streikt"}); err != nil {
		t.Fatal(err)
	}
	ritaPage := "/admin/users/" + strconv.FormatInt(rita.UserID, 10)
	if a := admin.get(ritaPage); !strings.Contains(a.body, `action="`+ritaPage+`/export"`) || !strings.Contains(a.body, "Download personal data") {
		t.Fatalf("the admin user page lacks the export:\n%s", a.body)
	}
	a := admin.post(ritaPage+"/export", nil)
	if a.status != http.StatusOK || a.header.Get("Content-Type") != "application/zip" {
		t.Fatalf("export: got %d %s", a.status, a.header.Get("Content-Type"))
	}
	z, err := zip.NewReader(bytes.NewReader([]byte(a.body)), int64(len(a.body)))
	if err != nil {
		t.Fatal(err)
	}
	var tickets string
	for _, f := range z.File {
		if f.Name == "tickets.json" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			tickets = string(b)
		}
	}
	if !strings.Contains(tickets, "Ritas Drucker") {
		t.Errorf("tickets.json: got %s, want her ticket", tickets)
	}
	if a := admin.get("/audit?action=privacy.export"); !strings.Contains(a.body, requesterEmail) {
		t.Errorf("/audit lacks the export")
	}
	// Not for agents; not for another site (the cross-origin check).
	if a := s.signedIn(t, agentEmail).post(ritaPage+"/export", nil); a.status != http.StatusNotFound {
		t.Errorf("agent export: got %d, want 404", a.status)
	}

	// The auditor role besides, granted on the same page.
	anton := s.actor(t, agentEmail)
	antonPage := "/admin/users/" + strconv.FormatInt(anton.UserID, 10)
	agent := s.signedIn(t, agentEmail)
	if a := agent.get("/audit"); a.status != http.StatusNotFound {
		t.Fatalf("agent /audit before the grant: got %d, want 404", a.status)
	}
	form := url.Values{"name": {"Anton Agent"}, "language": {"de"}, "role": {"agent"}, "auditor": {"yes"}}
	if a := admin.post(antonPage, form); a.status != http.StatusSeeOther {
		t.Fatalf("grant: got %d\n%s", a.status, a.body)
	}
	if a := admin.get(antonPage); !strings.Contains(a.body, "reads it as auditor besides") || !strings.Contains(a.body, `name="auditor" value="yes" aria-describedby="u-auditor-hint" checked`) {
		t.Errorf("the admin user page does not show the grant")
	}
	if a := agent.get("/settings"); !strings.Contains(a.body, "Zusätzlich prüfende Person") || !strings.Contains(a.body, `href="/audit"`) {
		t.Errorf("the agent's settings page does not show the auditor role:\n%s", a.body)
	}
	if a := agent.get("/audit"); a.status != http.StatusOK {
		t.Errorf("agent and auditor /audit: got %d, want 200", a.status)
	}
	if a := agent.get("/search"); a.status != http.StatusOK {
		t.Errorf("agent and auditor /search: got %d, want 200 (still an agent)", a.status)
	}
	if a := admin.get("/audit?action=user.auditor.grant"); !strings.Contains(a.body, agentEmail) {
		t.Errorf("/audit lacks the grant")
	}
	// A requester cannot hold it.
	ritaForm := url.Values{"name": {"Rita Requester"}, "language": {"en"}, "role": {"requester"}, "auditor": {"yes"}}
	if a := admin.post(ritaPage, ritaForm); a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, "only agents and admins can be auditors besides") {
		t.Errorf("requester as auditor besides: got %d", a.status)
	}
}
