package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestLinkMergeActionsAPI drives merge, link and unlink through
// POST /api/v1/tickets/{number}/actions on both databases.
func TestLinkMergeActionsAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, linkMergeScenarios())
		})
	}
}

// linkEvent checks that the timeline holds a link event with old and new.
func linkEvent(old, new string) func(t *testing.T, e *env, res *http.Response, body []byte) {
	return func(t *testing.T, _ *env, _ *http.Response, body []byte) {
		t.Helper()
		var l struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		for _, it := range l.Items {
			if it["kind"] != "event" || it["field"] != "link" {
				continue
			}
			gotOld, _ := it["old"].(string)
			gotNew, _ := it["new"].(string)
			if gotOld == old && gotNew == new {
				return
			}
		}
		t.Errorf("no link event from %q to %q in %s", old, new, body)
	}
}

func linkMergeScenarios() []scenario {
	user := func(who, role string) scenario {
		return scenario{name: "user " + who, method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "` + who + `@example.org", "name": "` + who + `", "role": "` + role + `"}`, status: 201}
	}
	member := func(queue, who string) scenario {
		return scenario{name: "member " + who + " in " + queue, method: "POST", path: "/api/v1/queues/" + queue + "/members", as: "admin",
			body: `{"email": "` + who + `@example.org"}`, status: 204}
	}
	open := func(key, queue string) scenario {
		return scenario{name: "ticket " + key, method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "` + queue + `", "subject": "Ticket ` + key + `", "description": "d"}`, status: 201,
			save: map[string]string{key: "number", key + "v0": "version"}}
	}
	act := func(name, number, as, body string, status int) scenario {
		return scenario{name: name, method: "POST", path: "/api/v1/tickets/${" + number + "}/actions", as: as, body: body, status: status}
	}
	withWant := func(sc scenario, want map[string]any, absent ...string) scenario {
		sc.want, sc.absent = want, absent
		return sc
	}
	withFields := func(sc scenario, fields ...string) scenario {
		for _, f := range fields {
			sc.present = append(sc.present, "errors."+f)
		}
		return sc
	}
	return []scenario{
		user("anna", "agent"), user("sam", "agent"), user("alice", "requester"),
		operatorToken("anna@example.org", "tok:anna"), operatorToken("sam@example.org", "tok:sam"), operatorToken("alice@example.org", "tok:alice"),
		{name: "default queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
		{name: "confidential queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Security", "confidential": true}`, status: 201},
		member("Servicedesk", "anna"), member("Security", "sam"),
		open("a", "Servicedesk"), open("b", "Servicedesk"), open("c", "Servicedesk"), open("secret", "Security"),

		// Link: both directions show, the other with the reverse kind.
		withWant(act("link a parent of b", "a", "anna", `{"action": "link", "ticket": ${b}, "kind": "parent"}`, 200),
			map[string]any{"links.#": 1, "links.0.number": "${b}", "links.0.kind": "parent"}),
		{name: "b sees a as child link", method: "GET", path: "/api/v1/tickets/${b}", as: "anna", status: 200,
			want: map[string]any{"links.#": 1, "links.0.number": "${a}", "links.0.kind": "child"}},
		withWant(act("link again changes nothing", "a", "anna", `{"action": "link", "ticket": "#${b}", "kind": "parent"}`, 200),
			map[string]any{"links.#": 1}),
		withWant(act("older name link_kind still works", "a", "anna", `{"action": "link", "ticket": ${c}, "link_kind": "duplicate"}`, 200),
			map[string]any{"links.#": 2, "links.1.number": "${c}", "links.1.kind": "duplicate"}),
		withFields(act("bad kind", "a", "anna", `{"action": "link", "ticket": ${b}, "kind": "sibling"}`, 400), "kind"),
		withFields(act("bad link_kind", "a", "anna", `{"action": "link", "ticket": ${b}, "link_kind": "sibling"}`, 400), "link_kind"),
		withFields(act("unlink bad kind", "a", "anna", `{"action": "unlink", "ticket": ${b}, "kind": "merged-into"}`, 400), "kind"),
		withFields(act("link without ticket", "a", "anna", `{"action": "link", "kind": "related"}`, 400), "ticket"),
		withFields(act("link to itself", "a", "anna", `{"action": "link", "ticket": ${a}}`, 400), "ticket"),
		act("link to a hidden ticket", "a", "anna", `{"action": "link", "ticket": ${secret}}`, 404),
		act("link from a hidden ticket", "secret", "anna", `{"action": "link", "ticket": ${a}}`, 404),
		act("requester may not link", "a", "alice", `{"action": "link", "ticket": ${b}}`, 403),

		// Unlink removes both directions, with history on both tickets.
		withFields(act("unlink the wrong kind", "a", "anna", `{"action": "unlink", "ticket": ${b}, "kind": "related"}`, 404), "ticket"),
		act("requester may not unlink", "a", "alice", `{"action": "unlink", "ticket": ${b}, "kind": "parent"}`, 403),
		act("unlink a hidden ticket", "a", "anna", `{"action": "unlink", "ticket": ${secret}, "kind": "related"}`, 404),
		withWant(act("unlink from the other side", "b", "anna", `{"action": "unlink", "ticket": ${a}, "kind": "child"}`, 200),
			nil, "links"),
		{name: "a lost the link too", method: "GET", path: "/api/v1/tickets/${a}", as: "anna", status: 200,
			want: map[string]any{"links.#": 1, "links.0.number": "${c}", "links.0.kind": "duplicate"}},
		{name: "a's history has the unlink", method: "GET", path: "/api/v1/tickets/${a}/entries", as: "anna", status: 200, check: linkEvent("parent", "")},
		{name: "b's history has the unlink", method: "GET", path: "/api/v1/tickets/${b}/entries", as: "anna", status: 200, check: linkEvent("child", "")},
		act("unlink twice", "b", "anna", `{"action": "unlink", "ticket": ${a}, "kind": "child"}`, 404),

		// Merge: version checked, hidden targets not found, the source answers as merged.
		act("c changes", "c", "anna", `{"action": "take"}`, 200),
		withWant(act("merge with a stale version", "c", "anna", `{"action": "merge", "into": ${b}, "version": ${cv0}}`, 409),
			map[string]any{"code": "conflict"}),
		act("merge into a hidden ticket", "c", "anna", `{"action": "merge", "into": ${secret}, "version": ${v:c}}`, 404),
		act("admin outside the queue: merge into a hidden ticket", "c", "admin", `{"action": "merge", "into": "#${secret}"}`, 404),
		withFields(act("merge without target", "c", "anna", `{"action": "merge", "version": ${v:c}}`, 400), "into"),
		withFields(act("merge into itself", "c", "anna", `{"action": "merge", "into": ${c}}`, 400), "into"),
		withFields(act("merge with into and another ticket", "c", "anna", `{"action": "merge", "into": ${b}, "ticket": ${a}}`, 400), "ticket"),
		act("requester may not merge", "c", "alice", `{"action": "merge", "into": ${b}}`, 403),
		withWant(act("merge c into b", "c", "anna", `{"action": "merge", "into": "#${b}", "version": ${v:c}}`, 200),
			map[string]any{"number": "${c}", "state": "closed", "close_reason": "merged"}),
		{name: "c answers as merged", method: "GET", path: "/api/v1/tickets/${c}", as: "anna", status: 200,
			want: map[string]any{"state": "closed", "close_reason": "merged", "links.#": 2, "links.1.number": "${b}", "links.1.kind": "merged-into"}},
		{name: "b names what was merged", method: "GET", path: "/api/v1/tickets/${b}", as: "anna", status: 200,
			want: map[string]any{"state": "new", "links.#": 1, "links.0.number": "${c}", "links.0.kind": "merged-from"}},
		act("merged ticket is not merged again", "c", "anna", `{"action": "merge", "into": ${a}}`, 409),
		withFields(act("a merge is not unlinked", "c", "anna", `{"action": "unlink", "ticket": ${b}, "kind": "merged-into"}`, 400), "kind"),
	}
}
