package i18n

// adminUsersCatalog holds the texts of the admin's user pages: the list and
// search, a user's page, creating users, sending reset links, and why a
// change is refused; merged into catalog at start (a key in two tables
// panics).
var adminUsersCatalog = map[string][2]string{
	// Queue page
	"manage.back_users": {"Zurück zu den Personen", "Back to the users"},

	// Users list
	"manage.search_users":         {"Personen suchen", "Search users"},
	"manage.search_label":         {"Name oder E-Mail-Adresse", "Name or e-mail address"},
	"manage.search_button":        {"Suchen", "Search"},
	"manage.any_role":             {"Alle Rollen", "All roles"},
	"manage.any_state":            {"Alle", "All"},
	"manage.users_found.one":      {"%d Person", "%d person"},
	"manage.users_found.other":    {"%d Personen", "%d people"},
	"manage.no_users":             {"Keine Person passt zur Suche.", "Nobody matches the search."},
	"manage.reset":                {"Filter zurücksetzen", "Reset filter"},
	"manage.col_state":            {"Status", "State"},
	"manage.col_queues":           {"Queues", "Queues"},
	"manage.state.active":         {"aktiv", "active"},
	"manage.state.disabled":       {"deaktiviert", "disabled"},
	"manage.service_account":      {"Dienstkonto", "service account"},
	"manage.service_account_hint": {"Für ein Programm: meldet sich nie im Web an, hat kein Passwort; seine API-Tokens erstellen Admins.", "For a program: never signs in on the web and has no password; admins create its API tokens."},
	"manage.edit_user":            {"%s bearbeiten", "Edit %s"},

	// User page
	"manage.user_title":      {"Person: %s", "User: %s"},
	"manage.account":         {"Konto", "Account"},
	"manage.email_fixed":     {"Die E-Mail-Adresse ist die Anmeldung und der Schlüssel für Mail; sie bleibt.", "The e-mail address is the sign-in and the key for mail; it stays."},
	"manage.role_hint":       {"Wird die Rolle „Anfragende Person“, endet jede Queue-Mitgliedschaft, und die offenen zugewiesenen Tickets werden wieder frei.", "Changing the role to requester ends every queue membership and unassigns their open tickets."},
	"manage.role_confirm":    {"Ja, %s beenden und %s freigeben, falls die Rolle „Anfragende Person“ wird", "Yes, end %s and unassign %s if the role becomes requester"},
	"manage.memberships":     {"Mitglied in", "Member of"},
	"manage.no_memberships":  {"in keiner Queue", "in no queue"},
	"manage.assigned":        {"%d nicht geschlossen", "%d not closed"},
	"manage.assigned_dt":     {"Zugewiesene Tickets", "Assigned tickets"},
	"manage.show_assigned":   {"anzeigen", "show"},
	"manage.status":          {"Status des Kontos", "Account status"},
	"manage.active_since":    {"Aktiv, angelegt am %s.", "Active, created on %s."},
	"manage.disabled_since":  {"Deaktiviert seit %s. Die Person kann sich nicht anmelden, ihre API-Tokens gelten nicht, sie bekommt keine Mail und keine Tickets.", "Disabled since %s. The person cannot sign in, their API tokens do not work, they get no mail and no tickets."},
	"manage.disable":         {"Konto deaktivieren", "Disable account"},
	"manage.disable_confirm": {"Ja, %s deaktivieren", "Yes, disable %s"},
	"manage.enable":          {"Konto wieder aktivieren", "Enable account again"},
	"manage.enable_effects":  {"Die Person kann sich wieder anmelden; ihre Queue-Mitgliedschaften sind erhalten geblieben.", "The person can sign in again; their queue memberships stayed."},
	"manage.own_account":     {"Ihr eigenes Konto können Sie weder herabstufen noch deaktivieren. Bitten Sie einen anderen Admin.", "You can neither demote nor disable your own account. Ask another admin."},
	"manage.last_admin":      {"Dies ist der letzte aktive Admin. Machen Sie zuerst eine andere Person zum Admin.", "This is the last enabled admin. Make someone else an admin first."},
	"manage.self_note":       {"Das ist Ihr eigenes Konto.", "This is your own account."},
	"manage.last_admin_note": {"Der letzte aktive Admin kann weder herabgestuft noch deaktiviert werden.", "The last enabled admin can neither be demoted nor disabled."},
	"flash.user_saved":       {"Änderungen an der Person gespeichert.", "Changes to the user saved."},
	"flash.user_disabled":    {"Konto deaktiviert. Die Person ist abgemeldet, ihre offenen Tickets sind frei.", "Account disabled. The person is signed out and their open tickets are unassigned."},
	"flash.user_enabled":     {"Konto wieder aktiviert.", "Account enabled again."},

	// Counts, singular and plural (KEY.one, KEY.other; see Localizer.N)
	"manage.disable_effects.one":   {"Deaktivieren meldet die Person überall ab, sperrt Passwort und API-Tokens und gibt ihr %d offenes zugewiesenes Ticket frei. Was sie getan hat, bleibt erhalten.", "Disabling signs the person out everywhere, blocks their password and API tokens and unassigns their %d open assigned ticket. What they did stays."},
	"manage.disable_effects.other": {"Deaktivieren meldet die Person überall ab, sperrt Passwort und API-Tokens und gibt ihre %d offenen zugewiesenen Tickets frei. Was sie getan hat, bleibt erhalten.", "Disabling signs the person out everywhere, blocks their password and API tokens and unassigns their %d open assigned tickets. What they did stays."},
	"manage.n_memberships.one":     {"die Mitgliedschaft in %d Queue", "the membership in %d queue"},
	"manage.n_memberships.other":   {"die Mitgliedschaften in %d Queues", "the memberships in %d queues"},
	"manage.n_open_tickets.one":    {"%d offenes Ticket", "%d open ticket"},
	"manage.n_open_tickets.other":  {"%d offene Tickets", "%d open tickets"},

	"admin.user_new":      {"Neue Person", "New user"},
	"admin.user_create":   {"Anlegen", "Create user"},
	"admin.password_hint": {"Mindestens 8 Zeichen; leer lassen, wenn sich die Person anders anmeldet.", "At least 8 characters; leave empty if the person signs in otherwise."},
	"admin.users_count":   {"%d Personen", "%d people"},
	"flash.user_created":  {"Person angelegt.", "User created."},

	"manage.password":       {"Passwort", "Password"},
	"manage.reset_hint":     {"Schickt der Person einen einmaligen Link, mit dem sie selbst ein neues Passwort setzt (eine Stunde gültig, höchstens drei pro Stunde). Niemand sonst sieht oder wählt ihr Passwort.", "Mails the person a one-time link to set a new password themselves (valid for an hour, at most three an hour). Nobody else sees or chooses their password."},
	"manage.reset_send":     {"Link zum Zurücksetzen senden", "Send a reset link"},
	"manage.reset_disabled": {"Ein deaktiviertes Konto bekommt keinen Link; aktivieren Sie es zuerst.", "A disabled account gets no link; enable it first."},
	"flash.reset_sent":      {"Der Link ist unterwegs, sofern in der letzten Stunde nicht schon drei verschickt wurden (siehe Postausgang).", "The link is on its way, unless three were sent within the last hour (see the outbox)."},
}

func init() { merge("catalog_admin_users.go", adminUsersCatalog) }
