package web

import (
	"net/http"

	"github.com/servus-desk/servus/internal/i18n"
)

// timeZones are the zones the settings page offers; a person's current
// zone is added when it is another.
var timeZones = []string{"Europe/Vienna", "Europe/Berlin", "Europe/Zurich", "Europe/Rome", "Europe/London",
	"Europe/Lisbon", "Europe/Athens", "America/New_York", "America/Chicago", "America/Los_Angeles",
	"Asia/Tokyo", "Asia/Shanghai", "Asia/Kolkata", "Australia/Sydney", "UTC"}

type settingsData struct {
	Lang, TimeZone string
	Languages      []string
	TimeZones      []string
}

// settingsForm shows the person's language and time zone.
func (h *handler) settingsForm(w http.ResponseWriter, r *http.Request, v *visit) {
	zone := v.l.Loc.String()
	zones := timeZones
	if !has(zones, zone) {
		zones = append([]string{zone}, zones...)
	}
	h.render(w, r, v, http.StatusOK, "settings", &view{Title: v.l.T("settings.title"), Nav: "settings",
		Data: settingsData{Lang: v.l.Lang, TimeZone: zone, Languages: i18n.Languages, TimeZones: zones}})
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
			Data: settingsData{Lang: lang, TimeZone: zone, Languages: i18n.Languages, TimeZones: timeZones}})
		return
	}
	h.setFlash(w, "flash.settings_saved")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
