package i18n

// outboxCatalog holds the texts of the admin's outbox and failed inbound
// mail, with what an outbox mail is about and how a failed mail came in;
// merged into catalog at start (a key in two tables panics).
var outboxCatalog = map[string][2]string{
	// The admin outbox: account mail is about no ticket.
	"outbox.password_reset": {"Passwort-Link", "Password reset"},

	"flash.mail_retried":   {"Die Mail wird erneut zugestellt.", "The mail will be delivered again."},
	"flash.inbound_done":   {"Die Mail wurde verarbeitet.", "The mail was processed."},
	"flash.inbound_failed": {"Die Mail ist wieder fehlgeschlagen; der Fehler steht in der Liste.", "The mail failed again; the error is in the list."},

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

	// What an outbox mail is about (desk.Notify…), and how failed mail came
	// in (desk.Channel…), by their codes
	"outbox.event.created":        {"neues Ticket", "new ticket"},
	"outbox.event.message":        {"Nachricht", "message"},
	"outbox.event.question":       {"Rückfrage", "question"},
	"outbox.event.resolved":       {"gelöst", "resolved"},
	"outbox.event.answer":         {"Antwort", "answer"},
	"outbox.event.comment":        {"Kommentar", "comment"},
	"outbox.event.attachment":     {"Anhang", "attachment"},
	"outbox.event.closed":         {"geschlossen", "closed"},
	"outbox.event.reopened":       {"wieder geöffnet", "reopened"},
	"outbox.event.withdrawn":      {"zurückgezogen", "withdrawn"},
	"outbox.event.assigned":       {"zugewiesen", "assigned"},
	"outbox.event.password_reset": {"Passwort-Link", "password reset"},
	"inbound.channel.lmtp":        {"per LMTP", "via LMTP"},
	"inbound.channel.imap":        {"per IMAP", "via IMAP"},
	"inbound.channel.stdin":       {"über die Kommandozeile", "from the command line"},
	"inbound.channel.api":         {"über die API", "via the API"},
}

func init() { merge("catalog_outbox.go", outboxCatalog) }
