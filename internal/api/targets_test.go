package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestTargetsAPI sets a queue's targets over the API, refuses bad ones with
// a problem per field, and shows a ticket's due instants and target state,
// and the target filters of the search, on both databases; every answer
// is checked against openapi.json.
func TestTargetsAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			vienna, _ := time.LoadLocation("Europe/Vienna")
			now := time.Date(2026, 3, 2, 10, 0, 0, 0, vienna) // a Monday
			e := newEnvWith(t, storetest.Open(t, dialect), desk.Options{Now: func() time.Time { return now }})
			at := func(clock string) scenario {
				return scenario{name: "clock " + clock, setup: func(t *testing.T, e *env) {
					c, _ := time.ParseInLocation("2006-01-02 15:04", clock, vienna)
					now = c
				}}
			}
			problems := func(want ...string) func(t *testing.T, e *env, res *http.Response, body []byte) {
				return func(t *testing.T, e *env, res *http.Response, body []byte) {
					t.Helper()
					var p struct {
						Errors map[string]string `json:"errors"`
					}
					if err := json.Unmarshal(body, &p); err != nil {
						t.Fatal(err)
					}
					var got []string
					for k := range p.Errors {
						got = append(got, k)
					}
					slices.Sort(got)
					if !slices.Equal(got, want) {
						t.Errorf("problems on %v (%v), want %v", got, p.Errors, want)
					}
				}
			}
			e.run(t, []scenario{
				{name: "queue with targets", method: "POST", path: "/api/v1/queues", as: "admin",
					body: `{"name": "Servicedesk", "default": true, "targets": {"first_response_minutes": 240, "resolution_minutes": 1620,
						"hours": "mon-fri 08:00-17:00", "time_zone": "Europe/Vienna", "holidays": "AT", "closed_days": ["2026-12-07"]}}`,
					status: 201, want: map[string]any{"targets.first_response_minutes": 240, "targets.resolution_minutes": 1620,
						"targets.hours": "Mon-Fri 08:00-17:00", "targets.closed_days.0": "2026-12-07", "targets.closed_dec_24_31": false}},
				{name: "queue without targets", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Facility"}`,
					status: 201, want: map[string]any{"targets.first_response_minutes": 0, "targets.hours": "Mon-Fri 08:00-17:00",
						"targets.time_zone": "Europe/Vienna", "targets.holidays": "AT", "targets.closed_days.#": 0}},
				{name: "bad targets", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
					body:   `{"targets": {"first_response_minutes": "soon", "hours": "Mo-Fr 8-17", "time_zone": "Mars/Olympus", "holidays": "DE", "closed_days": ["tomorrow"]}}`,
					status: 400, check: problems("targets.first_response_minutes")},
				{name: "bad calendar", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
					body:   `{"targets": {"resolution_minutes": -5, "hours": "Mo-Fr 8-17", "time_zone": "Mars/Olympus", "holidays": "DE", "closed_days": ["tomorrow"]}}`,
					status: 400, check: problems("targets.closed_days", "targets.holidays", "targets.hours", "targets.resolution_minutes", "targets.time_zone")},
				{name: "unknown target field", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin", body: `{"targets": {"sla": 5}}`, status: 400},
				{name: "patch one target field", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
					body: `{"targets": {"closed_dec_24_31": true}}`, status: 200,
					want: map[string]any{"targets.closed_dec_24_31": true, "targets.first_response_minutes": 240}},
				{name: "ticket", method: "POST", path: "/api/v1/tickets", as: "admin",
					body:   `{"queue": "Servicedesk", "subject": "VPN", "description": "no tunnel", "requester": "rita@example.org"}`,
					status: 201, save: map[string]string{"t": "number"},
					want: map[string]any{"first_response_due": "2026-03-02T13:00:00Z", "resolution_due": "2026-03-05T09:00:00Z",
						"first_response_at": nil, "target_state": "ok", "target_paused": false}},
				{name: "ticket without targets", method: "POST", path: "/api/v1/tickets", as: "admin",
					body:   `{"queue": "Facility", "subject": "Licht", "description": "flackert", "requester": "rita@example.org"}`,
					status: 201, want: map[string]any{"first_response_due": nil, "resolution_due": nil, "target_state": nil}},
				at("2026-03-02 13:30"),
				{name: "due soon", method: "GET", path: "/api/v1/tickets/${t}", as: "admin", status: 200, want: map[string]any{"target_state": "due_soon"}},
				{name: "search due soon", method: "GET", path: "/api/v1/tickets?target=due_soon", as: "admin", status: 200,
					want: map[string]any{"items.#": 1, "items.0.number": "${t}"}},
				{name: "search due within", method: "GET", path: "/api/v1/tickets?due_within=30m", as: "admin", status: 200, want: map[string]any{"items.#": 0}},
				{name: "search due within an hour", method: "GET", path: "/api/v1/tickets?due_within=1h&sort=target", as: "admin", status: 200, want: map[string]any{"items.#": 1}},
				{name: "search breached", method: "GET", path: "/api/v1/tickets?target=breached", as: "admin", status: 200, want: map[string]any{"items.#": 0}},
				{name: "bad target filter", method: "GET", path: "/api/v1/tickets?target=late&due_within=soon", as: "admin", status: 400,
					present: []string{"errors.target", "errors.due_within"}},
				at("2026-03-02 14:30"),
				{name: "breached", method: "GET", path: "/api/v1/tickets?target=breached,due_soon", as: "admin", status: 200,
					want: map[string]any{"items.#": 1, "items.0.target_state": "breached"}},
				{name: "first response", method: "POST", path: "/api/v1/tickets/${t}/entries", as: "admin",
					body: `{"kind": "question", "body": "Welches Gerät?", "visibility": "public"}`, status: 201},
				{name: "answered late, waiting", method: "GET", path: "/api/v1/tickets/${t}", as: "admin", status: 200,
					want: map[string]any{"first_response_at": "2026-03-02T13:30:00Z", "target_state": "breached", "target_paused": true, "state": "waiting"}},
			})
		})
	}
}
