package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/servustest"
)

// TestGroupCommitSurvivesKill drives concurrent creates with files and
// entries over the API and mails over LMTP into the real binary, kills it
// with SIGKILL in the middle of the load, starts it again on the same data
// and checks that every write it acknowledged (201, 250) is there, every
// acknowledged mail became a ticket, every file reads back byte for byte,
// and the database is consistent (SQLite: integrity_check and
// foreign_key_check; both: no ticket number twice).
func TestGroupCommitSurvivesKill(t *testing.T) {
	servustest.Binary(t)
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			store := storeArgs(t, dialect)
			admin, requester := bootstrap(t, store)
			o := servustest.Options{Data: store[1], Args: []string{"--lmtp", "127.0.0.1:0"}}
			if dialect == "postgres" {
				o.DB = store[3]
			}
			s := servustest.Start(t, o)
			lmtp := s.WaitLog(t, lmtpListeningRE, 30*time.Second)[1]

			a := newAcked()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				drive(ctx, load{url: s.URL, lmtp: lmtp, requester: requester, admin: admin, creators: 8, mailer: 2, files: true, tag: "kill-" + dialect}, a)
			}()
			waitFor(t, 3*time.Minute, "100 acknowledged writes", func() bool { return a.total() >= 100 })
			s.Kill(t) // mid-load: requests are in flight and in open transactions
			cancel()
			<-done
			t.Logf("%s: acknowledged %d tickets, %d files, %d entries, %d mails before the kill; not acknowledged: %v",
				dialect, len(a.tickets), len(a.files), len(a.entries), len(a.mails), a.failed)

			s = servustest.Start(t, o)
			for key, want := range a.files {
				num, id, _ := strings.Cut(key, "/")
				req, _ := http.NewRequest("GET", s.URL+"/api/v1/tickets/"+num+"/attachments/"+id, nil)
				req.Header.Set("Authorization", "Bearer "+admin)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatalf("file %s: %v", key, err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !bytes.Equal(got, want) {
					t.Errorf("file %s after the restart: got %d, %d bytes; want 200 and the %d bytes uploaded", key, resp.StatusCode, len(got), len(want))
				}
			}
			var db *sql.DB
			var err error
			if dialect == "postgres" {
				db, err = sql.Open("pgx", o.DB)
			} else {
				db, err = sql.Open("sqlite", "file:"+filepath.Join(o.Data, "servus.db")+"?_pragma=busy_timeout(10000)")
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// Mail acknowledged but not yet processed at the kill is
			// processed after the restart.
			waitFor(t, 60*time.Second, "the stored mail to be processed", func() bool {
				return queryInt(t, db, "SELECT COUNT(*) FROM inbound WHERE state = 'pending'") == 0
			})
			if code := s.Stop(t); code != 0 {
				t.Fatalf("servus exited with %d after the restart", code)
			}
			if m := missing(t, db, "SELECT number FROM tickets", a.tickets); len(m) > 0 {
				t.Errorf("%d acknowledged tickets are missing: %v", len(m), m)
			}
			if m := missing(t, db, "SELECT id FROM entries", a.entries); len(m) > 0 {
				t.Errorf("%d acknowledged entries are missing: %v", len(m), m)
			}
			if m := missing(t, db, "SELECT message_id FROM inbound WHERE state = 'done' AND ticket_id IS NOT NULL", a.mails); len(m) > 0 {
				t.Errorf("%d acknowledged mails are missing or made no ticket: %v", len(m), m)
			}
			if n := queryInt(t, db, "SELECT COUNT(*) - COUNT(DISTINCT number) FROM tickets"); n != 0 {
				t.Errorf("%d ticket numbers are used twice", n)
			}
			if dialect == "sqlite" {
				var res string
				if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
					t.Errorf("PRAGMA integrity_check: got %q, %v; want ok", res, err)
				}
				if n := queryInt(t, db, "SELECT COUNT(*) FROM pragma_foreign_key_check"); n != 0 {
					t.Errorf("PRAGMA foreign_key_check: %d rows break a foreign key", n)
				}
			}
			if len(a.tickets) < 20 || len(a.mails) < 5 {
				t.Errorf("too little load to show anything: %d tickets, %d mails", len(a.tickets), len(a.mails))
			}
		})
	}
}
