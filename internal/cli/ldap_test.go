package cli_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/directory/slapdtest"
	"github.com/servus-desk/servus/internal/servustest"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// signInStatus posts the sign-in form of srv and returns the status.
func signInStatus(t *testing.T, srv *servustest.Server, login, password string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(url.Values{"email": {login}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestLDAPServeAndSync runs the binary against slapd on both databases:
// the directory settings and group mapping come from a config file, the
// service password from the environment; anna signs in by user name; once
// her entry is deleted, "servus ldap sync" (with the same config file)
// disables her and prints her address, and she can no longer sign in.
// The server's own periodic sync is off (ldap-sync-interval = 0): run as
// a job after the deletion, it would disable her first and leave the
// command nothing to print.
func TestLDAPServeAndSync(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s := slapdtest.Start(t)
			data := t.TempDir()
			conf := filepath.Join(t.TempDir(), "servus.conf")
			if err := os.WriteFile(conf, []byte(`addr = 127.0.0.1:0
ldap-url = `+s.URL+`
ldap-base-dn = `+slapdtest.Base+`
ldap-bind-dn = `+slapdtest.ServiceDN+`
ldap-ca-file = `+s.CAFile+`
ldap-group = `+slapdtest.NetworkDN+` -> role=agent; queues=Network
ldap-group = `+slapdtest.AdminsDN+` -> role=admin
ldap-sync-interval = 0
`), 0o600); err != nil {
				t.Fatal(err)
			}
			args := []string{"--data", data, "--config", conf}
			if d == "postgres" {
				args = append(args, "--db", storetest.PostgresURL(t))
			}
			env := map[string]string{"SERVUS_LDAP_BIND_PASSWORD": slapdtest.ServicePW}
			srv := servustest.Start(t, servustest.Options{Args: args, OwnFlags: true, Env: env})
			if !strings.Contains(srv.Log(), "queue=Network") {
				t.Errorf("the unknown queue Network is not logged:\n%s", srv.Log())
			}
			if got := signInStatus(t, srv, "anna", "pw-anna"); got != http.StatusSeeOther {
				t.Fatalf("anna: got %d, want 303; log:\n%s", got, srv.Log())
			}
			if got := signInStatus(t, srv, "anna", "wrong"); got != http.StatusUnauthorized {
				t.Errorf("anna with a wrong password: got %d, want 401", got)
			}
			s.Delete(t, slapdtest.PersonDN("anna"))
			r := servustest.Exec(t, env, "", append([]string{"ldap", "sync"}, args...)...)
			if r.Code != 0 || strings.TrimSpace(r.Stdout) != "anna@uni.example" {
				t.Fatalf("ldap sync: exit %d, stdout %q, stderr:\n%s", r.Code, r.Stdout, r.Stderr)
			}
			if got := signInStatus(t, srv, "anna", "pw-anna"); got != http.StatusUnauthorized {
				t.Errorf("anna after leaving: got %d, want 401", got)
			}
			if r := servustest.Exec(t, nil, "", "ldap", "sync", "--data", data); r.Code != 2 || !strings.Contains(r.Stderr, "--ldap-url") {
				t.Errorf("ldap sync without a directory: exit %d, stderr %q; want 2 naming --ldap-url", r.Code, r.Stderr)
			}
		})
	}
}
