package i18n

// directoryCatalog holds the texts of signing in with an outside account
// (the LDAP directory, later OpenID Connect and SAML): refusals, the
// directory accounts' lack of a servus password, the sign-in page's hint.
var directoryCatalog = map[string][2]string{
	"login.intro_directory": {"Mit Ihrer Benutzerkennung oder E-Mail-Adresse der Universität und Ihrem Passwort.",
		"With your university user name or e-mail address and your password."},
	"login.label_directory": {"Benutzerkennung oder E-Mail-Adresse", "User name or e-mail address"},

	"err.signin.directory_down": {"Der Verzeichnisdienst (LDAP) ist gerade nicht erreichbar. Bitte versuchen Sie es in ein paar Minuten wieder. Konten mit einem Servicedesk-Passwort können sich weiterhin anmelden.",
		"The directory (LDAP) cannot be reached right now. Please try again in a few minutes. Accounts with a service desk password can still sign in."},
	"err.signin.directory_duplicate": {"Ihre Anmeldung ist nicht eindeutig: Ihre Kennung oder E-Mail-Adresse steht bei mehreren Einträgen im Verzeichnis. Bitte wenden Sie sich an den Servicedesk; die Administration sieht den Grund im Audit-Log.",
		"Your sign-in is ambiguous: your user name or e-mail address is on several directory entries. Please contact the service desk; its admins see the reason in the audit log."},
	"err.signin.local_account": {"Zu dieser E-Mail-Adresse gibt es ein Konto mit eigenem Servicedesk-Passwort. Bitte melden Sie sich mit E-Mail-Adresse und diesem Passwort an.",
		"There is an account with its own service desk password for this e-mail address. Please sign in with the e-mail address and that password."},
	"err.account.external_taken":    {"Dieser Verzeichniseintrag gehört schon zu einem anderen Konto.", "This directory entry already belongs to another account."},
	"err.account.external_password": {"Dieses Konto meldet sich über %s an und hat kein Servicedesk-Passwort; das Passwort ändern Sie dort.", "This account signs in through %s and has no service desk password; change the password there."},
	"err.reset_link.external":       {"Dieses Konto meldet sich über den Verzeichnisdienst an und hat kein Servicedesk-Passwort.", "This account signs in through the directory and has no service desk password."},
	"err.directory.none":            {"Es ist kein Verzeichnisdienst eingerichtet (--ldap-url).", "No directory is configured (--ldap-url)."},
	"problem.external_account":      {"Konto des Verzeichnisdienstes", "a directory account"},

	"pwreset.external_heading": {"Kein Servicedesk-Passwort", "No service desk password"},
	"pwreset.external": {"Sie melden sich mit dem Konto der Universität (Verzeichnisdienst) an; ein Passwort ändern Sie dort, nicht hier.",
		"You sign in with your university account (the directory); change its password there, not here."},
	"manage.auth_source":      {"Anmeldung", "Sign-in"},
	"manage.auth_source.ldap": {"Verzeichnisdienst (LDAP)", "Directory (LDAP)"},
	"manage.auth_source.oidc": {"OpenID Connect", "OpenID Connect"},
	"manage.auth_source.saml": {"SAML", "SAML"},
	"manage.auth_source_hint": {"Name, E-Mail-Adresse, Sprache, Rolle und die zugeordneten Queues kommen bei jeder Anmeldung aus dem Verzeichnis; ein Servicedesk-Passwort hat das Konto nicht.",
		"Name, e-mail address, language, role and the mapped queues come from the directory at every sign-in; the account has no service desk password."},
	"runtime.ldap": {"Anmeldung mit LDAP", "Sign-in with LDAP"},
	"manage.reset_external": {"Dieses Konto meldet sich über den Verzeichnisdienst an und hat kein Servicedesk-Passwort.",
		"This account signs in through the directory and has no service desk password."},
}

func init() { merge("catalog_directory.go", directoryCatalog) }
