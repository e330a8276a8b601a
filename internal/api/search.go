package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// searchTickets is GET /api/v1/tickets?q=&queue=&state=&requester=&assignee=
// &priority=&created_after=&created_before=&page=&per_page=&sort= →
// {items, total, page, per_page}, only ever over the tickets the caller
// may see. state may repeat or be comma-separated; bad values are a 400
// naming each parameter. Unknown parameters are ignored.
func (h *handler) searchTickets(w http.ResponseWriter, r *http.Request, a access.Actor) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	page, err := h.svc.Search(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeJSON(w, r, http.StatusOK, pageJSON{
		Items:   h.ticketViews(page.Items),
		Total:   page.Total,
		Page:    page.Page,
		PerPage: page.PerPage,
	})
}

// maxPerPage is the largest page a search answers.
const maxPerPage = 100

// parseFilter reads a search's query parameters. Its error is EINVALID with
// a problem per parameter.
func parseFilter(q url.Values) (ticket.Filter, error) {
	v := ticket.Validation{}
	f := ticket.Filter{
		Q:         strings.TrimSpace(q.Get("q")),
		Queue:     strings.TrimSpace(q.Get("queue")),
		Requester: strings.TrimSpace(q.Get("requester")),
		Assignee:  strings.TrimSpace(q.Get("assignee")),
	}
	for _, s := range q["state"] {
		for part := range strings.SplitSeq(s, ",") {
			st := ticket.State(strings.TrimSpace(part))
			switch {
			case st == "":
			case !st.Valid():
				v.Add("state", "problem.api_state")
			case !slices.Contains(f.States, st):
				f.States = append(f.States, st)
			}
		}
	}
	if s := q.Get("priority"); s != "" {
		if p := ticket.Priority(s); p.Valid() {
			f.Priority = p
		} else {
			v.Add("priority", "problem.api_priority")
		}
	}
	for name, dst := range map[string]**time.Time{"created_after": &f.CreatedAfter, "created_before": &f.CreatedBefore} {
		if s := q.Get(name); s != "" {
			if t, ok := parseTime(s); ok {
				*dst = &t
			} else {
				v.Add(name, "problem.time")
			}
		}
	}
	if s := q.Get("sort"); s != "" {
		if slices.Contains(ticket.SortFields, strings.TrimPrefix(s, "-")) {
			f.Sort = s
		} else {
			v.Add("sort", "problem.api_sort", strings.Join(ticket.SortFields, ", "))
		}
	}
	if s := q.Get("page"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 {
			f.Page = n
		} else {
			v.Add("page", "problem.min_page")
		}
	}
	if s := q.Get("per_page"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= maxPerPage {
			f.PerPage = n
		} else {
			v.Add("per_page", "problem.per_page", maxPerPage)
		}
	}
	return f, v.Err()
}
