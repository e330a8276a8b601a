package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// queuesData is /queues: the person's queues, then the others, each with
// its counts, and the sums over all queues.
type queuesData struct {
	Groups     []*queueGroup
	Total      []countCell
	TotalLinks map[string]string // count → the search listing the tickets it counts
}

// queueGroup is a part of /queues: the person's queues or the others.
type queueGroup struct {
	ID, Title string // element ID, catalog key
	Rows      []*queueRow
}

// queueRow is one queue of /queues.
type queueRow struct {
	*desk.QueueSummary
	Path  string            // the queue's view
	Cells []countCell       // in the page's column order
	Links map[string]string // count → the list (tab or search) of the tickets it counts
}

// countCell is one count of /queues.
type countCell struct {
	Name string // new, open, waiting, overdue, unassigned, resolved
	N    int
}

// overviewCells are c's counts in the column order of /queues.
func overviewCells(c desk.QueueCounts) []countCell {
	return []countCell{{"new", c.New}, {"open", c.Open}, {"waiting", c.Waiting}, {"overdue", c.Overdue},
		{"unassigned", c.Unassigned}, {"resolved", c.Resolved}}
}

// queuePath is the URL path of the view of the queue called name.
func queuePath(name string) string { return "/queues/" + url.PathEscape(name) }

// queues lists every queue with its counts under the person's visibility:
// theirs first, then the others (staff only; anyone else gets 404). Each
// count links to the queue view's tab or the search that lists what it
// counts.
func (h *handler) queues(w http.ResponseWriter, r *http.Request, v *visit) {
	qs, err := h.svc.QueueOverview(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	mine := &queueGroup{ID: "my-queues", Title: "queues.mine"}
	others := &queueGroup{ID: "other-queues", Title: "queues.others"}
	var total desk.QueueCounts
	for _, q := range qs {
		path := queuePath(q.Queue.Name)
		name := url.QueryEscape(q.Queue.Name)
		row := &queueRow{QueueSummary: q, Path: path, Cells: overviewCells(q.Counts), Links: map[string]string{
			"new":        "/search?queue=" + name + "&state=new",
			"open":       "/search?queue=" + name + "&state=open",
			"waiting":    path + "?tab=waiting",
			"overdue":    path + "?tab=overdue",
			"unassigned": path + "?tab=unassigned",
			"resolved":   path + "?tab=resolved",
		}}
		if q.Member {
			mine.Rows = append(mine.Rows, row)
		} else {
			others.Rows = append(others.Rows, row)
		}
		c := q.Counts
		total.New += c.New
		total.Open += c.Open
		total.Waiting += c.Waiting
		total.Overdue += c.Overdue
		total.Unassigned += c.Unassigned
		total.Resolved += c.Resolved
	}
	d := &queuesData{Groups: []*queueGroup{mine}, Total: overviewCells(total), TotalLinks: map[string]string{
		"new":        "/search?state=new",
		"open":       "/search?state=open",
		"waiting":    "/search?state=waiting",
		"overdue":    "/search?overdue=1&sort=due",
		"unassigned": "/search?assignee=none&state=new&state=open&state=waiting&state=resolved",
		"resolved":   "/search?state=resolved",
	}}
	if len(others.Rows) > 0 {
		d.Groups = append(d.Groups, others)
	}
	h.render(w, r, v, http.StatusOK, "queues", &view{Title: v.l.T("queues.title"), Nav: "queues", Data: d})
}

// queueData is /queues/{name}: the queue's head, its tabs with counts, and
// the chosen tab's list.
type queueData struct {
	*desk.QueueDetail
	Path      string
	Tab       string
	Tabs      []queueTabLink
	SearchURL string        // the same list on the search page
	Results   template.HTML // the list partial of search.html
}

// queueTabLink is one tab of a queue view.
type queueTabLink struct {
	Name  string
	Count int
	URL   string
}

// defaultQueueTab is the tab a queue view opens with.
const defaultQueueTab = "open"

// queueView is one queue's view: tabs (unassigned, open, mine, waiting,
// overdue, resolved, closed) with counts, and the chosen tab's tickets,
// sortable, paged and with the search page's bulk actions. The list is the
// tab's search filter (desk.QueueTab) run through the search, and written
// as the search page's query for "open in search", so both agree. Staff only; anyone else, and an
// unknown queue, get 404.
func (h *handler) queueView(w http.ResponseWriter, r *http.Request, v *visit) {
	det, err := h.svc.QueueDetail(r.Context(), v.actor, r.PathValue("name"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	q := r.URL.Query()
	d := &queueData{QueueDetail: det, Path: queuePath(det.Queue.Name), Tab: q.Get("tab")}
	vw := &view{Title: det.Queue.Name, Nav: "queues", Data: d}
	status := http.StatusOK
	if d.Tab == "" {
		d.Tab = defaultQueueTab
	}
	f, ok := desk.QueueTab(det.Queue.Name, d.Tab)
	if !ok {
		status, vw.Error, vw.Fields = http.StatusBadRequest, v.l.T("queues.unknown_tab"), map[string]bool{"tab": true}
		d.Tab = defaultQueueTab
		f, _ = desk.QueueTab(det.Queue.Name, d.Tab)
	}
	for _, name := range desk.QueueTabs() {
		d.Tabs = append(d.Tabs, queueTabLink{Name: name, Count: det.Counts.Tab(name), URL: d.Path + "?tab=" + name})
	}
	if s := q.Get("sort"); s != "" {
		f.Sort = s
	}
	res := &resultsData{Page: &ticket.Page{Page: 1, PerPage: resultsPerPage}}
	d.SearchURL = searchURL(v.l, f)
	sort := f.Sort
	f.Page, _ = strconv.Atoi(q.Get("page"))
	f.PerPage = resultsPerPage
	f.Cursor, f.TotalCap = q.Get("cursor"), ticket.TotalCap
	res.Page, res.Names, err = h.svc.SearchView(r.Context(), v.actor, f)
	if err == nil {
		res.Queues, err = h.svc.Queues(r.Context(), v.actor) // the bulk form's move targets
		res.Members = det.Queue.Members
	}
	if err != nil {
		st, msg, fields := h.errorText(r, v, err)
		if st == http.StatusInternalServerError {
			h.fail(w, r, v, err)
			return
		}
		status, vw.Error, vw.Fields = st, msg, fields
		res.Page = &ticket.Page{Page: 1, PerPage: resultsPerPage}
	} else {
		keep := url.Values{"tab": {d.Tab}}
		if s := q.Get("sort"); s != "" {
			keep.Set("sort", s)
		}
		res.links(sort, func(key, value string) string { return d.Path + "?" + withParam(keep, key, value) })
	}
	if d.Results, err = h.renderResults(v, res); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, status, "queue", vw)
}
