package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/web"
)

// TestAdminQueueEscalation: the queue page's escalation checkbox turns the
// digests on and off, only for admins; a digest shows in the outbox as
// one, without a ticket.
func TestAdminQueueEscalation(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // Monday 10:00 in Vienna
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := newSiteWith(t, web.Options{}, desk.Options{Now: clock})
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

	// A ticket breaching its one-hour first response goes out in a digest,
	// which the outbox lists as such.
	first, none := 60, 0
	if _, err := s.svc.UpdateQueue(ctx, s.actor(t, deskAdminEmail), "Servicedesk", desk.QueuePatch{FirstResponse: &first, Resolution: &none}); err != nil {
		t.Fatal(err)
	}
	s.ticket(t, requesterEmail, "Servicedesk", "Beamer")
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	if n, err := s.svc.SendEscalations(ctx); err != nil || n != 1 {
		t.Fatalf("SendEscalations: %d, %v; want 1", n, err)
	}
	if a := admin.get("/admin/outbox"); !strings.Contains(a.body, "escalation digest") || !strings.Contains(a.body, ">Escalation<") {
		t.Fatalf("outbox without the digest:\n%s", a.body)
	}

	wantRedirect(t, admin.post("/admin/queues/"+sd+"/escalation", url.Values{}), "/admin/queues/"+sd)
	if a := admin.get("/admin/queues/" + sd); !strings.Contains(a.body, checkbox) {
		t.Fatalf("after turning it off:\n%s", a.body)
	}
	if escalates() {
		t.Fatal("stored: escalate on, want off")
	}
}
