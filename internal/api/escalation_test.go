package api

import (
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestQueueEscalateAPI turns a queue's escalation digests on and off,
// shows the setting to staff only and refuses what is no boolean, over
// both databases; answers are checked against openapi.json.
func TestQueueEscalateAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, []scenario{
				{name: "requester", method: "POST", path: "/api/v1/users", as: "admin",
					body: `{"email": "alice@example.org", "name": "Alice", "role": "requester"}`, status: 201},
				operatorToken("alice@example.org", "tok:alice"),
				{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
				{name: "off at first", method: "GET", path: "/api/v1/queues", as: "admin", status: 200,
					want: map[string]any{"items.0.escalate": false}},
				{name: "on", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin", body: `{"escalate": true}`, status: 200,
					want: map[string]any{"escalate": true}},
				{name: "staff see it", method: "GET", path: "/api/v1/queues", as: "admin", status: 200,
					want: map[string]any{"items.0.escalate": true}},
				{name: "requesters do not", method: "GET", path: "/api/v1/queues", as: "alice", status: 200, absent: []string{"items.0.escalate"}},
				{name: "other fields keep it", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin", body: `{"confidential": true}`, status: 200,
					want: map[string]any{"escalate": true}},
				{name: "no boolean", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin", body: `{"escalate": "yes"}`, status: 400,
					check: wantErrors(map[string]string{"escalate": "must be true or false"})},
				{name: "off", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin", body: `{"escalate": false}`, status: 200,
					want: map[string]any{"escalate": false}},
			})
		})
	}
}
