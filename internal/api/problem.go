package api

import (
	"encoding/json"
	"errors"
	"net/http"

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

// statusFor maps an error code of ticket's vocabulary to an HTTP status. It
// is the one place the API decides this.
func statusFor(code string) int {
	switch code {
	case ticket.EINVALID:
		return http.StatusBadRequest
	case ticket.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case ticket.EFORBIDDEN:
		return http.StatusForbidden
	case ticket.ENOTFOUND:
		return http.StatusNotFound
	case ticket.ECONFLICT:
		return http.StatusConflict
	case ticket.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// fail answers err as a problem. An internal error is logged with the
// request's method and path and shown as a generic message.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *statusError
	if errors.As(err, &se) {
		writeProblem(w, se.status, se.code, se.detail, nil)
		return
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = ticket.Errorf(ticket.ETOOLARGE, "The request body is larger than %d bytes.", mbe.Limit)
	}
	code := ticket.ErrorCode(err)
	status := statusFor(code)
	if status == http.StatusInternalServerError {
		h.log.ErrorContext(r.Context(), "api: internal error",
			"method", r.Method, "path", r.URL.Path, "err", err)
		writeProblem(w, status, ticket.EINTERNAL, "Internal error.", nil)
		return
	}
	writeProblem(w, status, code, ticket.ErrorMessage(err), ticket.ErrorFields(err))
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
