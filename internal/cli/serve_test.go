package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(servustest.Main(m)) }

// waitFor polls cond every 20ms until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startServe runs the servus binary's "serve" with exactly args (which
// should listen on port 0) and env, and returns once it logs its address.
// It stops the server when t ends.
func startServe(t *testing.T, env map[string]string, args ...string) *servustest.Server {
	t.Helper()
	return servustest.Start(t, servustest.Options{Args: args, OwnFlags: true, Env: env})
}

// call sends a JSON request with the bearer token (if any) and checks the
// status; it returns the decoded JSON answer.
func call(t *testing.T, method, url, token string, body any, want int) map[string]any {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: got %d %s, want %d", method, url, resp.StatusCode, b, want)
	}
	out := map[string]any{}
	if len(b) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: bad JSON %q: %v", method, url, b, err)
		}
	}
	return out
}

// getText GETs url and returns status and body.
func getText(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// mustRun runs a servus command that must succeed and returns its stdout.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	r := run(t, nil, "", args...)
	if r.code != 0 {
		t.Fatalf("servus %s: exit %d; stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// storeArgs returns the --data (and --db) flags of a fresh database of
// dialect "sqlite" or "postgres".
func storeArgs(t *testing.T, dialect string) []string {
	t.Helper()
	args := []string{"--data", t.TempDir()}
	if dialect == "postgres" {
		args = append(args, "--db", storetest.PostgresURL(t))
	}
	return args
}

// bootstrap makes an admin, a requester and the default queue with the
// command line and returns the admin's and the requester's tokens.
func bootstrap(t *testing.T, store []string) (admin, requester string) {
	t.Helper()
	with := func(args ...string) []string { return append(args, store...) }
	mustRun(t, with("user", "add", "--email", "admin@zid.example", "--name", "Ada Admin", "--role", "admin", "--password", "admin-password")...)
	mustRun(t, with("user", "add", "--email", "rita@uni.example", "--name", "Rita Requester", "--role", "requester")...)
	mustRun(t, with("queue", "add", "--name", "Servicedesk", "--default")...)
	mustRun(t, with("queue", "member", "--name", "Servicedesk", "--email", "admin@zid.example")...)
	admin = strings.TrimSpace(mustRun(t, with("token", "create", "--email", "admin@zid.example")...))
	requester = strings.TrimSpace(mustRun(t, with("token", "create", "--email", "rita@uni.example")...))
	return admin, requester
}

var dialects = []string{"sqlite", "postgres"}

// TestServeEndToEnd boots the real servus on port 0, checks its operational
// endpoints, drives the API with tokens made by the command line on the
// same database while it runs, and shuts it down with a request in flight.
func TestServeEndToEnd(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) { testServeEndToEnd(t, dialect) })
	}
}

func testServeEndToEnd(t *testing.T, dialect string) {
	store := storeArgs(t, dialect)
	in := startServe(t, nil, append([]string{"--addr", "127.0.0.1:0"}, store...)...)

	if code, body := getText(t, in.URL+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("GET /healthz: got %d %q, want 200 ok", code, body)
	}
	if code, body := getText(t, in.URL+"/readyz"); code != 200 {
		t.Errorf("GET /readyz: got %d %q, want 200", code, body)
	}

	// The command line works on the database while servus serves it.
	admin, requester := bootstrap(t, store)

	tk := call(t, "POST", in.URL+"/api/v1/tickets", requester, map[string]any{
		"queue": "Servicedesk", "subject": "Drucker im 2. Stock druckt nicht", "description": "Seit heute früh.",
	}, http.StatusCreated)
	num, ok := tk["number"].(float64)
	if !ok || num < 1 {
		t.Fatalf("created ticket has no number: %v", tk)
	}
	ticketURL := fmt.Sprintf("%s/api/v1/tickets/%d", in.URL, int64(num))
	got := call(t, "GET", ticketURL, admin, nil, http.StatusOK)
	if got["subject"] != "Drucker im 2. Stock druckt nicht" || got["state"] != "new" || got["requester"] != "rita@uni.example" || got["queue"] != "Servicedesk" {
		t.Errorf("GET ticket as admin: got %v", got)
	}
	call(t, "GET", ticketURL, "", nil, http.StatusUnauthorized)
	call(t, "GET", ticketURL, "not-a-token", nil, http.StatusUnauthorized)
	list := call(t, "GET", in.URL+"/api/v1/tickets", requester, nil, http.StatusOK)
	if list["total"] != float64(1) {
		t.Errorf("requester's ticket list: got %v, want total 1", list)
	}

	_, metrics := getText(t, in.URL+"/metrics")
	for _, want := range []string{"go_goroutines", "process_resident_memory_bytes", `servus_http_requests_total{code="201",method="POST"`, `route="GET /healthz"`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("GET /metrics lacks %q", want)
		}
	}
	if !strings.Contains(in.Log(), "msg=request method=POST path=/api/v1/tickets") {
		t.Errorf("request not logged; stderr:\n%s", in.Log())
	}

	// Graceful shutdown: a request that servus has begun to handle when its
	// context ends still completes.
	finished := shutdownWithRequestInFlight(t, in, ticketURL+"/entries", admin,
		`{"kind":"comment","body":"Toner getauscht, bitte testen.","visibility":"public"}`)
	if finished != http.StatusCreated {
		t.Errorf("request in flight at shutdown: got %d, want 201", finished)
	}
	if code := in.Stop(t); code != 0 {
		t.Errorf("serve exit code after shutdown: got %d, want 0; stderr:\n%s", code, in.Log())
	}

	// The comment made it to the database: serve again and look.
	in2 := startServe(t, nil, append([]string{"--addr", "127.0.0.1:0"}, store...)...)
	req, _ := http.NewRequest("GET", strings.Replace(ticketURL, in.URL, in2.URL, 1)+"/entries", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Toner getauscht") {
		t.Errorf("after restart, entries: got %d %s; want the comment sent during shutdown", resp.StatusCode, b)
	}
}

// shutdownWithRequestInFlight starts a POST whose handler is running (the
// server asked for its body with 100 Continue), sends the server SIGTERM,
// waits until the server refuses new connections, then sends the body and
// returns the status the request got.
func shutdownWithRequestInFlight(t *testing.T, in *servustest.Server, url, token, body string) int {
	t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", url, pr)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Expect", "100-continue")
	handling := make(chan struct{})
	var once sync.Once
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		Got100Continue: func() { once.Do(func() { close(handling) }) },
	}))
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Minute}}
	defer client.CloseIdleConnections()

	type answer struct {
		status int
		err    error
	}
	answers := make(chan answer, 1)
	go func() {
		resp, err := client.Do(req)
		if err != nil {
			answers <- answer{err: err}
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		answers <- answer{status: resp.StatusCode}
	}()

	select {
	case <-handling:
	case a := <-answers:
		t.Fatalf("request answered before its body was sent: %d %v", a.status, a.err)
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not ask for the request body within 30s")
	}

	in.Terminate()
	host := strings.TrimPrefix(in.URL, "http://")
	waitFor(t, 20*time.Second, "the listener to close", func() bool {
		c, err := net.DialTimeout("tcp", host, time.Second)
		if err != nil {
			return true
		}
		c.Close()
		return false
	})

	if _, err := io.WriteString(pw, body); err != nil {
		t.Fatalf("send body: %v", err)
	}
	pw.Close()
	select {
	case a := <-answers:
		if a.err != nil {
			t.Fatalf("request in flight at shutdown failed: %v", a.err)
		}
		return a.status
	case <-time.After(30 * time.Second):
		t.Fatal("no answer to the request in flight within 30s")
		return 0
	}
}

// TestAutoClose runs servus with --auto-close-after 1s: a resolved ticket is
// closed by the background loop with reason auto-closed.
func TestAutoClose(t *testing.T) {
	for _, dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			store := storeArgs(t, dialect)
			admin, requester := bootstrap(t, store)
			in := startServe(t, nil, append([]string{"--addr", "127.0.0.1:0", "--auto-close-after", "1s"}, store...)...)

			tk := call(t, "POST", in.URL+"/api/v1/tickets", requester, map[string]any{
				"queue": "Servicedesk", "subject": "VPN bricht ab", "description": "Nach 5 Minuten.",
			}, http.StatusCreated)
			url := fmt.Sprintf("%s/api/v1/tickets/%v", in.URL, tk["number"])
			res := call(t, "POST", url+"/actions", admin, map[string]any{"action": "resolve"}, http.StatusOK)
			if res["state"] != "resolved" {
				t.Fatalf("after resolve: got %v, want state resolved", res)
			}
			resolved := time.Now()
			var got map[string]any
			waitFor(t, 20*time.Second, "the ticket to be auto-closed", func() bool {
				got = call(t, "GET", url, admin, nil, http.StatusOK)
				return got["state"] == "closed"
			})
			if got["close_reason"] != "auto-closed" {
				t.Errorf("closed ticket: got close_reason %v, want auto-closed", got["close_reason"])
			}
			if waited := time.Since(resolved); waited < 900*time.Millisecond {
				t.Errorf("closed after %v, before --auto-close-after 1s passed", waited)
			}
			if !strings.Contains(in.Log(), "auto-closed tickets") {
				t.Errorf("auto-close not logged; stderr:\n%s", in.Log())
			}
		})
	}
}

// TestServeDemo seeds the demo on start and signs in with what it prints.
func TestServeDemo(t *testing.T) {
	data := t.TempDir()
	in := startServe(t, nil, "--data", data, "--addr", "127.0.0.1:0", "--demo")
	out := in.Stdout()
	if !strings.Contains(out, in.URL) {
		t.Errorf("demo output lacks the URL %s:\n%s", in.URL, out)
	}
	m := regexp.MustCompile(`Bearer (\S+)'`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("demo output lacks an API token:\n%s", out)
	}
	list := call(t, "GET", in.URL+"/api/v1/tickets", m[1], nil, http.StatusOK)
	if total, _ := list["total"].(float64); total < 1 {
		t.Errorf("demo admin sees no tickets: %v", list)
	}
	if !strings.Contains(out, "admin") || !strings.Contains(out, "@") {
		t.Errorf("demo output lacks the logins:\n%s", out)
	}
	if code := in.Stop(t); code != 0 {
		t.Fatalf("exit code: got %d, want 0", code)
	}

	// A second start with --demo leaves the database alone and still serves.
	in = startServe(t, nil, "--data", data, "--addr", "127.0.0.1:0", "--demo")
	again := in.Stdout()
	if !strings.Contains(again, "not empty") {
		t.Errorf("second --demo start: got %q, want a note that nothing was seeded", again)
	}
	// It says how to make an API token for an admin, and that works.
	tm := regexp.MustCompile(`servus token create --email (\S+@\S+)`).FindStringSubmatch(again)
	if tm == nil {
		t.Fatalf("second --demo start: got %q, want how to make an admin token", again)
	}
	r := run(t, nil, "", "token", "create", "--email", tm[1], "--data", data)
	if r.code != 0 {
		t.Fatalf("token create --email %s: exit %d", tm[1], r.code)
	}
	call(t, "GET", in.URL+"/api/v1/users", strings.TrimSpace(r.stdout), nil, http.StatusOK) // admins only
	// The demo command refuses a database that is not empty.
	if r := run(t, nil, "", "demo", "--data", data); r.code != 1 {
		t.Errorf("servus demo on a seeded database: exit %d, want 1", r.code)
	}
}

// TestServeConfigFile serves with settings from a config file, JSON logs
// and the database from the environment.
func TestServeConfigFile(t *testing.T) {
	data := t.TempDir()
	conf := filepath.Join(t.TempDir(), "servus.conf")
	text := fmt.Sprintf("# servus test settings\naddr = 127.0.0.1:0\nlog-format = json\nbase-url = \"https://desk.example/servus\"\ndata = /nonexistent/overridden/by/env\n")
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	in := startServe(t, map[string]string{"SERVUS_DATA": data}, "--config", conf)
	if !strings.Contains(in.Log(), `"url":"https://desk.example/servus"`) {
		t.Errorf("base URL from the file not used; stderr:\n%s", in.Log())
	}
	if _, err := os.Stat(filepath.Join(data, "servus.db")); err != nil {
		t.Errorf("SERVUS_DATA not used over the file's data: %v", err)
	}
	if code, _ := getText(t, in.URL+"/healthz"); code != 200 {
		t.Errorf("GET /healthz: got %d", code)
	}
}

// TestServeListenError fails with exit 1 when the address is taken.
func TestServeListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := run(t, nil, "", "serve", "--data", t.TempDir(), "--addr", ln.Addr().String())
	if r.code != 1 || !strings.Contains(r.stderr, "listen on") {
		t.Errorf("serve on a taken port: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}
