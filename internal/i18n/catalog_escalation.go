package i18n

// escalationCatalog holds the texts of the escalation digests: the queue
// setting on the admin queue page, the outbox, the runtime settings;
// merged into catalog at start (a key in two tables panics).
var escalationCatalog = map[string][2]string{
	// A queue's escalation setting (admin queue page).
	"escalation.heading": {"Eskalation", "Escalation"},
	"escalation.help": {"Ist das eingeschaltet, bekommen die Mitglieder der Queue regelmäßig eine Übersicht (eine Mail je Lauf) der Tickets, deren Ziel für die erste Antwort oder die Lösung bald fällig ist oder verletzt wurde. Jeder Zustand eines Ziels wird einmal gemeldet; verschiebt man ein Ticket oder ändert sich seine Fälligkeit, kann es wieder gemeldet werden.",
		"When this is on, the queue's members regularly get a digest (one mail per run) of the tickets whose first-response or resolution target is due soon or was breached. Each state of a target is reported once; a ticket moved or given a new due time may be reported again."},
	"escalation.on":          {"Mitglieder bei bald fälligen und verletzten Zielen per Mail benachrichtigen", "Mail the members when targets are due soon or breached"},
	"escalation.save":        {"Eskalation speichern", "Save escalation"},
	"flash.escalation_saved": {"Die Eskalation der Queue wurde gespeichert.", "The queue's escalation setting was saved."},

	// The outbox (admin) and the runtime settings.
	"outbox.escalation":           {"Eskalation", "Escalation"},
	"outbox.event.escalation":     {"Eskalationsübersicht", "escalation digest"},
	"runtime.escalation_interval": {"Eskalationen prüfen alle", "Escalations checked every"},
}

func init() { merge("catalog_escalation.go", escalationCatalog) }
