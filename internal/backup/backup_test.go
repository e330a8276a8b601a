package backup_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/backup"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// site is a servus database with its files and use cases.
type site struct {
	db    *store.DB
	blobs *blob.Store
	svc   *desk.Service
}

func newSite(t *testing.T, dialect string) *site {
	t.Helper()
	db := storetest.Open(t, dialect)
	return siteOn(t, db)
}

// siteOn builds the use cases on db with the file store servus gives it:
// a folder with SQLite, the database itself with PostgreSQL (its folder
// stays empty, so every file read comes from the database).
func siteOn(t *testing.T, db *store.DB) *site {
	t.Helper()
	blobs, err := blob.Open(t.TempDir())
	if db.Dialect() == store.Postgres {
		var shared *store.Blobs
		if shared, err = db.SharedBlobs(context.Background()); err == nil {
			blobs, err = blob.OpenShared(shared, t.TempDir())
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	p := auth.CheapParams()
	return &site{db: db, blobs: blobs, svc: desk.New(db, blobs, desk.Options{PasswordParams: &p, MaxAttachment: 1 << 20})}
}

// emptySite is a database that was never migrated, as a restore finds it.
func emptySite(t *testing.T, dialect string) *site {
	t.Helper()
	var url string
	if dialect == store.Postgres {
		url = storetest.PostgresURL(t)
	}
	db, err := store.Open(context.Background(), url, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return siteOn(t, db)
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// seed fills s with queues, people, tickets with entries of every
// visibility, files (one shared by two tickets), a confidential ticket and
// a ticket made from a mail (whose raw message is a file too, and whose
// inbound row and entry refer to each other).
func seed(t *testing.T, s *site) {
	t.Helper()
	ctx := context.Background()
	must[*ticket.Queue](t)(s.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Servicedesk", Address: "servicedesk@example.org", Default: true}))
	must[*ticket.Queue](t)(s.svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Security", Confidential: true}))
	for _, u := range []desk.NewUser{
		{Email: "admin@example.org", Name: "Ada Admin", Role: ticket.RoleAdmin, Password: "correct horse"},
		{Email: "anna@example.org", Name: "Anna Agent", Role: ticket.RoleAgent},
		{Email: "alice@example.org", Name: "Alice Requester", Role: ticket.RoleRequester, Password: "alice-secret", Language: "en"},
	} {
		must[*ticket.User](t)(s.svc.CreateUser(ctx, access.System, u))
	}
	if err := s.svc.AddQueueMember(ctx, access.System, "Servicedesk", "anna@example.org"); err != nil {
		t.Fatal(err)
	}
	must[string](t)(s.svc.CreateToken(ctx, access.System, "anna@example.org"))
	// Servicedesk resolves within an hour round the clock and mails its
	// members escalation digests (one is made at the end).
	hour, none, on := 60, 0, true
	admin := must[access.Actor](t)(s.svc.ActorByEmail(ctx, "admin@example.org"))
	must[*ticket.Queue](t)(s.svc.UpdateQueue(ctx, admin, "Servicedesk", desk.QueuePatch{FirstResponse: &none, Resolution: &hour,
		Hours: &[]string{"Mon-Sun 00:00-24:00"}[0], Zone: &[]string{"UTC"}[0], Holidays: &[]string{""}[0], Escalate: &on}))
	alice := must[access.Actor](t)(s.svc.ActorByEmail(ctx, "alice@example.org"))
	anna := must[access.Actor](t)(s.svc.ActorByEmail(ctx, "anna@example.org"))
	yes := true
	for i := range 12 {
		nt := desk.NewTicket{Queue: "Servicedesk", Subject: fmt.Sprintf("Drucker %d druckt nicht — Grüße", i), Description: "Der Drucker im Raum 2.14 ist kaputt.", Channel: ticket.ChannelWeb}
		if i == 3 {
			nt.Confidential = &yes
		}
		tk := must[*ticket.Ticket](t)(s.svc.CreateTicket(ctx, alice, nt))
		must[*ticket.Entry](t)(s.svc.AddEntry(ctx, anna, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "intern: Toner bestellt", Visibility: ticket.VisibilityStaff}))
		must[*ticket.Entry](t)(s.svc.AddEntry(ctx, anna, tk.Number, desk.NewEntry{Kind: ticket.KindMessage, Body: "Wir kümmern uns darum.", Visibility: ticket.VisibilityPublic}))
		if i%4 == 0 {
			must[*ticket.Attachment](t)(s.svc.AddAttachment(ctx, alice, tk.Number, ticket.ChannelWeb, "foto.png", ticket.VisibilityPublic, strings.NewReader("PNG bytes of the broken printer")))
			must[*ticket.Attachment](t)(s.svc.AddAttachment(ctx, alice, tk.Number, ticket.ChannelWeb, fmt.Sprintf("log-%d.txt", i), ticket.VisibilityPublic, strings.NewReader(fmt.Sprintf("log %d", i))))
		}
	}
	raw := "From: Alice Requester <alice@example.org>\r\nTo: servicedesk@example.org\r\nSubject: Passwort vergessen\r\nMessage-ID: <seed-1@example.org>\r\nDate: Tue, 12 Mar 2026 10:00:00 +0100\r\n\r\nIch komme nicht mehr ins WLAN.\r\n"
	r := must[*desk.Receipt](t)(s.svc.Receive(ctx, []byte(raw), "lmtp", "servicedesk@example.org"))
	if r.Outcome != desk.OutcomeCreated {
		t.Fatalf("seed mail: %s (%s)", r.Outcome, r.Error)
	}
	// Two hours on, the open tickets are breached: one digest to anna.
	p := auth.CheapParams()
	later := desk.New(s.db, s.blobs, desk.Options{PasswordParams: &p, Now: func() time.Time { return time.Now().Add(2 * time.Hour) }})
	if n := must[int](t)(later.SendEscalations(ctx)); n != 1 {
		t.Fatalf("seed escalation digests: %d, want 1", n)
	}
}

// rows returns every row of every table a backup copies, as text keyed by
// table and primary key, in a form that is the same for both dialects.
func rows(t *testing.T, db *store.DB) map[string]map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]map[string]string{}
	err := db.Snapshot(ctx, func(tx *store.Tx) error {
		tables, err := tx.Tables(ctx)
		if err != nil {
			return err
		}
		for _, tb := range tables {
			m := map[string]string{}
			out[tb.Name] = m
			keyIdx := map[string]int{}
			for i, c := range tb.Columns {
				keyIdx[c.Name] = i
			}
			err := tx.DumpTable(ctx, tb, func(row []any) error {
				vals := make([]string, len(row))
				for i, v := range row {
					switch x := v.(type) {
					case nil:
						vals[i] = "NULL"
					case bool:
						vals[i] = map[bool]string{true: "1", false: "0"}[x]
					case []byte:
						vals[i] = "bytes:" + hex.EncodeToString(x)
					default:
						vals[i] = fmt.Sprint(x)
					}
				}
				var key []string
				for _, k := range tb.Key {
					if i, ok := keyIdx[k]; ok {
						key = append(key, vals[i])
					}
				}
				m[strings.Join(key, "/")] = strings.Join(vals, "|")
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// searchHits is what a search for word finds, as the system sees it.
func searchHits(t *testing.T, s *site, word string) []int64 {
	t.Helper()
	p, err := s.svc.Search(context.Background(), access.System, ticket.Filter{Q: word, Page: 1, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, tk := range p.Items {
		out = append(out, tk.Number)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// files checks that every file the attachments and raw mails of db name is
// in blobs with the content its name hashes to, and returns how many.
func files(t *testing.T, db *store.DB, blobs *blob.Store) int {
	t.Helper()
	n := 0
	for table, col := range map[string]string{"attachments": "hash", "inbound": "raw_hash"} {
		var hashes []string
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			tables, err := tx.Tables(context.Background())
			if err != nil {
				return err
			}
			for _, tb := range tables {
				if tb.Name != table {
					continue
				}
				ci := -1
				for i, c := range tb.Columns {
					if c.Name == col {
						ci = i
					}
				}
				return tx.DumpTable(context.Background(), tb, func(row []any) error {
					hashes = append(hashes, row[ci].(string))
					return nil
				})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hashes {
			f, err := blobs.Open(h)
			if err != nil {
				t.Fatalf("%s.%s names file %s: %v", table, col, h, err)
			}
			b, _ := io.ReadAll(f)
			f.Close()
			sum := sha256.Sum256(b)
			if hex.EncodeToString(sum[:]) != h {
				t.Fatalf("file %s holds other content", h)
			}
			n++
		}
	}
	return n
}

// TestRoundTrip backs up a database of each dialect and restores it into
// each: every row of every table comes back unchanged, every file with its
// content, the search finds what it found before, and the restored servus
// goes on numbering tickets after the restored ones.
func TestRoundTrip(t *testing.T) {
	for _, from := range storetest.Dialects {
		for _, to := range storetest.Dialects {
			t.Run(from+"-to-"+to, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				src := newSite(t, from)
				seed(t, src)
				var archive bytes.Buffer
				m, err := backup.Write(ctx, src.db, src.blobs, &archive, nil)
				if err != nil {
					t.Fatal(err)
				}
				if m.Tables["tickets"] != 13 || m.Files != 5 || len(m.MissingFiles) != 0 {
					t.Fatalf("manifest: %d tickets, %d files, missing %v; want 13 tickets, 5 files (4 distinct attachments and 1 raw mail)", m.Tables["tickets"], m.Files, m.MissingFiles)
				}

				dst := emptySite(t, to)
				if _, err := backup.Restore(ctx, dst.db, dst.blobs, bytes.NewReader(archive.Bytes()), nil); err != nil {
					t.Fatal(err)
				}
				want, got := rows(t, src.db), rows(t, dst.db)
				// The ticket counter follows the highest restored number
				// (PostgreSQL numbers from a sequence and leaves the row).
				if c := got["counters"]["ticket"]; c != "ticket|13" {
					t.Errorf("restored ticket counter %q, want ticket|13", c)
				}
				delete(want, "counters")
				for table, wr := range want {
					gr := got[table]
					if len(gr) != len(wr) {
						t.Errorf("%s: %d rows restored, want %d", table, len(gr), len(wr))
					}
					for k, v := range wr {
						if gr[k] != v {
							t.Errorf("%s row %s:\n got %s\nwant %s", table, k, gr[k], v)
						}
					}
				}
				if n, want := files(t, dst.db, dst.blobs), files(t, src.db, src.blobs); n != want || n == 0 {
					t.Fatalf("%d files readable after restore, %d before", n, want)
				}
				for _, word := range []string{"drucker", "wlan", "toner", "foto"} {
					if a, b := searchHits(t, src, word), searchHits(t, dst, word); fmt.Sprint(a) != fmt.Sprint(b) || len(a) == 0 {
						t.Errorf("search %q: restored finds %v, source %v", word, b, a)
					}
				}
				// The restored servus writes on: new IDs and numbers follow
				// the restored ones.
				alice := must[access.Actor](t)(dst.svc.ActorByEmail(ctx, "alice@example.org"))
				tk := must[*ticket.Ticket](t)(dst.svc.CreateTicket(ctx, alice, desk.NewTicket{Queue: "Servicedesk", Subject: "after restore", Description: "x", Channel: ticket.ChannelWeb}))
				if tk.Number != 14 {
					t.Fatalf("first ticket after restore is number %d, want 14", tk.Number)
				}
				if _, err := dst.svc.AddAttachment(ctx, alice, tk.Number, ticket.ChannelWeb, "neu.txt", ticket.VisibilityPublic, strings.NewReader("new")); err != nil {
					t.Fatal(err)
				}
				// Signing in with a restored password works.
				if _, err := dst.svc.ActorByPassword(ctx, "alice@example.org", "alice-secret"); err != nil {
					t.Fatalf("sign in after restore: %v", err)
				}
			})
		}
	}
}

// TestBackupUnderLoad takes a backup while tickets are being created: the
// archive is one consistent state (the ticket counter matches the tickets
// it holds, every ticket has its description, every file is there), and it
// restores.
func TestBackupUnderLoad(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			src := newSite(t, dialect)
			seed(t, src)
			alice := must[access.Actor](t)(src.svc.ActorByEmail(ctx, "alice@example.org"))
			stop := make(chan struct{})
			var created atomic.Int64
			var wg sync.WaitGroup
			for w := range 2 {
				wg.Go(func() {
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						tk, err := src.svc.CreateTicket(ctx, alice, desk.NewTicket{Queue: "Servicedesk", Subject: fmt.Sprintf("Last %d-%d", w, i), Description: "unter Last", Channel: ticket.ChannelWeb})
						if err != nil {
							t.Error(err)
							return
						}
						if _, err := src.svc.AddAttachment(ctx, alice, tk.Number, ticket.ChannelWeb, "f.txt", ticket.VisibilityPublic, strings.NewReader(fmt.Sprintf("file %d-%d", w, i))); err != nil {
							t.Error(err)
							return
						}
						created.Add(1)
					}
				})
			}
			// Let the load get going, take the backup, let it run on a bit.
			for created.Load() < 5 {
				if t.Failed() {
					t.FailNow()
				}
			}
			var archive bytes.Buffer
			m, err := backup.Write(ctx, src.db, src.blobs, &archive, nil)
			if err != nil {
				t.Fatal(err)
			}
			at := created.Load()
			for created.Load() < at+5 && !t.Failed() {
			}
			close(stop)
			wg.Wait()

			dst := emptySite(t, dialect)
			if _, err := backup.Restore(ctx, dst.db, dst.blobs, bytes.NewReader(archive.Bytes()), nil); err != nil {
				t.Fatal(err)
			}
			got, now := rows(t, dst.db), rows(t, src.db)
			if n := int64(len(got["tickets"])); n != m.Tables["tickets"] || n <= 13 || n >= int64(len(now["tickets"])) {
				t.Fatalf("restored %d tickets (manifest %d); the source had 13 before the load and %d after", n, m.Tables["tickets"], len(now["tickets"]))
			}
			// Every restored row is the source's row (the load adds rows;
			// a ticket's version and update time move on when the load
			// adds its file after the snapshot, so tickets compare by ID,
			// number and subject).
			for _, table := range []string{"tickets", "entries", "attachments", "users", "queues"} {
				for k, v := range got[table] {
					w := now[table][k]
					if table == "tickets" {
						v, w = strings.Join(strings.SplitN(v, "|", 4)[:3], "|"), strings.Join(strings.SplitN(w, "|", 4)[:3], "|")
					}
					if w != v {
						t.Errorf("%s row %s differs from the source:\n got %s\nwant %s", table, k, v, w)
					}
				}
			}
			// One state: the ticket counter is the highest restored number.
			var counter, highest int64
			err = dst.db.Read(ctx, func(tx *store.Tx) error {
				tables, err := tx.Tables(ctx)
				if err != nil {
					return err
				}
				for _, tb := range tables {
					switch tb.Name {
					case "counters":
						tx.DumpTable(ctx, tb, func(row []any) error {
							if row[0] == "ticket" {
								counter = row[1].(int64)
							}
							return nil
						})
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			p, err := dst.svc.Search(ctx, access.System, ticket.Filter{Page: 1, PerPage: 1, Sort: "-number"})
			if err != nil {
				t.Fatal(err)
			}
			highest = p.Items[0].Number
			if counter != highest {
				t.Fatalf("restored ticket counter %d, highest restored ticket %d: not one state", counter, highest)
			}
			if n := files(t, dst.db, dst.blobs); int64(n) < m.Files {
				t.Fatalf("%d files readable after restore, manifest %d", n, m.Files)
			}
		})
	}
}

// TestRestoreRefuses: a restore goes only into an empty database, only
// from a complete, undamaged archive of a servus it knows; a refused or
// failed restore leaves the database empty, so it can be run again.
func TestRestoreRefuses(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			src := newSite(t, dialect)
			seed(t, src)
			var archive bytes.Buffer
			if _, err := backup.Write(ctx, src.db, src.blobs, &archive, nil); err != nil {
				t.Fatal(err)
			}
			full := archive.Bytes()

			// Into a database that holds data.
			if _, err := backup.Restore(ctx, src.db, src.blobs, bytes.NewReader(full), nil); err == nil || !strings.Contains(err.Error(), "already holds") {
				t.Fatalf("restore into a full database: %v", err)
			}
			dst := emptySite(t, dialect)
			empty := func() {
				t.Helper()
				err := dst.db.Read(ctx, func(tx *store.Tx) error {
					holds, err := tx.HoldsData(ctx)
					if holds {
						t.Fatalf("a failed restore left data behind")
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			// A cut-off archive: nothing restored.
			for _, cut := range []int{100, len(full) / 2, bytes.LastIndex(full, []byte(`"file_bytes"`))} {
				_, err := backup.Restore(ctx, dst.db, dst.blobs, bytes.NewReader(full[:cut]), nil)
				if err == nil {
					t.Fatalf("archive cut at %d of %d bytes restored", cut, len(full))
				}
				empty()
			}
			// A damaged file.
			i := bytes.Index(full, []byte("PNG bytes of the broken printer"))
			damaged := bytes.Clone(full)
			damaged[i] = 'X'
			if _, err := backup.Restore(ctx, dst.db, dst.blobs, bytes.NewReader(damaged), nil); err == nil || !strings.Contains(err.Error(), "damaged") {
				t.Fatalf("damaged file: %v", err)
			}
			empty()
			// Not an archive at all.
			if _, err := backup.Restore(ctx, dst.db, dst.blobs, strings.NewReader("hello"), nil); err == nil {
				t.Fatal("restored from a text")
			}
			empty()
			// And then the whole archive restores into the same database.
			if _, err := backup.Restore(ctx, dst.db, dst.blobs, bytes.NewReader(full), nil); err != nil {
				t.Fatalf("restore after failed attempts: %v", err)
			}
			if n := len(rows(t, dst.db)["tickets"]); n != 13 {
				t.Fatalf("%d tickets after restore, want 13", n)
			}
		})
	}
}

// TestBlobColumns: every column named like a hash is either a blob column
// (its files go into the backup) or a known hash of a secret, so that a new
// table with files cannot be forgotten by the backup.
func TestBlobColumns(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	secrets := map[string]bool{"users.password_hash": true, "tokens.hash": true, "sessions.token_hash": true, "password_resets.token_hash": true,
		"feedback_links.token_hash": true}
	for _, bc := range store.BlobColumns {
		secrets[bc[0]+"."+bc[1]] = true
	}
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		tables, err := tx.Tables(context.Background())
		if err != nil {
			return err
		}
		for _, tb := range tables {
			for _, c := range tb.Columns {
				if strings.Contains(c.Name, "hash") && !secrets[tb.Name+"."+c.Name] {
					t.Errorf("column %s.%s looks like a hash: add it to store.BlobColumns if it names a file, or to this test's secrets", tb.Name, c.Name)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
