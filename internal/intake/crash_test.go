package intake_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(servustest.Main(m)) }

var (
	lmtpAddrRE = regexp.MustCompile(`msg="lmtp listening" addr=(\S+)`)
	pendingRE  = regexp.MustCompile(`msg="inbound: processed pending mail" count=(\d+)`)
)

// startServus starts servus serve on store with an LMTP listener on port
// 0 and returns it with the LMTP address.
func startServus(t *testing.T, data, db string) (*servustest.Server, string) {
	t.Helper()
	p := servustest.Start(t, servustest.Options{Data: data, DB: db, Args: []string{"--lmtp", "127.0.0.1:0"}})
	return p, p.WaitLog(t, lmtpAddrRE, 30*time.Second)[1]
}

// TestLMTPCrash: every message acknowledged over LMTP survives a kill -9
// of servus right after the last 250; after a restart all of them are
// tickets.
func TestLMTPCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the servus binary")
	}
	servustest.Binary(t)
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			data, db := t.TempDir(), ""
			args := []string{"--data", data}
			if d == store.Postgres {
				db = storetest.PostgresURL(t)
				args = append(args, "--db", db)
			}
			servustest.Run(t, append([]string{"queue", "add", "--name", "Servicedesk", "--default"}, args...)...)
			servustest.Run(t, append([]string{"user", "add", "--email", "admin@example.org", "--name", "Admin", "--role", "admin"}, args...)...)
			token := strings.TrimSpace(servustest.Run(t, append([]string{"token", "create", "--email", "admin@example.org"}, args...)...))

			const n = 30
			p, lmtpAddr := startServus(t, data, db)
			conn, err := net.Dial("tcp", lmtpAddr)
			if err != nil {
				t.Fatal(err)
			}
			c := smtp.NewClientLMTP(conn)
			if err := c.Hello("mx.example.org"); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				from := fmt.Sprintf("user%d@example.org", i)
				if err := c.Mail(from, nil); err != nil {
					t.Fatal(err)
				}
				if err := c.Rcpt("servicedesk@example.org", nil); err != nil {
					t.Fatal(err)
				}
				w, err := c.Data()
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprint(w, mailText(from, "servicedesk@example.org", fmt.Sprintf("Anfrage %d", i), fmt.Sprintf("crash-%d@example.org", i), "", "Bitte helfen."))
				if _, err := w.CloseWithLMTPResponse(); err != nil {
					t.Fatalf("message %d not acknowledged: %v", i, err)
				}
			}
			// kill -9 right after the last 250.
			p.Kill(t)
			conn.Close()

			p, _ = startServus(t, data, db)
			deadline := time.Now().Add(30 * time.Second)
			var total int
			for {
				total = ticketTotal(t, p.Addr, token)
				if total == n || time.Now().After(deadline) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if total != n {
				t.Fatalf("got %d tickets after the restart, want %d:\n%s", total, n, p.Log())
			}
			if m := pendingRE.FindStringSubmatch(p.Log()); m != nil {
				t.Logf("%s: %s acknowledged message(s) were pending at the restart and processed then", d, m[1])
			}
		})
	}
}

func ticketTotal(t *testing.T, addr, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/tickets?per_page=1", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page struct{ Total int }
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil || res.StatusCode != 200 {
		t.Fatalf("search: %d %v", res.StatusCode, err)
	}
	return page.Total
}
