package api

import (
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// listQueues is GET /api/v1/queues: {items: [queue…]}, with members for
// staff.
func (h *handler) listQueues(w http.ResponseWriter, r *http.Request, a access.Actor) {
	qs, err := h.svc.Queues(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := list[ticket.Queue]{Items: make([]ticket.Queue, 0, len(qs))}
	for _, q := range qs {
		out.Items = append(out.Items, queueView(q))
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// createQueue is POST /api/v1/queues (admins): {name, address?, default?,
// confidential?, time_spent?: off|optional|required} → 201 with the queue.
func (h *handler) createQueue(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Name         string `json:"name"`
		Address      string `json:"address"`
		Default      bool   `json:"default"`
		Confidential bool   `json:"confidential"`
		TimeSpent    string `json:"time_spent"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := h.svc.CreateQueue(r.Context(), a, desk.NewQueue{
		Name:         in.Name,
		Address:      in.Address,
		Default:      in.Default,
		Confidential: in.Confidential,
		TimeSpent:    ticket.TimeSpent(in.TimeSpent),
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, queueView(q))
}

// addQueueMember is POST /api/v1/queues/{name}/members (admins): {email} →
// 204 No Content.
func (h *handler) addQueueMember(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Email string `json:"email"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Email == "" {
		h.fail(w, r, invalidField("email", "problem.member_email"))
		return
	}
	if err := h.svc.AddQueueMember(r.Context(), a, r.PathValue("name"), in.Email); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
