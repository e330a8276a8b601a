package i18n

// queuesCatalog holds the texts of the queues page and the queue views;
// merged into catalog at start (a key in two tables panics).
var queuesCatalog = map[string][2]string{
	"queues.title":                {"Queues", "Queues"},
	"queues.heading":              {"Arbeit nach Queue", "Work by queue"},
	"queues.hint":                 {"Gezählt wird, was Sie sehen dürfen.", "Counts include only what you may see."},
	"queues.all_in_search":        {"Alle Tickets durchsuchen", "Search all tickets"},
	"queues.all_queues":           {"Alle Queues", "All queues"},
	"queues.mine":                 {"Meine Queues", "My queues"},
	"queues.others":               {"Weitere Queues", "Other queues"},
	"queues.total":                {"Alle Queues", "All queues"},
	"queues.col_overdue":          {"Überfällig", "Overdue"},
	"queues.col_unassigned":       {"Nicht zugewiesen", "Unassigned"},
	"queues.confidential_default": {"Neue Tickets vertraulich", "New tickets confidential"},
	"queues.default_queue":        {"Standard-Queue", "Default queue"},
	"queues.you_member":           {"Sie sind Mitglied", "You are a member"},
	"queues.open_in_search":       {"In der Suche öffnen", "Open in search"},
	"queues.about":                {"Über diese Queue", "About this queue"},
	"queues.no_address":           {"keine Funktionsadresse", "no functional address"},
	"queues.new_tickets":          {"Neue Tickets", "New tickets"},
	"queues.new_confidential":     {"vertraulich (nur Mitglieder und Anfragende sehen sie)", "confidential (seen by members and requesters only)"},
	"queues.new_public":           {"für alle Mitarbeitenden sichtbar", "visible to all staff"},
	"queues.tabs":                 {"Listen dieser Queue", "Lists of this queue"},
	"queues.tab_unassigned":       {"Nicht zugewiesen", "Unassigned"},
	"queues.tab_open":             {"Alle offenen", "All open"},
	"queues.tab_mine":             {"Meine", "Mine"},
	"queues.tab_waiting":          {"Wartend", "Waiting"},
	"queues.tab_overdue":          {"Überfällig", "Overdue"},
	"queues.tab_resolved":         {"Gelöst", "Resolved"},
	"queues.tab_closed":           {"Geschlossen", "Closed"},
	"queues.unknown_tab":          {"Diese Liste gibt es nicht; gezeigt werden alle offenen Tickets.", "There is no such list; showing all open tickets."},
}

func init() { merge("catalog_queues.go", queuesCatalog) }
