// Package ticket is servus's domain: tickets, timeline entries, queues,
// users, the state machine and the error vocabulary every surface maps to
// its own status codes. It depends on the standard library only.
package ticket

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. Every error servus shows a caller carries one of these; each
// surface (API, web, CLI) maps a code to its own status in one place.
const (
	ECONFLICT     = "conflict"     // stale version, duplicate name, not allowed in this state
	EINTERNAL     = "internal"     // a fault of servus or its database; details are logged, not shown
	EINVALID      = "invalid"      // the request is malformed or a field fails validation
	ENOTFOUND     = "not_found"    // does not exist, or the caller may not see it
	EUNAUTHORIZED = "unauthorized" // no or bad credentials
	EFORBIDDEN    = "forbidden"    // the caller may see the thing but not do this to it
	ETOOLARGE     = "too_large"    // a body or upload beyond its limit
)

// Error is servus's error vocabulary. Message is safe to show to the caller;
// Fields names per-field validation problems.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err's *Error, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human-readable message of err's *Error, or a
// generic message for an internal error, so that internal details never
// reach a caller.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the per-field problems of err's *Error, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects field errors; Err returns nil when there are none.
type Validation map[string]string

// Add records a problem with field, keeping the first one per field.
func (v Validation) Add(field, problem string) {
	if _, ok := v[field]; !ok {
		v[field] = problem
	}
}

// Err returns an EINVALID *Error listing every field problem, or nil.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Some fields are not valid.", Fields: map[string]string(v)}
}
