package api

import (
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestOutboxAPI lists and retries the outbox over both databases; every
// answer is checked against openapi.json.
func TestOutboxAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, outboxScenarios())
		})
	}
}

func outboxScenarios() []scenario {
	return []scenario{
		{name: "agent", method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "anna@example.org", "name": "Anna Agent", "role": "agent"}`, status: 201},
		{name: "requester", method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "alice@example.org", "name": "Alice Requester", "role": "requester"}`, status: 201},
		operatorToken("anna@example.org", "tok:anna"),
		operatorToken("alice@example.org", "tok:alice"),
		{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
		{name: "member", method: "POST", path: "/api/v1/queues/Servicedesk/members", as: "admin", body: `{"email": "anna@example.org"}`, status: 204},
		{name: "empty outbox", method: "GET", path: "/api/v1/outbox", as: "admin", status: 200,
			want: map[string]any{"total": 0, "items.#": 0, "page": 1, "per_page": 50}},
		{name: "ticket", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Servicedesk", "subject": "Mail", "description": "d"}`, status: 201, save: map[string]string{"t1": "number"}},
		{name: "outbox", method: "GET", path: "/api/v1/outbox", as: "admin", status: 200,
			want: map[string]any{"total": 2, "items.#": 2, "items.0.recipient": "anna@example.org", "items.1.recipient": "alice@example.org",
				"items.0.state": "pending", "items.0.event": "created", "items.0.ticket": "${t1}", "items.0.attempts": 0},
			present: []string{"items.0.message_id", "items.0.created_at", "items.0.next_attempt_at"},
			absent:  []string{"items.0.sent_at", "items.0.last_error"},
			save:    map[string]string{"n1": "items.1.id"}},
		{name: "paged", method: "GET", path: "/api/v1/outbox?state=pending&page=2&per_page=1", as: "admin", status: 200,
			want: map[string]any{"total": 2, "items.#": 1, "items.0.recipient": "alice@example.org", "page": 2, "per_page": 1}},
		{name: "no sent mail yet", method: "GET", path: "/api/v1/outbox?state=sent", as: "admin", status: 200, want: map[string]any{"total": 0}},
		{name: "bad state", method: "GET", path: "/api/v1/outbox?state=lost", as: "admin", status: 400, present: []string{"errors.state"}},
		{name: "bad paging", method: "GET", path: "/api/v1/outbox?page=0&per_page=101", as: "admin", status: 400, present: []string{"errors.page", "errors.per_page"}},
		{name: "agents may not look", method: "GET", path: "/api/v1/outbox", as: "anna", status: 403},
		{name: "requesters may not look", method: "GET", path: "/api/v1/outbox", as: "alice", status: 403},
		{name: "no token", method: "GET", path: "/api/v1/outbox", status: 401},
		{name: "retry", method: "POST", path: "/api/v1/outbox/${n1}/retry", as: "admin", status: 200,
			want: map[string]any{"id": "${n1}", "state": "pending", "recipient": "alice@example.org"}},
		{name: "agents may not retry", method: "POST", path: "/api/v1/outbox/${n1}/retry", as: "anna", status: 403},
		{name: "retry of nothing", method: "POST", path: "/api/v1/outbox/999999/retry", as: "admin", status: 404},
		{name: "retry of no number", method: "POST", path: "/api/v1/outbox/abc/retry", as: "admin", status: 404},
		{name: "retry is POST", method: "GET", path: "/api/v1/outbox/${n1}/retry", as: "admin", status: 405},
	}
}
