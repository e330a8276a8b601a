package desk_test

import (
	"context"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

func TestTextModuleOwnership(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		personal := must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "Gruß", Language: "de", Body: "Grüße, {agent.name}"}))
		shared := must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "Inventar", Language: "de",
			Body: "Bitte die Inventarnummer, {requester.name}.", Queue: "Servicedesk"}))
		if personal.Owner != "anna@example.org" || personal.Shared() || shared.Queue != "Servicedesk" || !shared.Shared() {
			t.Fatalf("got %+v and %+v, want a personal module of anna and a shared one of Servicedesk", personal, shared)
		}
		// Who sees which: nobody else sees a personal module, not even an
		// admin; a shared one its queue's members and admins.
		tests := []struct {
			name   string
			who    access.Actor
			id     int64
			want   string
			listed int
		}{
			{"owner, personal", w.agentA, personal.ID, "", 2},
			{"member, shared", w.agentA, shared.ID, "", 2},
			{"admin, personal", w.admin, personal.ID, ticket.ENOTFOUND, 1},
			{"admin, shared", w.admin, shared.ID, "", 1},
			{"other agent, personal", w.agentB, personal.ID, ticket.ENOTFOUND, 0},
			{"other agent, shared", w.agentB, shared.ID, ticket.ENOTFOUND, 0},
			{"requester", w.alice, shared.ID, ticket.EFORBIDDEN, -1},
		}
		for _, tt := range tests {
			_, err := w.svc.TextModule(ctx, tt.who, tt.id)
			if got := ticket.ErrorCode(err); got != tt.want && !(tt.want == "" && err == nil) {
				t.Errorf("%s: got %v, want code %q", tt.name, err, tt.want)
			}
			list, err := w.svc.TextModules(ctx, tt.who, "")
			if tt.listed < 0 {
				wantCode(t, err, ticket.EFORBIDDEN)
				continue
			}
			if err != nil || len(list) != tt.listed {
				t.Errorf("%s: listed %d modules (%v), want %d", tt.name, len(list), err, tt.listed)
			}
		}
		// Managing: a non-member makes none in the queue; an admin edits a
		// shared one; nobody but the owner a personal one.
		_, err := w.svc.CreateTextModule(ctx, w.agentB, desk.NewTextModule{Name: "x", Language: "de", Body: "x", Queue: "Servicedesk"})
		wantCode(t, err, ticket.EFORBIDDEN)
		got := must(w.svc.UpdateTextModule(ctx, w.admin, shared.ID, desk.TextModulePatch{Body: ptr("Inventarnummer bitte, {requester.name}.")}))
		if got.Body != "Inventarnummer bitte, {requester.name}." {
			t.Errorf("got body %q after the admin's edit", got.Body)
		}
		wantCode(t, w.svc.DeleteTextModule(ctx, w.admin, personal.ID), ticket.ENOTFOUND)
		// Same name and language twice for one owner is a conflict; the
		// other language is the module's English text.
		_, err = w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "gruß", Language: "de", Body: "again"})
		wantCode(t, err, ticket.ECONFLICT)
		must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "Gruß", Language: "en", Body: "Regards, {agent.name}"}))
		// Audit: made, changed.
		page := must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "text_module."}, 1, 50))
		if page.Total != 4 {
			t.Errorf("got %d text_module audit rows, want 4 (3 made, 1 changed)", page.Total)
		}
	})
}

func TestTextModuleRefusedWhenSaved(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tests := []struct {
			name, body, problem string
		}{
			{"unknown placeholder", "Hallo {requester.nmae}", ticket.ProblemTemplateUnknown},
			{"unclosed", "Hallo {requester.name", ticket.ProblemTemplateOpen},
			{"stray", "Hallo }", ticket.ProblemTemplateStrayEnd},
			{"empty", "   ", "problem.empty"},
		}
		for _, tt := range tests {
			_, err := w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: tt.name, Language: "de", Body: tt.body})
			wantProblem(t, err, ticket.EINVALID, "body", tt.problem)
		}
		_, err := w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "x", Language: "fr", Body: "x"})
		wantProblem(t, err, ticket.EINVALID, "language", "problem.language")
		m := must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "ok", Language: "de", Body: "{ticket.subject}"}))
		_, err = w.svc.UpdateTextModule(ctx, w.agentA, m.ID, desk.TextModulePatch{Body: ptr("{ticket.subjekt}")})
		wantProblem(t, err, ticket.EINVALID, "body", ticket.ProblemTemplateUnknown)
		if got := must(w.svc.TextModule(ctx, w.agentA, m.ID)); got.Body != "{ticket.subject}" {
			t.Errorf("got body %q after a refused change, want it unchanged", got.Body)
		}
		if list := must(w.svc.TextModules(ctx, w.agentA, "")); len(list) != 1 {
			t.Errorf("got %d modules, want only the valid one", len(list))
		}
	})
}

func TestRenderTextModule(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "erin@example.org", Name: "Erin English", Role: ticket.RoleRequester, Language: "en"}))
		erin := w.actor(t, "erin@example.org")
		de := must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "Danke", Language: "de", Queue: "Servicedesk",
			Body: "Hallo {requester.name}, {ticket.number} ({ticket.subject}, {ticket.queue}): {ticket.link} – {agent.name}"}))
		must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "Danke", Language: "en", Queue: "Servicedesk",
			Body: "Hello {requester.name}, {ticket.number}: {ticket.link} – {agent.name} <{agent.email}> {{ok}}"}))
		german := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "kaputt"}))
		english := must(w.svc.CreateTicket(ctx, erin, desk.NewTicket{Queue: "Servicedesk", Subject: "Printer", Description: "broken"}))
		tests := []struct {
			number   int64
			wantLang string
			want     string
		}{
			{german.Number, "de", "Hallo Alice Requester, " + itoa(german.Number) + " (Drucker, Servicedesk): https://desk.example.org/tickets/" + itoa(german.Number) + " – Anna Agent"},
			{english.Number, "en", "Hello Erin English, " + itoa(english.Number) + ": https://desk.example.org/tickets/" + itoa(english.Number) + " – Anna Agent <anna@example.org> {ok}"},
		}
		for _, tt := range tests {
			got := must(w.svc.RenderTextModule(ctx, w.agentA, tt.number, de.ID, "https://desk.example.org/"))
			if got.Language != tt.wantLang || got.Body != tt.want {
				t.Errorf("ticket %d: got %s %q, want %s %q", tt.number, got.Language, got.Body, tt.wantLang, tt.want)
			}
			list := must(w.svc.TicketModules(ctx, w.agentA, tt.number))
			if len(list) != 1 || list[0].Language != tt.wantLang {
				t.Errorf("ticket %d: got modules %+v, want one in %s", tt.number, list, tt.wantLang)
			}
		}
		// A ticket the agent may not see is not found, as everywhere.
		secret := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Phishing", Description: "x"}))
		_, err := w.svc.RenderTextModule(ctx, w.agentA, secret.Number, de.ID, "")
		wantCode(t, err, ticket.ENOTFOUND)
	})
}

// entryBodies lists a timeline's entries of kind k.
func entryBodies(es []*ticket.Entry, k ticket.Kind) []string {
	var out []string
	for _, e := range es {
		if e.Kind == k {
			out = append(out, e.Body)
		}
	}
	return out
}

func TestApplyMacro(t *testing.T) {
	forEachDialectWith(t, unthrottled, func(t *testing.T, w *world) {
		ctx := context.Background()
		inv := must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "Inventar", Language: "de", Queue: "Servicedesk",
			Body: "Hallo {requester.name}, bitte die Inventarnummer."}))
		ask := must(w.svc.CreateMacro(ctx, w.agentA, desk.MacroInput{Name: "Inventarnummer erfragen", Queue: "Servicedesk",
			TextModule: inv.ID, EntryKind: ticket.KindQuestion}))
		done := must(w.svc.CreateMacro(ctx, w.agentA, desk.MacroInput{Name: "Passwort zurückgesetzt", Queue: "Servicedesk",
			EntryKind: ticket.KindMessage, Body: "Erledigt, {requester.name}.", State: "resolve", AssignMe: true, Priority: ticket.PriorityLow}))

		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Laptop", Description: "langsam"}))
		var seen int64
		outbox(t, w, &seen)
		// Question + waiting, the agent takes it by asking.
		got := must(w.svc.ApplyMacro(ctx, w.agentA, tk.Number, desk.MacroUse{Macro: ask.ID, Version: tk.Version}))
		if got.State != ticket.StateWaiting || got.Assignee != "anna@example.org" {
			t.Fatalf("got state %s, assignee %q, want waiting, anna", got.State, got.Assignee)
		}
		es := must(w.svc.Entries(ctx, w.agentA, tk.Number))
		if q := entryBodies(es, ticket.KindQuestion); len(q) != 1 || q[0] != "Hallo Alice Requester, bitte die Inventarnummer." {
			t.Errorf("got questions %q, want the module filled in", q)
		}
		if n := outbox(t, w, &seen); n != "question>alice" {
			t.Errorf("got notifications %q, want the question to alice", n)
		}
		// A stale version changes nothing.
		_, err := w.svc.ApplyMacro(ctx, w.agentA, tk.Number, desk.MacroUse{Macro: done.ID, Version: tk.Version})
		wantCode(t, err, ticket.ECONFLICT)
		// Message + resolve, priority, in one step.
		got = must(w.svc.ApplyMacro(ctx, w.agentA, tk.Number, desk.MacroUse{Macro: done.ID, Version: got.Version}))
		if got.State != ticket.StateResolved || got.Priority != ticket.PriorityLow {
			t.Fatalf("got state %s, priority %s, want resolved, low", got.State, got.Priority)
		}
		es = must(w.svc.Entries(ctx, w.agentA, tk.Number))
		if m := entryBodies(es, ticket.KindMessage); len(m) != 1 || m[0] != "Erledigt, Alice Requester." {
			t.Errorf("got messages %q", m)
		}
		ev := events(es)
		wantEvents := []string{"priority:normal>low by anna", "state:waiting>resolved by anna"}
		for _, want := range wantEvents {
			found := false
			for _, e := range ev {
				found = found || e == want
			}
			if !found {
				t.Errorf("history %q lacks %q", ev, want)
			}
		}
		if n := outbox(t, w, &seen); n != "message>alice resolved>alice" {
			t.Errorf("got notifications %q, want message and resolution to alice", n)
		}
		page := must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "ticket.macro", Ticket: tk.Number}, 1, 10))
		if page.Total != 2 {
			t.Errorf("got %d ticket.macro audit rows, want 2", page.Total)
		}
	})
}

func TestApplyMacroRefusals(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.UpdateQueue(ctx, access.System, "Servicedesk", desk.QueuePatch{TimeSpent: ptr(ticket.TimeSpentRequired)}))
		done := must(w.svc.CreateMacro(ctx, w.agentA, desk.MacroInput{Name: "Erledigt", EntryKind: ticket.KindMessage,
			Body: "Erledigt.", State: "resolve"}))
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "x"}))
		count := func() int { return len(must(w.svc.Entries(ctx, w.agentA, tk.Number))) }
		before := count()

		// The queue requires time spent: without it nothing is written.
		_, err := w.svc.ApplyMacro(ctx, w.agentA, tk.Number, desk.MacroUse{Macro: done.ID})
		wantProblem(t, err, ticket.EINVALID, "time_spent", desk.ProblemTimeSpentRequired)
		_, err = w.svc.ApplyMacro(ctx, w.agentA, tk.Number, desk.MacroUse{Macro: done.ID, TimeSpent: 1440})
		wantProblem(t, err, ticket.EINVALID, "time_spent", desk.ProblemTimeSpentRange)
		// Another agent does not see anna's personal macro.
		_, err = w.svc.ApplyMacro(ctx, w.agentB, tk.Number, desk.MacroUse{Macro: done.ID, TimeSpent: 5})
		wantCode(t, err, ticket.ENOTFOUND)
		// A macro whose parts the agent may not do is refused whole:
		// bernd's own macro resolves, which is for Servicedesk's members.
		theirs := must(w.svc.CreateMacro(ctx, w.agentB, desk.MacroInput{Name: "Zu", EntryKind: ticket.KindComment, Body: "zu", State: "resolve"}))
		_, err = w.svc.ApplyMacro(ctx, w.agentB, tk.Number, desk.MacroUse{Macro: theirs.ID, TimeSpent: 5})
		wantCode(t, err, ticket.EFORBIDDEN)
		// A requester has no macros.
		_, err = w.svc.ApplyMacro(ctx, w.alice, tk.Number, desk.MacroUse{Macro: done.ID})
		wantCode(t, err, ticket.EFORBIDDEN)
		if after := count(); after != before {
			t.Fatalf("got %d entries after refusals, want %d (nothing written)", after, before)
		}
		got := must(w.svc.ApplyMacro(ctx, w.agentA, tk.Number, desk.MacroUse{Macro: done.ID, TimeSpent: 15}))
		if got.State != ticket.StateResolved || got.TimeSpent == nil || *got.TimeSpent != 15 {
			t.Errorf("got state %s, time spent %v, want resolved with 15 minutes", got.State, got.TimeSpent)
		}

		// Macros are checked when saved.
		_, err = w.svc.CreateMacro(ctx, w.agentA, desk.MacroInput{Name: "q", EntryKind: ticket.KindQuestion, Body: "?", State: "resolve"})
		wantProblem(t, err, ticket.EINVALID, "state", "problem.macro_question_state")
		_, err = w.svc.CreateMacro(ctx, w.agentA, desk.MacroInput{Name: "t", EntryKind: ticket.KindMessage, Body: "{nope}"})
		wantProblem(t, err, ticket.EINVALID, "body", ticket.ProblemTemplateUnknown)
		_, err = w.svc.CreateMacro(ctx, w.agentA, desk.MacroInput{Name: "m", EntryKind: ticket.KindMessage})
		wantProblem(t, err, ticket.EINVALID, "body", "problem.macro_text")
		personal := must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "p", Language: "de", Body: "p"}))
		_, err = w.svc.CreateMacro(ctx, w.agentA, desk.MacroInput{Name: "s", Queue: "Servicedesk", EntryKind: ticket.KindMessage, TextModule: personal.ID})
		wantProblem(t, err, ticket.EINVALID, "text_module", "problem.macro_module_queue")
	})
}

func TestDescriptionVersionsVisibility(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "erste"}))
		if vs := must(w.svc.DescriptionVersions(ctx, w.alice, tk.Number)); len(vs) != 0 {
			t.Fatalf("got %d versions of an unedited description, want 0", len(vs))
		}
		must(w.svc.UpdateTicket(ctx, w.alice, tk.Number, desk.Patch{Version: tk.Version, Description: ptr("zweite")}))
		for _, who := range []access.Actor{w.alice, w.agentA, w.admin} {
			vs := must(w.svc.DescriptionVersions(ctx, who, tk.Number))
			if len(vs) != 1 || vs[0].Body != "erste" || vs[0].Author != "alice@example.org" {
				t.Errorf("%s: got %+v, want the first text by alice", who.Email, vs)
			}
		}
		_, err := w.svc.DescriptionVersions(ctx, w.bob, tk.Number)
		wantCode(t, err, ticket.ENOTFOUND)
	})
}

func TestErasureTakesPersonalModules(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "Sig", Language: "de", Body: "Anna, Tel. 1234"}))
		must(w.svc.CreateMacro(ctx, w.agentA, desk.MacroInput{Name: "Mine", EntryKind: ticket.KindComment, Body: "x"}))
		must(w.svc.CreateTextModule(ctx, w.agentA, desk.NewTextModule{Name: "Shared", Language: "de", Body: "x", Queue: "Servicedesk"}))
		must(w.svc.ErasePerson(ctx, w.admin, "anna@example.org"))
		// What was anna's (looked up by her account's ID) is gone; the
		// queue's stays.
		former := access.Actor{UserID: w.agentA.UserID, Role: ticket.RoleAgent}
		err := w.db.Read(ctx, func(tx *store.Tx) error {
			ms, err := tx.TextModules(ctx, former, 0)
			if err != nil {
				return err
			}
			xs, err := tx.Macros(ctx, former, 0)
			if err != nil {
				return err
			}
			if len(ms) != 0 || len(xs) != 0 {
				t.Errorf("after the erasure: %d personal modules, %d macros, want none", len(ms), len(xs))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if shared := must(w.svc.TextModules(ctx, w.admin, "")); len(shared) != 1 {
			t.Errorf("got %d shared modules, want the queue's one", len(shared))
		}
	})
}
