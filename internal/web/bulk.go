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
	Summary string // "2 of 3 tickets done.", in the person's language
	Back    string
}

// bulkAct applies one action (assign, move, resolve) to every selected
// ticket, one desk.Act each at the version the list showed, and reports per
// ticket: a stale or refused one fails alone, the others go through.
func (h *handler) bulkAct(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	d := &bulkData{Action: r.PostFormValue("bulk_action"), Back: "/search"}
	if ref, err := url.Parse(r.Referer()); err == nil && (ref.Path == "/search" || strings.HasPrefix(ref.Path, "/queues/")) {
		d.Back = localPath(ref.EscapedPath() + "?" + ref.Query().Encode()) // back to the same results (search or queue view)
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
	assignee, queue := strings.TrimSpace(r.PostFormValue("assignee")), strings.TrimSpace(r.PostFormValue("queue"))
	switch { // what every ticket would fail for is said once
	case vw.Error != "":
	case d.Action == "assign" && assignee == "":
		vw.Error = v.l.T("bulk.need_assignee")
	case d.Action == "move" && queue == "":
		vw.Error = v.l.T("bulk.need_queue")
	}
	if vw.Error != "" {
		h.render(w, r, v, http.StatusBadRequest, "bulk", vw)
		return
	}
	if assignee == "me" {
		assignee = v.actor.Email
	}
	for _, s := range selected {
		num, ver, _ := strings.Cut(s, ":") // "number:version"
		n, _ := strconv.ParseInt(num, 10, 64)
		version, _ := strconv.ParseInt(ver, 10, 64)
		res := bulkResult{Number: n}
		t, err := h.svc.Act(r.Context(), v.actor, n, desk.Action{Name: d.Action, Version: version, Assignee: assignee,
			Queue: queue, Channel: ticket.ChannelWeb})
		if err == nil {
			res.OK, res.Subject, res.Message = true, t.Subject, v.l.T("bulk.ok")
			d.Done++
		} else {
			res.Subject, res.Message = h.bulkError(r, v, n, err)
		}
		d.Results = append(d.Results, res)
	}
	plural := "bulk.summary_n.other"
	if len(d.Results) == 1 {
		plural = "bulk.summary_n.one"
	}
	d.Summary = v.l.T(plural, d.Done, len(d.Results))
	h.render(w, r, v, http.StatusOK, "bulk", vw)
}

// bulkError is why ticket number failed in a bulk action, in the person's
// words and for a page that shows no ticket, and the ticket's subject when
// the person may see it.
func (h *handler) bulkError(r *http.Request, v *visit, number int64, err error) (subject, reason string) {
	status, msg, _ := h.errorText(r, v, err)
	problems := ticket.ErrorFields(err)
	switch {
	case status == http.StatusNotFound:
		return "", v.l.T("bulk.not_found")
	case status == http.StatusForbidden:
		return "", v.l.T("error.forbidden")
	case status == http.StatusConflict && stale(err):
		return "", v.l.T("bulk.stale")
	case status == http.StatusConflict: // the state machine refused, or the ticket is closed
		t, terr := h.svc.Ticket(r.Context(), v.actor, number)
		if terr != nil {
			return "", v.l.T("bulk.refused")
		}
		return t.Subject, v.l.T("bulk.state", v.l.T("state."+string(t.State)))
	case problems["assignee"] == "problem.not_member_of":
		return "", v.l.T("bulk.not_member")
	case problems["assignee"] == "problem.unknown_user":
		return "", v.l.T("bulk.unknown_user")
	case problems["queue"] == "problem.unknown_queue":
		return "", v.l.T("bulk.unknown_queue")
	}
	return "", msg // other field problems, translated; an internal error logged
}
