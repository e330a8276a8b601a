package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// Retention on the admin pages: the desk-wide default on /admin/settings,
// a queue's own rule on /admin/queues/{id}, and the erasure of a person
// from /admin/users/{id}, through a confirmation page that says what will
// happen.

// retentionForm reads a retention rule from a form: retention_mode (off,
// anonymise, delete, or for a queue "default") and retention_months. A
// months field that is no number counts as 0, which the desk refuses for
// anonymise and delete.
func retentionForm(r *http.Request) (desk.RetentionRule, bool) {
	mode := strings.TrimSpace(r.PostFormValue("retention_mode"))
	months, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("retention_months")))
	return desk.RetentionRule{Mode: mode, Months: months}, mode == "default"
}

// retentionFields renames the desk's fields (mode, months) to the form's.
func retentionFields(fields map[string]bool) map[string]bool {
	out := map[string]bool{}
	for f := range fields {
		out["retention_"+f] = true
	}
	return out
}

// retentionText describes a rule in l's language.
func retentionText(l *i18n.Localizer, r desk.RetentionRule) string {
	if r.Off() {
		return l.T("retention.rule.off")
	}
	return l.T("retention.rule."+r.Mode, r.Months)
}

// adminSaveRetentionDefault saves the desk-wide default rule from
// /admin/settings.
func (h *handler) adminSaveRetentionDefault(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	in, _ := retentionForm(r)
	if _, err := h.svc.SetRetentionDefault(r.Context(), v.actor, in); err != nil {
		status, msg, fields := h.errorText(r, v, err)
		if status == http.StatusInternalServerError || status == http.StatusNotFound {
			h.fail(w, r, v, err)
			return
		}
		st, serr := h.svc.Settings(r.Context())
		if serr != nil {
			h.fail(w, r, v, serr)
			return
		}
		h.renderAdminSettings(w, r, v, http.StatusUnprocessableEntity, msg, retentionFields(fields),
			&adminSettingsData{Form: st, Saved: st, Retention: &in})
		return
	}
	h.setFlash(w, "flash.retention_saved")
	http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
}

// adminSaveQueueRetention saves the rule of queue {id}: its own, or
// "default" to follow the desk-wide one.
func (h *handler) adminSaveQueueRetention(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	info, err := h.svc.QueueInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	in, follow := retentionForm(r)
	rule := &in
	if follow {
		rule = nil
	}
	if _, err := h.svc.SetQueueRetention(r.Context(), v.actor, info.Queue.Name, rule); err != nil {
		h.manageFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			h.showAdminQueue(w, r, v, status, msg, retentionFields(fields), nil, false)
		})
		return
	}
	h.setFlash(w, "flash.retention_saved")
	http.Redirect(w, r, "/admin/queues/"+strconv.FormatInt(info.Queue.ID, 10), http.StatusSeeOther)
}

// adminEraseData is the confirmation page of an erasure.
type adminEraseData struct {
	Detail *desk.ErasureDetail
}

// adminEraseForm shows what erasing user {id} will do, and the button.
func (h *handler) adminEraseForm(w http.ResponseWriter, r *http.Request, v *visit) {
	h.showErase(w, r, v, http.StatusOK, "")
}

func (h *handler) showErase(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string) {
	info, err := h.svc.UserInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	d, err := h.svc.ErasureInfo(r.Context(), v.actor, info.User.Email)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, status, "admin_user_erase", &view{Title: v.l.T("erase.title", d.User.Name), Nav: "admin", Error: msg,
		Data: &adminEraseData{Detail: d}})
}

// adminErase erases user {id} (the confirmation page's button) and goes
// back to the user list with the opaque ID in a flash.
func (h *handler) adminErase(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	info, err := h.svc.UserInfo(r.Context(), v.actor, adminPathID(r, "id"))
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		h.showErase(w, r, v, http.StatusUnprocessableEntity, v.l.T("error.invalid"))
		return
	}
	er, err := h.svc.ErasePerson(r.Context(), v.actor, info.User.Email)
	if err != nil {
		status, msg, _ := h.errorText(r, v, err)
		if ticket.ErrorCode(err) != ticket.ECONFLICT {
			h.fail(w, r, v, err)
			return
		}
		h.showErase(w, r, v, status, msg)
		return
	}
	h.render(w, r, v, http.StatusOK, "admin_user_erased", &view{Title: v.l.T("erase.done", er.ID, er.Tickets), Nav: "admin",
		Data: er})
}

// retentionArgs is what the "retentionform" partial gets.
type retentionArgs struct {
	L         *i18n.Localizer
	Fields    map[string]bool
	Action    string
	Queue     bool     // a queue's form (with "as the default")
	Modes     []string // the choices, in order
	Mode      string   // chosen
	Months    int
	Max       int
	Effective string // for a queue: the rule in force, in words
}

// retentionFormArgs builds the retention form's arguments from the
// default rule (*desk.RetentionRule) or a queue's retention
// (*desk.QueueRetention).
func retentionFormArgs(l *i18n.Localizer, fields map[string]bool, action string, v any) retentionArgs {
	a := retentionArgs{L: l, Fields: fields, Action: action, Max: desk.MaxRetentionMonths,
		Modes: []string{desk.RetentionOff, desk.RetentionAnonymise, desk.RetentionDelete}}
	switch r := v.(type) {
	case *desk.RetentionRule:
		if r != nil {
			a.Mode, a.Months = r.Mode, r.Months
		}
	case *desk.QueueRetention:
		a.Queue, a.Modes = true, append([]string{"default"}, a.Modes...)
		a.Mode, a.Effective = "default", retentionText(l, r.Effective)
		if r.Own != nil {
			a.Mode, a.Months = r.Own.Mode, r.Own.Months
		}
	}
	return a
}

// displayName is name, but an erased person's address reads "former staff
// member" (or "anonymised") in l's language.
func displayName(l *i18n.Localizer, names map[string]string, email string) string {
	if key := desk.ErasedNameKey(email); key != "" {
		return l.T(key)
	}
	return name(names, email)
}
