package i18n

// retentionCatalog holds the texts of retention (per queue and the
// desk-wide default) and of the erasure of a person; merged into catalog
// at start (a key in two tables panics).
var retentionCatalog = map[string][2]string{
	"err.retention.admins_only": {"Nur Administratorinnen und Administratoren legen fest, wie lange Tickets aufbewahrt werden.", "Only admins decide how long tickets are kept."},
	"err.privacy.admins_only":   {"Nur Administratorinnen und Administratoren löschen die Daten einer Person.", "Only admins erase a person's data."},
	"err.privacy.erase_self":    {"Die eigenen Daten kann man nicht selbst löschen; das macht eine andere Administratorin oder ein anderer Administrator.", "You cannot erase yourself; another admin does that."},
	"problem.retention_mode":    {"muss off, anonymise oder delete sein", "must be off, anonymise or delete"},
	"problem.retention_months":  {"muss eine Zahl von 1 bis %d sein", "must be a number from 1 to %d"},

	"runtime.retention_interval": {"Aufbewahrung läuft alle", "Retention runs every"},
	"runtime.audit_retention":    {"Prüfprotokoll aufbewahrt", "Audit log kept"},
	"privacy.former_staff":       {"ehemaliges Teammitglied", "former staff member"},
	"privacy.anonymised":         {"anonymisiert", "anonymised"},

	"retention.title":          {"Aufbewahrung", "Retention"},
	"retention.intro_default":  {"Geschlossene Tickets werden nach der eingestellten Zahl von Monaten anonymisiert (Namen, Adressen, Texte und Dateien ersetzt; Queue, Zeiten, Status, Priorität und Kanal bleiben für die Statistik) oder ganz gelöscht. Jede Queue kann davon abweichen.", "Closed tickets are anonymised (names, addresses, texts and files replaced; queue, times, state, priority and channel stay for statistics) or deleted entirely after the set number of months. Each queue may differ."},
	"retention.intro_queue":    {"Was mit den geschlossenen Tickets dieser Queue geschieht.", "What happens to this queue's closed tickets."},
	"retention.mode":           {"Vorgehen", "Mode"},
	"retention.months":         {"Monate nach dem Schließen", "Months after closing"},
	"retention.mode.default":   {"wie voreingestellt", "as the default"},
	"retention.mode.off":       {"aufbewahren", "keep"},
	"retention.mode.anonymise": {"anonymisieren", "anonymise"},
	"retention.mode.delete":    {"löschen", "delete"},
	"retention.effective":      {"Gilt jetzt: %s", "In force: %s"},
	"retention.rule.off":       {"geschlossene Tickets werden aufbewahrt", "closed tickets are kept"},
	"retention.rule.anonymise": {"anonymisieren %d Monate nach dem Schließen", "anonymise %d months after closing"},
	"retention.rule.delete":    {"löschen %d Monate nach dem Schließen", "delete %d months after closing"},
	"retention.save":           {"Aufbewahrung speichern", "Save retention"},

	"erase.heading":          {"Daten löschen (DSGVO Art. 17)", "Erase data (GDPR art. 17)"},
	"erase.hint":             {"Anonymisiert die Tickets dieser Person und entfernt ihre persönlichen Daten. Eine Bestätigungsseite sagt vorher genau, was geschieht.", "Anonymises this person's tickets and removes their personal data. A confirmation page says exactly what will happen first."},
	"flash.retention_saved":  {"Die Aufbewahrung ist gespeichert.", "Retention saved."},
	"field.mode":             {"Vorgehen", "Mode"},
	"field.months":           {"Monate", "Months"},
	"field.retention_mode":   {"Vorgehen", "Mode"},
	"field.retention_months": {"Monate", "Months"},
	"erase.button":           {"Daten dieser Person löschen …", "Erase this person's data …"},
	"erase.title":            {"Daten von %s löschen", "Erase the data of %s"},
	"erase.what":             {"Das geschieht, wenn Sie bestätigen:", "This is what happens when you confirm:"},
	"erase.tickets":          {"Die %d Tickets, die diese Person angefragt hat, werden anonymisiert: Betreff, Texte, Dateien, Mails und Adressen werden ersetzt; Queue, Zeiten, Status und Priorität bleiben.", "The %d tickets this person requested are anonymised: subject, texts, files, mails and addresses are replaced; queue, times, state and priority stay."},
	"erase.cc":               {"Aus Tickets, bei denen sie weitere anfragende Person war, wird ihre Adresse entfernt.", "Their address is removed from tickets they were a further requester of."},
	"erase.account":          {"Ihr Konto verliert Name, Adresse, Passwort und Einstellungen; alle Sitzungen und API-Tokens enden; das Konto ist danach gesperrt.", "Their account loses its name, address, password and preferences; all sessions and API tokens end; the account is disabled."},
	"erase.staff":            {"Ihre Arbeit an Tickets bleibt dokumentiert, als Arbeit eines „ehemaligen Teammitglieds“.", "Their work on tickets stays documented, by a “former staff member”."},
	"erase.audit":            {"Das Prüfprotokoll vermerkt die Löschung mit einer neutralen Kennung statt der Adresse.", "The audit log records the erasure under an opaque ID instead of the address."},
	"erase.irreversible":     {"Das lässt sich nicht rückgängig machen.", "This cannot be undone."},
	"erase.confirm":          {"Endgültig löschen", "Erase for good"},
	"erase.cancel":           {"Abbrechen", "Cancel"},
	"erase.refused_self":     {"Die eigenen Daten kann man nicht selbst löschen.", "You cannot erase yourself."},
	"erase.refused_last":     {"Die letzte aktive Administratorin oder der letzte aktive Administrator kann nicht gelöscht werden.", "The last enabled admin cannot be erased."},
	"erase.done":             {"Die Daten sind gelöscht (Kennung %s); %d Tickets wurden anonymisiert.", "The data is erased (ID %s); %d tickets were anonymised."},
}

func init() { merge("catalog_retention.go", retentionCatalog) }
