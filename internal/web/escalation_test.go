package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/web"
)

// TestAdminQueueEscalation: the queue page's escalation checkbox turns the
// digests on and off, only for admins.
func TestAdminQueueEscalation(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	sd := queueID(t, s, "Servicedesk")
	checkbox := `<input type="checkbox" name="escalate" value="1" aria-describedby="e-hint">`
	if a := admin.get("/admin/queues/" + sd); !strings.Contains(a.body, "Mail the members when targets are due soon or breached") || !strings.Contains(a.body, checkbox) {
		t.Fatalf("queue page without the escalation form, unchecked:\n%s", a.body)
	}
	if a := s.signedIn(t, agentEmail).post("/admin/queues/"+sd+"/escalation", url.Values{"escalate": {"1"}}); a.status != http.StatusNotFound {
		t.Fatalf("agent saving the escalation: got %d, want 404", a.status)
	}
	wantRedirect(t, admin.post("/admin/queues/"+sd+"/escalation", url.Values{"escalate": {"1"}}), "/admin/queues/"+sd)
	a := admin.get("/admin/queues/" + sd)
	if !strings.Contains(a.body, "The queue&#39;s escalation setting was saved.") || !strings.Contains(a.body, `aria-describedby="e-hint" checked>`) {
		t.Fatalf("after turning it on:\n%s", a.body)
	}
	ctx := context.Background()
	escalates := func() bool {
		t.Helper()
		qs, err := s.svc.Queues(ctx, s.actor(t, agentEmail))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if q.Name == "Servicedesk" {
				return q.Escalate != nil && *q.Escalate
			}
		}
		t.Fatal("no Servicedesk")
		return false
	}
	if !escalates() {
		t.Fatal("stored: escalate off, want on")
	}

	wantRedirect(t, admin.post("/admin/queues/"+sd+"/escalation", url.Values{}), "/admin/queues/"+sd)
	if a := admin.get("/admin/queues/" + sd); !strings.Contains(a.body, checkbox) {
		t.Fatalf("after turning it off:\n%s", a.body)
	}
	if escalates() {
		t.Fatal("stored: escalate on, want off")
	}
}
