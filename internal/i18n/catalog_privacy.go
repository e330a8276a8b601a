package i18n

// privacyCatalog holds the texts of the export of a person's data and of
// the auditor flag of staff; merged into catalog at start (a key in two
// tables panics).
var privacyCatalog = map[string][2]string{
	"err.privacy.admins_export":  {"Nur die Administration exportiert die Daten einer Person.", "Only admins export a person's data."},
	"settings.also_auditor":      {"Zusätzlich prüfende Person: Sie lesen das Prüfprotokoll.", "Also auditor: you read the audit log."},
	"manage.also_auditor":        {"Zusätzlich prüfende Person (liest das Prüfprotokoll)", "Also auditor (reads the audit log)"},
	"manage.also_auditor_hint":   {"Für Bearbeiter:innen und Administrator:innen, die zugleich für Betriebsrat oder Datenschutz prüfen. Sie behalten Rolle und Queues; die Vergabe wird protokolliert.", "For agents and admins who also audit for the works council or data protection. They keep their role and queues; the grant is logged."},
	"manage.audit_log":           {"Prüfprotokoll", "Audit log"},
	"manage.audit_log.auditor":   {"liest es als prüfende Person (sieht keine Tickets)", "reads it as auditor (sees no tickets)"},
	"manage.audit_log.also":      {"liest es zusätzlich als prüfende Person", "reads it as auditor besides"},
	"manage.audit_log.admin":     {"liest es als Administrator:in", "reads it as admin"},
	"manage.audit_log.no":        {"liest es nicht", "does not read it"},
	"privacy.export.title":       {"Personenbezogene Daten", "Personal data"},
	"privacy.export.hint":        {"Auskunft nach Art. 15 DSGVO: eine ZIP-Datei mit Konto, Tickets (wie die Person sie sieht), eigenen Einträgen, gesendeten Mails, Protokollzeilen und Dateien. Der Export wird protokolliert.", "Access under GDPR article 15: a zip file with the account, the tickets (as the person sees them), their own entries, mails sent, audit rows and files. The export is logged."},
	"privacy.export.button":      {"Personenbezogene Daten herunterladen", "Download personal data"},
	"problem.auditor_staff_only": {"nur Bearbeiter:innen und Administrator:innen können zusätzlich prüfende Person sein", "only agents and admins can be auditors besides"},
}

func init() { merge("catalog_privacy.go", privacyCatalog) }
