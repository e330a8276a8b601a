package desk_test

import (
	"context"
	"slices"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/directory"
	"github.com/servus-desk/servus/internal/directory/slapdtest"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// ldapRules map the test tree's groups: the network group gives agents in
// Servicedesk, the admins group admins in Security, the works council
// auditors.
var ldapRules = []desk.GroupRule{
	{Group: slapdtest.NetworkDN, Role: ticket.RoleAgent, Queues: []string{"Servicedesk"}},
	{Group: slapdtest.AdminsDN, Role: ticket.RoleAdmin, Queues: []string{"Security"}},
	{Group: slapdtest.AuditorsDN, Role: ticket.RoleAuditor},
}

// ldapWorld is a world whose service signs people in with a slapd of its
// own, over ldap:// with StartTLS.
func ldapWorld(t *testing.T, dialect string) (*world, *slapdtest.Server) {
	t.Helper()
	s := slapdtest.Start(t)
	var groups []string
	for _, r := range ldapRules {
		groups = append(groups, r.Group)
	}
	dir, err := directory.New(directory.Config{URL: s.URL, BaseDN: slapdtest.Base, BindDN: slapdtest.ServiceDN,
		BindPassword: slapdtest.ServicePW, CAFile: s.CAFile, InstituteAttr: "ou", Groups: groups})
	if err != nil {
		t.Fatal(err)
	}
	return newWorldOn(t, storetest.Open(t, dialect), func(o *desk.Options) {
		o.Directory, o.GroupRules = dir, ldapRules
	}), s
}

func wantReason(t *testing.T, err error, code, reason string) {
	t.Helper()
	if ticket.ErrorCode(err) != code || ticket.ErrorReason(err) != reason {
		t.Fatalf("got %v (%s, %s), want %s %s", err, ticket.ErrorCode(err), ticket.ErrorReason(err), code, reason)
	}
}

// TestLDAPSignIn signs people in against Debian's slapd, on SQLite and
// PostgreSQL: a first sign-in makes the account from the entry (name,
// mail, language) with the role and queues of its groups; an account made
// by mail is joined with its entry (same account, now the directory's); a
// person removed from a group loses role and queue (and their tickets
// there) at the next sign-in; wrong passwords, unknown names and filter
// characters read alike; two entries with one mail, or an entry whose mail
// has a local password, are refused and audited; local passwords keep
// working, also while the directory is down; the sync disables people who
// left; directory accounts get no password reset.
func TestLDAPSignIn(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			w, s := ldapWorld(t, d)

			// An account made by mail before carla ever signed in.
			carla0 := must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "carla@uni.example", Name: "carla", Role: ticket.RoleRequester}))
			// A local account with a password whose address bert's entry has.
			must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "bert@uni.example", Name: "Bert Local", Role: ticket.RoleRequester, Password: "local-password"}))

			anna, err := w.svc.SignIn(ctx, "anna", "pw-anna")
			if err != nil {
				t.Fatalf("anna: %v", err)
			}
			u := must(w.svc.User(ctx, w.admin, "anna@uni.example"))
			if anna.Role != ticket.RoleAgent || u.Name != "Anna Agent" || u.Language != "en" || u.AuthSource != ticket.SourceLDAP || u.ExternalID == "" {
				t.Errorf("anna: actor %+v, user %+v; want an English-speaking ldap agent", anna, u)
			}
			if info := must(w.svc.UserInfo(ctx, w.admin, u.ID)); !slices.Equal(info.Queues, []string{"Servicedesk"}) {
				t.Errorf("anna's queues = %v, want [Servicedesk]", info.Queues)
			}
			// By mail address, the same account.
			if again, err := w.svc.SignIn(ctx, "ANNA@uni.example", "pw-anna"); err != nil || again.UserID != anna.UserID {
				t.Errorf("anna by mail: %+v, %v; want user %d", again, err, anna.UserID)
			}

			carla, err := w.svc.SignIn(ctx, "carla@uni.example", "pw-carla")
			if err != nil {
				t.Fatalf("carla: %v", err)
			}
			if carla.UserID != carla0.ID || carla.Role != ticket.RoleAuditor || carla.Name != "Carla Student" {
				t.Errorf("carla = %+v; want the account made by mail (%d), now an auditor named Carla Student", carla, carla0.ID)
			}
			if rows := auditOf(t, w, "user.join"); len(rows) != 1 || rows[0].Detail != "carla@uni.example joined with its ldap entry" {
				t.Errorf("user.join rows: %+v", rows)
			}

			// Wrong password, unknown name, filter characters: all the same.
			for _, c := range [][2]string{{"anna", "wrong"}, {"nobody", "pw-nobody"}, {"*", "pw-anna"}, {"anna)(uid=*", "pw-anna"}, {"anna\x00", "pw-anna"}, {`\2a`, "pw-anna"}} {
				_, err := w.svc.SignIn(ctx, c[0], c[1])
				wantReason(t, err, ticket.EUNAUTHORIZED, "err.signin.wrong")
			}

			// Two entries share a mail address: refused, audited for the admin.
			_, err = w.svc.SignIn(ctx, "dora", "pw-dora")
			wantReason(t, err, ticket.ECONFLICT, desk.ReasonDirectoryDuplicate)
			// bert's entry has the address of an account with a servus password.
			_, err = w.svc.SignIn(ctx, "bert", "pw-bert")
			wantReason(t, err, ticket.ECONFLICT, desk.ReasonLocalAccount)
			if rows := auditOf(t, w, "session.refused"); len(rows) != 2 {
				t.Errorf("session.refused rows: %+v, want 2", rows)
			}
			// That local account signs in with its own password, not the directory's.
			if a, err := w.svc.SignIn(ctx, "bert@uni.example", "local-password"); err != nil || a.Name != "Bert Local" {
				t.Errorf("bert's local account: %+v, %v", a, err)
			}
			_, err = w.svc.SignIn(ctx, "bert@uni.example", "pw-bert")
			wantCode(t, err, ticket.EUNAUTHORIZED)

			// Removed from the network group: no longer an agent, out of
			// Servicedesk, and its ticket there unassigned.
			tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "VPN", Description: "Geht nicht."}))
			must(w.svc.Act(ctx, anna, tk.Number, desk.Action{Name: "take"}))
			s.RemoveMember(t, slapdtest.NetworkDN, slapdtest.PersonDN("anna"))
			s.Replace(t, slapdtest.PersonDN("anna"), "displayName", "Anna Alt")
			anna, err = w.svc.SignIn(ctx, "anna", "pw-anna")
			if err != nil {
				t.Fatal(err)
			}
			if anna.Role != ticket.RoleRequester || len(anna.Queues) != 0 || anna.Name != "Anna Alt" {
				t.Errorf("anna after leaving the group: %+v; want a requester in no queue, renamed", anna)
			}
			if got := must(w.svc.Ticket(ctx, w.admin, tk.Number)); got.Assignee != "" {
				t.Errorf("anna's ticket still assigned to %q", got.Assignee)
			}
			// Back in the group: agent in Servicedesk again.
			s.AddMember(t, slapdtest.NetworkDN, slapdtest.PersonDN("anna"))
			if anna, err = w.svc.SignIn(ctx, "anna", "pw-anna"); err != nil || anna.Role != ticket.RoleAgent || len(anna.Queues) != 1 {
				t.Errorf("anna back in the group: %+v, %v", anna, err)
			}

			// No local password for a directory account.
			wantReason(t, w.svc.SendPasswordReset(ctx, w.admin, "carla@uni.example"), ticket.ECONFLICT, "err.account.external_password")
			if err := w.svc.RequestPasswordReset(ctx, "carla@uni.example", "de"); err != nil {
				t.Fatal(err)
			}
			if rows := auditOf(t, w, "password.reset_external"); len(rows) != 1 {
				t.Errorf("password.reset_external rows: %+v, want 1 (and no mail)", rows)
			}

			// The sync disables who left the directory, and no one else.
			s.Delete(t, slapdtest.PersonDN("carla"))
			gone, err := w.svc.SyncDirectory(ctx)
			if err != nil || !slices.Equal(gone, []string{"carla@uni.example"}) {
				t.Fatalf("sync: %v, %v; want carla", gone, err)
			}
			if u := must(w.svc.User(ctx, w.admin, "carla@uni.example")); !u.Disabled {
				t.Error("carla not disabled")
			}
			if gone, err := w.svc.SyncDirectory(ctx); err != nil || len(gone) != 0 {
				t.Errorf("second sync: %v, %v; want nobody", gone, err)
			}

			// The directory goes down: a clear refusal, and local accounts still sign in.
			s.Stop()
			_, err = w.svc.SignIn(ctx, "anna", "pw-anna")
			wantReason(t, err, ticket.EINTERNAL, desk.ReasonDirectoryDown)
			if _, err := w.svc.SignIn(ctx, "admin@example.org", "correct horse"); err != nil {
				t.Errorf("local admin while the directory is down: %v", err)
			}
			if _, err := w.svc.SyncDirectory(ctx); ticket.ErrorReason(err) != desk.ReasonDirectoryDown {
				t.Errorf("sync while down: %v", err)
			}
		})
	}
}

// TestSignInExternalTwiceAtOnce: the first two sign-ins of one person from
// an outside source (here SAML, the model OpenID Connect and SAML share
// with LDAP) running at once end in one account, both signed in; the
// group rules apply to any source's groups.
func TestSignInExternalTwiceAtOnce(t *testing.T) {
	forEachDialectWith(t, func(o *desk.Options) {
		o.GroupRules = []desk.GroupRule{{Group: "staff", Role: ticket.RoleAgent, Queues: []string{"Security"}}}
	}, func(t *testing.T, w *world) {
		ctx := context.Background()
		acct := desk.ExternalAccount{Source: ticket.SourceSAML, ID: "ida@idp.uni.example", Email: "Ida@Uni.Example", Name: "Ida Idp", Groups: []string{"staff"}}
		type result struct {
			a   access.Actor
			err error
		}
		out := make(chan result, 2)
		for range 2 {
			go func() {
				a, err := w.svc.SignInExternal(ctx, acct)
				out <- result{a, err}
			}()
		}
		r1, r2 := <-out, <-out
		if r1.err != nil || r2.err != nil || r1.a.UserID != r2.a.UserID || r1.a.Role != ticket.RoleAgent || len(r1.a.Queues) != 1 {
			t.Fatalf("got %+v and %+v; want one agent in Security, signed in twice", r1, r2)
		}
		if rows := auditOf(t, w, "user.create"); len(rows) == 0 || rows[0].Detail != "ida@uni.example as requester (first sign-in, saml)" {
			t.Errorf("user.create rows: %+v", rows)
		}
		if _, err := w.svc.SignInExternal(ctx, desk.ExternalAccount{Source: ticket.SourceLocal, ID: "x", Email: "x@uni.example"}); ticket.ErrorCode(err) != ticket.EINVALID {
			t.Errorf("a local source: %v, want EINVALID", err)
		}
	})
}
