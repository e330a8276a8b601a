package app_test

import (
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPasswordResetJourney: someone who forgot their password asks for a
// link on the real servus (SQLite, SMTP delivery to a recorder in the
// test), gets it by mail, follows it, sets a new password and signs in
// with it; the old one no longer works, and the link works once.
func TestPasswordResetJourney(t *testing.T) {
	deadline := time.Now().Add(60 * time.Second)
	rec := startRecorder(t)
	data := t.TempDir()
	const rita = "rita@uni.example"
	servus(t, "user", "add", "--data", data, "--email", rita, "--name", "Rita Requester", "--role", "requester", "--password", "old password")
	servus(t, "user", "add", "--data", data, "--email", "admin@zid.example", "--name", "Ada Admin", "--role", "admin")
	admin := strings.TrimSpace(servus(t, "token", "create", "--data", data, "--email", "admin@zid.example"))
	base, _ := boot(t, "--data", data, "--addr", "127.0.0.1:0", "--lmtp", "127.0.0.1:0",
		"--smtp-url", "smtp://"+rec.addr+"?tls=none", "--base-url", "https://servus.uni.example")
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := func(path string, values url.Values) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(values.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Accept-Language", "en")
		res, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}

	// 1. Rita asks for a link; so does someone for an address without an account.
	if res := form("/password/forgot", url.Values{"email": {"Rita@uni.example"}}); res.StatusCode != http.StatusOK {
		t.Fatalf("forgot: %d", res.StatusCode)
	}
	if res := form("/password/forgot", url.Values{"email": {"nobody@uni.example"}}); res.StatusCode != http.StatusOK {
		t.Fatalf("forgot, unknown address: %d", res.StatusCode)
	}

	// 2. The mail arrives over SMTP with the link.
	mail := rec.wait(t, deadline, rita, 1)
	if got := mail.Header.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted %q", got)
	}
	text := textPart(t, mail)
	m := regexp.MustCompile(`https://servus\.uni\.example(/password/reset\?token=servus_[a-z2-7]+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no reset link in the mail:\n%s", text)
	}
	if !strings.Contains(text, "If you did not ask for this") {
		t.Errorf("the mail lacks the line for whoever did not ask:\n%s", text)
	}

	// 3. Rita follows the link and sets a new password.
	res, err := browser.Get(base + m[1])
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(string(page), `name="password_confirm"`) {
		t.Fatalf("reset page: %d, Referrer-Policy %q\n%s", res.StatusCode, res.Header.Get("Referrer-Policy"), page)
	}
	token := strings.TrimPrefix(m[1], "/password/reset?token=")
	res = form("/password/reset", url.Values{"token": {token}, "password": {"brand new password"}, "password_confirm": {"brand new password"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("reset: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	// 4. The new password signs in, the old one does not; the link is spent.
	if res := form("/login", url.Values{"email": {rita}, "password": {"brand new password"}}); res.StatusCode != http.StatusSeeOther ||
		!strings.Contains(res.Header.Get("Set-Cookie"), "servus_session=") {
		t.Errorf("sign-in with the new password: %d", res.StatusCode)
	}
	if res := form("/login", url.Values{"email": {rita}, "password": {"old password"}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("sign-in with the old password: %d, want 401", res.StatusCode)
	}
	if res := form("/password/reset", url.Values{"token": {token}, "password": {"third password"}, "password_confirm": {"third password"}}); res.StatusCode != http.StatusGone {
		t.Errorf("second use of the link: %d, want 410", res.StatusCode)
	}

	// 5. The outbox shows one sent reset mail, to Rita, about no ticket, without its link.
	box := call(t, "GET", base+"/api/v1/outbox", admin, nil, http.StatusOK)
	items, _ := box["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("outbox: %v, want Rita's reset mail only", box)
	}
	it := items[0].(map[string]any)
	if it["event"] != "password_reset" || it["recipient"] != rita || it["state"] != "sent" || it["ticket"] != float64(0) {
		t.Errorf("outbox item: %v", it)
	}
	for _, v := range it {
		if s, ok := v.(string); ok && strings.Contains(s, token) {
			t.Errorf("the outbox shows the link: %v", it)
		}
	}
	if got := len(rec.to(rita)); got != 1 {
		t.Errorf("Rita got %d mails, want 1", got)
	}
}

// textPart returns the decoded text/plain part of a multipart mail.
func textPart(t *testing.T, m *recorded) string {
	t.Helper()
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(strings.NewReader(m.Body), params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err != nil {
			t.Fatalf("no text part: %v\n%s", err, m.Body)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			b, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}
