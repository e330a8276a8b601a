package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// filtersData is the saved-filters page: the person's filters with their
// counts, and the save form as typed when saving failed.
type filtersData struct {
	Filters []*desk.SavedFilter
	Name    string
	Share   string
	Query   string
	Queues  []*ticket.Queue // the queues the person may share with
}

// dashboardData is the dashboard with the person's saved filters.
type dashboardData struct {
	*desk.Dashboard
	Filters []*desk.SavedFilter
}

// withFilters adds the person's saved filters (staff only) to d.
func (h *handler) withFilters(r *http.Request, v *visit, d *desk.Dashboard) (*dashboardData, error) {
	out := &dashboardData{Dashboard: d}
	if !v.actor.Staff() {
		return out, nil
	}
	var err error
	out.Filters, err = h.svc.SavedFilters(r.Context(), v.actor, v.l.Loc)
	return out, err
}

// myQueues are the queues a may share a filter with.
func (h *handler) myQueues(r *http.Request, v *visit) ([]*ticket.Queue, error) {
	if !v.actor.Staff() {
		return nil, nil
	}
	qs, err := h.svc.Queues(r.Context(), v.actor)
	if err != nil {
		return nil, err
	}
	var mine []*ticket.Queue
	for _, q := range qs {
		if v.actor.Member(q.ID) {
			mine = append(mine, q)
		}
	}
	return mine, nil
}

// listFilters is the page of the person's saved filters.
func (h *handler) listFilters(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderFilters(w, r, v, http.StatusOK, "", nil, &filtersData{})
}

func (h *handler) renderFilters(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, d *filtersData) {
	var err error
	if d.Filters, err = h.svc.SavedFilters(r.Context(), v.actor, v.l.Loc); err != nil {
		h.fail(w, r, v, err)
		return
	}
	if d.Queues, err = h.myQueues(r, v); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, status, "filters", &view{Title: v.l.T("filters.title"), Nav: "search", Error: msg, Fields: fields, Data: d})
}

// saveFilter saves the search that the search page's save form carries
// (the parameters of the filter language, as the search form names them),
// then opens it.
func (h *handler) saveFilter(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	q := url.Values{}
	for _, k := range ticket.FilterParams {
		for _, s := range r.PostForm[k] {
			if s = strings.TrimSpace(s); s != "" {
				q.Add(k, s)
			}
		}
	}
	if raw := r.PostFormValue("query"); raw != "" && len(q) == 0 {
		q, _ = url.ParseQuery(raw) // the filters page's form carries the query whole
	}
	name, share := r.PostFormValue("name"), r.PostFormValue("share")
	f, err := h.svc.SaveFilter(r.Context(), v.actor, name, q.Encode(), share)
	if err != nil {
		status, msg, fields := h.errorText(r, v, err)
		switch {
		case status == http.StatusInternalServerError:
			h.fail(w, r, v, err)
			return
		case ticket.ErrorCode(err) == ticket.EFORBIDDEN:
			msg = v.l.T("filters.share_forbidden")
		}
		h.renderFilters(w, r, v, status, msg, fields, &filtersData{Name: name, Share: share, Query: q.Encode()})
		return
	}
	h.setFlash(w, "flash.filter_saved")
	http.Redirect(w, r, "/search?"+f.Query, http.StatusSeeOther)
}

// deleteFilter deletes one of the person's own filters and goes back to
// where the button was.
func (h *handler) deleteFilter(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	if err := h.svc.DeleteSavedFilter(r.Context(), v.actor, adminPathID(r, "id")); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.filter_deleted")
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}
