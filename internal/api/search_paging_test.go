package api

import (
	"fmt"
	"testing"

	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestSearchCursorAPI pages through a search by cursor, both ways, on both
// databases: next_cursor and prev_cursor on every page that has a
// neighbour, page 0 on a page by cursor, an exact total without
// total_is_lower_bound, and a 400 naming cursor for a malformed one or one
// of another sort. Every answer is checked against openapi.json.
func TestSearchCursorAPI(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, storetest.Open(t, dialect))
			rows := []scenario{
				{name: "queue", method: "POST", path: "/api/v1/queues", as: "admin", body: `{"name": "Servicedesk", "default": true}`, status: 201},
			}
			for i := range 5 {
				rows = append(rows, scenario{name: fmt.Sprintf("ticket %d", i+1), method: "POST", path: "/api/v1/tickets", as: "admin",
					body: fmt.Sprintf(`{"queue": "Servicedesk", "subject": "Drucker %d", "description": "Papierstau"}`, i+1), status: 201})
			}
			rows = append(rows,
				scenario{name: "first page", method: "GET", path: "/api/v1/tickets?q=drucker&sort=number&per_page=2", as: "admin", status: 200,
					want:   map[string]any{"items.#": 2, "items.0.number": 1, "items.1.number": 2, "total": 5, "page": 1},
					absent: []string{"prev_cursor", "total_is_lower_bound"}, save: map[string]string{"c2": "next_cursor"}},
				scenario{name: "second page by cursor", method: "GET", path: "/api/v1/tickets?q=drucker&sort=number&per_page=2&cursor=${c2}", as: "admin", status: 200,
					want:    map[string]any{"items.#": 2, "items.0.number": 3, "items.1.number": 4, "total": 5, "page": 0},
					present: []string{"prev_cursor", "next_cursor"}, save: map[string]string{"c3": "next_cursor", "b2": "prev_cursor"}},
				scenario{name: "last page by cursor", method: "GET", path: "/api/v1/tickets?q=drucker&sort=number&per_page=2&cursor=${c3}", as: "admin", status: 200,
					want: map[string]any{"items.#": 1, "items.0.number": 5}, absent: []string{"next_cursor"}, present: []string{"prev_cursor"}},
				scenario{name: "back to the first page", method: "GET", path: "/api/v1/tickets?q=drucker&sort=number&per_page=2&cursor=${b2}", as: "admin", status: 200,
					want: map[string]any{"items.#": 2, "items.0.number": 1, "items.1.number": 2}, absent: []string{"prev_cursor"}, present: []string{"next_cursor"}},
				scenario{name: "cursor of another sort", method: "GET", path: "/api/v1/tickets?q=drucker&sort=-number&per_page=2&cursor=${c2}", as: "admin", status: 400,
					present: []string{"errors.cursor"}},
				scenario{name: "malformed cursor", method: "GET", path: "/api/v1/tickets?cursor=nonsense", as: "admin", status: 400,
					present: []string{"errors.cursor"}},
			)
			e.run(t, rows)
		})
	}
}
