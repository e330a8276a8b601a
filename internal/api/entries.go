package api

import (
	"encoding/json"
	"math"
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
// visibility?, channel?, time_spent?} → 201 with the entry. Channel
// (default api) lets staff record a phone call or a conversation at the
// desk; time_spent is whole minutes, 1 to 1439, as the ticket's queue takes
// them.
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
		TimeSpent  json.RawMessage   `json:"time_spent"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	minutes, err := timeSpent(in.TimeSpent)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.svc.AddEntry(r.Context(), a, number, desk.NewEntry{
		Kind:       in.Kind,
		Body:       in.Body,
		Visibility: in.Visibility,
		Channel:    in.Channel,
		TimeSpent:  minutes,
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, entryView(e))
}

// timeSpent reads time_spent: absent or null is none (0); otherwise a whole
// number of minutes (desk checks its range and the queue's setting).
func timeSpent(raw json.RawMessage) (int, error) {
	if raw == nil || isNull(raw) {
		return 0, nil
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil || f != math.Trunc(f) || math.Abs(f) > 1e6 {
		return 0, invalidField("time_spent", "problem.time_spent_minutes")
	}
	if f == 0 { // an explicit 0 is no time spent, which desk reads as none: refuse it as out of range
		return 0, invalidField("time_spent", desk.ProblemTimeSpentRange, ticket.MinTimeSpent, ticket.MaxTimeSpent)
	}
	return int(f), nil
}
