package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestAdminManageAPI changes and deletes queues, removes members, lists
// and changes users over both databases; every answer is checked against
// openapi.json.
func TestAdminManageAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, adminManageScenarios())
		})
	}
}

// assigneeHistory checks the assignee events of ticket var: the last one
// takes want off the ticket, by the admin.
func assigneeHistory(ticketVar, want string) func(t *testing.T, e *env, res *http.Response, body []byte) {
	return func(t *testing.T, e *env, res *http.Response, body []byte) {
		t.Helper()
		var l struct {
			Items []struct {
				Kind   string `json:"kind"`
				Field  string `json:"field"`
				Old    string `json:"old"`
				New    string `json:"new"`
				Author string `json:"author"`
			} `json:"items"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		var last string
		for _, it := range l.Items {
			if it.Kind == "event" && it.Field == "assignee" {
				last = it.Old + "→" + it.New + " by " + it.Author
			}
		}
		if w := want + "→ by admin@example.org"; last != w {
			t.Errorf("%s: last assignee event %q, want %q", ticketVar, last, w)
		}
	}
}

func adminManageScenarios() []scenario {
	user := func(email, name, role string) scenario {
		return scenario{name: "user " + email, method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "` + email + `", "name": "` + name + `", "role": "` + role + `"}`, status: 201, want: map[string]any{"disabled": false}, absent: []string{"disabled_at"}}
	}
	token := func(who string) scenario {
		return operatorToken(who+"@example.org", "tok:"+who)
	}
	member := func(queue, who string) scenario {
		return scenario{name: "member " + who + " in " + queue, method: "POST", path: "/api/v1/queues/" + queue + "/members", as: "admin",
			body: `{"email": "` + who + `@example.org"}`, status: 204}
	}
	return []scenario{
		user("anna@example.org", "Anna Agent", "agent"),
		user("paul@example.org", "Paul Agent", "agent"),
		user("alice@example.org", "Alice Requester", "requester"),
		token("anna"), token("paul"), token("alice"),
		{name: "default queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
		{name: "second queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Netz"}`, status: 201},
		member("Servicedesk", "anna"), member("Netz", "anna"), member("Servicedesk", "paul"),
		{name: "ticket in Servicedesk", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Servicedesk", "subject": "Drucker", "description": "d"}`, status: 201, save: map[string]string{"t1": "number"}},
		{name: "ticket in Netz", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Netz", "subject": "WLAN", "description": "d"}`, status: 201, save: map[string]string{"t2": "number"}},
		{name: "anna takes t1", method: "POST", path: "/api/v1/tickets/${t1}/actions", as: "anna", body: `{"action": "take"}`, status: 200},
		{name: "anna takes t2", method: "POST", path: "/api/v1/tickets/${t2}/actions", as: "anna", body: `{"action": "take"}`, status: 200},

		// The user list.
		{name: "list users", method: "GET", path: "/api/v1/users", as: "admin", status: 200,
			want: map[string]any{"total": 4, "items.#": 4, "page": 1, "per_page": 50, "items.0.email": "admin@example.org", "items.0.role": "admin",
				"items.1.email": "anna@example.org", "items.3.email": "alice@example.org", "items.3.disabled": false}},
		{name: "search users", method: "GET", path: "/api/v1/users?q=ANNA", as: "admin", status: 200,
			want: map[string]any{"total": 1, "items.0.name": "Anna Agent"}},
		{name: "agents, second page", method: "GET", path: "/api/v1/users?role=agent&per_page=1&page=2", as: "admin", status: 200,
			want: map[string]any{"total": 2, "items.#": 1, "items.0.email": "paul@example.org", "per_page": 1, "page": 2}},
		{name: "bad user filter", method: "GET", path: "/api/v1/users?role=boss&state=asleep", as: "admin", status: 400, present: []string{"errors.role", "errors.state"}},
		{name: "bad user paging", method: "GET", path: "/api/v1/users?page=0&per_page=1000", as: "admin", status: 400, present: []string{"errors.page", "errors.per_page"}},
		{name: "agents may not list users", method: "GET", path: "/api/v1/users", as: "anna", status: 403},
		{name: "requesters may not list users", method: "GET", path: "/api/v1/users", as: "alice", status: 403},
		{name: "no token, no users", method: "GET", path: "/api/v1/users", status: 401},

		// Queues: edit, the one default, delete.
		{name: "edit queue", method: "PATCH", path: "/api/v1/queues/netz", as: "admin",
			body: `{"name": "Netzwerk", "address": "InNet-Admin@example.org", "confidential": true}`, status: 200,
			want: map[string]any{"name": "Netzwerk", "address": "innet-admin@example.org", "confidential": true, "default": false}},
		{name: "ticket follows the rename", method: "GET", path: "/api/v1/tickets/${t2}", as: "admin", status: 200,
			want: map[string]any{"queue": "Netzwerk", "confidential": false}}, // the flag is for new tickets
		{name: "make Netzwerk the default", method: "PATCH", path: "/api/v1/queues/Netzwerk", as: "admin", body: `{"default": true}`, status: 200, want: map[string]any{"default": true}},
		{name: "one default", method: "GET", path: "/api/v1/queues", as: "admin", status: 200,
			want: map[string]any{"items.0.name": "Netzwerk", "items.0.default": true, "items.1.name": "Servicedesk", "items.1.default": false}},
		{name: "default cannot be unset", method: "PATCH", path: "/api/v1/queues/Netzwerk", as: "admin", body: `{"default": false}`, status: 409,
			want: map[string]any{"code": "conflict", "errors.default": "is the default queue"}},
		{name: "taken name", method: "PATCH", path: "/api/v1/queues/Netzwerk", as: "admin", body: `{"name": "SERVICEDESK"}`, status: 409, present: []string{"errors.name"}},
		{name: "null name", method: "PATCH", path: "/api/v1/queues/Netzwerk", as: "admin", body: `{"name": null, "default": "yes"}`, status: 400,
			present: []string{"errors.name", "errors.default"}},
		{name: "misspelt field", method: "PATCH", path: "/api/v1/queues/Netzwerk", as: "admin", body: `{"confidental": true}`, status: 400, want: map[string]any{"errors.confidental": "unknown field"}},
		{name: "bad address", method: "PATCH", path: "/api/v1/queues/Netzwerk", as: "admin", body: `{"address": "nope"}`, status: 400, present: []string{"errors.address"}},
		{name: "address removed", method: "PATCH", path: "/api/v1/queues/Netzwerk", as: "admin", body: `{"address": null}`, status: 200, absent: []string{"address"}},
		{name: "unknown queue", method: "PATCH", path: "/api/v1/queues/Nowhere", as: "admin", body: `{"confidential": true}`, status: 404},
		{name: "agents may not edit queues", method: "PATCH", path: "/api/v1/queues/Netzwerk", as: "anna", body: `{"confidential": false}`, status: 403},
		{name: "default cannot go", method: "DELETE", path: "/api/v1/queues/Netzwerk", as: "admin", status: 409, want: map[string]any{"errors.queue": "is the default queue"}},
		{name: "default back", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin", body: `{"default": true}`, status: 200},
		{name: "a queue with tickets stays", method: "DELETE", path: "/api/v1/queues/Netzwerk", as: "admin", status: 409,
			want: map[string]any{"errors.queue": "holds tickets"},
			check: func(t *testing.T, e *env, res *http.Response, body []byte) {
				if !strings.Contains(string(body), "move its tickets to another queue first") {
					t.Errorf("body %s does not say what to do", body)
				}
			}},
		{name: "empty queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Leer"}`, status: 201},
		{name: "agents may not delete", method: "DELETE", path: "/api/v1/queues/Leer", as: "anna", status: 403},
		{name: "delete empty queue", method: "DELETE", path: "/api/v1/queues/Leer", as: "admin", status: 204},
		{name: "gone", method: "DELETE", path: "/api/v1/queues/Leer", as: "admin", status: 404},
		{name: "two queues left", method: "GET", path: "/api/v1/queues", as: "admin", status: 200, want: map[string]any{"items.#": 2}},

		// Members.
		{name: "remove anna from Servicedesk", method: "DELETE", path: "/api/v1/queues/Servicedesk/members/ANNA@example.org", as: "admin", status: 204},
		{name: "t1 unassigned", method: "GET", path: "/api/v1/tickets/${t1}", as: "admin", status: 200, want: map[string]any{"assignee": nil, "state": "open"}},
		{name: "t1 history", method: "GET", path: "/api/v1/tickets/${t1}/entries", as: "admin", status: 200, check: assigneeHistory("t1", "anna@example.org")},
		{name: "t2 stays anna's", method: "GET", path: "/api/v1/tickets/${t2}", as: "anna", status: 200, want: map[string]any{"assignee": "anna@example.org"}},
		{name: "anna cannot be assigned in Servicedesk", method: "POST", path: "/api/v1/tickets/${t1}/actions", as: "admin",
			body: `{"action": "assign", "assignee": "anna@example.org"}`, status: 400, present: []string{"errors.assignee"}},
		{name: "no member", method: "DELETE", path: "/api/v1/queues/Servicedesk/members/anna@example.org", as: "admin", status: 404},
		{name: "agents may not remove members", method: "DELETE", path: "/api/v1/queues/Servicedesk/members/paul@example.org", as: "anna", status: 403},

		// Users: edit, role, disable.
		{name: "rename alice", method: "PATCH", path: "/api/v1/users/alice@example.org", as: "admin", body: `{"name": "Alice R.", "language": "en"}`, status: 200,
			want: map[string]any{"name": "Alice R.", "language": "en", "role": "requester", "disabled": false}},
		{name: "bad user fields", method: "PATCH", path: "/api/v1/users/alice@example.org", as: "admin", body: `{"language": "fr", "role": "boss", "name": ""}`, status: 400,
			present: []string{"errors.language", "errors.role", "errors.name"}},
		{name: "null flag", method: "PATCH", path: "/api/v1/users/alice@example.org", as: "admin", body: `{"disabled": null, "role": 3}`, status: 400,
			present: []string{"errors.disabled", "errors.role"}},
		{name: "unknown user", method: "PATCH", path: "/api/v1/users/nobody@example.org", as: "admin", body: `{"name": "X"}`, status: 404},
		{name: "agents may not edit users", method: "PATCH", path: "/api/v1/users/alice@example.org", as: "anna", body: `{"name": "X"}`, status: 403},
		{name: "no self-demotion", method: "PATCH", path: "/api/v1/users/admin@example.org", as: "admin", body: `{"role": "agent"}`, status: 409,
			want: map[string]any{"errors.role": "is your own account"}},
		{name: "no self-disabling", method: "PATCH", path: "/api/v1/users/admin@example.org", as: "admin", body: `{"disabled": true}`, status: 409,
			want: map[string]any{"errors.disabled": "is your own account"}},
		{name: "anna becomes a requester", method: "PATCH", path: "/api/v1/users/anna@example.org", as: "admin", body: `{"role": "requester"}`, status: 200,
			want: map[string]any{"role": "requester"}},
		{name: "t2 unassigned", method: "GET", path: "/api/v1/tickets/${t2}", as: "paul", status: 200, want: map[string]any{"assignee": nil}},
		{name: "t2 history", method: "GET", path: "/api/v1/tickets/${t2}/entries", as: "alice", status: 200, check: assigneeHistory("t2", "anna@example.org")},
		{name: "anna now sees requesters' tickets only", method: "GET", path: "/api/v1/tickets/${t2}", as: "anna", status: 404},
		{name: "anna is in no queue", method: "GET", path: "/api/v1/queues", as: "admin", status: 200,
			check: func(t *testing.T, e *env, res *http.Response, body []byte) {
				if strings.Contains(string(body), "anna@example.org") {
					t.Errorf("anna is still a member: %s", body)
				}
			}},
		{name: "disable paul", method: "PATCH", path: "/api/v1/users/paul@example.org", as: "admin", body: `{"disabled": true}`, status: 200,
			want: map[string]any{"disabled": true}, present: []string{"disabled_at"}},
		{name: "paul's token stops", method: "GET", path: "/api/v1/queues", as: "paul", status: 401},
		{name: "disabled users", method: "GET", path: "/api/v1/users?state=disabled", as: "admin", status: 200,
			want: map[string]any{"total": 1, "items.0.email": "paul@example.org", "items.0.disabled": true}},
		{name: "enable paul", method: "PATCH", path: "/api/v1/users/paul@example.org", as: "admin", body: `{"disabled": false}`, status: 200,
			want: map[string]any{"disabled": false}, absent: []string{"disabled_at"}},
		{name: "paul's token works again", method: "GET", path: "/api/v1/queues", as: "paul", status: 200},
	}
}
