package i18n

// fieldsCatalog holds the texts of the names of form fields: labels, and the
// names that an error message gives a field (ticket.Error's Fields); merged
// into catalog at start (a key in two tables panics).
var fieldsCatalog = map[string][2]string{
	// Form fields (labels, and names in validation messages)
	"field.email":          {"E-Mail-Adresse", "E-mail address"},
	"field.password":       {"Passwort", "Password"},
	"field.queue":          {"Queue", "Queue"},
	"field.subject":        {"Betreff", "Subject"},
	"field.description":    {"Beschreibung", "Description"},
	"field.priority":       {"Priorität", "Priority"},
	"field.due":            {"Gewünscht bis", "Due date"},
	"field.confidential":   {"Vertraulich", "Confidential"},
	"field.requester":      {"Anfragende Person", "Requester"},
	"field.channel":        {"Eingangskanal", "Channel"},
	"field.files":          {"Dateien", "Files"},
	"field.body":           {"Text", "Text"},
	"field.visibility":     {"Sichtbarkeit", "Visibility"},
	"field.assignee":       {"Zugewiesen an", "Assignee"},
	"field.cc":             {"CC", "CC"},
	"field.state":          {"Status", "State"},
	"field.created":        {"Angelegt", "Created"},
	"field.updated":        {"Aktualisiert", "Updated"},
	"field.language":       {"Sprache", "Language"},
	"field.time_zone":      {"Zeitzone", "Time zone"},
	"field.kind":           {"Art", "Kind"},
	"field.version":        {"Version", "Version"},
	"field.created_after":  {"Angelegt ab", "Created from"},
	"field.created_before": {"Angelegt bis", "Created until"},
	"field.page":           {"Seite", "Page"},
	"field.per_page":       {"Treffer pro Seite", "Results per page"},
	"field.sort":           {"Sortierung", "Sort"},
	"field.q":              {"Suchtext", "Search text"},
	"field.action":         {"Aktion", "Action"},
	"field.link_kind":      {"Art der Verknüpfung", "Link kind"},
	"field.ticket":         {"Ticket", "Ticket"},
	"field.name":           {"Name", "Name"},
	"field.role":           {"Rolle", "Role"},
	"field.address":        {"Adresse", "Address"},

	"field.confirm":          {"Bestätigung", "Confirmation"},
	"field.parent":           {"Liegt in", "Lies in"},
	"field.title_de":         {"Bezeichnung (Deutsch)", "Label (German)"},
	"field.title_en":         {"Bezeichnung (Englisch)", "Label (English)"},
	"field.help_de":          {"Hilfetext (Deutsch)", "Help text (German)"},
	"field.help_en":          {"Hilfetext (Englisch)", "Help text (English)"},
	"field.help":             {"Hilfetext", "Help text"},
	"field.subject_template": {"Betreff-Vorlage", "Subject template"},
	"field.fields":           {"Zusatzfelder", "Extra fields"},
	"field.leaf":             {"Art des Eintrags", "Kind of entry"},
	"field.link_url":         {"Link zur Anwendung", "Link to the application"},

	"field.query": {"Suche", "Search"},

	"field.address_hint": {"Funktionsadresse, z. B. innet-admin@…", "functional address, e.g. innet-admin@…"},

	"field.overdue": {"Überfällig", "Overdue"},
	"field.tab":     {"Liste", "List"},

	"field.desk_name":         {"Name des Servicedesks", "Desk name"},
	"field.footer_de":         {"Fußzeile (Deutsch)", "Footer line (German)"},
	"field.footer_en":         {"Fußzeile (Englisch)", "Footer line (English)"},
	"field.banner_de":         {"Hinweis (Deutsch)", "Announcement (German)"},
	"field.banner_en":         {"Hinweis (Englisch)", "Announcement (English)"},
	"field.default_language":  {"Standardsprache", "Default language"},
	"field.default_time_zone": {"Standard-Zeitzone", "Default time zone"},

	"field.cc_edit": {"Weitere anfragende Personen (CC)", "Further requesters (CC)"},
	"field.cc_hint": {"E-Mail-Adressen, durch Komma getrennt. Sie erhalten dieselben Nachrichten wie die anfragende Person.", "E-mail addresses, separated by commas. They get the same mail as the requester."},
}

func init() { merge("catalog_fields.go", fieldsCatalog) }
