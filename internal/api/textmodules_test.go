package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestTextModulesAPI drives text modules, macros and the description's
// earlier versions through the API on both databases.
func TestTextModulesAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, textModuleScenarios())
		})
	}
}

func textModuleScenarios() []scenario {
	user := func(who, role, lang string) scenario {
		return scenario{name: "user " + who, method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "` + who + `@example.org", "name": "` + who + `", "role": "` + role + `", "language": "` + lang + `"}`, status: 201}
	}
	module := func(name, as, body string, status int) scenario {
		return scenario{name: name, method: "POST", path: "/api/v1/text-modules", as: as, body: body, status: status}
	}
	act := func(name, as, body string, status int) scenario {
		return scenario{name: name, method: "POST", path: "/api/v1/tickets/${t}/actions", as: as, body: body, status: status}
	}
	return []scenario{
		user("anna", "agent", "de"), user("sam", "agent", "de"), user("alice", "requester", "en"),
		operatorToken("anna@example.org", "tok:anna"), operatorToken("sam@example.org", "tok:sam"),
		operatorToken("alice@example.org", "tok:alice"),
		{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
		{name: "member", method: "POST", path: "/api/v1/queues/Servicedesk/members", as: "admin", body: `{"email": "anna@example.org"}`, status: 204},
		{name: "open", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Servicedesk", "subject": "Password", "description": "Forgot it."}`, status: 201,
			save: map[string]string{"t": "number", "v0": "version"}},

		// Refused when saved, with the field and a clear message.
		{name: "unknown placeholder", method: "POST", path: "/api/v1/text-modules", as: "anna",
			body: `{"name": "x", "language": "de", "body": "Hallo {requester.nmae}"}`, status: 400,
			want: map[string]any{"code": "invalid", "errors.body": "has an unknown placeholder {requester.nmae}"}},
		{name: "unbalanced", method: "POST", path: "/api/v1/text-modules", as: "anna",
			body: `{"name": "x", "language": "de", "body": "Hallo {requester.name"}`, status: 400,
			want: map[string]any{"errors.body": "has a { without its }"}},
		module("requester has none", "alice", `{"name": "x", "body": "x"}`, 403),
		module("non-member shares with the queue", "sam", `{"name": "x", "body": "x", "queue": "Servicedesk"}`, 403),
		module("unknown field", "anna", `{"name": "x", "body": "x", "owner": "sam@example.org"}`, 400),

		// Shared in two languages, and a personal one.
		{name: "shared de", method: "POST", path: "/api/v1/text-modules", as: "anna", status: 201,
			body: `{"name": "Reset", "language": "de", "queue": "Servicedesk", "body": "Hallo {requester.name}, erledigt."}`,
			save: map[string]string{"de": "id"}, want: map[string]any{"queue": "Servicedesk", "language": "de"}, present: []string{"id"}},
		{name: "shared en", method: "POST", path: "/api/v1/text-modules", as: "anna", status: 201,
			body: `{"name": "Reset", "language": "en", "queue": "Servicedesk", "body": "Hello {requester.name}, done: {ticket.link}"}`,
			save: map[string]string{"en": "id"}},
		module("same name and language", "anna", `{"name": "reset", "language": "de", "queue": "Servicedesk", "body": "x"}`, 409),
		{name: "personal", method: "POST", path: "/api/v1/text-modules", as: "anna", status: 201,
			body: `{"name": "Sig", "language": "de", "body": "{agent.name}"}`, save: map[string]string{"p": "id"}, want: map[string]any{"owner": "anna@example.org"}},
		{name: "anna lists three", method: "GET", path: "/api/v1/text-modules", as: "anna", status: 200, want: map[string]any{"items.#": 3}},
		{name: "admin lists the shared two", method: "GET", path: "/api/v1/text-modules", as: "admin", status: 200, want: map[string]any{"items.#": 2}},
		{name: "sam lists none", method: "GET", path: "/api/v1/text-modules", as: "sam", status: 200, want: map[string]any{"items.#": 0}},
		{name: "personal is not the admin's", method: "GET", path: "/api/v1/text-modules/${p}", as: "admin", status: 404},
		{name: "shared is not sam's", method: "GET", path: "/api/v1/text-modules/${de}", as: "sam", status: 404},
		{name: "patch refused when saved", method: "PATCH", path: "/api/v1/text-modules/${p}", as: "anna",
			body: `{"body": "{agent.nam}"}`, status: 400, present: []string{"errors.body"}},
		{name: "patch", method: "PATCH", path: "/api/v1/text-modules/${p}", as: "anna",
			body: `{"body": "-- {agent.name}"}`, status: 200, want: map[string]any{"body": "-- {agent.name}"}},

		// Rendering for a ticket: the requester's language.
		{name: "the ticket's modules", method: "GET", path: "/api/v1/tickets/${t}/text-modules", as: "anna", status: 200,
			want: map[string]any{"items.#": 2, "items.0.name": "Reset", "items.0.language": "en", "items.1.name": "Sig"}},
		{name: "rendered", method: "GET", path: "/api/v1/tickets/${t}/text-modules/${de}", as: "anna", status: 200,
			want: map[string]any{"language": "en", "body": "Hello alice, done: " + testBaseURL + "/tickets/${t}"}},
		{name: "rendered for a requester", method: "GET", path: "/api/v1/tickets/${t}/text-modules/${de}", as: "alice", status: 403},
		{name: "rendered, unknown module", method: "GET", path: "/api/v1/tickets/${t}/text-modules/999999", as: "anna", status: 404},

		// Macros.
		{name: "macro refused when saved", method: "POST", path: "/api/v1/macros", as: "anna",
			body: `{"name": "m", "entry_kind": "question", "body": "?", "state": "resolve"}`, status: 400, present: []string{"errors.state"}},
		{name: "macro", method: "POST", path: "/api/v1/macros", as: "anna", status: 201,
			body: `{"name": "Password reset done", "queue": "Servicedesk", "text_module": ${de}, "entry_kind": "message", "state": "resolve", "assign_me": true}`,
			save: map[string]string{"m": "id"}, want: map[string]any{"text_module": "${de}", "state": "resolve", "assign_me": true}},
		{name: "macro patch", method: "PATCH", path: "/api/v1/macros/${m}", as: "anna", body: `{"priority": "low"}`, status: 200,
			want: map[string]any{"priority": "low", "state": "resolve", "name": "Password reset done"}},
		{name: "macro patch queue", method: "PATCH", path: "/api/v1/macros/${m}", as: "anna", body: `{"queue": ""}`, status: 400, present: []string{"errors.queue"}},
		{name: "macros of sam", method: "GET", path: "/api/v1/macros", as: "sam", status: 200, want: map[string]any{"items.#": 0}},
		withWantCode(act("apply without macro", "anna", `{"action": "macro"}`, 400), "invalid"),
		act("apply: sam does not see it", "sam", `{"action": "macro", "macro": ${m}}`, 404),
		withWantCode(act("apply stale", "anna", `{"action": "macro", "macro": ${m}, "version": 999}`, 409), "conflict"),
		{name: "apply", method: "POST", path: "/api/v1/tickets/${t}/actions", as: "anna", status: 200,
			body: `{"action": "macro", "macro": ${m}, "version": ${v0}}`,
			want: map[string]any{"state": "resolved", "priority": "low", "assignee": "anna@example.org"}},
		{name: "the message", method: "GET", path: "/api/v1/tickets/${t}/entries", as: "alice", status: 200,
			check: func(t *testing.T, e *env, _ *http.Response, body []byte) {
				t.Helper()
				var l struct {
					Items []struct{ Kind, Body string } `json:"items"`
				}
				if err := json.Unmarshal(body, &l); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, it := range l.Items {
					if it.Kind == "message" {
						got = append(got, it.Body)
					}
				}
				want := "Hello alice, done: " + testBaseURL + "/tickets/" + e.vars["t"]
				if len(got) != 1 || got[0] != want {
					t.Errorf("got messages %q, want [%q]", got, want)
				}
			}},
		{name: "macro delete", method: "DELETE", path: "/api/v1/macros/${m}", as: "anna", status: 204},
		{name: "macro gone", method: "GET", path: "/api/v1/macros/${m}", as: "anna", status: 404},
		{name: "module delete by sam", method: "DELETE", path: "/api/v1/text-modules/${de}", as: "sam", status: 404},
		{name: "module delete", method: "DELETE", path: "/api/v1/text-modules/${de}", as: "admin", status: 204},

		// Earlier description versions.
		{name: "no versions yet", method: "GET", path: "/api/v1/tickets/${t}/description-versions", as: "alice", status: 200, want: map[string]any{"items.#": 0}},
		{name: "reopen to edit", method: "POST", path: "/api/v1/tickets/${t}/actions", as: "alice", body: `{"action": "reopen"}`, status: 200, save: map[string]string{"v1": "version"}},
		{name: "edit", method: "PATCH", path: "/api/v1/tickets/${t}", as: "alice", body: `{"version": ${v1}, "description": "Forgot it again."}`, status: 200},
		{name: "versions", method: "GET", path: "/api/v1/tickets/${t}/description-versions", as: "anna", status: 200,
			want: map[string]any{"items.#": 1, "items.0.body": "Forgot it.", "items.0.author": "alice@example.org"}},
		{name: "versions, stranger", method: "GET", path: "/api/v1/tickets/${t}/description-versions", as: "sam", status: 200},
		{name: "versions, no such ticket", method: "GET", path: "/api/v1/tickets/999999/description-versions", as: "anna", status: 404},
	}
}
