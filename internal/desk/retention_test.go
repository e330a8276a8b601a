package desk_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// retentionWorld is the small desk of newWorld with a blob folder the test
// can look into.
type retentionWorld struct {
	*world
	blobDir string
}

func newRetentionWorld(t testing.TB, dialect string) *retentionWorld {
	t.Helper()
	w := newWorld(t, dialect)
	dir := t.TempDir()
	blobs, err := blob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := auth.CheapParams()
	w.svc = desk.New(w.db, blobs, desk.Options{Now: w.clock.Now, PasswordParams: &p, MaxAttachment: 1 << 20,
		Inbound: desk.InboundOptions{TrustedAuthServIDs: []string{trustedMX}}})
	return &retentionWorld{world: w, blobDir: dir}
}

// blobCount counts the files in the blob folder.
func (w *retentionWorld) blobCount(t *testing.T) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(w.blobDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// closedTicket makes a ticket of alice in queue with a unique word in its
// subject, description, a comment and an attachment's name and content,
// and closes it.
func (w *retentionWorld) closedTicket(t *testing.T, queue, word string) int64 {
	t.Helper()
	ctx := context.Background()
	tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: queue, Subject: "Subject " + word,
		Description: "Description " + word, CC: []string{"bob@example.org"},
		Files: []desk.NewFile{{Name: word + ".txt", Body: strings.NewReader("file content " + word)}}}))
	agent := w.agentA
	if queue == "Security" {
		agent = w.agentB
	}
	must(w.svc.AddEntry(ctx, agent, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "Comment " + word}))
	must(w.svc.Act(ctx, agent, tk.Number, desk.Action{Name: "resolve"}))
	must(w.svc.Act(ctx, w.alice, tk.Number, desk.Action{Name: "close"}))
	return tk.Number
}

// found reports whether a staff search for word finds ticket number.
func (w *retentionWorld) found(t *testing.T, word string) []int64 {
	t.Helper()
	f, err := ticket.ParseFilterQuery("q="+word, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, a := range []access.Actor{w.agentA, w.agentB, w.alice} {
		page := must(w.svc.Search(context.Background(), a, f))
		for _, tk := range page.Items {
			out = append(out, tk.Number)
		}
	}
	return out
}

func TestRetentionAnonymisesAndDeletesOnlyOldClosedTickets(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			w := newRetentionWorld(t, d)
			ctx := context.Background()
			old := w.closedTicket(t, "Servicedesk", "zebrafink")
			oldSec := w.closedTicket(t, "Security", "kolibri")
			// A ticket by mail, with its raw message in the blob store.
			r := must(w.svc.Receive(ctx, testMail{From: "alice@example.org", To: "servicedesk@example.org", Subject: "Mail flamingo",
				MessageID: "m1@example.org", Body: "Body flamingo from the mail."}.raw(), desk.ChannelAPI, ""))
			must(w.svc.Act(ctx, w.agentA, r.Ticket, desk.Action{Name: "resolve"}))
			must(w.svc.Act(ctx, w.alice, r.Ticket, desk.Action{Name: "close"}))
			openOld := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Open pelikan", Description: "still open pelikan"}))

			w.clock.Add(100 * 24 * time.Hour)
			recent := w.closedTicket(t, "Servicedesk", "uhu")
			w.clock.Add(24 * time.Hour)
			filesBefore := w.blobCount(t)
			if filesBefore != 4 {
				t.Fatalf("got %d files, want 4 (three attachments, one mail)", filesBefore)
			}

			must(w.svc.SetRetentionDefault(ctx, w.admin, desk.RetentionRule{Mode: "anonymise", Months: 3}))
			must(w.svc.SetQueueRetention(ctx, w.admin, "Security", &desk.RetentionRule{Mode: "delete", Months: 3}))

			// The dry run counts and changes nothing.
			dry := must(w.svc.RunRetention(ctx, w.clock.Now(), desk.RetentionOptions{DryRun: true}))
			if !dry.DryRun || dry.Anonymised != 2 || dry.Deleted != 1 || len(dry.Queues) != 2 {
				t.Fatalf("dry run: got %+v, want 2 anonymised (Servicedesk) and 1 deleted (Security)", dry)
			}
			if got := w.found(t, "zebrafink"); len(got) == 0 {
				t.Fatal("dry run changed the search")
			}
			if got := w.blobCount(t); got != filesBefore {
				t.Fatalf("dry run: got %d files, want %d", got, filesBefore)
			}

			rep := must(w.svc.RunRetention(ctx, w.clock.Now(), desk.RetentionOptions{}))
			if rep.Anonymised != 2 || rep.Deleted != 1 || rep.Files != 3 {
				t.Fatalf("run: got %+v, want 2 anonymised, 1 deleted, 3 files (2 attachments, 1 mail)", rep)
			}
			if got := w.blobCount(t); got != 1 {
				t.Fatalf("got %d files, want 1 (the recent ticket's)", got)
			}
			// Nothing of the old words is found any more; the others are.
			for _, word := range []string{"zebrafink", "kolibri", "flamingo"} {
				if got := w.found(t, word); len(got) != 0 {
					t.Errorf("search %q: got tickets %v, want none", word, got)
				}
			}
			if got := w.found(t, "uhu"); len(got) == 0 {
				t.Error("the recent ticket is no longer found")
			}
			if got := w.found(t, "pelikan"); len(got) == 0 {
				t.Error("the open ticket is no longer found")
			}

			// The anonymised ticket keeps queue, state, times, priority
			// and channel; it has no requester, subject or text.
			tk := must(w.svc.Ticket(ctx, access.System, old))
			if tk.Subject == "Subject zebrafink" || tk.Requester != store.AnonymousAddress || len(tk.CC) != 0 ||
				tk.Queue != "Servicedesk" || tk.State != ticket.StateClosed || tk.ClosedAt == nil {
				t.Fatalf("anonymised ticket: got %+v", tk)
			}
			for _, e := range must(w.svc.Entries(ctx, access.System, old)) {
				if e.Body != "" || strings.Contains(e.OldValue+e.NewValue, "zebrafink") || e.Author == "alice@example.org" {
					t.Errorf("entry %d kept %q %q %q by %s", e.ID, e.Body, e.OldValue, e.NewValue, e.Author)
				}
			}
			if as := must(w.svc.Attachments(ctx, access.System, old)); len(as) != 0 {
				t.Errorf("got %d attachments, want none", len(as))
			}
			if _, err := w.svc.Ticket(ctx, access.System, oldSec); ticket.ErrorCode(err) != ticket.ENOTFOUND {
				t.Errorf("deleted ticket: got %v, want not found", err)
			}
			for _, n := range []int64{openOld.Number, recent} {
				tk := must(w.svc.Ticket(ctx, access.System, n))
				if tk.Requester != "alice@example.org" || strings.HasPrefix(tk.Subject, "—") {
					t.Errorf("ticket %d was touched: %+v", n, tk)
				}
			}

			// A second run finds nothing more to do; the audit log has one
			// retention.run row with counts and no word of content.
			again := must(w.svc.RunRetention(ctx, w.clock.Now(), desk.RetentionOptions{}))
			if again.Anonymised+again.Deleted != 0 {
				t.Fatalf("second run: got %+v, want nothing", again)
			}
			rows := auditDetails(t, w.db, "retention.run")
			if len(rows) != 1 || !strings.Contains(rows[0], "anonymised 2, deleted 1") || strings.Contains(rows[0], "zebrafink") {
				t.Fatalf("got audit rows %q, want one retention.run with counts", rows)
			}
		})
	}
}

// auditDetails returns the details of the audit rows of action.
func auditDetails(t *testing.T, db *store.DB, action string) []string {
	t.Helper()
	var out []string
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.EachAudit(context.Background(), store.AuditFilter{Action: action}, func(r *store.AuditRow) error {
			out = append(out, r.Detail)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRetentionAuditLog(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.SetRetentionDefault(ctx, w.admin, desk.RetentionRule{Mode: "anonymise", Months: 1})) // one audit row now
		w.clock.Add(400 * 24 * time.Hour)
		must(w.svc.SetRetentionDefault(ctx, w.admin, desk.RetentionRule{Mode: "off"})) // one a year later
		dry := must(w.svc.RunRetention(ctx, w.clock.Now(), desk.RetentionOptions{DryRun: true, AuditMonths: 12}))
		if dry.AuditDeleted < 1 {
			t.Fatalf("dry run: got %+v, want old audit rows counted", dry)
		}
		before := len(auditDetails(t, w.db, "settings.update"))
		rep := must(w.svc.RunRetention(ctx, w.clock.Now(), desk.RetentionOptions{AuditMonths: 12}))
		if rep.AuditDeleted != dry.AuditDeleted {
			t.Fatalf("got %d audit rows deleted, want %d", rep.AuditDeleted, dry.AuditDeleted)
		}
		if got := len(auditDetails(t, w.db, "settings.update")); got != before-1 {
			t.Fatalf("got %d settings.update rows, want %d", got, before-1)
		}
		if rows := auditDetails(t, w.db, "retention.run"); len(rows) != 1 {
			t.Fatalf("got retention.run rows %q, want one", rows)
		}
	})
}

func TestRetentionSettingsValidation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for _, c := range []struct {
			rule  desk.RetentionRule
			field string
		}{
			{desk.RetentionRule{Mode: "shred", Months: 3}, "mode"},
			{desk.RetentionRule{Mode: "anonymise", Months: 0}, "months"},
			{desk.RetentionRule{Mode: "delete", Months: desk.MaxRetentionMonths + 1}, "months"},
		} {
			_, err := w.svc.SetRetentionDefault(ctx, w.admin, c.rule)
			wantCode(t, err, ticket.EINVALID)
			if p := problemFields(err); p[c.field].Reason == "" {
				t.Errorf("%+v: got problems %v, want one for %s", c.rule, p, c.field)
			}
			_, err = w.svc.SetQueueRetention(ctx, w.admin, "Security", &c.rule)
			wantCode(t, err, ticket.EINVALID)
		}
		_, err := w.svc.SetRetentionDefault(ctx, w.agentA, desk.RetentionRule{Mode: "off"})
		wantCode(t, err, ticket.EFORBIDDEN)
		_, err = w.svc.SetQueueRetention(ctx, w.admin, "Nope", nil)
		wantCode(t, err, ticket.ENOTFOUND)
		qr := must(w.svc.SetQueueRetention(ctx, w.admin, "Security", &desk.RetentionRule{Mode: " Delete ", Months: 6}))
		if qr.Own == nil || *qr.Own != (desk.RetentionRule{Mode: "delete", Months: 6}) || qr.Effective != *qr.Own || !qr.Default.Off() {
			t.Fatalf("got %+v, want own delete after 6 months over default off", qr)
		}
		qr = must(w.svc.SetQueueRetention(ctx, w.admin, "Security", nil))
		if qr.Own != nil || !qr.Effective.Off() {
			t.Fatalf("got %+v, want the default again", qr)
		}
		if rows := auditDetails(t, w.db, "queue.retention"); len(rows) != 2 {
			t.Fatalf("got queue.retention rows %q, want two", rows)
		}
	})
}

// TestRetentionConcurrentRunners runs two retention runs at once on one
// PostgreSQL database (as two servus instances would): every ticket is
// handled exactly once between them.
func TestRetentionConcurrentRunners(t *testing.T) {
	w := newRetentionWorld(t, store.Postgres)
	ctx := context.Background()
	const n = 2*desk.RetentionBatch + 37
	seedClosed(t, w.db, n, w.clock.Now().Add(-400*24*time.Hour))
	must(w.svc.SetRetentionDefault(ctx, w.admin, desk.RetentionRule{Mode: "anonymise", Months: 6}))
	var wg sync.WaitGroup
	reps := make([]desk.RetentionReport, 2)
	errs := make([]error, 2)
	for i := range reps {
		wg.Go(func() { reps[i], errs[i] = w.svc.RunRetention(ctx, w.clock.Now(), desk.RetentionOptions{}) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := reps[0].Anonymised + reps[1].Anonymised; got != n {
		t.Fatalf("got %d + %d anonymised, want %d in all (each ticket once)", reps[0].Anonymised, reps[1].Anonymised, n)
	}
	var left int
	err := w.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		left, err = tx.CountRetention(ctx, 1, desk.RetentionAnonymise, w.clock.Now())
		return err
	})
	if err != nil || left != 0 {
		t.Fatalf("got %d left (%v), want 0", left, err)
	}
}

// problemFields returns the fields an EINVALID error names.
func problemFields(err error) map[string]ticket.Problem {
	var te *ticket.Error
	if errors.As(err, &te) {
		return te.Fields
	}
	return nil
}

// seedClosed adds n tickets of alice in Servicedesk, closed at closed, each
// with its subject indexed and two entries, straight through the store in
// large transactions (setup, not measured).
func seedClosed(t testing.TB, db *store.DB, n int, closed time.Time) {
	t.Helper()
	ctx := context.Background()
	var queueID, alice, anna int64
	err := db.Read(ctx, func(tx *store.Tx) error {
		q, err := tx.QueueByName(ctx, "Servicedesk")
		if err != nil {
			return err
		}
		queueID = q.ID
		u, _, err := tx.UserByEmail(ctx, "alice@example.org")
		if err != nil {
			return err
		}
		alice = u.ID
		u, _, err = tx.UserByEmail(ctx, "anna@example.org")
		anna = u.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for done := 0; done < n; {
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < 2000 && done < n; i, done = i+1, done+1 {
				num, err := tx.NextTicketNumber(ctx)
				if err != nil {
					return err
				}
				at := closed.Add(-time.Duration(done) * time.Minute)
				tk := &ticket.Ticket{Number: num, Subject: fmt.Sprintf("Printer %d in room %d", num, done%500), QueueID: queueID, RequesterID: alice,
					Priority: ticket.PriorityNormal, State: ticket.StateClosed, CloseReason: ticket.ReasonSolved,
					Channel: ticket.ChannelMail, Version: 1, CreatedAt: at.Add(-time.Hour), UpdatedAt: at, ResolvedAt: &at, ClosedAt: &at}
				if err := tx.InsertTicket(ctx, tk); err != nil {
					return err
				}
				if err := tx.IndexText(ctx, tk.ID, "subject", 0, ticket.VisibilityPublic, tk.Subject); err != nil {
					return err
				}
				for k, author := range []int64{alice, anna} {
					e := &ticket.Entry{TicketID: tk.ID, Kind: ticket.KindComment, AuthorID: author, Channel: ticket.ChannelWeb,
						Visibility: ticket.VisibilityPublic, Body: fmt.Sprintf("The printer on floor %d prints blank pages again, entry %d.", done%7, k),
						CreatedAt: at.Add(-time.Duration(k+1) * time.Minute)}
					if err := tx.InsertEntry(ctx, e); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestRetentionKeepsRatingDropsComment: an anonymised ticket keeps its
// rating for the reports, but not the comment, which is free text.
func TestRetentionKeepsRatingDropsComment(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			w := newRetentionWorld(t, d)
			ctx := context.Background()
			tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Drucker", Description: "kaputt"}))
			must(w.svc.Act(ctx, w.agentA, tk.Number, desk.Action{Name: "resolve"}))
			must(w.svc.Rate(ctx, w.alice, tk.Number, 2, "Anna Agent war unfreundlich, Zimmer 2.14", "portal"))
			must(w.svc.Act(ctx, w.alice, tk.Number, desk.Action{Name: "close"}))
			w.clock.Add(200 * 24 * time.Hour)
			must(w.svc.SetRetentionDefault(ctx, w.admin, desk.RetentionRule{Mode: "anonymise", Months: 3}))
			if rep := must(w.svc.RunRetention(ctx, w.clock.Now(), desk.RetentionOptions{})); rep.Anonymised != 1 {
				t.Fatalf("run: %+v, want 1 anonymised", rep)
			}
			fb := must(w.svc.TicketFeedback(ctx, w.admin, tk.Number))
			if fb == nil || fb.Rating != 2 || fb.Comment != "" {
				t.Fatalf("feedback after retention: %+v; want rating 2 without comment", fb)
			}
		})
	}
}
