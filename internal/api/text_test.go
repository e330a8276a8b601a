package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// NUL in JSON text fields and filters is cleaned, never a 500, on both
// databases.
func TestNULThroughAPI(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, storetest.Open(t, d))
			if _, err := e.svc.CreateQueue(context.Background(), access.System, desk.NewQueue{Name: "Servicedesk", Default: true}); err != nil {
				t.Fatal(err)
			}
			e.run(t, []scenario{
				{name: "ticket with NUL", method: "POST", path: "/api/v1/tickets", as: "admin",
					body:   `{"queue": "Servicedesk", "subject": "a\u0000b\r\nc", "description": "x\u0000y"}`,
					status: http.StatusCreated, want: map[string]any{"subject": "ab  c"}},
				{name: "comment with NUL", method: "POST", path: "/api/v1/tickets/1/entries", as: "admin",
					body: `{"kind": "comment", "body": "n\u0000ul"}`, status: http.StatusCreated, want: map[string]any{"body": "nul"}},
				{name: "filter with NUL", method: "GET", path: "/api/v1/tickets?q=a%00b&requester=x%00y", as: "admin", status: http.StatusOK},
			})
		})
	}
}
