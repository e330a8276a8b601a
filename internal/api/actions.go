package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// actOnTicket is POST /api/v1/tickets/{number}/actions: {action, assignee?,
// queue?, version?, into? (merge), ticket? (link, unlink), kind? (link,
// unlink), entries? and subject? (split), macro? and time_spent? (macro)}
// → 200 with the ticket. link_kind
// is the older name of kind, and merge takes its target as ticket too.
// Split answers 201 with the new ticket (and its Location).
func (h *handler) actOnTicket(w http.ResponseWriter, r *http.Request, a access.Actor) {
	number, err := ticketNumber(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Action   string          `json:"action"`
		Assignee string          `json:"assignee"`
		Queue    string          `json:"queue"`
		Version  int64           `json:"version"`
		Into     ticketRef       `json:"into"`
		Ticket   ticketRef       `json:"ticket"`
		Kind     string          `json:"kind"`
		LinkKind string          `json:"link_kind"`
		Entries  json.RawMessage `json:"entries"`
		Subject  string          `json:"subject"`
		Macro    int64           `json:"macro"`
		Minutes  int             `json:"time_spent"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Action == "split" {
		var ids []int64
		if in.Entries != nil && !isNull(in.Entries) && json.Unmarshal(in.Entries, &ids) != nil {
			h.fail(w, r, invalidField("entries", "problem.entry_ids"))
			return
		}
		nt, err := h.svc.SplitTicket(r.Context(), a, number, desk.Split{Entries: ids, Subject: in.Subject,
			Version: in.Version, Channel: ticket.ChannelAPI})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Location", fmt.Sprintf("%s/api/v1/tickets/%d", h.baseURL, nt.Number))
		h.writeJSON(w, r, http.StatusCreated, h.ticketView(nt))
		return
	}
	if in.Action == "macro" {
		t, err := h.svc.ApplyMacro(r.Context(), a, number, desk.MacroUse{Macro: in.Macro, Version: in.Version,
			TimeSpent: in.Minutes, BaseURL: h.baseURL, Channel: ticket.ChannelAPI})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.writeJSON(w, r, http.StatusOK, h.ticketView(t))
		return
	}
	// The caller's names for the other ticket and the kind, so a problem
	// with them names the field that was sent.
	target, targetField := in.Ticket, "ticket"
	if in.Action == "merge" && (in.Into != 0 || in.Ticket == 0) {
		if in.Ticket != 0 && in.Ticket != in.Into {
			h.fail(w, r, ticket.E(ticket.EINVALID, ticket.ReasonInvalidFields).Field("ticket", "problem.contradicts", "into"))
			return
		}
		target, targetField = in.Into, "into"
	}
	kind, kindField := in.Kind, "kind"
	if kind == "" && in.LinkKind != "" {
		kind, kindField = in.LinkKind, "link_kind"
	}
	t, err := h.svc.Act(r.Context(), a, number, desk.Action{
		Name:     in.Action,
		Version:  in.Version,
		Assignee: in.Assignee,
		Queue:    in.Queue,
		Target:   int64(target),
		LinkKind: kind,
		Channel:  ticket.ChannelAPI,
	})
	if err != nil {
		h.fail(w, r, renameFields(err, map[string]string{"ticket": targetField, "link_kind": kindField}))
		return
	}
	h.writeJSON(w, r, http.StatusOK, h.ticketView(t))
}

// renameFields returns err with its fields renamed by names (desk's name →
// the request's), or err itself when it names none of them.
func renameFields(err error, names map[string]string) error {
	var te *ticket.Error
	if !errors.As(err, &te) || len(te.Fields) == 0 {
		return err
	}
	out := *te
	out.Fields = make(map[string]ticket.Problem, len(te.Fields))
	for f, p := range maps.All(te.Fields) {
		if to, ok := names[f]; ok {
			f = to
		}
		out.Fields[f] = p
	}
	return &out
}
