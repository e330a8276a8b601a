package demo

// Phrases shared by every topic, German ([0]) and English ([1]).
var (
	greetDesk = tx{{"Sehr geehrte Damen und Herren,", "Hallo,", "Liebes ZID-Team,", "Hallo zusammen,", "Guten Morgen,", "Liebe Kolleginnen und Kollegen,"},
		{"Dear Sir or Madam,", "Hello,", "Hi,", "Dear ZID team,"}}
	greetDeskStudent = tx{{"Hallo,", "Hallo liebes Servicedesk-Team,", "Guten Tag,", "Hi,"}, {"Hello,", "Hi,", "Dear service desk,"}}
	closeReq         = tx{{"Mit freundlichen Grüßen", "Viele Grüße", "Danke und liebe Grüße", "Beste Grüße", "Danke im Voraus und freundliche Grüße"},
		{"Best regards", "Kind regards", "Thanks in advance,", "Many thanks,"}}
	closeStudent = tx{{"Liebe Grüße", "LG", "Danke schon mal!", "Viele Grüße"}, {"Thanks,", "Best,", "Cheers,"}}

	genericAsk = tx{{"können Sie uns bitte genauer beschreiben, seit wann das Problem besteht und welche Fehlermeldung genau erscheint? Ein Screenshot hilft uns sehr.",
		"damit wir das nachvollziehen können: Tritt das Problem an mehreren Geräten auf oder nur an einem?",
		"wann sind Sie telefonisch am besten erreichbar? Dann können wir das gemeinsam am Bildschirm ansehen."},
		{"could you describe since when the problem occurs and what error message you see exactly? A screenshot helps a lot.",
			"does the problem occur on several devices or only on one?"}}
	genericReply = tx{{"das Problem besteht seit Montag, die Meldung kommt bei jedem Versuch. Screenshot schicke ich gleich nach.",
		"nur an meinem Gerät, die Kolleg:innen haben keine Probleme.",
		"am besten vormittags unter meiner Durchwahl {tel}."},
		{"it started on Monday and happens on every attempt.", "only on my device, my colleagues are fine."}}
	thanks = tx{{"vielen Dank, jetzt funktioniert wieder alles!", "danke für die rasche Hilfe, das Problem ist gelöst.", "super, danke! Passt so.", "herzlichen Dank für die schnelle Erledigung."},
		{"thanks a lot, everything works again!", "thank you for the quick help, problem solved.", "great, thanks!"}}
	reopenText = tx{{"leider tritt das Problem seit heute wieder auf.", "das hat leider nicht geholfen – der Fehler ist immer noch da.", "kurze Rückmeldung: es hat zwei Tage funktioniert, jetzt ist es wieder wie vorher."},
		{"unfortunately the problem is back since today.", "sadly that did not help – the error is still there."}}
	reworkText = tx{{"danke für die Rückmeldung. Wir haben uns das nochmals genauer angesehen: ", "entschuldigen Sie bitte die Umstände. Beim zweiten Blick hat sich gezeigt: "},
		{"thank you for letting us know. We had another, closer look: "}}
	reworkSolve = tx{{"diesmal haben wir alles vollständig zurückgesetzt, neu eingerichtet und ausführlich getestet. Bitte geben Sie uns Bescheid, falls noch etwas nicht passt.", "die eigentliche Ursache war eine zweite, veraltete Einstellung, die wir jetzt ebenfalls korrigiert haben. Wir haben es mehrmals getestet."},
		{"this time we reset everything, set it up again and tested it thoroughly. Please let us know if anything is still wrong."}}
	withdrawText = tx{{"hat sich inzwischen erledigt, ein Kollege konnte mir helfen. Danke!", "bitte das Ticket schließen, ich habe es selbst lösen können.", "die Anfrage ist hinfällig, das Projekt wurde verschoben.", "sorry, Fehlalarm – es lag an meinem Gerät."},
		{"never mind, a colleague was able to help me. Thanks!", "please close the ticket, I solved it myself."}}
	resendText = tx{{"ich schicke meine Anfrage nochmals, da ich keine Eingangsbestätigung bekommen habe:", "Nachtrag zu meiner Mail von vorhin – hier nochmals alle Angaben:"},
		{"I am sending my request again since I did not get a confirmation:"}}

	triageNotes  = []string{"Kein Servicedesk-Fall, bitte übernehmen.", "Weiter an {queue}, Anruferin ist informiert.", "Lt. Telefonat dringend – bitte heute noch melden.", "Erstanalyse: betrifft {queue}, Standardlösung hat nicht geholfen.", "Bitte übernehmen, Rückrufnummer steht in der Beschreibung."}
	genericNotes = []string{"Rückruf für morgen vormittags vereinbart.", "Mit Kolleg:innen aus dem Team abgesprochen, übernehme ich.", "Bekanntes Problem, siehe Wiki-Artikel „{topic}“.", "Wartet auf Rückmeldung des Herstellers.", "Dokumentation im Wiki ergänzt.", "Telefonisch kurz besprochen, Lösung folgt."}
	stalledNotes = []string{"Wartet auf Lieferung der Ersatzteile.", "Umsetzung im nächsten Wartungsfenster (Samstag).", "Abhängig von der Freigabe der Institutsleitung – nachgefragt.", "Hersteller-Ticket eröffnet, noch keine Antwort.", "Termin mit Nutzer:in für nächste Woche vereinbart."}
	confNotes    = []string{"Als vertraulich markiert und an Security weitergegeben.", "Vertraulich: enthält personenbezogene Daten, weiter an Security."}
)

// Values for the placeholders.
var (
	printers    = []string{"HP LaserJet M507", "Kyocera TASKalfa 3554ci", "Canon iR-ADV C5840i", "Brother HL-L5100DN", "HP Color LaserJet M555", "Ricoh IM C3000"}
	printErrors = []string{"49.4C02 Fehler", "Papierstau Fach 2", "Toner ersetzen", "Fixierer-Fehler 50.2", "Keine Verbindung zum Netzwerk", "Wartung erforderlich C-0210"}
	softwares   = []string{"MATLAB", "SPSS", "ArcGIS Pro", "OriginPro", "Mathematica", "ATLAS.ti", "Adobe Creative Cloud", "EndNote", "ChemDraw", "LabVIEW", "MAXQDA", "SolidWorks", "Stata", "Citavi", "COMSOL Multiphysics"}
	oses        = []string{"Windows 11", "macOS Sequoia", "macOS Sonoma", "Ubuntu 24.04", "Windows 10"}
	phones      = []string{"Samsung Galaxy S23", "Google Pixel 8", "iPhone 13", "Xiaomi Redmi Note 12", "iPhone 15"}
	vpnErrors   = []string{"The VPN connection was terminated by the server", "Fehler 809", "Authentifizierung fehlgeschlagen", "Zertifikat konnte nicht überprüft werden"}
	courses     = []string{"VO Einführung in die Soziologie", "PS Lineare Algebra", "SE Masterseminar Ökologie", "VU Datenbanksysteme", "UE Programmiermethodik", "VO Römisches Recht", "VO Physische Geographie", "PS Statistik für Psychologie", "VU Einführung in die Volkswirtschaft", "SE Mittelalterliche Geschichte", "VO Grundlagen der Bauphysik", "UE Analysis für Informatik", "VO Bewegungswissenschaft", "PS Literaturwissenschaft"}
	conferences = []string{"Alpine Forschung 2025", "Innsbrucker Soziologietage", "Tiroler Geotage", "Workshop Digitale Lehre", "Summer School Quantum Optics"}
	guests      = []string{"Laura Bianchi", "Jan Novák", "Marta Kowalska", "Pierre Dubois", "Kenji Sato", "Elena Popescu"}
	senders     = []string{"ZID Support <support@zid-helpdesk.example.net>", "Mail Administrator <admin@mailbox-update.example.com>", "Universität IT-Service <it@uibk-secure.example.info>", "Microsoft 365 <no-reply@m365-verify.example.net>"}
	groups      = []string{"G-FS-Geographie-RW", "G-Institut-Informatik", "G-Sekretariate-WiWi", "G-Projekt-Alpen-RW", "G-Labor-Zoologie"}
	months      = []string{"Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}
	buildings   = map[string][]string{
		siteInnrain: {"Innrain 52", "Innrain 80–82", "Bruno-Sander-Haus", "GEIWI-Turm", "Christoph-Probst-Platz"},
		siteTechnik: {"Technik, Gebäude 13", "ICT-Gebäude", "Technik, Bauingenieurgebäude", "Viktor-Franz-Hess-Haus"},
		siteSowi:    {"SoWi, Universitätsstraße 15", "SoWi, Turm", "SoWi, Hauptgebäude"},
		siteSport:   {"Sportinstitut Fürstenweg", "USI-Halle"},
	}
	halls = map[string][]string{
		siteInnrain: {"HS A", "HS B", "HS 1 (Innrain 52)", "Aula", "Hörsaal Christoph-Probst-Platz"},
		siteTechnik: {"HS A (Technik)", "HS B (Technik)", "HS D", "HS E", "HS F"},
		siteSowi:    {"HS 1 (SoWi)", "HS 2 (SoWi)", "HS 3 (SoWi)", "SR 2 (SoWi)"},
		siteSport:   {"Hörsaal Sportinstitut", "Seminarraum Fürstenweg"},
	}
)
