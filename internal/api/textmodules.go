package api

import (
	"net/http"
	"strconv"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// pathID reads the {id} path value; anything but a positive number is
// notFound.
func pathID(r *http.Request, notFound string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ticket.E(ticket.ENOTFOUND, notFound, r.PathValue("id"))
	}
	return id, nil
}

// listTextModules is GET /api/v1/text-modules?queue=NAME: {items: [module…]},
// the caller's personal modules and those of their queues (every queue's
// for admins); queue keeps the personal ones and that queue's.
func (h *handler) listTextModules(w http.ResponseWriter, r *http.Request, a access.Actor) {
	ms, err := h.svc.TextModules(r.Context(), a, r.URL.Query().Get("queue"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, list[*ticket.TextModule]{Items: ms})
}

// createTextModule is POST /api/v1/text-modules: {name, language?, body,
// queue?} → 201 with the module; without queue it is personal. A body with
// an unknown placeholder or unbalanced braces is refused (400).
func (h *handler) createTextModule(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Name     string `json:"name"`
		Language string `json:"language"`
		Body     string `json:"body"`
		Queue    string `json:"queue"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.svc.CreateTextModule(r.Context(), a, desk.NewTextModule{Name: in.Name, Language: in.Language,
		Body: in.Body, Queue: in.Queue})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", h.baseURL+"/api/v1/text-modules/"+strconv.FormatInt(m.ID, 10))
	h.writeJSON(w, r, http.StatusCreated, m)
}

// getTextModule is GET /api/v1/text-modules/{id}.
func (h *handler) getTextModule(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := pathID(r, "err.text_module.not_found")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.svc.TextModule(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, m)
}

// updateTextModule is PATCH /api/v1/text-modules/{id}: {name?, language?,
// body?} → 200 with the module.
func (h *handler) updateTextModule(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := pathID(r, "err.text_module.not_found")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Name     *string `json:"name"`
		Language *string `json:"language"`
		Body     *string `json:"body"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.svc.UpdateTextModule(r.Context(), a, id, desk.TextModulePatch{Name: in.Name, Language: in.Language, Body: in.Body})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, m)
}

// deleteTextModule is DELETE /api/v1/text-modules/{id} → 204.
func (h *handler) deleteTextModule(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := pathID(r, "err.text_module.not_found")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.svc.DeleteTextModule(r.Context(), a, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listTicketTextModules is GET /api/v1/tickets/{number}/text-modules: the
// modules the caller may use on the ticket (personal and the ticket's
// queue's), one per name, in the requester's language where there are
// both.
func (h *handler) listTicketTextModules(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ms, err := h.svc.TicketModules(r.Context(), a, number)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, list[*ticket.TextModule]{Items: ms})
}

// renderTextModule is GET /api/v1/tickets/{number}/text-modules/{id}:
// {id, name, language, body}, the module filled in for the ticket.
func (h *handler) renderTextModule(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := pathID(r, "err.text_module.not_found")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out, err := h.svc.RenderTextModule(r.Context(), a, number, id, h.baseURL)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// macroIn is a macro as a request sends it; absent fields of a PATCH stay.
type macroIn struct {
	Name       *string `json:"name"`
	Queue      *string `json:"queue"`
	TextModule *int64  `json:"text_module"`
	Body       *string `json:"body"`
	Language   *string `json:"language"`
	EntryKind  *string `json:"entry_kind"`
	Visibility *string `json:"visibility"`
	State      *string `json:"state"`
	Priority   *string `json:"priority"`
	AssignMe   *bool   `json:"assign_me"`
	MoveQueue  *string `json:"move_queue"`
}

// onto returns base with in's fields put over it.
func (in macroIn) onto(base desk.MacroInput) desk.MacroInput {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&base.Name, in.Name)
	set(&base.Queue, in.Queue)
	set(&base.Body, in.Body)
	set(&base.Language, in.Language)
	set(&base.State, in.State)
	set(&base.MoveQueue, in.MoveQueue)
	if in.TextModule != nil {
		base.TextModule = *in.TextModule
	}
	if in.EntryKind != nil {
		base.EntryKind = ticket.Kind(*in.EntryKind)
	}
	if in.Visibility != nil {
		base.Visibility = ticket.Visibility(*in.Visibility)
	}
	if in.Priority != nil {
		base.Priority = ticket.Priority(*in.Priority)
	}
	if in.AssignMe != nil {
		base.AssignMe = *in.AssignMe
	}
	return base
}

// listMacros is GET /api/v1/macros?queue=NAME: {items: [macro…]}, as
// listTextModules.
func (h *handler) listMacros(w http.ResponseWriter, r *http.Request, a access.Actor) {
	ms, err := h.svc.Macros(r.Context(), a, r.URL.Query().Get("queue"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, list[*ticket.Macro]{Items: ms})
}

// createMacro is POST /api/v1/macros: {name, queue?, text_module? | body?
// and language?, entry_kind?, visibility?, state?: resolve|close,
// priority?, assign_me?, move_queue?} → 201 with the macro.
func (h *handler) createMacro(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in macroIn
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.svc.CreateMacro(r.Context(), a, in.onto(desk.MacroInput{}))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", h.baseURL+"/api/v1/macros/"+strconv.FormatInt(m.ID, 10))
	h.writeJSON(w, r, http.StatusCreated, m)
}

// getMacro is GET /api/v1/macros/{id}.
func (h *handler) getMacro(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := pathID(r, "err.macro.not_found")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.svc.Macro(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, m)
}

// updateMacro is PATCH /api/v1/macros/{id}: the fields of createMacro but
// queue; absent ones stay → 200 with the macro.
func (h *handler) updateMacro(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := pathID(r, "err.macro.not_found")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in macroIn
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Queue != nil {
		h.fail(w, r, invalidField("queue", "problem.macro_owner"))
		return
	}
	cur, err := h.svc.Macro(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.svc.UpdateMacro(r.Context(), a, id, in.onto(desk.MacroInputOf(cur)))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, m)
}

// deleteMacro is DELETE /api/v1/macros/{id} → 204.
func (h *handler) deleteMacro(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := pathID(r, "err.macro.not_found")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.svc.DeleteMacro(r.Context(), a, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listDescriptionVersions is GET /api/v1/tickets/{number}/description-versions:
// {items: [{body, author, created_at}…]}, the description's earlier texts,
// oldest first, to whoever may see the description.
func (h *handler) listDescriptionVersions(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	vs, err := h.svc.DescriptionVersions(r.Context(), a, number)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, list[ticket.DescriptionVersion]{Items: vs})
}
