package desk_test

import (
	"context"
	"database/sql"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// settingsWorld is the world on a database the test can also query by
// hand (to read the audit log, and to plant rows).
func settingsWorld(t *testing.T, dialect string) (*world, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	dir, dbURL, driver, dsn := t.TempDir(), "", "sqlite", ""
	if dialect == store.Postgres {
		dbURL = storetest.PostgresURL(t)
		driver, dsn = "pgx", dbURL
	} else {
		dsn = "file:" + filepath.Join(dir, "servus.db") + "?_pragma=busy_timeout(10000)"
	}
	db, err := store.Open(ctx, dbURL, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return newWorldOn(t, db), raw
}

// settingsAudit returns the details of the settings.update audit rows, oldest
// first, checking each names its actor.
func settingsAudit(t *testing.T, raw *sql.DB, actorID int64) []string {
	t.Helper()
	q := "SELECT actor_id, detail FROM audit_log WHERE action = 'settings.update' ORDER BY id"
	rows, err := raw.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id sql.NullInt64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			t.Fatal(err)
		}
		if id.Int64 != actorID {
			t.Errorf("audit row %q: got actor %d, want %d", d, id.Int64, actorID)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSettingsDefaults(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		got, err := w.svc.Settings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := desk.Settings{Name: "servus", FooterDE: "Servicedesk des Zentrums für Informationsdienste",
			FooterEN: "Service desk of the IT services centre", Language: "de", TimeZone: "Europe/Vienna"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("default settings (-want +got):\n%s", diff)
		}
		if got.Banner("de") != "" || got.Banner("en") != "" {
			t.Fatalf("a banner by default: %q", got.Banner("de"))
		}
	})
}

func TestUpdateSettings(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			w, raw := settingsWorld(t, d)
			ctx := context.Background()
			in := desk.DefaultSettings()
			in.Name = "  ZID Servicedesk "
			in.BannerDE = "Mail-Ausfall am Freitag 18:00–20:00"
			in.Language = "EN"
			in.TimeZone = "Europe/Berlin"
			w.clock.Add(time.Hour)
			got, err := w.svc.UpdateSettings(ctx, w.admin, in)
			if err != nil {
				t.Fatal(err)
			}
			want := desk.DefaultSettings()
			want.Name, want.BannerDE, want.Language, want.TimeZone = "ZID Servicedesk", "Mail-Ausfall am Freitag 18:00–20:00", "en", "Europe/Berlin"
			want.UpdatedAt, want.UpdatedBy = w.clock.Now(), "Ada Admin"
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("UpdateSettings answer (-want +got):\n%s", diff)
			}
			// Another Service on the same database (another instance) reads the same.
			other := desk.New(w.db, nil, desk.Options{})
			read, err := other.Settings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, read); diff != "" {
				t.Fatalf("settings read back (-want +got):\n%s", diff)
			}
			// A banner in German only shows in English too.
			if read.Banner("en") != in.BannerDE || read.Footer("en") != "Service desk of the IT services centre" {
				t.Fatalf("English banner %q, footer %q", read.Banner("en"), read.Footer("en"))
			}

			audit := settingsAudit(t, raw, w.admin.UserID)
			wantAudit := []string{`desk_name: "servus" → "ZID Servicedesk"; banner_de: "" → "Mail-Ausfall am Freitag 18:00–20:00"; ` +
				`default_language: "de" → "en"; default_time_zone: "Europe/Vienna" → "Europe/Berlin"`}
			if diff := cmp.Diff(wantAudit, audit); diff != "" {
				t.Fatalf("audit rows (-want +got):\n%s", diff)
			}

			// Saving the same again changes nothing and writes no audit row.
			if _, err := w.svc.UpdateSettings(ctx, w.admin, read); err != nil {
				t.Fatal(err)
			}
			if n := len(settingsAudit(t, raw, w.admin.UserID)); n != 1 {
				t.Fatalf("an unchanged save wrote audit rows: %d, want 1", n)
			}
			// Clearing the banner is a change, and is audited.
			read.BannerDE = ""
			if got, err := w.svc.UpdateSettings(ctx, w.admin, read); err != nil || got.Banner("de") != "" {
				t.Fatalf("clear banner: %q, %v", got.Banner("de"), err)
			}
			if a := settingsAudit(t, raw, w.admin.UserID); len(a) != 2 || a[1] != `banner_de: "Mail-Ausfall am Freitag 18:00–20:00" → ""` {
				t.Fatalf("audit after clearing the banner: %q", a)
			}

			// A saved value this build does not accept (planted by hand)
			// gives way to its default.
			if _, err := raw.Exec("UPDATE settings SET value = 'Mars/Olympus_Mons' WHERE key = 'default_time_zone'"); err != nil {
				t.Fatal(err)
			}
			if st, err := w.svc.Settings(ctx); err != nil || st.TimeZone != "Europe/Vienna" || st.Name != "ZID Servicedesk" {
				t.Fatalf("with a bad saved zone: zone %q, name %q, %v", st.TimeZone, st.Name, err)
			}
		})
	}
}

func TestUpdateSettingsRefused(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		ok := desk.DefaultSettings()
		ok.Name = "Evil"
		for _, a := range []struct {
			name string
			err  error
		}{{"agent", second(w.svc.UpdateSettings(ctx, w.agentA, ok))}, {"requester", second(w.svc.UpdateSettings(ctx, w.alice, ok))}} {
			if ticket.ErrorCode(a.err) != ticket.EFORBIDDEN {
				t.Errorf("%s: got %v, want EFORBIDDEN", a.name, a.err)
			}
		}
		long := strings.Repeat("ä", desk.MaxDeskName+1)
		for _, tc := range []struct {
			name   string
			change func(*desk.Settings)
			fields []string
		}{
			{"unknown zone", func(s *desk.Settings) { s.TimeZone = "Mars/Olympus_Mons" }, []string{"default_time_zone"}},
			{"Local zone", func(s *desk.Settings) { s.TimeZone = "Local" }, []string{"default_time_zone"}},
			{"no zone", func(s *desk.Settings) { s.TimeZone = " " }, []string{"default_time_zone"}},
			{"unknown language", func(s *desk.Settings) { s.Language = "fr" }, []string{"default_language"}},
			{"no language", func(s *desk.Settings) { s.Language = "" }, []string{"default_language"}},
			{"empty name", func(s *desk.Settings) { s.Name = "   " }, []string{"desk_name"}},
			{"long name", func(s *desk.Settings) { s.Name = long }, []string{"desk_name"}},
			{"long banner", func(s *desk.Settings) { s.BannerEN = strings.Repeat("x", desk.MaxBanner+1) }, []string{"banner_en"}},
			{"long footer", func(s *desk.Settings) { s.FooterDE = strings.Repeat("x", desk.MaxFooter+1) }, []string{"footer_de"}},
			{"control character", func(s *desk.Settings) { s.BannerDE = "Zeile 1\nZeile 2" }, []string{"banner_de"}},
			{"several at once", func(s *desk.Settings) { s.Language, s.TimeZone, s.FooterEN = "xx", "Nowhere", long+long+long+long }, []string{"default_language", "default_time_zone", "footer_en"}},
		} {
			in := desk.DefaultSettings()
			in.Name = "Would be saved"
			tc.change(&in)
			_, err := w.svc.UpdateSettings(ctx, w.admin, in)
			if ticket.ErrorCode(err) != ticket.EINVALID {
				t.Errorf("%s: got %v, want EINVALID", tc.name, err)
				continue
			}
			got := slices.Sorted(maps.Keys(ticket.ErrorFields(err)))
			if diff := cmp.Diff(tc.fields, got); diff != "" {
				t.Errorf("%s: fields (-want +got):\n%s", tc.name, diff)
			}
		}
		// The longest allowed values are fine, counted in characters.
		in := desk.DefaultSettings()
		in.Name = strings.Repeat("ä", desk.MaxDeskName)
		in.BannerEN = strings.Repeat("ü", desk.MaxBanner)
		if _, err := w.svc.UpdateSettings(ctx, w.admin, in); err != nil {
			t.Fatalf("longest values: %v", err)
		}
		// Nothing refused above was saved.
		st, err := w.svc.Settings(ctx)
		if err != nil || st.Name != in.Name || st.Language != "de" || st.TimeZone != "Europe/Vienna" || st.FooterDE != desk.DefaultSettings().FooterDE {
			t.Fatalf("after refused updates: %+v, %v", st, err)
		}
	})
}

func second[T any](_ T, err error) error { return err }

// TestDefaultLanguageForNewAccounts: an account that names no language —
// created by an admin, or by a first mail — gets the default language
// setting.
func TestDefaultLanguageForNewAccounts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		u := must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "vor@example.org", Name: "Vorher"}))
		if u.Language != "de" {
			t.Errorf("before the setting: got %q, want de", u.Language)
		}
		in := must(w.svc.Settings(ctx))
		in.Language = "en"
		must(w.svc.UpdateSettings(ctx, w.admin, in))
		u = must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "nach@example.org", Name: "Nachher"}))
		if u.Language != "en" {
			t.Errorf("created by an admin: got %q, want en", u.Language)
		}
		r := receive(t, w, testMail{From: "Neu Student <neu@example.org>", To: "servicedesk@example.org", Subject: "Hallo", Body: "Frage"}.raw(), "")
		wantOutcome(t, r, desk.OutcomeCreated)
		if got := must(w.svc.User(ctx, access.System, "neu@example.org")).Language; got != "en" {
			t.Errorf("created by a first mail: got %q, want en", got)
		}
		if got := must(w.svc.CreateUser(ctx, w.admin, desk.NewUser{Email: "de@example.org", Name: "Gewählt", Language: "de"})).Language; got != "de" {
			t.Errorf("a chosen language: got %q, want de", got)
		}
	})
}
