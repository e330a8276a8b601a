package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// createTicket is POST /api/v1/tickets: {queue, subject, description,
// priority?, due?, confidential?, requester?, cc?, channel?} → 201 with the
// ticket and its Location.
func (h *handler) createTicket(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Queue        string          `json:"queue"`
		Subject      string          `json:"subject"`
		Description  string          `json:"description"`
		Priority     ticket.Priority `json:"priority"`
		Due          *string         `json:"due"`
		Confidential *bool           `json:"confidential"`
		Requester    string          `json:"requester"`
		CC           []string        `json:"cc"`
		Channel      ticket.Channel  `json:"channel"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	nt := desk.NewTicket{
		Queue:        in.Queue,
		Subject:      in.Subject,
		Description:  in.Description,
		Priority:     in.Priority,
		Confidential: in.Confidential,
		Requester:    in.Requester,
		CC:           in.CC,
		Channel:      in.Channel,
	}
	if in.Due != nil {
		due, ok := parseDue(*in.Due)
		if !ok {
			h.fail(w, r, invalidField("due", "problem.time"))
			return
		}
		nt.Due = &due
	}
	t, err := h.svc.CreateTicket(r.Context(), a, nt)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("%s/api/v1/tickets/%d", h.baseURL, t.Number))
	h.writeJSON(w, r, http.StatusCreated, h.ticketView(t))
}

// getTicket is GET /api/v1/tickets/{number}: the ticket, or 404 when it
// does not exist or the caller may not see it.
func (h *handler) getTicket(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.svc.Ticket(r.Context(), a, number)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.ticketView(t)
	if v.Feedback, err = h.svc.TicketFeedback(r.Context(), a, number); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Feedback != nil {
		v.Feedback.CreatedAt = v.Feedback.CreatedAt.UTC()
	}
	h.writeJSON(w, r, http.StatusOK, v)
}

// updateTicket is PATCH /api/v1/tickets/{number}: {version, subject?,
// description?, priority?, due?, confidential?, cc?} → 200 with the
// ticket. An absent field stays; "due": null clears the due date, "cc":
// null or [] empties the CC; null for the other fields is a 400. A stale
// version is 409, as is a closed or merged ticket. Requesters change their
// own ticket's subject, description, priority, due and confidentiality
// (making it public again is for the queue's members: 403).
func (h *handler) updateTicket(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Version      json.RawMessage `json:"version"`
		Subject      json.RawMessage `json:"subject"`
		Description  json.RawMessage `json:"description"`
		Priority     json.RawMessage `json:"priority"`
		Due          json.RawMessage `json:"due"`
		Confidential json.RawMessage `json:"confidential"`
		CC           json.RawMessage `json:"cc"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	var p desk.Patch
	v := ticket.Validation{}
	if in.Version == nil || isNull(in.Version) {
		v.Add("version", "problem.api_version")
	} else if json.Unmarshal(in.Version, &p.Version) != nil || p.Version <= 0 {
		v.Add("version", "problem.positive")
	}
	if in.Subject != nil {
		var s string
		if isNull(in.Subject) || json.Unmarshal(in.Subject, &s) != nil {
			v.Add("subject", "problem.string")
		} else {
			p.Subject = &s
		}
	}
	if in.Description != nil {
		var s string
		if isNull(in.Description) || json.Unmarshal(in.Description, &s) != nil {
			v.Add("description", "problem.string")
		} else {
			p.Description = &s
		}
	}
	if in.Priority != nil {
		var pr ticket.Priority
		if isNull(in.Priority) || json.Unmarshal(in.Priority, &pr) != nil || !pr.Valid() {
			v.Add("priority", "problem.api_priority")
		} else {
			p.Priority = &pr
		}
	}
	if in.Due != nil {
		var s string
		switch {
		case isNull(in.Due):
			p.ClearDue = true
		case json.Unmarshal(in.Due, &s) != nil:
			v.Add("due", "problem.time_or_null")
		default:
			if due, ok := parseDue(s); ok {
				p.Due = &due
			} else {
				v.Add("due", "problem.time_or_null")
			}
		}
	}
	if in.Confidential != nil {
		var c bool
		if isNull(in.Confidential) || json.Unmarshal(in.Confidential, &c) != nil {
			v.Add("confidential", "problem.bool")
		} else {
			p.Confidential = &c
		}
	}
	if in.CC != nil {
		cc := []string{}
		if !isNull(in.CC) && json.Unmarshal(in.CC, &cc) != nil {
			v.Add("cc", "problem.api_cc")
		} else {
			if cc == nil {
				cc = []string{}
			}
			p.CC = &cc
		}
	}
	if err := v.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.svc.UpdateTicket(r.Context(), a, number, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.ticketView(t))
}

// isNull reports whether raw is the JSON literal null.
func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}
