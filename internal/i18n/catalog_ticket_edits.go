package i18n

// ticketEditsCatalog holds the texts of editing a ticket (requesters
// too), the description's earlier versions, time spent and splitting.
var ticketEditsCatalog = map[string][2]string{
	// Errors and field problems.
	"err.ticket.edit_closed":        {"%s ist geschlossen und kann nicht mehr geändert werden.", "%s is closed and can no longer be edited."},
	"err.ticket.edit_merged":        {"%s ist in ein anderes Ticket zusammengeführt und kann nicht mehr geändert werden.", "%s was merged into another ticket and can no longer be edited."},
	"err.ticket.cc_staff":           {"Weitere Anfragende ändern nur Mitarbeitende.", "Only staff change the further requesters."},
	"err.ticket.public_members":     {"Ein vertrauliches Ticket machen nur die Mitglieder seiner Queue wieder öffentlich.", "Only the members of its queue make a confidential ticket public again."},
	"err.description.none":          {"Das Ticket hat keine Beschreibung.", "The ticket has no description."},
	"err.entry.time_spent_staff":    {"Den Zeitaufwand erfassen nur Mitarbeitende.", "Only staff record time spent."},
	"err.entry.time_spent_off":      {"Die Queue %s erfasst keinen Zeitaufwand.", "Queue %s does not record time spent."},
	"err.entry.time_spent_required": {"Die Queue %s verlangt zu jedem Eintrag den Zeitaufwand.", "Queue %s requires the time spent with every entry."},
	"err.ticket.split_closed":       {"%s ist geschlossen; geschlossene Tickets werden nicht aufgeteilt.", "%s is closed; closed tickets are not split."},
	"err.ticket.split_merged":       {"%s ist in ein anderes Ticket zusammengeführt und wird nicht aufgeteilt.", "%s was merged into another ticket and is not split."},
	"err.split.entries":             {"Diese Auswahl lässt sich nicht abtrennen.", "This selection cannot be split off."},
	"problem.cc_staff":              {"ändern nur Mitarbeitende", "is changed by staff only"},
	"problem.public_members":        {"nur Mitglieder der Queue machen ein Ticket wieder öffentlich", "only the queue's members make a ticket public again"},
	"problem.time_spent_range":      {"muss eine ganze Zahl von Minuten von %d bis %d sein", "must be a whole number of minutes from %d to %d"},
	"problem.time_spent_minutes":    {"muss eine ganze Zahl von Minuten sein", "must be a whole number of minutes"},
	"problem.time_spent_off":        {"wird in der Queue %s nicht erfasst", "is not recorded in queue %s"},
	"problem.time_spent_required":   {"ist in der Queue %s Pflicht", "is required in queue %s"},
	"problem.time_spent_staff":      {"erfassen nur Mitarbeitende", "is recorded by staff only"},
	"problem.time_spent_setting":    {"muss off, optional oder required sein", "must be off, optional or required"},
	"problem.split_none":            {"wählen Sie mindestens einen Eintrag", "choose at least one entry"},
	"problem.split_foreign":         {"Eintrag %d gehört nicht zu %s", "entry %d is not one of %s"},
	"problem.split_all":             {"nicht alle Einträge: im Ticket muss etwas bleiben", "not every entry: something must stay in the ticket"},
	"problem.split_description":     {"die Beschreibung bleibt beim Ticket", "the description stays with its ticket"},
	"problem.split_event":           {"Eintrag %d ist Verlauf und bleibt beim Ticket", "entry %d is history and stays with its ticket"},
	"problem.entry_ids":             {"muss eine Liste von Eintragsnummern sein", "must be a list of entry IDs"},

	// The new ticket of a split.
	"split.subject":     {"Aus %s: %s", "From %s: %s"},
	"split.description": {"Abgetrennt von %s („%s“): die folgenden Einträge gehörten zuerst dorthin.", "Split off %s (\"%s\"): the entries below belonged there first."},

	// History.
	"event.description":       {"hat die Beschreibung geändert", "changed the description"},
	"event.split_into":        {"hat Einträge in %s abgetrennt", "split entries off into %s"},
	"event.split_into_hidden": {"hat Einträge in ein anderes Ticket abgetrennt", "split entries off into another ticket"},
	"event.split_from":        {"hat das Ticket aus %s abgetrennt", "split this ticket off %s"},
	"event.split_from_hidden": {"hat das Ticket aus einem anderen abgetrennt", "split this ticket off another one"},

	// The ticket page.
	"ticket.edit_own":               {"Anfrage bearbeiten", "Edit your request"},
	"ticket.edit_own_hint":          {"Jede Änderung steht im Verlauf; frühere Beschreibungen bleiben erhalten.", "Every change is in the history; earlier descriptions are kept."},
	"ticket.public_members_hint":    {"Öffentlich machen können es nur die Mitglieder der Queue.", "Only the queue's members can make it public again."},
	"ticket.make_confidential":      {"Vertraulich machen", "Make confidential"},
	"ticket.make_confidential_hint": {"Das Ticket ist geschlossen; vertraulich machen können Sie es trotzdem, etwa wenn es heikle Daten enthält.", "The ticket is closed; you can still make it confidential, e.g. when it holds sensitive data."},
	"ticket.versions":               {"Frühere Fassungen (%d)", "Earlier versions (%d)"},
	"ticket.version_by":             {"%s, %s", "%s, %s"},
	"ticket.edited":                 {"bearbeitet", "edited"},
	"field.time_spent":              {"Zeitaufwand in Minuten", "Time spent in minutes"},
	"field.time_spent_sum":          {"Zeitaufwand", "Time spent"},
	"time_spent.hint_required":      {"Pflicht in dieser Queue, 1 bis 1439 Minuten.", "Required in this queue, 1 to 1439 minutes."},
	"time_spent.hint_optional":      {"Freiwillig, 1 bis 1439 Minuten.", "Optional, 1 to 1439 minutes."},
	"time_spent.minutes":            {"%d min", "%d min"},
	"time_spent.hours":              {"%d h %d min", "%d h %d min"},
	"time_spent.entry":              {"Zeitaufwand: %s", "Time spent: %s"},
	"split.title":                   {"In neues Ticket abtrennen", "Split into new ticket"},
	"split.hint":                    {"Wählen Sie im Verlauf die Einträge (Kästchen „Abtrennen“). Sie ziehen mit ihren Dateien in ein neues Ticket derselben Anfragenden; beide Tickets werden verknüpft.", "Choose the entries in the timeline (\"Split off\" boxes). They move with their files to a new ticket of the same requesters; both tickets are linked."},
	"split.choose":                  {"Abtrennen", "Split off"},
	"split.subject_label":           {"Betreff des neuen Tickets", "Subject of the new ticket"},
	"split.subject_hint":            {"Leer: „Aus #Nummer: Betreff“.", "Empty: \"From #number: subject\"."},
	"action.split":                  {"In neues Ticket abtrennen", "Split into new ticket"},
	"action.unlink":                 {"Lösen", "Unlink"},
	"action.unlink_label":           {"Verknüpfung mit #%d lösen", "Unlink #%d"},
	"flash.action.split":            {"Einträge in ein neues Ticket abgetrennt.", "Entries split off into a new ticket."},
	"flash.action.unlink":           {"Verknüpfung gelöst.", "Link removed."},

	// The queue's setting.
	"time_spent.setting":      {"Zeitaufwand je Eintrag", "Time spent per entry"},
	"time_spent.setting_hint": {"Ob Mitarbeitende zu ihren Einträgen die Minuten erfassen. Gezählt wird je Ticket und Queue, nie je Person.", "Whether staff record the minutes with their entries. Sums are per ticket and queue, never per person."},
	"time_spent.off":          {"nicht erfassen", "off"},
	"time_spent.optional":     {"freiwillig", "optional"},
	"time_spent.required":     {"Pflicht", "required"},
}

func init() { merge("catalog_ticket_edits.go", ticketEditsCatalog) }
