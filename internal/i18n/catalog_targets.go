package i18n

// targetsCatalog holds the texts of response targets: the problems of a
// queue's targets and of the target filters, the badge and times on the
// ticket page, the dashboard's column, the search's filters and the admin's
// target settings; merged into catalog at start (a key in two tables
// panics).
var targetsCatalog = map[string][2]string{
	// Problems
	"problem.due_within":    {"muss eine Zeitspanne in ganzen Minuten wie 2h, 45m oder 1h30m sein, höchstens 2160h", "must be a span of whole minutes such as 2h, 45m or 1h30m, at most 2160h"},
	"problem.target_state":  {"muss ok, due_soon oder breached sein", "must be ok, due_soon or breached"},
	"problem.opening_hours": {"muss Öffnungszeiten wie „Mon-Fri 08:00-17:00; Sat 09:00-12:00“ angeben (Tage Mon, Tue, Wed, Thu, Fri, Sat, Sun; Zeiten von 00:00 bis 24:00)", "must give opening hours such as “Mon-Fri 08:00-17:00; Sat 09:00-12:00” (days Mon, Tue, Wed, Thu, Fri, Sat, Sun; times from 00:00 to 24:00)"},
	"problem.hours_overlap": {"enthält Zeiten eines Tages, die sich überschneiden", "has times of one day that overlap"},
	"problem.hours_none":    {"muss mindestens eine Öffnungszeit in der Woche angeben", "must give at least one opening time in the week"},
	"problem.holidays":      {"muss AT (österreichische Feiertage) oder leer sein", "must be AT (Austrian public holidays) or empty"},
	"problem.date_list":     {"muss Daten wie 2026-12-07 enthalten, getrennt durch Leerzeichen oder Kommas", "must hold dates such as 2026-12-07, separated by spaces or commas"},
	"problem.max_items":     {"darf höchstens %d Einträge haben", "may have at most %d entries"},
	"problem.span":          {"muss eine Zeitspanne wie 4h, 27h oder 1h30m sein (leer: kein Ziel)", "must be a span such as 4h, 27h or 1h30m (empty: no target)"},

	// The ticket page and lists
	"target.title":             {"Reaktionsziele", "Response targets"},
	"target.state.ok":          {"im Ziel", "on target"},
	"target.state.due_soon":    {"bald fällig", "due soon"},
	"target.state.breached":    {"verfehlt", "breached"},
	"target.badge":             {"Reaktionsziel: %s", "Response target: %s"},
	"target.first_response":    {"Erste Antwort", "First response"},
	"target.resolution":        {"Lösung", "Resolution"},
	"target.due":               {"fällig %s", "due %s"},
	"target.answered":          {"beantwortet %s", "answered %s"},
	"target.resolved":          {"gelöst %s", "resolved %s"},
	"target.met":               {"eingehalten", "met"},
	"target.missed":            {"verfehlt", "missed"},
	"target.paused":            {"Die Uhr steht, solange das Ticket auf Rückmeldung wartet.", "The clock stands still while the ticket waits for the requester."},
	"target.paused_short":      {"angehalten", "paused"},
	"target.in_business_time":  {"In Geschäftszeit der Queue %s (%s, %s).", "In business time of queue %s (%s, %s)."},
	"sort.target":              {"Reaktionsziel", "Response target"},
	"search.target":            {"Reaktionsziel", "Response target"},
	"search.target_at_risk":    {"bald fällig oder verfehlt", "due soon or breached"},
	"search.due_within":        {"Ziel fällig innerhalb", "Target due within"},
	"search.due_within_hint":   {"z. B. 2h, 30m", "e.g. 2h, 30m"},
	"dashboard.col_targets":    {"Ziele", "Targets"},
	"dashboard.targets_in":     {"%d bald fällig, %d verfehlt in %s", "%d due soon, %d breached in %s"},
	"dashboard.targets_status": {"%d bald fällig, %d verfehlt", "%d due soon, %d breached"},

	// The admin's queue page
	"targets.settings":         {"Reaktionsziele und Geschäftszeiten", "Response targets and business hours"},
	"targets.intro":            {"Ziele gelten in Geschäftszeit, ab dem Eingang eines Tickets; Wartezeit auf Rückmeldung zählt nicht. Änderungen gelten für neue Tickets (und Tickets, die hierher verschoben werden).", "Targets count in business time from a ticket's arrival; time waiting for the requester does not count. Changes apply to new tickets (and tickets moved here)."},
	"targets.first_response":   {"Erste Antwort binnen", "First response within"},
	"targets.resolution":       {"Lösung binnen", "Resolution within"},
	"targets.span_hint":        {"Geschäftszeit, z. B. 4h, 27h (3 Tage zu 9 Stunden) oder 1h30m; leer: kein Ziel", "Business time, e.g. 4h, 27h (3 days of 9 hours) or 1h30m; empty: no target"},
	"targets.hours":            {"Öffnungszeiten", "Opening hours"},
	"targets.hours_hint":       {"z. B. „Mon-Thu 08:00-17:00; Fri 08:00-12:00“", "e.g. “Mon-Thu 08:00-17:00; Fri 08:00-12:00”"},
	"targets.zone":             {"Zeitzone", "Time zone"},
	"targets.holidays_at":      {"An österreichischen Feiertagen geschlossen", "Closed on Austrian public holidays"},
	"targets.closures":         {"Am 24. und 31. Dezember geschlossen", "Closed on 24 and 31 December"},
	"targets.closed_days":      {"Weitere Schließtage", "Further closed days"},
	"targets.closed_days_hint": {"Daten wie 2026-12-07, getrennt durch Leerzeichen", "Dates such as 2026-12-07, separated by spaces"},
	"targets.none":             {"kein Ziel", "no target"},
	"targets.summary":          {"Erste Antwort %s, Lösung %s", "First response %s, resolution %s"},
}

func init() { merge("catalog_targets.go", targetsCatalog) }
