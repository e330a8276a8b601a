package i18n

// jobsCatalog holds the texts of the background jobs (the admin's job list)
// and of the reminders for tickets waiting on their requesters (the queue
// setting, the ticket history, the outbox); merged into catalog at start (a
// key in two tables panics).
var jobsCatalog = map[string][2]string{
	// The admin's list of background jobs (/admin/jobs).
	"jobs.title":      {"Hintergrundaufgaben", "Background jobs"},
	"jobs.intro":      {"Regelmäßige Arbeit von servus. Jede Aufgabe läuft einmal je Intervall, auch wenn mehrere servus-Instanzen dieselbe Datenbank nutzen.", "servus's periodic work. Each job runs once per interval, also when several servus instances share the database."},
	"jobs.name":       {"Aufgabe", "Job"},
	"jobs.interval":   {"Intervall", "Interval"},
	"jobs.last_run":   {"Letzter Lauf", "Last run"},
	"jobs.duration":   {"Dauer", "Took"},
	"jobs.next_run":   {"Nächster Lauf", "Next run"},
	"jobs.runs":       {"Läufe (Fehler)", "Runs (failed)"},
	"jobs.last_error": {"Letzter Fehler", "Last error"},
	"jobs.running":    {"läuft gerade auf %s", "running on %s"},
	"jobs.never":      {"noch nie", "never"},
	"jobs.none":       {"Noch keine Aufgabe registriert: sie erscheinen, sobald servus serve läuft.", "No job registered yet: they appear once servus serve runs."},
	"jobs.ok":         {"–", "–"},
	"jobs.nav":        {"Hintergrundaufgaben", "Background jobs"},
	"err.jobs.admins": {"Nur Administrator:innen dürfen die Hintergrundaufgaben sehen.", "Only admins may see the background jobs."},

	// The runtime settings on /admin/settings.
	"runtime.reminder_interval": {"Erinnerungen prüfen alle", "Reminders checked every"},
	"runtime.job_lease":         {"Längste Laufzeit einer Hintergrundaufgabe", "Longest run of a background job"},

	// A queue's reminder setting (admin queue page).
	"reminder.heading":                  {"Erinnerungen bei Rückfragen", "Reminders for waiting tickets"},
	"reminder.help":                     {"Wartet ein Ticket auf die Antwort der anfragenden Person, bekommt sie nach dieser Zeit einmal eine Erinnerung; bleibt auch die unbeantwortet, wird das Ticket danach geschlossen oder an die Queue zurückgegeben. 0 Stunden: keine Erinnerungen.", "When a ticket waits for the requester's answer, they get one reminder after this time; if that goes unanswered too, the ticket is then closed or returned to the queue. 0 hours: no reminders."},
	"reminder.after_hours":              {"Erinnerung nach (Stunden im Status „wartet“)", "Reminder after (hours waiting)"},
	"reminder.then":                     {"Danach ohne Antwort", "Then, without an answer"},
	"reminder.then_nothing":             {"nichts weiter (wartet weiter)", "nothing more (keeps waiting)"},
	"reminder.then_close":               {"schließen (automatisch geschlossen)", "close (auto-closed)"},
	"reminder.then_reopen":              {"an die Queue zurückgeben (offen)", "return to the queue (open)"},
	"reminder.then_after_h":             {"nach weiteren Stunden", "after further hours"},
	"reminder.save":                     {"Erinnerungen speichern", "Save reminders"},
	"reminder.off":                      {"aus", "off"},
	"flash.reminder_saved":              {"Die Erinnerungen der Queue wurden gespeichert.", "The queue's reminders were saved."},
	"problem.hours":                     {"muss eine Zahl von Stunden sein, z. B. 72 oder 0,5", "must be a number of hours, e.g. 72 or 0.5"},
	"problem.reminder_then":             {"muss leer, close oder reopen sein", "must be empty, close or reopen"},
	"problem.reminder_off":              {"braucht zuerst eine Zeit für die Erinnerung", "needs a reminder time first"},
	"problem.reminder_then_after":       {"muss größer als 0 sein, wenn nach der Erinnerung etwas geschieht", "must be more than 0 when something follows the reminder"},
	"field.reminder.after_seconds":      {"Erinnerung nach", "Reminder after"},
	"field.reminder.then":               {"Danach ohne Antwort", "Then, without an answer"},
	"field.reminder.then_after_seconds": {"Nach weiteren", "After further"},
	"field.reminder":                    {"Erinnerung", "Reminder"},

	// The ticket history and the outbox.
	"event.reminder_sent":     {"hat die anfragende Person an die offene Rückfrage erinnert", "reminded the requester of the open question"},
	"event.reminder_closed":   {"hat das Ticket geschlossen: auch auf die Erinnerung kam keine Antwort", "closed the ticket: the reminder went unanswered too"},
	"event.reminder_returned": {"hat das Ticket an die Queue zurückgegeben: auch auf die Erinnerung kam keine Antwort", "returned the ticket to the queue: the reminder went unanswered too"},
	"outbox.event.reminder":   {"Erinnerung", "reminder"},
}

func init() { merge("catalog_jobs.go", jobsCatalog) }
