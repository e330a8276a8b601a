package i18n

// auditCatalog holds the texts of the audit log's page (/audit) and of
// the auditor's navigation; merged into catalog at start (a key in two
// tables panics).
var auditCatalog = map[string][2]string{
	"nav.audit":         {"Prüfprotokoll", "Audit log"},
	"audit.title":       {"Prüfprotokoll", "Audit log"},
	"audit.intro":       {"Alles, was servus über Einsichten und Änderungen aufzeichnet, neueste Einträge zuerst. Das Protokoll wird nie geändert; auch jedes Lesen hier wird darin vermerkt.", "Everything servus records about views and changes, newest first. The log is never changed; every reading here is recorded in it too."},
	"audit.filter":      {"Protokoll filtern", "Filter the log"},
	"audit.action_hint": {"genau, oder mit Punkt am Ende für alle dieser Art (user.)", "exact, or ending in a dot for all of a kind (user.)"},
	"audit.apply":       {"Anzeigen", "Show"},
	"audit.reset":       {"Filter zurücksetzen", "Reset filter"},
	"audit.csv":         {"Als CSV herunterladen", "Download as CSV"},
	"audit.col_at":      {"Zeit", "Time"},
	"audit.col_detail":  {"Details", "Detail"},
	"audit.system":      {"servus (System)", "servus (system)"},
	"audit.empty":       {"Keine Einträge für diesen Filter.", "No entries for this filter."},
	"audit.count.one":   {"%d Eintrag", "%d entry"},
	"audit.count.other": {"%d Einträge", "%d entries"},
	"field.actor":       {"Person", "Actor"},
	"field.after":       {"Von", "From"},
	"field.before":      {"Bis", "To"},
}

func init() { merge("catalog_audit.go", auditCatalog) }
