package api

import (
	"fmt"
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
)

// rateTicket is POST /api/v1/tickets/{number}/feedback: {rating: 1..5,
// comment?} → 201 with the feedback. Only the ticket's requester rates,
// once, when the ticket is resolved or closed as solved: anyone else who
// sees the ticket (staff among them) gets 403, a second rating 409, a
// rating outside 1 to 5 400.
func (h *handler) rateTicket(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Rating  *int   `json:"rating"`
		Comment string `json:"comment"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	rating := 0 // absent: refused by desk as outside 1 to 5
	if in.Rating != nil {
		rating = *in.Rating
	}
	f, err := h.svc.Rate(r.Context(), a, number, rating, in.Comment, desk.FeedbackByAPI)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.CreatedAt = f.CreatedAt.UTC()
	w.Header().Set("Location", fmt.Sprintf("%s/api/v1/tickets/%d", h.baseURL, number))
	h.writeJSON(w, r, http.StatusCreated, f)
}
