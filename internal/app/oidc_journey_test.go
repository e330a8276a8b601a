package app_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/openid/optest"
	"github.com/servus-desk/servus/internal/servustest"
)

// TestOIDCServe: the real binary, configured by a config file and
// SERVUS_OIDC_CLIENT_SECRET, offers "Sign in with Uni Login"; ada signs in
// at the real test provider and lands on her dashboard as an agent of
// Servicedesk (the group mapping's queue servus does not have is logged at
// start, the members are listed by servus queue list); the log never
// shows the client secret.
func TestOIDCServe(t *testing.T) {
	t.Parallel()
	p := optest.Start(t, optest.Options{})
	data := t.TempDir()
	servus(t, "queue", "add", "--name", "Servicedesk", "--default", "--data", data)
	conf := filepath.Join(t.TempDir(), "servus.conf")
	if err := os.WriteFile(conf, []byte(`oidc-issuer = `+p.Issuer+`
oidc-client-id = `+optest.ClientID+`
oidc-name = Uni Login
oidc-institute-claim = institute
oidc-group = zid-servicedesk -> role=agent; queues=Servicedesk, Nowhere
oidc-group = zid-admins -> role=admin
`), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := servustest.Start(t, servustest.Options{Data: data, Args: []string{"--config", conf},
		Env: map[string]string{"SERVUS_OIDC_CLIENT_SECRET": optest.ClientSecret}})
	srv.WaitLog(t, regexp.MustCompile(`oidc: the group mapping names a queue servus does not have.*queue=Nowhere`), 30*time.Second)

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(u string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Accept-Language", "en")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if _, body := get(srv.URL + "/login"); !strings.Contains(body, "Sign in with Uni Login") {
		t.Fatalf("no button on the sign-in page:\n%s", body)
	}
	page, err := c.Get(srv.URL + "/login/oidc")
	if err != nil {
		t.Fatal(err)
	}
	resp := optest.SignIn(t, c, page, "ada", optest.Password("ada"))
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != srv.URL+"/" || !strings.Contains(string(body), "Ada Agent") {
		t.Fatalf("ada landed at %s with %d:\n%s", resp.Request.URL, resp.StatusCode, body)
	}
	if resp, body := get(srv.URL + "/queues"); resp.StatusCode != http.StatusOK {
		t.Errorf("ada's queues page: got %d, want 200 (an agent's)\n%s", resp.StatusCode, body)
	}
	if list := servus(t, "queue", "list", "--data", data); !strings.Contains(list, "ada@uni.example") {
		t.Errorf("ada is no member of Servicedesk:\n%s", list)
	}
	if strings.Contains(srv.Log(), optest.ClientSecret) {
		t.Error("the log shows the client secret")
	}
}
