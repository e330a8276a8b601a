package i18n

// adminSettingsCatalog holds the texts of the admin settings page
// (/admin/settings) and the running configuration's entries; merged into
// catalog at start (a key in two tables panics).
var adminSettingsCatalog = map[string][2]string{
	"asettings.title":       {"Einstellungen des Servicedesks", "Service desk settings"},
	"asettings.intro":       {"Diese Einstellungen gelten für alle Personen und alle servus-Instanzen an dieser Datenbank.", "These settings apply to everyone and to every servus instance on this database."},
	"asettings.display":     {"Anzeige", "Display"},
	"asettings.banner":      {"Hinweisbanner", "Announcement banner"},
	"asettings.defaults":    {"Voreinstellungen für Personen ohne eigene Wahl", "Defaults for people who chose none"},
	"asettings.save":        {"Einstellungen speichern", "Save settings"},
	"asettings.last_change": {"Zuletzt geändert am %s von %s.", "Last changed on %s by %s."},
	"asettings.never":       {"Alle Einstellungen haben ihren Standardwert.", "Every setting has its default value."},
	"asettings.default_is":  {"Standard: %s", "Default: %s"},
	"asettings.none":        {"keine", "none"},
	"asettings.hint.desk_name": {"Erscheint im Seitenkopf neben dem Logo, im Titel des Browserfensters und auf der Anmeldeseite.",
		"Shown in the page header next to the logo, in the browser's title and on the sign-in page."},
	"asettings.hint.footer": {"Erscheint unten auf jeder Seite. Leer lassen für keine Zeile; steht sie nur in einer Sprache, erscheint sie in beiden.",
		"Shown at the foot of every page. Leave empty for none; a line in one language only is shown in both."},
	"asettings.hint.banner": {"Erscheint oben auf jeder Seite, auch vor der Anmeldung, z. B. „Mail-Ausfall am Freitag 18:00–20:00“. Leer lassen für keinen Hinweis; steht er nur in einer Sprache, erscheint er in beiden.",
		"Shown at the top of every page, also before signing in, e.g. “Mail outage on Friday 18:00–20:00”. Leave empty for none; a text in one language only is shown in both."},
	"asettings.hint.language": {"Für Besucher:innen ohne eigene Wahl, deren Browser weder Deutsch noch Englisch verlangt.",
		"For visitors who chose no language and whose browser asks for neither German nor English."},
	"asettings.hint.time_zone": {"Für Personen, die keine eigene Zeitzone gewählt haben, und vor der Anmeldung. Ein IANA-Name wie Europe/Vienna.",
		"For people who chose no time zone of their own, and before signing in. An IANA name such as Europe/Vienna."},
	"asettings.err.desk_name":         {"Bitte einen Namen mit 1 bis %d Zeichen in einer Zeile angeben.", "Please give a name of 1 to %d characters on one line."},
	"asettings.err.footer":            {"Höchstens %d Zeichen in einer Zeile.", "At most %d characters on one line."},
	"asettings.err.banner":            {"Höchstens %d Zeichen in einer Zeile.", "At most %d characters on one line."},
	"asettings.err.default_language":  {"Bitte Deutsch oder Englisch wählen.", "Please choose German or English."},
	"asettings.err.default_time_zone": {"Diese Zeitzone ist unbekannt. Bitte einen IANA-Namen wie Europe/Vienna angeben.", "This time zone is unknown. Please give an IANA name such as Europe/Vienna."},
	"flash.admin_settings_saved": {"Einstellungen gespeichert. Andere servus-Instanzen übernehmen sie binnen weniger Sekunden.",
		"Settings saved. Other servus instances take them up within a few seconds."},

	// The running configuration: what this instance was started with.
	"asettings.runtime":       {"Laufende Konfiguration", "Running configuration"},
	"asettings.runtime_intro": {"Womit diese servus-Instanz gestartet wurde (Kommandozeile, Umgebung, Konfigurationsdatei). Ändern lässt es sich nur dort; Passwörter werden nie gezeigt.", "What this servus instance was started with (command line, environment, configuration file). It can be changed only there; passwords are never shown."},
	"asettings.not_set":       {"nicht gesetzt", "not set"},
	"runtime.version":         {"servus-Version", "servus version"},
	"runtime.database":        {"Datenbank", "Database"},
	"runtime.data":            {"Datenordner", "Data folder"},
	"runtime.listen":          {"HTTP-Adresse", "HTTP address"},
	"runtime.base_url":        {"Basis-URL", "Base URL"},
	"runtime.smtp":            {"SMTP-Server", "SMTP server"},
	"runtime.mail_from":       {"Absender der Mails", "Mail sender"},
	"runtime.subject_prefix":  {"Betreff-Präfix", "Subject prefix"},
	"runtime.lmtp":            {"LMTP-Adresse", "LMTP address"},
	"runtime.imap":            {"IMAP-Postfach", "IMAP mailbox"},
	"runtime.auto_close":      {"Automatisch schließen nach", "Auto-close after"},
	"runtime.reopen_grace":    {"Wiedereröffnen per Mail innerhalb", "Reopen by mail within"},
	"runtime.max_attachment":  {"Größter Anhang", "Largest attachment"},
	"runtime.trusted_proxies": {"Vertrauenswürdige Proxys", "Trusted proxies"},
}

func init() { merge("catalog_admin_settings.go", adminSettingsCatalog) }
