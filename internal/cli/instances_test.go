package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jhillyerd/enmime/v2"

	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store/storetest"
)

var lmtpListeningRE = regexp.MustCompile(`msg="lmtp listening" addr=(\S+)`)

// mailRecorder is an SMTP server on loopback that keeps the Message-ID of
// every mail it accepts, as often as it comes.
type mailRecorder struct {
	mu  sync.Mutex
	ids map[string]int
}

func startMailRecorder(t *testing.T) (*mailRecorder, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rec := &mailRecorder{ids: map[string]int{}}
	// Recorded before the 250: a mail servus records as sent is counted
	// by the time the test reads the counts.
	sink := &smtpSink{record: func(raw string) {
		id := "unparsable"
		if env, err := enmime.ReadEnvelope(strings.NewReader(raw)); err == nil {
			id = strings.Trim(env.GetHeader("Message-ID"), "<> ")
		}
		rec.mu.Lock()
		rec.ids[id]++
		rec.mu.Unlock()
	}}
	srv := smtp.NewServer(sink)
	srv.Domain = "mx.test"
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return rec, "smtp://" + ln.Addr().String() + "?tls=none"
}

// counts returns the Message-IDs received and how often each came.
func (r *mailRecorder) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.ids))
	for k, v := range r.ids {
		out[k] = v
	}
	return out
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// haproxyConfig is the configuration the test gives haproxy: HTTP and
// LMTP to both instances, health checks on /readyz, a connection that
// fails tried again on the other instance (never a request that reached
// one: that might have been done). It is the README's example.
const haproxyConfig = `global
	maxconn 512

defaults
	timeout connect 2s
	timeout client 60s
	timeout server 60s
	retries 3
	option redispatch

frontend servus_http
	mode http
	bind 127.0.0.1:%[1]d
	default_backend servus_http

backend servus_http
	mode http
	balance roundrobin
	option forwardfor
	option httpchk
	http-check send meth GET uri /readyz
	retry-on conn-failure
	default-server check inter 200ms fall 2 rise 1
	server a %[3]s
	server b %[4]s

frontend servus_lmtp
	mode tcp
	bind 127.0.0.1:%[2]d
	default_backend servus_lmtp

backend servus_lmtp
	mode tcp
	balance roundrobin
	default-server check inter 200ms fall 2 rise 1
	server a %[5]s
	server b %[6]s
`

// startHAProxy runs Debian's haproxy in the foreground with the
// configuration above and returns its HTTP URL and LMTP address once it
// answers; it stops haproxy when t ends.
func startHAProxy(t *testing.T, httpA, httpB, lmtpA, lmtpB string) (string, string) {
	t.Helper()
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/haproxy"); serr == nil {
			bin = "/usr/sbin/haproxy"
		}
	}
	if bin == "" {
		msg := "haproxy is not installed (Debian package haproxy; .ci/run installs it)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	httpPort, lmtpPort := freePort(t), freePort(t)
	cfg := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, haproxyConfig, httpPort, lmtpPort, httpA, httpB, lmtpA, lmtpB), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-db", "-f", cfg)
	logFile, err := os.Create(filepath.Join(t.TempDir(), "haproxy.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	waitFor(t, 20*time.Second, "haproxy to answer", func() bool {
		select {
		case <-exited:
			b, _ := os.ReadFile(logFile.Name())
			t.Fatalf("haproxy exited: %s", b)
		default:
		}
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return url, fmt.Sprintf("127.0.0.1:%d", lmtpPort)
}

// TestTwoInstancesBehindHAProxy runs two servus instances, each with a data
// folder of its own, on one PostgreSQL database behind Debian's haproxy,
// drives creates with files, entries and mails over LMTP through haproxy,
// and kills one instance with SIGKILL halfway. Afterwards, through haproxy
// and so from the survivor alone: every acknowledged ticket, file (byte
// for byte), entry and mail is there, and no outgoing mail reached the
// mail server twice.
func TestTwoInstancesBehindHAProxy(t *testing.T) {
	db := storetest.PostgresURL(t)
	store := []string{"--data", t.TempDir(), "--db", db}
	admin, requester := bootstrap(t, store)
	rec, smtpURL := startMailRecorder(t)
	env := map[string]string{"SERVUS_SMTP_URL": smtpURL}
	var ins []*servustest.Server
	var lmtps []string
	for range 2 {
		s := servustest.Start(t, servustest.Options{DB: db, Env: env, Args: []string{"--lmtp", "127.0.0.1:0", "--staff-mail-window", "0", "--trusted-proxies", "127.0.0.1"}})
		ins = append(ins, s)
		lmtps = append(lmtps, s.WaitLog(t, lmtpListeningRE, 30*time.Second)[1])
	}
	url, lmtp := startHAProxy(t, ins[0].Addr, ins[1].Addr, lmtps[0], lmtps[1])

	a := newAcked()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		drive(ctx, load{url: url, lmtp: lmtp, requester: requester, admin: admin, creators: 4, mailer: 2, files: true, tag: "ha"}, a)
	}()
	// Half the load with both instances, half with the survivor.
	waitFor(t, 3*time.Minute, "the first 80 acknowledged writes", func() bool { return a.total() >= 80 })
	before := a.total()
	ins[0].Kill(t)
	killedAt := time.Now()
	waitFor(t, 3*time.Minute, "80 more acknowledged writes after the kill", func() bool { return a.total() >= before+80 })
	cancel()
	<-done
	t.Logf("acknowledged: %d tickets, %d files, %d entries, %d mails (%d before the kill); not acknowledged: %v",
		len(a.tickets), len(a.files), len(a.entries), len(a.mails), before, a.failed)

	// Every acknowledged ticket and file, through haproxy.
	for _, num := range a.tickets {
		call(t, "GET", fmt.Sprintf("%s/api/v1/tickets/%d", url, num), admin, nil, 200)
	}
	for key, want := range a.files {
		num, id, _ := strings.Cut(key, "/")
		req, _ := http.NewRequest("GET", url+"/api/v1/tickets/"+num+"/attachments/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("file %s: %v", key, err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(got, want) {
			t.Errorf("file %s through haproxy: got %d, %d bytes; want 200 and the %d bytes uploaded", key, resp.StatusCode, len(got), len(want))
		}
	}
	// Entries and mails, in the database.
	pg, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if m := missing(t, pg, "SELECT id FROM entries", a.entries); len(m) > 0 {
		t.Errorf("%d acknowledged entries are missing: %v", len(m), m)
	}
	if m := missing(t, pg, "SELECT message_id FROM inbound", a.mails); len(m) > 0 {
		t.Errorf("%d acknowledged mails are missing: %v", len(m), m)
	}
	if n := queryInt(t, pg, "SELECT COUNT(*) FROM inbound i WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.hash = i.raw_hash)"); n > 0 {
		t.Errorf("%d stored mails have no raw message in the database", n)
	}
	if len(a.tickets) < 20 || len(a.files) < 10 || len(a.mails) < 10 {
		t.Errorf("too little load to show anything: %d tickets, %d files, %d mails", len(a.tickets), len(a.files), len(a.mails))
	}
	// Outgoing mail: the survivor sends everything no dead worker holds
	// (a mail claimed by the killed instance stays leased to it); no
	// Message-ID reaches the mail server twice.
	waitFor(t, 60*time.Second, "the outbox to be sent", func() bool {
		return queryInt(t, pg, "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND locked_until < $1", time.Now().UnixMilli()) == 0
	})
	got := rec.counts()
	var dup []string
	for id, n := range got {
		if n > 1 {
			dup = append(dup, fmt.Sprintf("%s ×%d", id, n))
		}
	}
	sort.Strings(dup)
	if len(dup) > 0 {
		t.Errorf("mails delivered more than once: %v", dup)
	}
	sent := queryInt(t, pg, "SELECT COUNT(*) FROM outbox WHERE state = 'sent'")
	var sentIDs []string
	rows, err := pg.Query("SELECT message_id FROM outbox WHERE state = 'sent'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		sentIDs = append(sentIDs, id)
	}
	rows.Close()
	for _, id := range sentIDs {
		if got[id] != 1 {
			t.Errorf("outbox mail %s is sent, but the mail server got it %d times", id, got[id])
		}
	}
	held := queryInt(t, pg, "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND locked_until >= $1", killedAt.UnixMilli())
	t.Logf("outgoing: %d mails sent, %d received by the mail server, %d held by the killed instance's lease", sent, len(got), held)
}

// TestServeCopiesFolderFilesIntoPostgres: a PostgreSQL installation whose
// files an older servus kept in DATA/attachments gets them copied into the
// database at start, once; the marker left in the folder makes the next
// start skip it.
func TestServeCopiesFolderFilesIntoPostgres(t *testing.T) {
	data, db := t.TempDir(), storetest.PostgresURL(t)
	old, err := blob.Open(filepath.Join(data, "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := old.Put(strings.NewReader(fmt.Sprintf("Rechnung %d", i)), 1<<20); err != nil {
			t.Fatal(err)
		}
	}
	copiedRE := regexp.MustCompile(`msg="copied files from the data folder into the database" files=(\d+) damaged=(\d+)`)
	s := servustest.Start(t, servustest.Options{Data: data, DB: db})
	if m := copiedRE.FindStringSubmatch(s.Log()); m == nil || m[1] != "3" || m[2] != "0" {
		t.Fatalf("first start: got %q, want 3 files copied, none damaged; log:\n%s", m, s.Log())
	}
	if code := s.Stop(t); code != 0 {
		t.Fatalf("servus exited %d", code)
	}
	if _, err := os.Stat(filepath.Join(data, "attachments", ".copied-into-database")); err != nil {
		t.Fatalf("no marker after the copy: %v", err)
	}
	pg, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if n := queryInt(t, pg, "SELECT COUNT(*) FROM blobs"); n != 3 {
		t.Errorf("blobs in the database: got %d, want 3", n)
	}
	s = servustest.Start(t, servustest.Options{Data: data, DB: db})
	if m := copiedRE.FindStringSubmatch(s.Log()); m != nil {
		t.Errorf("second start copied again: %q", m)
	}
}
