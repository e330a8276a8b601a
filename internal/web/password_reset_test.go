package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/web"
)

// resetClock is a test clock shared by the service and the handlers.
type resetClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *resetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *resetClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newResetSite is the web application with the fixture on dialect, with
// mail on and a clock the test moves.
func newResetSite(t *testing.T, dialect string, opts web.Options) (*site, *resetClock) {
	t.Helper()
	db := storetest.Open(t, dialect)
	seedFixture(t, db)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c := &resetClock{t: time.Now().UTC()}
	cheap := auth.CheapParams()
	svc := desk.New(db, blobs, desk.Options{PasswordParams: &cheap, Now: c.Now})
	opts.Now = c.Now
	h, err := web.New(svc, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{srv: srv, svc: svc}, c
}

// mailedTokens delivers the due reset mails (as the worker would) and
// returns their tokens by recipient.
func mailedTokens(t *testing.T, s *site) map[string]string {
	t.Helper()
	ctx := context.Background()
	ms, err := s.svc.ClaimMail(ctx, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range ms {
		if m.Reset == nil {
			t.Fatalf("mail %s to %s is no reset mail", m.Event, m.Recipient.Email)
		}
		out[m.Recipient.Email] = m.Reset.Token
		if err := s.svc.FinishMail(ctx, m.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// pageHas wants every one of wants in the page a.
func pageHas(t *testing.T, what string, a answer, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(a.body, w) {
			t.Fatalf("%s: %q missing (status %d)\n%s", what, w, a.status, a.body)
		}
	}
}

// pageLacks wants none of nots in the page a.
func pageLacks(t *testing.T, what string, a answer, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(a.body, n) {
			t.Errorf("%s: has %q (status %d)", what, n, a.status)
		}
	}
}

func TestPasswordForgotPage(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			s, _ := newResetSite(t, dialect, web.Options{})
			c := s.client(t)
			pageHas(t, "sign-in page", c.get("/login", "Accept-Language", "en"), `href="/password/forgot"`, "Forgot your password?")
			pageHas(t, "German sign-in page", c.get("/login", "Accept-Language", "de"), "Passwort vergessen?")
			a := c.get("/password/forgot", "Accept-Language", "en")
			if a.status != http.StatusOK {
				t.Fatalf("GET /password/forgot: %d", a.status)
			}
			pageHas(t, "forgot page", a, `<label for="email">`, `id="email" name="email" type="email"`, `action="/password/forgot"`, "Send link")

			// The same answer for an address with an account and one without.
			known := c.post("/password/forgot", url.Values{"email": {requesterEmail}}, "Accept-Language", "en")
			unknown := c.post("/password/forgot", url.Values{"email": {"nobody@uni.example"}}, "Accept-Language", "en")
			if known.status != http.StatusOK || unknown.status != http.StatusOK {
				t.Fatalf("known %d, unknown %d; want 200 for both", known.status, unknown.status)
			}
			pageHas(t, "confirmation", known, "If there is an account for "+requesterEmail, "Back to sign-in")
			if k, u := strings.ReplaceAll(known.body, requesterEmail, "X"), strings.ReplaceAll(unknown.body, "nobody@uni.example", "X"); k != u {
				t.Errorf("the answers differ:\n%s\n----\n%s", k, u)
			}
			if got := mailedTokens(t, s); len(got) != 1 || got[requesterEmail] == "" {
				t.Errorf("mailed %v, want one link to %s", got, requesterEmail)
			}

			pageHas(t, "German confirmation", c.post("/password/forgot", url.Values{"email": {agentEmail}}, "Accept-Language", "de"),
				"Wenn es zu "+agentEmail+" ein Konto gibt")
			if a := c.post("/password/forgot", url.Values{"email": {""}}); a.status != http.StatusBadRequest || !strings.Contains(a.body, `aria-invalid="true"`) {
				t.Errorf("no address: %d\n%s", a.status, a.body)
			}
			if a := c.post("/password/forgot", url.Values{"email": {"kein@"}}, "Accept-Language", "en"); a.status != http.StatusBadRequest ||
				!strings.Contains(a.body, "not a valid e-mail address") || !strings.Contains(a.body, `value="kein@"`) {
				t.Errorf("bad address: %d\n%s", a.status, a.body)
			}
			if a := c.post("/password/forgot", url.Values{"email": {requesterEmail}}, "Sec-Fetch-Site", "cross-site"); a.status != http.StatusForbidden {
				t.Errorf("cross-site request: %d, want 403", a.status)
			}
		})
	}
}

func TestPasswordForgotRateLimit(t *testing.T) {
	t.Parallel()
	s, _ := newResetSite(t, storetest.Dialects[0], web.Options{LoginLimit: 2})
	c := s.client(t)
	for i := range 2 {
		if a := c.post("/password/forgot", url.Values{"email": {requesterEmail}}); a.status != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, a.status)
		}
	}
	a := c.post("/password/forgot", url.Values{"email": {"someone@uni.example"}}, "Accept-Language", "en")
	if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") == "" || !strings.Contains(a.body, "Too many requests") {
		t.Fatalf("third request: %d (Retry-After %q)\n%s", a.status, a.header.Get("Retry-After"), a.body)
	}
	if got := mailedTokens(t, s); len(got) != 1 {
		t.Errorf("mailed %v, want the first two requests' links to one address", got)
	}
	// Sign-in has its own buckets.
	if a := c.login(requesterEmail, fixturePassword); a.status != http.StatusSeeOther {
		t.Errorf("sign-in after the reset limit: %d", a.status)
	}
}

func TestPasswordResetPages(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			s, clock := newResetSite(t, dialect, web.Options{})
			signedIn := s.signedIn(t, requesterEmail)
			c := s.client(t)
			c.post("/password/forgot", url.Values{"email": {requesterEmail}})
			token := mailedTokens(t, s)[requesterEmail]
			page := "/password/reset?token=" + token

			a := c.get(page, "Accept-Language", "en")
			if a.status != http.StatusOK || a.header.Get("Referrer-Policy") != "no-referrer" {
				t.Fatalf("reset page: %d, Referrer-Policy %q", a.status, a.header.Get("Referrer-Policy"))
			}
			pageHas(t, "reset page", a, `name="token" value="`+token+`"`, `value="`+requesterEmail+`"`, `<label for="password">`,
				`<label for="password_confirm">`, `autocomplete="new-password"`, "Set a new password", "This link is valid until")
			pageHas(t, "German reset page", c.get(page, "Accept-Language", "de"), "Neues Passwort festlegen")

			form := func(pw, confirm string) url.Values {
				return url.Values{"token": {token}, "password": {pw}, "password_confirm": {confirm}}
			}
			a = c.post("/password/reset", form("new password 1", "new password 2"), "Accept-Language", "en")
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, "do not match") || !strings.Contains(a.body, `value="`+token+`"`) ||
				a.header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("mismatch: %d\n%s", a.status, a.body)
			}
			a = c.post("/password/reset", form("short", "short"), "Accept-Language", "en")
			if a.status != http.StatusBadRequest || !strings.Contains(a.body, "at least 8 characters") {
				t.Errorf("short password: %d\n%s", a.status, a.body)
			}
			if a := s.client(t).login(requesterEmail, fixturePassword); a.status != http.StatusSeeOther {
				t.Fatalf("refused passwords changed the password: %d", a.status)
			}

			a = c.post("/password/reset", form("a brand new password", "a brand new password"))
			if a.status != http.StatusSeeOther || a.header.Get("Location") != "/login" {
				t.Fatalf("reset: %d to %q\n%s", a.status, a.header.Get("Location"), a.body)
			}
			pageHas(t, "sign-in page after the reset", c.get("/login", "Accept-Language", "en"), "Your password was changed. Please sign in with the new password.")
			if a := signedIn.get("/"); a.status != http.StatusSeeOther {
				t.Errorf("a session from before the reset still works: %d", a.status)
			}
			if a := s.client(t).login(requesterEmail, fixturePassword); a.status != http.StatusUnauthorized {
				t.Errorf("sign-in with the old password: %d, want 401", a.status)
			}
			if a := s.client(t).login(requesterEmail, "a brand new password"); a.status != http.StatusSeeOther {
				t.Errorf("sign-in with the new password: %d, want 303", a.status)
			}

			// The used link, a made-up one, and an expired one.
			a = c.get(page, "Accept-Language", "en")
			if a.status != http.StatusGone || a.header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("used link: %d", a.status)
			}
			pageHas(t, "used link", a, "This link was used already", `href="/password/forgot"`)
			pageLacks(t, "used link", a, `name="password"`)
			if a := c.post("/password/reset", form("another password", "another password"), "Accept-Language", "en"); a.status != http.StatusGone {
				t.Errorf("second use: %d", a.status)
			}
			made, _, _ := auth.NewToken()
			for _, p := range []string{"/password/reset?token=" + made, "/password/reset", "/password/reset?token=%3Cscript%3E"} {
				a := c.get(p, "Accept-Language", "en")
				if a.status != http.StatusNotFound || !strings.Contains(a.body, "This link is not valid") || strings.Contains(a.body, "<script>") {
					t.Errorf("GET %s: %d\n%s", p, a.status, a.body)
				}
			}
			c.post("/password/forgot", url.Values{"email": {requesterEmail}})
			late := mailedTokens(t, s)[requesterEmail]
			clock.Add(time.Hour + time.Second)
			a = c.get("/password/reset?token="+late, "Accept-Language", "en")
			if a.status != http.StatusGone {
				t.Errorf("expired link: %d", a.status)
			}
			pageHas(t, "expired link", a, "This link has expired", "valid for one hour", "Request a new link", `href="/password/forgot"`)
			pageLacks(t, "expired link", a, `name="password"`)
			pageHas(t, "expired link, German", c.get("/password/reset?token="+late, "Accept-Language", "de"), "Dieser Link ist abgelaufen")
			a = c.post("/password/reset", url.Values{"token": {late}, "password": {"too late now"}, "password_confirm": {"too late now"}}, "Accept-Language", "en")
			if a.status != http.StatusGone || !strings.Contains(a.body, "This link has expired") {
				t.Errorf("POST with an expired link: %d", a.status)
			}
		})
	}
}

// TestAdminOutboxAccountMail: the admin outbox lists reset mail, which is
// about no ticket, by its kind and recipient, never with its link; a sent
// or dropped one offers no retry (its link is gone).
func TestAdminOutboxAccountMail(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, clock := newResetSite(t, dialect, web.Options{})
			tk := s.ticket(t, requesterEmail, "Servicedesk", "Beamer in HS 1")
			s.client(t).post("/password/forgot", url.Values{"email": {agentEmail}})
			ms, err := s.svc.ClaimMail(ctx, time.Minute, 10)
			if err != nil {
				t.Fatal(err)
			}
			var token string
			for _, m := range ms {
				if m.Reset != nil {
					token = m.Reset.Token
				}
				if err := s.svc.FinishMail(ctx, m.ID, nil); err != nil {
					t.Fatal(err)
				}
			}
			s.client(t).post("/password/forgot", url.Values{"email": {securityEmail}})
			clock.Add(2 * time.Hour) // its link expires before it is sent
			if ms, err := s.svc.ClaimMail(ctx, time.Minute, 10); err != nil || len(ms) != 0 {
				t.Fatalf("claimed %d, %v; want the expired link dropped", len(ms), err)
			}
			admin := withAdmin(t, s)
			a := admin.get("/admin/outbox")
			if a.status != http.StatusOK || token == "" {
				t.Fatalf("outbox: %d (token %q)\n%s", a.status, token, a.body)
			}
			pageHas(t, "outbox", a, "Password reset", agentEmail, securityEmail, "the link expired before the mail could be sent",
				`href="/tickets/`+strconv.FormatInt(tk.Number, 10)+`"`)
			pageLacks(t, "outbox", a, token, "/password/reset", `href="/tickets/0"`, "retry")
			if n := strings.Count(a.body, ">password reset</td>"); n != 2 { // the event, in words
				t.Errorf("%d reset mails listed, want 2", n)
			}
		})
	}
}
