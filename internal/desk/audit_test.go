package desk_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestAuditLog reads the audit log as an auditor and an admin: filters by
// action (exact and a family), actor, ticket and time, newest first,
// paging, the CSV export; every reading is itself a row; agents and
// requesters may not read it.
func TestAuditLog(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "olga@example.org", Name: "Olga Auditor", Role: ticket.RoleAuditor}))
		olga := w.actor(t, "olga@example.org")
		w.clock.Add(time.Hour)
		start := w.clock.Now()
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Security", Subject: "Phishing", Description: "Eine Mail"}))
		w.clock.Add(time.Minute)
		must(w.svc.Ticket(ctx, w.agentB, tk.Number)) // a confidential view: ticket.view
		w.clock.Add(time.Minute)
		name := "Bob B."
		must(w.svc.UpdateUser(ctx, w.admin, "bob@example.org", desk.UserPatch{Name: &name}))
		w.clock.Add(time.Hour)

		all := must(w.svc.AuditLog(ctx, olga, desk.AuditFilter{}, 1, 100))
		if all.Total != len(all.Items) || all.Total < 4 {
			t.Fatalf("AuditLog: got %d items of %d, want all of at least 4", len(all.Items), all.Total)
		}
		if first := all.Items[0]; first.Action != "audit.read" || first.Actor != "olga@example.org" || first.Detail != "" {
			t.Errorf("newest row: got %+v, want olga's audit.read with an empty filter", first)
		}
		if !slices.IsSortedFunc(all.Items, func(a, b *desk.AuditEntry) int { return b.At.Compare(a.At) }) {
			t.Errorf("AuditLog: rows are not newest first")
		}

		check := func(f desk.AuditFilter, want func(*desk.AuditEntry) bool, min int) {
			t.Helper()
			p := must(w.svc.AuditLog(ctx, w.admin, f, 1, 100))
			if len(p.Items) < min || p.Total != len(p.Items) {
				t.Errorf("%+v: got %d items of %d, want at least %d", f, len(p.Items), p.Total, min)
			}
			for _, e := range p.Items {
				if !want(e) {
					t.Errorf("%+v: got row %+v", f, e)
				}
			}
		}
		check(desk.AuditFilter{Action: "ticket.view"}, func(e *desk.AuditEntry) bool {
			return e.Action == "ticket.view" && e.Actor == "bernd@example.org" && e.Ticket == tk.Number
		}, 1)
		check(desk.AuditFilter{Action: "user."}, func(e *desk.AuditEntry) bool { return strings.HasPrefix(e.Action, "user.") }, 2)
		check(desk.AuditFilter{Actor: "ADMIN@example.org"}, func(e *desk.AuditEntry) bool { return e.Actor == "admin@example.org" }, 2)
		check(desk.AuditFilter{Ticket: tk.Number}, func(e *desk.AuditEntry) bool { return e.Ticket == tk.Number }, 1)
		check(desk.AuditFilter{After: start, Before: start.Add(90 * time.Second)}, func(e *desk.AuditEntry) bool {
			return !e.At.Before(start) && e.At.Before(start.Add(90*time.Second)) && e.Action != "user.update"
		}, 1)
		check(desk.AuditFilter{Actor: "nobody@example.org"}, func(*desk.AuditEntry) bool { return false }, 0)

		// paging over a selection the readings do not grow
		users := must(w.svc.AuditLog(ctx, olga, desk.AuditFilter{Action: "user."}, 1, 100))
		p2 := must(w.svc.AuditLog(ctx, olga, desk.AuditFilter{Action: "user."}, 2, 1))
		if p2.Total != users.Total || len(p2.Items) != 1 || p2.Items[0].ID != users.Items[1].ID {
			t.Errorf("page 2 of 1: got %d items of %d, want row %d of %d", len(p2.Items), p2.Total, users.Items[1].ID, users.Total)
		}

		// every reading is a row, with its filter
		reads := must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "audit.read", Actor: "olga@example.org"}, 1, 100))
		if !slices.ContainsFunc(reads.Items, func(e *desk.AuditEntry) bool { return e.Detail == "action=user." }) {
			t.Errorf("olga's readings: got %+v, want one with detail action=user.", reads.Items)
		}

		// the CSV holds the same rows
		var buf bytes.Buffer
		started, err := w.svc.WriteAuditCSV(ctx, olga, desk.AuditFilter{Action: "user."}, func() io.Writer { return &buf })
		if err != nil || !started {
			t.Fatalf("WriteAuditCSV: got %v, %v", started, err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("CSV: %v\n%s", err, buf.String())
		}
		if len(recs) != users.Total+1 || strings.Join(recs[0], ",") != "at,actor,action,ticket,detail" {
			t.Fatalf("CSV: got %d records %q, want a header and %d rows", len(recs), recs, users.Total)
		}
		for i, e := range users.Items {
			if r := recs[i+1]; r[1] != e.Actor || r[2] != e.Action || r[4] != e.Detail || r[0] != e.At.UTC().Format(time.RFC3339Nano) {
				t.Errorf("CSV row %d: got %q, want %+v", i+1, r, e)
			}
		}

		// others may not read it, and leave no reading behind
		before := must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "audit.read"}, 1, 1)).Total
		for _, a := range []access.Actor{w.agentA, w.agentB, w.alice} {
			_, err := w.svc.AuditLog(ctx, a, desk.AuditFilter{}, 1, 10)
			wantCode(t, err, ticket.EFORBIDDEN)
			_, err = w.svc.WriteAuditCSV(ctx, a, desk.AuditFilter{}, func() io.Writer { t.Error("started"); return io.Discard })
			wantCode(t, err, ticket.EFORBIDDEN)
		}
		if after := must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "audit.read"}, 1, 1)).Total; after != before+1 {
			t.Errorf("audit.read rows: got %d after refused readings, want %d (only the admin's count)", after, before+1)
		}

		// a bad filter
		_, err = w.svc.AuditLog(ctx, olga, desk.AuditFilter{After: start, Before: start}, 1, 10)
		wantCode(t, err, ticket.EINVALID)
	})
}

// TestAuditorSeesNoTicket: an auditor opens no ticket and finds none, not
// even one they are in CC of.
func TestAuditorSeesNoTicket(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "olga@example.org", Name: "Olga Auditor", Role: ticket.RoleAuditor}))
		olga := w.actor(t, "olga@example.org")
		tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "leer", CC: []string{"olga@example.org"}}))
		_, err := w.svc.Ticket(ctx, olga, tk.Number)
		wantCode(t, err, ticket.ENOTFOUND)
		p := must(w.svc.Search(ctx, olga, ticket.Filter{}))
		if p.Total != 0 || len(p.Items) != 0 {
			t.Errorf("Search: got %d tickets, want none", p.Total)
		}
		d := must(w.svc.Dashboard(ctx, olga, 8))
		if len(d.Mine.Items) != 0 || len(d.MineClosed.Items) != 0 || len(d.Queues) != 0 {
			t.Errorf("Dashboard: got %+v, want nothing", d)
		}
		_, err = w.svc.CreateTicket(ctx, olga, desk.NewTicket{Queue: "Servicedesk", Subject: "x", Description: "y"})
		wantCode(t, err, ticket.EFORBIDDEN)
		// An agent made an auditor leaves their queues (and sees nothing).
		role := ticket.RoleAuditor
		must(w.svc.UpdateUser(ctx, w.admin, "anna@example.org", desk.UserPatch{Role: &role}))
		if anna := w.actor(t, "anna@example.org"); len(anna.Queues) != 0 {
			t.Errorf("agent made auditor: still in queues %v", anna.Queues)
		}
		_, err = w.svc.Ticket(ctx, w.actor(t, "anna@example.org"), tk.Number)
		wantCode(t, err, ticket.ENOTFOUND)
	})
}

// TestParseAuditFilter reads the parameters of the API and the page.
func TestParseAuditFilter(t *testing.T) {
	vienna, _ := time.LoadLocation("Europe/Vienna")
	f, err := desk.ParseAuditFilter(url.Values{"action": {"user."}, "actor": {"a@example.org"}, "ticket": {"#12"},
		"after": {"2026-03-01"}, "before": {"2026-03-31T12:00:00Z"}}, vienna)
	if err != nil {
		t.Fatal(err)
	}
	if f.Action != "user." || f.Actor != "a@example.org" || f.Ticket != 12 ||
		!f.After.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, vienna)) || !f.Before.Equal(time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("got %+v", f)
	}
	f, _ = desk.ParseAuditFilter(url.Values{"before": {"2026-03-31"}}, time.UTC)
	if !f.Before.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("before a day: got %v, want the end of that day", f.Before)
	}
	for _, bad := range []url.Values{{"ticket": {"x"}}, {"ticket": {"-1"}}, {"after": {"yesterday"}}, {"before": {"2026-13-01"}}} {
		_, err := desk.ParseAuditFilter(bad, time.UTC)
		if ticket.ErrorCode(err) != ticket.EINVALID {
			t.Errorf("%v: got %v, want EINVALID", bad, err)
		}
	}
}

// countingWriter counts the writes it gets.
type countingWriter struct {
	writes int
	bytes.Buffer
}

func (c *countingWriter) Write(p []byte) (int, error) { c.writes++; return c.Buffer.Write(p) }

// TestAuditCSVStreams: a long export reaches its writer in pieces, newest
// first, with formulas defused; a writer that fails (a client gone) stops
// the reading.
func TestAuditCSVStreams(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "olga@example.org", Name: "Olga Auditor", Role: ticket.RoleAuditor}))
		olga := w.actor(t, "olga@example.org")
		if err := w.db.Write(ctx, func(tx *store.Tx) error {
			for i := range 1600 {
				if err := tx.InsertAudit(ctx, w.clock.Now().Add(time.Duration(i)*time.Second), 0, "load.row", 0, "=SUM(A1)"); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var cw countingWriter
		if _, err := w.svc.WriteAuditCSV(ctx, olga, desk.AuditFilter{Action: "load.row"}, func() io.Writer { return &cw }); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&cw.Buffer).ReadAll()
		if err != nil || len(recs) != 1601 {
			t.Fatalf("got %d records, %v; want 1601", len(recs), err)
		}
		if cw.writes < 4 {
			t.Errorf("got %d writes for 1600 rows, want one batch at a time (at least 4)", cw.writes)
		}
		if recs[1][4] != "'=SUM(A1)" || recs[1][0] <= recs[2][0] {
			t.Errorf("first rows %q, want the newest first and the formula defused", recs[1:3])
		}
		started, err := w.svc.WriteAuditCSV(ctx, olga, desk.AuditFilter{Action: "load.row"}, func() io.Writer { return failingWriter{} })
		if !started || err == nil {
			t.Errorf("a failing writer: got started %v, err %v; want started and its error", started, err)
		}
	})
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }
