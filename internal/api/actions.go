package api

import (
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// actOnTicket is POST /api/v1/tickets/{number}/actions: {action, assignee?,
// queue?, version?, ticket?, link_kind?} → 200 with the ticket.
func (h *handler) actOnTicket(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Action   string    `json:"action"`
		Assignee string    `json:"assignee"`
		Queue    string    `json:"queue"`
		Version  int64     `json:"version"`
		Ticket   ticketRef `json:"ticket"`
		LinkKind string    `json:"link_kind"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.svc.Act(r.Context(), a, number, desk.Action{
		Name:     in.Action,
		Version:  in.Version,
		Assignee: in.Assignee,
		Queue:    in.Queue,
		Target:   int64(in.Ticket),
		LinkKind: in.LinkKind,
		Channel:  ticket.ChannelAPI,
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.ticketView(t))
}
