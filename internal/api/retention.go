package api

import (
	"net/http"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
)

// getRetention is GET /api/v1/retention (admins): the desk-wide default
// retention rule {mode, months}.
func (h *handler) getRetention(w http.ResponseWriter, r *http.Request, a access.Actor) {
	rule, err := h.svc.RetentionDefault(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, rule)
}

// putRetention is PUT /api/v1/retention (admins): {mode, months} → the
// default rule as saved.
func (h *handler) putRetention(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in desk.RetentionRule
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	rule, err := h.svc.SetRetentionDefault(r.Context(), a, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, rule)
}

// getQueueRetention is GET /api/v1/queues/{name}/retention (admins):
// {queue, own, default, effective}.
func (h *handler) getQueueRetention(w http.ResponseWriter, r *http.Request, a access.Actor) {
	qr, err := h.svc.QueueRetention(r.Context(), a, r.PathValue("name"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, qr)
}

// putQueueRetention is PUT /api/v1/queues/{name}/retention (admins):
// {mode, months} gives the queue its own rule; {mode: "default"} lets it
// follow the default again.
func (h *handler) putQueueRetention(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in desk.RetentionRule
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	rule := &in
	if strings.EqualFold(strings.TrimSpace(in.Mode), "default") {
		rule = nil
	}
	qr, err := h.svc.SetQueueRetention(r.Context(), a, r.PathValue("name"), rule)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, qr)
}

// eraseUser is POST /api/v1/users/{email}/erase (admins): no body → 200
// {id, tickets, files}. 409 for oneself and for the last enabled admin.
func (h *handler) eraseUser(w http.ResponseWriter, r *http.Request, a access.Actor) {
	er, err := h.svc.ErasePerson(r.Context(), a, r.PathValue("email"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.writeJSON(w, r, http.StatusOK, er)
}
