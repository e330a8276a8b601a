package web

import (
	"net/http"
	"strconv"
)

// adminSendReset mails user {id} a one-time link to set a new password,
// the same link "Forgot your password?" sends (and under its limit of
// links an hour). Admins never see or choose anyone's password.
func (h *handler) adminSendReset(w http.ResponseWriter, r *http.Request, v *visit) {
	info, err := h.svc.UserInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if info.User.Disabled {
		h.showAdminUser(w, r, v, http.StatusConflict, v.l.T("manage.reset_disabled"), nil, nil)
		return
	}
	if info.User.AuthSource.External() {
		h.showAdminUser(w, r, v, http.StatusConflict, v.l.T("manage.reset_external"), nil, nil)
		return
	}
	if err := h.svc.SendPasswordReset(r.Context(), v.actor, info.User.Email); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.reset_sent")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(info.User.ID, 10), http.StatusSeeOther)
}
