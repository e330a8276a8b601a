package i18n

// samlCatalog holds the texts of signing in with a SAML identity provider
// (the university's Shibboleth IdP): the sign-in button and the refusals.
var samlCatalog = map[string][2]string{
	"login.saml": {"Mit dem Konto der Universität anmelden", "Sign in with your university account"},
	"login.or":   {"oder mit einem Servicedesk-Passwort:", "or with a service desk password:"},

	"err.signin.saml_refused": {"Die Anmeldung über das Konto der Universität wurde nicht angenommen (die Antwort war ungültig, abgelaufen oder schon verwendet). Bitte versuchen Sie es noch einmal.",
		"The sign-in with your university account was not accepted (the answer was invalid, expired or used before). Please try again."},
	"err.signin.saml_incomplete": {"Die Universität hat Ihre Kennung oder E-Mail-Adresse nicht übermittelt. Bitte wenden Sie sich an den Servicedesk; die Administration sieht den Grund im Audit-Log.",
		"Your university did not pass on your ID or e-mail address. Please contact the service desk; its admins see the reason in the audit log."},
	"err.signin.saml_failed": {"Die Anmeldung bei der Universität wurde abgebrochen oder ist fehlgeschlagen.",
		"The sign-in at your university was cancelled or failed."},
	"err.signin.saml_disabled": {"Ihr Servicedesk-Konto ist gesperrt. Bitte wenden Sie sich an den Servicedesk.",
		"Your service desk account is disabled. Please contact the service desk."},
	"err.saml.request": {"Auf diese Anmeldung wartet der Servicedesk nicht.", "The service desk is not waiting for this sign-in."},
	"runtime.saml":     {"Anmeldung mit SAML", "Sign-in with SAML"},
}

func init() { merge("catalog_saml.go", samlCatalog) }
