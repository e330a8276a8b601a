// Package optest runs a real OpenID provider for servus's tests, built on
// github.com/zitadel/oidc/v3's op package (and its example storage), in a
// process of its own: Start re-runs the test binary itself, which this
// package's init turns into the provider (no build step). The provider
// has one confidential client (ClientID, ClientSecret; code flow with
// PKCE) whose redirect URIs are any loopback port's /login/oidc/callback,
// a login form at /login/username, a groups and an institute claim, and
// test people, some of whom make it misbehave on purpose. Only tests
// import it.
package optest

import (
	"bufio"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The client servus is registered as.
const (
	ClientID     = "servus"
	ClientSecret = "servus-secret"
)

// Password returns the test person's password.
func Password(username string) string { return "pw-" + username }

// Provider is a running test provider.
type Provider struct {
	Issuer string
	cmd    *exec.Cmd
}

const envServe = "SERVUS_TESTOP_SERVE"

// init serves as the provider when Start runs this binary for it.
func init() {
	if os.Getenv(envServe) != "1" {
		return
	}
	lifetime, _ := time.ParseDuration(os.Getenv("SERVUS_TESTOP_LIFETIME"))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	os.Stdout.WriteString("issuer http://" + ln.Addr().String() + "\n")
	if err := Serve(ln, Options{IDTokenLifetime: lifetime}); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
	}
	os.Exit(1)
}

// Start runs a provider on a free loopback port until the test ends.
func Start(t testing.TB, o Options) *Provider {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envServe+"=1", "SERVUS_TESTOP_LIFETIME="+o.IDTokenLifetime.String())
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &Provider{cmd: cmd}
	t.Cleanup(p.Stop)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("optest: the provider did not start: %v", err)
	}
	p.Issuer = strings.TrimSpace(strings.TrimPrefix(line, "issuer "))
	return p
}

// Stop ends the provider (a second Stop does nothing).
func (p *Provider) Stop() {
	if p.cmd.ProcessState != nil || p.cmd.Process == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()
}

// idField finds the login form's hidden auth request ID.
var idField = regexp.MustCompile(`name="id" value="([^"]*)"`)

// SignIn fills in the provider's login form that page (a response of c,
// after following redirects to the form) shows, as username with
// password, and returns c's answer to it (redirects followed as c does).
func SignIn(t testing.TB, c *http.Client, page *http.Response, username, password string) *http.Response {
	t.Helper()
	body, err := io.ReadAll(page.Body)
	page.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	m := idField.FindSubmatch(body)
	if m == nil {
		t.Fatalf("optest: no login form at %s (%d):\n%s", page.Request.URL, page.StatusCode, body)
	}
	form := url.Values{"id": {html.UnescapeString(string(m[1]))}, "username": {username}, "password": {password}}
	u := *page.Request.URL
	u.RawQuery = ""
	resp, err := c.PostForm(u.String(), form)
	if err != nil {
		t.Fatalf("optest: posting the login form: %v", err)
	}
	return resp
}
