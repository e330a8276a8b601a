package i18n

// auditCatalog holds the texts of the audit log's page (/audit) and of
// the auditor's navigation; merged into catalog at start (a key in two
// tables panics).
var auditCatalog = map[string][2]string{
	"nav.audit":                  {"Prüfprotokoll", "Audit log"},
	"audit.title":                {"Prüfprotokoll", "Audit log"},
	"audit.intro":                {"Alles, was servus über Einsichten und Änderungen aufzeichnet, neueste Einträge zuerst. Das Protokoll wird nie geändert; auch jedes Lesen hier wird darin vermerkt.", "Everything servus records about views and changes, newest first. The log is never changed; every reading here is recorded in it too."},
	"audit.filter":               {"Protokoll filtern", "Filter the log"},
	"audit.action_hint":          {"genau, oder mit Punkt am Ende für alle dieser Art (user.)", "exact, or ending in a dot for all of a kind (user.)"},
	"audit.apply":                {"Anzeigen", "Show"},
	"audit.reset":                {"Filter zurücksetzen", "Reset filter"},
	"audit.csv":                  {"Als CSV herunterladen", "Download as CSV"},
	"audit.col_at":               {"Zeit", "Time"},
	"audit.col_detail":           {"Details", "Detail"},
	"audit.system":               {"servus (System)", "servus (system)"},
	"audit.empty":                {"Keine Einträge für diesen Filter.", "No entries for this filter."},
	"audit.count.one":            {"%d Eintrag", "%d entry"},
	"audit.count.other":          {"%d Einträge", "%d entries"},
	"audit.summary.title":        {"Monatsübersicht", "Monthly summary"},
	"audit.summary.intro":        {"Für die Prüfungen durch Betriebsrat und Datenschutz: Anzahlen je Art und Queue, Einsichten in vertrauliche Tickets je Queue, alle Änderungen der Administration und fehlgeschlagene Anmeldungen eines Monats. Zahlen je Person werden nicht berechnet.", "For the audits of the works council and data protection: counts by kind and queue, reads of confidential tickets by queue, every admin change and failed sign-ins of one month. No figure per person is computed."},
	"audit.summary.month":        {"Monat", "Month"},
	"audit.summary.sign_in":      {"Fehlgeschlagene und abgewiesene Anmeldungen", "Failed and refused sign-ins"},
	"audit.summary.confidential": {"Einsichten in vertrauliche Tickets je Queue", "Reads of confidential tickets by queue"},
	"audit.summary.actions":      {"Einträge je Art und Queue", "Entries by kind and queue"},
	"audit.summary.admin":        {"Änderungen der Administration", "Admin changes"},
	"audit.summary.queue":        {"Queue", "Queue"},
	"audit.summary.tickets":      {"Ticket", "Ticket"},
	"audit.summary.files":        {"Dateien", "Files"},
	"audit.summary.mail":         {"Rohe Mail", "Raw mail"},
	"audit.summary.count":        {"Anzahl", "Count"},
	"audit.summary.none":         {"Keine für diesen Monat.", "None for this month."},
	"field.actor":                {"Person", "Actor"},
	"field.after":                {"Von", "From"},
	"field.before":               {"Bis", "To"},
}

func init() { merge("catalog_audit.go", auditCatalog) }
