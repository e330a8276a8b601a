package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// searchTickets is GET /api/v1/tickets?q=&queue=&state=&requester=&assignee=
// &priority=&created_after=&created_before=&overdue=&page=&per_page=&sort=
// &cursor= → {items, total, page, per_page, total_is_lower_bound,
// next_cursor, prev_cursor}, only ever over the tickets the caller may see.
// The count stops at ticket.TotalCap (total_is_lower_bound: there are
// more); cursor, from a page's next_cursor or prev_cursor, lists the
// neighbouring page however deep, instead of page. The query is the filter language the search page and saved
// filters speak too (ticket.ParseFilter), with dates in UTC: state may
// repeat or be comma-separated, assignee may be me or none; bad values are
// a 400 naming each parameter. Unknown parameters are ignored.
func (h *handler) searchTickets(w http.ResponseWriter, r *http.Request, a access.Actor) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Cursor, f.TotalCap = r.URL.Query().Get("cursor"), ticket.TotalCap
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

		TotalIsLowerBound: page.TotalIsLowerBound,
		NextCursor:        page.NextCursor,
		PrevCursor:        page.PrevCursor,
	})
}

// maxPerPage is the largest page a list answers.
const maxPerPage = ticket.MaxPerPage

// parseFilter reads a search's query parameters: the filter language, its
// dates in UTC (an API client has no time zone of its own). Its error is
// EINVALID with a problem per parameter.
func parseFilter(q url.Values) (ticket.Filter, error) {
	return ticket.ParseFilter(q, time.UTC)
}
