package desk_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// failingReader gives some bytes, then fails, as a broken upload does.
type failingReader struct{ sent bool }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.sent {
		return 0, errors.New("connection reset")
	}
	r.sent = true
	return copy(p, "half a file"), nil
}

// TestCreateTicketWithFiles: a ticket and the files sent with it are one
// step. With all files fine the ticket has them, each in the timeline, at
// its first version; when any one fails (too large, unreadable, or refused
// after the ticket was written) there is no ticket at all, and no mail.
func TestCreateTicketWithFiles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		nt := func(subject string, files ...desk.NewFile) desk.NewTicket {
			return desk.NewTicket{Queue: "Servicedesk", Subject: subject, Description: "x", Channel: ticket.ChannelWeb, Files: files}
		}
		file := func(name, body string) desk.NewFile { return desk.NewFile{Name: name, Body: strings.NewReader(body)} }
		tickets := func() int {
			t.Helper()
			p, err := w.svc.Search(ctx, access.System, ticket.Filter{Page: 1, PerPage: 10})
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		mails := func() int {
			t.Helper()
			return must(w.svc.Outbox(ctx, access.System, "", 1, 10)).Total
		}

		tk, err := w.svc.CreateTicket(ctx, w.alice, nt("Two files", file("a.txt", "first"), file("../b.txt", "second")))
		if err != nil {
			t.Fatal(err)
		}
		files := must(w.svc.Attachments(ctx, w.alice, tk.Number))
		if len(files) != 2 || files[0].Name != "a.txt" || files[1].Name != "b.txt" || tk.Version != 1 {
			t.Fatalf("ticket with files: %d files %v, version %d; want a.txt and b.txt at version 1", len(files), files, tk.Version)
		}
		v := must(w.svc.TicketView(ctx, w.agentA, tk.Number))
		var kinds []string
		for _, e := range v.Entries {
			kinds = append(kinds, string(e.Kind))
		}
		if got := strings.Join(kinds, ","); got != "description,attachment,attachment" {
			t.Fatalf("timeline: %s", got)
		}
		before, sent := tickets(), mails()

		_, err = w.svc.CreateTicket(ctx, w.alice, nt("Too large", file("a.txt", "fine"), file("big.bin", strings.Repeat("x", 1<<20+1))))
		wantCode(t, err, ticket.ETOOLARGE)
		_, err = w.svc.CreateTicket(ctx, w.alice, nt("Broken upload", file("a.txt", "fine"), desk.NewFile{Name: "c.txt", Body: &failingReader{}}))
		if err == nil || ticket.ErrorCode(err) != ticket.EINTERNAL {
			t.Fatalf("unreadable file: got %v, want an internal error", err)
		}
		// Bernd (Security) opens a confidential ticket in Servicedesk for
		// Alice: the ticket is written, then its file is refused (he may
		// not see the ticket he made); the transaction takes it all back.
		yes := true
		secret := nt("Confidential with file", file("a.txt", "fine"))
		secret.Confidential, secret.Requester = &yes, "alice@example.org"
		_, err = w.svc.CreateTicket(ctx, w.agentB, secret)
		wantCode(t, err, ticket.EFORBIDDEN)
		if n := tickets(); n != before {
			t.Fatalf("failed creations left %d tickets behind", n-before)
		}
		if n := mails(); n != sent {
			t.Fatalf("failed creations queued %d mails", n-sent)
		}
		// Without the file Bernd's ticket opens. On SQLite it takes the next
		// number: the failures took none. PostgreSQL numbers from a
		// sequence, which a rolled-back creation leaves behind (a gap, never
		// a number given twice).
		secret.Files = nil
		next := must(w.svc.CreateTicket(ctx, w.agentB, secret))
		if w.db.Dialect() == store.SQLite && next.Number != tk.Number+1 || next.Number <= tk.Number {
			t.Fatalf("next ticket #%d after #%d", next.Number, tk.Number)
		}
	})
}
