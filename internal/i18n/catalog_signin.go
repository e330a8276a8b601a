package i18n

// signinCatalog holds the texts of the sign-in page and the password reset
// pages ("forgot your password?" and the form behind the mailed link);
// merged into catalog at start (a key in two tables panics).
var signinCatalog = map[string][2]string{
	// Sign-in
	"login.title":    {"Anmelden", "Sign in"},
	"login.heading":  {"Beim Servicedesk anmelden", "Sign in to the service desk"},
	"login.intro":    {"Mit Ihrer E-Mail-Adresse und Ihrem Passwort.", "With your e-mail address and password."},
	"login.submit":   {"Anmelden", "Sign in"},
	"login.missing":  {"Bitte geben Sie E-Mail-Adresse und Passwort ein.", "Please enter your e-mail address and password."},
	"login.wrong":    {"E-Mail-Adresse oder Passwort ist falsch.", "Wrong e-mail address or password."},
	"login.too_many": {"Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in %d Minuten wieder.", "Too many failed sign-ins. Please try again in %d minutes."},
	"login.foot":     {"Kein Konto? Schreiben Sie einfach eine E-Mail an den Servicedesk.", "No account? Simply write an e-mail to the service desk."},

	"flash.signed_out": {"Sie wurden abgemeldet.", "You have signed out."},

	"login.forgot": {"Passwort vergessen?", "Forgot your password?"},

	// /password/forgot
	"pwreset.forgot_title": {"Passwort vergessen", "Forgot your password"},
	"pwreset.forgot_intro": {"Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir schicken Ihnen einen Link, mit dem Sie ein neues Passwort festlegen.",
		"Enter your account's e-mail address. We will send you a link to set a new password."},
	"pwreset.send":          {"Link senden", "Send link"},
	"pwreset.sent_heading":  {"Bitte sehen Sie in Ihr Postfach", "Please check your inbox"},
	"pwreset.sent":          {"Wenn es zu %s ein Konto gibt, ist ein Link zum Festlegen eines neuen Passworts dorthin unterwegs. Er gilt eine Stunde.", "If there is an account for %s, a link to set a new password is on its way there. It is valid for one hour."},
	"pwreset.sent_hint":     {"Keine Mail bekommen? Sehen Sie auch im Spam-Ordner nach, oder fordern Sie in ein paar Minuten einen neuen Link an.", "No mail? Look in your spam folder too, or ask for a new link in a few minutes."},
	"pwreset.back_to_login": {"Zurück zur Anmeldung", "Back to sign-in"},
	"pwreset.missing_email": {"Bitte geben Sie Ihre E-Mail-Adresse ein.", "Please enter your e-mail address."},
	"pwreset.bad_email":     {"Das ist keine gültige E-Mail-Adresse.", "That is not a valid e-mail address."},
	"pwreset.too_many":      {"Zu viele Anfragen von Ihrem Anschluss. Bitte versuchen Sie es in %d Minuten wieder.", "Too many requests from your connection. Please try again in %d minutes."},

	// /password/reset
	"pwreset.title":            {"Neues Passwort festlegen", "Set a new password"},
	"pwreset.intro":            {"Wählen Sie ein neues Passwort. Danach sind Sie überall abgemeldet und melden sich mit dem neuen Passwort an.", "Choose a new password. You will then be signed out everywhere and sign in with the new password."},
	"pwreset.valid_until":      {"Dieser Link gilt bis %s.", "This link is valid until %s."},
	"pwreset.account":          {"Konto", "Account"},
	"pwreset.new_password":     {"Neues Passwort", "New password"},
	"pwreset.confirm":          {"Neues Passwort wiederholen", "Repeat the new password"},
	"pwreset.rules":            {"Mindestens 8 Zeichen.", "At least 8 characters."},
	"pwreset.save":             {"Passwort speichern", "Save password"},
	"pwreset.missing_password": {"Bitte geben Sie das neue Passwort zweimal ein.", "Please enter the new password twice."},
	"pwreset.mismatch":         {"Die beiden Passwörter stimmen nicht überein.", "The two passwords do not match."},
	"pwreset.password_rules":   {"Dieses Passwort geht nicht: Es muss mindestens 8 Zeichen und darf höchstens 1024 Bytes lang sein.", "This password will not do: it must be at least 8 characters and at most 1024 bytes long."},
	"pwreset.request_new":      {"Neuen Link anfordern", "Request a new link"},
	"pwreset.unknown_heading":  {"Dieser Link ist ungültig", "This link is not valid"},
	"pwreset.unknown":          {"Bitte prüfen Sie, ob Sie den Link aus der Mail vollständig geöffnet haben, oder fordern Sie einen neuen an.", "Please check that you opened the whole link from the mail, or request a new one."},
	"pwreset.expired_heading":  {"Dieser Link ist abgelaufen", "This link has expired"},
	"pwreset.expired":          {"Links zum Festlegen eines neuen Passworts gelten eine Stunde. Bitte fordern Sie einen neuen an.", "Links to set a new password are valid for one hour. Please request a new one."},
	"pwreset.used_heading":     {"Dieser Link wurde schon benutzt", "This link was used already"},
	"pwreset.used":             {"Mit diesem Link wurde bereits ein neues Passwort festgelegt. Melden Sie sich damit an, oder fordern Sie einen neuen Link an.", "This link has already set a new password. Sign in with it, or request a new link."},
	"pwreset.revoked_heading":  {"Dieser Link gilt nicht mehr", "This link no longer works"},
	"pwreset.revoked":          {"Das Passwort wurde inzwischen mit einem anderen Link geändert. Melden Sie sich damit an, oder fordern Sie einen neuen Link an.", "The password was changed with another link since. Sign in with it, or request a new link."},
	"flash.password_changed":   {"Ihr Passwort wurde geändert. Bitte melden Sie sich mit dem neuen Passwort an.", "Your password was changed. Please sign in with the new password."},
}

func init() { merge("catalog_signin.go", signinCatalog) }
