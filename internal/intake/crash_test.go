package intake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// lockedBuffer collects a child's output, safe to read while it writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *lockedBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *lockedBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var (
	httpAddrRE = regexp.MustCompile(`msg=listening addr=(\S+)`)
	lmtpAddrRE = regexp.MustCompile(`msg="lmtp listening" addr=(\S+)`)
	pendingRE  = regexp.MustCompile(`msg="inbound: processed pending mail" count=(\d+)`)
)

// servusProc is a running servus serve.
type servusProc struct {
	cmd        *exec.Cmd
	log        *lockedBuffer
	http, lmtp string
	waited     chan struct{}
}

func startServus(t *testing.T, bin string, args ...string) *servusProc {
	t.Helper()
	p := &servusProc{log: &lockedBuffer{}, waited: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--lmtp", "127.0.0.1:0"}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.waited) }()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.waited })
	deadline := time.Now().Add(30 * time.Second)
	for {
		h, l := httpAddrRE.FindStringSubmatch(p.log.String()), lmtpAddrRE.FindStringSubmatch(p.log.String())
		if h != nil && l != nil {
			p.http, p.lmtp = h[1], l[1]
			return p
		}
		select {
		case <-p.waited:
			t.Fatalf("servus exited at start:\n%s", p.log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("servus did not log its addresses:\n%s", p.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func runServus(t *testing.T, bin string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("servus %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// TestLMTPCrash: every message acknowledged over LMTP survives a kill -9
// of servus right after the last 250; after a restart all of them are
// tickets.
func TestLMTPCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the servus binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "servus")
	if out, err := exec.Command(goBin, "build", "-o", bin, "github.com/servus-desk/servus/cmd/servus").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			args := []string{"--data", t.TempDir()}
			if d == store.Postgres {
				args = append(args, "--db", storetest.PostgresURL(t))
			}
			runServus(t, bin, append([]string{"queue", "add", "--name", "Servicedesk", "--default"}, args...)...)
			runServus(t, bin, append([]string{"user", "add", "--email", "admin@example.org", "--name", "Admin", "--role", "admin"}, args...)...)
			token := strings.TrimSpace(runServus(t, bin, append([]string{"token", "create", "--email", "admin@example.org"}, args...)...))

			const n = 30
			p := startServus(t, bin, args...)
			conn, err := net.Dial("tcp", p.lmtp)
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
			if err := p.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			<-p.waited
			conn.Close()

			p = startServus(t, bin, args...)
			deadline := time.Now().Add(30 * time.Second)
			var total int
			for {
				total = ticketTotal(t, p.http, token)
				if total == n || time.Now().After(deadline) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if total != n {
				t.Fatalf("got %d tickets after the restart, want %d:\n%s", total, n, p.log.String())
			}
			if m := pendingRE.FindStringSubmatch(p.log.String()); m != nil {
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
