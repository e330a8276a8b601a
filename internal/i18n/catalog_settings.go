package i18n

// settingsCatalog holds the texts of a person's own settings page, with the
// regions of the time zone choice; merged into catalog at start (a key in
// two tables panics).
var settingsCatalog = map[string][2]string{
	// Flash messages after an action
	"flash.settings_saved": {"Einstellungen gespeichert.", "Settings saved."},

	"settings.title":          {"Einstellungen", "Settings"},
	"settings.role":           {"Rolle", "Role"},
	"settings.time_zone_hint": {"Alle Zeiten werden in dieser Zeitzone angezeigt.", "All times are shown in this time zone."},

	// Regions of the time zone choice (i18n.TimeZoneGroups)
	"tzregion.Europe":     {"Europa", "Europe"},
	"tzregion.America":    {"Amerika", "America"},
	"tzregion.Asia":       {"Asien", "Asia"},
	"tzregion.Africa":     {"Afrika", "Africa"},
	"tzregion.Australia":  {"Australien", "Australia"},
	"tzregion.Pacific":    {"Pazifik", "Pacific"},
	"tzregion.Atlantic":   {"Atlantik", "Atlantic"},
	"tzregion.Indian":     {"Indischer Ozean", "Indian Ocean"},
	"tzregion.Antarctica": {"Antarktis", "Antarctica"},
	"tzregion.Arctic":     {"Arktis", "Arctic"},
	"tzregion.other":      {"Weitere", "Other"},
}

func init() { merge("catalog_settings.go", settingsCatalog) }
