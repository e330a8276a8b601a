package i18n

// oidcCatalog holds the texts of signing in with an OpenID Connect
// provider: the sign-in page's button and what went wrong.
var oidcCatalog = map[string][2]string{
	"login.oidc_or":     {"oder", "or"},
	"login.oidc_button": {"Anmelden mit %s", "Sign in with %s"},

	"err.signin.oidc_down": {"Der Anmeldedienst ist gerade nicht erreichbar. Bitte versuchen Sie es in ein paar Minuten wieder. Konten mit einem Servicedesk-Passwort können sich weiterhin oben anmelden.",
		"The sign-in service cannot be reached right now. Please try again in a few minutes. Accounts with a service desk password can still sign in above."},
	"err.signin.oidc_state": {"Diese Anmeldung ist abgelaufen oder wurde schon verwendet. Bitte melden Sie sich noch einmal an.",
		"This sign-in has expired or was already used. Please sign in again."},
	"err.signin.oidc_refused": {"Die Antwort des Anmeldedienstes ließ sich nicht prüfen; Sie wurden nicht angemeldet. Bitte versuchen Sie es noch einmal; geschieht es wieder, wenden Sie sich an den Servicedesk (die Administration sieht den Grund im Audit-Log).",
		"The sign-in service's answer could not be verified, so you were not signed in. Please try again; if it happens again, contact the service desk (its admins see the reason in the audit log)."},
	"err.signin.oidc_email": {"Der Anmeldedienst hat keine bestätigte E-Mail-Adresse für Ihr Konto übermittelt; der Servicedesk braucht eine. Bitte bestätigen Sie Ihre Adresse beim Anmeldedienst oder wenden Sie sich an den Servicedesk.",
		"The sign-in service sent no verified e-mail address for your account, and the service desk needs one. Please verify your address with the sign-in service, or contact the service desk."},
	"err.signin.oidc_cancelled": {"Die Anmeldung wurde beim Anmeldedienst abgebrochen.", "The sign-in was cancelled at the sign-in service."},
	"err.signin.oidc_disabled": {"Ihr Servicedesk-Konto ist deaktiviert. Bitte wenden Sie sich an den Servicedesk.",
		"Your service desk account is disabled. Please contact the service desk."},
	"err.signin.oidc_none": {"Es ist kein OpenID-Connect-Anbieter eingerichtet (--oidc-issuer).", "No OpenID Connect provider is configured (--oidc-issuer)."},
	"runtime.oidc":         {"Anmeldung mit OpenID Connect", "Sign-in with OpenID Connect"},
}

func init() { merge("catalog_oidc.go", oidcCatalog) }
