package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// adminOrgsData is /admin/organisations: every institute with its domains,
// directory value and member count, and the new-institute form as typed.
type adminOrgsData struct {
	Orgs                []*ticket.Organisation
	NewName, NewDomains string
	NewDirectory        string
}

// adminOrgData is /admin/organisations/{id}: one institute, its members
// (delegates first) and the forms to change it, as typed.
type adminOrgData struct {
	Org         *ticket.Organisation
	Members     []*ticket.OrgMember
	Domains     string
	Directory   string
	MemberEmail string
	Delegate    bool
}

// splitDomains reads a form's domains: separated by commas, spaces or
// lines.
func splitDomains(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// adminOrganisations lists the institutes (admins only).
func (h *handler) adminOrganisations(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderAdminOrgs(w, r, v, http.StatusOK, "", nil, &adminOrgsData{})
}

func (h *handler) renderAdminOrgs(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, d *adminOrgsData) {
	var err error
	if d.Orgs, err = h.svc.Organisations(r.Context(), v.actor); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, status, "admin_organisations", &view{Title: v.l.T("org.title"), Nav: "admin", Error: msg, Fields: fields, Data: d})
}

// adminCreateOrganisation creates an institute from the form.
func (h *handler) adminCreateOrganisation(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	d := &adminOrgsData{NewName: r.PostFormValue("name"), NewDomains: r.PostFormValue("domains"), NewDirectory: r.PostFormValue("directory_value")}
	o, err := h.svc.CreateOrganisation(r.Context(), v.actor, desk.NewOrganisation{Name: d.NewName, Domains: splitDomains(d.NewDomains), DirectoryValue: d.NewDirectory})
	if err != nil {
		h.orgFormFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			h.renderAdminOrgs(w, r, v, status, msg, fields, d)
		})
		return
	}
	h.setFlash(w, "flash.org_created")
	http.Redirect(w, r, orgPath(o), http.StatusSeeOther)
}

func orgPath(o *ticket.Organisation) string {
	return "/admin/organisations/" + strconv.FormatInt(o.ID, 10)
}

// orgFormFailed answers a failed institute form: internal errors as an
// error page, everything else (an unknown person, a taken name or domain:
// the admin's input, 422) by showing the form again with the reason.
func (h *handler) orgFormFailed(w http.ResponseWriter, r *http.Request, v *visit, err error, again func(status int, msg string, fields map[string]bool)) {
	status, msg, fields := h.errorText(r, v, err)
	if status == http.StatusInternalServerError {
		h.fail(w, r, v, err)
		return
	}
	if status == http.StatusNotFound || status == http.StatusConflict {
		status = http.StatusUnprocessableEntity
	}
	again(status, msg, fields)
}

// orgByID finds the institute of the path's {id}; false after answering
// 404 when there is none.
func (h *handler) orgByID(w http.ResponseWriter, r *http.Request, v *visit) (*ticket.Organisation, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, v, ticket.E(ticket.ENOTFOUND, "err.org.not_found", r.PathValue("id")))
		return nil, false
	}
	orgs, err := h.svc.Organisations(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return nil, false
	}
	for _, o := range orgs {
		if o.ID == id {
			return o, true
		}
	}
	h.fail(w, r, v, ticket.E(ticket.ENOTFOUND, "err.org.not_found", id))
	return nil, false
}

// adminOrganisation shows one institute with its members.
func (h *handler) adminOrganisation(w http.ResponseWriter, r *http.Request, v *visit) {
	o, ok := h.orgByID(w, r, v)
	if !ok {
		return
	}
	h.renderAdminOrg(w, r, v, http.StatusOK, "", nil, o, &adminOrgData{Domains: strings.Join(o.Domains, ", "), Directory: o.DirectoryValue})
}

func (h *handler) renderAdminOrg(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, o *ticket.Organisation, d *adminOrgData) {
	org, members, err := h.svc.Organisation(r.Context(), v.actor, o.Name)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d.Org, d.Members = org, members
	h.render(w, r, v, status, "admin_organisation", &view{Title: org.Name, Nav: "admin", Error: msg, Fields: fields, Data: d})
}

// adminUpdateOrganisation changes an institute's domains and directory
// value.
func (h *handler) adminUpdateOrganisation(w http.ResponseWriter, r *http.Request, v *visit) {
	o, ok := h.orgByID(w, r, v)
	if !ok {
		return
	}
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	d := &adminOrgData{Domains: r.PostFormValue("domains"), Directory: r.PostFormValue("directory_value")}
	domains := splitDomains(d.Domains)
	if _, err := h.svc.UpdateOrganisation(r.Context(), v.actor, o.Name, desk.OrganisationPatch{Domains: &domains, DirectoryValue: &d.Directory}); err != nil {
		h.orgFormFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			h.renderAdminOrg(w, r, v, status, msg, fields, o, d)
		})
		return
	}
	h.setFlash(w, "flash.org_saved")
	http.Redirect(w, r, orgPath(o), http.StatusSeeOther)
}

// adminDeleteOrganisation removes an institute (its people stay).
func (h *handler) adminDeleteOrganisation(w http.ResponseWriter, r *http.Request, v *visit) {
	o, ok := h.orgByID(w, r, v)
	if !ok {
		return
	}
	if err := h.svc.DeleteOrganisation(r.Context(), v.actor, o.Name); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.org_deleted")
	http.Redirect(w, r, "/admin/organisations", http.StatusSeeOther)
}

// adminAddOrganisationMember makes a person a member (or delegate) of an
// institute; the same form changes a member's delegate flag.
func (h *handler) adminAddOrganisationMember(w http.ResponseWriter, r *http.Request, v *visit) {
	o, ok := h.orgByID(w, r, v)
	if !ok {
		return
	}
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	email, delegate := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("delegate") == "yes"
	if _, err := h.svc.AddOrganisationMember(r.Context(), v.actor, o.Name, email, delegate); err != nil {
		h.orgFormFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			if status == http.StatusUnprocessableEntity && ticket.ErrorReason(err) == "err.user.not_found" {
				msg = v.l.T("admin.unknown")
			}
			h.renderAdminOrg(w, r, v, status, msg, map[string]bool{"email": true}, o,
				&adminOrgData{Domains: strings.Join(o.Domains, ", "), Directory: o.DirectoryValue, MemberEmail: email, Delegate: delegate})
		})
		return
	}
	h.setFlash(w, "flash.org_member_saved")
	http.Redirect(w, r, orgPath(o), http.StatusSeeOther)
}

// adminRemoveOrganisationMember ends a person's membership.
func (h *handler) adminRemoveOrganisationMember(w http.ResponseWriter, r *http.Request, v *visit) {
	o, ok := h.orgByID(w, r, v)
	if !ok {
		return
	}
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	if err := h.svc.RemoveOrganisationMember(r.Context(), v.actor, o.Name, r.PostFormValue("email")); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.org_member_removed")
	http.Redirect(w, r, orgPath(o), http.StatusSeeOther)
}
