package web_test

import (
	"context"
	"errors"
	"github.com/servus-desk/servus/internal/access"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// TestAdminQueueReminder: the queue page's reminder form saves the setting
// in hours, shows bad input again as typed with the reason, and a ticket's
// history tells of the reminder and of its return to the queue.
func TestAdminQueueReminder(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := newSiteWith(t, web.Options{}, desk.Options{Now: clock})
	admin := withAdmin(t, s)
	sd := queueID(t, s, "Servicedesk")
	if a := admin.get("/admin/queues/" + sd); !strings.Contains(a.body, "Reminders for waiting tickets") || !strings.Contains(a.body, `name="reminder_after" inputmode="decimal" value="0"`) {
		t.Fatalf("queue page without the reminder form:\n%s", a.body)
	}
	want422(t, admin.post("/admin/queues/"+sd+"/reminder", url.Values{"reminder_after": {"drei"}, "reminder_then": {"close"}, "reminder_then_after": {"1"}}),
		`value="drei"`, "must be a number of hours", `aria-invalid="true"`)
	want422(t, admin.post("/admin/queues/"+sd+"/reminder", url.Values{"reminder_after": {"72"}, "reminder_then": {"reopen"}, "reminder_then_after": {"0"}}),
		"must be more than 0 when something follows the reminder", `value="72"`)
	wantRedirect(t, admin.post("/admin/queues/"+sd+"/reminder", url.Values{"reminder_after": {"72"}, "reminder_then": {"reopen"}, "reminder_then_after": {"24,5"}}), "/admin/queues/"+sd)
	a := admin.get("/admin/queues/" + sd)
	if !strings.Contains(a.body, "The queue&#39;s reminders were saved.") || !strings.Contains(a.body, `value="72"`) || !strings.Contains(a.body, `value="24.5"`) ||
		!strings.Contains(a.body, `<option value="reopen" selected>`) {
		t.Fatalf("after saving:\n%s", a.body)
	}
	ctx := context.Background()
	qs, _ := s.svc.Queues(ctx, s.actor(t, agentEmail))
	for _, q := range qs {
		if q.Name == "Servicedesk" && (q.Reminder == nil || *q.Reminder != (ticket.Reminder{AfterSeconds: 72 * 3600, Then: "reopen", ThenAfterSeconds: 24*3600 + 1800})) {
			t.Fatalf("stored: %+v", q.Reminder)
		}
	}

	tk := s.ticket(t, requesterEmail, "Servicedesk", "Beamer")
	if _, err := s.svc.AddEntry(ctx, s.actor(t, agentEmail), tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Welcher Raum?"}); err != nil {
		t.Fatal(err)
	}
	step := func(d time.Duration) {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
		if _, _, err := s.svc.SendReminders(ctx); err != nil {
			t.Fatal(err)
		}
	}
	step(73 * time.Hour)
	step(25 * time.Hour)
	a = s.signedIn(t, agentEmail).get("/tickets/" + strings.TrimPrefix(tk.Ref(), "#")) // a new session: days passed
	for _, want := range []string{"hat die anfragende Person an die offene Rückfrage erinnert", "hat das Ticket an die Queue zurückgegeben: auch auf die Erinnerung kam keine Antwort", "auf „In Bearbeitung“ geändert"} {
		if !strings.Contains(a.body, want) {
			t.Errorf("ticket history lacks %q:\n%s", want, a.body)
		}
	}
}

// TestAdminJobs: admins see the background jobs with their last run and
// error; nobody else sees the page.
func TestAdminJobs(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	admin := withAdmin(t, s)
	if a := admin.get("/admin/jobs"); a.status != http.StatusOK || !strings.Contains(a.body, "No job registered yet") {
		t.Fatalf("empty job list: %d\n%s", a.status, a.body)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	ran := make(chan struct{}, 1)
	go func() {
		defer close(done)
		s.svc.RunJobs(ctx, []desk.Job{{Name: "reminders", Interval: time.Hour, Run: func(context.Context) error {
			defer func() { ran <- struct{}{} }()
			return errors.New("database on fire")
		}}}, desk.JobOptions{Owner: "test"})
	}()
	<-ran
	// The runner records the run after the job returned: wait for that
	// before stopping it (a run cut short by a shutdown is not recorded).
	recorded := func() bool {
		rows, err := s.svc.Jobs(context.Background(), access.System)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows) == 1 && rows[0].Runs == 1
	}
	for deadline := time.Now().Add(30 * time.Second); !recorded(); runtime.Gosched() {
		if time.Now().After(deadline) {
			t.Fatal("the failed run was not recorded within 30 s")
		}
	}
	cancel()
	<-done
	a := admin.get("/admin/jobs")
	for _, want := range []string{"<code>reminders</code>", "1h0m0s", "database on fire", "1 (1)", `aria-current="page"`} {
		if !strings.Contains(a.body, want) {
			t.Errorf("job list lacks %q:\n%s", want, a.body)
		}
	}
	for _, who := range []string{agentEmail, requesterEmail} {
		if a := s.signedIn(t, who).get("/admin/jobs"); a.status != http.StatusNotFound && a.status != http.StatusForbidden {
			t.Errorf("%s: GET /admin/jobs answered %d", who, a.status)
		}
	}
}
