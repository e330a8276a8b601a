package i18n

// privacyCatalog holds the texts of the export of a person's data and of
// the auditor flag of staff; merged into catalog at start (a key in two
// tables panics).
var privacyCatalog = map[string][2]string{
	"err.privacy.admins_export": {"Nur die Administration exportiert die Daten einer Person.", "Only admins export a person's data."},
}

func init() { merge("catalog_privacy.go", privacyCatalog) }
