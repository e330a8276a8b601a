package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildServus builds this command into a temporary folder.
func buildServus(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "servus")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// syncBuffer collects a child's output, safe to read while it writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// servus runs the binary to completion and returns its stdout.
func servus(t *testing.T, bin string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("servus %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

var listeningRE = regexp.MustCompile(`msg=listening addr=(\S+)`)

// proc is a running "servus serve".
type proc struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	exited chan error // receives Wait's result once
	err    error
	done   bool
}

// serve starts "servus serve" on port 0 and returns once it logs its
// address. The process is killed when t ends, if still running.
func serve(t *testing.T, bin, data string) *proc {
	t.Helper()
	p := &proc{stderr: &syncBuffer{}, exited: make(chan error, 1)}
	p.cmd = exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	p.cmd.Stdout, p.cmd.Stderr = io.Discard, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if !p.done {
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(p.stderr.String()); m != nil {
			p.url = "http://" + m[1]
			return p
		}
		select {
		case err := <-p.exited:
			p.done = true
			t.Fatalf("servus serve exited early (%v); stderr:\n%s", err, p.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("servus serve did not log its address within 60s; stderr:\n%s", p.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wait returns the process's exit error, within 30s.
func (p *proc) wait(t *testing.T) error {
	t.Helper()
	if p.done {
		return p.err
	}
	select {
	case p.err = <-p.exited:
		p.done = true
		return p.err
	case <-time.After(30 * time.Second):
		t.Fatal("servus did not exit within 30s")
		return nil
	}
}

func apiCall(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestKillDurability creates a ticket, kills servus with SIGKILL and finds
// the ticket after a restart on the same data folder; then stops servus with
// SIGTERM and expects a clean exit.
func TestKillDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := buildServus(t)
	data := t.TempDir()
	servus(t, bin, "user", "add", "--data", data, "--email", "admin@zid.example", "--name", "Ada", "--role", "admin")
	servus(t, bin, "queue", "add", "--data", data, "--name", "Servicedesk", "--default")
	token := strings.TrimSpace(servus(t, bin, "token", "create", "--data", data, "--email", "admin@zid.example"))

	p := serve(t, bin, data)
	code, tk := apiCall(t, "POST", p.url+"/api/v1/tickets", token, `{"queue":"Servicedesk","subject":"Beamer in HS A defekt","description":"Kein Bild."}`)
	if code != http.StatusCreated {
		t.Fatalf("create ticket: got %d %v, want 201", code, tk)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t)

	p = serve(t, bin, data)
	code, got := apiCall(t, "GET", fmt.Sprintf("%s/api/v1/tickets/%v", p.url, tk["number"]), token, "")
	if code != http.StatusOK || got["subject"] != "Beamer in HS A defekt" {
		t.Fatalf("after kill -9 and restart: got %d %v, want the ticket", code, got)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t); err != nil {
		t.Errorf("after SIGTERM: %v, want exit 0; stderr:\n%s", err, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "msg=stopped") {
		t.Errorf("no clean stop logged; stderr:\n%s", p.stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "servus.db")); err != nil {
		t.Errorf("database file: %v", err)
	}
}
