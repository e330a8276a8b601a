package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/errtext"
	"github.com/servus-desk/servus/internal/ticket"
)

// formInt64 reads an integer form field; 0 when absent or malformed.
func formInt64(r *http.Request, field string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(field)), 10, 64)
	return n
}

// webActions are the actions the ticket page offers as buttons.
var webActions = map[string]bool{"take": true, "assign": true, "move": true, "resolve": true, "close": true,
	"reopen": true, "withdraw": true, "watch": true, "unwatch": true, "link": true, "merge": true}

// actOnTicket applies one action (take, assign, move, resolve, close,
// reopen, withdraw, watch, unwatch, link, merge) at the version the page
// showed: a change by someone else in between is a 409 with the current
// ticket, what is new in it marked, never a silent overwrite.
func (h *handler) actOnTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	number := ticketNumber(r)
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	name := r.PostFormValue("action")
	if !webActions[name] {
		h.showTicketWith(w, r, v, number, http.StatusBadRequest, v.l.T("error.invalid"), nil)
		return
	}
	act := desk.Action{Name: name, Version: formInt64(r, "version"), Assignee: r.PostFormValue("assignee"),
		Queue: r.PostFormValue("queue"), Target: formInt64(r, "target"), LinkKind: r.PostFormValue("link_kind"),
		Channel: ticket.ChannelWeb}
	if name == "watch" || name == "unwatch" {
		act.Version = 0 // watching changes nothing of the ticket
	}
	if _, err := h.svc.Act(r.Context(), v.actor, number, act); err != nil {
		h.actionFailed(w, r, v, number, err, &entryForm{Seen: formInt64(r, "seen")})
		return
	}
	h.setFlash(w, "flash.action."+name)
	http.Redirect(w, r, ticketPath(number), http.StatusSeeOther)
}

// plainReasons are refusals whose own text says best what is wrong.
var plainReasons = map[string]bool{
	"err.ticket.edit_closed": true, "err.ticket.edit_merged": true, "err.ticket.public_members": true,
	"err.ticket.cc_staff": true, "err.ticket.split_closed": true, "err.ticket.split_merged": true,
}

// actionFailed shows the ticket page again with what went wrong. A
// conflict tells whether someone else changed the ticket meanwhile or the
// action does not fit the ticket's state.
func (h *handler) actionFailed(w http.ResponseWriter, r *http.Request, v *visit, number int64, err error, form *entryForm) {
	status, msg, _ := h.errorText(r, v, err)
	if status == http.StatusNotFound || status == http.StatusInternalServerError {
		h.fail(w, r, v, err)
		return
	}
	if status == http.StatusConflict {
		msg = v.l.T("error.conflict_state")
		if stale(err) {
			msg = v.l.T("error.conflict_stale")
		}
	}
	if plainReasons[ticket.ErrorReason(err)] {
		msg = errtext.Message(v.l.Lang, err)
	}
	h.showTicketWith(w, r, v, number, status, msg, form)
}

// addEntry adds a message, question, answer or comment.
func (h *handler) addEntry(w http.ResponseWriter, r *http.Request, v *visit) {
	number := ticketNumber(r)
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	form := &entryForm{Kind: r.PostFormValue("kind"), Body: r.PostFormValue("body"),
		Visibility: r.PostFormValue("visibility"), TimeSpent: strings.TrimSpace(r.PostFormValue("time_spent")),
		Seen: formInt64(r, "seen")}
	ne := desk.NewEntry{Kind: ticket.Kind(form.Kind), Body: form.Body, Visibility: ticket.Visibility(form.Visibility),
		Channel: ticket.ChannelWeb}
	if form.TimeSpent != "" {
		n, err := strconv.Atoi(form.TimeSpent)
		if err != nil {
			h.actionFailed(w, r, v, number, ticket.E(ticket.EINVALID, "err.check_fields").Field("time_spent", "problem.time_spent_minutes"), form)
			return
		}
		if n == 0 { // 0 reads as "none" in desk: an explicit 0 is out of range
			n = -1
		}
		ne.TimeSpent = n
	}
	if ne.Kind != ticket.KindComment {
		ne.Visibility = ticket.VisibilityPublic
	}
	hasFiles := r.MultipartForm != nil && len(r.MultipartForm.File["files"]) > 0 && r.MultipartForm.File["files"][0].Filename != ""
	// Minutes spent belong to an entry with text: typed with files only,
	// they are not dropped but refused (the body is missing).
	if strings.TrimSpace(form.Body) != "" || !hasFiles || form.TimeSpent != "" {
		if _, err := h.svc.AddEntry(r.Context(), v.actor, number, ne); err != nil {
			h.actionFailed(w, r, v, number, err, form)
			return
		}
	}
	if hasFiles {
		vis := ne.Visibility
		if vis == "" {
			vis = ticket.VisibilityPublic
		}
		if err := h.attachFiles(r, v, number, vis, r.MultipartForm.File["files"]); err != nil {
			h.actionFailed(w, r, v, number, err, &entryForm{Kind: form.Kind, Visibility: form.Visibility, Seen: form.Seen})
			return
		}
	}
	h.setFlash(w, "flash.entry."+string(ne.Kind))
	http.Redirect(w, r, ticketPath(number), http.StatusSeeOther)
}

// uploadAttachments attaches files without text.
func (h *handler) uploadAttachments(w http.ResponseWriter, r *http.Request, v *visit) {
	number := ticketNumber(r)
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["files"]) == 0 {
		h.showTicketWith(w, r, v, number, http.StatusBadRequest, v.l.T("error.no_file"), nil)
		return
	}
	if err := h.attachFiles(r, v, number, ticket.Visibility(r.PostFormValue("visibility")), r.MultipartForm.File["files"]); err != nil {
		h.actionFailed(w, r, v, number, err, nil)
		return
	}
	h.setFlash(w, "flash.attached")
	http.Redirect(w, r, ticketPath(number), http.StatusSeeOther)
}

// editTicket changes subject, description, priority, due date,
// confidentiality and CC at the version the page showed (a requester's
// form sends the fields a requester may change).
func (h *handler) editTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	number := ticketNumber(r)
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	p := desk.Patch{Version: formInt64(r, "version")}
	kept := &editForm{Subject: r.PostFormValue("subject"), Description: r.PostFormValue("description"),
		Priority: r.PostFormValue("priority"), Due: r.PostFormValue("due"), CC: r.PostFormValue("cc"),
		Confidential: r.PostFormValue("confidential") != ""}
	failed := func(err error) {
		h.actionFailed(w, r, v, number, err, &entryForm{Seen: formInt64(r, "seen"), Edit: kept})
	}
	if s, ok := r.PostForm["subject"]; ok {
		p.Subject = &s[0]
	}
	if s, ok := r.PostForm["description"]; ok {
		p.Description = &s[0]
	}
	if s := r.PostFormValue("priority"); s != "" {
		pr := ticket.Priority(s)
		p.Priority = &pr
	}
	if _, ok := r.PostForm["due"]; ok {
		if s := strings.TrimSpace(r.PostFormValue("due")); s == "" {
			p.ClearDue = true
		} else if due, err := v.l.ParseDate(s); err != nil {
			failed(ticket.E(ticket.EINVALID, "err.check_fields").Field("due", "problem.not_date"))
			return
		} else if shown := r.PostFormValue("due_shown"); shown == "" || v.l.DateInput(due) != shown {
			// The form sends the date back whether or not it was touched:
			// the ticket's own due date, passed or at another hour of that
			// day, stays as it is rather than becoming a new one (which desk
			// refuses in the past).
			p.Due = &due
		}
	}
	if r.PostFormValue("confidential_shown") != "" {
		c := r.PostFormValue("confidential") != ""
		p.Confidential = &c
	}
	if _, ok := r.PostForm["cc"]; ok {
		cc := []string{}
		for _, e := range strings.FieldsFunc(r.PostFormValue("cc"), func(c rune) bool { return c == ',' || c == ';' || c == ' ' || c == '\n' || c == '\r' || c == '\t' }) {
			cc = append(cc, e)
		}
		p.CC = &cc
	}
	if _, err := h.svc.UpdateTicket(r.Context(), v.actor, number, p); err != nil {
		failed(err)
		return
	}
	h.setFlash(w, "flash.saved")
	http.Redirect(w, r, ticketPath(number), http.StatusSeeOther)
}

// downloadAttachment sends a file of a ticket the person may see. Files are
// downloads, never pages of servus: only common images show inline, and
// everything comes sandboxed.
func (h *handler) downloadAttachment(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	number := ticketNumber(r)
	if err != nil || number == 0 {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	f, rc, err := h.svc.OpenAttachment(r.Context(), v.actor, number, id)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	defer rc.Close()
	disposition := "attachment"
	ct := f.ContentType
	switch ct {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		disposition = "inline"
	default:
		if !strings.HasPrefix(ct, "text/plain") {
			ct = "application/octet-stream"
		}
	}
	hd := w.Header()
	hd.Set("Content-Type", ct)
	hd.Set("Content-Disposition", disposition+"; filename*=UTF-8''"+urlPathEscape(f.Name))
	hd.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	hd.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	hd.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		copyBody(w, rc)
	}
}
