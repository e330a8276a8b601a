package i18n

// deskAdminCatalog holds the texts of saved filters, bulk actions, link and
// merge forms, and the admin pages (queues, users, outbox, failed mail);
// merged into catalog at start. Kept in its own table so that it can be
// edited alongside other work on catalog.go; a key in both is a bug (init
// panics).
var deskAdminCatalog = map[string][2]string{
	// Saved filters
	"filters.title":          {"Gespeicherte Filter", "Saved filters"},
	"filters.manage":         {"Verwalten", "Manage"},
	"filters.none":           {"Noch keine gespeicherten Filter. Speichern Sie eine Suche auf der Suchseite.", "No saved filters yet. Save a search on the search page."},
	"filters.none_hint":      {"Speichern Sie eine Suche als Favorit, dann erscheint sie hier mit ihrer Anzahl.", "Save a search as a favourite and it shows here with its count."},
	"filters.save":           {"Diese Suche speichern", "Save this search"},
	"filters.save_button":    {"Filter speichern", "Save filter"},
	"filters.name":           {"Name des Filters", "Filter name"},
	"filters.share":          {"Sichtbar für", "Visible to"},
	"filters.personal":       {"Nur mich", "Only me"},
	"filters.shared_with":    {"Queue %s", "Queue %s"},
	"filters.by":             {"von %s", "by %s"},
	"filters.delete":         {"Löschen", "Delete"},
	"filters.delete_named":   {"Filter „%s“ löschen", "Delete filter “%s”"},
	"filters.back_to_search": {"Zurück zur Suche", "Back to the search"},
	"filters.share_forbidden": {"Sie können Filter nur mit Queues teilen, in denen Sie Mitglied sind.",
		"You can share filters only with queues you are a member of."},
	"flash.filter_saved":   {"Filter gespeichert. Er steht jetzt auf Ihrer Übersicht.", "Filter saved. It is on your dashboard now."},
	"flash.filter_deleted": {"Filter gelöscht.", "Filter deleted."},
	"field.query":          {"Suche", "Search"},

	// Bulk actions
	"bulk.title":          {"Sammelaktion", "Bulk action"},
	"bulk.legend":         {"Ausgewählte Tickets bearbeiten", "Act on the selected tickets"},
	"bulk.select":         {"Ticket #%d auswählen", "Select ticket #%d"},
	"bulk.action":         {"Aktion", "Action"},
	"bulk.assign_to":      {"Zuweisen an", "Assign to"},
	"bulk.assign_hint":    {"E-Mail eines Queue-Mitglieds, „me“ oder „none“", "a queue member's e-mail, “me” or “none”"},
	"bulk.move_to":        {"Verschieben nach", "Move to"},
	"bulk.apply":          {"Auf Auswahl anwenden", "Apply to selection"},
	"bulk.none_selected":  {"Bitte wählen Sie mindestens ein Ticket aus.", "Please select at least one ticket."},
	"bulk.summary":        {"%d von %d Tickets erledigt.", "%d of %d tickets done."},
	"bulk.ok":             {"erledigt", "done"},
	"bulk.failed":         {"nicht erledigt", "not done"},
	"bulk.stale":          {"Inzwischen von jemand anderem geändert; nichts überschrieben.", "Changed by someone else meanwhile; nothing overwritten."},
	"bulk.not_member":     {"Die Person ist nicht Mitglied der Queue dieses Tickets.", "This person is not a member of the ticket's queue."},
	"bulk.back":           {"Zurück zur Trefferliste", "Back to the results"},
	"bulk.result_heading": {"Ergebnis je Ticket", "Result per ticket"},
	"bulk.col_ticket":     {"Ticket", "Ticket"},
	"bulk.col_result":     {"Ergebnis", "Result"},

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

	// Admin
	"nav.admin":            {"Verwaltung", "Admin"},
	"admin.nav":            {"Verwaltung", "Administration"},
	"admin.queues":         {"Queues", "Queues"},
	"admin.users":          {"Benutzer:innen", "Users"},
	"admin.outbox":         {"Postausgang", "Outbox"},
	"admin.failed_mail":    {"Fehlgeschlagene Mails", "Failed mail"},
	"admin.queue_new":      {"Neue Queue", "New queue"},
	"admin.queue_create":   {"Queue anlegen", "Create queue"},
	"admin.queue_default":  {"Standard-Queue (Mail an keine Funktionsadresse)", "Default queue (mail to no functional address)"},
	"admin.queue_conf":     {"Neue Tickets vertraulich", "New tickets confidential"},
	"admin.col_default":    {"Standard", "Default"},
	"admin.col_conf":       {"Vertraulich", "Confidential"},
	"admin.members":        {"Mitglieder", "Members"},
	"admin.no_members":     {"keine Mitglieder", "no members"},
	"admin.member_add":     {"Mitglied hinzufügen", "Add member"},
	"admin.member_who":     {"Person", "Person"},
	"admin.add":            {"Hinzufügen", "Add"},
	"admin.no_queues":      {"Noch keine Queues.", "No queues yet."},
	"admin.user_new":       {"Neue Person", "New user"},
	"admin.user_create":    {"Anlegen", "Create user"},
	"admin.password_hint":  {"Mindestens 8 Zeichen; leer lassen, wenn sich die Person anders anmeldet.", "At least 8 characters; leave empty if the person signs in otherwise."},
	"admin.users_count":    {"%d Personen", "%d people"},
	"admin.unknown":        {"Diese Queue oder Person gibt es nicht.", "There is no such queue or person."},
	"admin.taken":          {"Dieser Name, diese Adresse oder E-Mail-Adresse ist schon vergeben.", "This name, address or e-mail address is taken already."},
	"flash.queue_created":  {"Queue angelegt.", "Queue created."},
	"flash.member_added":   {"Mitglied hinzugefügt.", "Member added."},
	"flash.user_created":   {"Person angelegt.", "User created."},
	"flash.mail_retried":   {"Die Mail wird erneut zugestellt.", "The mail will be delivered again."},
	"flash.inbound_done":   {"Die Mail wurde verarbeitet.", "The mail was processed."},
	"flash.inbound_failed": {"Die Mail ist wieder fehlgeschlagen; der Fehler steht in der Liste.", "The mail failed again; the error is in the list."},
	"field.address_hint":   {"Funktionsadresse, z. B. innet-admin@…", "functional address, e.g. innet-admin@…"},

	// Outbox
	"outbox.state":        {"Status", "State"},
	"outbox.all":          {"alle", "all"},
	"outbox.empty":        {"Keine Mails in dieser Ansicht.", "No mail in this view."},
	"outbox.col_created":  {"Erzeugt", "Created"},
	"outbox.col_to":       {"An", "To"},
	"outbox.col_event":    {"Anlass", "Event"},
	"outbox.col_attempts": {"Versuche", "Attempts"},
	"outbox.col_error":    {"Letzter Fehler", "Last error"},
	"outbox.next":         {"nächster Versuch %s", "next attempt %s"},
	"outbox.sent_at":      {"gesendet %s", "sent %s"},
	"outbox.retry":        {"Erneut senden", "Retry"},
	"outbox.retry_label":  {"Mail %d erneut senden", "Retry mail %d"},
	"outbox.count.one":    {"%d Mail", "%d mail"},
	"outbox.count.other":  {"%d Mails", "%d mails"},
	"outbox.pending":      {"wartend", "pending"},
	"outbox.sent":         {"gesendet", "sent"},
	"outbox.failed":       {"fehlgeschlagen", "failed"},
	"outbox.dropped":      {"verworfen", "dropped"},
	"outbox.intro":        {"Benachrichtigungen werden mit der Änderung gespeichert und dann zugestellt; bei Fehlern wird mit wachsendem Abstand wiederholt.", "Notifications are stored with the change that causes them, then delivered; failures are retried with growing back-off."},

	// Failed inbound mail
	"failed.intro":       {"Mails, die gespeichert, aber nicht verarbeitet werden konnten. Keine geht verloren: nach einer Korrektur erneut verarbeiten.", "Mail that was stored but could not be processed. None is lost: process it again after a fix."},
	"failed.empty":       {"Keine fehlgeschlagenen Mails.", "No failed mail."},
	"failed.col_from":    {"Von", "From"},
	"failed.col_subj":    {"Betreff", "Subject"},
	"failed.col_error":   {"Fehler", "Error"},
	"failed.col_rcvd":    {"Empfangen", "Received"},
	"failed.retry":       {"Erneut verarbeiten", "Process again"},
	"failed.eml":         {"Original (.eml)", "Original (.eml)"},
	"failed.count.one":   {"%d Mail", "%d mail"},
	"failed.count.other": {"%d Mails", "%d mails"},
}

func init() {
	for k, v := range deskAdminCatalog {
		if _, dup := catalog[k]; dup {
			panic("i18n: key " + k + " is in catalog.go and catalog_desk_admin.go")
		}
		catalog[k] = v
	}
}
