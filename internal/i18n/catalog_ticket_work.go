package i18n

// ticketWorkCatalog holds the texts of opening tickets on someone's behalf
// and of working a ticket (editing, conflicts, watchers), and an admin's
// password reset link; merged into
// catalog at start (a key in two tables panics).
var ticketWorkCatalog = map[string][2]string{
	"new.channel":           {"Eingangskanal", "Channel"},
	"new.channel_hint":      {"Wie die Anfrage kam; für eigene Tickets gilt Web.", "How the request came in; your own tickets count as web."},
	"new.unknown_requester": {"Unter %s gibt es noch niemanden. Bitte prüfen Sie die Adresse.", "Nobody has the address %s yet. Please check it."},
	"new.confirm_requester": {"%s als neue anfragende Person anlegen", "Create %s as a new requester"},

	"ticket.edit_kept":      {"Ihre Änderungen sind unten eingetragen, aber noch nicht gespeichert: prüfen Sie sie und speichern Sie erneut.", "Your changes are filled in below but not saved: check them and save again."},
	"ticket.watchers":       {"Beobachtet von", "Watched by"},
	"field.cc_edit":         {"Weitere anfragende Personen (CC)", "Further requesters (CC)"},
	"field.cc_hint":         {"E-Mail-Adressen, durch Komma getrennt. Sie erhalten dieselben Nachrichten wie die anfragende Person.", "E-mail addresses, separated by commas. They get the same mail as the requester."},
	"event.subject_changed": {"hat den Betreff von „%s“ auf „%s“ geändert", "changed the subject from “%s” to “%s”"},

	"manage.password":       {"Passwort", "Password"},
	"manage.reset_hint":     {"Schickt der Person einen einmaligen Link, mit dem sie selbst ein neues Passwort setzt (eine Stunde gültig, höchstens drei pro Stunde). Niemand sonst sieht oder wählt ihr Passwort.", "Mails the person a one-time link to set a new password themselves (valid for an hour, at most three an hour). Nobody else sees or chooses their password."},
	"manage.reset_send":     {"Link zum Zurücksetzen senden", "Send a reset link"},
	"manage.reset_disabled": {"Ein deaktiviertes Konto bekommt keinen Link; aktivieren Sie es zuerst.", "A disabled account gets no link; enable it first."},
	"flash.reset_sent":      {"Der Link ist unterwegs, sofern in der letzten Stunde nicht schon drei verschickt wurden (siehe Postausgang).", "The link is on its way, unless three were sent within the last hour (see the outbox)."},

	"manage.use_hidden": {"Dazu kommen vertrauliche Tickets, die nur die Mitglieder der Queue sehen.", "It also holds confidential tickets that only the queue's members see."},
	"manage.why_hidden": {"Sie enthält vertrauliche Tickets, die nur ihre Mitglieder sehen; diese können sie verschieben.", "It holds confidential tickets that only its members see; they can move them."},
}

func init() { merge("catalog_ticket_work.go", ticketWorkCatalog) }
