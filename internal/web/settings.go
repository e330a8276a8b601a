package web

import (
	"net/http"

	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// settingsData is the settings page: the time zones to choose from are
// IANA's, grouped by region, with the person's current zone among them.
type settingsData struct {
	Lang, TimeZone string
	Languages      []string
	TimeZones      []i18n.ZoneGroup
	Org            *ticket.OrgMember // the person's institute; nil for none
}

// settingsForm shows the person's language and time zone, and their
// institute (an IT delegate chooses there whether to be mailed about its
// tickets).
func (h *handler) settingsForm(w http.ResponseWriter, r *http.Request, v *visit) {
	zone := v.l.Loc.String()
	org, err := h.svc.MyOrganisation(r.Context(), v.actor)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.render(w, r, v, http.StatusOK, "settings", &view{Title: v.l.T("settings.title"), Nav: "settings",
		Data: settingsData{Lang: v.l.Lang, TimeZone: zone, Languages: i18n.Languages, TimeZones: i18n.TimeZoneGroups(v.l.Lang, zone), Org: org}})
}

// saveDelegateMail stores an IT delegate's choice to be mailed about the
// institute's tickets.
func (h *handler) saveDelegateMail(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	if err := h.svc.SetDelegateMail(r.Context(), v.actor, r.PostFormValue("delegate_mail") == "yes"); err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.setFlash(w, "flash.settings_saved")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}

// saveSettings stores language and time zone.
func (h *handler) saveSettings(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := h.parseForm(w, r); err != nil {
		h.fail(w, r, v, err)
		return
	}
	lang, zone := r.PostFormValue("language"), r.PostFormValue("time_zone")
	if err := h.svc.SetPreferences(r.Context(), v.actor, lang, zone); err != nil {
		status, msg, fields := h.errorText(r, v, err)
		h.render(w, r, v, status, "settings", &view{Title: v.l.T("settings.title"), Nav: "settings", Error: msg, Fields: fields,
			Data: settingsData{Lang: lang, TimeZone: zone, Languages: i18n.Languages, TimeZones: i18n.TimeZoneGroups(v.l.Lang, v.l.Loc.String())}})
		return
	}
	h.setFlash(w, "flash.settings_saved")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}
