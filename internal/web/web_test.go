package web_test

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// site is the web application over a temporary SQLite with the fixture.
type site struct {
	srv *httptest.Server
	svc *desk.Service
	lag *atomic.Int64 // how far desk's clock is behind the real time, where a test moves it (queue sites)
}

func newSite(t *testing.T, opts web.Options) *site {
	t.Helper()
	return newSiteWith(t, opts, desk.Options{})
}

// newSiteWith is newSite with desk options (a clock, limits); passwords are
// cheap and no mail is written.
func newSiteWith(t *testing.T, opts web.Options, do desk.Options) *site {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	seedFixture(t, db)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cheap := auth.CheapParams()
	do.PasswordParams, do.Quiet = &cheap, true
	svc := desk.New(db, blobs, do)
	h, err := web.New(svc, opts)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{srv: srv, svc: svc}
}

// client is one browser without JavaScript: cookies, no redirects followed.
type client struct {
	t    *testing.T
	s    *site
	http *http.Client
}

func (s *site) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, s: s, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(req *http.Request) answer {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header, string(b)}
}

func (c *client) get(path string, header ...string) answer {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.s.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// post sends a form as the browser does from servus's own page.
func (c *client) post(path string, form url.Values, header ...string) answer {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.s.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func (c *client) login(email, password string) answer {
	c.t.Helper()
	return c.post("/login", url.Values{"email": {email}, "password": {password}})
}

func (s *site) signedIn(t *testing.T, email string) *client {
	t.Helper()
	c := s.client(t)
	if a := c.login(email, fixturePassword); a.status != http.StatusSeeOther {
		t.Fatalf("sign-in of %s: got %d, want 303\n%s", email, a.status, a.body)
	}
	return c
}

func (s *site) actor(t *testing.T, email string) access.Actor {
	t.Helper()
	a, err := s.svc.ActorByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (s *site) ticket(t *testing.T, who, queue, subject string) *ticket.Ticket {
	t.Helper()
	tk, err := s.svc.CreateTicket(context.Background(), s.actor(t, who), desk.NewTicket{Queue: queue, Subject: subject, Description: "text", Channel: ticket.ChannelWeb})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestLogin(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	c := s.client(t)
	if a := c.get("/"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/login" {
		t.Fatalf("GET / signed out: got %d to %q, want 303 to /login", a.status, a.header.Get("Location"))
	}
	if a := c.get("/tickets/1"); a.header.Get("Location") != "/login?next=%2Ftickets%2F1" {
		t.Fatalf("GET /tickets/1 signed out: got Location %q", a.header.Get("Location"))
	}
	a := c.login(requesterEmail, "wrong password")
	if a.status != http.StatusUnauthorized || !strings.Contains(a.body, "Falsche") && !strings.Contains(a.body, "falsch") {
		t.Fatalf("wrong password: got %d, want 401 with a message\n%s", a.status, a.body)
	}
	a = c.post("/login", url.Values{"email": {requesterEmail}, "password": {fixturePassword}, "next": {"/search?q=x"}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/search?q=x" {
		t.Fatalf("sign-in: got %d to %q, want 303 to /search?q=x", a.status, a.header.Get("Location"))
	}
	cookie := a.header.Get("Set-Cookie")
	for _, want := range []string{"servus_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("session cookie %q is Secure on http", cookie)
	}
	if a := c.get("/"); a.status != http.StatusOK || !strings.Contains(a.body, "Rita Requester") {
		t.Fatalf("dashboard after sign-in: got %d", a.status)
	}
	// An open redirect is refused.
	c2 := s.client(t)
	a = c2.post("/login", url.Values{"email": {requesterEmail}, "password": {fixturePassword}, "next": {"//evil.example/"}})
	if a.header.Get("Location") != "/" {
		t.Fatalf("next=//evil.example: got Location %q, want /", a.header.Get("Location"))
	}
	// A tab is dropped by browsers: "/\t/evil.example" is "//evil.example".
	if a := c2.get("/login?next=/%09/evil.example"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/" {
		t.Fatalf("signed in, next=/%%09/evil.example: got %d to %q, want 303 to /", a.status, a.header.Get("Location"))
	}
	if a := s.client(t).get("/login?next=/%5C/evil.example"); strings.Contains(a.body, "evil.example") {
		t.Fatalf("sign-in form keeps next=/%%5C/evil.example:\n%s", a.body)
	}
	// Sign-out ends the session in the database, not just the cookie.
	if a := c.post("/logout", nil); a.status != http.StatusSeeOther {
		t.Fatalf("logout: got %d, want 303", a.status)
	}
	if a := c.get("/"); a.status != http.StatusSeeOther {
		t.Fatalf("dashboard after logout: got %d, want 303", a.status)
	}
}

func TestLoginSecureCookie(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{BaseURL: "https://servus.example.org"})
	a := s.client(t).login(requesterEmail, fixturePassword)
	cookie := a.header.Get("Set-Cookie")
	if !strings.HasPrefix(cookie, "__Host-servus_session=") || !strings.Contains(cookie, "Secure") {
		t.Fatalf("cookie behind https: got %q, want __Host- and Secure", cookie)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{LoginLimit: 3})
	c := s.client(t)
	for i := range 3 {
		if a := c.login(agentEmail, "nope"); a.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i+1, a.status)
		}
	}
	a := c.login(agentEmail, fixturePassword)
	if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") == "" || !strings.Contains(a.body, "15") {
		t.Fatalf("after 3 failures: got %d (Retry-After %q), want 429 naming the wait\n%s", a.status, a.header.Get("Retry-After"), a.body)
	}
	// Another account from the same client is still open, up to the
	// client's own limit (three times the limit) over all accounts.
	if a := c.login(requesterEmail, fixturePassword); a.status != http.StatusSeeOther {
		t.Fatalf("other e-mail from the same address: got %d, want 303", a.status)
	}
	for i := range 6 {
		if a := c.login("nobody"+strconv.Itoa(i)+"@uni.example", "nope"); a.status != http.StatusUnauthorized {
			t.Fatalf("failure %d on other accounts: got %d, want 401", i+1, a.status)
		}
	}
	if a := c.login(securityEmail, fixturePassword); a.status != http.StatusTooManyRequests {
		t.Fatalf("after 9 failures from one address: got %d, want 429", a.status)
	}
}

// TestLoginNoLockout: a client guessing one account's password cannot lock
// its owner out. The attacker is refused (and slowed before that); the
// owner, from another address with no failures, signs in at once, without
// any delay.
func TestLoginNoLockout(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		var mu sync.Mutex
		var delays []time.Duration
		sleep := func(_ context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			if d > 0 {
				delays = append(delays, d)
			}
			return nil
		}
		trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
		s, _ := newResetSite(t, dialect, web.Options{TrustedProxies: trusted, Sleep: sleep})
		attacker, victim := s.client(t), s.client(t)
		const attackerIP, victimIP = "203.0.113.66", "198.51.100.7"
		wrong := url.Values{"email": {agentEmail}, "password": {"guess"}}
		right := url.Values{"email": {agentEmail}, "password": {fixturePassword}}
		refused := 0
		for i := range 50 {
			switch a := attacker.post("/login", wrong, "X-Forwarded-For", attackerIP); a.status {
			case http.StatusUnauthorized:
				if refused > 0 {
					t.Fatalf("attempt %d: 401 after a 429", i+1)
				}
			case http.StatusTooManyRequests:
				refused++
			default:
				t.Fatalf("attempt %d: got %d, want 401 or 429", i+1, a.status)
			}
		}
		if refused != 40 {
			t.Errorf("attacker refused %d of 50 attempts, want 40 (after the first 10 failures)", refused)
		}
		if a := attacker.post("/login", right, "X-Forwarded-For", attackerIP); a.status != http.StatusTooManyRequests {
			t.Errorf("attacker's client with the right password: got %d, want 429", a.status)
		}
		mu.Lock()
		attackerDelays := len(delays)
		delays = nil
		mu.Unlock()
		if attackerDelays == 0 {
			t.Errorf("the attacker's failing attempts were never slowed")
		}
		if a := victim.post("/login", right, "X-Forwarded-For", victimIP); a.status != http.StatusSeeOther {
			t.Fatalf("victim from another address: got %d, want 303\n%s", a.status, a.body)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(delays) != 0 {
			t.Errorf("victim with no failures was delayed %v", delays)
		}
	})
}

func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	c := s.signedIn(t, requesterEmail)
	form := url.Values{"queue": {"Servicedesk"}, "subject": {"forged"}, "description": {"x"}}
	a := c.post("/tickets/new", form, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if a.status != http.StatusForbidden {
		t.Fatalf("cross-origin POST: got %d, want 403", a.status)
	}
	page, err := s.svc.Search(context.Background(), access.System, ticket.Filter{Q: "forged"})
	if err != nil || page.Total != 0 {
		t.Fatalf("cross-origin POST created a ticket (total %d, err %v)", page.Total, err)
	}
	if a := c.post("/tickets/new", form); a.status != http.StatusSeeOther {
		t.Fatalf("same-origin POST: got %d, want 303\n%s", a.status, a.body)
	}
}

func TestHiddenTicketIsNotFound(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	secret := s.ticket(t, requesterEmail, "Security", "Kennwort geleakt")
	path := "/tickets/" + strconv.FormatInt(secret.Number, 10)
	outsider := s.signedIn(t, outsiderEmail)
	a := outsider.get(path)
	if a.status != http.StatusNotFound || strings.Contains(a.body, "Kennwort geleakt") {
		t.Fatalf("non-member: got %d, want 404 without the subject", a.status)
	}
	if a := outsider.get("/tickets/999999"); a.status != http.StatusNotFound {
		t.Fatalf("missing ticket: got %d, want 404", a.status)
	}
	if a := outsider.post(path+"/entries", url.Values{"kind": {"comment"}, "body": {"hi"}}); a.status != http.StatusNotFound {
		t.Fatalf("comment on hidden ticket: got %d, want 404", a.status)
	}
	for _, p := range []string{"/", "/search", "/search?q=Kennwort"} {
		if a := outsider.get(p); strings.Contains(a.body, "Kennwort geleakt") {
			t.Fatalf("%s shows the confidential ticket to a non-member", p)
		}
	}
	if a := s.signedIn(t, securityEmail).get(path); a.status != http.StatusOK {
		t.Fatalf("member: got %d, want 200", a.status)
	}
	if a := s.signedIn(t, requesterEmail).get(path); a.status != http.StatusOK {
		t.Fatalf("requester: got %d, want 200", a.status)
	}
}

func TestStaleVersionConflict(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	tk := s.ticket(t, requesterEmail, "Servicedesk", "Monitor defekt")
	path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
	anton := s.signedIn(t, agentEmail)
	// Someone else changes the ticket after Anton loaded it at version 1.
	olga := s.actor(t, outsiderEmail)
	if _, err := s.svc.Act(context.Background(), olga, tk.Number, desk.Action{Name: "take", Version: tk.Version}); err != nil {
		t.Fatal(err)
	}
	a := anton.post(path+"/actions", url.Values{"action": {"take"}, "version": {strconv.FormatInt(tk.Version, 10)}, "seen": {"1"}})
	if a.status != http.StatusConflict || !strings.Contains(a.body, "Jemand anderes hat das Ticket geändert") {
		t.Fatalf("stale take: got %d, want 409 with the conflict message\n%s", a.status, a.body)
	}
	now, err := s.svc.Ticket(context.Background(), olga, tk.Number)
	if err != nil || now.Assignee != outsiderEmail {
		t.Fatalf("after the refused take the assignee is %q, want %s", now.Assignee, outsiderEmail)
	}
	// The same for fields.
	a = anton.post(path+"/edit", url.Values{"version": {strconv.FormatInt(tk.Version, 10)}, "subject": {"Überschrieben"}})
	if a.status != http.StatusConflict {
		t.Fatalf("stale edit: got %d, want 409", a.status)
	}
	// A comment typed on a conflicting page is kept in the form.
	a = anton.post(path+"/actions", url.Values{"action": {"resolve"}, "version": {"1"}})
	if a.status != http.StatusConflict {
		t.Fatalf("stale resolve: got %d, want 409", a.status)
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	c := s.signedIn(t, requesterEmail)
	a := c.post("/tickets/new", url.Values{"queue": {"Servicedesk"}, "subject": {"<script>alert(1)</script>"},
		"description": {`"><img src=x onerror=alert(2)>`}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("create: got %d\n%s", a.status, a.body)
	}
	a = c.get(a.header.Get("Location"))
	if strings.Contains(a.body, "<script>alert") || strings.Contains(a.body, "<img src=x") {
		t.Fatalf("ticket page renders hostile text unescaped")
	}
	if !strings.Contains(a.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatalf("ticket page lacks the escaped subject")
	}
	if csp := a.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("CSP: got %q", csp)
	}
	if a := c.get("/search?q=alert"); strings.Contains(a.body, "<script>alert") {
		t.Fatalf("search renders hostile text unescaped")
	}
}

func TestLanguages(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	c := s.client(t)
	if a := c.get("/login", "Accept-Language", "en-GB,en;q=0.9,de;q=0.5"); !strings.Contains(a.body, "Sign in to the service desk") || !strings.Contains(a.body, `lang="en"`) {
		t.Fatalf("English sign-in page expected")
	}
	if a := c.get("/login", "Accept-Language", "de-AT"); !strings.Contains(a.body, "Beim Servicedesk anmelden") {
		t.Fatalf("German sign-in page expected")
	}
	// The person's setting wins over the browser.
	anton := s.signedIn(t, agentEmail)
	if a := anton.get("/", "Accept-Language", "en"); !strings.Contains(a.body, "Mir zugewiesen") {
		t.Fatalf("Anton's setting (de) should win over Accept-Language")
	}
	if a := anton.post("/settings", url.Values{"language": {"en"}, "time_zone": {"Europe/London"}}); a.status != http.StatusSeeOther {
		t.Fatalf("save settings: got %d\n%s", a.status, a.body)
	}
	if a := anton.get("/"); !strings.Contains(a.body, "Assigned to me") {
		t.Fatalf("after switching to English the dashboard is not English")
	}
	if a := anton.post("/settings", url.Values{"language": {"en"}, "time_zone": {"Mars/Olympus"}}); a.status != http.StatusBadRequest {
		t.Fatalf("unknown time zone: got %d, want 400", a.status)
	}
	// A mistake is explained in the page's language: desk's English
	// problem text comes out German on a German page.
	rita := s.signedIn(t, requesterEmail)
	form := url.Values{"queue": {"Servicedesk"}, "subject": {strings.Repeat("x", 300)}, "description": {"Text"}}
	if a := rita.post("/tickets/new", form, "Accept-Language", "en"); !strings.Contains(a.body, "Subject (must be at most 250 characters)") {
		t.Fatalf("English problem text missing:\n%s", a.body)
	}
	if a := rita.post("/settings", url.Values{"language": {"de"}, "time_zone": {"Europe/Vienna"}}); a.status != http.StatusSeeOther {
		t.Fatalf("save settings: got %d", a.status)
	}
	if a := rita.post("/tickets/new", form); !strings.Contains(a.body, "Betreff (darf höchstens 250 Zeichen lang sein)") {
		t.Fatalf("German problem text missing:\n%s", a.body)
	}
}

func TestAttachmentUploadAndDownload(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	tk := s.ticket(t, requesterEmail, "Servicedesk", "Fehlermeldung")
	path := "/tickets/" + strconv.FormatInt(tk.Number, 10)
	c := s.signedIn(t, requesterEmail)
	var body strings.Builder
	mw := multipart.NewWriter(&body)
	mw.WriteField("kind", "comment")
	mw.WriteField("body", "Screenshot anbei.")
	fw, _ := mw.CreateFormFile("files", "fehler.html")
	io.WriteString(fw, "<script>alert(1)</script>")
	mw.Close()
	req, _ := http.NewRequest("POST", s.srv.URL+path+"/entries", strings.NewReader(body.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if a := c.do(req); a.status != http.StatusSeeOther {
		t.Fatalf("upload: got %d, want 303\n%s", a.status, a.body)
	}
	files, err := s.svc.Attachments(context.Background(), s.actor(t, requesterEmail), tk.Number)
	if err != nil || len(files) != 1 {
		t.Fatalf("attachments: got %d, %v; want 1", len(files), err)
	}
	a := c.get(path + "/attachments/" + strconv.FormatInt(files[0].ID, 10))
	if a.status != http.StatusOK || a.body != "<script>alert(1)</script>" {
		t.Fatalf("download: got %d %q", a.status, a.body)
	}
	if ct, cd, csp := a.header.Get("Content-Type"), a.header.Get("Content-Disposition"), a.header.Get("Content-Security-Policy"); ct != "application/octet-stream" ||
		!strings.HasPrefix(cd, "attachment") || !strings.Contains(csp, "sandbox") {
		t.Fatalf("an HTML file must download sandboxed: type %q, disposition %q, CSP %q", ct, cd, csp)
	}
	if a := s.signedIn(t, securityEmail).get(path + "/attachments/" + strconv.FormatInt(files[0].ID, 10)); a.status != http.StatusOK {
		t.Fatalf("staff download of a non-confidential ticket's file: got %d", a.status)
	}
}
