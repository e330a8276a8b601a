package api

import (
	"net/http"
	"strconv"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// listOutbox is GET /api/v1/outbox?state=&page=&per_page= (admins): the
// notifications servus owes or sent, newest first, as {items, total, page,
// per_page}. Mail about tickets the admin may not see is left out.
func (h *handler) listOutbox(w http.ResponseWriter, r *http.Request, a access.Actor) {
	q := r.URL.Query()
	v := ticket.Validation{}
	page, perPage := parsePaging(q, v)
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.svc.Outbox(r.Context(), a, q.Get("state"), page, perPage)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, p)
}

// retryMail is POST /api/v1/outbox/{id}/retry (admins): a failed or
// dropped mail is tried again at once → 200 with the notification.
func (h *handler) retryMail(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, ticket.E(ticket.ENOTFOUND, "err.api.notification_not_found"))
		return
	}
	it, err := h.svc.RetryMail(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, it)
}
