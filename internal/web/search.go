package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// searchData is the search page: the filter as typed, and one page of
// results.
type searchData struct {
	Q, Queue, Requester, Assignee, Priority, After, Before, Sort string
	States                                                       []string
	Page                                                         *ticket.Page
	Names                                                        map[string]string
	Queues                                                       []*ticket.Queue
	AllStates                                                    []ticket.State
	Priorities                                                   []ticket.Priority
	SortFields                                                   []string
	Prev, Next                                                   string // URLs of the neighbouring pages, "" at the ends
	From, To, Pages                                              int
	Sorted                                                       map[string]string // column → URL sorting by it
}

// search lists the tickets the person may see that match: full text and
// filters; an empty search lists everything they may see.
func (h *handler) search(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	d := &searchData{Q: q.Get("q"), Queue: q.Get("queue"), Requester: q.Get("requester"), Assignee: q.Get("assignee"),
		Priority: q.Get("priority"), After: q.Get("created_after"), Before: q.Get("created_before"), Sort: q.Get("sort"),
		States: q["state"], AllStates: ticket.States, Priorities: ticket.Priorities, SortFields: ticket.SortFields}
	f := ticket.Filter{Q: d.Q, Queue: d.Queue, Requester: d.Requester, Assignee: d.Assignee,
		Priority: ticket.Priority(d.Priority), Sort: d.Sort, PerPage: 25}
	if f.Assignee == "me" {
		f.Assignee = v.actor.Email
	}
	for _, s := range d.States {
		if s != "" {
			f.States = append(f.States, ticket.State(s))
		}
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	bad := ticket.Validation{}
	if d.After != "" {
		if t, err := v.l.ParseDate(d.After); err == nil {
			t = t.Add(-24*time.Hour + time.Second) // the start of that day
			f.CreatedAfter = &t
		} else {
			bad.Add("created_after", "is not a date")
		}
	}
	if d.Before != "" {
		if t, err := v.l.ParseDate(d.Before); err == nil {
			t = t.Add(time.Second) // the end of that day, exclusive
			f.CreatedBefore = &t
		} else {
			bad.Add("created_before", "is not a date")
		}
	}
	vw := &view{Title: v.l.T("search.title"), Nav: "search", Data: d}
	qs, err := h.svc.Queues(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d.Queues = qs
	err = bad.Err()
	if err == nil {
		d.Page, d.Names, err = h.svc.SearchView(r.Context(), v.actor, f)
	}
	if err != nil {
		status, msg, fields := h.errorText(r, v, err)
		if status == http.StatusInternalServerError {
			h.fail(w, r, v, err)
			return
		}
		vw.Error, vw.Fields = msg, fields
		d.Page = &ticket.Page{Page: 1, PerPage: 25}
		h.render(w, r, v, status, "search", vw)
		return
	}
	p := d.Page
	d.Pages = (p.Total + p.PerPage - 1) / p.PerPage
	if p.Total > 0 {
		d.From = (p.Page-1)*p.PerPage + 1
		d.To = min(p.Page*p.PerPage, p.Total)
	}
	with := func(key, value string) string {
		u := url.Values{}
		for k, vs := range q {
			u[k] = vs
		}
		u.Del("page")
		if key != "" {
			u.Set(key, value)
		}
		return "/search?" + u.Encode()
	}
	if p.Page > 1 {
		d.Prev = with("page", strconv.Itoa(p.Page-1))
	}
	if p.Page < d.Pages {
		d.Next = with("page", strconv.Itoa(p.Page+1))
	}
	d.Sorted = map[string]string{}
	cur := d.Sort
	if cur == "" {
		cur = "-updated"
	}
	for _, field := range ticket.SortFields {
		next := field
		if strings.TrimPrefix(cur, "-") == field && !strings.HasPrefix(cur, "-") {
			next = "-" + field
		} else if strings.TrimPrefix(cur, "-") != field && (field == "updated" || field == "created" || field == "priority") {
			next = "-" + field // newest and most urgent first on the first click
		}
		d.Sorted[field] = with("sort", next)
	}
	h.render(w, r, v, http.StatusOK, "search", vw)
}
