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
// surface (API, web, CLI) maps a code to its status in one place
// (internal/errtext.Status).
const (
	ECONFLICT     = "conflict"     // stale version, duplicate name, not allowed in this state
	EINTERNAL     = "internal"     // a fault of servus or its database; details are logged, not shown
	EINVALID      = "invalid"      // the request is malformed or a field fails validation
	ENOTFOUND     = "not_found"    // does not exist, or the caller may not see it
	EUNAUTHORIZED = "unauthorized" // no or bad credentials
	EFORBIDDEN    = "forbidden"    // the caller may see the thing but not do this to it
	ETOOLARGE     = "too_large"    // a body or upload beyond its limit
)

// Error is servus's error vocabulary: what went wrong, for programs, and
// the words to tell people, in any language.
//
// Code is the kind (ECONFLICT …), from which each surface takes its status.
// Reason is a key of the i18n catalog ("err.ticket.stale") whose German and
// English texts hold fmt verbs for Args; a program tells one refusal from
// another by it (ErrorReason), never by words. Fields holds per-field
// problems, each a reason key of its own ("problem.max_chars") with its
// arguments.
//
// Args are shown in the reader's language: a State, Role, Priority, Kind or
// Visibility as the catalog's name of that value (English keeps the value
// itself, the word the API speaks), a Problem as its text, anything else
// with its fmt verb. internal/errtext renders an Error; ticket holds no
// texts.
type Error struct {
	Code   string
	Reason string
	Args   []any
	Fields map[string]Problem
}

// Problem is what is wrong with one field: a catalog key and its
// arguments, as Error's Reason and Args.
type Problem struct {
	Reason string
	Args   []any
}

// Reasons that ticket itself gives.
const (
	ReasonInvalidFields = "err.invalid_fields" // Validation.Err: see Fields
	ReasonInternal      = "err.internal"       // ErrorReason of an error that is no *Error
)

// E returns an *Error with code, the catalog key reason and its arguments:
//
//	ticket.E(ticket.ECONFLICT, "err.ticket.closed", t.Ref())
func E(code, reason string, args ...any) *Error {
	return &Error{Code: code, Reason: reason, Args: args}
}

// Field adds a problem with field to e and returns e, so a refusal that
// names the field at fault reads as one expression:
//
//	ticket.E(ticket.EINVALID, "err.queue.unknown").Field("queue", "problem.unknown_queue")
//
// A field keeps its first problem.
func (e *Error) Field(field, reason string, args ...any) *Error {
	if e.Fields == nil {
		e.Fields = map[string]Problem{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = Problem{Reason: reason, Args: args}
	}
	return e
}

// Error implements error, for logs: the code, the reason key with its
// arguments and the fields' problems, in no language, e.g.
//
//	conflict: err.ticket.stale(#7, 3, 4)
//	invalid: err.invalid_fields {subject: problem.max_chars(200)}
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	writeReason(&b, e.Reason, e.Args)
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(" {")
		for i, k := range keys {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(k)
			b.WriteString(": ")
			writeReason(&b, e.Fields[k].Reason, e.Fields[k].Args)
		}
		b.WriteString("}")
	}
	return b.String()
}

func writeReason(b *strings.Builder, reason string, args []any) {
	b.WriteString(reason)
	if len(args) == 0 {
		return
	}
	b.WriteString("(")
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(b, a)
	}
	b.WriteString(")")
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

// ErrorReason returns the reason key of err's *Error, ReasonInternal for
// any other non-nil error, and "" for nil. Code that must tell refusals
// apart asks this:
//
//	if ticket.ErrorReason(err) == "err.ticket.stale" { … }
func ErrorReason(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Reason
	}
	return ReasonInternal
}

// ErrorFields returns the reason key of each field's problem in err's
// *Error ("subject" → "problem.max_chars"), or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(e.Fields))
	for f, p := range e.Fields {
		out[f] = p.Reason
	}
	return out
}

// ErrorProblems returns the per-field problems of err's *Error with their
// arguments, or nil.
func ErrorProblems(err error) map[string]Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects field problems; Err returns nil when there are none.
type Validation map[string]Problem

// Add records a problem with field: a catalog key and its arguments. A
// field keeps its first problem.
//
//	v.Add("subject", "problem.max_chars", 200)
func (v Validation) Add(field, reason string, args ...any) {
	if _, ok := v[field]; !ok {
		v[field] = Problem{Reason: reason, Args: args}
	}
}

// Err returns an EINVALID *Error (ReasonInvalidFields) listing every field
// problem, or nil.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Reason: ReasonInvalidFields, Fields: map[string]Problem(v)}
}
