package demo

import (
	"context"
	"fmt"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// demoModules are the demo's text modules: shared with the Servicedesk
// queue in German and English, and one personal module of the demo
// agent.
var demoModules = []desk.NewTextModule{
	{Queue: qServicedesk, Name: "Inventarnummer", Language: "de", Body: "Guten Tag {requester.name},\n\n" +
		"damit wir Ihr Gerät zuordnen können: Bitte nennen Sie uns die Inventarnummer (Aufkleber an der Unterseite oder Rückseite, beginnt mit „ZID-“).\n\n" +
		"Freundliche Grüße\n{agent.name}\nZID Servicedesk"},
	{Queue: qServicedesk, Name: "Inventarnummer", Language: "en", Body: "Dear {requester.name},\n\n" +
		"so that we can find your device: please tell us its inventory number (the sticker underneath or on the back, starting with \"ZID-\").\n\n" +
		"Kind regards\n{agent.name}\nZID Service Desk"},
	{Queue: qServicedesk, Name: "Passwort zurückgesetzt", Language: "de", Body: "Guten Tag {requester.name},\n\n" +
		"Ihr Passwort ist zurückgesetzt. Das neue Einmalpasswort erhalten Sie per SMS; bitte ändern Sie es bei der ersten Anmeldung.\n\n" +
		"Falls noch etwas nicht klappt, antworten Sie einfach auf diese Nachricht (Ticket {ticket.number}: {ticket.link}).\n\n" +
		"Freundliche Grüße\n{agent.name}"},
	{Queue: qServicedesk, Name: "Passwort zurückgesetzt", Language: "en", Body: "Dear {requester.name},\n\n" +
		"your password has been reset. You get the new one-time password by text message; please change it when you first sign in.\n\n" +
		"If anything still does not work, just reply to this message (ticket {ticket.number}: {ticket.link}).\n\n" +
		"Kind regards\n{agent.name}"},
	{Queue: qServicedesk, Name: "Weitergeleitet", Language: "de", Body: "Guten Tag {requester.name},\n\n" +
		"wir haben Ihre Anfrage „{ticket.subject}“ an das zuständige Team ({ticket.queue}) weitergegeben. Sie hören von uns.\n\n" +
		"Freundliche Grüße\n{agent.name}"},
}

// demoMacros are the demo's macros of the Servicedesk queue; Module names
// the text module they answer with.
var demoMacros = []struct {
	desk.MacroInput
	module string
}{
	{desk.MacroInput{Name: "Inventarnummer erfragen", Queue: qServicedesk, EntryKind: ticket.KindQuestion}, "Inventarnummer"},
	{desk.MacroInput{Name: "Passwort zurückgesetzt", Queue: qServicedesk, EntryKind: ticket.KindMessage, State: "resolve", AssignMe: true}, "Passwort zurückgesetzt"},
	{desk.MacroInput{Name: "An Security weitergeben", Queue: qServicedesk, EntryKind: ticket.KindComment,
		Visibility: ticket.VisibilityStaff, Body: "Bitte übernehmen: sieht nach einem Sicherheitsvorfall aus ({ticket.subject}).", MoveQueue: qSecurity, Priority: ticket.PriorityHigh}, ""},
}

// textModules seeds the demo's text modules and macros.
func (s *seeder) textModules(ctx context.Context) error {
	ids := map[string]int64{}
	for _, nm := range demoModules {
		m, err := s.svc.CreateTextModule(ctx, access.System, nm)
		if err != nil {
			return fmt.Errorf("demo: text module %s: %w", nm.Name, err)
		}
		if nm.Language == "de" {
			ids[nm.Name] = m.ID
		}
	}
	agent := s.actors[demoAgent]
	if _, err := s.svc.CreateTextModule(ctx, agent, desk.NewTextModule{Name: "Gruß", Language: "de",
		Body: "Freundliche Grüße\n{agent.name}\nZID Servicedesk, Tel. 507-2345"}); err != nil {
		return fmt.Errorf("demo: personal text module: %w", err)
	}
	for _, dm := range demoMacros {
		in := dm.MacroInput
		in.TextModule = ids[dm.module]
		if _, err := s.svc.CreateMacro(ctx, access.System, in); err != nil {
			return fmt.Errorf("demo: macro %s: %w", in.Name, err)
		}
	}
	return nil
}
