package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// The admin's page of one queue, /admin/queues/{id}: its settings, its
// members (each with a link to remove them, through a confirmation page)
// and, when nothing refers to it, a delete form that needs a tick.

// queueForm is the settings form as shown or as typed.
type queueForm struct {
	Name         string
	Address      string
	Default      bool
	Confidential bool
	TimeSpent    string // off, optional, required
	// Response targets: spans as typed ("4h", "" for none) and the calendar.
	FirstResponse, Resolution string
	Hours, Zone               string
	Austria, Closures         bool
	ClosedDays                string
}

// targetsForm fills the targets part of a form from tg.
func (f *queueForm) targetsForm(tg ticket.Targets) {
	span := func(m int) string {
		if m <= 0 {
			return ""
		}
		return ticket.FormatSpan(time.Duration(m) * time.Minute)
	}
	f.FirstResponse, f.Resolution = span(tg.FirstResponse), span(tg.Resolution)
	f.Hours, f.Zone, f.Austria, f.Closures = tg.Hours, tg.Zone, tg.Holidays == ticket.HolidaysAustria, tg.Closures
	f.ClosedDays = strings.Join(tg.ClosedDays, " ")
}

// targetsPatch reads the targets part of f into p; a span that is no span
// is a problem on its field.
func (f *queueForm) targetsPatch(v ticket.Validation, p *desk.QueuePatch) {
	minutes := func(field, s string) *int {
		s = strings.TrimSpace(s)
		n := 0
		if s != "" {
			d, err := time.ParseDuration(s)
			if err != nil || d < 0 || d%time.Minute != 0 {
				v.Add("targets."+field, "problem.span")
				return nil
			}
			n = int(d / time.Minute)
		}
		return &n
	}
	p.FirstResponse = minutes("first_response_minutes", f.FirstResponse)
	p.Resolution = minutes("resolution_minutes", f.Resolution)
	holidays := ""
	if f.Austria {
		holidays = ticket.HolidaysAustria
	}
	days := []string{f.ClosedDays}
	p.Hours, p.Zone, p.Holidays, p.Closures, p.ClosedDays = &f.Hours, &f.Zone, &holidays, &f.Closures, &days
}

// adminQueueData is the page of one queue.
type adminQueueData struct {
	Info          *desk.QueueInfo
	Form          queueForm
	DefaultQueue  string         // the name of the current default queue, if any
	Candidates    []*ticket.User // enabled staff who are no members yet
	ConfirmFailed bool
	TimeSpents    []ticket.TimeSpent   // the choices of the time spent setting
	Reminder      reminderForm         // the reminder setting (admin_queue_reminder.go)
	Retention     *desk.QueueRetention // the queue's retention (retention.go)
	Escalate      bool                 // the escalation setting (admin_queue_escalation.go)
}

// adminQueue shows queue {id}.
func (h *handler) adminQueue(w http.ResponseWriter, r *http.Request, v *visit) {
	h.showAdminQueue(w, r, v, http.StatusOK, "", nil, nil, false)
}

// showAdminQueue renders queue {id} with the settings form as typed (nil:
// as stored) and a message.
func (h *handler) showAdminQueue(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, form *queueForm, confirmFailed bool) {
	h.showAdminQueueWith(w, r, v, status, msg, fields, form, confirmFailed, nil)
}

// showAdminQueueWith is showAdminQueue with the reminder form as typed
// (nil: as stored).
func (h *handler) showAdminQueueWith(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, form *queueForm, confirmFailed bool, reminder *reminderForm) {
	info, err := h.svc.QueueInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d := &adminQueueData{Info: info, ConfirmFailed: confirmFailed, TimeSpents: ticket.TimeSpents}
	if d.Retention, err = h.svc.QueueRetention(r.Context(), v.actor, info.Queue.Name); err != nil {
		h.fail(w, r, v, err)
		return
	}
	if form != nil {
		d.Form = *form
	} else {
		q := info.Queue
		d.Form = queueForm{Name: q.Name, Address: q.Address, Default: q.Default, Confidential: q.Confidential,
			TimeSpent: string(q.TimeSpent)}
		d.Form.targetsForm(q.Targets)
	}
	if reminder != nil {
		d.Reminder = *reminder
	} else {
		d.Reminder = reminderFormOf(info.Queue.Reminder)
	}
	d.Escalate = info.Queue.Escalate != nil && *info.Queue.Escalate
	qs, err := h.svc.Queues(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	for _, q := range qs {
		if q.Default {
			d.DefaultQueue = q.Name
		}
	}
	users, err := h.svc.FindUsers(r.Context(), v.actor, desk.UserFilter{State: "active"}, 0, 0)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	for _, u := range users.Items {
		if u.Role.Staff() && !memberOf(info.Members, u.ID) {
			d.Candidates = append(d.Candidates, u)
		}
	}
	h.render(w, r, v, status, "admin_queue", &view{Title: v.l.T("manage.queue_title", info.Queue.Name), Nav: "admin",
		Error: msg, Fields: fields, Data: d})
}

func memberOf(ms []desk.QueueMember, userID int64) bool {
	for _, m := range ms {
		if m.ID == userID {
			return true
		}
	}
	return false
}

// adminUpdateQueue saves the settings of queue {id}. The default flag is
// only ever set here: the default moves to another queue, it is never
// unset.
func (h *handler) adminUpdateQueue(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	info, err := h.svc.QueueInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	f := queueForm{Name: r.PostFormValue("name"), Address: strings.TrimSpace(r.PostFormValue("address")),
		Default: info.Queue.Default || r.PostFormValue("default") != "", Confidential: r.PostFormValue("confidential") != "",
		TimeSpent:     r.PostFormValue("time_spent"),
		FirstResponse: r.PostFormValue("first_response"), Resolution: r.PostFormValue("resolution"),
		Hours: r.PostFormValue("hours"), Zone: r.PostFormValue("time_zone"), Austria: r.PostFormValue("holidays") != "",
		Closures: r.PostFormValue("closures") != "", ClosedDays: r.PostFormValue("closed_days")}
	typed := f // the desk normalises its patch; the form shows what was typed
	p := desk.QueuePatch{Name: &typed.Name, Address: &typed.Address, Confidential: &typed.Confidential}
	if _, ok := r.PostForm["time_spent"]; ok {
		ts := ticket.TimeSpent(typed.TimeSpent)
		p.TimeSpent = &ts
	}
	if f.Default && !info.Queue.Default {
		p.Default = &typed.Default
	}
	pv := ticket.Validation{}
	if _, ok := r.PostForm["hours"]; ok { // the form has the targets (a form without them keeps them)
		typed.targetsPatch(pv, &p)
	} else {
		f.targetsForm(info.Queue.Targets)
	}
	if err := pv.Err(); err != nil {
		h.manageFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			h.showAdminQueue(w, r, v, status, msg, fields, &f, false)
		})
		return
	}
	if _, err := h.svc.UpdateQueue(r.Context(), v.actor, info.Queue.Name, p); err != nil {
		h.manageFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			h.showAdminQueue(w, r, v, status, msg, fields, &f, false)
		})
		return
	}
	h.setFlash(w, "flash.queue_saved")
	http.Redirect(w, r, "/admin/queues/"+strconv.FormatInt(info.Queue.ID, 10), http.StatusSeeOther)
}

// adminDeleteQueue deletes queue {id} when the box is ticked and nothing
// refers to the queue.
func (h *handler) adminDeleteQueue(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	info, err := h.svc.QueueInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		h.showAdminQueue(w, r, v, http.StatusUnprocessableEntity, v.l.T("manage.confirm_missing"), map[string]bool{"confirm": true}, nil, true)
		return
	}
	if err := h.svc.DeleteQueue(r.Context(), v.actor, info.Queue.Name); err != nil {
		h.manageFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			h.showAdminQueue(w, r, v, status, msg, fields, nil, false)
		})
		return
	}
	h.setFlash(w, "flash.queue_deleted")
	http.Redirect(w, r, "/admin/queues", http.StatusSeeOther)
}

// adminRemoveData is the confirmation of a member's removal.
type adminRemoveData struct {
	Queue  *ticket.Queue
	Member desk.QueueMember
}

// removalOf finds queue {id} and its member {user}; ok is false when it
// answered already (404 for either unknown).
func (h *handler) removalOf(w http.ResponseWriter, r *http.Request, v *visit) (*adminRemoveData, bool) {
	info, err := h.svc.QueueInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return nil, false
	}
	uid := adminPathID(r, "user")
	for _, m := range info.Members {
		if m.ID == uid {
			return &adminRemoveData{Queue: info.Queue, Member: m}, true
		}
	}
	h.renderError(w, r, v, http.StatusNotFound, "error.not_found")
	return nil, false
}

// adminRemoveMemberForm asks whether to remove member {user} from queue
// {id}, saying what happens to their tickets.
func (h *handler) adminRemoveMemberForm(w http.ResponseWriter, r *http.Request, v *visit) {
	if d, ok := h.removalOf(w, r, v); ok {
		h.render(w, r, v, http.StatusOK, "admin_member_remove", &view{Title: v.l.T("manage.remove_title"), Nav: "admin", Data: d})
	}
}

// adminRemoveMember removes member {user} from queue {id}; their tickets
// in the queue that are not closed become unassigned.
func (h *handler) adminRemoveMember(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	d, ok := h.removalOf(w, r, v)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		h.render(w, r, v, http.StatusUnprocessableEntity, "admin_member_remove", &view{Title: v.l.T("manage.remove_title"), Nav: "admin",
			Error: v.l.T("manage.confirm_missing"), Fields: map[string]bool{"confirm": true}, Data: d})
		return
	}
	if _, err := h.svc.RemoveQueueMember(r.Context(), v.actor, d.Queue.Name, d.Member.Email); err != nil {
		h.manageFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			h.showAdminQueue(w, r, v, status, msg, fields, nil, false)
		})
		return
	}
	h.setFlash(w, "flash.member_removed")
	http.Redirect(w, r, "/admin/queues/"+strconv.FormatInt(d.Queue.ID, 10), http.StatusSeeOther)
}

// problemTexts names the text for each problem the admin operations give
// as the reason of a refusal, by field.
var problemTexts = map[[2]string]string{
	{"name", "problem.taken"}:             "manage.name_taken",
	{"address", "problem.taken"}:          "manage.address_taken",
	{"default", desk.ProblemDefaultQueue}: "manage.default_stays",
	{"queue", desk.ProblemDefaultQueue}:   "manage.default_no_delete",
	{"queue", desk.ProblemHasTickets}:     "manage.queue_gone_tickets",
	{"queue", desk.ProblemHasLeaves}:      "manage.queue_gone_leaves",
	{"email", desk.ProblemNotMember}:      "manage.not_member",
	{"role", desk.ProblemOwnAccount}:      "manage.own_account",
	{"disabled", desk.ProblemOwnAccount}:  "manage.own_account",
	{"role", desk.ProblemLastAdmin}:       "manage.last_admin",
	{"disabled", desk.ProblemLastAdmin}:   "manage.last_admin",
}

// manageFailed answers a refused change on a queue or user page: an
// internal error as an error page, a queue or person that is gone as 404,
// everything else by showing the page again with the reason, as 422 (the
// admin's input or the state of things, which the page shows).
func (h *handler) manageFailed(w http.ResponseWriter, r *http.Request, v *visit, err error, again func(status int, msg string, fields map[string]bool)) {
	status, msg, fields := h.errorText(r, v, err)
	if status == http.StatusInternalServerError {
		h.fail(w, r, v, err)
		return
	}
	known := false
	for field, problem := range ticket.ErrorFields(err) {
		if key, ok := problemTexts[[2]string{field, problem}]; ok {
			msg, known = v.l.T(key), true
			if fields == nil {
				fields = map[string]bool{}
			}
			fields[field] = true
		}
	}
	if status == http.StatusNotFound && !known {
		h.renderError(w, r, v, status, "error.not_found")
		return
	}
	again(http.StatusUnprocessableEntity, msg, fields)
}
