package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// ticketRef reads a ticket number as people type it: "1234", "#1234",
// " # 1234 "; 0 when it is none.
func ticketRef(s string) int64 {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// linkTicket links the ticket with another one (desk.Act "link").
func (h *handler) linkTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	h.linkOrMerge(w, r, v, "link")
}

// mergeTicket merges the ticket into another one (desk.Act "merge") and
// opens the surviving ticket.
func (h *handler) mergeTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	h.linkOrMerge(w, r, v, "merge")
}

// linkOrMerge runs the link or merge form. Its errors are shown on the
// ticket page in plain words; a target the person may not see is answered
// exactly like one that does not exist.
func (h *handler) linkOrMerge(w http.ResponseWriter, r *http.Request, v *visit, name string) {
	number := ticketNumber(r)
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	target := ticketRef(r.PostFormValue("target"))
	act := desk.Action{Name: name, Target: target, LinkKind: r.PostFormValue("link_kind"), Channel: ticket.ChannelWeb}
	if name == "merge" {
		act.Version = formInt64(r, "version") // merging closes this ticket: never over a change unseen
	}
	_, err := h.svc.Act(r.Context(), v.actor, number, act)
	if err == nil {
		h.setFlash(w, "flash.action."+name)
		dest := number
		if name == "merge" {
			dest = target
		}
		http.Redirect(w, r, ticketPath(dest), http.StatusSeeOther)
		return
	}
	form := &entryForm{Seen: formInt64(r, "seen")}
	status, msg := http.StatusUnprocessableEntity, ""
	switch ticket.ErrorCode(err) {
	case ticket.ENOTFOUND:
		// This ticket, or the target? Only the target is the form's error.
		if _, err := h.svc.Ticket(r.Context(), v.actor, number); err != nil {
			h.fail(w, r, v, err)
			return
		}
		msg = v.l.T("linkform.not_found", target)
	case ticket.EINVALID:
		if _, bad := ticket.ErrorFields(err)["ticket"]; bad {
			msg = v.l.T("linkform.bad_target")
		}
	case ticket.ECONFLICT:
		if ticket.ErrorReason(err) == "err.ticket.merge_target_closed" {
			msg = v.l.T("linkform.target_closed", target)
		}
	case ticket.EFORBIDDEN:
		if ticket.ErrorReason(err) == "err.ticket.merge_forbidden" {
			msg = v.l.T("linkform.merge_refused", target)
		} else {
			msg = v.l.T("linkform.link_forbidden")
		}
	}
	if msg == "" {
		h.actionFailed(w, r, v, number, err, form)
		return
	}
	h.showTicketWith(w, r, v, number, status, msg, form)
}
