package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestAuditAPI reads the audit log over the API on both databases: an
// auditor and an admin may (JSON and CSV, filtered, paged), an agent and a
// requester get 403; each reading is itself a row; an auditor finds no
// ticket. Every answer is checked against openapi.json.
func TestAuditAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, auditScenarios())
		})
	}
}

// auditRows decodes {items} and checks each row with ok.
func auditRows(min int, ok func(action, actor string, ticket float64, detail string) bool) func(t *testing.T, e *env, res *http.Response, body []byte) {
	return func(t *testing.T, e *env, res *http.Response, body []byte) {
		t.Helper()
		var p struct {
			Items []struct {
				At     string  `json:"at"`
				Actor  string  `json:"actor"`
				Action string  `json:"action"`
				Ticket float64 `json:"ticket"`
				Detail string  `json:"detail"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Items) < min {
			t.Errorf("got %d rows, want at least %d: %s", len(p.Items), min, body)
		}
		for _, it := range p.Items {
			if !ok(it.Action, it.Actor, it.Ticket, it.Detail) {
				t.Errorf("got row %+v", it)
			}
		}
	}
}

func auditScenarios() []scenario {
	user := func(email, role string) scenario {
		return scenario{name: "user " + email, method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "` + email + `", "name": "N", "role": "` + role + `"}`, status: 201, want: map[string]any{"role": role}}
	}
	get := func(name, as, query string, status int) scenario {
		return scenario{name: name, method: "GET", path: "/api/v1/audit" + query, as: as, status: status}
	}
	with := func(sc scenario, check func(t *testing.T, e *env, res *http.Response, body []byte)) scenario {
		sc.check = check
		return sc
	}
	return []scenario{
		user("olga@example.org", "auditor"), user("anna@example.org", "agent"), user("alice@example.org", "requester"),
		operatorToken("olga@example.org", "tok:olga"), operatorToken("anna@example.org", "tok:anna"), operatorToken("alice@example.org", "tok:alice"),
		{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Security", "default": true, "confidential": true}`, status: 201},
		{name: "member", method: "POST", path: "/api/v1/queues/Security/members", as: "admin", body: `{"email": "anna@example.org"}`, status: 204},
		{name: "ticket", method: "POST", path: "/api/v1/tickets", as: "alice", body: `{"queue": "Security", "subject": "Phishing", "description": "d"}`, status: 201, save: map[string]string{"t1": "number"}},
		{name: "anna reads it", method: "GET", path: "/api/v1/tickets/${t1}", as: "anna", status: 200},

		// An auditor sees no ticket and opens none.
		{name: "auditor: no ticket", method: "GET", path: "/api/v1/tickets/${t1}", as: "olga", status: 404},
		{name: "auditor: no search", method: "GET", path: "/api/v1/tickets", as: "olga", status: 200, want: map[string]any{"total": 0}},
		{name: "auditor: opens none", method: "POST", path: "/api/v1/tickets", as: "olga", body: `{"queue": "Security", "subject": "x", "description": "d"}`, status: 403},

		// The log.
		with(get("auditor reads all", "olga", "", 200), auditRows(5, func(string, string, float64, string) bool { return true })),
		with(get("by action", "olga", "?action=ticket.view", 200), auditRows(1, func(action, actor string, tk float64, _ string) bool {
			return action == "ticket.view" && actor == "anna@example.org" && tk == 1
		})),
		with(get("a family", "olga", "?action=user.", 200), auditRows(3, func(action, _ string, _ float64, _ string) bool { return strings.HasPrefix(action, "user.") })),
		with(get("by actor", "admin", "?actor=anna@example.org", 200), auditRows(1, func(_, actor string, _ float64, _ string) bool { return actor == "anna@example.org" })),
		with(get("by ticket", "olga", "?ticket=${t1}", 200), auditRows(1, func(_, _ string, tk float64, _ string) bool { return tk == 1 })),
		with(get("by time", "olga", "?after=2000-01-01&before=2000-01-02", 200), auditRows(0, func(string, string, float64, string) bool { return false })),
		{name: "paged", method: "GET", path: "/api/v1/audit?action=user.&actor=admin@example.org&per_page=1&page=2", as: "olga", status: 200, want: map[string]any{"items.#": 1, "total": 3, "page": 2, "per_page": 1}},
		with(get("the readings are rows", "olga", "?action=audit.read&actor=olga@example.org", 200), auditRows(7, func(action, actor string, _ float64, _ string) bool {
			return action == "audit.read" && actor == "olga@example.org"
		})),
		{name: "CSV", method: "GET", path: "/api/v1/audit?action=user.&actor=admin@example.org&format=csv", as: "olga", status: 200,
			wantHeader: map[string]string{"Content-Type": "text/csv; charset=utf-8"},
			check: func(t *testing.T, e *env, res *http.Response, body []byte) {
				recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
				if err != nil {
					t.Fatalf("CSV: %v\n%s", err, body)
				}
				if len(recs) != 4 || strings.Join(recs[0], ",") != "at,actor,action,ticket,detail" {
					t.Fatalf("CSV: got %q, want a header and 3 rows", recs)
				}
				for _, r := range recs[1:] {
					if !strings.HasPrefix(r[2], "user.") || r[1] != "admin@example.org" {
						t.Errorf("CSV row %q, want a user row by the admin", r)
					}
				}
			}},

		// Bad filters, and those who may not read.
		get("bad ticket", "olga", "?ticket=x", 400),
		get("bad time", "olga", "?after=yesterday", 400),
		get("bad format", "olga", "?format=xml", 400),
		get("agent", "anna", "", 403),
		get("requester", "alice", "", 403),
		get("agent CSV", "anna", "?format=csv", 403),
		get("no token", "", "", 401),

		// The monthly summary: auditors and admins, JSON and CSV.
		get("summary", "olga", "/summary?month=2026-11", 200),
		get("summary, admin", "admin", "/summary?month=2026-11", 200),
		{name: "summary CSV", method: "GET", path: "/api/v1/audit/summary?month=2026-11&format=csv", as: "olga", status: 200,
			wantHeader: map[string]string{"Content-Type": "text/csv; charset=utf-8"}},
		get("summary, bad month", "olga", "/summary?month=2026-13", 400),
		get("summary, agent", "anna", "/summary?month=2026-11", 403),
		get("summary, requester", "alice", "/summary?month=2026-11", 403),
	}
}
