package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestReportsAPI reads reports over the API on both databases: staff and
// auditors may (JSON and CSV), a requester gets 403; a queue of one agent
// shows "< 5" cells (null, listed in withheld); every way of asking for a
// figure about a person answers 400 with the works council's reason, and
// no answer names an agent. Every answer is checked against openapi.json.
func TestReportsAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, reportScenarios())
		})
	}
}

func reportScenarios() []scenario {
	user := func(email, name, role string) scenario {
		return scenario{name: "user " + email, method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "` + email + `", "name": "` + name + `", "role": "` + role + `"}`, status: 201}
	}
	// The day in the queues' time zone (the default, Europe/Vienna): a
	// ticket opened at 23:30 UTC in winter counts on the next day there.
	vienna, err := time.LoadLocation("Europe/Vienna")
	if err != nil {
		panic(err)
	}
	today := time.Now().In(vienna).Format("2006-01-02")
	rows := func(check func(t *testing.T, rep map[string]any)) func(t *testing.T, e *env, res *http.Response, body []byte) {
		return func(t *testing.T, e *env, res *http.Response, body []byte) {
			t.Helper()
			var rep map[string]any
			if err := json.Unmarshal(body, &rep); err != nil {
				t.Fatal(err)
			}
			check(t, rep)
		}
	}
	row := func(t *testing.T, rep map[string]any, group string) map[string]any {
		t.Helper()
		for _, r := range rep["rows"].([]any) {
			if m := r.(map[string]any); m["group"] == group {
				return m
			}
		}
		t.Fatalf("no row %q in %v", group, rep["rows"])
		return nil
	}
	sc := []scenario{
		user("olga@example.org", "Olga Auditor", "auditor"), user("anna@example.org", "Anna Solo", "agent"), user("alice@example.org", "Alice", "requester"),
		operatorToken("olga@example.org", "tok:olga"), operatorToken("anna@example.org", "tok:anna"), operatorToken("alice@example.org", "tok:alice"),
		{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
		{name: "solo queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Solo"}`, status: 201},
		{name: "member", method: "POST", path: "/api/v1/queues/Solo/members", as: "admin", body: `{"email": "anna@example.org"}`, status: 204},
	}
	for range 6 {
		sc = append(sc, scenario{name: "ticket", method: "POST", path: "/api/v1/tickets", as: "alice", body: `{"queue": "Servicedesk", "subject": "Drucker", "description": "d"}`, status: 201})
	}
	for range 2 {
		sc = append(sc, scenario{name: "solo ticket", method: "POST", path: "/api/v1/tickets", as: "alice", body: `{"queue": "Solo", "subject": "Frage", "description": "d"}`, status: 201, save: map[string]string{"solo": "number"}})
	}
	sc = append(sc,
		scenario{name: "anna takes and resolves one", method: "POST", path: "/api/v1/tickets/${solo}/actions", as: "anna", body: `{"action": "take"}`, status: 200},
		scenario{name: "figures", setup: func(t *testing.T, e *env) {
			if _, _, err := e.svc.RefreshReports(context.Background(), 0); err != nil {
				t.Fatal(err)
			}
		}},
		scenario{name: "agent by queue", method: "GET", path: "/api/v1/reports?group_by=queue&from=" + today + "&to=" + today, as: "anna", status: 200,
			want: map[string]any{"scope": "visible", "group_by": "queue", "min_cell": 5, "total.created": 8},
			check: rows(func(t *testing.T, rep map[string]any) {
				sd := row(t, rep, "Servicedesk")
				if sd["created"] != 6.0 || sd["backlog"] != 6.0 {
					t.Errorf("Servicedesk: %v, want 6 created and open", sd)
				}
				solo := row(t, rep, "Solo")
				if solo["created"] != nil || !strings.Contains(jsonString(solo["withheld"]), `"created"`) {
					t.Errorf("Solo (one agent, 2 tickets): %v, want created null and withheld", solo)
				}
			})},
		scenario{name: "auditor sees all", method: "GET", path: "/api/v1/reports?group_by=channel", as: "olga", status: 200, want: map[string]any{"scope": "all", "total.created": 8}},
		scenario{name: "by week", method: "GET", path: "/api/v1/reports?group_by=week&from=" + today + "&to=" + today, as: "admin", status: 200, want: map[string]any{"rows.#": 1, "rows.0.created": 8}},
		scenario{name: "requester", method: "GET", path: "/api/v1/reports", as: "alice", status: 403},
		scenario{name: "no token", method: "GET", path: "/api/v1/reports", status: 401},
		scenario{name: "CSV", method: "GET", path: "/api/v1/reports?group_by=queue&format=csv", as: "anna", status: 200,
			wantHeader: map[string]string{"Content-Type": "text/csv; charset=utf-8"},
			check: func(t *testing.T, e *env, res *http.Response, body []byte) {
				s := string(body)
				if !strings.HasPrefix(s, "group,created,solved,backlog,") || !strings.Contains(s, "\nSolo,< 5,< 5,< 5,") || !strings.Contains(s, "\nServicedesk,6,< 5,6,") {
					t.Errorf("CSV:\n%s", s)
				}
			}},
		scenario{name: "bad group", method: "GET", path: "/api/v1/reports?group_by=day", as: "admin", status: 400},
		scenario{name: "unknown parameter", method: "GET", path: "/api/v1/reports?colour=red", as: "admin", status: 400},
		scenario{name: "backwards", method: "GET", path: "/api/v1/reports?from=2026-03-10&to=2026-03-01", as: "admin", status: 400},
		scenario{name: "unknown queue", method: "GET", path: "/api/v1/reports?queue=Nope", as: "admin", status: 400},
	)
	// Every way to ask for a figure about a person.
	for _, q := range []string{
		"group_by=assignee", "group_by=agent", "group_by=author", "group_by=user", "group_by=requester", "group_by=actor",
		"group_by=assignee_id", "group_by=ASSIGNEE", "group_by=by_agent", "group_by=person",
		"assignee=anna@example.org", "assignee_id=2", "author=anna@example.org", "agent=anna@example.org", "user=anna@example.org",
		"user_id=2", "actor=anna@example.org", "requester=alice@example.org", "email=anna@example.org", "person=Anna",
		"owner=anna", "handled_by=anna", "resolver=anna", "staff=anna", "member=anna", "queue=Solo&assignee=anna@example.org",
		"queue=Solo&group_by=assignee&format=csv", "format=csv&author=anna@example.org", "agentId=2", "assigneeEmail=anna@example.org",
	} {
		for _, as := range []string{"admin", "olga", "anna"} {
			sc = append(sc, scenario{name: "person: " + as + " " + q, method: "GET", path: "/api/v1/reports?" + q, as: as, status: 400,
				want: map[string]any{"code": "invalid"},
				check: func(t *testing.T, e *env, res *http.Response, body []byte) {
					if !strings.Contains(string(body), "works council") {
						t.Errorf("%s: %s, want the works council's reason", q, body)
					}
				}})
		}
	}
	// No answer names an agent.
	for _, q := range []string{"group_by=queue", "group_by=channel", "group_by=priority", "group_by=week", "group_by=month", "queue=Solo", "queue=Solo&format=csv", "format=csv"} {
		sc = append(sc, scenario{name: "no person in " + q, method: "GET", path: "/api/v1/reports?" + q, as: "olga", status: 200,
			check: func(t *testing.T, e *env, res *http.Response, body []byte) {
				for _, s := range []string{"anna", "Anna", "Solo@", "alice", "admin@"} {
					if strings.Contains(string(body), s) {
						t.Errorf("%s names %q: %s", q, s, body)
					}
				}
			}})
	}
	return sc
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

var _ = url.Values{}
