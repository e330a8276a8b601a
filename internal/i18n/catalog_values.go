package i18n

// valuesCatalog holds the texts of the names of the domain's values: states,
// close reasons, priorities, entry kinds, visibilities, roles and channels;
// merged into catalog at start (a key in two tables panics).
var valuesCatalog = map[string][2]string{
	// Settings
	"role.requester": {"Anfragende Person", "Requester"},
	"role.agent":     {"Bearbeiter:in", "Agent"},
	"role.admin":     {"Administrator:in", "Administrator"},
	"role.auditor":   {"Prüfer:in", "Auditor"},

	"state.new":          {"Neu", "New"},
	"state.open":         {"In Bearbeitung", "Open"},
	"state.waiting":      {"Rückfrage", "Waiting"},
	"state.resolved":     {"Gelöst", "Resolved"},
	"state.closed":       {"Geschlossen", "Closed"},
	"reason.solved":      {"gelöst", "solved"},
	"reason.withdrawn":   {"zurückgezogen", "withdrawn"},
	"reason.auto-closed": {"automatisch geschlossen", "closed automatically"},
	"reason.merged":      {"zusammengeführt", "merged"},
	"priority.low":       {"Niedrig", "Low"},
	"priority.normal":    {"Normal", "Normal"},
	"priority.high":      {"Hoch", "High"},
	"priority.urgent":    {"Dringend", "Urgent"},
	"kind.description":   {"hat das Anliegen beschrieben", "described the request"},
	"kind.message":       {"Nachricht", "Message"},
	"kind.question":      {"Rückfrage", "Question"},
	"kind.answer":        {"Antwort", "Answer"},
	"kind.comment":       {"Kommentar", "Comment"},
	"kind.attachment":    {"hat eine Datei angehängt", "attached a file"},
	"visibility.public":  {"Öffentlich", "Public"},
	"visibility.staff":   {"Nur Mitarbeitende", "Staff only"},
	"visibility.queue":   {"Nur Queue-Mitglieder", "Queue members only"},
	"channel.web":        {"Web", "Web"},
	"channel.mail":       {"E-Mail", "E-mail"},
	"channel.api":        {"API", "API"},
	"channel.phone":      {"Telefon", "Phone"},
	"channel.in-person":  {"Persönlich", "In person"},
	"channel.system":     {"System", "System"},
}

func init() { merge("catalog_values.go", valuesCatalog) }
