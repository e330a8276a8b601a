package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// adminUsersPerPage is how many people one page of /admin/users lists.
const adminUsersPerPage = 50

// adminUsersData is /admin/users: the people the search finds, a page at a
// time, with their state and queues, and the new-user form as typed
// (never the password).
type adminUsersData struct {
	Tab       string
	Users     *desk.UserList
	Filter    desk.UserFilter
	Filtered  bool
	Pager     adminPager
	New       desk.NewUser
	Roles     []ticket.Role
	Languages []string
	States    []string
}

// adminUsers lists users (admins only): ?q= searches names and e-mails,
// ?role= and ?state= (active, disabled) narrow, ?page= pages.
func (h *handler) adminUsers(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderAdminUsers(w, r, v, http.StatusOK, "", nil, &adminUsersData{New: desk.NewUser{Role: ticket.RoleAgent, Language: v.l.Lang}})
}

// userFilter reads the list's filter from the query; unknown roles and
// states are left out rather than refused.
func userFilter(q url.Values) (desk.UserFilter, int) {
	f := desk.UserFilter{Query: q.Get("q")}
	if r := ticket.Role(q.Get("role")); r.Valid() {
		f.Role = r
	}
	if s := q.Get("state"); s == "active" || s == "disabled" {
		f.State = s
	}
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	return f, page
}

func (h *handler) renderAdminUsers(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, d *adminUsersData) {
	f, page := userFilter(r.URL.Query())
	users, err := h.svc.FindUsers(r.Context(), v.actor, f, adminUsersPerPage, (page-1)*adminUsersPerPage)
	if ticket.ErrorCode(err) == ticket.EINVALID { // a search text beyond reason: list everyone
		f, page = desk.UserFilter{}, 1
		users, err = h.svc.FindUsers(r.Context(), v.actor, f, adminUsersPerPage, 0)
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	keep := url.Values{}
	for k, val := range map[string]string{"q": f.Query, "role": string(f.Role), "state": f.State} {
		if val != "" {
			keep.Set(k, val)
		}
	}
	d.Users, d.Filter, d.Filtered = users, f, len(keep) > 0
	d.Pager = newAdminPager("/admin/users", keep, page, adminUsersPerPage, users.Total)
	d.Tab, d.Roles, d.Languages = "users", []ticket.Role{ticket.RoleRequester, ticket.RoleAgent, ticket.RoleAdmin, ticket.RoleAuditor}, i18n.Languages
	d.States = []string{"active", "disabled"}
	h.render(w, r, v, status, "admin_users", &view{Title: v.l.T("admin.users"), Nav: "admin", Error: msg, Fields: fields, Data: d})
}

// adminCreateUser creates a user with a role.
func (h *handler) adminCreateUser(w http.ResponseWriter, r *http.Request, v *visit) {
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

// userForm is the account form as shown or as typed.
type userForm struct {
	Name     string
	Language string
	Role     ticket.Role
	Auditor  bool // the auditor role besides
}

// adminUserData is /admin/users/{id}: one person's account, queues,
// assigned tickets and state.
type adminUserData struct {
	Info        *desk.UserInfo
	Form        userForm
	Roles       []ticket.Role
	Languages   []string
	Self        bool // the admin's own account
	ConfirmRole bool // a role change to requester ends memberships or assignments: ask
}

// Protected reports whether the account can be neither demoted nor
// disabled from this page: the admin's own, or the last enabled admin.
func (d *adminUserData) Protected() bool { return d.Self || d.Info.LastAdmin }

// adminUser shows user {id}.
func (h *handler) adminUser(w http.ResponseWriter, r *http.Request, v *visit) {
	h.showAdminUser(w, r, v, http.StatusOK, "", nil, nil)
}

// showAdminUser renders user {id} with the form as typed (nil: as stored)
// and a message.
func (h *handler) showAdminUser(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, form *userForm) {
	info, err := h.svc.UserInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	u := info.User
	d := &adminUserData{Info: info, Form: userForm{Name: u.Name, Language: u.Language, Role: u.Role, Auditor: u.Auditor},
		Roles: []ticket.Role{ticket.RoleRequester, ticket.RoleAgent, ticket.RoleAdmin, ticket.RoleAuditor}, Languages: i18n.Languages,
		Self: u.ID == v.actor.UserID}
	d.ConfirmRole = !d.Protected() && u.Role.Staff() && (len(info.Queues) > 0 || info.Assigned > 0)
	if form != nil {
		d.Form = *form
	}
	h.render(w, r, v, status, "admin_user", &view{Title: v.l.T("manage.user_title", u.Name), Nav: "admin", Error: msg, Fields: fields, Data: d})
}

// adminUpdateUser saves the name, language and role of user {id}. A role
// change that ends memberships or assignments needs its box ticked.
func (h *handler) adminUpdateUser(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	info, err := h.svc.UserInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	f := userForm{Name: r.PostFormValue("name"), Language: r.PostFormValue("language"), Role: ticket.Role(r.PostFormValue("role")),
		Auditor: r.PostFormValue("auditor") == "yes"}
	if info.User.Role.Staff() && f.Role == ticket.RoleRequester && (len(info.Queues) > 0 || info.Assigned > 0) &&
		r.PostFormValue("confirm_role") != "yes" {
		h.showAdminUser(w, r, v, http.StatusUnprocessableEntity, v.l.T("manage.confirm_missing"), map[string]bool{"confirm_role": true}, &f)
		return
	}
	typed := f // the desk trims its patch; the form shows what was typed
	p := desk.UserPatch{Name: &typed.Name, Language: &typed.Language, Role: &typed.Role, Auditor: &typed.Auditor}
	if _, err := h.svc.UpdateUser(r.Context(), v.actor, info.User.Email, p); err != nil {
		h.manageFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			h.showAdminUser(w, r, v, status, msg, fields, &f)
		})
		return
	}
	h.setFlash(w, "flash.user_saved")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(info.User.ID, 10), http.StatusSeeOther)
}

// adminDisableUser disables user {id} when the box is ticked.
func (h *handler) adminDisableUser(w http.ResponseWriter, r *http.Request, v *visit) {
	h.setUserDisabled(w, r, v, true)
}

// adminEnableUser enables user {id} again.
func (h *handler) adminEnableUser(w http.ResponseWriter, r *http.Request, v *visit) {
	h.setUserDisabled(w, r, v, false)
}

func (h *handler) setUserDisabled(w http.ResponseWriter, r *http.Request, v *visit, disabled bool) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	info, err := h.svc.UserInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if disabled && r.PostFormValue("confirm") != "yes" {
		h.showAdminUser(w, r, v, http.StatusUnprocessableEntity, v.l.T("manage.confirm_missing"), map[string]bool{"confirm": true}, nil)
		return
	}
	if _, err := h.svc.UpdateUser(r.Context(), v.actor, info.User.Email, desk.UserPatch{Disabled: &disabled}); err != nil {
		h.manageFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			h.showAdminUser(w, r, v, status, msg, fields, nil)
		})
		return
	}
	flash := "flash.user_enabled"
	if disabled {
		flash = "flash.user_disabled"
	}
	h.setFlash(w, flash)
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(info.User.ID, 10), http.StatusSeeOther)
}
