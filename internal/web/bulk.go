package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// bulkActions are the actions the search page offers for selected tickets.
var bulkActions = map[string]bool{"assign": true, "move": true, "resolve": true}

// maxBulk is how many tickets one bulk action may touch.
const maxBulk = 100

// bulkResult is what became of one ticket of a bulk action.
type bulkResult struct {
	Number  int64
	Subject string
	OK      bool
	Message string
}

// bulkData is the result page of a bulk action.
type bulkData struct {
	Action  string
	Results []bulkResult
	Done    int
	Back    string
}

// bulkAct applies one action (assign, move, resolve) to every selected
// ticket, one desk.Act each at the version the list showed, and reports per
// ticket: a stale or refused one fails alone, the others go through.
func (h *handler) bulkAct(w http.ResponseWriter, r *http.Request, v *visit) {
	if !v.actor.Staff() {
		h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
		return
	}
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	d := &bulkData{Action: r.PostFormValue("bulk_action"), Back: "/search"}
	if ref, err := url.Parse(r.Referer()); err == nil && (ref.Path == "/search" || strings.HasPrefix(ref.Path, "/queues/")) {
		d.Back = ref.EscapedPath() + "?" + ref.Query().Encode() // back to the same results (search or queue view)
	}
	vw := &view{Title: v.l.T("bulk.title"), Nav: "search", Data: d}
	selected := r.PostForm["t"]
	switch {
	case !bulkActions[d.Action]:
		vw.Error = v.l.T("error.invalid_fields", v.l.T("field.action"))
	case len(selected) == 0:
		vw.Error = v.l.T("bulk.none_selected")
	case len(selected) > maxBulk:
		vw.Error = v.l.T("error.too_large")
	}
	if vw.Error != "" {
		h.render(w, r, v, http.StatusBadRequest, "bulk", vw)
		return
	}
	assignee := strings.TrimSpace(r.PostFormValue("assignee"))
	if assignee == "me" {
		assignee = v.actor.Email
	}
	for _, s := range selected {
		num, ver, _ := strings.Cut(s, ":") // "number:version"
		n, _ := strconv.ParseInt(num, 10, 64)
		version, _ := strconv.ParseInt(ver, 10, 64)
		res := bulkResult{Number: n}
		t, err := h.svc.Act(r.Context(), v.actor, n, desk.Action{Name: d.Action, Version: version, Assignee: assignee,
			Queue: r.PostFormValue("queue"), Channel: ticket.ChannelWeb})
		if err == nil {
			res.OK, res.Subject, res.Message = true, t.Subject, v.l.T("bulk.ok")
			d.Done++
		} else {
			res.Message = h.bulkError(r, v, err)
		}
		d.Results = append(d.Results, res)
	}
	h.render(w, r, v, http.StatusOK, "bulk", vw)
}

// bulkError is why one ticket of a bulk action failed, in the person's
// words.
func (h *handler) bulkError(r *http.Request, v *visit, err error) string {
	status, msg, fields := h.errorText(r, v, err)
	switch {
	case status == http.StatusNotFound:
		return v.l.T("error.not_found")
	case status == http.StatusConflict && strings.Contains(ticket.ErrorMessage(err), "changed by someone else"):
		return v.l.T("bulk.stale")
	case status == http.StatusConflict:
		return v.l.T("error.conflict_state")
	case fields["assignee"]:
		return v.l.T("bulk.not_member")
	}
	return msg
}
