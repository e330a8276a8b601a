// Package errtext turns servus's errors (ticket.Error) into what a surface
// shows: the HTTP status of an error code, and the words of a reason in a
// language, from the i18n catalog. The API renders English, the web the
// page's language, the command line English; all from the same keys. It
// depends on ticket and i18n only, so that web and api share it without
// importing each other.
package errtext

import (
	"errors"
	"maps"
	"net/http"
	"slices"

	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// Status maps an error code of ticket's vocabulary to an HTTP status: the
// one place servus decides this, for the API and the web alike. Unknown
// codes and EINTERNAL are 500.
func Status(code string) int {
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

// Message returns the text of err's reason in lang, with its arguments: ""
// for nil, and the generic text of ticket.ReasonInternal for an internal
// error (any error that is no *ticket.Error, or one coded EINTERNAL), so
// that internal details never reach a caller.
func Message(lang string, err error) string {
	var e *ticket.Error
	switch {
	case err == nil:
		return ""
	case !errors.As(err, &e) || e.Code == ticket.EINTERNAL:
		return i18n.Text(lang, ticket.ReasonInternal)
	}
	return Text(lang, e.Reason, e.Args...)
}

// Fields returns the text of each field's problem in err in lang, or nil.
func Fields(lang string, err error) map[string]string {
	problems := ticket.ErrorProblems(err)
	if len(problems) == 0 {
		return nil
	}
	out := make(map[string]string, len(problems))
	for f, p := range problems {
		out[f] = Problem(lang, p)
	}
	return out
}

// Problem returns the text of one field problem in lang.
func Problem(lang string, p ticket.Problem) string { return Text(lang, p.Reason, p.Args...) }

// Text returns the catalog text of reason in lang with args put in. An
// argument that names a value of the domain (a ticket.State, Role,
// Priority, Kind or Visibility) is shown as the catalog's name of that
// value, except in English, where the value is its own name (the word the
// API speaks: "open", "question"); a ticket.Problem is shown as its text.
func Text(lang, reason string, args ...any) string {
	if len(args) == 0 {
		return i18n.Text(lang, reason)
	}
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = arg(lang, a)
	}
	return i18n.Text(lang, reason, out...)
}

func arg(lang string, a any) any {
	var prefix, value string
	switch v := a.(type) {
	case ticket.Problem:
		return Problem(lang, v)
	case ticket.State:
		prefix, value = "state.", string(v)
	case ticket.Role:
		prefix, value = "role.", string(v)
	case ticket.Priority:
		prefix, value = "priority.", string(v)
	case ticket.Kind:
		prefix, value = "kind.", string(v)
	case ticket.Visibility:
		prefix, value = "visibility.", string(v)
	default:
		return a
	}
	if lang != "en" && i18n.Has(prefix+value) {
		return i18n.Text(lang, prefix+value)
	}
	return value
}

// English returns err as an operator reads it (the command line, the list
// of failed mail): the English text of a servus error with its field
// problems, or the whole error of a fault, which an operator needs to see.
func English(err error) string {
	if err == nil {
		return ""
	}
	if ticket.ErrorCode(err) == ticket.EINTERNAL {
		return err.Error()
	}
	s := Message("en", err)
	fields := Fields("en", err)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		s += "\n  " + k + ": " + fields[k]
	}
	return s
}
