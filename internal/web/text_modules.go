package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// textModulesData is the text modules page: the modules and macros the
// person may see (their own and their queues'; every queue's for admins),
// the queues they may share with, and the forms as typed.
type textModulesData struct {
	Queue        string // the queue filter, "" for all
	Modules      []*ticket.TextModule
	Macros       []*ticket.Macro
	Queues       []string // queues the person may share with (members; all for admins)
	AllQueues    []string // queues a macro may move a ticket to
	Module       moduleForm
	Macro        macroForm
	Edit         bool // Module is an existing module being edited
	EditMacro    bool // Macro is an existing macro being edited
	Manageable   map[string]bool
	Placeholders []string
	// The choices of the macro form.
	Kinds, Visibilities, Priorities []string
}

// moduleForm is the text module form as typed.
type moduleForm struct {
	ID                          int64
	Name, Language, Body, Queue string
}

// macroForm is the macro form as typed.
type macroForm struct {
	ID                                                                                         int64
	Name, Queue, TextModule, Body, Language, EntryKind, Visibility, State, Priority, MoveQueue string
	AssignMe                                                                                   bool
}

// manageable says whether v may change a module or macro of owner or queue.
func manageable(a access.Actor, owner, queue string, queueID int64) bool {
	if queue != "" {
		return a.Admin() || a.Member(queueID)
	}
	return owner == a.Email
}

// textModulesPage loads and renders the page with status, an error and the
// forms in d.
func (h *handler) textModulesPage(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, d *textModulesData) {
	ctx := r.Context()
	var err error
	if d.Modules, err = h.svc.TextModules(ctx, v.actor, d.Queue); err != nil {
		h.fail(w, r, v, err)
		return
	}
	if d.Macros, err = h.svc.Macros(ctx, v.actor, d.Queue); err != nil {
		h.fail(w, r, v, err)
		return
	}
	qs, err := h.svc.Queues(ctx, v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d.Manageable = map[string]bool{}
	for _, q := range qs {
		d.AllQueues = append(d.AllQueues, q.Name)
		if v.actor.Admin() || v.actor.Member(q.ID) {
			d.Queues = append(d.Queues, q.Name)
		}
	}
	for _, m := range d.Modules {
		d.Manageable["m"+strconv.FormatInt(m.ID, 10)] = manageable(v.actor, m.Owner, m.Queue, m.QueueID)
	}
	for _, m := range d.Macros {
		d.Manageable["x"+strconv.FormatInt(m.ID, 10)] = manageable(v.actor, m.Owner, m.Queue, m.QueueID)
	}
	if d.Module.Language == "" {
		d.Module.Language = v.l.Lang
	}
	if d.Macro.Visibility == "" {
		d.Macro.Visibility = string(ticket.VisibilityPublic)
	}
	d.Placeholders = ticket.Placeholders
	d.Kinds = []string{"message", "question", "comment", "answer"}
	d.Visibilities = []string{"public", "staff", "queue"}
	for _, p := range ticket.Priorities {
		d.Priorities = append(d.Priorities, string(p))
	}
	h.render(w, r, v, status, "text_modules", &view{Title: v.l.T("textmodules.title"), Nav: "textmodules",
		Error: msg, Fields: fields, Data: d})
}

// textModules is GET /text-modules?queue=NAME.
func (h *handler) textModules(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query().Get("queue")
	h.textModulesPage(w, r, v, http.StatusOK, "", nil, &textModulesData{Queue: q, Module: moduleForm{Queue: q}, Macro: macroForm{Queue: q}})
}

// editTextModule is GET /text-modules/{id}: the page with the module in
// its form.
func (h *handler) editTextModule(w http.ResponseWriter, r *http.Request, v *visit) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, err := h.svc.TextModule(r.Context(), v.actor, id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.textModulesPage(w, r, v, http.StatusOK, "", nil, &textModulesData{Edit: true,
		Module: moduleForm{ID: m.ID, Name: m.Name, Language: m.Language, Body: m.Body, Queue: m.Queue}})
}

// saveTextModule is POST /text-modules (a new module) and POST
// /text-modules/{id} (a change). A refusal shows the form as typed.
func (h *handler) saveTextModule(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	f := moduleForm{Name: r.PostFormValue("name"), Language: r.PostFormValue("language"), Body: r.PostFormValue("body"),
		Queue: r.PostFormValue("queue")}
	var err error
	if idText := r.PathValue("id"); idText != "" {
		f.ID, _ = strconv.ParseInt(idText, 10, 64)
		_, err = h.svc.UpdateTextModule(r.Context(), v.actor, f.ID, desk.TextModulePatch{Name: &f.Name, Language: &f.Language, Body: &f.Body})
	} else {
		_, err = h.svc.CreateTextModule(r.Context(), v.actor, desk.NewTextModule{Name: f.Name, Language: f.Language, Body: f.Body, Queue: f.Queue})
	}
	if err != nil {
		status, msg, fields := h.errorText(r, v, err)
		if status == http.StatusNotFound || status == http.StatusInternalServerError {
			h.fail(w, r, v, err)
			return
		}
		h.textModulesPage(w, r, v, status, msg, fields, &textModulesData{Module: f, Edit: f.ID != 0})
		return
	}
	h.setFlash(w, "flash.textmodule_saved")
	http.Redirect(w, r, "/text-modules", http.StatusSeeOther)
}

// deleteTextModule is POST /text-modules/{id}/delete.
func (h *handler) deleteTextModule(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.svc.DeleteTextModule(r.Context(), v.actor, id); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.textmodule_deleted")
	http.Redirect(w, r, "/text-modules", http.StatusSeeOther)
}

// editMacro is GET /macros/{id}: the page with the macro in its form.
func (h *handler) editMacro(w http.ResponseWriter, r *http.Request, v *visit) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	m, err := h.svc.Macro(r.Context(), v.actor, id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	f := macroForm{ID: m.ID, Name: m.Name, Queue: m.Queue, Body: m.Body, Language: m.Language, EntryKind: string(m.EntryKind),
		Visibility: string(m.Visibility), State: m.State, Priority: string(m.Priority), MoveQueue: m.MoveQueue, AssignMe: m.AssignMe}
	if m.ModuleID != 0 {
		f.TextModule = strconv.FormatInt(m.ModuleID, 10)
	}
	h.textModulesPage(w, r, v, http.StatusOK, "", nil, &textModulesData{EditMacro: true, Macro: f})
}

// saveMacro is POST /macros (a new macro) and POST /macros/{id} (a
// change; its owner stays). A refusal shows the form as typed.
func (h *handler) saveMacro(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	f := macroForm{Name: r.PostFormValue("name"), Queue: r.PostFormValue("queue"), TextModule: r.PostFormValue("text_module"),
		Body: r.PostFormValue("body"), Language: r.PostFormValue("language"), EntryKind: r.PostFormValue("entry_kind"),
		Visibility: r.PostFormValue("visibility"), State: r.PostFormValue("state"), Priority: r.PostFormValue("priority"),
		MoveQueue: r.PostFormValue("move_queue"), AssignMe: r.PostFormValue("assign_me") != ""}
	moduleID, _ := strconv.ParseInt(f.TextModule, 10, 64)
	in := desk.MacroInput{Name: f.Name, Queue: f.Queue, TextModule: moduleID,
		Body: f.Body, Language: f.Language, EntryKind: ticket.Kind(f.EntryKind), Visibility: ticket.Visibility(f.Visibility),
		State: f.State, Priority: ticket.Priority(f.Priority), AssignMe: f.AssignMe, MoveQueue: f.MoveQueue}
	var err error
	if idText := r.PathValue("id"); idText != "" {
		f.ID, _ = strconv.ParseInt(idText, 10, 64)
		var m *ticket.Macro
		if m, err = h.svc.Macro(r.Context(), v.actor, f.ID); err == nil {
			f.Queue = m.Queue // the owner stays
			_, err = h.svc.UpdateMacro(r.Context(), v.actor, f.ID, in)
		}
	} else {
		_, err = h.svc.CreateMacro(r.Context(), v.actor, in)
	}
	if err != nil {
		status, msg, fields := h.errorText(r, v, err)
		if status == http.StatusNotFound || status == http.StatusInternalServerError {
			h.fail(w, r, v, err)
			return
		}
		h.textModulesPage(w, r, v, status, msg, fields, &textModulesData{Macro: f, EditMacro: f.ID != 0})
		return
	}
	h.setFlash(w, "flash.macro_saved")
	http.Redirect(w, r, "/text-modules#macros", http.StatusSeeOther)
}

// deleteMacro is POST /macros/{id}/delete.
func (h *handler) deleteMacro(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.svc.DeleteMacro(r.Context(), v.actor, id); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.macro_deleted")
	http.Redirect(w, r, "/text-modules#macros", http.StatusSeeOther)
}

// insertTextModule is POST /tickets/{number}/text-module, the reply form's
// "Insert" button without JavaScript: the page again with the form as
// typed and the chosen module's text added to the reply (files chosen
// must be chosen again).
func (h *handler) insertTextModule(w http.ResponseWriter, r *http.Request, v *visit) {
	number := ticketNumber(r)
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	form := &entryForm{Kind: r.PostFormValue("kind"), Body: r.PostFormValue("body"),
		Visibility: r.PostFormValue("visibility"), TimeSpent: strings.TrimSpace(r.PostFormValue("time_spent")),
		Seen: formInt64(r, "seen")}
	id := formInt64(r, "module")
	if id <= 0 {
		h.showTicketWith(w, r, v, number, http.StatusBadRequest, v.l.T("textmodules.choose_first"), form)
		return
	}
	m, err := h.svc.RenderTextModule(r.Context(), v.actor, number, id, h.baseURL)
	if err != nil {
		h.actionFailed(w, r, v, number, err, form)
		return
	}
	form.Body = joinText(form.Body, m.Body)
	form.Module = m.ID
	h.showTicketWith(w, r, v, number, http.StatusOK, "", form)
}

// joinText puts add after text, a blank line between them.
func joinText(text, add string) string {
	text = strings.TrimRight(text, " \t\r\n")
	if text == "" {
		return add
	}
	return text + "\n\n" + add
}

// applyMacro is POST /tickets/{number}/macro: the chosen macro at the
// version the page showed (a change in between is a 409 with the current
// ticket).
func (h *handler) applyMacro(w http.ResponseWriter, r *http.Request, v *visit) {
	number := ticketNumber(r)
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	use := desk.MacroUse{Macro: formInt64(r, "macro"), Version: formInt64(r, "version"), BaseURL: h.baseURL,
		Channel: ticket.ChannelWeb}
	if s := strings.TrimSpace(r.PostFormValue("time_spent")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n == 0 {
			n = -1 // out of range: refused with the range
		}
		use.TimeSpent = n
	}
	if _, err := h.svc.ApplyMacro(r.Context(), v.actor, number, use); err != nil {
		h.actionFailed(w, r, v, number, err, &entryForm{Seen: formInt64(r, "seen")})
		return
	}
	h.setFlash(w, "flash.macro_applied")
	http.Redirect(w, r, ticketPath(number), http.StatusSeeOther)
}
