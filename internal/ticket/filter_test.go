package ticket_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/servus-desk/servus/internal/ticket"
)

func vienna(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Europe/Vienna")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	return loc
}

// TestFilterLanguage: what the one filter language reads, the canonical
// query it writes back, and that the canonical query reads as the same
// filter.
func TestFilterLanguage(t *testing.T) {
	loc := vienna(t)
	day := func(y, m, d int) *time.Time { t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc); return &t }
	at := func(s string) *time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		tm = tm.UTC()
		return &tm
	}
	for _, tc := range []struct {
		query string
		want  ticket.Filter
		canon string
		bad   []string // the parameters with problems
	}{
		{query: "", want: ticket.Filter{}, canon: ""},
		{query: "q=+drucker+&colour=red&utm_source=x", want: ticket.Filter{Q: "drucker"}, canon: "q=drucker"},
		{query: "q=a&q=b", want: ticket.Filter{Q: "a"}, canon: "q=a"},
		{query: "state=open,waiting&state=new&state=open&state=&state=,", want: ticket.Filter{States: []ticket.State{"open", "waiting", "new"}},
			canon: "state=open&state=waiting&state=new"},
		{query: "assignee=me&priority=urgent&sort=-due&queue=Servicedesk&requester=a@x.org",
			want:  ticket.Filter{Assignee: "me", Priority: "urgent", Sort: "-due", Queue: "Servicedesk", Requester: "a@x.org"},
			canon: "assignee=me&priority=urgent&queue=Servicedesk&requester=a%40x.org&sort=-due"},
		{query: "assignee=none", want: ticket.Filter{Assignee: "none"}, canon: "assignee=none"},
		// A date is a whole day in the zone: summer time starts in Vienna on 2026-03-29.
		{query: "created_after=2026-03-29&created_before=2026-03-29", want: ticket.Filter{CreatedAfter: day(2026, 3, 29), CreatedBefore: day(2026, 3, 30)},
			canon: "created_after=2026-03-29&created_before=2026-03-29"},
		{query: "created_after=2026-03-01T10:00:00%2B01:00&created_before=2026-03-01T23:00:00Z",
			want:  ticket.Filter{CreatedAfter: at("2026-03-01T09:00:00Z"), CreatedBefore: at("2026-03-01T23:00:00Z")},
			canon: "created_after=2026-03-01T09%3A00%3A00Z&created_before=2026-03-01"}, // 23:00 UTC starts 2 March in Vienna
		{query: "overdue=on&state=waiting&state=closed", want: ticket.Filter{Overdue: true, States: []ticket.State{"waiting", "closed"}},
			canon: "overdue=1&state=waiting&state=closed"},
		{query: "overdue=0&state=closed", want: ticket.Filter{States: []ticket.State{"closed"}}, canon: "state=closed"},
		{query: "page=2&per_page=50&sort=number", want: ticket.Filter{Page: 2, PerPage: 50, Sort: "number"}, canon: "page=2&per_page=50&sort=number"},
		{query: "target=breached,due_soon&target=breached&due_within=90m&sort=target",
			want:  ticket.Filter{Targets: []string{"breached", "due_soon"}, DueWithin: 90 * time.Minute, Sort: "target"},
			canon: "due_within=1h30m&sort=target&target=breached&target=due_soon"},
		{query: "due_within=2h", want: ticket.Filter{DueWithin: 2 * time.Hour}, canon: "due_within=2h"},
		{query: "due_within=45m&target=ok", want: ticket.Filter{DueWithin: 45 * time.Minute, Targets: []string{"ok"}}, canon: "due_within=45m&target=ok"},
		{query: "target=late&due_within=soon", bad: []string{"target", "due_within"}},
		{query: "due_within=30s", bad: []string{"due_within"}},
		{query: "due_within=-2h", bad: []string{"due_within"}},
		{query: "due_within=10000h", bad: []string{"due_within"}},
		{query: "overdue=1&state=closed", bad: []string{"state"}},
		{query: "overdue=maybe", bad: []string{"overdue"}},
		{query: "state=open,bogus&priority=highest&sort=colour", bad: []string{"state", "priority", "sort"}},
		{query: "created_after=yesterday&created_before=2026-13-01", bad: []string{"created_after", "created_before"}},
		{query: "created_after=0000-01-01T00:30:00%2B01:00", bad: []string{"created_after"}},
		{query: "page=0&per_page=101", bad: []string{"page", "per_page"}},
		{query: "page=x&per_page=-1", bad: []string{"page", "per_page"}},
		// A text search pages by number through its first MaxTextDepth
		// matches (default 25 a page); a filter without text as deep as it likes.
		{query: "q=drucker&page=50&per_page=20", want: ticket.Filter{Q: "drucker", Page: 50, PerPage: 20}, canon: "page=50&per_page=20&q=drucker"},
		{query: "q=drucker&page=40", want: ticket.Filter{Q: "drucker", Page: 40}, canon: "page=40&q=drucker"},
		{query: "q=drucker&page=51&per_page=20", bad: []string{"page"}},
		{query: "q=drucker&page=41", bad: []string{"page"}},
		{query: "state=open&page=5000&per_page=100", want: ticket.Filter{States: []ticket.State{"open"}, Page: 5000, PerPage: 100}, canon: "page=5000&per_page=100&state=open"},
		{query: "%zz", bad: []string{"query"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			f, err := ticket.ParseFilterQuery(tc.query, loc)
			if tc.bad != nil {
				var got []string
				for k := range ticket.ErrorFields(err) {
					got = append(got, k)
				}
				slices.Sort(got)
				slices.Sort(tc.bad)
				if ticket.ErrorCode(err) != ticket.EINVALID || !slices.Equal(got, tc.bad) {
					t.Fatalf("got error %v on %v, want EINVALID on %v", err, got, tc.bad)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if diff := cmp.Diff(tc.want, f); diff != "" {
				t.Errorf("filter (-want +got):\n%s", diff)
			}
			if got := f.Encode(loc); got != tc.canon {
				t.Errorf("canonical query: got %q, want %q", got, tc.canon)
			}
			roundTrip(t, f, loc)
		})
	}
}

// TestFilterEncodeRoundTrip: every filter of the language, written and
// read again, is the same filter, in any zone.
func TestFilterEncodeRoundTrip(t *testing.T) {
	loc := vienna(t)
	instant := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC) // the night summer time ends in Vienna
	midnight := time.Date(2026, 10, 25, 0, 0, 0, 0, loc)
	for _, f := range []ticket.Filter{
		{},
		{Q: "drucker & co = 100%", Queue: "Service desk", Requester: "a+b@x.org", Assignee: "me", Priority: "low", Sort: "-state"},
		{States: ticket.States, Overdue: true, Page: 100000, PerPage: 100},
		{CreatedAfter: &instant, CreatedBefore: &instant},
		{CreatedAfter: &midnight, CreatedBefore: &midnight},
		{Targets: ticket.TargetStates, DueWithin: 25*time.Hour + time.Minute, Sort: "-target"},
	} {
		for _, l := range []*time.Location{loc, time.UTC, nil} {
			roundTrip(t, f, l)
		}
	}
}

func roundTrip(t testing.TB, f ticket.Filter, loc *time.Location) {
	t.Helper()
	canon := f.Encode(loc)
	again, err := ticket.ParseFilterQuery(canon, loc)
	if err != nil || !cmp.Equal(f, again) {
		t.Errorf("%+v written as %q reads back as %+v, %v", f, canon, again, err)
	}
	if f.Validate() != nil {
		t.Errorf("%+v does not validate: %v", f, f.Validate())
	}
	if canon2 := again.Encode(loc); canon2 != canon {
		t.Errorf("%q is written again as %q", canon, canon2)
	}
}

// FuzzFilterQuery: whatever query the language reads, its canonical query
// reads as the same filter.
func FuzzFilterQuery(f *testing.F) {
	for _, s := range []string{"q=drucker&state=new,open", "created_after=2026-03-29&created_before=2026-10-25", "overdue=yes&sort=-due&page=3",
		"created_before=2026-03-01T23:00:00Z", "assignee=me&per_page=7"} {
		f.Add(s)
	}
	loc := vienna(f)
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		fl, err := ticket.ParseFilter(q, loc)
		if err != nil {
			return
		}
		roundTrip(t, fl, loc)
	})
}
