package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// An admin creates tokens for service accounts only, never for a person
// (403); a person creates their own.
func TestTokensAPI(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, storetest.Open(t, d))
			if _, err := e.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "ida@example.org", Name: "Ida", Role: ticket.RoleAgent}); err != nil {
				t.Fatal(err)
			}
			tok, err := e.svc.CreateToken(ctx, access.System, "ida@example.org")
			if err != nil {
				t.Fatal(err)
			}
			e.vars["tok:Ida"] = tok
			e.run(t, []scenario{
				{name: "admin: no token for a person", method: "POST", path: "/api/v1/users/ida@example.org/tokens", as: "admin", status: http.StatusForbidden},
				{name: "person: own token", method: "POST", path: "/api/v1/users/ida@example.org/tokens", as: "Ida", status: http.StatusCreated, present: []string{"token"}},
				{name: "person: nobody else's", method: "POST", path: "/api/v1/users/admin@example.org/tokens", as: "Ida", status: http.StatusForbidden},
				{name: "admin creates a service account", method: "POST", path: "/api/v1/users", as: "admin",
					body:   map[string]any{"email": "monitor@example.org", "name": "Monitoring", "role": "agent", "service": true},
					status: http.StatusCreated, want: map[string]any{"kind": "service"}},
				{name: "or by kind", method: "POST", path: "/api/v1/users", as: "admin",
					body:   map[string]any{"email": "backup@example.org", "name": "Backup", "role": "agent", "kind": "service"},
					status: http.StatusCreated, want: map[string]any{"kind": "service"}},
				{name: "a service account has no password", method: "POST", path: "/api/v1/users", as: "admin",
					body:   map[string]any{"email": "x@example.org", "name": "X", "role": "agent", "service": true, "password": "long enough"},
					status: http.StatusBadRequest},
				{name: "admin: token for the service account", method: "POST", path: "/api/v1/users/monitor@example.org/tokens", as: "admin",
					status: http.StatusCreated, present: []string{"token"}, save: map[string]string{"tok:Monitor": "token"}},
				{name: "the service token works", method: "GET", path: "/api/v1/queues", as: "Monitor", status: http.StatusOK},
			})
		})
	}
}
