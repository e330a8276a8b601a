package web

import (
	"io"
	"mime"
	"net/http"
)

// adminExportUser answers POST /admin/users/{id}/export with everything
// servus holds about the person as a zip download (GDPR article 15),
// streamed as it is read; the export is written to the audit log. A
// failure after the first byte aborts the response, so that no browser
// keeps a cut archive as the whole.
func (h *handler) adminExportUser(w http.ResponseWriter, r *http.Request, v *visit) {
	info, err := h.svc.UserInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	email := info.User.Email
	started, err := h.svc.ExportPerson(r.Context(), v.actor, email, func() io.Writer {
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "servus-export-" + email + ".zip"}))
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		return w
	})
	if err != nil && !started {
		h.fail(w, r, v, err)
		return
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "export cut short", "err", err)
		panic(http.ErrAbortHandler)
	}
}
