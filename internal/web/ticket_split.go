package web

import (
	"net/http"
	"strconv"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// splitTicket moves the entries chosen on the ticket page (entries=ID,
// repeated) to a new ticket (desk.SplitTicket) and opens it. A refusal
// shows the ticket page again with what was wrong.
func (h *handler) splitTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	number := ticketNumber(r)
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	var ids []int64
	for _, s := range r.PostForm["entries"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			h.actionFailed(w, r, v, number, ticket.E(ticket.EINVALID, "err.split.entries").Field("entries", "problem.entry_ids"),
				&entryForm{Seen: formInt64(r, "seen")})
			return
		}
		ids = append(ids, id)
	}
	nt, err := h.svc.SplitTicket(r.Context(), v.actor, number, desk.Split{Entries: ids, Subject: r.PostFormValue("subject"),
		Version: formInt64(r, "version"), Channel: ticket.ChannelWeb})
	if err != nil {
		h.actionFailed(w, r, v, number, err, &entryForm{Seen: formInt64(r, "seen")})
		return
	}
	h.setFlash(w, "flash.action.split")
	http.Redirect(w, r, ticketPath(nt.Number), http.StatusSeeOther)
}

// unlinkTicket removes a link shown on the ticket page (desk.Act
// "unlink"): target is the other ticket, link_kind the link's kind as this
// ticket sees it.
func (h *handler) unlinkTicket(w http.ResponseWriter, r *http.Request, v *visit) {
	number := ticketNumber(r)
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	act := desk.Action{Name: "unlink", Target: ticketRef(r.PostFormValue("target")), LinkKind: r.PostFormValue("link_kind"),
		Channel: ticket.ChannelWeb}
	if _, err := h.svc.Act(r.Context(), v.actor, number, act); err != nil {
		h.actionFailed(w, r, v, number, err, &entryForm{Seen: formInt64(r, "seen")})
		return
	}
	h.setFlash(w, "flash.action.unlink")
	http.Redirect(w, r, ticketPath(number), http.StatusSeeOther)
}
