package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestTicketEditsAPI drives requester edits, the description's history,
// time spent and split through the API on both databases.
func TestTicketEditsAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, ticketEditScenarios())
		})
	}
}

// saveEntryIDs saves the IDs of a timeline's entries with a body: key0,
// key1, … in order, and keyN the description's.
func saveEntryIDs(key string) func(t *testing.T, e *env, res *http.Response, body []byte) {
	return func(t *testing.T, e *env, _ *http.Response, body []byte) {
		t.Helper()
		var l struct {
			Items []struct {
				ID   int64  `json:"id"`
				Kind string `json:"kind"`
			} `json:"items"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		i := 0
		for _, it := range l.Items {
			switch it.Kind {
			case "event":
				e.vars[key+"event"] = strconv.FormatInt(it.ID, 10)
			case "description":
				e.vars[key+"desc"] = strconv.FormatInt(it.ID, 10)
			default:
				e.vars[key+strconv.Itoa(i)] = strconv.FormatInt(it.ID, 10)
				i++
			}
		}
	}
}

func ticketEditScenarios() []scenario {
	user := func(who, role string) scenario {
		return scenario{name: "user " + who, method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "` + who + `@example.org", "name": "` + who + `", "role": "` + role + `", "language": "en"}`, status: 201}
	}
	patch := func(name, as, body string, status int) scenario {
		return scenario{name: name, method: "PATCH", path: "/api/v1/tickets/${t}", as: as, body: body, status: status}
	}
	entry := func(name, as, body string, status int) scenario {
		return scenario{name: name, method: "POST", path: "/api/v1/tickets/${t}/entries", as: as, body: body, status: status}
	}
	split := func(name, as, body string, status int) scenario {
		return scenario{name: name, method: "POST", path: "/api/v1/tickets/${t}/actions", as: as, body: body, status: status}
	}
	return []scenario{
		user("anna", "agent"), user("sam", "agent"), user("alice", "requester"), user("bob", "requester"),
		operatorToken("anna@example.org", "tok:anna"), operatorToken("sam@example.org", "tok:sam"),
		operatorToken("alice@example.org", "tok:alice"), operatorToken("bob@example.org", "tok:bob"),
		{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201,
			want: map[string]any{"time_spent": "off"}},
		{name: "member", method: "POST", path: "/api/v1/queues/Servicedesk/members", as: "admin", body: `{"email": "anna@example.org"}`, status: 204},
		{name: "open", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Servicedesk", "subject": "Printer", "description": "It prints blank pages."}`, status: 201,
			save: map[string]string{"t": "number", "v0": "version"}},

		// Requester edits.
		{name: "requester edits", method: "PATCH", path: "/api/v1/tickets/${t}", as: "alice",
			body:   `{"version": ${v0}, "subject": "Printer 3.14", "description": "It prints blank pages in room 3.14.", "priority": "high", "confidential": true}`,
			status: 200, want: map[string]any{"subject": "Printer 3.14", "priority": "high", "confidential": true, "time_spent": 0}},
		withWantCode(patch("stale version", "alice", `{"version": ${v0}, "subject": "x"}`, 409), "conflict"),
		{name: "public again: members only", method: "PATCH", path: "/api/v1/tickets/${t}", as: "alice",
			body: `{"version": ${v:t}, "confidential": false}`, status: 403, want: map[string]any{"errors.confidential": "only the queue's members make a ticket public again"}},
		{name: "cc: staff only", method: "PATCH", path: "/api/v1/tickets/${t}", as: "alice",
			body: `{"version": ${v:t}, "cc": ["bob@example.org"]}`, status: 403, present: []string{"errors.cc"}},
		patch("another requester: not found", "bob", `{"version": ${v:t}, "subject": "mine"}`, 404),
		{name: "description null", method: "PATCH", path: "/api/v1/tickets/${t}", as: "alice",
			body: `{"version": ${v:t}, "description": null}`, status: 400, present: []string{"errors.description"}},
		{name: "staff edit the description", method: "PATCH", path: "/api/v1/tickets/${t}", as: "anna",
			body: `{"version": ${v:t}, "description": "Blank pages in 3.14; toner is full.", "confidential": false}`, status: 200,
			want: map[string]any{"confidential": false}},
		{name: "history of the edits", method: "GET", path: "/api/v1/tickets/${t}/entries", as: "alice", status: 200,
			want: map[string]any{"items.0.kind": "description", "items.0.body": "Blank pages in 3.14; toner is full.",
				"items.2.field": "description", "items.2.author": "alice@example.org", "items.5.field": "description", "items.5.author": "anna@example.org"}},

		// Time spent.
		{name: "time spent while the queue is off", method: "POST", path: "/api/v1/tickets/${t}/entries", as: "anna",
			body: `{"kind": "comment", "body": "looked", "time_spent": 30}`, status: 400, want: map[string]any{"errors.time_spent": "is not recorded in queue Servicedesk"}},
		{name: "queue: time spent required", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
			body: `{"time_spent": "required"}`, status: 200, want: map[string]any{"time_spent": "required"}},
		{name: "queue: bad setting", method: "PATCH", path: "/api/v1/queues/Servicedesk", as: "admin",
			body: `{"time_spent": "sometimes"}`, status: 400, present: []string{"errors.time_spent"}},
		{name: "required and missing", method: "POST", path: "/api/v1/tickets/${t}/entries", as: "anna",
			body: `{"kind": "comment", "body": "looked"}`, status: 400, want: map[string]any{"errors.time_spent": "is required in queue Servicedesk"}},
		{name: "not whole minutes", method: "POST", path: "/api/v1/tickets/${t}/entries", as: "anna",
			body: `{"kind": "comment", "body": "looked", "time_spent": 1.5}`, status: 400, want: map[string]any{"errors.time_spent": "must be a whole number of minutes"}},
		{name: "not a number", method: "POST", path: "/api/v1/tickets/${t}/entries", as: "anna",
			body: `{"kind": "comment", "body": "looked", "time_spent": "30"}`, status: 400, present: []string{"errors.time_spent"}},
		{name: "a day or more", method: "POST", path: "/api/v1/tickets/${t}/entries", as: "anna",
			body: `{"kind": "comment", "body": "looked", "time_spent": 1440}`, status: 400, want: map[string]any{"errors.time_spent": "must be a whole number of minutes from 1 to 1439"}},
		{name: "zero", method: "POST", path: "/api/v1/tickets/${t}/entries", as: "anna",
			body: `{"kind": "comment", "body": "looked", "time_spent": 0}`, status: 400, present: []string{"errors.time_spent"}},
		{name: "requester sends time", method: "POST", path: "/api/v1/tickets/${t}/entries", as: "alice",
			body: `{"kind": "comment", "body": "me too", "time_spent": 5}`, status: 400, want: map[string]any{"errors.time_spent": "is recorded by staff only"}},
		entry("staff message with time", "anna", `{"kind": "message", "body": "Toner changed.", "time_spent": 25}`, 201),
		entry("staff note with time", "anna", `{"kind": "comment", "visibility": "staff", "body": "Laptop is old, check warranty", "time_spent": 40}`, 201),
		entry("requester comment", "alice", `{"kind": "comment", "body": "My laptop does not start either."}`, 201),
		{name: "the sum, staff", method: "GET", path: "/api/v1/tickets/${t}", as: "anna", status: 200, want: map[string]any{"time_spent": 65}},
		{name: "the sum, requester", method: "GET", path: "/api/v1/tickets/${t}", as: "alice", status: 200, want: map[string]any{"time_spent": 25}},
		{name: "entries carry it", method: "GET", path: "/api/v1/tickets/${t}/entries", as: "anna", status: 200, check: saveEntryIDs("e")},

		// Split.
		withWantCode(split("split nothing", "anna", `{"action": "split", "entries": []}`, 400), "invalid"),
		{name: "split all", method: "POST", path: "/api/v1/tickets/${t}/actions", as: "anna",
			body: `{"action": "split", "entries": [${edesc}, ${e0}, ${e1}, ${e2}]}`, status: 400,
			want: map[string]any{"errors.entries": "not every entry: something must stay in the ticket"}},
		{name: "split the description", method: "POST", path: "/api/v1/tickets/${t}/actions", as: "anna",
			body: `{"action": "split", "entries": [${edesc}]}`, status: 400, want: map[string]any{"errors.entries": "the description stays with its ticket"}},
		{name: "split history", method: "POST", path: "/api/v1/tickets/${t}/actions", as: "anna",
			body: `{"action": "split", "entries": [${eevent}]}`, status: 400, present: []string{"errors.entries"}},
		{name: "split unknown entries", method: "POST", path: "/api/v1/tickets/${t}/actions", as: "anna",
			body: `{"action": "split", "entries": [999999]}`, status: 400, want: map[string]any{"errors.entries": "entry 999999 is not one of #${t}"}},
		{name: "split entries not a list", method: "POST", path: "/api/v1/tickets/${t}/actions", as: "anna",
			body: `{"action": "split", "entries": "${e1}"}`, status: 400, present: []string{"errors.entries"}},
		split("requester may not split", "alice", `{"action": "split", "entries": [${e2}]}`, 403),
		split("agent outside the queue may not split", "sam", `{"action": "split", "entries": [${e2}]}`, 403),
		{name: "split the laptop off", method: "POST", path: "/api/v1/tickets/${t}/actions", as: "anna",
			body:   `{"action": "split", "entries": [${e1}, ${e2}], "version": ${v:t}}`,
			status: 201, save: map[string]string{"n": "number"},
			want: map[string]any{"subject": "From #${t}: Printer 3.14", "requester": "alice@example.org", "queue": "Servicedesk",
				"state": "new", "time_spent": 40, "links.#": 1, "links.0.number": "${t}", "links.0.kind": "related"},
			check: func(t *testing.T, _ *env, res *http.Response, body []byte) {
				var tk struct{ Number int64 }
				if err := json.Unmarshal(body, &tk); err != nil {
					t.Fatal(err)
				}
				if got, want := res.Header.Get("Location"), testBaseURL+"/api/v1/tickets/"+strconv.FormatInt(tk.Number, 10); got != want {
					t.Errorf("Location = %q, want %q", got, want)
				}
			}},
		{name: "the old ticket keeps the rest", method: "GET", path: "/api/v1/tickets/${t}", as: "anna", status: 200,
			want: map[string]any{"time_spent": 25, "links.#": 1, "links.0.number": "${n}"}},
		{name: "requester sees her comment on the new ticket, not the note", method: "GET", path: "/api/v1/tickets/${n}/entries", as: "alice", status: 200,
			want: map[string]any{"items.#": 3, "items.0.kind": "description", "items.1.body": "My laptop does not start either.", "items.2.field": "split_from", "items.2.new": "#${t}"}},
		{name: "staff see the note moved", method: "GET", path: "/api/v1/tickets/${n}/entries", as: "anna", status: 200,
			want: map[string]any{"items.#": 4, "items.1.visibility": "staff", "items.1.time_spent": 40}},
		{name: "split with a custom subject", method: "POST", path: "/api/v1/tickets/${n}/actions", as: "anna",
			body: `{"action": "split", "entries": [${e2}], "subject": "Laptop warranty"}`, status: 201,
			want: map[string]any{"subject": "Laptop warranty"}},
		withWantCode(split("split an entry that left", "anna", `{"action": "split", "entries": [${e1}]}`, 400), "invalid"),
		split("withdraw", "alice", `{"action": "withdraw"}`, 200),
		withWantCode(split("a closed ticket is not split", "anna", `{"action": "split", "entries": [${e0}]}`, 409), "conflict"),
		withWantCode(patch("a closed ticket is not edited", "alice", `{"version": ${v:t}, "subject": "again"}`, 409), "conflict"),
	}
}

func withWantCode(sc scenario, code string) scenario {
	sc.want = map[string]any{"code": code}
	return sc
}
