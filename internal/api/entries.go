package api

import (
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// listEntries is GET /api/v1/tickets/{number}/entries: {items: [entry…]},
// the timeline entries the caller may see, oldest first.
func (h *handler) listEntries(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	es, err := h.svc.Entries(r.Context(), a, number)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, list[ticket.Entry]{Items: entryViews(es)})
}

// createEntry is POST /api/v1/tickets/{number}/entries: {kind, body,
// visibility?, channel?} → 201 with the entry. Channel (default api) lets
// staff record a phone call or a conversation at the desk.
func (h *handler) createEntry(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Kind       ticket.Kind       `json:"kind"`
		Body       string            `json:"body"`
		Visibility ticket.Visibility `json:"visibility"`
		Channel    ticket.Channel    `json:"channel"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.svc.AddEntry(r.Context(), a, number, desk.NewEntry{
		Kind:       in.Kind,
		Body:       in.Body,
		Visibility: in.Visibility,
		Channel:    in.Channel,
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, entryView(e))
}
