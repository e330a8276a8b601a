package main_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/servustest"
)

func TestMain(m *testing.M) { os.Exit(servustest.Main(m)) }

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
	data := t.TempDir()
	servustest.Run(t, "user", "add", "--data", data, "--email", "admin@zid.example", "--name", "Ada", "--role", "admin")
	servustest.Run(t, "queue", "add", "--data", data, "--name", "Servicedesk", "--default")
	token := strings.TrimSpace(servustest.Run(t, "token", "create", "--data", data, "--email", "admin@zid.example"))

	p := servustest.Start(t, servustest.Options{Data: data})
	code, tk := apiCall(t, "POST", p.URL+"/api/v1/tickets", token, `{"queue":"Servicedesk","subject":"Beamer in HS A defekt","description":"Kein Bild."}`)
	if code != http.StatusCreated {
		t.Fatalf("create ticket: got %d %v, want 201", code, tk)
	}
	p.Kill(t)

	p = servustest.Start(t, servustest.Options{Data: data})
	code, got := apiCall(t, "GET", fmt.Sprintf("%s/api/v1/tickets/%v", p.URL, tk["number"]), token, "")
	if code != http.StatusOK || got["subject"] != "Beamer in HS A defekt" {
		t.Fatalf("after kill -9 and restart: got %d %v, want the ticket", code, got)
	}

	if code := p.Stop(t); code != 0 {
		t.Errorf("after SIGTERM: exit %d, want exit 0; stderr:\n%s", code, p.Log())
	}
	if !strings.Contains(p.Log(), "msg=stopped") {
		t.Errorf("no clean stop logged; stderr:\n%s", p.Log())
	}
	if _, err := os.Stat(filepath.Join(data, "servus.db")); err != nil {
		t.Errorf("database file: %v", err)
	}
}
