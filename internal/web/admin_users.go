package web

import (
	"net/http"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// adminUsersData is /admin/users: everyone, and the new-user form as typed
// (never the password).
type adminUsersData struct {
	Tab       string
	Users     *desk.UserList
	New       desk.NewUser
	Roles     []ticket.Role
	Languages []string
}

// adminUsers lists users (admins only).
func (h *handler) adminUsers(w http.ResponseWriter, r *http.Request, v *visit) {
	if !h.requireAdmin(w, r, v) {
		return
	}
	h.renderAdminUsers(w, r, v, http.StatusOK, "", nil, &adminUsersData{New: desk.NewUser{Role: ticket.RoleAgent, Language: v.l.Lang}})
}

func (h *handler) renderAdminUsers(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, d *adminUsersData) {
	var err error
	if d.Users, err = h.svc.Users(r.Context(), v.actor, 0, 0); err != nil {
		h.fail(w, r, v, err)
		return
	}
	d.Tab, d.Roles, d.Languages = "users", []ticket.Role{ticket.RoleRequester, ticket.RoleAgent, ticket.RoleAdmin}, i18n.Languages
	h.render(w, r, v, status, "admin_users", &view{Title: v.l.T("admin.users"), Nav: "admin", Error: msg, Fields: fields, Data: d})
}

// adminCreateUser creates a user with a role.
func (h *handler) adminCreateUser(w http.ResponseWriter, r *http.Request, v *visit) {
	if !h.requireAdmin(w, r, v) {
		return
	}
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	nu := desk.NewUser{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: ticket.Role(r.PostFormValue("role")),
		Language: r.PostFormValue("language"), Password: r.PostFormValue("password")}
	if _, err := h.svc.CreateUser(r.Context(), v.actor, nu); err != nil {
		h.adminFormFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			nu.Password = ""
			h.renderAdminUsers(w, r, v, status, msg, fields, &adminUsersData{New: nu})
		})
		return
	}
	h.setFlash(w, "flash.user_created")
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}
