package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// wantErrors checks a problem's per-field errors (whose names hold dots,
// so the dotted lookup cannot reach them).
func wantErrors(want map[string]string) func(t *testing.T, e *env, res *http.Response, body []byte) {
	return func(t *testing.T, e *env, res *http.Response, body []byte) {
		t.Helper()
		var p struct {
			Errors map[string]string `json:"errors"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		for field, text := range want {
			if p.Errors[field] != text {
				t.Errorf("errors[%s] = %q, want %q (all: %v)", field, p.Errors[field], text, p.Errors)
			}
		}
	}
}

// TestQueueReminderAPI sets, shows and refuses a queue's reminder setting
// over both databases; answers are checked against openapi.json.
func TestQueueReminderAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, []scenario{
				{name: "requester", method: "POST", path: "/api/v1/users", as: "admin",
					body: `{"email": "alice@example.org", "name": "Alice", "role": "requester"}`, status: 201},
				operatorToken("alice@example.org", "tok:alice"),
				{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
				{name: "off at first", method: "GET", path: "/api/v1/queues", as: "admin", status: 200,
					want: map[string]any{"items.0.reminder.after_seconds": 0, "items.0.reminder.then": ""}},
				{name: "set", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
					body: `{"reminder": {"after_seconds": 259200, "then": "close", "then_after_seconds": 345600}}`, status: 200,
					want: map[string]any{"reminder.after_seconds": 259200, "reminder.then": "close", "reminder.then_after_seconds": 345600}},
				{name: "staff see it", method: "GET", path: "/api/v1/queues", as: "admin", status: 200,
					want: map[string]any{"items.0.reminder.then": "close"}},
				{name: "requesters do not", method: "GET", path: "/api/v1/queues", as: "alice", status: 200, absent: []string{"items.0.reminder"}},
				{name: "other fields keep it", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin", body: `{"confidential": true}`, status: 200,
					want: map[string]any{"reminder.after_seconds": 259200}},
				{name: "bad values", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
					body: `{"reminder": {"after_seconds": -5, "then": "explode", "then_after_seconds": 1}}`, status: 400,
					check: wantErrors(map[string]string{"reminder.after_seconds": "must be between 0 and 31622400", "reminder.then": "must be empty, close or reopen"})},
				{name: "nothing after an unset reminder", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
					body: `{"reminder": {"then": "reopen", "then_after_seconds": 60}}`, status: 400,
					check: wantErrors(map[string]string{"reminder.then": "needs a reminder time first"})},
				{name: "something after no time", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
					body: `{"reminder": {"after_seconds": 60, "then": "reopen"}}`, status: 400,
					check: wantErrors(map[string]string{"reminder.then_after_seconds": "must be more than 0 when something follows the reminder"})},
				{name: "wrong types", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
					body: `{"reminder": {"after_seconds": "3 days", "then": 1, "every": 2}}`, status: 400,
					check: wantErrors(map[string]string{"reminder.after_seconds": "must be an integer", "reminder.then": "must be a string", "reminder.every": "unknown field"})},
				{name: "not an object", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin", body: `{"reminder": 5}`, status: 400,
					want: map[string]any{"errors.reminder": "must be an object"}},
				{name: "requesters may not", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "alice", body: `{"reminder": {}}`, status: 403},
				{name: "unchanged after refusals", method: "GET", path: "/api/v1/queues", as: "admin", status: 200,
					want: map[string]any{"items.0.reminder.after_seconds": 259200, "items.0.reminder.then": "close"}},
				{name: "off again", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin", body: `{"reminder": {}}`, status: 200,
					want: map[string]any{"reminder.after_seconds": 0, "reminder.then": ""}},
				{name: "jobs list (none registered without serve)", method: "GET", path: "/api/v1/jobs", as: "admin", status: 200, want: map[string]any{"items.#": 0}},
				{name: "jobs are for admins", method: "GET", path: "/api/v1/jobs", as: "alice", status: 403},
			})
		})
	}
}
