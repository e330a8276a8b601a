package api

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestAPI runs the whole Contract through the API over SQLite.
func TestAPI(t *testing.T) {
	e := newEnv(t, sqliteDB(t))
	e.run(t, scenarios(t))
}

// TestAPIPostgres runs the same rows over PostgreSQL (skipped when no
// server answers, failing under CI).
func TestAPIPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("PostgreSQL in -short mode")
	}
	e := newEnv(t, storetest.Open(t, store.Postgres))
	e.run(t, scenarios(t))
}

// pngBytes sniff as image/png.
var pngBytes = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

func scenarios(t *testing.T) []scenario {
	const (
		json = "application/json"
	)
	pngType, pngBody := upload(t, part{"file:screen shot ä.png", pngBytes})
	staffType, staffBody := upload(t, part{"visibility", "staff"}, part{"file:notes.txt", "internal notes"})
	twoType, twoBody := upload(t, part{"file:a.txt", "a"}, part{"file:b.txt", "b"})
	bigType, bigBody := upload(t, part{"file:big.bin", strings.Repeat("x", testMaxAttachment+1)})
	var manyParts []part
	for range 18 {
		manyParts = append(manyParts, part{"file:chunk.bin", strings.Repeat("y", testMaxAttachment)})
	}
	manyType, manyBody := upload(t, manyParts...)
	noFileType, noFileBody := upload(t, part{"visibility", "public"})
	unknownType, unknownBody := upload(t, part{"visiblity", "staff"}, part{"file:x.txt", "x"})
	lateType, lateBody := upload(t, part{"file:x.txt", "x"}, part{"visibility", "staff"})
	badVisType, badVisBody := upload(t, part{"visibility", "everyone"}, part{"file:x.txt", "x"})
	mp := func(ct string) map[string]string { return map[string]string{"Content-Type": ct} }

	return []scenario{
		// Admin sets up people, queues and membership.
		{name: "admin creates agent", method: "POST", path: "/api/v1/users", as: "admin",
			body:   `{"email": "anna@example.org", "name": "Anna Agent", "role": "agent"}`,
			status: 201, want: map[string]any{"email": "anna@example.org", "name": "Anna Agent", "role": "agent"}, present: []string{"created_at", "language"}},
		{name: "admin creates second agent", method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "paul@example.org", "name": "Paul Agent", "role": "agent"}`, status: 201},
		{name: "admin creates security agent", method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "sam@example.org", "name": "Sam Security", "role": "agent", "language": "en"}`, status: 201, want: map[string]any{"language": "en"}},
		{name: "admin creates requester", method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "alice@example.org", "name": "Alice Requester", "role": "requester", "password": "alice-secret"}`, status: 201,
			absent: []string{"password"}},
		{name: "admin creates second requester", method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "bob@example.org", "name": "Bob Requester", "role": "requester"}`, status: 201},
		{name: "duplicate user", method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "anna@example.org", "name": "Anna again", "role": "agent"}`, status: 409, want: map[string]any{"code": "conflict"}},
		{name: "unknown role", method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "x@example.org", "name": "X", "role": "boss"}`, status: 400, present: []string{"errors.role"}},
		{name: "misspelt field", method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "x@example.org", "name": "X", "rol": "agent"}`, status: 400, want: map[string]any{"errors.rol": "unknown field"}},
		operatorToken("anna@example.org", "tok:anna"),
		operatorToken("paul@example.org", "tok:paul"),
		operatorToken("sam@example.org", "tok:sam"),
		operatorToken("alice@example.org", "tok:alice"),
		operatorToken("bob@example.org", "tok:bob"),
		{name: "user makes own token", method: "POST", path: "/api/v1/users/alice@example.org/tokens", as: "alice", status: 201, save: map[string]string{"tok:alice2": "token"}},
		{name: "own second token works", method: "GET", path: "/api/v1/queues", as: "alice2", status: 200},
		{name: "no token for others", method: "POST", path: "/api/v1/users/bob@example.org/tokens", as: "alice", status: 403},
		{name: "token for unknown user", method: "POST", path: "/api/v1/users/nobody@example.org/tokens", as: "admin", status: 404},
		{name: "requester cannot create users", method: "POST", path: "/api/v1/users", as: "alice",
			body: `{"email": "eve@example.org", "name": "Eve", "role": "admin"}`, status: 403},

		{name: "create default queue", method: "POST", path: "/api/v1/queues", as: "admin",
			body:   `{"name": "Servicedesk", "address": "servicedesk@example.org", "default": true}`,
			status: 201, want: map[string]any{"name": "Servicedesk", "default": true, "confidential": false}},
		{name: "create confidential queue", method: "POST", path: "/api/v1/queues", as: "admin",
			body: `{"name": "Security", "confidential": true}`, status: 201, want: map[string]any{"confidential": true}},
		{name: "duplicate queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Security"}`, status: 409},
		{name: "agent cannot create queues", method: "POST", path: "/api/v1/queues", as: "anna", body: `{"name": "Mine"}`, status: 403},
		{name: "queue member anna", method: "POST", path: "/api/v1/queues/Servicedesk/members", as: "admin", body: `{"email": "anna@example.org"}`, status: 204},
		{name: "queue member sam", method: "POST", path: "/api/v1/queues/Security/members", as: "admin", body: `{"email": "sam@example.org"}`, status: 204},
		{name: "member of unknown queue", method: "POST", path: "/api/v1/queues/Nope/members", as: "admin", body: `{"email": "sam@example.org"}`, status: 404},
		{name: "member without email", method: "POST", path: "/api/v1/queues/Security/members", as: "admin", body: `{}`, status: 400, present: []string{"errors.email"}},
		{name: "agent cannot add members", method: "POST", path: "/api/v1/queues/Security/members", as: "anna", body: `{"email": "anna@example.org"}`, status: 403},
		{name: "requester lists queues", method: "GET", path: "/api/v1/queues", as: "alice", status: 200,
			want: map[string]any{"items.#": 2}, absent: []string{"items.0.members", "items.1.members"}},

		// The Contract flow: open, take, ask, answer, resolve, close.
		{name: "requester opens ticket", method: "POST", path: "/api/v1/tickets", as: "alice",
			body:   `{"queue": "Servicedesk", "subject": "Printer on floor 3 jams", "description": "Every second page.", "priority": "high", "due": "2030-01-31"}`,
			status: 201, save: map[string]string{"t1": "number"},
			want: map[string]any{"state": "new", "requester": "alice@example.org", "queue": "Servicedesk", "priority": "high",
				"due": "2030-01-31T23:59:59Z", "confidential": false, "assignee": nil, "channel": "api", "cc": []any{}},
			present: []string{"version", "created_at", "updated_at"},
			check: func(t *testing.T, e *env, res *http.Response, body []byte) {
				n := e.vars["t1"]
				if got, want := res.Header.Get("Location"), testBaseURL+"/api/v1/tickets/"+n; got != want {
					t.Errorf("Location = %q, want %q", got, want)
				}
				if !bytes.Contains(body, []byte(`"url":"`+testBaseURL+`/tickets/`+n+`"`)) {
					t.Errorf("body %s lacks the ticket's url", body)
				}
				if !bytes.Contains(body, []byte(`Z","updated_at"`)) {
					t.Errorf("body %s: times are not UTC", body)
				}
			}},
		{name: "requester sees ticket", method: "GET", path: "/api/v1/tickets/${t1}", as: "alice", status: 200,
			want: map[string]any{"number": "${t1}", "subject": "Printer on floor 3 jams", "url": testBaseURL + "/tickets/${t1}"}},
		{name: "number with hash", method: "GET", path: "/api/v1/tickets/%23${t1}", as: "alice", status: 200, want: map[string]any{"number": "${t1}"}},
		{name: "non-numeric number", method: "GET", path: "/api/v1/tickets/abc", as: "alice", status: 404, want: map[string]any{"code": "not_found"}},
		{name: "missing ticket", method: "GET", path: "/api/v1/tickets/999999", as: "admin", status: 404},
		{name: "requester cannot take", method: "POST", path: "/api/v1/tickets/${t1}/actions", as: "alice", body: `{"action": "take"}`, status: 403},
		{name: "agent takes", method: "POST", path: "/api/v1/tickets/${t1}/actions", as: "anna", body: `{"action": "take"}`, status: 200,
			want: map[string]any{"state": "open", "assignee": "anna@example.org"}},
		{name: "unknown action", method: "POST", path: "/api/v1/tickets/${t1}/actions", as: "anna", body: `{"action": "explode"}`, status: 400, present: []string{"errors.action"}},
		{name: "agent asks", method: "POST", path: "/api/v1/tickets/${t1}/entries", as: "anna",
			body: `{"kind": "question", "body": "Which printer model?"}`, status: 201,
			want: map[string]any{"kind": "question", "author": "anna@example.org", "visibility": "public", "channel": "api"}},
		{name: "ticket waits", method: "GET", path: "/api/v1/tickets/${t1}", as: "alice", status: 200, want: map[string]any{"state": "waiting"}},
		{name: "requester answers", method: "POST", path: "/api/v1/tickets/${t1}/entries", as: "alice",
			body: `{"kind": "answer", "body": "HP LaserJet 4250"}`, status: 201, want: map[string]any{"kind": "answer"}},
		{name: "ticket open again", method: "GET", path: "/api/v1/tickets/${t1}", as: "anna", status: 200, want: map[string]any{"state": "open"}},
		{name: "staff note", method: "POST", path: "/api/v1/tickets/${t1}/entries", as: "anna",
			body: `{"kind": "comment", "body": "Toner order 4711", "visibility": "staff"}`, status: 201, want: map[string]any{"visibility": "staff"}},
		{name: "queue note", method: "POST", path: "/api/v1/tickets/${t1}/entries", as: "anna",
			body: `{"kind": "comment", "body": "Queue-only remark", "visibility": "queue"}`, status: 201},
		{name: "phone note", method: "POST", path: "/api/v1/tickets/${t1}/entries", as: "anna",
			body: `{"kind": "comment", "body": "Called back, no answer.", "channel": "phone"}`, status: 201, want: map[string]any{"channel": "phone"}},
		{name: "requester cannot write staff notes", method: "POST", path: "/api/v1/tickets/${t1}/entries", as: "alice",
			body: `{"kind": "comment", "body": "psst", "visibility": "staff"}`, status: 403},
		{name: "unknown entry kind", method: "POST", path: "/api/v1/tickets/${t1}/entries", as: "anna",
			body: `{"kind": "shout", "body": "x"}`, status: 400, present: []string{"errors.kind"}},
		{name: "requester timeline hides staff entries", method: "GET", path: "/api/v1/tickets/${t1}/entries", as: "alice", status: 200,
			check: entryBodies([]string{"Every second page.", "Which printer model?", "HP LaserJet 4250"}, []string{"Toner order 4711", "Queue-only remark"})},
		{name: "other agent sees staff but not queue entries", method: "GET", path: "/api/v1/tickets/${t1}/entries", as: "paul", status: 200,
			check: entryBodies([]string{"Toner order 4711"}, []string{"Queue-only remark"})},
		{name: "member sees queue entries", method: "GET", path: "/api/v1/tickets/${t1}/entries", as: "anna", status: 200,
			check: entryBodies([]string{"Every second page.", "Toner order 4711", "Queue-only remark"}, nil)},
		{name: "agent resolves", method: "POST", path: "/api/v1/tickets/${t1}/actions", as: "anna", body: `{"action": "resolve"}`, status: 200,
			want: map[string]any{"state": "resolved"}, present: []string{"resolved_at"}},
		{name: "requester closes", method: "POST", path: "/api/v1/tickets/${t1}/actions", as: "alice", body: `{"action": "close"}`, status: 200,
			want: map[string]any{"state": "closed", "close_reason": "solved"}, present: []string{"closed_at"}},
		{name: "close twice is refused", method: "POST", path: "/api/v1/tickets/${t1}/actions", as: "alice", body: `{"action": "close"}`, status: 409,
			want: map[string]any{"code": "conflict"}},

		// Editing with optimistic versions.
		{name: "second ticket", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Servicedesk", "subject": "VPN drops", "description": "Since Monday."}`, status: 201,
			save: map[string]string{"t2": "number", "t2v0": "version"}, want: map[string]any{"due": nil, "priority": "normal"}},
		{name: "agent edits", method: "PATCH", path: "/api/v1/tickets/${t2}", as: "anna",
			body:   `{"version": ${v:t2}, "subject": "VPN drops every hour", "priority": "urgent", "due": "2030-02-01T12:00:00+01:00"}`,
			status: 200, want: map[string]any{"subject": "VPN drops every hour", "priority": "urgent", "due": "2030-02-01T11:00:00Z"}},
		{name: "stale version", method: "PATCH", path: "/api/v1/tickets/${t2}", as: "anna",
			body: `{"version": ${t2v0}, "subject": "Overwritten?"}`, status: 409, want: map[string]any{"code": "conflict"}},
		{name: "edit kept", method: "GET", path: "/api/v1/tickets/${t2}", as: "anna", status: 200, want: map[string]any{"subject": "VPN drops every hour"}},
		{name: "missing version", method: "PATCH", path: "/api/v1/tickets/${t2}", as: "anna",
			body: `{"subject": "No version"}`, status: 400, present: []string{"errors.version"}},
		{name: "null subject", method: "PATCH", path: "/api/v1/tickets/${t2}", as: "anna",
			body: `{"version": ${v:t2}, "subject": null}`, status: 400, present: []string{"errors.subject"}},
		{name: "bad due", method: "PATCH", path: "/api/v1/tickets/${t2}", as: "anna",
			body: `{"version": ${v:t2}, "due": "next week"}`, status: 400, present: []string{"errors.due"}},
		{name: "unknown patch field", method: "PATCH", path: "/api/v1/tickets/${t2}", as: "anna",
			body: `{"version": ${v:t2}, "state": "closed"}`, status: 400, want: map[string]any{"errors.state": "unknown field"}},
		{name: "due null clears", method: "PATCH", path: "/api/v1/tickets/${t2}", as: "anna",
			body: `{"version": ${v:t2}, "due": null, "cc": ["bob@example.org"]}`, status: 200,
			want: map[string]any{"due": nil, "cc": []any{"bob@example.org"}, "subject": "VPN drops every hour"}},
		{name: "cc null empties", method: "PATCH", path: "/api/v1/tickets/${t2}", as: "anna",
			body: `{"version": ${v:t2}, "cc": null}`, status: 200, want: map[string]any{"cc": []any{}}},
		{name: "requester cannot edit the cc", method: "PATCH", path: "/api/v1/tickets/${t2}", as: "alice",
			body: `{"version": ${v:t2}, "cc": ["bob@example.org"]}`, status: 403},
		{name: "stale action", method: "POST", path: "/api/v1/tickets/${t2}/actions", as: "anna",
			body: `{"action": "resolve", "version": ${t2v0}}`, status: 409},
		{name: "assign to non-member", method: "POST", path: "/api/v1/tickets/${t2}/actions", as: "anna",
			body: `{"action": "assign", "assignee": "paul@example.org"}`, status: 400, present: []string{"errors.assignee"}},
		{name: "watch", method: "POST", path: "/api/v1/tickets/${t2}/actions", as: "paul", body: `{"action": "watch"}`, status: 200,
			want: map[string]any{"watchers": []any{"paul@example.org"}}},
		{name: "link", method: "POST", path: "/api/v1/tickets/${t2}/actions", as: "anna",
			body: `{"action": "link", "ticket": "#${t1}", "link_kind": "related"}`, status: 200,
			want: map[string]any{"links.0.number": "${t1}", "links.0.kind": "related"}},

		// Confidential tickets are not found by those who may not see them.
		{name: "confidential ticket", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Security", "subject": "Phishing mail received", "description": "It asks for my password."}`, status: 201,
			want: map[string]any{"confidential": true}, save: map[string]string{"t3": "number"}},
		{name: "requester attaches to confidential", method: "POST", path: "/api/v1/tickets/${t3}/attachments", as: "alice",
			header: mp(pngType), body: pngBody, status: 201, save: map[string]string{"a3": "items.0.id"}},
		{name: "member sees confidential", method: "GET", path: "/api/v1/tickets/${t3}", as: "sam", status: 200, want: map[string]any{"confidential": true}},
		{name: "member downloads confidential", method: "GET", path: "/api/v1/tickets/${t3}/attachments/${a3}", as: "sam", status: 200},
		{name: "non-member agent: get", method: "GET", path: "/api/v1/tickets/${t3}", as: "paul", status: 404, want: map[string]any{"code": "not_found"}},
		{name: "non-member agent: entries", method: "GET", path: "/api/v1/tickets/${t3}/entries", as: "paul", status: 404},
		{name: "non-member agent: add entry", method: "POST", path: "/api/v1/tickets/${t3}/entries", as: "paul", body: `{"kind": "comment", "body": "hi"}`, status: 404},
		{name: "non-member agent: attachments", method: "GET", path: "/api/v1/tickets/${t3}/attachments", as: "paul", status: 404},
		{name: "non-member agent: upload", method: "POST", path: "/api/v1/tickets/${t3}/attachments", as: "paul", header: mp(twoType), body: twoBody, status: 404},
		{name: "non-member agent: download", method: "GET", path: "/api/v1/tickets/${t3}/attachments/${a3}", as: "paul", status: 404},
		{name: "non-member agent: action", method: "POST", path: "/api/v1/tickets/${t3}/actions", as: "paul", body: `{"action": "watch"}`, status: 404},
		{name: "non-member agent: patch", method: "PATCH", path: "/api/v1/tickets/${t3}", as: "paul", body: `{"version": ${v:t3}, "priority": "low"}`, status: 404},
		{name: "non-member admin: get", method: "GET", path: "/api/v1/tickets/${t3}", as: "admin", status: 404},
		{name: "other requester: get", method: "GET", path: "/api/v1/tickets/${t3}", as: "bob", status: 404},
		{name: "other requester: entries", method: "GET", path: "/api/v1/tickets/${t3}/entries", as: "bob", status: 404},
		{name: "other requester: attachments", method: "GET", path: "/api/v1/tickets/${t3}/attachments", as: "bob", status: 404},
		{name: "other requester: download", method: "GET", path: "/api/v1/tickets/${t3}/attachments/${a3}", as: "bob", status: 404},
		{name: "other requester: action", method: "POST", path: "/api/v1/tickets/${t3}/actions", as: "bob", body: `{"action": "withdraw"}`, status: 404},
		{name: "other requester: patch", method: "PATCH", path: "/api/v1/tickets/${t3}", as: "bob", body: `{"version": ${v:t3}, "subject": "mine"}`, status: 404},
		{name: "other requester: non-confidential is hidden too", method: "GET", path: "/api/v1/tickets/${t1}", as: "bob", status: 404},

		// Search lists and counts only what the caller may see.
		{name: "bob opens ticket", method: "POST", path: "/api/v1/tickets", as: "bob",
			body: `{"queue": "Servicedesk", "subject": "Laptop battery", "description": "Swollen."}`, status: 201, save: map[string]string{"t4": "number"}},
		{name: "search as non-member agent", method: "GET", path: "/api/v1/tickets", as: "paul", status: 200,
			want: map[string]any{"total": 3, "page": 1, "per_page": 25}, check: hasNumbers("t1", "t2", "t4")},
		{name: "search as member", method: "GET", path: "/api/v1/tickets", as: "sam", status: 200, want: map[string]any{"total": 4}, check: hasNumbers("t1", "t2", "t3", "t4")},
		{name: "search as non-member admin", method: "GET", path: "/api/v1/tickets", as: "admin", status: 200, want: map[string]any{"total": 3}},
		{name: "search as requester", method: "GET", path: "/api/v1/tickets", as: "alice", status: 200, want: map[string]any{"total": 3}, check: hasNumbers("t1", "t2", "t3")},
		{name: "search as other requester", method: "GET", path: "/api/v1/tickets", as: "bob", status: 200, want: map[string]any{"total": 1}, check: hasNumbers("t4")},
		{name: "hidden queue counts nothing", method: "GET", path: "/api/v1/tickets?queue=Security", as: "paul", status: 200, want: map[string]any{"total": 0, "items": []any{}}},
		{name: "member's queue", method: "GET", path: "/api/v1/tickets?queue=Security", as: "sam", status: 200, want: map[string]any{"total": 1}},
		{name: "full text respects visibility", method: "GET", path: "/api/v1/tickets?q=phishing", as: "paul", status: 200, want: map[string]any{"total": 0}},
		{name: "full text finds", method: "GET", path: "/api/v1/tickets?q=phishing", as: "sam", status: 200, want: map[string]any{"total": 1}, check: hasNumbers("t3")},
		{name: "states repeated and comma-separated", method: "GET", path: "/api/v1/tickets?state=new,waiting&state=closed", as: "alice", status: 200,
			check: hasNumbers("t1", "t2", "t3")},
		{name: "state filter", method: "GET", path: "/api/v1/tickets?state=closed", as: "sam", status: 200, want: map[string]any{"total": 1}, check: hasNumbers("t1")},
		{name: "requester filter", method: "GET", path: "/api/v1/tickets?requester=alice@example.org", as: "paul", status: 200, check: hasNumbers("t1", "t2")},
		{name: "assignee filter", method: "GET", path: "/api/v1/tickets?assignee=anna@example.org", as: "paul", status: 200, check: hasNumbers("t1")},
		{name: "priority filter", method: "GET", path: "/api/v1/tickets?priority=urgent", as: "paul", status: 200, check: hasNumbers("t2")},
		{name: "created after", method: "GET", path: "/api/v1/tickets?created_after=2000-01-01", as: "bob", status: 200, want: map[string]any{"total": 1}},
		{name: "created before", method: "GET", path: "/api/v1/tickets?created_before=2000-01-01T00:00:00Z", as: "bob", status: 200, want: map[string]any{"total": 0}},
		{name: "paging", method: "GET", path: "/api/v1/tickets?per_page=1&page=2&sort=number", as: "sam", status: 200,
			want: map[string]any{"total": 4, "page": 2, "per_page": 1, "items.#": 1, "items.0.number": "${t2}"}},
		{name: "bad search values", method: "GET", path: "/api/v1/tickets?state=bogus&created_after=yesterday&per_page=1000&sort=color", as: "sam", status: 400,
			present: []string{"errors.state", "errors.created_after", "errors.per_page", "errors.sort"}},

		// Attachments.
		{name: "upload", method: "POST", path: "/api/v1/tickets/${t2}/attachments", as: "alice", header: mp(pngType), body: pngBody, status: 201,
			want: map[string]any{"items.#": 1, "items.0.name": "screen shot ä.png", "items.0.content_type": "image/png",
				"items.0.size": len(pngBytes), "items.0.visibility": "public", "items.0.uploader": "alice@example.org"},
			save: map[string]string{"a1": "items.0.id"}},
		{name: "download", method: "GET", path: "/api/v1/tickets/${t2}/attachments/${a1}", as: "alice", status: 200,
			wantHeader: map[string]string{
				"Content-Type":            "image/png",
				"X-Content-Type-Options":  "nosniff",
				"Content-Security-Policy": "sandbox",
				"Content-Disposition":     "attachment; filename*=utf-8''screen%20shot%20%C3%A4.png",
			},
			check: func(t *testing.T, _ *env, _ *http.Response, body []byte) {
				if string(body) != pngBytes {
					t.Errorf("downloaded %q, want %q", body, pngBytes)
				}
			}},
		{name: "staff-only upload", method: "POST", path: "/api/v1/tickets/${t2}/attachments", as: "anna", header: mp(staffType), body: staffBody, status: 201,
			want: map[string]any{"items.0.visibility": "staff", "items.0.content_type": "text/plain; charset=utf-8"}, save: map[string]string{"a2": "items.0.id"}},
		{name: "two files at once", method: "POST", path: "/api/v1/tickets/${t2}/attachments?visibility=queue", as: "anna", header: mp(twoType), body: twoBody, status: 201,
			want: map[string]any{"items.#": 2, "items.0.name": "a.txt", "items.1.name": "b.txt", "items.1.visibility": "queue"}},
		{name: "requester lists public attachments only", method: "GET", path: "/api/v1/tickets/${t2}/attachments", as: "alice", status: 200,
			check: attachmentNames("screen shot ä.png")},
		{name: "other agent lists staff attachments", method: "GET", path: "/api/v1/tickets/${t2}/attachments", as: "paul", status: 200,
			check: attachmentNames("screen shot ä.png", "notes.txt")},
		{name: "member lists all", method: "GET", path: "/api/v1/tickets/${t2}/attachments", as: "anna", status: 200,
			check: attachmentNames("screen shot ä.png", "notes.txt", "a.txt", "b.txt")},
		{name: "requester cannot download staff file", method: "GET", path: "/api/v1/tickets/${t2}/attachments/${a2}", as: "alice", status: 404},
		{name: "attachment of another ticket", method: "GET", path: "/api/v1/tickets/${t1}/attachments/${a1}", as: "anna", status: 404},
		{name: "non-numeric attachment", method: "GET", path: "/api/v1/tickets/${t2}/attachments/x", as: "anna", status: 404},
		{name: "oversize file", method: "POST", path: "/api/v1/tickets/${t2}/attachments", as: "alice", header: mp(bigType), body: bigBody, status: 413,
			want: map[string]any{"code": "too_large"}},
		{name: "oversize body", method: "POST", path: "/api/v1/tickets/${t4}/attachments", as: "bob", header: mp(manyType), body: manyBody, status: 413,
			want: map[string]any{"code": "too_large"}},
		{name: "upload as JSON", method: "POST", path: "/api/v1/tickets/${t2}/attachments", as: "alice", body: `{"file": "x"}`, status: 415},
		{name: "upload without file", method: "POST", path: "/api/v1/tickets/${t2}/attachments", as: "alice", header: mp(noFileType), body: noFileBody, status: 400,
			present: []string{"errors.file"}},
		{name: "upload with unknown field", method: "POST", path: "/api/v1/tickets/${t2}/attachments", as: "alice", header: mp(unknownType), body: unknownBody, status: 400,
			present: []string{"errors.visiblity"}},
		{name: "upload with bad visibility", method: "POST", path: "/api/v1/tickets/${t2}/attachments", as: "alice", header: mp(badVisType), body: badVisBody, status: 400,
			present: []string{"errors.visibility"}},
		{name: "upload with late visibility", method: "POST", path: "/api/v1/tickets/${t4}/attachments", as: "bob", header: mp(lateType), body: lateBody, status: 400,
			present: []string{"errors.visibility"}},
		{name: "upload to missing ticket", method: "POST", path: "/api/v1/tickets/999999/attachments", as: "anna", header: mp(twoType), body: twoBody, status: 404},

		// Requests the API refuses before the desk sees them.
		{name: "no token", method: "GET", path: "/api/v1/tickets/${t1}", status: 401,
			wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="servus"`}},
		{name: "unknown token", method: "GET", path: "/api/v1/tickets", header: map[string]string{"Authorization": "Bearer not-a-token"}, status: 401,
			wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="servus", error="invalid_token"`}},
		{name: "form body", method: "POST", path: "/api/v1/tickets", as: "alice", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			body: `queue=Servicedesk`, status: 415},
		{name: "broken JSON", method: "POST", path: "/api/v1/tickets", as: "alice", body: `{"queue": "Servicedesk",`, status: 400},
		{name: "wrong JSON type", method: "POST", path: "/api/v1/tickets", as: "alice", body: `{"queue": "Servicedesk", "subject": 5}`, status: 400,
			want: map[string]any{"errors.subject": "must be a string"}},
		{name: "huge JSON", method: "POST", path: "/api/v1/tickets", as: "alice", header: map[string]string{"Content-Type": json},
			body: `{"queue": "Servicedesk", "subject": "x", "description": "` + strings.Repeat("x", 1<<20) + `"}`, status: 413},
		{name: "requester withdraws", method: "POST", path: "/api/v1/tickets/${t4}/actions", as: "bob", body: `{"action": "withdraw"}`, status: 200,
			want: map[string]any{"state": "closed", "close_reason": "withdrawn"}},
		{name: "openapi without token", method: "GET", path: "/api/v1/openapi.json", status: 200},
	}
}
