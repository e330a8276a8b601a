package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestMergeHistoryAPI: after a public ticket is merged into a confidential
// one, the timelines name the other ticket only to callers who may see it.
func TestMergeHistoryAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, mergeHistoryScenarios())
		})
	}
}

// mergeEvent checks the field event of a timeline: its new value is the
// number saved as vars[numberVar] ("#1234"), or absent when numberVar is
// "".
func mergeEvent(field, numberVar string) func(t *testing.T, e *env, res *http.Response, body []byte) {
	return func(t *testing.T, e *env, _ *http.Response, body []byte) {
		t.Helper()
		var l struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		want := ""
		if numberVar != "" {
			want = "#" + e.vars[numberVar]
		}
		found := false
		for _, it := range l.Items {
			if it["kind"] != "event" || it["field"] != field {
				continue
			}
			found = true
			got, has := it["new"].(string)
			if numberVar == "" && has {
				t.Errorf("%s event: got new %q, want none", field, got)
			} else if numberVar != "" && got != want {
				t.Errorf("%s event: got new %q, want %q", field, got, want)
			}
		}
		if !found {
			t.Errorf("no %s event in %s", field, body)
		}
	}
}

func mergeHistoryScenarios() []scenario {
	user := func(email, role string) scenario {
		return scenario{name: "user " + email, method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "` + email + `@example.org", "name": "` + email + `", "role": "` + role + `"}`, status: 201}
	}
	token := func(who string) scenario {
		return operatorToken(who+"@example.org", "tok:"+who)
	}
	member := func(queue, who string) scenario {
		return scenario{name: "member " + who + " in " + queue, method: "POST", path: "/api/v1/queues/" + queue + "/members", as: "admin",
			body: `{"email": "` + who + `@example.org"}`, status: 204}
	}
	return []scenario{
		user("anna", "agent"), user("sam", "agent"), user("alice", "requester"), user("bob", "requester"),
		token("anna"), token("sam"), token("alice"), token("bob"),
		{name: "default queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
		{name: "confidential queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Security", "confidential": true}`, status: 201},
		member("Servicedesk", "anna"), member("Security", "sam"), member("Security", "admin"),
		{name: "confidential ticket", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Security", "subject": "Stolen laptop", "description": "d"}`, status: 201,
			want: map[string]any{"confidential": true}, save: map[string]string{"secret": "number"}},
		{name: "public ticket", method: "POST", path: "/api/v1/tickets", as: "bob",
			body: `{"queue": "Servicedesk", "subject": "Laptop gone", "description": "d"}`, status: 201, save: map[string]string{"plain": "number"}},
		{name: "admin merges public into confidential", method: "POST", path: "/api/v1/tickets/${plain}/actions", as: "admin",
			body: `{"action": "merge", "ticket": "#${secret}"}`, status: 200, want: map[string]any{"state": "closed", "close_reason": "merged"}},

		{name: "non-member agent: merged ticket hides the other", method: "GET", path: "/api/v1/tickets/${plain}/entries", as: "anna", status: 200,
			check: mergeEvent("merged_into", "")},
		{name: "non-member agent: other ticket not found", method: "GET", path: "/api/v1/tickets/${secret}", as: "anna", status: 404},
		{name: "member: merged ticket names the other", method: "GET", path: "/api/v1/tickets/${plain}/entries", as: "sam", status: 200,
			check: mergeEvent("merged_into", "secret")},
		{name: "requester now in CC: merged ticket names the other", method: "GET", path: "/api/v1/tickets/${plain}/entries", as: "bob", status: 200,
			check: mergeEvent("merged_into", "secret")},
		{name: "requester of the surviving ticket: hides the merged one", method: "GET", path: "/api/v1/tickets/${secret}/entries", as: "alice", status: 200,
			check: mergeEvent("merged_from", "")},
		{name: "member: surviving ticket names the merged one", method: "GET", path: "/api/v1/tickets/${secret}/entries", as: "sam", status: 200,
			check: mergeEvent("merged_from", "plain")},
	}
}
