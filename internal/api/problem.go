package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/servus-desk/servus/internal/errtext"
	"github.com/servus-desk/servus/internal/ticket"
)

// problem is an RFC 9457 problem details object. Type is always
// "about:blank", so Title is the status's phrase; Code is servus's error
// code (ticket.ECONFLICT …) for programs, Detail a sentence for people and
// Errors the per-field problems of a 400.
type problem struct {
	Type   string            `json:"type"`
	Title  string            `json:"title"`
	Status int               `json:"status"`
	Detail string            `json:"detail,omitempty"`
	Code   string            `json:"code,omitempty"`
	Errors map[string]string `json:"errors,omitempty"`
}

// statusError is a failure of HTTP itself that servus's error vocabulary
// has no code for (415 Unsupported Media Type).
type statusError struct {
	status int
	code   string
	detail string
}

func (e *statusError) Error() string { return e.detail }

// fail answers err as a problem, its detail and field problems in English
// from the catalog. An internal error is logged with the request's method
// and path and shown as a generic message.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *statusError
	if errors.As(err, &se) {
		writeProblem(w, se.status, se.code, se.detail, nil)
		return
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = ticket.E(ticket.ETOOLARGE, "err.api.body_too_large", mbe.Limit)
	}
	code := ticket.ErrorCode(err)
	status := errtext.Status(code)
	if status == http.StatusInternalServerError {
		h.log.ErrorContext(r.Context(), "api: internal error",
			"method", r.Method, "path", r.URL.Path, "err", err)
		writeProblem(w, status, ticket.EINTERNAL, errtext.Message("en", err), nil)
		return
	}
	writeProblem(w, status, code, errtext.Message("en", err), errtext.Fields("en", err))
}

// writeProblem writes a problem+json response.
func writeProblem(w http.ResponseWriter, status int, code, detail string, fields map[string]string) {
	if status == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="servus"`)
	}
	body, _ := json.Marshal(problem{
		Type:   "about:blank",
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Code:   code,
		Errors: fields,
	})
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
