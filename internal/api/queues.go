package api

import (
	"encoding/json"
	"net/http"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// listQueues is GET /api/v1/queues: {items: [queue…]}, with members for
// staff.
func (h *handler) listQueues(w http.ResponseWriter, r *http.Request, a access.Actor) {
	qs, err := h.svc.Queues(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := list[ticket.Queue]{Items: make([]ticket.Queue, 0, len(qs))}
	for _, q := range qs {
		out.Items = append(out.Items, queueView(q))
	}
	h.writeJSON(w, r, http.StatusOK, out)
}

// createQueue is POST /api/v1/queues (admins): {name, address?, default?,
// confidential?, time_spent?: off|optional|required} → 201 with the queue.
func (h *handler) createQueue(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Name         string     `json:"name"`
		Address      string     `json:"address"`
		Default      bool       `json:"default"`
		Confidential bool       `json:"confidential"`
		TimeSpent    string     `json:"time_spent"`
		Targets      *targetsIn `json:"targets"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	nq := desk.NewQueue{
		Name:         in.Name,
		Address:      in.Address,
		Default:      in.Default,
		Confidential: in.Confidential,
		TimeSpent:    ticket.TimeSpent(in.TimeSpent),
	}
	if in.Targets != nil {
		var p desk.QueuePatch
		v := ticket.Validation{}
		in.Targets.patch(v, &p)
		if err := v.Err(); err != nil {
			h.fail(w, r, err)
			return
		}
		tg := ticket.DefaultTargets()
		applyTargets(&tg, p)
		nq.Targets = &tg
	}
	q, err := h.svc.CreateQueue(r.Context(), a, nq)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusCreated, queueView(q))
}

// targetsIn is a queue's "targets" as a request sends them: absent fields
// stay (or take the defaults, for a new queue); a minutes field null or 0
// sets no target.
type targetsIn struct {
	FirstResponse json.RawMessage `json:"first_response_minutes"`
	Resolution    json.RawMessage `json:"resolution_minutes"`
	Hours         *string         `json:"hours"`
	Zone          *string         `json:"time_zone"`
	Holidays      *string         `json:"holidays"`
	Closures      *bool           `json:"closed_dec_24_31"`
	ClosedDays    *[]string       `json:"closed_days"`
}

// patch copies the fields sent into p, with a problem per malformed one.
func (in *targetsIn) patch(v ticket.Validation, p *desk.QueuePatch) {
	minutes := func(field string, raw json.RawMessage, dst **int) {
		if raw == nil {
			return
		}
		var n *int
		if err := json.Unmarshal(raw, &n); err != nil {
			v.Add("targets."+field, "problem.integer")
			return
		}
		if n == nil {
			n = new(int)
		}
		*dst = n
	}
	minutes("first_response_minutes", in.FirstResponse, &p.FirstResponse)
	minutes("resolution_minutes", in.Resolution, &p.Resolution)
	p.Hours, p.Zone, p.Holidays, p.Closures, p.ClosedDays = in.Hours, in.Zone, in.Holidays, in.Closures, in.ClosedDays
}

// applyTargets sets the fields of p that are not nil in tg.
func applyTargets(tg *ticket.Targets, p desk.QueuePatch) {
	if p.FirstResponse != nil {
		tg.FirstResponse = *p.FirstResponse
	}
	if p.Resolution != nil {
		tg.Resolution = *p.Resolution
	}
	if p.Hours != nil {
		tg.Hours = *p.Hours
	}
	if p.Zone != nil {
		tg.Zone = *p.Zone
	}
	if p.Holidays != nil {
		tg.Holidays = *p.Holidays
	}
	if p.Closures != nil {
		tg.Closures = *p.Closures
	}
	if p.ClosedDays != nil {
		tg.ClosedDays = *p.ClosedDays
	}
}

// addQueueMember is POST /api/v1/queues/{name}/members (admins): {email} →
// 204 No Content.
func (h *handler) addQueueMember(w http.ResponseWriter, r *http.Request, a access.Actor) {
	var in struct {
		Email string `json:"email"`
	}
	if err := h.decodeJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Email == "" {
		h.fail(w, r, invalidField("email", "problem.member_email"))
		return
	}
	if err := h.svc.AddQueueMember(r.Context(), a, r.PathValue("name"), in.Email); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
