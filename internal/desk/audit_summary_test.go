package desk_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestAuditSummary summarises a month of the audit log with rows in two
// months: only the asked month counts, its bounds follow the time zone
// (Europe/Vienna and UTC differ at both ends of November 2026); reads of
// confidential tickets are counted by queue and kind, admin changes
// listed, sign-in failures counted; agents may not read it; each reading
// is an audit.read row.
func TestAuditSummary(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Phishing", Description: "Eine Mail"}))
		at := func(s string) time.Time { return must(time.Parse(time.RFC3339, s)) }
		rows := []struct {
			at     string
			actor  int64
			action string
			ticket int64
			detail string
		}{
			{"2026-10-15T10:00:00Z", w.agentB.UserID, "ticket.view", tk.ID, "ticket"},
			{"2026-10-15T10:00:00Z", w.admin.UserID, "queue.update", 0, "Security: name"},
			{"2026-10-31T23:30:00Z", 0, "session.fail", 0, "x@example.org"}, // November in Vienna, October in UTC
			{"2026-11-15T10:00:00Z", w.agentB.UserID, "ticket.view", tk.ID, "ticket page"},
			{"2026-11-15T10:01:00Z", w.agentB.UserID, "ticket.view", tk.ID, "attachment a.pdf"},
			{"2026-11-15T10:02:00Z", w.agentB.UserID, "ticket.view", tk.ID, "mail of entry 3"},
			{"2026-11-15T10:03:00Z", w.admin.UserID, "user.update", 0, "bob@example.org: name"},
			{"2026-11-15T10:04:00Z", 0, "session.fail", 0, "y@example.org"},
			{"2026-11-15T10:05:00Z", 0, "session.limited", 0, "y@example.org (account)"},
			{"2026-11-30T23:30:00Z", w.admin.UserID, "token.create", 0, "t"}, // November in UTC, December in Vienna
		}
		if err := w.db.Write(ctx, func(tx *store.Tx) error {
			for _, r := range rows {
				if err := tx.InsertAudit(ctx, at(r.at), r.actor, r.action, r.ticket, r.detail); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}

		utc := must(w.svc.AuditSummary(ctx, w.admin, "2026-11", time.UTC))
		if utc.SignInFailures != 1 || utc.SignInsLimited != 1 {
			t.Errorf("UTC: sign-ins %d failed, %d limited; want 1, 1", utc.SignInFailures, utc.SignInsLimited)
		}
		if len(utc.AdminChanges) != 2 || utc.AdminChanges[0].Action != "user.update" || utc.AdminChanges[1].Action != "token.create" ||
			utc.AdminChanges[0].Actor == "" {
			t.Errorf("UTC: admin changes %+v, want user.update, token.create", utc.AdminChanges)
		}
		if len(utc.ConfidentialReads) != 1 || utc.ConfidentialReads[0] != (store.AuditConfidentialReads{Queue: "Security", Tickets: 1, Files: 1, Mail: 1}) {
			t.Errorf("UTC: confidential reads %+v", utc.ConfidentialReads)
		}
		if utc.Total != 7 {
			t.Errorf("UTC: total %d, want 7: %+v", utc.Total, utc.Actions)
		}
		found := false
		for _, c := range utc.Actions {
			if c.Action == "ticket.view" {
				found = c.Queue == "Security" && c.Count == 3
			}
		}
		if !found {
			t.Errorf("UTC: actions %+v, want ticket.view in Security 3 times", utc.Actions)
		}

		vienna := must(time.LoadLocation("Europe/Vienna"))
		vie := must(w.svc.AuditSummary(ctx, w.admin, "2026-11", vienna))
		if vie.SignInFailures != 2 || len(vie.AdminChanges) != 1 || vie.Total != 7 {
			t.Errorf("Vienna: %d failed sign-ins, admin changes %+v, total %d; want 2, user.update alone, 7", vie.SignInFailures, vie.AdminChanges, vie.Total)
		}
		if !vie.From.Equal(at("2026-10-31T23:00:00Z")) || !vie.Before.Equal(at("2026-11-30T23:00:00Z")) {
			t.Errorf("Vienna: month from %v before %v", vie.From, vie.Before)
		}

		var b bytes.Buffer
		if err := utc.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"section,item,queue,count,at,actor,detail\n", "actions,ticket.view,Security,3,", "confidential_reads,file,Security,1,",
			"sign_in,session.fail,,1,", "admin_change,token.create,,,2026-11-30T23:30:00Z,"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("CSV lacks %q:\n%s", want, b.String())
			}
		}

		for _, a := range []struct {
			name string
			err  error
		}{{"agent", errOf(w.svc.AuditSummary(ctx, w.agentB, "2026-11", time.UTC))}, {"requester", errOf(w.svc.AuditSummary(ctx, w.alice, "2026-11", time.UTC))}} {
			if ticket.ErrorCode(a.err) != ticket.EFORBIDDEN {
				t.Errorf("%s: got %v, want EFORBIDDEN", a.name, a.err)
			}
		}
		for _, bad := range []string{"2026-13", "November", "2026-11-01"} {
			if _, err := w.svc.AuditSummary(ctx, w.admin, bad, time.UTC); ticket.ErrorCode(err) != ticket.EINVALID {
				t.Errorf("month %q: got %v, want EINVALID", bad, err)
			}
		}
		reads := must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "audit.read"}, 1, 100))
		n := 0
		for _, e := range reads.Items {
			if strings.HasPrefix(e.Detail, "summary=2026-11") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("got %d audit.read rows of the summary, want 2 (agents' refused readings write none)", n)
		}
	})
}

func errOf[T any](_ T, err error) error { return err }
