package i18n

// dashboardCatalog holds the texts of the dashboard; merged into catalog at
// start (a key in two tables panics).
var dashboardCatalog = map[string][2]string{
	// Dashboard
	"dashboard.title":               {"Übersicht", "Dashboard"},
	"dashboard.hello":               {"Hallo, %s", "Hello, %s"},
	"dashboard.assigned":            {"Mir zugewiesen", "Assigned to me"},
	"dashboard.assigned_empty":      {"Ihnen ist gerade nichts zugewiesen.", "Nothing is assigned to you right now."},
	"dashboard.unassigned":          {"Nicht zugewiesen", "Unassigned"},
	"dashboard.unassigned_queues":   {"Nicht zugewiesen in meinen Queues", "Unassigned in my queues"},
	"dashboard.unassigned_empty":    {"Alle Tickets Ihrer Queues sind vergeben.", "Every ticket of your queues has an assignee."},
	"dashboard.unassigned_in":       {"%d nicht zugewiesen in %s", "%d unassigned in %s"},
	"dashboard.waiting":             {"Warten auf Rückmeldung", "Waiting for requester"},
	"dashboard.waiting_empty":       {"Keine Rückfragen offen.", "No open questions."},
	"dashboard.overdue":             {"Überfällig", "Overdue"},
	"dashboard.overdue_empty":       {"Nichts ist überfällig.", "Nothing is overdue."},
	"dashboard.my_queues":           {"Meine Queues", "My queues"},
	"dashboard.no_queues":           {"Sie sind noch in keiner Queue Mitglied.", "You are not a member of any queue yet."},
	"dashboard.col_unassigned":      {"Frei", "Free"},
	"dashboard.col_active":          {"Offen", "Open"},
	"dashboard.col_overdue":         {"Überf.", "Late"},
	"dashboard.all":                 {"Alle %d anzeigen", "Show all %d"},
	"dashboard.quick_links":         {"Schnellzugriff", "Quick links"},
	"dashboard.link_new_unassigned": {"Neue, nicht zugewiesene Tickets", "New unassigned tickets"},
	"dashboard.link_urgent":         {"Dringende offene Tickets", "Urgent open tickets"},
	"dashboard.link_resolved_mine":  {"Von mir gelöst", "Resolved by me"},
	"dashboard.link_all":            {"Alle Tickets", "All tickets"},
	"dashboard.mine":                {"Meine offenen Anfragen", "My open requests"},
	"dashboard.mine_empty":          {"Sie haben keine offenen Anfragen.", "You have no open requests."},
	"dashboard.mine_closed":         {"Abgeschlossen", "Closed"},
	"dashboard.closed_empty":        {"Noch keine abgeschlossenen Anfragen.", "No closed requests yet."},
	"dashboard.help_title":          {"Wie können wir helfen?", "How can we help?"},
	"dashboard.help_text":           {"Beschreiben Sie Ihr Anliegen; wir melden uns per E-Mail und hier im Portal.", "Describe your request; we answer by e-mail and here in the portal."},
	"dashboard.link_waiting_me":     {"Rückfragen an mich", "Questions for me"},
	"dashboard.link_all_mine":       {"Alle meine Tickets", "All my tickets"},
}

func init() { merge("catalog_dashboard.go", dashboardCatalog) }
