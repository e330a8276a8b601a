package demo

import (
	"context"
	"fmt"

	"github.com/servus-desk/servus/internal/desk"
)

// assistant seeds the new-ticket assistant's tree through desk, as the
// demo admin: menus for the usual topics, leaves naming the queues that
// work them, and a few leaves that point to the university's own
// applications, for which no ticket is opened.
func (s *seeder) assistant(ctx context.Context) error {
	admin := s.actors[demoAdmin]
	room := desk.AssistantField{Name: "room", LabelDE: "Raum", LabelEN: "Room", Required: true, Kind: "text",
		HelpDE: "Zum Beispiel 5W02", HelpEN: "For example 5W02"}
	inventory := desk.AssistantField{Name: "inventory", LabelDE: "Inventarnummer", LabelEN: "Inventory number", Kind: "text",
		HelpDE: "Steht auf dem Aufkleber am Gerät.", HelpEN: "It is on the sticker on the device."}
	symptom := desk.AssistantField{Name: "symptom", LabelDE: "Fehlermeldung oder Fehlerbild", LabelEN: "Error message or symptom", Kind: "textarea"}
	type node struct {
		in       desk.AssistantInput
		children []node
	}
	menu := func(de, en, helpDE, helpEN string, children ...node) node {
		return node{in: desk.AssistantInput{TitleDE: de, TitleEN: en, HelpDE: helpDE, HelpEN: helpEN}, children: children}
	}
	leaf := func(de, en, queue, subject, helpDE, helpEN string, fields ...desk.AssistantField) node {
		return node{in: desk.AssistantInput{Leaf: true, TitleDE: de, TitleEN: en, Queue: queue, SubjectTemplate: subject,
			HelpDE: helpDE, HelpEN: helpEN, Fields: fields}}
	}
	link := func(de, en, url, helpDE, helpEN string) node {
		return node{in: desk.AssistantInput{Leaf: true, TitleDE: de, TitleEN: en, LinkURL: url, HelpDE: helpDE, HelpEN: helpEN}}
	}
	var printers []node
	for _, site := range []string{siteInnrain, siteTechnik, siteSowi, siteSport} {
		printers = append(printers, leaf("Campus "+site, "Campus "+site, "Vorort-Service "+site, "Drucker defekt: {room}",
			"Der Vorort-Service kommt zu Ihnen.", "On-site service comes to you.", room, inventory, symptom))
	}
	tree := []node{
		menu("Drucken", "Printing", "Drucker, Kopierer und Druckguthaben.", "Printers, copiers and print credit.",
			menu("Drucker defekt", "Printer broken", "Wählen Sie den Campus, an dem der Drucker steht.", "Choose the campus where the printer is.", printers...),
			leaf("Druckguthaben aufladen", "Top up print credit", "Drucken & Kopieren", "Druckguthaben: {account}", "", "",
				desk.AssistantField{Name: "account", LabelDE: "Benutzerkennung", LabelEN: "User ID", Required: true, Kind: "text"})),
		menu("Zugang & Passwort", "Access & password", "Konto, Passwort und Anmeldung.", "Account, password and sign-in.",
			leaf("Passwort zurücksetzen", "Reset password", qServicedesk, "Passwort zurücksetzen: {account}",
				"Wir setzen Ihr Passwort nur nach Prüfung Ihrer Identität zurück – nie per Telefon.",
				"We reset your password only after checking your identity – never by phone.",
				desk.AssistantField{Name: "account", LabelDE: "Benutzerkennung", LabelEN: "User ID", Required: true, Kind: "text"})),
		menu("Netz", "Network", "", "",
			leaf("WLAN/eduroam", "Wi-Fi/eduroam", "WLAN/eduroam", "eduroam: {device} in {place}", "", "",
				desk.AssistantField{Name: "device", LabelDE: "Gerät und Betriebssystem", LabelEN: "Device and operating system", Required: true, Kind: "text"},
				desk.AssistantField{Name: "place", LabelDE: "Gebäude", LabelEN: "Building", Required: true, Kind: "text"}, symptom),
			leaf("VPN", "VPN", "VPN", "VPN: {symptom}", "", "", symptom)),
		menu("Lehre", "Teaching", "Lernplattformen und Hörsaaltechnik.", "Learning platforms and lecture-hall equipment.",
			leaf("Moodle-Kurs anlegen", "Create a Moodle course", "E-Learning (OLAT/Moodle)", "Moodle-Kurs: {course}",
				"Der Kurs ist am nächsten Werktag bereit.", "The course is ready the next working day.",
				desk.AssistantField{Name: "course", LabelDE: "LV-Nummer und Titel", LabelEN: "Course number and title", Required: true, Kind: "text"},
				desk.AssistantField{Name: "term", LabelDE: "Semester", LabelEN: "Term", Kind: "text"}),
			leaf("Beamer oder Hörsaaltechnik", "Projector or lecture-hall equipment", "Hörsaaltechnik", "Hörsaaltechnik {room}", "", "",
				room, symptom)),
		leaf("Lob und Beschwerde", "Praise and complaints", qComplaints, "Rückmeldung: {about}",
			"Lob, Kritik oder eine Beschwerde über unsere Arbeit: Wir lesen alles und melden uns. Es geht um unsere Abläufe, nicht um einzelne Personen.",
			"Praise, criticism or a complaint about our work: we read everything and get back to you. It is about how we work, not about single people.",
			desk.AssistantField{Name: "about", LabelDE: "Worum geht es?", LabelEN: "What is it about?", Required: true, Kind: "text",
				HelpDE: "Zum Beispiel die Nummer einer Anfrage oder ein Stichwort.", HelpEN: "For example a request's number or a keyword."}),
		menu("Bestellungen & Berechtigungen", "Orders & permissions", "Diese Vorgänge haben eigene Anwendungen.",
			"These processes have applications of their own.",
			link("Software bestellen", "Order software", "https://software.example.org/shop",
				"Lizenzen und Software bestellen Sie im Software-Shop der Universität; dort sehen Sie auch den Stand Ihrer Bestellung.",
				"You order licences and software in the university's software shop, where you also see how your order stands."),
			link("Firewall-Freischaltung beantragen", "Request a firewall rule", "https://netz.example.org/firewall/antrag",
				"Firewall-Freischaltungen beantragen Sie im Formular des Netzteams; es fragt alle nötigen Angaben ab und geht direkt an die Prüfung.",
				"You request firewall rules with the network team's form; it asks for everything needed and goes straight to review."),
			link("Rollen und Berechtigungen", "Roles and permissions", "https://rollen.example.org/",
				"Rollen und Zugriffsrechte vergeben die Verantwortlichen Ihrer Organisationseinheit in der Rollenverwaltung.",
				"The people responsible for your unit grant roles and access rights in the role management.")),
	}
	var add func(parent int64, ns []node) error
	add = func(parent int64, ns []node) error {
		for _, n := range ns {
			n.in.ParentID = parent
			made, err := s.svc.CreateAssistantNode(ctx, admin, n.in)
			if err != nil {
				return fmt.Errorf("demo: assistant %s: %w", n.in.TitleDE, err)
			}
			if err := add(made.ID, n.children); err != nil {
				return err
			}
		}
		return nil
	}
	return add(0, tree)
}
