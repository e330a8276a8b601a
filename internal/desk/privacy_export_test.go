package desk_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// export runs ExportPerson as a and returns the archive's files by name.
func export(t *testing.T, w *world, a access.Actor, email string) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	started, err := w.svc.ExportPerson(context.Background(), a, email, func() io.Writer { return &buf })
	if err != nil || !started {
		t.Fatalf("ExportPerson(%s): started %v, err %v", email, started, err)
	}
	return unzip(t, buf.Bytes())
}

func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip archive: %v", err)
	}
	files := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(body)
	}
	return files
}

func TestExportPerson(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		// Alice's own ticket, with a file, a public answer, a staff note
		// and a queue-only note of the agents.
		own := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Alice kann nicht drucken", Description: "Der Drucker ALICEDESC streikt."}))
		must(w.svc.AddAttachment(ctx, w.alice, own.Number, ticket.ChannelWeb, "fehler.txt", ticket.VisibilityPublic, strings.NewReader("ALICEFILE contents")))
		must(w.svc.AddAttachment(ctx, w.agentA, own.Number, ticket.ChannelWeb, "intern.txt", ticket.VisibilityStaff, strings.NewReader("STAFFFILE contents")))
		must(w.svc.AddEntry(ctx, w.agentA, own.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "PUBLICANSWER: bitte neu starten"}))
		must(w.svc.AddEntry(ctx, w.agentA, own.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "STAFFNOTE about alice", Visibility: ticket.VisibilityStaff}))
		must(w.svc.AddEntry(ctx, w.agentA, own.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "QUEUENOTE about alice", Visibility: ticket.VisibilityQueue}))
		// Bob's ticket with Alice in CC; Bob's confidential ticket without her.
		cc := must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Servicedesk", Subject: "Bob fragt mit Alice in CC", Description: "CCDESC", CC: []string{"alice@example.org"}}))
		other := must(w.svc.CreateTicket(ctx, w.bob, desk.NewTicket{Queue: "Security", Subject: "BOBSECRET subject", Description: "BOBSECRET description"}))
		must(w.svc.AddAttachment(ctx, w.bob, other.Number, ticket.ChannelWeb, "BOBSECRET.pdf", ticket.VisibilityPublic, strings.NewReader("BOBSECRET file")))
		// Bernd (Security) writes on Bob's ticket: his export holds his
		// words, not Bob's ticket.
		must(w.svc.AddEntry(ctx, w.agentB, other.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "BERNDNOTE checked the firewall", Visibility: ticket.VisibilityStaff}))
		// An account whose address contains Alice's: its rows are not hers.
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "malice@example.org", Name: "Malice"}))
		// A mail Alice sent, stored raw.
		receive(t, w, testMail{From: "Alice Requester <alice@example.org>", To: "servicedesk@example.org", Subject: "Mail von Alice", Body: "ALICEMAIL body"}.raw(), "")

		// Alice's institute; Bernd's own text module and macro, and one
		// shared with his queue (which is not his to export).
		must(w.svc.CreateOrganisation(ctx, w.admin, desk.NewOrganisation{Name: "Institut für Druckwesen"}))
		must(w.svc.AddOrganisationMember(ctx, w.admin, "Institut für Druckwesen", "alice@example.org", false))
		must(w.svc.CreateTextModule(ctx, w.agentB, desk.NewTextModule{Name: "BERNDMODULE", Language: "de", Body: "Grüße, {agent.name}"}))
		must(w.svc.CreateTextModule(ctx, w.agentB, desk.NewTextModule{Name: "SHAREDMODULE", Language: "de", Body: "Für alle", Queue: "Security"}))
		must(w.svc.CreateMacro(ctx, w.agentB, desk.MacroInput{Name: "BERNDMACRO", Body: "Erledigt.", EntryKind: ticket.KindMessage,
			Visibility: ticket.VisibilityPublic, State: "resolve"}))

		// Only admins export.
		for _, a := range []access.Actor{w.agentA, w.alice} {
			_, err := w.svc.ExportPerson(ctx, a, "alice@example.org", func() io.Writer { return io.Discard })
			wantCode(t, err, ticket.EFORBIDDEN)
		}
		_, err := w.svc.ExportPerson(ctx, w.admin, "nobody@example.org", func() io.Writer { return io.Discard })
		wantCode(t, err, ticket.ENOTFOUND)

		files := export(t, w, w.admin, "alice@example.org")
		for _, name := range []string{"README.txt", "account.json", "tickets.json", "entries.json", "mails.json", "audit.json"} {
			if _, ok := files[name]; !ok {
				t.Errorf("no %s in the export; files: %v", name, keys(files))
			}
		}
		all := strings.Join(func() []string {
			var s []string
			for _, v := range files {
				s = append(s, v)
			}
			return s
		}(), "\n")
		for _, secret := range []string{"BOBSECRET", "STAFFNOTE", "QUEUENOTE", "STAFFFILE", "intern.txt", "BERNDNOTE", "malice@"} {
			if strings.Contains(all, secret) {
				t.Errorf("export of alice holds %q", secret)
			}
		}
		for name := range files {
			if strings.Contains(name, "BOBSECRET") || strings.Contains(name, fmt.Sprintf("files/%d/", other.Number)) {
				t.Errorf("export of alice holds the file %s", name)
			}
		}

		var account struct {
			Email, Role string
			Institute   *struct{ Organisation string }
		}
		if err := json.Unmarshal([]byte(files["account.json"]), &account); err != nil || account.Email != "alice@example.org" || account.Role != "requester" ||
			account.Institute == nil || account.Institute.Organisation != "Institut für Druckwesen" {
			t.Errorf("account.json: got %+v (%v), want alice, requester, of Institut für Druckwesen", account, err)
		}
		var tickets []struct {
			Number  int64
			Role    string
			Subject string
			Entries []struct{ Kind, Body string }
			Files   []struct{ Name, Path string }
		}
		if err := json.Unmarshal([]byte(files["tickets.json"]), &tickets); err != nil {
			t.Fatalf("tickets.json: %v\n%s", err, files["tickets.json"])
		}
		// Alice's ticket, Bob's with her in CC and the one her mail opened.
		if len(tickets) != 3 || tickets[0].Number != own.Number || tickets[0].Role != "requester" ||
			tickets[1].Number != cc.Number || tickets[1].Role != "cc" {
			t.Fatalf("tickets.json: got %+v, want #%d (requester), #%d (cc) and the mail's", tickets, own.Number, cc.Number)
		}
		if !strings.Contains(files["tickets.json"], "ALICEDESC") || !strings.Contains(files["tickets.json"], "PUBLICANSWER") || !strings.Contains(files["tickets.json"], "CCDESC") {
			t.Errorf("tickets.json lacks the public entries:\n%s", files["tickets.json"])
		}
		if len(tickets[0].Files) != 1 || tickets[0].Files[0].Name != "fehler.txt" {
			t.Fatalf("files of #%d: got %+v, want fehler.txt only", own.Number, tickets[0].Files)
		}
		if got := files[tickets[0].Files[0].Path]; got != "ALICEFILE contents" {
			t.Errorf("%s: got %q, want the file's bytes", tickets[0].Files[0].Path, got)
		}
		var mails []struct{ Subject, Path string }
		if err := json.Unmarshal([]byte(files["mails.json"]), &mails); err != nil || len(mails) != 1 || mails[0].Subject != "Mail von Alice" {
			t.Fatalf("mails.json: got %+v (%v), want her one mail", mails, err)
		}
		if !strings.Contains(files[mails[0].Path], "ALICEMAIL body") || !strings.Contains(files[mails[0].Path], "From: Alice Requester") {
			t.Errorf("%s: got %q, want the raw mail", mails[0].Path, files[mails[0].Path])
		}
		var entries []struct {
			Ticket int64
			Body   string
		}
		if err := json.Unmarshal([]byte(files["entries.json"]), &entries); err != nil {
			t.Fatal(err)
		}
		if len(entries) < 3 {
			t.Errorf("entries.json: got %+v, want her descriptions and her mail", entries)
		}
		var audit []struct{ Action, Detail string }
		if err := json.Unmarshal([]byte(files["audit.json"]), &audit); err != nil {
			t.Fatal(err)
		}
		if last := audit[len(audit)-1]; last.Action != "privacy.export" || last.Detail != "alice@example.org" {
			t.Errorf("last audit row about alice: got %+v, want this export", last)
		}

		// Bernd's export: his note, by ticket number only, and none of
		// Bob's ticket.
		files = export(t, w, w.admin, "bernd@example.org")
		if !strings.Contains(files["entries.json"], "BERNDNOTE") || !strings.Contains(files["entries.json"], fmt.Sprintf(`"ticket": %d`, other.Number)) {
			t.Errorf("entries.json of bernd lacks his note:\n%s", files["entries.json"])
		}
		if strings.TrimSpace(files["tickets.json"]) != "[]" {
			t.Errorf("tickets.json of bernd: got %s, want []", files["tickets.json"])
		}
		if a := files["account.json"]; !strings.Contains(a, "BERNDMODULE") || !strings.Contains(a, "BERNDMACRO") || strings.Contains(a, "SHAREDMODULE") {
			t.Errorf("account.json of bernd: want his own module and macro, not his queue's:\n%s", a)
		}
		for name, body := range files {
			if strings.Contains(body, "BOBSECRET") {
				t.Errorf("export of bernd: %s holds Bob's ticket", name)
			}
		}

		// Every export is in the audit log, by the admin.
		p := must(w.svc.AuditLog(ctx, w.admin, desk.AuditFilter{Action: "privacy.export"}, 1, 10))
		if p.Total != 2 || p.Items[0].Actor != "admin@example.org" || p.Items[0].Detail != "bernd@example.org" {
			t.Errorf("privacy.export rows: got %d, newest %+v; want 2, by admin", p.Total, p.Items[0])
		}
	})
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestExportPersonStreams exports a person with 10,000 tickets (two
// entries of about 1.7 kilobytes each) and checks that the heap stays far
// below what the export writes: the rows go into the archive a page at a
// time.
func TestExportPersonStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 10,000 tickets")
	}
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			w := newWorld(t, d)
			ctx := context.Background()
			const n = 10_000
			r := rand.New(rand.NewPCG(7, 8))
			q := must(w.svc.Queues(ctx, access.System))[0]
			start := time.Now()
			for done := 0; done < n; {
				err := w.db.Write(ctx, func(tx *store.Tx) error {
					for i := 0; i < 2000 && done < n; i, done = i+1, done+1 {
						num, err := tx.NextTicketNumber(ctx)
						if err != nil {
							return err
						}
						at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(done) * time.Minute)
						tk := &ticket.Ticket{Number: num, Subject: fmt.Sprintf("Ticket %d von Alice", num), QueueID: q.ID, RequesterID: w.alice.UserID,
							Priority: ticket.PriorityNormal, State: ticket.StateClosed, Channel: ticket.ChannelWeb, Version: 1, CreatedAt: at, UpdatedAt: at}
						if err := tx.InsertTicket(ctx, tk); err != nil {
							return err
						}
						for range 2 {
							// Events with a body: rows as large as comments,
							// without the search indexing that would make the
							// loading take minutes (the export reads rows).
							e := &ticket.Entry{TicketID: tk.ID, Kind: ticket.KindEvent, Field: "note", AuthorID: w.alice.UserID, Channel: ticket.ChannelWeb,
								Visibility: ticket.VisibilityPublic, Body: sentence(r, 250), CreatedAt: at}
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
			t.Logf("loaded %d tickets in %v", n, time.Since(start).Round(time.Millisecond))

			out, err := os.Create(filepath.Join(t.TempDir(), "export.zip"))
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			sw := &sampler{w: out, base: base}
			start = time.Now()
			if _, err := w.svc.ExportPerson(ctx, w.admin, "alice@example.org", func() io.Writer { return sw }); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			info, err := out.Stat()
			if err != nil {
				t.Fatal(err)
			}
			z, err := zip.OpenReader(out.Name())
			if err != nil {
				t.Fatal(err)
			}
			defer z.Close()
			var plain uint64
			for _, f := range z.File {
				plain += f.UncompressedSize64
			}
			t.Logf("exported %d tickets in %v: %d MB of JSON, %d MB zipped; heap grew by at most %.1f MB over %d samples",
				n, took.Round(time.Millisecond), plain>>20, info.Size()>>20, float64(sw.peak)/(1<<20), sw.samples)
			// Holding the tickets (or their JSON) would take more than the
			// JSON's size, over twice the bound.
			const bound = 16 << 20
			if plain < 2*bound {
				t.Fatalf("the export wrote %d bytes of JSON, too few to tell streaming from collecting", plain)
			}
			if sw.peak > bound {
				t.Errorf("heap grew by %d bytes during the export, want at most %d", sw.peak, bound)
			}
		})
	}
}

// sampler passes writes on and samples the heap every 64 KiB, keeping the
// largest growth over base.
type sampler struct {
	w       io.Writer
	base    uint64
	written int
	peak    uint64
	samples int
}

func (s *sampler) Write(p []byte) (int, error) {
	s.written += len(p)
	if s.written >= 64<<10 {
		s.written = 0
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		s.samples++
		if ms.HeapAlloc > s.base && ms.HeapAlloc-s.base > s.peak {
			s.peak = ms.HeapAlloc - s.base
		}
	}
	return s.w.Write(p)
}
