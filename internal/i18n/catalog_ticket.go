package i18n

// ticketCatalog holds the texts of the ticket page: details, actions and
// their flash messages, the composer, the history's sentences, links and
// merges, mail HTML and editing; merged into catalog at start (a key in two
// tables panics).
var ticketCatalog = map[string][2]string{
	"queue.confidential": {"Tickets dieser Queue sind vertraulich", "Tickets of this queue are confidential"},

	// Ticket page
	"ticket.timeline":           {"Verlauf", "Timeline"},
	"ticket.details":            {"Details", "Details"},
	"ticket.actions":            {"Aktionen", "Actions"},
	"ticket.edit":               {"Felder ändern", "Edit fields"},
	"ticket.move_to":            {"In Queue verschieben", "Move to queue"},
	"ticket.nobody":             {"niemand", "nobody"},
	"ticket.confidential":       {"Vertraulich", "Confidential"},
	"ticket.confidential_short": {"vertr.", "conf."},
	"ticket.due_short":          {"fällig", "due"},
	"ticket.new_badge":          {"neu", "new"},
	"ticket.new_entries.one":    {"Seit Sie die Seite geladen haben, ist %d Eintrag dazugekommen (markiert).", "%d entry was added since you loaded the page (marked)."},
	"ticket.new_entries.other":  {"Seit Sie die Seite geladen haben, sind %d Einträge dazugekommen (markiert).", "%d entries were added since you loaded the page (marked)."},
	"compose.title":             {"Antworten", "Reply"},
	"compose.title_staff":       {"Eintrag schreiben", "Write an entry"},
	"compose.kind":              {"Art", "Kind"},
	"compose.send":              {"Senden", "Send"},
	"compose.closed":            {"Dieses Ticket ist geschlossen. Öffnen Sie es wieder, um zu schreiben.", "This ticket is closed. Reopen it to write."},
	"compose.waiting_for_you":   {"Wir haben Ihnen eine Rückfrage gestellt. Ihre Antwort bringt das Ticket wieder in Bearbeitung.", "We asked you a question. Your answer puts the ticket back into work."},
	"compose.visibility_hint":   {"Öffentlich sieht auch die anfragende Person; Nachrichten und Rückfragen sind immer öffentlich.", "Public is seen by the requester too; messages and questions are always public."},

	// Actions
	"action.take":     {"Übernehmen", "Take"},
	"action.assign":   {"Zuweisen", "Assign"},
	"action.move":     {"Verschieben", "Move"},
	"action.resolve":  {"Als gelöst markieren", "Resolve"},
	"action.close":    {"Lösung bestätigen und schließen", "Confirm and close"},
	"action.reopen":   {"Wieder öffnen", "Reopen"},
	"action.withdraw": {"Anfrage zurückziehen", "Withdraw request"},
	"action.watch":    {"Beobachten", "Watch"},
	"action.unwatch":  {"Nicht mehr beobachten", "Stop watching"},
	"action.link":     {"Verknüpfen", "Link"},
	"action.merge":    {"Zusammenführen", "Merge"},
	"action.save":     {"Speichern", "Save"},
	"action.cancel":   {"Abbrechen", "Cancel"},

	// Flash messages after an action
	"flash.saved":            {"Änderungen gespeichert.", "Changes saved."},
	"flash.attached":         {"Datei angehängt.", "File attached."},
	"flash.action.take":      {"Sie haben das Ticket übernommen.", "You took the ticket."},
	"flash.action.assign":    {"Zuweisung geändert.", "Assignee changed."},
	"flash.action.move":      {"Ticket verschoben.", "Ticket moved."},
	"flash.action.resolve":   {"Ticket als gelöst markiert.", "Ticket resolved."},
	"flash.action.close":     {"Ticket geschlossen. Danke!", "Ticket closed. Thank you!"},
	"flash.action.reopen":    {"Ticket wieder geöffnet.", "Ticket reopened."},
	"flash.action.withdraw":  {"Anfrage zurückgezogen.", "Request withdrawn."},
	"flash.action.watch":     {"Sie beobachten dieses Ticket.", "You are watching this ticket."},
	"flash.action.unwatch":   {"Sie beobachten dieses Ticket nicht mehr.", "You stopped watching this ticket."},
	"flash.action.link":      {"Tickets verknüpft.", "Tickets linked."},
	"flash.action.merge":     {"Tickets zusammengeführt.", "Tickets merged."},
	"flash.entry.message":    {"Nachricht gesendet.", "Message sent."},
	"flash.entry.question":   {"Rückfrage gestellt; das Ticket wartet auf Antwort.", "Question asked; the ticket waits for the answer."},
	"flash.entry.answer":     {"Antwort gesendet. Danke!", "Answer sent. Thank you!"},
	"flash.entry.comment":    {"Kommentar gespeichert.", "Comment saved."},
	"flash.entry.attachment": {"Datei angehängt.", "File attached."},

	// History sentences
	"event.state":            {"hat den Status von „%s“ auf „%s“ geändert", "changed the state from “%s” to “%s”"},
	"event.close_reason":     {"hat geschlossen: %s", "closed it: %s"},
	"event.priority":         {"hat die Priorität von „%s“ auf „%s“ geändert", "changed the priority from “%s” to “%s”"},
	"event.assignee":         {"hat das Ticket %s zugewiesen", "assigned the ticket to %s"},
	"event.took":             {"hat das Ticket übernommen", "took the ticket"},
	"event.unassigned":       {"hat die Zuweisung entfernt", "removed the assignee"},
	"event.queue":            {"hat das Ticket von %s nach %s verschoben", "moved the ticket from %s to %s"},
	"event.subject":          {"hat den Betreff geändert: „%s“", "changed the subject: “%s”"},
	"event.due":              {"hat „Gewünscht bis“ auf %s gesetzt", "set the due date to %s"},
	"event.due_cleared":      {"hat „Gewünscht bis“ entfernt", "removed the due date"},
	"event.confidential_on":  {"hat das Ticket als vertraulich markiert", "marked the ticket confidential"},
	"event.confidential_off": {"hat die Vertraulichkeit aufgehoben", "made the ticket not confidential"},
	"event.cc":               {"hat CC geändert: %s", "changed CC: %s"},
	"event.cc_cleared":       {"hat CC geleert", "cleared CC"},
	"event.opened_by":        {"hat das Ticket im Auftrag angelegt", "opened the ticket on the requester's behalf"},
	"event.link":             {"hat eine Verknüpfung angelegt (%s)", "added a link (%s)"},
	"event.unlink":           {"hat eine Verknüpfung entfernt (%s)", "removed a link (%s)"},
	"event.merged_into":      {"hat das Ticket in %s zusammengeführt", "merged the ticket into %s"},
	"event.merged_from":      {"hat %s in dieses Ticket zusammengeführt", "merged %s into this ticket"},
	"event.other":            {"hat %s geändert: „%s“ → „%s“", "changed %s: “%s” → “%s”"},

	// Merges, to a viewer who may not see the other ticket: no number
	"event.merged_into_hidden": {"hat das Ticket in ein anderes Ticket zusammengeführt", "merged the ticket into another ticket"},
	"event.merged_from_hidden": {"hat ein anderes Ticket in dieses Ticket zusammengeführt", "merged another ticket into this one"},

	"link.related":   {"verwandt", "related"},
	"link.duplicate": {"Duplikat", "duplicate"},
	"link.parent":    {"übergeordnet", "parent"},
	"link.child":     {"untergeordnet", "child"},

	// Link and merge
	"linkform.title":          {"Verknüpfen und zusammenführen", "Link and merge"},
	"linkform.links":          {"Verknüpfte Tickets", "Linked tickets"},
	"linkform.target":         {"Ticketnummer", "Ticket number"},
	"linkform.target_hint":    {"z. B. #1234", "e.g. #1234"},
	"linkform.merge_into":     {"Zusammenführen in", "Merge into"},
	"linkform.merge_hint":     {"Dieses Ticket wird geschlossen; seine Anfragenden folgen dem Zielticket.", "This ticket is closed; its requesters follow the target ticket."},
	"linkform.not_found":      {"Ticket #%d gibt es nicht, oder Sie dürfen es nicht sehen.", "Ticket #%d does not exist, or you may not see it."},
	"linkform.bad_target":     {"Bitte geben Sie die Nummer eines anderen Tickets an.", "Please enter the number of another ticket."},
	"linkform.target_closed":  {"Ticket #%d ist geschlossen und kann nichts aufnehmen. Öffnen Sie es zuerst wieder.", "Ticket #%d is closed and cannot take a merge. Reopen it first."},
	"linkform.merge_refused":  {"In Ticket #%d dürfen Sie nicht zusammenführen.", "You may not merge into ticket #%d."},
	"linkform.link_forbidden": {"Sie dürfen dieses Ticket nicht verknüpfen oder zusammenführen.", "You may not link or merge this ticket."},
	"link.merged-into":        {"zusammengeführt in", "merged into"},
	"link.merged-from":        {"aufgenommen aus", "merged from"},

	"ticket.show_plain": {"Als reinen Text anzeigen", "Show as plain text"},

	"ticket.edit_kept":      {"Ihre Änderungen sind unten eingetragen, aber noch nicht gespeichert: prüfen Sie sie und speichern Sie erneut.", "Your changes are filled in below but not saved: check them and save again."},
	"ticket.watchers":       {"Beobachtet von", "Watched by"},
	"event.subject_changed": {"hat den Betreff von „%s“ auf „%s“ geändert", "changed the subject from “%s” to “%s”"},
}

func init() { merge("catalog_ticket.go", ticketCatalog) }
