package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/web"
)

// TestOutboxAndFailedMailInWords: the outbox names what a mail is about,
// and failed mail how it came in, in the page's language, not by code.
func TestOutboxAndFailedMailInWords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newMailSite(t)
	tk := s.ticket(t, requesterEmail, "Servicedesk", "Drucker")
	if _, err := s.svc.Receive(ctx, []byte(senderlessMail), desk.ChannelLMTP, ""); err != nil {
		t.Fatal(err)
	}
	admin := withAdmin(t, s)
	if err := s.svc.SetPreferences(ctx, s.actor(t, deskAdminEmail), "de", ""); err != nil {
		t.Fatal(err)
	}
	a := admin.get("/admin/outbox")
	pageHas(t, "outbox", a, ">neues Ticket</td>", `href="/tickets/`+strconv.FormatInt(tk.Number, 10)+`"`)
	pageLacks(t, "outbox", a, "<code>created</code>", ">created<")
	a = admin.get("/admin/mail/failed")
	pageHas(t, "failed mail", a, "per LMTP")
	pageLacks(t, "failed mail", a, ">lmtp<")
}

// TestEveryEventAndChannelHasWords: each outbox event and intake channel
// desk writes has a text in the catalog.
func TestEveryEventAndChannelHasWords(t *testing.T) {
	for _, e := range []string{desk.NotifyCreated, desk.NotifyMessage, desk.NotifyQuestion, desk.NotifyResolved, desk.NotifyAnswer,
		desk.NotifyComment, desk.NotifyAttached, desk.NotifyClosed, desk.NotifyReopened, desk.NotifyWithdrawn, desk.NotifyAssigned,
		desk.NotifyPasswordReset} {
		if !i18n.Has("outbox.event." + e) {
			t.Errorf("catalog lacks outbox.event.%s", e)
		}
	}
	for _, c := range []string{desk.ChannelLMTP, desk.ChannelIMAP, desk.ChannelStdin, desk.ChannelAPI} {
		if !i18n.Has("inbound.channel." + c) {
			t.Errorf("catalog lacks inbound.channel.%s", c)
		}
	}
}

// TestPasswordPagesShowDeskName: the password pages carry the desk's
// configured name, as the sign-in page does.
func TestPasswordPagesShowDeskName(t *testing.T) {
	t.Parallel()
	s := newMailSite(t)
	if a := withAdmin(t, s).post("/admin/settings", settingsForm("desk_name", "ZID Helpdesk")); a.status != http.StatusSeeOther {
		t.Fatalf("save settings: %d\n%s", a.status, a.body)
	}
	guest := s.client(t)
	for _, path := range []string{"/password/forgot", "/password/reset?token=nonsense"} {
		a := guest.get(path)
		pageHas(t, path, a, `<span>ZID Helpdesk</span>`)
		pageLacks(t, path, a, `<span>servus</span>`)
	}
}

// TestDashboardStatsAreLinks: the dashboard's counters are a list of links,
// not links that lost their role to role="listitem".
func TestDashboardStatsAreLinks(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	a := s.signedIn(t, agentEmail).get("/")
	pageHas(t, "dashboard", a, `<ul class="stats">`, `<li><a class="stat" href="#unassigned">`)
	pageLacks(t, "dashboard", a, `role="listitem"`)
}

// TestSortIsTold: the column the results are sorted by says so with
// aria-sort and in words, and the sort choice names its direction.
func TestSortIsTold(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	c := s.signedIn(t, agentEmail)
	s.ticket(t, requesterEmail, "Servicedesk", "Drucker")
	a := c.get("/search")
	// The agent reads German; a click on the sorted column turns it round.
	pageHas(t, "search", a, `aria-sort="descending"><a href="/search?sort=updated">Aktualisiert<span aria-hidden="true"> ↓</span><span class="visually-hidden"> (absteigend sortiert)</span>`,
		`>Aktualisiert, absteigend</option>`, `>Betreff, aufsteigend</option>`)
	a = c.get("/search?sort=subject")
	pageHas(t, "search by subject", a, `aria-sort="ascending"><a href="/search?sort=-subject">Betreff<span aria-hidden="true"> ↑</span>`)
	if n := strings.Count(a.body, "aria-sort="); n != 1 {
		t.Errorf("%d columns with aria-sort, want 1", n)
	}
}

// TestSettingsOfferEveryTimeZone: the settings page offers IANA's zones
// grouped by region, with the person's own selected.
func TestSettingsOfferEveryTimeZone(t *testing.T) {
	t.Parallel()
	s := newSite(t, web.Options{})
	c := s.signedIn(t, agentEmail)
	if err := s.svc.SetPreferences(context.Background(), s.actor(t, agentEmail), "en", "America/Argentina/Buenos_Aires"); err != nil {
		t.Fatal(err)
	}
	a := c.get("/settings")
	if a.status != http.StatusOK {
		t.Fatalf("settings: %d", a.status)
	}
	pageHas(t, "settings", a, `<optgroup label="Europe">`, `<optgroup label="Pacific">`, `<option value="Europe/Vienna">Vienna</option>`,
		`<option value="America/Argentina/Buenos_Aires" selected>Argentina/Buenos Aires</option>`, `<option value="UTC">UTC</option>`)
	if n, want := strings.Count(a.body, "<option value=\"")-len(i18n.Languages), len(i18n.TimeZones()); n != want {
		t.Errorf("%d time zones offered, want %d", n, want)
	}
}
