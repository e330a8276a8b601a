package desk_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// lockedBuffer is a log sink safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// orgOf returns the name and source of email's organisation ("-" for none).
func orgOf(t *testing.T, w *world, email string) string {
	t.Helper()
	m := must(w.svc.MyOrganisation(context.Background(), w.actor(t, email)))
	if m == nil {
		return "-"
	}
	return m.Organisation + "/" + m.Source
}

// TestInstitutes assigns people to institutes, on SQLite and PostgreSQL: by
// mail domain when their account is made, by the directory value at each
// outside sign-in (an admin's choice wins; an unknown value assigns
// nothing and is logged); an IT delegate's list and dashboard hold the
// members' non-confidential tickets, and a delegate who chose so is mailed
// what a requester is.
func TestInstitutes(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var logs lockedBuffer
			w := newWorldOn(t, storetest.Open(t, d), func(o *desk.Options) {
				unthrottled(o)
				o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			})
			must(w.svc.CreateOrganisation(ctx, w.admin, desk.NewOrganisation{Name: "Physik", Domains: []string{"physik.uni.example"}, DirectoryValue: "Phys"}))
			must(w.svc.CreateOrganisation(ctx, w.admin, desk.NewOrganisation{Name: "Chemie", DirectoryValue: "chem"}))
			if _, err := w.svc.CreateOrganisation(ctx, w.agentA, desk.NewOrganisation{Name: "Mathe"}); ticket.ErrorCode(err) != ticket.EFORBIDDEN {
				t.Errorf("an agent creates an institute: got %v, want forbidden", err)
			}

			// By domain, when the account is made: here by staff opening a
			// ticket for an unknown address (mail intake makes accounts the
			// same way), and by an admin.
			must(w.svc.CreateTicket(ctx, w.agentA, desk.NewTicket{Queue: "Servicedesk", Subject: "Telefon", Description: "d", Requester: "neu@physik.uni.example"}))
			must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "prof@x.physik.uni.example", Name: "Prof", Role: ticket.RoleRequester}))
			must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "gast@uni.example", Name: "Gast", Role: ticket.RoleRequester}))
			for email, want := range map[string]string{"neu@physik.uni.example": "Physik/domain", "prof@x.physik.uni.example": "Physik/domain",
				"gast@uni.example": "-", "alice@example.org": "-"} {
				if got := orgOf(t, w, email); got != want {
					t.Errorf("%s: got %s, want %s", email, got, want)
				}
			}

			// By the directory value, at every sign-in.
			signIn := func(id, email, institute string) {
				t.Helper()
				if _, err := w.svc.SignInExternal(ctx, desk.ExternalAccount{Source: ticket.SourceLDAP, ID: id, Email: email, Name: email, Institute: institute}); err != nil {
					t.Fatalf("sign-in of %s: %v", email, err)
				}
			}
			steps := []struct {
				what, id, email, institute, want string
			}{
				{"first sign-in", "e1", "erika@example.org", "CHEM", "Chemie/directory"},
				{"moved in the directory", "e1", "erika@example.org", "phys", "Physik/directory"},
				{"no value keeps it", "e1", "erika@example.org", "", "Physik/directory"},
				{"the directory beats the domain", "p1", "prof@x.physik.uni.example", "chem", "Chemie/directory"},
				{"unknown value", "u1", "udo@example.org", "Zoologie", "-"},
			}
			for _, s := range steps {
				signIn(s.id, s.email, s.institute)
				if got := orgOf(t, w, s.email); got != s.want {
					t.Errorf("%s: got %s, want %s", s.what, got, s.want)
				}
			}
			if l := logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "institute=Zoologie") || !strings.Contains(l, "udo@example.org") {
				t.Errorf("got log %q, want a warning naming the unknown institute", l)
			}
			// An admin's choice stays against the directory.
			must(w.svc.AddOrganisationMember(ctx, w.admin, "chemie", "erika@example.org", false))
			signIn("e1", "erika@example.org", "phys")
			if got := orgOf(t, w, "erika@example.org"); got != "Chemie/admin" {
				t.Errorf("admin's choice after sign-in: got %s, want Chemie/admin", got)
			}

			// A delegate of Physik with mail, one of Chemie without.
			must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "dora@example.org", Name: "Dora", Role: ticket.RoleRequester}))
			must(w.svc.AddOrganisationMember(ctx, w.admin, "Physik", "dora@example.org", true))
			must(w.svc.AddOrganisationMember(ctx, w.admin, "Chemie", "bob@example.org", true))
			dora := w.actor(t, "dora@example.org")
			if err := w.svc.SetDelegateMail(ctx, w.alice, true); ticket.ErrorCode(err) != ticket.EFORBIDDEN {
				t.Errorf("mail choice of a non-delegate: got %v, want forbidden", err)
			}
			must(0, w.svc.SetDelegateMail(ctx, dora, true))
			if m := must(w.svc.MyOrganisation(ctx, dora)); !m.Delegate || !m.DelegateMail {
				t.Errorf("dora: got %+v, want a delegate who is mailed", m)
			}

			before := states(t, w)
			plain := must(w.svc.CreateTicket(ctx, w.agentA, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "d", Requester: "neu@physik.uni.example"}))
			must(w.svc.AddEntry(ctx, w.agentA, plain.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Bitte neu starten."}))
			must(w.svc.AddEntry(ctx, w.agentA, plain.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "intern", Visibility: ticket.VisibilityStaff}))
			secret := must(w.svc.CreateTicket(ctx, w.agentB, desk.NewTicket{Queue: "Security", Subject: "Phishing", Description: "d", Requester: "neu@physik.uni.example"}))
			must(w.svc.AddEntry(ctx, w.agentB, secret.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Danke."}))
			var dorasMail []string
			for _, l := range strings.Fields(strings.TrimPrefix(states(t, w), before)) {
				if strings.Contains(l, ">dora:") {
					dorasMail = append(dorasMail, l)
				}
			}
			if got := strings.Join(dorasMail, " "); got != "created>dora:pending message>dora:pending" {
				t.Errorf("dora's mail: got %q, want the plain ticket's creation and message", got)
			}
			for _, l := range strings.Fields(states(t, w)) {
				if strings.Contains(l, ">bob:") {
					t.Errorf("bob, delegate who chose no mail, got %s", l)
				}
			}

			// The delegate's list and dashboard: the members' plain tickets
			// (neu's two), not the confidential one, not their own.
			must(w.svc.CreateTicket(ctx, dora, desk.NewTicket{Queue: "Servicedesk", Subject: "Meins", Description: "d"}))
			l := must(w.svc.InstituteTickets(ctx, dora, 10))
			if l.Total != 2 || len(l.Items) != 2 || l.Items[0].Number != plain.Number {
				t.Errorf("InstituteTickets: got %d (%d items), want neu's 2 plain tickets, latest first", l.Total, len(l.Items))
			}
			db := must(w.svc.Dashboard(ctx, dora, 10))
			if db.Mine.Total != 1 || db.Institute.Total != 2 {
				t.Errorf("dashboard: got mine %d, institute %d; want 1 and 2", db.Mine.Total, db.Institute.Total)
			}
			if _, err := w.svc.InstituteTickets(ctx, w.alice, 10); ticket.ErrorCode(err) != ticket.EFORBIDDEN {
				t.Errorf("InstituteTickets of a non-delegate: got %v, want forbidden", err)
			}
			// Deleting the institute ends the delegate's sight.
			must(0, w.svc.DeleteOrganisation(ctx, w.admin, "Physik"))
			if _, err := w.svc.Ticket(ctx, w.actor(t, "dora@example.org"), plain.Number); ticket.ErrorCode(err) != ticket.ENOTFOUND {
				t.Errorf("after deletion: got %v, want not found", err)
			}
		})
	}
}

// TestLDAPInstitute: against Debian's slapd, on SQLite and PostgreSQL, the
// institute attribute (ou) of anna's entry puts her into the institute
// with that directory value at her sign-in.
func TestLDAPInstitute(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			w, _ := ldapWorld(t, d)
			must(w.svc.CreateOrganisation(ctx, w.admin, desk.NewOrganisation{Name: "Physik", DirectoryValue: "Institut fuer Physik"}))
			if _, err := w.svc.SignIn(ctx, "anna", "pw-anna"); err != nil {
				t.Fatalf("anna: %v", err)
			}
			if got := orgOf(t, w, "anna@uni.example"); got != "Physik/directory" {
				t.Errorf("anna: got %s, want Physik/directory", got)
			}
		})
	}
}
