package api

import (
	"encoding/json"
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// The admin's management of queues, members and users: change and delete
// queues, remove members, list and change users.

// patchString reads an optional string of a PATCH body into *dst: absent
// stays nil; null is a problem unless nullable, when it reads as "".
func patchString(v ticket.Validation, field string, raw json.RawMessage, nullable bool, dst **string) {
	if raw == nil {
		return
	}
	var s string
	if isNull(raw) {
		if !nullable {
			v.Add(field, "problem.string")
			return
		}
	} else if json.Unmarshal(raw, &s) != nil {
		v.Add(field, "problem.string")
		return
	}
	*dst = &s
}

// patchBool reads an optional boolean of a PATCH body into *dst: absent
// stays nil, null is a problem.
func patchBool(v ticket.Validation, field string, raw json.RawMessage, dst **bool) {
	if raw == nil {
		return
	}
	var b bool
	if isNull(raw) || json.Unmarshal(raw, &b) != nil {
		v.Add(field, "problem.bool")
		return
	}
	*dst = &b
}

// updateQueue is PATCH /api/v1/queues/{name} (admins): {name?, address?,
// default?, confidential?, time_spent?: off|optional|required, targets?,
// reminder?, escalate?} → 200 with the queue. escalate true mails the
// members a digest of tickets due soon or breached. A reminder object {after_seconds, then,
// then_after_seconds} replaces the queue's reminder setting as a whole
// (absent members are 0 and "": off). An absent field stays;
// "address": "" or null removes the functional address. "default": true
// makes this the default queue in place of the old one; false on the
// default queue is 409 (there is always one).
func (h *handler) updateQueue(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Name         json.RawMessage `json:"name"`
		Address      json.RawMessage `json:"address"`
		Default      json.RawMessage `json:"default"`
		Confidential json.RawMessage `json:"confidential"`
		TimeSpent    json.RawMessage `json:"time_spent"`
		Targets      *targetsIn      `json:"targets"`
		Reminder     json.RawMessage `json:"reminder"`
		Escalate     json.RawMessage `json:"escalate"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	var p desk.QueuePatch
	v := ticket.Validation{}
	patchString(v, "name", in.Name, false, &p.Name)
	patchString(v, "address", in.Address, true, &p.Address)
	patchBool(v, "default", in.Default, &p.Default)
	patchBool(v, "confidential", in.Confidential, &p.Confidential)
	var spent *string
	patchString(v, "time_spent", in.TimeSpent, false, &spent)
	if spent != nil {
		ts := ticket.TimeSpent(*spent)
		p.TimeSpent = &ts
	}
	if in.Targets != nil {
		in.Targets.patch(v, &p)
	}
	patchReminder(v, in.Reminder, &p.Reminder)
	patchBool(v, "escalate", in.Escalate, &p.Escalate)
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := h.svc.UpdateQueue(r.Context(), a, r.PathValue("name"), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, queueView(q))
}

// deleteQueue is DELETE /api/v1/queues/{name} (admins) → 204. A queue that
// holds tickets, that an assistant entry files into, or that is the default
// is 409 with the reason.
func (h *handler) deleteQueue(w http.ResponseWriter, r *http.Request, a access.Actor) {
	if err := h.svc.DeleteQueue(r.Context(), a, r.PathValue("name")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// removeQueueMember is DELETE /api/v1/queues/{name}/members/{email}
// (admins) → 204. The member's tickets in the queue that are not closed
// and assigned to them become unassigned. Someone who is no member is 404.
func (h *handler) removeQueueMember(w http.ResponseWriter, r *http.Request, a access.Actor) {
	if _, err := h.svc.RemoveQueueMember(r.Context(), a, r.PathValue("name"), r.PathValue("email")); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// userPage is one page of the user list.
type userPage struct {
	Items   []ticket.User `json:"items"`
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"per_page"`
}

// listUsers is GET /api/v1/users?q=&role=&state=&page=&per_page= (admins):
// admins first, then agents and requesters, each by name, as {items,
// total, page, per_page}. q matches part of a name or e-mail; state is
// active or disabled.
func (h *handler) listUsers(w http.ResponseWriter, r *http.Request, a access.Actor) {
	q := r.URL.Query()
	v := ticket.Validation{}
	page, perPage := parsePaging(q, v)
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	f := desk.UserFilter{Query: q.Get("q"), Role: ticket.Role(q.Get("role")), State: q.Get("state")}
	l, err := h.svc.FindUsers(r.Context(), a, f, perPage, (page-1)*perPage)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := userPage{Items: make([]ticket.User, 0, len(l.Items)), Total: l.Total, Page: page, PerPage: perPage}
	for _, u := range l.Items {
		out.Items = append(out.Items, userView(u))
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// updateUser is PATCH /api/v1/users/{email} (admins): {name?, language?,
// role?, disabled?, auditor?} → 200 with the user. An absent field stays. A role of
// requester ends every queue membership; disabled true ends the person's
// sessions and stops their password and tokens; either unassigns their
// tickets that are not closed. Demoting or disabling oneself, or the last
// enabled admin, is 409.
func (h *handler) updateUser(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Name     json.RawMessage `json:"name"`
		Language json.RawMessage `json:"language"`
		Role     json.RawMessage `json:"role"`
		Disabled json.RawMessage `json:"disabled"`
		Auditor  json.RawMessage `json:"auditor"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	var p desk.UserPatch
	var role *string
	v := ticket.Validation{}
	patchString(v, "name", in.Name, false, &p.Name)
	patchString(v, "language", in.Language, false, &p.Language)
	patchString(v, "role", in.Role, false, &role)
	patchBool(v, "disabled", in.Disabled, &p.Disabled)
	patchBool(v, "auditor", in.Auditor, &p.Auditor)
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	if role != nil {
		rl := ticket.Role(*role)
		p.Role = &rl
	}
	u, err := h.svc.UpdateUser(r.Context(), a, r.PathValue("email"), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, userView(u))
}

// patchReminder reads an optional reminder object of a PATCH body into
// *dst: absent stays nil; each member must have its type.
func patchReminder(v ticket.Validation, raw json.RawMessage, dst **ticket.Reminder) {
	if raw == nil {
		return
	}
	var in map[string]json.RawMessage
	if isNull(raw) || json.Unmarshal(raw, &in) != nil {
		v.Add("reminder", "problem.object")
		return
	}
	var rem ticket.Reminder
	ok := true
	for field, val := range in {
		var err error
		switch field {
		case "after_seconds":
			err = json.Unmarshal(val, &rem.AfterSeconds)
		case "then_after_seconds":
			err = json.Unmarshal(val, &rem.ThenAfterSeconds)
		case "then":
			if isNull(val) {
				continue
			}
			if err = json.Unmarshal(val, &rem.Then); err != nil {
				v.Add("reminder.then", "problem.string")
				ok = false
			}
			continue
		default:
			v.Add("reminder."+field, "problem.unknown_field")
			ok = false
			continue
		}
		if err != nil || isNull(val) {
			v.Add("reminder."+field, "problem.integer")
			ok = false
		}
	}
	if ok {
		*dst = &rem
	}
}
