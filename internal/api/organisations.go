package api

import (
	"encoding/json"
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// organisationDetail is one organisation with its members.
type organisationDetail struct {
	*ticket.Organisation
	MemberList []*ticket.OrgMember `json:"member_list"`
}

// listOrganisations is GET /api/v1/organisations (admins): {items:
// [organisation…]} by name.
func (h *handler) listOrganisations(w http.ResponseWriter, r *http.Request, a access.Actor) {
	os, err := h.svc.Organisations(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, list[*ticket.Organisation]{Items: os})
}

// createOrganisation is POST /api/v1/organisations (admins): {name,
// domains?, directory_value?} → 201 with the organisation.
func (h *handler) createOrganisation(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Name           string   `json:"name"`
		Domains        []string `json:"domains"`
		DirectoryValue string   `json:"directory_value"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := h.svc.CreateOrganisation(r.Context(), a, desk.NewOrganisation{Name: in.Name, Domains: in.Domains, DirectoryValue: in.DirectoryValue})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, o)
}

// getOrganisation is GET /api/v1/organisations/{name} (admins): the
// organisation with member_list.
func (h *handler) getOrganisation(w http.ResponseWriter, r *http.Request, a access.Actor) {
	o, ms, err := h.svc.Organisation(r.Context(), a, r.PathValue("name"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, organisationDetail{Organisation: o, MemberList: ms})
}

// updateOrganisation is PATCH /api/v1/organisations/{name} (admins):
// {domains?, directory_value?} (null or "" clears the directory value).
func (h *handler) updateOrganisation(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Domains        *[]string       `json:"domains"`
		DirectoryValue json.RawMessage `json:"directory_value"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p := desk.OrganisationPatch{Domains: in.Domains}
	v := ticket.Validation{}
	patchString(v, "directory_value", in.DirectoryValue, true, &p.DirectoryValue)
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.DirectoryValue != nil && p.DirectoryValue == nil {
		empty := ""
		p.DirectoryValue = &empty
	}
	o, err := h.svc.UpdateOrganisation(r.Context(), a, r.PathValue("name"), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, o)
}

// deleteOrganisation is DELETE /api/v1/organisations/{name} (admins): 204.
func (h *handler) deleteOrganisation(w http.ResponseWriter, r *http.Request, a access.Actor) {
	if err := h.svc.DeleteOrganisation(r.Context(), a, r.PathValue("name")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// addOrganisationMember is POST /api/v1/organisations/{name}/members
// (admins): {email, delegate?} → the membership.
func (h *handler) addOrganisationMember(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Email    string `json:"email"`
		Delegate bool   `json:"delegate"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Email == "" {
		h.fail(w, r, invalidField("email", "problem.member_email"))
		return
	}
	m, err := h.svc.AddOrganisationMember(r.Context(), a, r.PathValue("name"), in.Email, in.Delegate)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, m)
}

// removeOrganisationMember is DELETE
// /api/v1/organisations/{name}/members/{email} (admins): 204.
func (h *handler) removeOrganisationMember(w http.ResponseWriter, r *http.Request, a access.Actor) {
	if err := h.svc.RemoveOrganisationMember(r.Context(), a, r.PathValue("name"), r.PathValue("email")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
