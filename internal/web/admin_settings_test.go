package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/app"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

// newSiteOn is newSite on either database; it also returns the database, so
// that a second instance can share it.
func newSiteOn(t *testing.T, dialect string, opts web.Options) (*site, *store.DB) {
	t.Helper()
	db := storetest.Open(t, dialect)
	seedFixture(t, db)
	return siteOver(t, db, opts), db
}

// siteOver is one more servus web instance over db.
func siteOver(t *testing.T, db *store.DB, opts web.Options) *site {
	t.Helper()
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cheap := auth.CheapParams()
	svc := desk.New(db, blobs, desk.Options{PasswordParams: &cheap, Quiet: true})
	h, err := web.New(svc, opts)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{srv: srv, svc: svc}
}

// forEachDB runs f against SQLite and PostgreSQL.
func forEachDB(t *testing.T, f func(t *testing.T, dialect string)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			f(t, d)
		})
	}
}

// wantIn fails unless every want is in the answer's body.
func wantIn(t *testing.T, what string, a answer, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(a.body, w) {
			t.Fatalf("%s: %q missing (status %d)\n%s", what, w, a.status, a.body)
		}
	}
}

func wantNotIn(t *testing.T, what string, a answer, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(a.body, n) {
			t.Fatalf("%s: %q should not be there\n%s", what, n, a.body)
		}
	}
}

// banner is the announcement region as the layout writes it.
func banner(label, text string) string {
	return `<div class="announcement" role="status" aria-label="` + label + `"><p>` + html.EscapeString(text) + `</p></div>`
}

// settingsForm is the settings form with the defaults, changed by kv.
func settingsForm(kv ...string) url.Values {
	d := desk.DefaultSettings()
	f := url.Values{"desk_name": {d.Name}, "footer_de": {d.FooterDE}, "footer_en": {d.FooterEN}, "banner_de": {""}, "banner_en": {""},
		"default_language": {d.Language}, "default_time_zone": {d.TimeZone}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// TestAdminSettingsHidden: the settings page does not exist for anyone
// but admins, and a refused POST changes nothing.
func TestAdminSettingsHidden(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		s, _ := newSiteOn(t, dialect, web.Options{})
		for _, who := range []string{agentEmail, requesterEmail} {
			c := s.signedIn(t, who)
			if a := c.get("/admin/settings"); a.status != http.StatusNotFound {
				t.Errorf("%s GET: got %d, want 404", who, a.status)
			}
			if a := c.post("/admin/settings", settingsForm("desk_name", "Evil", "banner_en", "pwned")); a.status != http.StatusNotFound {
				t.Errorf("%s POST: got %d, want 404", who, a.status)
			}
		}
		if st, err := s.svc.Settings(context.Background()); err != nil || st.Name != "servus" || st.BannerEN != "" {
			t.Fatalf("a refused POST changed the settings: %+v %v", st, err)
		}
		if a := s.client(t).get("/admin/settings"); a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/login") {
			t.Fatalf("signed out: got %d to %q, want 303 to /login", a.status, a.header.Get("Location"))
		}
		if a := s.client(t).post("/admin/settings", settingsForm("desk_name", "Evil")); a.status != http.StatusSeeOther {
			t.Fatalf("signed out POST: got %d, want 303", a.status)
		}
	})
}

func TestAdminSettings(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		s, _ := newSiteOn(t, dialect, web.Options{})
		admin := withAdmin(t, s) // Adele speaks English
		anon := s.client(t)

		// Before: today's look. German for a browser that asks for no
		// language, the product's name, no banner.
		a := anon.get("/login")
		wantIn(t, "sign-in page before", a, `<html lang="de">`, "<title>Anmelden · servus</title>", `<span>servus</span></a>`,
			"<p>servus · Servicedesk des Zentrums für Informationsdienste</p>")
		wantNotIn(t, "sign-in page before", a, `class="announcement"`)

		a = admin.get("/admin/settings")
		wantIn(t, "settings page", a, `href="/admin/settings" aria-current="page"`, `name="desk_name" value="servus"`,
			`<option value="de" selected>`, `value="Europe/Vienna"`, "Every setting has its default value.")
		if a.status != http.StatusOK {
			t.Fatalf("settings page: got %d", a.status)
		}
		if a := admin.get("/admin/queues"); !strings.Contains(a.body, `href="/admin/settings"`) {
			t.Fatalf("the admin navigation lacks the settings page")
		}

		// Bad input: the form again as typed, each bad field marked and
		// explained; nothing saved.
		a = admin.post("/admin/settings", settingsForm("desk_name", "ZID", "default_time_zone", "Mars/Olympus_Mons",
			"default_language", "fr", "banner_en", strings.Repeat("x", desk.MaxBanner+1)))
		if a.status != http.StatusBadRequest {
			t.Fatalf("bad settings: got %d, want 400\n%s", a.status, a.body)
		}
		wantIn(t, "bad settings", a, `role="alert"`, "Default time zone", `name="desk_name" value="ZID"`,
			`name="default_time_zone" list="s-time-zones" value="Mars/Olympus_Mons"`,
			`aria-describedby="s-time_zone-hint s-default_time_zone-err" aria-invalid="true"`,
			`<p class="field-error" id="s-default_time_zone-err">This time zone is unknown.`,
			`<p class="field-error" id="s-default_language-err">Please choose German or English.</p>`,
			`<p class="field-error" id="s-banner_en-err">At most 500 characters on one line.</p>`)
		wantNotIn(t, "bad settings", a, `id="s-desk_name-err"`)
		a = admin.post("/admin/settings", settingsForm("desk_name", "  "))
		wantIn(t, "empty name", a, `<p class="field-error" id="s-desk_name-err">Please give a name of 1 to 60 characters on one line.</p>`)
		if st, _ := s.svc.Settings(context.Background()); st.Name != "servus" || st.TimeZone != "Europe/Vienna" {
			t.Fatalf("a refused form saved something: %+v", st)
		}

		// Save.
		a = admin.post("/admin/settings", settingsForm("desk_name", "ZID Servicedesk", "footer_en", "IT services, 9–17 h",
			"banner_de", "Mail-Ausfall am Freitag 18:00–20:00", "banner_en", "Mail outage on Friday 18:00–20:00",
			"default_language", "en", "default_time_zone", "America/New_York"))
		if a.status != http.StatusSeeOther || a.header.Get("Location") != "/admin/settings" {
			t.Fatalf("save: got %d to %q, want 303 to /admin/settings\n%s", a.status, a.header.Get("Location"), a.body)
		}
		a = admin.get("/admin/settings")
		wantIn(t, "settings page after saving", a, "Settings saved.", `name="desk_name" value="ZID Servicedesk"`,
			`<option value="en" selected>`, `value="America/New_York"`, "by Adele Admin.",
			banner("Announcement", "Mail outage on Friday 18:00–20:00"))

		// A visitor without preference and without Accept-Language: the
		// new default language, the banner in it, the new name.
		a = anon.get("/login")
		wantIn(t, "sign-in page after", a, `<html lang="en">`, "<title>Sign in · ZID Servicedesk</title>", `<span>ZID Servicedesk</span></a>`,
			banner("Announcement", "Mail outage on Friday 18:00–20:00"), "<p>ZID Servicedesk · IT services, 9–17 h</p>")
		// A browser asking for German still gets German, the German banner.
		a = s.client(t).get("/login", "Accept-Language", "de-AT,de;q=0.9")
		wantIn(t, "German sign-in page", a, `<html lang="de">`, banner("Hinweis", "Mail-Ausfall am Freitag 18:00–20:00"),
			"<p>ZID Servicedesk · Servicedesk des Zentrums für Informationsdienste</p>")
		// One asking only for a language servus does not speak gets the default.
		wantIn(t, "French browser", s.client(t).get("/login", "Accept-Language", "fr-FR,fr;q=0.9"), `<html lang="en">`)
		// An unknown page shows it too.
		wantIn(t, "404 page", anon.get("/no/such/page"), banner("Announcement", "Mail outage on Friday 18:00–20:00"))

		// Signed in: the banner in the person's language, on every page.
		anton := s.signedIn(t, agentEmail) // German
		for _, p := range []string{"/", "/search", "/settings"} {
			a := anton.get(p)
			wantIn(t, "Anton's "+p, a, banner("Hinweis", "Mail-Ausfall am Freitag 18:00–20:00"), " · ZID Servicedesk</title>")
		}
		// Anton chose no time zone: he now has the new default.
		wantIn(t, "Anton's settings", anton.get("/settings"), `<option value="America/New_York" selected>`)
		rita := s.signedIn(t, requesterEmail) // English
		wantIn(t, "Rita's dashboard", rita.get("/"), banner("Announcement", "Mail outage on Friday 18:00–20:00"))

		// Clearing the banner removes it everywhere.
		if a := admin.post("/admin/settings", settingsForm("desk_name", "ZID Servicedesk", "default_language", "en")); a.status != http.StatusSeeOther {
			t.Fatalf("clear banner: got %d\n%s", a.status, a.body)
		}
		wantNotIn(t, "sign-in page without banner", anon.get("/login"), `class="announcement"`)
		wantNotIn(t, "dashboard without banner", anton.get("/"), `class="announcement"`)

		// CSRF: a POST from another site is refused and changes nothing.
		if a := admin.post("/admin/settings", settingsForm("desk_name", "Evil"), "Sec-Fetch-Site", "cross-site"); a.status != http.StatusForbidden {
			t.Fatalf("cross-site POST: got %d, want 403", a.status)
		}
		if st, _ := s.svc.Settings(context.Background()); st.Name != "ZID Servicedesk" {
			t.Fatalf("a cross-site POST changed the name to %q", st.Name)
		}
	})
}

// TestAdminSettingsInstances: several instances on one database agree. The
// one that saves shows the change at once; another takes it up when its
// copy expires, and until then serves pages without reading the settings
// again.
func TestAdminSettingsInstances(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		a, db := newSiteOn(t, dialect, web.Options{SettingsTTL: time.Hour})
		quick := siteOver(t, db, web.Options{SettingsTTL: 300 * time.Millisecond})
		slow := siteOver(t, db, web.Options{SettingsTTL: time.Hour})
		for _, s := range []*site{a, quick, slow} { // each reads (and holds) the defaults
			wantNotIn(t, "before", s.client(t).get("/login"), `class="announcement"`)
		}
		admin := withAdmin(t, a)
		if r := admin.post("/admin/settings", settingsForm("banner_de", "Wartung heute Abend")); r.status != http.StatusSeeOther {
			t.Fatalf("save: got %d\n%s", r.status, r.body)
		}
		want := banner("Hinweis", "Wartung heute Abend")
		wantIn(t, "the saving instance", a.client(t).get("/login"), want)
		wantNotIn(t, "an instance within its hour", slow.client(t).get("/login"), want)
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(quick.client(t).get("/login").body, want) {
			if time.Now().After(deadline) {
				t.Fatalf("the other instance did not take up the banner within 5s")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// runtimeSecrets are passwords given on the command line; none may show.
var runtimeSecrets = []string{"pgS3cretPW", "qS3cretPW", "smtpS3cretPW", "imapS3cretPW"}

// TestAdminSettingsRuntime: the running configuration names the database,
// mail servers and limits, and never a password.
func TestAdminSettingsRuntime(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.Data = t.TempDir()
	cfg.DB = "postgres://servus:pgS3cretPW@db.example:5432/servus?sslmode=require&password=qS3cretPW"
	cfg.SMTPURL = "smtp://mailer:smtpS3cretPW@mail.example:587?tls=required"
	cfg.Inbound.IMAP = config.URLList{"imaps://inbox:imapS3cretPW@imap.example/INBOX?to=servicedesk@zid.example"}
	cfg.Inbound.LMTP = "127.0.0.1:2424"
	cfg.SubjectPrefix = "ZID #"
	s := newSite(t, web.Options{Runtime: app.RuntimeSettings(cfg, "127.0.0.1:8080", "https://desk.zid.example")})
	a := withAdmin(t, s).get("/admin/settings")
	wantIn(t, "running configuration", a, "Running configuration",
		"<dt>Database</dt><dd><code>PostgreSQL servus@db.example:5432/servus</code></dd>",
		"<dt>SMTP server</dt><dd><code>smtp://mailer:***@mail.example:587?tls=required</code></dd>",
		"<dt>IMAP mailbox</dt><dd><code>imaps://inbox:***@imap.example:993/INBOX?to=servicedesk%40zid.example</code></dd>",
		"<dt>Mail sender</dt><dd><code>servicedesk@desk.zid.example</code></dd>",
		"<code>[ZID #1234]</code>", "<code>127.0.0.1:2424</code>", "<dt>Auto-close after</dt><dd><code>336h</code></dd>",
		"<dt>Reopen by mail within</dt><dd><code>720h</code></dd>", "<dt>Largest attachment</dt><dd><code>25 MiB</code></dd>",
		"<dt>Trusted proxies</dt><dd><span class=\"muted\">not set</span></dd>", "<dt>servus version</dt>")
	wantNotIn(t, "running configuration", a, runtimeSecrets...)
	// A name that is not in the catalog fails at start.
	if _, err := web.New(s.svc, web.Options{Runtime: []web.Setting{{Name: "runtime.nonsense", Value: "x"}}}); err == nil {
		t.Fatalf("web.New accepted a runtime setting without a text")
	}
}

// TestAdminSettingsRuntimeServed boots the real servus with passwords in
// --db (PostgreSQL, whose test server trusts and ignores it) and
// --smtp-url, and reads its settings page as an admin.
func TestAdminSettingsRuntimeServed(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		data, db := t.TempDir(), ""
		if dialect == store.Postgres {
			u, err := url.Parse(storetest.PostgresURL(t))
			if err != nil {
				t.Fatal(err)
			}
			u.User = url.UserPassword(u.User.Username(), "pgS3cretPW")
			db = u.String()
		}
		inst := bootAdmin(t, data, db, "--smtp-url", "smtp://mailer:smtpS3cretPW@127.0.0.1:1?tls=none")
		s := &site{srv: &httptest.Server{URL: inst.URL}}
		a := s.signedIn(t, deskAdminEmail).get("/admin/settings")
		wantIn(t, "served settings page", a, "Running configuration", "smtp://mailer:***@127.0.0.1:1?tls=none")
		if dialect == store.Postgres {
			wantIn(t, "served settings page", a, "PostgreSQL postgres@127.0.0.1:5432/servus_test_")
		} else {
			wantIn(t, "served settings page", a, "SQLite "+data)
		}
		wantNotIn(t, "served settings page", a, runtimeSecrets...)
	})
}

// bootAdmin is boot with the fixture plus an admin (deskAdminEmail) and
// more serve flags, on data and db (empty for SQLite), until t ends.
func bootAdmin(t *testing.T, data, db string, args ...string) *instance {
	t.Helper()
	seed(t, data, db, func(t testing.TB, d *store.DB) {
		seedFixture(t, d)
		cheap := auth.CheapParams()
		svc := desk.New(d, nil, desk.Options{PasswordParams: &cheap, Quiet: true})
		if _, err := svc.CreateUser(context.Background(), access.System, desk.NewUser{Email: deskAdminEmail, Name: "Adele Admin",
			Role: ticket.RoleAdmin, Language: "en", Password: fixturePassword}); err != nil {
			t.Fatal(err)
		}
	})
	return start(t, data, db, append([]string{"--shutdown-timeout", "5s"}, args...)...)
}

// TestAdminSettingsBrowser: in Chromium, an admin saves a desk name and an
// announcement through the form (and is told about a bad time zone
// first); the announcement then shows on the sign-in page of a browser
// that has never signed in.
func TestAdminSettingsBrowser(t *testing.T) {
	t.Parallel()
	browser(t)
	in := bootAdmin(t, t.TempDir(), "")
	admin := signIn(t, in, deskAdminEmail, fixturePassword)
	admin.open("/admin/settings")
	admin.do(chromedp.SetValue(chromedp.ID("s-desk_name"), "ZID Servicedesk"),
		chromedp.SetValue(chromedp.ID("s-banner_en"), "Mail outage on Friday 18:00–20:00"),
		chromedp.SetValue(chromedp.ID("s-default_time_zone"), "Europe/Nowhere"))
	admin.submit(`form[action="/admin/settings"] button[type=submit]`)
	if got := admin.text(`#s-default_time_zone[aria-invalid="true"] ~ .field-error`); !strings.Contains(got, "time zone is unknown") {
		t.Fatalf("bad time zone: got field error %q\n%s", got, admin.body())
	}
	if got, err := chromedp.Run(admin.ctx, chromedp.Value(chromedp.ID("s-banner_en"))); err != nil || got != "Mail outage on Friday 18:00–20:00" {
		t.Fatalf("the banner as typed is lost: %q (%v)", got, err)
	}
	admin.do(chromedp.SetValue(chromedp.ID("s-default_time_zone"), "Europe/Berlin"))
	admin.submit(`form[action="/admin/settings"] button[type=submit]`)
	if got := admin.text(".notice-ok"); !strings.Contains(got, "Settings saved") {
		t.Fatalf("after saving: notice %q\n%s", got, admin.body())
	}
	if got := admin.text(`[role="status"].announcement`); got != "Mail outage on Friday 18:00–20:00" {
		t.Fatalf("admin's banner: got %q", got)
	}
	title, err := chromedp.Run(admin.ctx, chromedp.Title())
	if err != nil || !strings.HasSuffix(title, "· ZID Servicedesk") {
		t.Fatalf("title: got %q (%v), want … · ZID Servicedesk", title, err)
	}

	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	defer cancel()
	visitor := &person{t: t, ctx: ctx, base: in.URL}
	visitor.open("/login")
	if got := visitor.text(`[role="status"].announcement`); got != "Mail outage on Friday 18:00–20:00" {
		t.Fatalf("visitor's banner: got %q\n%s", got, visitor.body())
	}
	if got := visitor.text(".brand"); got != "ZID Servicedesk" {
		t.Fatalf("visitor's header: got %q", got)
	}
}
