package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var verbs = regexp.MustCompile(`%[-+# 0]*[0-9]*[a-z]`)

// TestCatalog: every text exists in both languages with the same
// formatting verbs, and plurals come in pairs.
func TestCatalog(t *testing.T) {
	for key, m := range catalog {
		if strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "" {
			t.Errorf("%s: a language is empty: %q", key, m)
		}
		de, en := verbs.FindAllString(m[0], -1), verbs.FindAllString(m[1], -1)
		if strings.Join(de, ",") != strings.Join(en, ",") {
			t.Errorf("%s: verbs differ: de %v, en %v", key, de, en)
		}
		if base, ok := strings.CutSuffix(key, ".one"); ok && !Has(base+".other") {
			t.Errorf("%s has no .other", key)
		}
	}
}

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", "de"},
		{"en", "en"},
		{"en-GB,en;q=0.9", "en"},
		{"fr-FR,fr;q=0.9,en;q=0.8,de;q=0.7", "en"},
		{"de-AT,de;q=0.9,en;q=0.8", "de"},
		{"en;q=0.2,de;q=0.9", "de"},
		{"fr", "de"},
		{"en;q=0", "de"},
	} {
		if got := Negotiate(tc.header); got != tc.want {
			t.Errorf("Negotiate(%q): got %s, want %s", tc.header, got, tc.want)
		}
	}
}

func TestTimes(t *testing.T) {
	now := time.Date(2026, 3, 24, 13, 5, 0, 0, time.UTC) // 14:05 in Vienna
	de := New("de", "").WithClock(func() time.Time { return now })
	en := New("en", "Europe/London").WithClock(func() time.Time { return now })
	for _, tc := range []struct {
		got, want string
	}{
		{de.Time(now), "24.03.2026, 14:05"},
		{en.Time(now), "24 Mar 2026, 13:05"},
		{de.Ago(now.Add(-20 * time.Second)), "gerade eben"},
		{de.Ago(now.Add(-time.Minute)), "vor 1 Minute"},
		{en.Ago(now.Add(-5 * time.Minute)), "5 minutes ago"},
		{de.Ago(now.Add(-3 * time.Hour)), "heute, 11:05"},
		{en.Ago(now.Add(-20 * time.Hour)), "yesterday, 17:05"},
		{de.Ago(now.Add(-72 * time.Hour)), "21.03.2026, 14:05"},
		{New("xx", "Nowhere/City").Lang, "de"},
		{New("en", "Nowhere/City").Loc.String(), "Europe/Vienna"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	d, err := de.ParseDate("2026-03-24")
	if err != nil || d.In(de.Loc).Format("2006-01-02 15:04:05") != "2026-03-24 23:59:59" {
		t.Errorf("ParseDate: got %v, %v; want the end of that day in Vienna", d, err)
	}
	// Days that change to or from summer time keep their date, and the
	// German way of writing a date is read too.
	for _, tc := range []struct{ in, want string }{
		{"2027-03-28", "2027-03-28 23:59:59"},
		{"2026-10-25", "2026-10-25 23:59:59"},
		{"28.03.2027", "2027-03-28 23:59:59"},
		{"1.2.2027", "2027-02-01 23:59:59"},
	} {
		d, err := de.ParseDate(tc.in)
		if got := d.In(de.Loc).Format("2006-01-02 15:04:05"); err != nil || got != tc.want {
			t.Errorf("ParseDate(%q): got %s, %v; want %s", tc.in, got, err, tc.want)
		}
		if got := de.DateInput(d); got != tc.want[:10] {
			t.Errorf("DateInput(ParseDate(%q)): got %s, want %s", tc.in, got, tc.want[:10])
		}
	}
	for _, bad := range []string{"", "2027-02-30", "31.12", "tomorrow", "2027/01/01"} {
		if _, err := de.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q): got no error", bad)
		}
	}
	if got := Text("en", "no.such.key"); got != "[no.such.key]" {
		t.Errorf("missing key: got %q", got)
	}
}

// TestBytes: sizes in each language's number format.
func TestBytes(t *testing.T) {
	de, en := New("de", ""), New("en", "")
	for _, tc := range []struct {
		n      int64
		de, en string
	}{
		{0, "0\u00a0B", "0\u00a0B"},
		{1023, "1023\u00a0B", "1023\u00a0B"},
		{1024, "1\u00a0KB", "1\u00a0KB"},
		{12 * 1024, "12\u00a0KB", "12\u00a0KB"},
		{1<<20 - 1, "1,0\u00a0MB", "1.0\u00a0MB"},
		{3565158, "3,4\u00a0MB", "3.4\u00a0MB"},
		{25 << 20, "25\u00a0MB", "25\u00a0MB"},
		{5 << 30, "5,0\u00a0GB", "5.0\u00a0GB"},
	} {
		if got := de.Bytes(tc.n); got != tc.de {
			t.Errorf("de.Bytes(%d): got %q, want %q", tc.n, got, tc.de)
		}
		if got := en.Bytes(tc.n); got != tc.en {
			t.Errorf("en.Bytes(%d): got %q, want %q", tc.n, got, tc.en)
		}
	}
}

// TestPlurals: counts in sentences agree with their number in both
// languages.
func TestPlurals(t *testing.T) {
	de, en := New("de", ""), New("en", "")
	for _, tc := range []struct {
		got, want string
	}{
		{en.N("manage.why_tickets", 1), "It holds 1 ticket. If it is open"},
		{en.N("manage.why_tickets", 3), "It holds 3 tickets."},
		{de.N("manage.why_tickets", 1), "Sie enthält 1 Ticket. Ist es offen"},
		{en.N("manage.why_leaves", 1), "1 entry of the new-ticket assistant files"},
		{de.N("manage.why_leaves", 2), "2 Einträge des Ticket-Assistenten führen"},
		{de.N("manage.why_leaves", 1), "1 Eintrag des Ticket-Assistenten führt"},
		{en.N("manage.remove_effect", 1), "1 ticket of this queue that is not closed is assigned"},
		{de.N("manage.remove_effect", 4), "Die 4 nicht geschlossenen Tickets"},
		{de.N("manage.remove_effect", 1), "1 nicht geschlossenes Ticket dieser Queue ist"},
		{en.N("manage.disable_effects", 1), "unassigns their 1 open assigned ticket."},
		{de.N("manage.disable_effects", 0), "gibt ihre 0 offenen zugewiesenen Tickets frei"},
		{de.N("manage.disable_effects", 1), "gibt ihr 1 offenes zugewiesenes Ticket frei"},
		{en.T("manage.role_confirm", en.N("manage.n_memberships", 1), en.N("manage.n_open_tickets", 2)),
			"Yes, end the membership in 1 queue and unassign 2 open tickets if"},
		{de.T("manage.role_confirm", de.N("manage.n_memberships", 2), de.N("manage.n_open_tickets", 1)),
			"Ja, die Mitgliedschaften in 2 Queues beenden und 1 offenes Ticket freigeben"},
	} {
		if !strings.Contains(tc.got, tc.want) {
			t.Errorf("got %q, want it to contain %q", tc.got, tc.want)
		}
	}
}

// TestTimeZones: the choice is IANA's whole list, each zone loads, and the
// groups hold every zone once, with a person's legacy zone added.
func TestTimeZones(t *testing.T) {
	zones := TimeZones()
	if len(zones) < 400 {
		t.Fatalf("got %d time zones, want IANA's whole list (400 or more)", len(zones))
	}
	for _, z := range []string{"UTC", "Europe/Vienna", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "Pacific/Auckland"} {
		if !slices.Contains(zones, z) {
			t.Errorf("TimeZones lacks %s", z)
		}
	}
	for _, z := range zones {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
	groups := TimeZoneGroups("de", "Asia/Calcutta", "Nowhere/City")
	if groups[0].Label != "Europa" {
		t.Errorf("first group: got %q, want Europa", groups[0].Label)
	}
	n := 0
	for _, g := range groups {
		n += len(g.Zones)
		if strings.HasPrefix(g.Label, "[") {
			t.Errorf("group without a text: %s", g.Label)
		}
		for _, z := range g.Zones {
			if z.Name == "America/Argentina/Buenos_Aires" && z.Label != "Argentina/Buenos Aires" {
				t.Errorf("label of %s: got %q", z.Name, z.Label)
			}
		}
	}
	if want := len(zones) + 1; n != want { // Asia/Calcutta added, Nowhere/City not
		t.Errorf("got %d zones in groups, want %d", n, want)
	}
}

// TestMergeTwice: a key in two tables is a bug that stops servus at start.
func TestMergeTwice(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("merge of a key already in the catalog: got no panic")
		}
	}()
	merge("catalog_test.go", map[string][2]string{"nav.skip": {"x", "x"}})
}
