// Package samltest runs a real SAML identity provider for servus's tests:
// crewjam/saml's samlidp as its own process (the testidp command, built
// once per test process), with the test people of Users. It also makes SP
// key pairs and walks a Go HTTP client through the IdP's login form. Only
// tests import it.
package samltest

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// User is a test person of the IdP.
type User struct {
	Name, Password, Email, DisplayName, Language, Institute string
	Affiliation                                             []string // eduPersonAffiliation values
}

// Users are the IdP's people: anna is staff (the tests map staff to
// agents), carla a student; nomail has no mail address.
var Users = []User{
	{Name: "anna", Password: "pw-anna", Email: "anna@uni.example", DisplayName: "Anna Agent", Language: "en", Institute: "Physik", Affiliation: []string{"staff", "member"}},
	{Name: "carla", Password: "pw-carla", Email: "carla@uni.example", DisplayName: "Carla Student", Language: "de", Affiliation: []string{"student", "member"}},
	{Name: "nomail", Password: "pw-nomail", DisplayName: "No Mail", Affiliation: []string{"member"}},
}

// IdP is a running test identity provider.
type IdP struct {
	URL         string // http://127.0.0.1:PORT
	MetadataURL string
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the testidp command once per test process, into a
// temporary folder removed by Cleanup.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "servus-testidp-")
		if err != nil {
			buildErr = err
			return
		}
		_, file, _, _ := runtime.Caller(0)
		binPath = filepath.Join(dir, "testidp")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Dir = filepath.Join(filepath.Dir(file), "testidp")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build testidp: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// Cleanup removes the built testidp; TestMain calls it after the tests.
func Cleanup() {
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
}

// Start runs a fresh IdP for t, stopped when t ends.
func Start(t *testing.T) *IdP {
	t.Helper()
	cmd := exec.Command(binary(t))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("testidp log:\n%s", stderr.String())
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	u, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		t.Fatalf("testidp did not start: %q %v\n%s", line, err, stderr.String())
	}
	go io.Copy(io.Discard, out)
	return &IdP{URL: u, MetadataURL: u + "/metadata"}
}

// Register tells the IdP about a service provider by its metadata (as
// servus serves it at /saml/metadata).
func (p *IdP) Register(t *testing.T, name string, metadata []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, p.URL+"/services/"+name, bytes.NewReader(metadata))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("register SP %s: %s\n%s", name, resp.Status, b)
	}
}

// KeyPair writes a new RSA key and a self-signed certificate for an SP as
// PEM files into a temporary folder of t and returns their paths.
func KeyPair(t *testing.T) (keyFile, certFile string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "servus"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile, certFile = filepath.Join(dir, "saml.key"), filepath.Join(dir, "saml.crt")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return keyFile, certFile
}

// Form is an HTML form: where it posts and its fields.
type Form struct {
	Action string
	Values url.Values
}

// FirstForm reads the first form of an HTML page, resolving its action
// against base.
func FirstForm(t *testing.T, base *url.URL, page []byte) Form {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var f *Form
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		attr := func(k string) string {
			for _, a := range n.Attr {
				if a.Key == k {
					return a.Val
				}
			}
			return ""
		}
		switch {
		case n.Data == "form" && f == nil:
			action, err := base.Parse(attr("action"))
			if err != nil {
				t.Fatal(err)
			}
			f = &Form{Action: action.String(), Values: url.Values{}}
		case n.Data == "input" && f != nil && attr("name") != "":
			f.Values.Set(attr("name"), attr("value"))
		}
	}
	if f == nil {
		t.Fatalf("no form on the page:\n%s", page)
	}
	return *f
}

// LogIn follows start (servus's /login/saml) with c to the IdP's login
// form, signs user in there and returns the form the IdP answers with
// (its SAMLResponse for servus's ACS), without posting it.
func LogIn(t *testing.T, c *http.Client, start, user, password string) Form {
	t.Helper()
	resp, err := c.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", start, resp.Status, page)
	}
	login := FirstForm(t, resp.Request.URL, page)
	login.Values.Set("user", user)
	login.Values.Set("password", password)
	resp, err = c.PostForm(login.Action, login.Values)
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("IdP login of %s: %s\n%s", user, resp.Status, page)
	}
	answer := FirstForm(t, resp.Request.URL, page)
	if answer.Values.Get("SAMLResponse") == "" {
		t.Fatalf("IdP login of %s: no SAMLResponse in\n%s", user, page)
	}
	return answer
}
