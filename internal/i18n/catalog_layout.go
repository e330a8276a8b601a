package i18n

// layoutCatalog holds the texts of the frame of every page: navigation (the
// admin's too), footer and announcement banner, languages, words shared by
// forms and file choices, and relative times; merged into catalog at start
// (a key in two tables panics).
var layoutCatalog = map[string][2]string{
	// Navigation and layout
	"nav.skip":       {"Zum Inhalt springen", "Skip to content"},
	"nav.label":      {"Hauptnavigation", "Main navigation"},
	"nav.dashboard":  {"Übersicht", "Dashboard"},
	"nav.new":        {"Neues Ticket", "New ticket"},
	"nav.search":     {"Suche", "Search"},
	"nav.my_tickets": {"Meine Tickets", "My tickets"},
	"nav.settings":   {"Einstellungen", "Settings"},
	"nav.logout":     {"Abmelden", "Sign out"},
	"footer.tagline": {"Servicedesk des Zentrums für Informationsdienste", "Service desk of the IT services centre"},

	"lang.de": {"Deutsch", "Deutsch (German)"},
	"lang.en": {"English (Englisch)", "English"},

	// File choice in forms with attachments, announced by app.js
	"files.chosen.one":   {"%d Datei ausgewählt: %s", "%d file chosen: %s"},
	"files.chosen.other": {"%d Dateien ausgewählt: %s", "%d files chosen: %s"},

	"form.optional": {"(optional)", "(optional)"},
	"form.yes":      {"Ja", "Yes"},
	"form.no":       {"Nein", "No"},

	"time.just_now":          {"gerade eben", "just now"},
	"time.minutes_ago.one":   {"vor %d Minute", "%d minute ago"},
	"time.minutes_ago.other": {"vor %d Minuten", "%d minutes ago"},
	"time.today":             {"heute, %s", "today, %s"},
	"time.yesterday":         {"gestern, %s", "yesterday, %s"},

	"form.files_limit": {"Bis %s je Datei. Sie können Dateien auch hierher ziehen oder Screenshots einfügen (Strg+V).", "Up to %s per file. You can also drag files here or paste screenshots (Ctrl+V)."},

	"nav.admin":         {"Verwaltung", "Admin"},
	"admin.nav":         {"Verwaltung", "Administration"},
	"admin.queues":      {"Queues", "Queues"},
	"admin.assistant":   {"Ticket-Assistent", "Ticket assistant"},
	"admin.users":       {"Benutzer:innen", "Users"},
	"admin.outbox":      {"Postausgang", "Outbox"},
	"admin.failed_mail": {"Fehlgeschlagene Mails", "Failed mail"},

	"nav.queues": {"Queues", "Queues"},

	"admin.settings":    {"Einstellungen", "Settings"},
	"site.announcement": {"Hinweis", "Announcement"},
}

func init() { merge("catalog_layout.go", layoutCatalog) }
