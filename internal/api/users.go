package api

import (
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// createUser is POST /api/v1/users (admins): {email, name, role, password?,
// language?, service? | kind?} → 201 with the user; service true (or kind
// "service") makes a service account.
func (h *handler) createUser(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Email    string      `json:"email"`
		Name     string      `json:"name"`
		Role     ticket.Role `json:"role"`
		Password string      `json:"password"`
		Language string      `json:"language"`
		Service  bool        `json:"service"`
		Kind     string      `json:"kind"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if k := ticket.UserKind(in.Kind); k != "" && k != ticket.KindPerson && k != ticket.KindService ||
		in.Service && k == ticket.KindPerson {
		v := ticket.Validation{}
		v.Add("kind", "problem.user_kind")
		h.fail(w, r, v.Err())
		return
	}
	u, err := h.svc.CreateUser(r.Context(), a, desk.NewUser{
		Email:    in.Email,
		Name:     in.Name,
		Role:     in.Role,
		Password: in.Password,
		Language: in.Language,
		Service:  in.Service || in.Kind == string(ticket.KindService),
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, userView(u))
}

// createToken is POST /api/v1/users/{email}/tokens (the user themself;
// admins for service accounts, 403 for a person): no body → 201 {token}.
// The token is shown this once.
func (h *handler) createToken(w http.ResponseWriter, r *http.Request, a access.Actor) {
	token, err := h.svc.CreateToken(r.Context(), a, r.PathValue("email"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, map[string]string{"token": token})
}
