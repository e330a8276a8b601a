package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// reminderForm is a queue's reminder setting as the admin queue page shows
// and takes it: times in hours (decimals allowed, "0,5" too).
type reminderForm struct {
	AfterHours     string
	Then           string
	ThenAfterHours string
}

// reminderFormOf shows r (nil: off).
func reminderFormOf(r *ticket.Reminder) reminderForm {
	if r == nil {
		r = &ticket.Reminder{}
	}
	hours := func(s int64) string { return strconv.FormatFloat(float64(s)/3600, 'f', -1, 64) }
	return reminderForm{AfterHours: hours(r.AfterSeconds), Then: r.Then, ThenAfterHours: hours(r.ThenAfterSeconds)}
}

// parseHours reads a number of hours as whole seconds; ok false for
// anything else (negative numbers are the desk's to refuse).
func parseHours(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" {
		return 0, true
	}
	h, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(h) || math.IsInf(h, 0) || math.Abs(h) > 1e6 {
		return 0, false
	}
	return int64(math.Round(h * 3600)), true
}

// adminQueueReminder saves queue {id}'s reminder setting.
func (h *handler) adminQueueReminder(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	info, err := h.svc.QueueInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	f := reminderForm{AfterHours: r.PostFormValue("reminder_after"), Then: r.PostFormValue("reminder_then"),
		ThenAfterHours: r.PostFormValue("reminder_then_after")}
	again := func(status int, msg string, fields map[string]bool) {
		h.showAdminQueueWith(w, r, v, status, msg, fields, nil, false, &f)
	}
	vd := ticket.Validation{}
	after, ok1 := parseHours(f.AfterHours)
	if !ok1 {
		vd.Add("reminder.after_seconds", "problem.hours")
	}
	thenAfter, ok2 := parseHours(f.ThenAfterHours)
	if !ok2 {
		vd.Add("reminder.then_after_seconds", "problem.hours")
	}
	if err := vd.Err(); err != nil {
		h.manageFailed(w, r, v, err, again)
		return
	}
	rem := ticket.Reminder{AfterSeconds: after, Then: f.Then, ThenAfterSeconds: thenAfter}
	if _, err := h.svc.UpdateQueue(r.Context(), v.actor, info.Queue.Name, desk.QueuePatch{Reminder: &rem}); err != nil {
		h.manageFailed(w, r, v, err, again)
		return
	}
	h.setFlash(w, "flash.reminder_saved")
	http.Redirect(w, r, "/admin/queues/"+strconv.FormatInt(info.Queue.ID, 10), http.StatusSeeOther)
}
