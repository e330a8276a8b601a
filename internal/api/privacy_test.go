package api

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestExportAPI exports a person over the API on both databases: admins
// get the zip with the person's ticket and not another's; others get 403,
// an unknown address 404.
func TestExportAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			user := func(email, role string) scenario {
				return scenario{name: "user " + email, method: "POST", path: "/api/v1/users", as: "admin",
					body: `{"email": "` + email + `", "name": "N", "role": "` + role + `"}`, status: 201}
			}
			get := func(name, as, email string, status int) scenario {
				return scenario{name: name, method: "GET", path: "/api/v1/users/" + email + "/export", as: as, status: status}
			}
			zipped := get("admin exports alice", "admin", "alice@example.org", 200)
			zipped.wantHeader = map[string]string{"Content-Type": "application/zip", "Content-Disposition": `attachment; filename="servus-export-alice@example.org.zip"`}
			zipped.check = func(t *testing.T, e *env, res *http.Response, body []byte) {
				z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
				if err != nil {
					t.Fatalf("not a zip: %v", err)
				}
				var all strings.Builder
				names := map[string]bool{}
				for _, f := range z.File {
					names[f.Name] = true
					rc, _ := f.Open()
					b, _ := io.ReadAll(rc)
					rc.Close()
					all.Write(b)
				}
				if !names["tickets.json"] || !strings.Contains(all.String(), "Alices Drucker") {
					t.Errorf("export lacks alice's ticket: %v", names)
				}
				if strings.Contains(all.String(), "Bobs Geheimnis") {
					t.Errorf("export of alice holds bob's ticket")
				}
			}
			e.run(t, []scenario{
				user("alice@example.org", "requester"), user("bob@example.org", "requester"), user("anna@example.org", "agent"),
				operatorToken("alice@example.org", "tok:alice"), operatorToken("bob@example.org", "tok:bob"), operatorToken("anna@example.org", "tok:anna"),
				{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
				{name: "alice's ticket", method: "POST", path: "/api/v1/tickets", as: "alice", body: `{"queue": "Servicedesk", "subject": "Alices Drucker", "description": "d"}`, status: 201},
				{name: "bob's ticket", method: "POST", path: "/api/v1/tickets", as: "bob", body: `{"queue": "Servicedesk", "subject": "Bobs Geheimnis", "description": "d"}`, status: 201},
				zipped,
				get("agent", "anna", "alice@example.org", 403),
				get("herself", "alice", "alice@example.org", 403),
				get("unknown", "admin", "nobody@example.org", 404),
				get("no token", "", "alice@example.org", 401),
				{name: "audited", method: "GET", path: "/api/v1/audit?action=privacy.export", as: "admin", status: 200, want: map[string]any{"total": 1, "items.0.detail": "alice@example.org"}},
			})
		})
	}
}
