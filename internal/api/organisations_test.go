package api

import (
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestOrganisationsAPI manages institutes and their IT delegates over both
// databases: domains assign new accounts, a delegate sees the members'
// non-confidential tickets (public entries only) and opens tickets for
// members, and is refused everything else; every answer is checked against
// openapi.json.
func TestOrganisationsAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, storetest.Open(t, dialect))
			e.run(t, organisationScenarios())
		})
	}
}

func organisationScenarios() []scenario {
	user := func(email, role string) scenario {
		return scenario{name: "user " + email, method: "POST", path: "/api/v1/users", as: "admin",
			body: `{"email": "` + email + `", "name": "` + email + `", "role": "` + role + `"}`, status: 201}
	}
	return []scenario{
		{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
		{name: "create", method: "POST", path: "/api/v1/organisations", as: "admin",
			body: `{"name": "Institut für Physik", "domains": ["physik.uni.example", "@Astro.Uni.Example", "physik.uni.example"]}`, status: 201,
			want: map[string]any{"name": "Institut für Physik", "domains.#": 2, "domains.0": "astro.uni.example", "members": 0}},
		{name: "same name", method: "POST", path: "/api/v1/organisations", as: "admin", body: `{"name": "institut für physik"}`, status: 409},
		{name: "taken domain", method: "POST", path: "/api/v1/organisations", as: "admin", body: `{"name": "Chemie", "domains": ["physik.uni.example"]}`, status: 409},
		{name: "bad domain", method: "POST", path: "/api/v1/organisations", as: "admin", body: `{"name": "Chemie", "domains": ["nodot"]}`, status: 400,
			want: map[string]any{"errors.domains": "nodot is not a domain"}},
		{name: "no name", method: "POST", path: "/api/v1/organisations", as: "admin", body: `{"domains": []}`, status: 400},
		{name: "second", method: "POST", path: "/api/v1/organisations", as: "admin", body: `{"name": "Chemie", "directory_value": "CHEM"}`, status: 201,
			want: map[string]any{"directory_value": "chem"}},
		user("alice@physik.uni.example", "requester"), user("ben@sub.astro.uni.example", "requester"),
		user("dora@example.org", "requester"), user("carl@example.org", "requester"),
		operatorToken("alice@physik.uni.example", "tok:alice"), operatorToken("dora@example.org", "tok:dora"),
		operatorToken("carl@example.org", "tok:carl"),
		{name: "list", method: "GET", path: "/api/v1/organisations", as: "admin", status: 200,
			want: map[string]any{"items.#": 2, "items.0.name": "Chemie", "items.1.members": 2}},
		{name: "list, not admin", method: "GET", path: "/api/v1/organisations", as: "alice", status: 403},
		{name: "members by domain", method: "GET", path: "/api/v1/organisations/institut%20f%C3%BCr%20physik", as: "admin", status: 200,
			want: map[string]any{"member_list.#": 2, "member_list.0.email": "alice@physik.uni.example", "member_list.0.source": "domain",
				"member_list.1.email": "ben@sub.astro.uni.example"}},
		{name: "alice's plain ticket", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Servicedesk", "subject": "Beamer", "description": "d"}`, status: 201, save: map[string]string{"t1": "number"}},
		{name: "alice's confidential ticket", method: "POST", path: "/api/v1/tickets", as: "alice",
			body: `{"queue": "Servicedesk", "subject": "Vertraulich", "description": "d", "confidential": true}`, status: 201, save: map[string]string{"t2": "number"}},
		{name: "a staff note", method: "POST", path: "/api/v1/tickets/${t1}/entries", as: "admin",
			body: `{"kind": "comment", "body": "intern", "visibility": "staff"}`, status: 201},
		{name: "delegate, by a requester", method: "POST", path: "/api/v1/organisations/Institut%20f%C3%BCr%20Physik/members", as: "alice",
			body: `{"email": "dora@example.org", "delegate": true}`, status: 403},
		{name: "delegate, unknown person", method: "POST", path: "/api/v1/organisations/Institut%20f%C3%BCr%20Physik/members", as: "admin",
			body: `{"email": "nobody@example.org", "delegate": true}`, status: 404},
		{name: "delegate, unknown institute", method: "POST", path: "/api/v1/organisations/Mathe/members", as: "admin",
			body: `{"email": "dora@example.org"}`, status: 404},
		{name: "delegate", method: "POST", path: "/api/v1/organisations/Institut%20f%C3%BCr%20Physik/members", as: "admin",
			body: `{"email": "dora@example.org", "delegate": true}`, status: 200,
			want: map[string]any{"email": "dora@example.org", "delegate": true, "source": "admin", "organisation": "Institut für Physik"}},
		{name: "delegate sees the plain ticket", method: "GET", path: "/api/v1/tickets/${t1}", as: "dora", status: 200},
		{name: "public entries only", method: "GET", path: "/api/v1/tickets/${t1}/entries", as: "dora", status: 200,
			want: map[string]any{"items.#": 1, "items.0.kind": "description"}},
		{name: "not the confidential one", method: "GET", path: "/api/v1/tickets/${t2}", as: "dora", status: 404},
		{name: "search", method: "GET", path: "/api/v1/tickets", as: "dora", status: 200, want: map[string]any{"total": 1, "items.0.number": "${t1}"}},
		{name: "delegate does not write", method: "POST", path: "/api/v1/tickets/${t1}/entries", as: "dora",
			body: `{"kind": "comment", "body": "x"}`, status: 403},
		{name: "on behalf of a member", method: "POST", path: "/api/v1/tickets", as: "dora",
			body: `{"queue": "Servicedesk", "subject": "Für Ben", "description": "d", "requester": "ben@sub.astro.uni.example"}`, status: 201,
			want: map[string]any{"requester": "ben@sub.astro.uni.example"}, save: map[string]string{"t3": "number"}},
		{name: "on behalf, confidential", method: "POST", path: "/api/v1/tickets", as: "dora",
			body: `{"queue": "Servicedesk", "subject": "x", "description": "d", "requester": "ben@sub.astro.uni.example", "confidential": true}`, status: 403},
		{name: "on behalf of a non-member", method: "POST", path: "/api/v1/tickets", as: "dora",
			body: `{"queue": "Servicedesk", "subject": "x", "description": "d", "requester": "carl@example.org"}`, status: 403},
		{name: "on behalf of a stranger", method: "POST", path: "/api/v1/tickets", as: "dora",
			body: `{"queue": "Servicedesk", "subject": "x", "description": "d", "requester": "new@example.org"}`, status: 403},
		{name: "a requester opens for themself only", method: "POST", path: "/api/v1/tickets", as: "carl",
			body: `{"queue": "Servicedesk", "subject": "x", "description": "d", "requester": "alice@physik.uni.example"}`, status: 403},
		{name: "non-member sees nothing", method: "GET", path: "/api/v1/tickets/${t1}", as: "carl", status: 404},
		{name: "change", method: "PATCH", path: "/api/v1/organisations/Institut%20f%C3%BCr%20Physik", as: "admin",
			body: `{"domains": ["physik.uni.example"], "directory_value": "PHYS"}`, status: 200,
			want: map[string]any{"domains.#": 1, "directory_value": "phys"}},
		{name: "directory value taken", method: "PATCH", path: "/api/v1/organisations/Chemie", as: "admin", body: `{"directory_value": "phys"}`, status: 409},
		{name: "remove, not a member", method: "DELETE", path: "/api/v1/organisations/Chemie/members/dora@example.org", as: "admin", status: 404},
		{name: "remove the delegate", method: "DELETE", path: "/api/v1/organisations/Institut%20f%C3%BCr%20Physik/members/dora@example.org", as: "admin", status: 204},
		{name: "no longer a delegate", method: "GET", path: "/api/v1/tickets/${t1}", as: "dora", status: 404},
		{name: "delete", method: "DELETE", path: "/api/v1/organisations/Chemie", as: "admin", status: 204},
		{name: "deleted", method: "GET", path: "/api/v1/organisations/Chemie", as: "admin", status: 404},
		{name: "audited", method: "GET", path: "/api/v1/audit?action=org.member", as: "admin", status: 200, want: map[string]any{"total": 1}},
	}
}
