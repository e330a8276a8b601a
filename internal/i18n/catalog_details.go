package i18n

// detailCatalog holds the German texts of the problems desk and web attach
// to a form field (ticket.Error's Fields). Their English text is the key:
// the API answers in English, and the web shows the German one on German
// pages. Computed parts are %d (a number), %q (a quoted name) and %s (a
// name or a list); the German text has the same verbs in the same order.
// internal/web's TestFieldProblemsTranslated finds every such text in the
// source and fails for one missing here.
var detailCatalog = map[string]string{
	// Any field
	"must not be empty":                           "darf nicht leer sein",
	"is required":                                 "ist anzugeben",
	"missing":                                     "fehlt",
	"is too long":                                 "ist zu lang",
	"must be at most %d characters":               "darf höchstens %d Zeichen lang sein",
	"must be at least %d characters":              "muss mindestens %d Zeichen lang sein",
	"must be %d to %d characters":                 "muss %d bis %d Zeichen lang sein",
	"must be between %d and %d":                   "muss zwischen %d und %d liegen",
	"must be valid UTF-8":                         "muss gültiger UTF-8-Text sein",
	"must be one line without control characters": "muss eine Zeile ohne Steuerzeichen sein",
	"is not a date":                               "ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)",
	"must be one of %s":                           "muss einer dieser Werte sein: %s",
	"must be one of %s, with - for descending":    "muss einer dieser Werte sein: %s; mit - für absteigend",
	"is taken":                                    "ist schon vergeben",
	"must be active or disabled":                  "muss aktiv oder gesperrt sein",
	"not ticked":                                  "ist nicht angekreuzt",

	// People and addresses
	"must be empty: a service account has no password": "muss leer bleiben: ein Dienstkonto hat kein Passwort",
	"must be a valid e-mail address":                   "muss eine gültige E-Mail-Adresse sein",
	"must be e-mail addresses":                         "müssen E-Mail-Adressen sein",
	"must have at most %d addresses":                   "darf höchstens %d Adressen enthalten",
	"is a requester":                                   "ist eine anfragende Person, keine Bearbeiter:in",
	"is not a known user":                              "ist keine bekannte Person",
	"must be a member's e-mail, or none":               "muss die E-Mail-Adresse eines Queue-Mitglieds sein, oder leer",
	"is not a member of %s":                            "ist nicht Mitglied von %s",
	"must be requester, agent or admin":                "muss anfragende Person, Bearbeiter:in oder Administrator:in sein",
	"must be de or en":                                 "muss Deutsch (de) oder Englisch (en) sein",
	"must be a time zone such as Europe/Vienna":        "muss eine Zeitzone wie Europe/Vienna sein",
	"must be an IANA time zone such as Europe/Vienna":  "muss eine IANA-Zeitzone wie Europe/Vienna sein",

	// Tickets and entries
	"must be low, normal, high or urgent":                    "muss niedrig, normal, hoch oder dringend sein",
	"must be new, open, waiting, resolved or closed":         "muss neu, in Bearbeitung, Rückfrage, gelöst oder geschlossen sein",
	"must be web, mail, api, phone or in-person":             "muss Web, Mail, API, Telefon oder persönlich (in-person) sein",
	"must be phone, in person, mail or web":                  "muss Telefon, persönlich, E-Mail oder Web sein",
	"must not be in the past":                                "darf nicht in der Vergangenheit liegen",
	"is not known yet: check it, or confirm a new requester": "ist noch unbekannt: bitte prüfen oder eine neue anfragende Person bestätigen",
	"%q is larger than %s":                                   "%q ist größer als %s",
	"must be message, question, answer or comment":           "muss Nachricht, Rückfrage, Antwort oder Kommentar sein",
	"must be public, staff or queue":                         "muss öffentlich, Mitarbeitende oder Queue sein",
	"must be public for a %s: it goes to the requester":      "muss bei „%s“ öffentlich sein: der Eintrag geht an die anfragende Person",
	"is required: the version of the ticket you changed":     "fehlt: die Version des Tickets, das Sie geändert haben",
	"is not a known queue":                                   "ist keine bekannte Queue",
	"no such queue":                                          "diese Queue gibt es nicht",
	"must be related, duplicate, parent or child":            "muss verwandt, Duplikat, übergeordnet oder untergeordnet sein",
	"must be a ticket number":                                "muss eine Ticketnummer sein",
	"must be another ticket":                                 "muss ein anderes Ticket sein",
	"is not a search":                                        "ist keine gültige Suche",
	"must be an RFC 3339 time or a date YYYY-MM-DD":          "muss eine Zeit nach RFC 3339 oder ein Datum JJJJ-MM-TT sein",
	"must be 1 or 0":                                         "muss 1 oder 0 sein",
	"overdue tickets are new, open or waiting":               "überfällige Tickets sind neu, in Bearbeitung oder in Rückfrage",
	"you have %d filters already; delete one first":          "Sie haben schon %d Filter; löschen Sie zuerst einen",

	// The assistant's tree
	"a leaf needs a queue":  "ein Anliegen braucht eine Queue",
	"is a menu":             "ist ein Menü, kein Anliegen",
	"is a leaf, not a menu": "ist ein Anliegen, kein Menü",
	"no such menu":          "dieses Menü gibt es nicht",
	"would make a cycle":    "würde einen Kreis bilden",
	"the menu has entries":  "das Menü enthält noch Einträge",
	"only a leaf has a queue, a subject template and fields": "nur ein Anliegen hat eine Queue, eine Betreff-Vorlage und Felder",
	"at most %d fields":                                                       "höchstens %d Felder",
	"field %q needs a German and an English label":                            "Feld %q braucht eine deutsche und eine englische Bezeichnung",
	"field %q: kind must be text or textarea":                                 "Feld %q: die Art muss text oder textarea sein",
	"field name %q twice":                                                     "Feldname %q kommt zweimal vor",
	"field name %q: lower-case letters, digits and _, starting with a letter": "Feldname %q: Kleinbuchstaben, Ziffern und _, beginnend mit einem Buchstaben",
	"{%s} is not a field of this leaf":                                        "{%s} ist kein Feld dieses Anliegens",
}
