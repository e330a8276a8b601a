package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// auditOf returns the audit rows with action, newest first.
func auditOf(t *testing.T, w *world, action string) []*desk.AuditEntry {
	t.Helper()
	return must(w.svc.AuditLog(context.Background(), w.admin, desk.AuditFilter{Action: action}, 1, 100)).Items
}

// TestSignInAuditRows: a failed sign-in is a session.fail row naming the
// address tried and the client, for an unknown address too; a refusal by
// the limits is a session.limited row once per window and limit, however
// often the client tries.
func TestSignInAuditRows(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		const window = 15 * time.Minute
		must0(t, w.svc.SignInFailed(ctx, []string{"pair:192.0.2.7 alice@example.org"}, window, "Alice@example.org", "192.0.2.7"))
		must0(t, w.svc.SignInFailed(ctx, []string{"pair:192.0.2.7 nobody@example.org"}, window, "nobody@example.org", "192.0.2.7"))
		fails := auditOf(t, w, "session.fail")
		if len(fails) != 2 || fails[0].Detail != "nobody@example.org from 192.0.2.7 (no such account)" ||
			fails[1].Detail != "Alice@example.org from 192.0.2.7" || fails[0].Actor != "" {
			t.Fatalf("session.fail rows: got %+v, want the unknown and the known address with the client, no actor", fails)
		}
		n := must(w.svc.LoginFailures(ctx, []string{"pair:192.0.2.7 alice@example.org"}, window))
		if n["pair:192.0.2.7 alice@example.org"] != 1 {
			t.Errorf("failures counted: got %v, want 1", n)
		}

		for range 20 {
			must0(t, w.svc.SignInLimited(ctx, "pair:192.0.2.7 alice@example.org", window, "alice@example.org", "192.0.2.7", "account from this client"))
			must0(t, w.svc.SignInLimited(ctx, "ip:192.0.2.8", window, "x@example.org", "192.0.2.8", "this client, all accounts"))
			w.clock.Add(10 * time.Second)
		}
		if got := auditOf(t, w, "session.limited"); len(got) != 2 ||
			got[1].Detail != "alice@example.org from 192.0.2.7 (account from this client)" {
			t.Fatalf("session.limited after 20 refusals each: got %+v, want one row per limit", got)
		}
		w.clock.Add(window)
		must0(t, w.svc.SignInLimited(ctx, "pair:192.0.2.7 alice@example.org", window, "alice@example.org", "192.0.2.7", "account from this client"))
		if got := auditOf(t, w, "session.limited"); len(got) != 3 {
			t.Errorf("a window later: got %d session.limited rows, want 3", len(got))
		}
		if got := auditOf(t, w, "session."); len(got) != 5 {
			t.Errorf("session. family: got %d rows, want 5", len(got))
		}
	})
}

// TestSelfMembershipAudited: an admin making themself a member of a
// confidential queue is its own audit row and shown on the queue's
// members; adding someone else stays queue.member.add.
func TestSelfMembershipAudited(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must0(t, w.svc.AddQueueMember(ctx, w.admin, "Security", "admin@example.org"))
		must0(t, w.svc.AddQueueMember(ctx, w.admin, "Security", "anna@example.org"))
		self := auditOf(t, w, "queue.member.self_add")
		if len(self) != 1 || self[0].Actor != "admin@example.org" || self[0].Detail != "Security: admin@example.org (confidential queue)" {
			t.Fatalf("self_add rows: got %+v", self)
		}
		if add := auditOf(t, w, "queue.member.add"); add[0].Actor != "admin@example.org" || add[0].Detail != "Security: anna@example.org" {
			t.Errorf("newest queue.member.add: got %+v, want the admin adding anna", add[0])
		}
		qs := must(w.svc.Queues(ctx, w.admin))
		var id int64
		for _, q := range qs {
			if q.Name == "Security" {
				id = q.ID
			}
		}
		info := must(w.svc.QueueInfo(ctx, w.admin, id))
		for _, m := range info.Members {
			switch m.Email {
			case "admin@example.org":
				if m.SelfJoined == nil || !m.SelfJoined.Equal(w.clock.Now().UTC().Truncate(time.Millisecond)) {
					t.Errorf("admin: got SelfJoined %v, want %v", m.SelfJoined, w.clock.Now())
				}
			default:
				if m.SelfJoined != nil {
					t.Errorf("%s: got SelfJoined %v, want none (added by someone else)", m.Email, m.SelfJoined)
				}
			}
		}
	})
}

// TestMailFromAuditor: a mail from an auditor's address opens no ticket
// (an auditor sees none); it stays in the failed mail with the reason.
func TestMailFromAuditor(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "olga@example.org", Name: "Olga Auditor", Role: ticket.RoleAuditor}))
		r := receive(t, w, testMail{From: "Olga <olga@example.org>", To: "servicedesk@example.org", Subject: "Frage", Body: "Hallo"}.raw(), "")
		wantOutcome(t, r, desk.OutcomeFailed)
		if r.Ticket != 0 || !strings.Contains(r.Error, "auditor") {
			t.Fatalf("got receipt %+v, want no ticket and the auditor named as the reason", r)
		}
		page := must(w.svc.FailedMail(ctx, w.admin, 1, 10))
		if page.Total != 1 || page.Items[0].Sender != "olga@example.org" || !strings.Contains(page.Items[0].Error, "auditor") {
			t.Fatalf("failed mail: got %+v, want olga's mail with its reason", page)
		}
	})
}

func must0(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
