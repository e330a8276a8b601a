package demo

// The demo's organisation: the queues of a university computing centre
// ("Zentrum für Informationsdienste", ZID), its staff and the members of the
// university who ask it for help. Every account shares one demo password.

// Password is the password of every demo account.
const Password = "servus-demo"

// Domains of the demo. All of them are reserved example domains, so no mail
// can ever leave for a real person.
const (
	zidDomain     = "zid.example.org" // functional addresses and ZID staff
	staffDomain   = "uibk.example"    // university staff and lecturers
	studentDomain = "student.example" // students
)

// queueDef is one queue of the demo.
type queueDef struct {
	name         string
	local        string // local part of the functional address; "" for none
	def          bool
	confidential bool
}

// Sites of the university; several queues exist once per site.
const (
	siteInnrain = "Innrain"
	siteTechnik = "Technik"
	siteSowi    = "Sowi"
	siteSport   = "Sport"
)

// Queue names used in the code (the rest appear only in the tables).
const (
	qServicedesk = "Servicedesk"
	qSecurity    = "Security"
	qVIS         = "VIS Online"
	qLFU         = "LFU Online"
)

var queueDefs = []queueDef{
	{name: qServicedesk, local: "servicedesk", def: true},
	{name: "Benutzerservice Innrain", local: "benutzerservice-innrain"},
	{name: "Benutzerservice Technik", local: "benutzerservice-technik"},
	{name: "Benutzerservice Sowi", local: "benutzerservice-sowi"},
	{name: "Vorort-Service Innrain", local: "vorort-innrain"},
	{name: "Vorort-Service Technik", local: "vorort-technik"},
	{name: "Vorort-Service Sowi", local: "vorort-sowi"},
	{name: "Vorort-Service Sport", local: "vorort-sport"},
	{name: qVIS, local: "vis-online", confidential: true},
	{name: qLFU, local: "lfuonline", confidential: true},
	{name: qSecurity, local: "security", confidential: true},
	{name: "Neue Medien", local: "neue-medien"},
	{name: "INNET Admin", local: "innet-admin"},
	{name: "Mail Admin", local: "mail-admin"},
	{name: "Telefonie Admin", local: "telefon-admin"},
	{name: "Software Admin", local: "software-admin"},
	{name: "Lizenzen", local: "lizenzen"},
	{name: "Drucken & Kopieren", local: "drucken"},
	{name: "WLAN/eduroam", local: "wlan"},
	{name: "VPN", local: "vpn"},
	{name: "Identity Management", local: "idm"},
	{name: "Backup & Storage", local: "backup"},
	{name: "HPC", local: "hpc"},
	{name: "Webhosting", local: "webhosting"},
	{name: "E-Learning (OLAT/Moodle)", local: "elearning"},
	{name: "Hörsaaltechnik", local: "hoersaaltechnik"},
	{name: "Beschaffung", local: "beschaffung"},
	{name: "Serverbetrieb", local: "serverbetrieb"},
	{name: "Datenbanken", local: "datenbanken"},
	{name: "Netzwerk Campus Technik", local: "netz-technik"},
	{name: "Netzwerk Campus Innrain", local: "netz-innrain"},
	{name: "Windows Clients", local: "windows"},
	{name: "Mac & Linux Clients", local: "unix-clients"},
	{name: "Active Directory", local: "ad-admin"},
	{name: "Videokonferenz", local: "videokonferenz"},
	{name: "Cloud & Filesharing", local: "cloud"},
	{name: "Webredaktion (CMS)", local: "cms"},
	{name: "PC-Räume", local: "pc-raeume"},
	{name: "Mobilgeräte", local: "mdm"},
	{name: "E-Prüfungen", local: "e-pruefung"},
	{name: "Schulungen", local: "schulungen"},
	{name: "Forschungsdatenmanagement", local: "fdm"},
	{name: "Bibliothekssysteme", local: "bibliothek-it"},
	{name: "Rechenzentrum Infrastruktur", local: "rz-infrastruktur"},
	{name: qComplaints, local: "lob-beschwerde", confidential: true},
}

// staffDef is an agent or admin of the ZID.
type staffDef struct {
	first, last string
	admin       bool
	queues      []string
}

var staffDefs = []staffDef{
	{first: "Gerhard", last: "Kogler", admin: true, queues: []string{qServicedesk, qSecurity, "Beschaffung", "Schulungen", qComplaints}},
	{first: "Eva", last: "Rainer", admin: true},
	{first: "Andrea", last: "Hofer", queues: []string{qServicedesk, "Benutzerservice Innrain", qComplaints}},
	{first: "Markus", last: "Gruber", queues: []string{qServicedesk, "Benutzerservice Technik", "WLAN/eduroam"}},
	{first: "Stefan", last: "Wallner", queues: []string{qServicedesk, "Identity Management", "Benutzerservice Sowi"}},
	{first: "Claudia", last: "Pichler", queues: []string{qServicedesk, "Drucken & Kopieren", "Benutzerservice Innrain"}},
	{first: "Thomas", last: "Moser", queues: []string{"Vorort-Service Innrain", "Windows Clients", "Beschaffung"}},
	{first: "Julia", last: "Mair", queues: []string{"Vorort-Service Innrain", "Vorort-Service Sport", "Mobilgeräte"}},
	{first: "Lukas", last: "Egger", queues: []string{"Vorort-Service Technik", "Mac & Linux Clients", "PC-Räume"}},
	{first: "Sabine", last: "Brunner", queues: []string{"Vorort-Service Technik", "Benutzerservice Technik", "Drucken & Kopieren"}},
	{first: "Michael", last: "Huber", queues: []string{"Vorort-Service Sowi", "Benutzerservice Sowi", "PC-Räume"}},
	{first: "Katharina", last: "Schwarz", queues: []string{"Vorort-Service Sowi", "Vorort-Service Sport", "Windows Clients"}},
	{first: "Florian", last: "Berger", queues: []string{"INNET Admin", "Netzwerk Campus Technik", "WLAN/eduroam"}},
	{first: "Martina", last: "Auer", queues: []string{"INNET Admin", "Netzwerk Campus Innrain", "VPN"}},
	{first: "Georg", last: "Haas", queues: []string{"Netzwerk Campus Technik", "Netzwerk Campus Innrain", "Rechenzentrum Infrastruktur"}},
	{first: "Elisabeth", last: "Steiner", queues: []string{"Mail Admin", "Active Directory", "Identity Management"}},
	{first: "Daniel", last: "Fuchs", queues: []string{"Mail Admin", "Serverbetrieb", qSecurity}},
	{first: "Petra", last: "Eder", queues: []string{"Telefonie Admin", "Videokonferenz"}},
	{first: "Wolfgang", last: "Lechner", queues: []string{"Telefonie Admin", "Mobilgeräte", "Beschaffung"}},
	{first: "Birgit", last: "Schmid", queues: []string{"Software Admin", "Lizenzen"}},
	{first: "Christian", last: "Winkler", queues: []string{"Software Admin", "Lizenzen", "Windows Clients", "Mac & Linux Clients"}},
	{first: "Verena", last: "Kofler", queues: []string{"E-Learning (OLAT/Moodle)", "E-Prüfungen", "Schulungen"}},
	{first: "Patrick", last: "Reiter", queues: []string{"E-Learning (OLAT/Moodle)", "Neue Medien", "Videokonferenz"}},
	{first: "Barbara", last: "Lang", queues: []string{"Neue Medien", "Hörsaaltechnik", "Webredaktion (CMS)"}},
	{first: "Manuel", last: "Strasser", queues: []string{"Hörsaaltechnik", "Vorort-Service Innrain", "E-Prüfungen"}},
	{first: "Sandra", last: "Wieser", queues: []string{qVIS, qLFU}},
	{first: "Harald", last: "Obermair", queues: []string{qVIS, "Datenbanken"}},
	{first: "Johanna", last: "Ebner", queues: []string{qLFU, "Identity Management"}},
	{first: "Roland", last: "Kern", queues: []string{qSecurity, "Serverbetrieb", "Active Directory"}},
	{first: "Nina", last: "Thaler", queues: []string{qSecurity, "VPN", "Cloud & Filesharing"}},
	{first: "Alexander", last: "Plattner", queues: []string{"HPC", "Backup & Storage", "Forschungsdatenmanagement"}},
	{first: "Simone", last: "Hörmann", queues: []string{"Webhosting", "Webredaktion (CMS)", "Datenbanken"}},
	{first: "Matthias", last: "Unterweger", queues: []string{"Backup & Storage", "Cloud & Filesharing", "Serverbetrieb", "Rechenzentrum Infrastruktur"}},
	{first: "Teresa", last: "Ortner", queues: []string{"Bibliothekssysteme", "Forschungsdatenmanagement", "Schulungen"}},
	{first: "Bernhard", last: "Wimmer", queues: []string{"HPC", "Bibliothekssysteme", "Webhosting"}},
}

// Kinds of requester.
const (
	kindStaff    = 's' // administrative or technical staff
	kindLecturer = 'l' // lecturers and researchers
	kindStudent  = 'u' // students
)

// requesterDef is a member of the university who asks the ZID for help.
type requesterDef struct {
	first, last string
	female      bool
	kind        byte
	en          bool
	inst        string // institute or office; study programme for students
	site        string
	room        string // office; "" for students
}

var requesterDefs = []requesterDef{
	{"Maria", "Huber", true, kindLecturer, false, "Institut für Geographie", siteInnrain, "5W02"},
	{"Johann", "Schett", false, kindStaff, false, "Personalabteilung", siteInnrain, "1N14"},
	{"Gabriele", "Neuner", true, kindStaff, false, "Studienabteilung", siteInnrain, "0S07"},
	{"Peter", "Kirchmair", false, kindLecturer, false, "Institut für Informatik", siteTechnik, "3M12"},
	{"Sonja", "Falkner", true, kindStaff, false, "Institut für Informatik (Sekretariat)", siteTechnik, "3M01"},
	{"Herbert", "Walch", false, kindLecturer, false, "Institut für Experimentalphysik", siteTechnik, "2W21"},
	{"Ulrike", "Jenewein", true, kindLecturer, false, "Institut für Soziologie", siteSowi, "4S15"},
	{"Reinhard", "Pfeifer", false, kindStaff, false, "Institut für Banken und Finanzen", siteSowi, "2N08"},
	{"Brigitte", "Tschurtschenthaler", true, kindStaff, false, "Dekanat Wirtschaftswissenschaften", siteSowi, "1S03"},
	{"Karl", "Abfalterer", false, kindStaff, false, "Institut für Sportwissenschaft", siteSport, "E12"},
	{"Monika", "Schöpf", true, kindLecturer, false, "Institut für Sportwissenschaft", siteSport, "E17"},
	{"Franz", "Haselwanter", false, kindStaff, false, "Gebäude- und Technikmanagement", siteInnrain, "U1-04"},
	{"Christina", "Margreiter", true, kindLecturer, false, "Institut für Germanistik", siteInnrain, "6N11"},
	{"Andreas", "Zangerl", false, kindLecturer, false, "Institut für Zoologie", siteTechnik, "1W34"},
	{"Elke", "Ladner", true, kindStaff, false, "Institut für Botanik", siteTechnik, "1O09"},
	{"Hannes", "Mössmer", false, kindLecturer, false, "Institut für Infrastruktur", siteTechnik, "4N22"},
	{"Renate", "Spiegl", true, kindStaff, false, "Finanzabteilung", siteInnrain, "2S10"},
	{"Walter", "Tusch", false, kindLecturer, false, "Institut für Geschichtswissenschaften", siteInnrain, "4W05"},
	{"Ingrid", "Heiss", true, kindStaff, false, "Universitäts- und Landesbibliothek", siteInnrain, "0N02"},
	{"Josef", "Praxmarer", false, kindStaff, false, "Büro des Rektorats", siteInnrain, "2O01"},
	{"Silvia", "Kathrein", true, kindLecturer, false, "Institut für Psychologie", siteInnrain, "3S18"},
	{"Martin", "Lackner", false, kindLecturer, false, "Institut für Mathematik", siteTechnik, "7W10"},
	{"Doris", "Wechselberger", true, kindStaff, false, "Institut für Erziehungswissenschaft", siteInnrain, "3O06"},
	{"Günther", "Knapp", false, kindLecturer, false, "Institut für Öffentliches Recht", siteInnrain, "5N13"},
	{"Eva", "Stolz", true, kindStaff, false, "Büro für Öffentlichkeitsarbeit", siteInnrain, "1W02"},
	{"Alois", "Kranebitter", false, kindStaff, false, "Institut für Astro- und Teilchenphysik", siteTechnik, "2N30"},
	{"Helga", "Thurner", true, kindLecturer, false, "Institut für Wirtschaftstheorie", siteSowi, "3N04"},
	{"Emily", "Carter", true, kindLecturer, true, "Department of English", siteInnrain, "6S09"},
	{"Rahul", "Mehta", false, kindLecturer, true, "Department of Computer Science", siteTechnik, "3M20"},
	{"Sofia", "Rossi", true, kindLecturer, true, "Department of Ecology", siteTechnik, "1W12"},
	{"James", "Whitfield", false, kindLecturer, true, "Department of Political Science", siteSowi, "4N11"},
	{"Wei", "Chen", false, kindLecturer, true, "Department of Experimental Physics", siteTechnik, "2W17"},
	{"Lena", "Gasser", true, kindStudent, false, "Biologie", siteTechnik, ""},
	{"Jonas", "Raich", false, kindStudent, false, "Informatik", siteTechnik, ""},
	{"Anna", "Hauser", true, kindStudent, false, "Lehramt Deutsch/Geschichte", siteInnrain, ""},
	{"David", "Schranz", false, kindStudent, false, "Wirtschaftswissenschaften", siteSowi, ""},
	{"Sarah", "Obholzer", true, kindStudent, false, "Psychologie", siteInnrain, ""},
	{"Tobias", "Kröll", false, kindStudent, false, "Bauingenieurwissenschaften", siteTechnik, ""},
	{"Laura", "Weiskopf", true, kindStudent, false, "Soziologie", siteSowi, ""},
	{"Fabian", "Jäger", false, kindStudent, false, "Sportwissenschaften", siteSport, ""},
	{"Hannah", "Pircher", true, kindStudent, false, "Rechtswissenschaften", siteInnrain, ""},
	{"Elias", "Mayr", false, kindStudent, false, "Physik", siteTechnik, ""},
	{"Leonie", "Fankhauser", true, kindStudent, false, "Erziehungswissenschaft", siteInnrain, ""},
	{"Simon", "Norz", false, kindStudent, false, "Informatik", siteTechnik, ""},
	{"Marlene", "Tiefenbrunner", true, kindStudent, false, "Geographie", siteInnrain, ""},
	{"Matthias", "Lindner", false, kindStudent, false, "Mathematik", siteTechnik, ""},
	{"Katharina", "Waldner", true, kindStudent, false, "Betriebswirtschaft", siteSowi, ""},
	{"Paul", "Höllwarth", false, kindStudent, false, "Geschichte", siteInnrain, ""},
	{"Sophie", "Klotz", true, kindStudent, false, "Pharmazie", siteInnrain, ""},
	{"Niklas", "Oberhauser", false, kindStudent, false, "Mechatronik", siteTechnik, ""},
	{"Magdalena", "Rainalter", true, kindStudent, false, "Germanistik", siteInnrain, ""},
	{"Valentin", "Plank", false, kindStudent, false, "Volkswirtschaft", siteSowi, ""},
	{"Theresa", "Schiestl", true, kindStudent, false, "Sportwissenschaften", siteSport, ""},
	{"Lukas", "Holzknecht", false, kindStudent, false, "Architektur", siteTechnik, ""},
	{"Nora", "Sailer", true, kindStudent, false, "Politikwissenschaft", siteSowi, ""},
	{"Felix", "Neururer", false, kindStudent, false, "Chemie", siteInnrain, ""},
	{"Ana", "Silva", true, kindStudent, true, "Erasmus, Economics", siteSowi, ""},
	{"Lucas", "Martin", false, kindStudent, true, "Erasmus, Computer Science", siteTechnik, ""},
	{"Olivia", "Brown", true, kindStudent, true, "MSc Ecology and Biodiversity", siteTechnik, ""},
	{"Mateo", "Garcia", false, kindStudent, true, "Erasmus, Political Science", siteSowi, ""},
	{"Yuki", "Tanaka", true, kindStudent, true, "MSc Physics", siteTechnik, ""},
	{"Amira", "Haddad", true, kindLecturer, true, "Department of Pharmacology", siteInnrain, "2N19"},
}

// The demo logins the result lists.
const (
	demoRequester = "maria.huber@" + staffDomain
	demoAgent     = "markus.gruber@" + zidDomain
	demoAdmin     = "gerhard.kogler@" + zidDomain
)
