package api

import (
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// stepClock is a clock that stands still until moved; requests read it from
// the server's goroutines.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestDueDateNotInPastAPI: the API refuses a due date in the past as the web
// form does, for a new ticket and for a new due date of an existing one; a
// due date that has passed since it was set may be sent again unchanged.
func TestDueDateNotInPastAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			clk := &stepClock{t: time.Now().UTC().Truncate(time.Second)}
			e := newEnvWith(t, storetest.Open(t, dialect), desk.Options{Now: clk.Now})
			at := func(d time.Duration) string { return clk.Now().Add(d).Format(time.RFC3339) }
			e.run(t, []scenario{
				{name: "agent", method: "POST", path: "/api/v1/users", as: "admin",
					body: `{"email": "anna@example.org", "name": "Anna", "role": "agent"}`, status: 201},
				operatorToken("anna@example.org", "tok:anna"),
				{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
				{name: "member", method: "POST", path: "/api/v1/queues/Servicedesk/members", as: "admin", body: `{"email": "anna@example.org"}`, status: 204},
				{name: "past due refused", method: "POST", path: "/api/v1/tickets", as: "anna",
					body:   `{"queue": "Servicedesk", "subject": "Yesterday", "description": "d", "due": "` + at(-24*time.Hour) + `"}`,
					status: 400, present: []string{"errors.due"}},
				{name: "nothing created", method: "GET", path: "/api/v1/tickets?q=yesterday", as: "anna", status: 200, want: map[string]any{"total": 0}},
				{name: "future due", method: "POST", path: "/api/v1/tickets", as: "anna",
					body:   `{"queue": "Servicedesk", "subject": "In an hour", "description": "d", "due": "` + at(time.Hour) + `"}`,
					status: 201, want: map[string]any{"due": at(time.Hour)}, save: map[string]string{"t": "number"}},
			})
			due := at(time.Hour)
			clk.add(3 * time.Hour) // the due date has passed: the ticket is overdue
			e.run(t, []scenario{
				{name: "unchanged passed due kept", method: "PATCH", path: "/api/v1/tickets/${t}", as: "anna",
					body: `{"version": ${v:t}, "subject": "Late", "due": "` + due + `"}`, status: 200,
					want: map[string]any{"subject": "Late", "due": due}},
				{name: "new past due refused", method: "PATCH", path: "/api/v1/tickets/${t}", as: "anna",
					body: `{"version": ${v:t}, "subject": "Later", "due": "` + at(-time.Hour) + `"}`, status: 400, present: []string{"errors.due"}},
				{name: "refused patch changed nothing", method: "GET", path: "/api/v1/tickets/${t}", as: "anna", status: 200,
					want: map[string]any{"subject": "Late", "due": due}},
				{name: "new future due", method: "PATCH", path: "/api/v1/tickets/${t}", as: "anna",
					body: `{"version": ${v:t}, "due": "` + at(time.Hour) + `"}`, status: 200, want: map[string]any{"due": at(time.Hour)}},
				{name: "due cleared", method: "PATCH", path: "/api/v1/tickets/${t}", as: "anna",
					body: `{"version": ${v:t}, "due": null}`, status: 200, want: map[string]any{"due": nil}},
			})
		})
	}
}
