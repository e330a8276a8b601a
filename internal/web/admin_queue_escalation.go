package web

import (
	"net/http"
	"strconv"

	"github.com/servus-desk/servus/internal/desk"
)

// adminQueueEscalation saves queue {id}'s escalation setting: checkbox
// "escalate" checked (value 1) turns the digests on, unchecked off.
func (h *handler) adminQueueEscalation(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	info, err := h.svc.QueueInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	on := r.PostFormValue("escalate") == "1"
	if _, err := h.svc.UpdateQueue(r.Context(), v.actor, info.Queue.Name, desk.QueuePatch{Escalate: &on}); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.escalation_saved")
	http.Redirect(w, r, "/admin/queues/"+strconv.FormatInt(info.Queue.ID, 10), http.StatusSeeOther)
}
