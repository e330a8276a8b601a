package web

import (
	"net/http"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// Setting is one line of the running configuration on /admin/settings:
// Name is a catalog key ("runtime.database"), Value what this instance was
// started with, never a password. An empty Value shows as "not set".
type Setting struct {
	Name  string
	Value string
}

// adminSettingsData is /admin/settings: the desk-wide settings as saved or
// as typed, each bad field's problem, the defaults, and the running
// configuration.
type adminSettingsData struct {
	Form      desk.Settings
	Saved     desk.Settings // for "last changed … by …"
	Defaults  desk.Settings
	Problems  map[string]string // field key → the problem, in the page's language
	Languages []string
	TimeZones []string
	Max       struct{ Name, Footer, Banner int }
	Runtime   []Setting
	// The complaints queue (feedback.go): its name ("" for none) and the
	// queues to choose from.
	Complaints string
	QueueNames []string
	// Retention is the desk-wide retention rule as saved or as typed
	// (retention.go); nil: as saved.
	Retention *desk.RetentionRule
}

// adminSettings shows the settings form (admins only).
func (h *handler) adminSettings(w http.ResponseWriter, r *http.Request, v *visit) {
	st, err := h.svc.Settings(r.Context())
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.settings.set(st) // what the admin sees is what this instance shows
	h.renderAdminSettings(w, r, v, http.StatusOK, "", nil, &adminSettingsData{Form: st, Saved: st})
}

// adminSaveSettings saves the settings form; a mistake shows the form
// again as typed, with each bad field explained.
func (h *handler) adminSaveSettings(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	in := desk.Settings{
		Name:     r.PostFormValue("desk_name"),
		FooterDE: r.PostFormValue("footer_de"),
		FooterEN: r.PostFormValue("footer_en"),
		BannerDE: r.PostFormValue("banner_de"),
		BannerEN: r.PostFormValue("banner_en"),
		Language: r.PostFormValue("default_language"),
		TimeZone: r.PostFormValue("default_time_zone"),
	}
	st, err := h.svc.UpdateSettings(r.Context(), v.actor, in)
	if err != nil {
		h.adminFormFailed(w, r, v, err, func(status int, msg string, fields map[string]bool) {
			saved, serr := h.svc.Settings(r.Context())
			if serr != nil {
				h.fail(w, r, v, serr)
				return
			}
			d := &adminSettingsData{Form: in, Saved: saved, Problems: map[string]string{}}
			for f := range ticket.ErrorFields(err) {
				d.Problems[f] = settingProblem(v.l, f)
			}
			h.renderAdminSettings(w, r, v, status, msg, fields, d)
		})
		return
	}
	h.settings.set(st)
	h.setFlash(w, "flash.admin_settings_saved")
	http.Redirect(w, r, "/admin/settings", http.StatusSeeOther)
}

// settingProblem explains what a bad settings field must hold.
func settingProblem(l *i18n.Localizer, field string) string {
	switch field {
	case "desk_name":
		return l.T("asettings.err.desk_name", desk.MaxDeskName)
	case "footer_de", "footer_en":
		return l.T("asettings.err.footer", desk.MaxFooter)
	case "banner_de", "banner_en":
		return l.T("asettings.err.banner", desk.MaxBanner)
	case "default_language", "default_time_zone":
		return l.T("asettings.err." + field)
	}
	return l.T("error.invalid")
}

func (h *handler) renderAdminSettings(w http.ResponseWriter, r *http.Request, v *visit, status int, msg string, fields map[string]bool, d *adminSettingsData) {
	d.Defaults = desk.DefaultSettings()
	d.Languages = i18n.Languages
	d.TimeZones = i18n.TimeZones()
	d.Max.Name, d.Max.Footer, d.Max.Banner = desk.MaxDeskName, desk.MaxFooter, desk.MaxBanner
	d.Runtime = h.runtime
	var err error
	if d.Complaints, err = h.svc.ComplaintsQueue(r.Context()); err != nil {
		h.fail(w, r, v, err)
		return
	}
	qs, err := h.svc.Queues(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	for _, q := range qs {
		d.QueueNames = append(d.QueueNames, q.Name)
	}
	if d.Retention == nil {
		rule, err := h.svc.RetentionDefault(r.Context(), v.actor)
		if err != nil {
			h.fail(w, r, v, err)
			return
		}
		d.Retention = &rule
	}
	h.render(w, r, v, status, "admin_settings", &view{Title: v.l.T("asettings.title"), Nav: "admin", Error: msg, Fields: fields, Data: d})
}
