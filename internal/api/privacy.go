package api

import (
	"io"
	"mime"
	"net/http"

	"github.com/servus-desk/servus/internal/access"
)

// exportUser is GET /api/v1/users/{email}/export (admins): everything
// servus holds about the person as a zip archive, streamed as it is read.
// A failure before the first byte is a problem; one after it aborts the
// response, so that no client takes a cut archive for the whole.
func (h *handler) exportUser(w http.ResponseWriter, r *http.Request, a access.Actor) {
	email := r.PathValue("email")
	started, err := h.svc.ExportPerson(r.Context(), a, email, func() io.Writer {
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "servus-export-" + email + ".zip"}))
		w.WriteHeader(http.StatusOK)
		return w
	})
	if err != nil && !started {
		h.fail(w, r, err)
		return
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "export cut short", "err", err)
		panic(http.ErrAbortHandler)
	}
}
