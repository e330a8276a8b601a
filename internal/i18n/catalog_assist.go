package i18n

// assistCatalog holds the texts of the new-ticket assistant's checks and
// file hints; merged into catalog at start.
var assistCatalog = map[string][2]string{
	// The assistant
	"assistant.need_input":  {"Bitte füllen Sie mindestens ein Feld aus oder beschreiben Sie Ihr Anliegen.", "Please fill in at least one field or describe your request."},
	"assistant.files_later": {"Dateien (bis %s je Datei) hängen Sie im letzten Schritt an, direkt vor dem Absenden.", "You attach files (up to %s each) in the last step, just before sending."},
	"assistant.files_limit": {"Bis %s je Datei. Sie können Dateien auch hierher ziehen oder Screenshots einfügen (Strg+V).", "Up to %s per file. You can also drag files here or paste screenshots (Ctrl+V)."},
	"assistant.files_keep":  {"Die Dateien werden erst mit „Ticket anlegen“ gesendet. Wenn Sie vorher die Angaben ändern, wählen Sie sie danach hier erneut.", "Files are sent only with “Create ticket”. If you change the details first, choose them here again afterwards."},
	"assistant.files_lost":  {"Diese Dateien wurden nicht übernommen: %s. Bitte wählen Sie sie im Schritt „Prüfen und absenden“ erneut.", "These files were not kept: %s. Please choose them again in the step “Review and submit”."},
}

func init() { merge("catalog_assist.go", assistCatalog) }
