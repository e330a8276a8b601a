package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// resultsData is one page of a ticket list with its sorting and paging
// links and the bulk form's choices: the list partial ("results" in
// search.html) that the search page and the queue views share.
type resultsData struct {
	Page            *ticket.Page
	Names           map[string]string
	Queues          []*ticket.Queue   // the bulk form's move targets (and members, without Members)
	Members         []string          // the bulk form's assignees to offer, when one queue's
	Prev, Next      string            // URLs of the neighbouring pages, "" at the ends
	From, To, Pages int               // Pages is 0 when unknown (capped count, page by cursor)
	Sorted          map[string]string // column → URL sorting by it
	SortField       string            // the column the list is sorted by
	SortDesc        bool              // … in descending order
}

// sortCol is one sortable column head of the results table.
type sortCol struct {
	L            *i18n.Localizer
	Field, Class string
	URL          string
	Dir          string // aria-sort: "ascending", "descending", "" when not sorted by it
}

// Col returns the head of column field (class for its cell), with the
// link that sorts by it and how the list is sorted by it now.
func (d *resultsData) Col(l *i18n.Localizer, field, class string) sortCol {
	c := sortCol{L: l, Field: field, Class: class, URL: d.Sorted[field]}
	if field == d.SortField {
		c.Dir = "ascending"
		if d.SortDesc {
			c.Dir = "descending"
		}
	}
	return c
}

// searchData is the search page: the filter as typed, and one page of
// results.
type searchData struct {
	resultsData
	Q, Queue, Requester, Assignee, Priority, After, Before, Sort string
	States                                                       []string
	Targets                                                      []string // response target states to list
	DueWithin                                                    string   // as typed
	TargetStates                                                 []string
	Overdue                                                      bool
	Query                                                        string // the canonical query, for the save form
	AllStates                                                    []ticket.State
	Priorities                                                   []ticket.Priority
	SortFields                                                   []string
}

// splitList reads a repeated, comma-separated parameter as the filter
// language does.
func splitList(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// resultsPerPage is how many tickets one page of a list shows.
const resultsPerPage = 25

// cursorAfterPage is the last page a list links by number; the pages after
// it are linked by cursor (keyset paging, as fast as the first page).
const cursorAfterPage = 10

// search lists the tickets the person may see that match: full text and
// filters; an empty search lists everything they may see. The query is the
// filter language (ticket.ParseFilter) with dates in the person's time
// zone, as saved filters' counts and the queue views read theirs, so that
// their numbers agree. The page shows resultsPerPage tickets a page.
func (h *handler) search(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	d := &searchData{Q: q.Get("q"), Queue: q.Get("queue"), Requester: q.Get("requester"), Assignee: q.Get("assignee"),
		Priority: q.Get("priority"), After: q.Get("created_after"), Before: q.Get("created_before"), Sort: q.Get("sort"),
		States: q["state"], Targets: splitList(q["target"]), DueWithin: q.Get("due_within"), TargetStates: ticket.TargetStates, AllStates: ticket.States, Priorities: ticket.Priorities, SortFields: ticket.SortFields}
	vw := &view{Title: v.l.T("search.title"), Nav: "search", Data: d}
	qs, err := h.svc.Queues(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d.Queues = qs
	f, err := ticket.ParseFilter(q, v.l.Loc)
	page := f.Page
	f.Page, f.PerPage = 0, 0
	d.Query, d.Overdue = f.Encode(v.l.Loc), f.Overdue
	if err == nil {
		f.Page, f.PerPage = page, resultsPerPage
		f.Cursor, f.TotalCap = q.Get("cursor"), ticket.TotalCap
		d.Page, d.Names, err = h.svc.SearchView(r.Context(), v.actor, f)
	}
	if err != nil {
		status, msg, fields := h.errorText(r, v, err)
		if status == http.StatusInternalServerError {
			h.fail(w, r, v, err)
			return
		}
		vw.Error, vw.Fields = msg, fields
		d.Page = &ticket.Page{Page: 1, PerPage: resultsPerPage}
		h.render(w, r, v, status, "search", vw)
		return
	}
	d.links(d.Sort, func(key, value string) string { return "/search?" + withParam(q, key, value) })
	h.render(w, r, v, http.StatusOK, "search", vw)
}

// searchURL is the search page's URL that lists f, its dates in l's zone.
func searchURL(l *i18n.Localizer, f ticket.Filter) string {
	if q := f.Encode(l.Loc); q != "" {
		return "/search?" + q
	}
	return "/search"
}

// withParam is query q without page and cursor and with key set to value
// (none when key is ""), encoded.
func withParam(q url.Values, key, value string) string {
	u := url.Values{}
	for k, vs := range q {
		u[k] = vs
	}
	u.Del("page")
	u.Del("cursor")
	if key != "" {
		u.Set(key, value)
	}
	return u.Encode()
}

// links fills d's paging and sorting links for a list sorted by sort ("" is
// the default, newest update first); link(key, value) is the list's URL
// with that parameter set and no page.
func (d *resultsData) links(sort string, link func(key, value string) string) {
	p := d.Page
	if p.Page == 0 { // a page by cursor: its neighbours by cursor, no page numbers
		if p.PrevCursor != "" {
			d.Prev = link("cursor", p.PrevCursor)
		}
		if p.NextCursor != "" {
			d.Next = link("cursor", p.NextCursor)
		}
	} else {
		if !p.TotalIsLowerBound {
			d.Pages = (p.Total + p.PerPage - 1) / p.PerPage
		}
		if len(p.Items) > 0 {
			d.From = (p.Page-1)*p.PerPage + 1
			d.To = d.From + len(p.Items) - 1
		}
		if p.Page > 1 {
			d.Prev = link("page", strconv.Itoa(p.Page-1))
		}
		// Shallow pages by number; from cursorAfterPage on (and past a
		// capped count) by cursor, which costs the same however deep.
		switch {
		case p.NextCursor == "":
		case p.Page < cursorAfterPage && (p.Page < d.Pages || p.TotalIsLowerBound):
			d.Next = link("page", strconv.Itoa(p.Page+1))
		default:
			d.Next = link("cursor", p.NextCursor)
		}
	}
	d.Sorted = map[string]string{}
	cur := sort
	if cur == "" {
		cur = "-updated"
	}
	d.SortField, d.SortDesc = strings.TrimPrefix(cur, "-"), strings.HasPrefix(cur, "-")
	for _, field := range ticket.SortFields {
		next := field
		if strings.TrimPrefix(cur, "-") == field && !strings.HasPrefix(cur, "-") {
			next = "-" + field
		} else if strings.TrimPrefix(cur, "-") != field && (field == "updated" || field == "created" || field == "priority") {
			next = "-" + field // newest and most urgent first on the first click
		}
		d.Sorted[field] = link("sort", next)
	}
}

// renderResults renders the list partial for d as a page of v would: the
// partial is defined in search.html (each page is parsed alone with the
// layout and partials.html), so other pages embed its output.
func (h *handler) renderResults(v *visit, d *resultsData) (template.HTML, error) {
	vw := &view{L: v.l, Data: d}
	if v.signedIn {
		a := v.actor
		vw.User = &a
	}
	var buf bytes.Buffer
	if err := h.pages["search"].tmpl.ExecuteTemplate(&buf, "results", vw); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}
