package api

import (
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestRetentionAndErasureAPI sets the default and a queue's retention and
// erases a person over both databases; every answer is checked against
// openapi.json.
func TestRetentionAndErasureAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, []scenario{
				{name: "agent", method: "POST", path: "/api/v1/users", as: "admin", body: `{"email": "anna@example.org", "name": "Anna Agent", "role": "agent"}`, status: 201},
				{name: "requester", method: "POST", path: "/api/v1/users", as: "admin", body: `{"email": "alice@example.org", "name": "Alice Requester", "role": "requester"}`, status: 201},
				operatorToken("anna@example.org", "tok:anna"), operatorToken("alice@example.org", "tok:alice"),
				{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
				{name: "ticket", method: "POST", path: "/api/v1/tickets", as: "alice", body: `{"queue": "Servicedesk", "subject": "Scanner sturmvogel", "description": "d"}`,
					status: 201, save: map[string]string{"t1": "number"}},

				{name: "default is off", method: "GET", path: "/api/v1/retention", as: "admin", status: 200, want: map[string]any{"mode": "off", "months": 0.0}},
				{name: "agents may not read it", method: "GET", path: "/api/v1/retention", as: "anna", status: 403},
				{name: "bad default", method: "PUT", path: "/api/v1/retention", as: "admin", body: `{"mode": "shred", "months": 3}`, status: 400, present: []string{"errors.mode"}},
				{name: "bad months", method: "PUT", path: "/api/v1/retention", as: "admin", body: `{"mode": "delete", "months": 0}`, status: 400, present: []string{"errors.months"}},
				{name: "set default", method: "PUT", path: "/api/v1/retention", as: "admin", body: `{"mode": "anonymise", "months": 24}`, status: 200,
					want: map[string]any{"mode": "anonymise", "months": 24.0}},
				{name: "queue follows default", method: "GET", path: "/api/v1/queues/Servicedesk/retention", as: "admin", status: 200,
					want: map[string]any{"own": nil, "effective.mode": "anonymise", "effective.months": 24.0}},
				{name: "queue deletes", method: "PUT", path: "/api/v1/queues/servicedesk/retention", as: "admin", body: `{"mode": "delete", "months": 6}`, status: 200,
					want: map[string]any{"own.mode": "delete", "effective.months": 6.0, "default.months": 24.0}},
				{name: "queue back to default", method: "PUT", path: "/api/v1/queues/Servicedesk/retention", as: "admin", body: `{"mode": "default"}`, status: 200,
					want: map[string]any{"own": nil, "effective.mode": "anonymise"}},
				{name: "unknown queue", method: "PUT", path: "/api/v1/queues/Nope/retention", as: "admin", body: `{"mode": "off"}`, status: 404},
				{name: "agent may not set a queue's", method: "PUT", path: "/api/v1/queues/Servicedesk/retention", as: "anna", body: `{"mode": "off"}`, status: 403},

				{name: "agent may not erase", method: "POST", path: "/api/v1/users/alice@example.org/erase", as: "anna", status: 403},
				{name: "nobody erases themself", method: "POST", path: "/api/v1/users/admin@example.org/erase", as: "admin", status: 409},
				{name: "erase alice", method: "POST", path: "/api/v1/users/alice@example.org/erase", as: "admin", status: 200,
					want: map[string]any{"tickets": 1.0}, present: []string{"id"}},
				{name: "her token is gone", method: "GET", path: "/api/v1/tickets/${t1}", as: "alice", status: 401},
				{name: "her ticket is anonymised", method: "GET", path: "/api/v1/tickets/${t1}", as: "admin", status: 200,
					want: map[string]any{"subject": "—", "requester": "anonymous@erased.invalid"}},
				{name: "not found again", method: "POST", path: "/api/v1/users/alice@example.org/erase", as: "admin", status: 404},
				{name: "search finds nothing", method: "GET", path: "/api/v1/tickets?q=sturmvogel", as: "admin", status: 200, want: map[string]any{"total": 0.0}},
			})
		})
	}
}
