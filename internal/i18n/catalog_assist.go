package i18n

// assistCatalog holds the texts of the new-ticket assistant's checks and
// file hints, and the reasons a bulk action gives per ticket; merged into
// catalog at start.
var assistCatalog = map[string][2]string{
	// The assistant
	"assistant.need_input":  {"Bitte füllen Sie mindestens ein Feld aus oder beschreiben Sie Ihr Anliegen.", "Please fill in at least one field or describe your request."},
	"assistant.files_later": {"Dateien (bis %s je Datei) hängen Sie im letzten Schritt an, direkt vor dem Absenden.", "You attach files (up to %s each) in the last step, just before sending."},
	"form.files_limit":      {"Bis %s je Datei. Sie können Dateien auch hierher ziehen oder Screenshots einfügen (Strg+V).", "Up to %s per file. You can also drag files here or paste screenshots (Ctrl+V)."},
	"assistant.files_keep":  {"Die Dateien werden erst mit „Ticket anlegen“ gesendet. Wenn Sie vorher die Angaben ändern, wählen Sie sie danach hier erneut.", "Files are sent only with “Create ticket”. If you change the details first, choose them here again afterwards."},
	"assistant.files_lost":  {"Diese Dateien wurden nicht übernommen: %s. Bitte wählen Sie sie im Schritt „Prüfen und absenden“ erneut.", "These files were not kept: %s. Please choose them again in the step “Review and submit”."},

	// Bulk actions
	"bulk.summary_n.one":   {"%d von %d Ticket erledigt.", "%d of %d ticket done."},
	"bulk.summary_n.other": {"%d von %d Tickets erledigt.", "%d of %d tickets done."},
	"bulk.state":           {"Diese Aktion passt nicht zum aktuellen Status des Tickets (%s).", "This action does not fit the ticket's current state (%s)."},
	"bulk.refused":         {"Das geht bei diesem Ticket gerade nicht.", "This is not possible for this ticket right now."},
	"bulk.not_found":       {"Dieses Ticket gibt es nicht, oder Sie dürfen es nicht sehen.", "This ticket does not exist, or you may not see it."},
	"bulk.unknown_user":    {"Diese Person ist nicht bekannt.", "This person is not known."},
	"bulk.need_assignee":   {"Bitte geben Sie an, wem die Tickets zugewiesen werden: die E-Mail-Adresse eines Queue-Mitglieds, „me“ oder „none“.", "Please say whom to assign the tickets to: a queue member's e-mail, “me” or “none”."},
	"bulk.need_queue":      {"Bitte wählen Sie die Queue, in die die Tickets verschoben werden.", "Please choose the queue to move the tickets to."},
	"bulk.unknown_queue":   {"Diese Queue gibt es nicht.", "There is no such queue."},
}

func init() { merge("catalog_assist.go", assistCatalog) }
