package bizhours

import (
	"errors"
	"math/rand"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Vienna also where the machine has no zoneinfo
)

var vienna = mustZone("Europe/Vienna")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at reads "2006-01-02 15:04" in Vienna.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, vienna)
	if err != nil {
		t.Fatalf("at(%q): %v", s, err)
	}
	return v
}

func calendar(t testing.TB, week string, austria bool, holidays ...string) *Calendar {
	t.Helper()
	w, err := ParseWeek(week)
	if err != nil {
		t.Fatalf("ParseWeek(%q): %v", week, err)
	}
	c := Config{Zone: "Europe/Vienna", Week: w, Austria: austria, Closures: austria}
	for _, h := range holidays {
		d, err := ParseDate(h)
		if err != nil {
			t.Fatal(err)
		}
		c.Holidays = append(c.Holidays, d)
	}
	cal, err := New(c)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return cal
}

const (
	desk   = "Mon-Thu 08:00-16:00; Fri 08:00-12:00"
	split  = "Mon-Fri 08:00-12:00,13:00-16:00"
	always = "Mon-Sun 00:00-24:00"
	night  = "Sun 01:00-04:00"
)

func TestEaster(t *testing.T) {
	for year, want := range map[int]string{
		2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28",
		2028: "2028-04-16", 2029: "2029-04-01", 2030: "2030-04-21",
		1818: "1818-03-22", 2038: "2038-04-25", 2000: "2000-04-23", 2019: "2019-04-21",
	} {
		if got := Easter(year).String(); got != want {
			t.Errorf("Easter(%d) = %s, want %s", year, got, want)
		}
	}
}

func TestAustria(t *testing.T) {
	var got []string
	for _, h := range Austria(2026, false) {
		got = append(got, h.Date.String()+" "+h.Name)
	}
	want := []string{
		"2026-01-01 Neujahr", "2026-01-06 Heilige Drei Könige", "2026-04-06 Ostermontag",
		"2026-05-01 Staatsfeiertag", "2026-05-14 Christi Himmelfahrt", "2026-05-25 Pfingstmontag",
		"2026-06-04 Fronleichnam", "2026-08-15 Mariä Himmelfahrt", "2026-10-26 Nationalfeiertag",
		"2026-11-01 Allerheiligen", "2026-12-08 Mariä Empfängnis", "2026-12-25 Christtag",
		"2026-12-26 Stefanitag",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Austria(2026) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(Austria(2026, true)); n != 15 {
		t.Errorf("with closures: got %d days, want 15", n)
	}
	// The list and the calendar's day test agree, in every year around now.
	for year := 2020; year <= 2040; year++ {
		list := map[Date]bool{}
		for _, h := range Austria(year, true) {
			list[h.Date] = true
		}
		for d := (Date{year, 1, 1}); d.Year == year; d = d.AddDays(1) {
			if got := austrianHoliday(d, true); got != list[d] {
				t.Errorf("austrianHoliday(%s) = %v, want %v", d, got, list[d])
			}
		}
	}
}

func TestAddBetween(t *testing.T) {
	tests := []struct {
		name     string
		week     string
		austria  bool
		holidays []string
		start    string
		d        time.Duration
		want     string
	}{
		{"inside the hours", desk, true, nil, "2025-03-03 10:00", 2 * time.Hour, "2025-03-03 12:00"},
		{"before opening", desk, true, nil, "2025-03-03 06:00", 2 * time.Hour, "2025-03-03 10:00"},
		{"after closing", desk, true, nil, "2025-03-03 17:00", 2 * time.Hour, "2025-03-04 10:00"},
		{"on a Sunday", desk, true, nil, "2025-03-02 11:00", 30 * time.Minute, "2025-03-03 08:30"},
		{"runs out at closing", desk, true, nil, "2025-03-07 10:00", 2 * time.Hour, "2025-03-07 12:00"},
		{"over the weekend", desk, true, nil, "2025-03-07 10:00", 4 * time.Hour, "2025-03-10 10:00"},
		{"a whole week", desk, true, nil, "2025-03-03 08:00", 36 * time.Hour, "2025-03-07 12:00"},
		{"own holiday", desk, true, []string{"2025-03-04"}, "2025-03-03 15:00", 2 * time.Hour, "2025-03-05 09:00"},
		{"Easter 2025", desk, true, nil, "2025-04-17 14:00", 8 * time.Hour, "2025-04-22 10:00"},
		{"Easter 2026", desk, true, nil, "2026-04-02 08:00", 16 * time.Hour, "2026-04-07 12:00"},
		{"Easter 2024, Ostermontag 1 April", desk, true, nil, "2024-03-28 15:00", 2 * time.Hour, "2024-03-29 09:00"},
		{"Easter 2024, Ostermontag closed", desk, true, nil, "2024-03-29 11:00", 2 * time.Hour, "2024-04-02 09:00"},
		{"Fronleichnam 2027", desk, true, nil, "2027-05-26 12:00", 8 * time.Hour, "2027-05-28 12:00"},
		{"Christi Himmelfahrt 2028", desk, true, nil, "2028-05-24 15:00", 2 * time.Hour, "2028-05-26 09:00"},
		{"Pfingstmontag 2029", desk, true, nil, "2029-05-18 11:00", 2 * time.Hour, "2029-05-22 09:00"},
		{"Ostermontag 2030", desk, true, nil, "2030-04-19 11:00", 2 * time.Hour, "2030-04-23 09:00"},
		{"Staatsfeiertag on a Thursday", desk, true, nil, "2025-04-30 15:00", 2 * time.Hour, "2025-05-02 09:00"},
		{"without Austrian holidays", desk, false, nil, "2025-04-30 15:00", 2 * time.Hour, "2025-05-01 09:00"},
		{"Christmas, 24 and 31 closed", desk, true, nil, "2025-12-23 15:00", 2 * time.Hour, "2025-12-29 09:00"},
		{"New Year", desk, true, nil, "2025-12-30 15:00", 2 * time.Hour, "2026-01-02 09:00"},
		// 36 hours a week, less 8.12., 24.–26.12., 31.12., 1.1., 6.1.: 164 hours to 9.1.,
		// six whole weeks to 20.2. (380), then 8+8+4.
		{"400 hours over Christmas", desk, true, nil, "2025-12-01 08:00", 400 * time.Hour, "2026-02-25 12:00"},
		{"spring forward, desk hours keep their wall clock", desk, true, nil, "2025-03-28 10:00", 4 * time.Hour, "2025-03-31 10:00"},
		{"fall back, desk hours keep their wall clock", desk, true, nil, "2025-10-24 10:00", 4 * time.Hour, "2025-10-27 10:00"},
		{"spring forward, open all day", always, false, nil, "2025-03-29 12:00", 24 * time.Hour, "2025-03-30 13:00"},
		{"fall back, open all day", always, false, nil, "2025-10-25 12:00", 24 * time.Hour, "2025-10-26 11:00"},
		{"spring forward, night shift shrinks", night, false, nil, "2025-03-30 00:00", 150 * time.Minute, "2025-04-06 01:30"},
		{"fall back, night shift grows", night, false, nil, "2025-10-26 00:00", 210 * time.Minute, "2025-10-26 03:30"},
		{"two intervals, inside the first", split, false, nil, "2025-03-03 11:00", 2 * time.Hour, "2025-03-03 14:00"},
		{"two intervals, in the break", split, false, nil, "2025-03-03 12:30", time.Hour, "2025-03-03 14:00"},
		{"two intervals, to the next day", split, false, nil, "2025-03-03 15:00", 5 * time.Hour, "2025-03-04 12:00"},
		{"zero", desk, true, nil, "2025-03-02 11:00", 0, "2025-03-02 11:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := calendar(t, tt.week, tt.austria, tt.holidays...)
			start, want := at(t, tt.start), at(t, tt.want)
			got := cal.Add(start, tt.d)
			if !got.Equal(want) {
				t.Errorf("Add(%s, %v) = %s, want %s", tt.start, tt.d, got.Format(time.DateTime+" MST"), want.Format(time.DateTime+" MST"))
			}
			if b := cal.Between(start, want); b != tt.d {
				t.Errorf("Between(%s, %s) = %v, want %v", tt.start, tt.want, b, tt.d)
			}
			if b := cal.Between(want, start); b != -tt.d {
				t.Errorf("Between(%s, %s) = %v, want %v", tt.want, tt.start, b, -tt.d)
			}
		})
	}
}

func TestDayLengthAcrossSummerTime(t *testing.T) {
	for _, tt := range []struct {
		week, from, to string
		want           time.Duration
	}{
		{always, "2025-03-30 00:00", "2025-03-31 00:00", 23 * time.Hour},
		{always, "2025-10-26 00:00", "2025-10-27 00:00", 25 * time.Hour},
		{always, "2025-10-25 00:00", "2025-10-26 00:00", 24 * time.Hour},
		{night, "2025-03-30 00:00", "2025-03-31 00:00", 2 * time.Hour},
		{night, "2025-10-26 00:00", "2025-10-27 00:00", 4 * time.Hour},
		{desk, "2025-03-24 00:00", "2025-03-31 00:00", 36 * time.Hour},
	} {
		cal := calendar(t, tt.week, false)
		if got := cal.Between(at(t, tt.from), at(t, tt.to)); got != tt.want {
			t.Errorf("%s: Between(%s, %s) = %v, want %v", tt.week, tt.from, tt.to, got, tt.want)
		}
	}
}

func TestDueElapsed(t *testing.T) {
	cal := calendar(t, desk, true)
	type pause = [2]string
	tests := []struct {
		name    string
		start   string
		d       time.Duration
		pauses  []pause
		want    string // "" for no due time
		elapsed map[string]time.Duration
	}{
		{"no pause", "2025-03-03 10:00", 8 * time.Hour, nil, "2025-03-04 10:00",
			map[string]time.Duration{"2025-03-03 12:00": 2 * time.Hour, "2025-03-03 20:00": 6 * time.Hour}},
		{"over a night", "2025-03-03 10:00", 8 * time.Hour, []pause{{"2025-03-03 14:00", "2025-03-04 09:00"}}, "2025-03-04 13:00",
			map[string]time.Duration{"2025-03-03 15:00": 4 * time.Hour, "2025-03-04 08:30": 4 * time.Hour, "2025-03-04 10:00": 5 * time.Hour}},
		{"over a weekend", "2025-03-07 09:00", 8 * time.Hour, []pause{{"2025-03-07 11:00", "2025-03-10 09:00"}}, "2025-03-10 15:00",
			map[string]time.Duration{"2025-03-08 12:00": 2 * time.Hour, "2025-03-10 10:00": 3 * time.Hour}},
		{"unsorted and overlapping", "2025-03-03 08:00", 4 * time.Hour, []pause{
			{"2025-03-03 10:00", "2025-03-03 11:00"}, {"2025-03-03 09:00", "2025-03-03 10:30"}, {"2025-03-03 13:00", "2025-03-03 13:30"}},
			"2025-03-03 14:30", map[string]time.Duration{"2025-03-03 11:00": time.Hour, "2025-03-03 13:15": 3 * time.Hour}},
		{"pause before the start", "2025-03-03 10:00", time.Hour, []pause{{"2025-03-02 10:00", "2025-03-03 10:30"}}, "2025-03-03 11:30", nil},
		{"pause after the due time", "2025-03-03 10:00", time.Hour, []pause{{"2025-03-03 11:00", ""}}, "2025-03-03 11:00",
			map[string]time.Duration{"2025-03-05 10:00": time.Hour}},
		{"still waiting", "2025-03-03 10:00", 4 * time.Hour, []pause{{"2025-03-03 11:00", ""}}, "",
			map[string]time.Duration{"2025-03-05 10:00": time.Hour}},
		{"backwards pause ignored", "2025-03-03 10:00", time.Hour, []pause{{"2025-03-03 10:30", "2025-03-03 10:00"}}, "2025-03-03 11:00", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pauses []Interval
			for _, p := range tt.pauses {
				iv := Interval{Start: at(t, p[0])}
				if p[1] != "" {
					iv.End = at(t, p[1])
				}
				pauses = append(pauses, iv)
			}
			start := at(t, tt.start)
			got := cal.Due(start, tt.d, pauses)
			if tt.want == "" {
				if !got.IsZero() {
					t.Errorf("Due = %s, want none", got)
				}
			} else {
				want := at(t, tt.want)
				if !got.Equal(want) {
					t.Errorf("Due = %s, want %s", got.Format(time.DateTime), want.Format(time.DateTime))
				}
				if e := cal.Elapsed(start, want, pauses); e != tt.d {
					t.Errorf("Elapsed(start, due) = %v, want %v", e, tt.d)
				}
			}
			for now, want := range tt.elapsed {
				if got := cal.Elapsed(start, at(t, now), pauses); got != want {
					t.Errorf("Elapsed at %s = %v, want %v", now, got, want)
				}
			}
		})
	}
}

func TestOpen(t *testing.T) {
	cal := calendar(t, split, true)
	for when, want := range map[string]bool{
		"2025-03-03 07:59": false, "2025-03-03 08:00": true, "2025-03-03 11:59": true,
		"2025-03-03 12:00": false, "2025-03-03 13:00": true, "2025-03-03 16:00": false,
		"2025-03-08 10:00": false, "2025-12-08 10:00": false, "2025-12-24 10:00": false,
	} {
		if got := cal.Open(at(t, when)); got != want {
			t.Errorf("Open(%s) = %v, want %v", when, got, want)
		}
	}
}

func TestState(t *testing.T) {
	due := at(t, "2025-03-03 12:00")
	for _, tt := range []struct {
		due, now time.Time
		want     string
	}{
		{due, at(t, "2025-03-03 09:00"), StateOK},
		{due, at(t, "2025-03-03 10:00"), StateDueSoon},
		{due, at(t, "2025-03-03 12:00"), StateDueSoon},
		{due, at(t, "2025-03-03 12:01"), StateBreached},
		{time.Time{}, at(t, "2025-03-03 12:01"), StateOK},
	} {
		if got := State(tt.due, tt.now, 2*time.Hour); got != tt.want {
			t.Errorf("State(%s, %s) = %s, want %s", tt.due, tt.now, got, tt.want)
		}
	}
}

func TestValidation(t *testing.T) {
	w, _ := ParseWeek(desk)
	for _, tt := range []struct {
		name string
		c    Config
		want error
	}{
		{"unknown zone", Config{Zone: "Europe/Wien", Week: w}, ErrZone},
		{"machine zone", Config{Zone: "Local", Week: w}, ErrZone},
		{"ends before start", Config{Zone: "UTC", Week: Week{1: {{16 * time.Hour, 8 * time.Hour}}}}, ErrInterval},
		{"empty interval", Config{Zone: "UTC", Week: Week{1: {{8 * time.Hour, 8 * time.Hour}}}}, ErrInterval},
		{"past midnight", Config{Zone: "UTC", Week: Week{1: {{20 * time.Hour, 25 * time.Hour}}}}, ErrInterval},
		{"seconds", Config{Zone: "UTC", Week: Week{1: {{8 * time.Hour, 9*time.Hour + time.Second}}}}, ErrInterval},
		{"overlap", Config{Zone: "UTC", Week: Week{1: {{8 * time.Hour, 12 * time.Hour}, {11 * time.Hour, 16 * time.Hour}}}}, ErrOverlap},
		{"out of order", Config{Zone: "UTC", Week: Week{1: {{13 * time.Hour, 16 * time.Hour}, {8 * time.Hour, 12 * time.Hour}}}}, ErrOverlap},
		{"closed all week", Config{Zone: "UTC"}, ErrNoHours},
		{"no such holiday", Config{Zone: "UTC", Week: w, Holidays: []Date{{2025, 2, 29}}}, ErrDate},
		{"fine", Config{Zone: "Europe/Vienna", Week: w, Austria: true}, nil},
	} {
		err := tt.c.Validate()
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("%s: Validate() = %v, want %v", tt.name, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		want error
	}{
		{"Mon-Fri", ErrSyntax},
		{"Mo-Fr 08:00-16:00", ErrSyntax},
		{"Mon 8-16", ErrSyntax},
		{"Mon 08:00-24:30", ErrSyntax},
		{"Mon 16:00-08:00", ErrInterval},
		{"Mon-Fri 08:00-12:00; Wed 11:00-13:00", ErrOverlap},
		{"", ErrNoHours},
	} {
		if _, err := ParseWeek(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ParseWeek(%q) = %v, want %v", tt.in, err, tt.want)
		}
	}
}

func TestWeekString(t *testing.T) {
	for in, want := range map[string]string{
		desk:                                  desk,
		split:                                 split,
		always:                                always,
		"fri 08:00-12:00;mon-thu 08:00-16:00": desk,
		"Sat-Mon 10:00-11:00":                 "Mon 10:00-11:00; Sat-Sun 10:00-11:00",
		"Mon 13:00-16:00; Mon 08:00-12:00":    "Mon 08:00-12:00,13:00-16:00",
	} {
		w, err := ParseWeek(in)
		if err != nil {
			t.Fatalf("ParseWeek(%q): %v", in, err)
		}
		if got := w.String(); got != want {
			t.Errorf("ParseWeek(%q).String() = %q, want %q", in, got, want)
		}
	}
}

// slowBetween counts the minutes in [a, b) whose wall clock in Vienna lies
// within the week's hours and not on a holiday: a reference that knows
// nothing of how Calendar builds its days.
func slowBetween(cal *Calendar, a, b time.Time) time.Duration {
	var sum time.Duration
	for t := a; t.Before(b); t = t.Add(time.Minute) {
		l := t.In(vienna)
		if cal.Closed(DateOf(l)) {
			continue
		}
		off := time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute
		for _, s := range cal.week[l.Weekday()] {
			if off >= s.Start && off < s.End {
				sum += time.Minute
			}
		}
	}
	return sum
}

func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	cals := map[string]*Calendar{}
	for _, w := range []string{desk, split, always, night} {
		cals[w] = calendar(t, w, true, "2026-03-04")
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 1000; i++ {
		for w, cal := range cals {
			a := base.Add(time.Duration(rng.Int63n(int64(7 * 365 * 24 * time.Hour))))
			d := time.Duration(rng.Int63n(int64(500 * time.Hour)))
			b := cal.Add(a, d)
			if got := cal.Between(a, b); got != d || b.Before(a) {
				t.Fatalf("%s: Between(%s, Add(a, %v) = %s) = %v", w, a, d, b, got)
			}
			// Closed pauses: Elapsed undoes Due.
			var pauses []Interval
			for p := a.Add(-time.Duration(rng.Int63n(int64(48 * time.Hour)))); len(pauses) < rng.Intn(5); {
				s := p.Add(time.Duration(rng.Int63n(int64(100 * time.Hour))))
				p = s.Add(time.Duration(rng.Int63n(int64(100 * time.Hour))))
				pauses = append(pauses, Interval{s, p})
			}
			due := cal.Due(a, d, pauses)
			if got := cal.Elapsed(a, due, pauses); got != d {
				t.Fatalf("%s: Elapsed(%s, Due(a, %v, %v) = %s) = %v", w, a, d, pauses, due, got)
			}
		}
	}
	// Between agrees with a minute by minute count over a few days.
	for i := 0; i < 200; i++ {
		for w, cal := range cals {
			if w == always {
				continue // 24:00 counts as a wall-clock minute only in Calendar
			}
			a := base.Add(time.Duration(rng.Int63n(7*365*24*60)) * time.Minute)
			b := a.Add(time.Duration(rng.Int63n(5*24*60)) * time.Minute)
			if got, want := cal.Between(a, b), slowBetween(cal, a, b); got != want {
				t.Fatalf("%s: Between(%s, %s) = %v, want %v", w, a.In(vienna), b.In(vienna), got, want)
			}
		}
	}
	// And over both summer time changes of several years, for the night shift.
	for year := 2024; year <= 2030; year++ {
		for _, m := range []time.Month{time.March, time.October} {
			a := time.Date(year, m, 24, 0, 0, 0, 0, vienna)
			b := a.AddDate(0, 0, 8)
			for w, cal := range cals {
				if w == always {
					continue
				}
				if got, want := cal.Between(a, b), slowBetween(cal, a, b); got != want {
					t.Errorf("%s: Between(%s, %s) = %v, want %v", w, a, b, got, want)
				}
			}
		}
	}
}

func FuzzAdd(f *testing.F) {
	f.Add(desk, int64(1741000000), int64(4*3600))
	f.Add(night, int64(1743289200), int64(9000))
	f.Add(split, int64(1761400000), int64(400*3600))
	f.Fuzz(func(t *testing.T, week string, start, seconds int64) {
		w, err := ParseWeek(week)
		if err != nil {
			return
		}
		if again, err := ParseWeek(w.String()); err != nil || again.String() != w.String() {
			t.Fatalf("ParseWeek(%q) does not read back its String %q: %v", week, w.String(), err)
		}
		cal, err := New(Config{Zone: "Europe/Vienna", Week: w, Austria: true})
		if err != nil {
			t.Fatalf("New of a parsed week: %v", err)
		}
		a := time.Unix(start%(4_000_000_000), 0) // 1843 to 2096
		d := time.Duration(seconds%(2000*3600)) * time.Second
		if d < 0 {
			d = -d
		}
		b := cal.Add(a, d)
		if b.Before(a) {
			t.Fatalf("Add(%s, %v) = %s, before the start", a, d, b)
		}
		if got := cal.Between(a, b); got != d {
			t.Fatalf("Between(%s, Add(a, %v) = %s) = %v", a, d, b, got)
		}
	})
}

func BenchmarkAdd1000Hours(b *testing.B) {
	cal := calendar(b, desk, true)
	start := time.Date(2025, 12, 1, 8, 0, 0, 0, vienna)
	for b.Loop() {
		cal.Add(start, 1000*time.Hour)
	}
}

func TestSub(t *testing.T) {
	for _, tt := range []struct {
		name, end string
		d         time.Duration
		want      string
	}{
		{"inside the hours", "2025-03-03 12:00", 2 * time.Hour, "2025-03-03 10:00"},
		{"back over the night", "2025-03-04 09:00", 2 * time.Hour, "2025-03-03 15:00"},
		{"exactly at the opening: the closing before", "2025-03-10 10:00", 2 * time.Hour, "2025-03-07 12:00"},
		{"over the weekend", "2025-03-10 09:00", 2 * time.Hour, "2025-03-07 11:00"},
		{"over Ostermontag 2026 (Good Friday is a working day)", "2026-04-07 09:00", 2 * time.Hour, "2026-04-03 11:00"},
		{"from a closed time", "2025-03-08 12:00", time.Hour, "2025-03-07 11:00"},
		{"zero", "2025-03-08 12:00", 0, "2025-03-08 12:00"},
	} {
		cal := calendar(t, desk, true)
		got := cal.Sub(at(t, tt.end), tt.d)
		if want := at(t, tt.want); !got.Equal(want) {
			t.Errorf("%s: Sub(%s, %v) = %s, want %s", tt.name, tt.end, tt.d, got.Format(time.DateTime), want.Format(time.DateTime))
		}
	}
	// Sub undoes Add where Add lands inside the hours, and Between agrees.
	rng := rand.New(rand.NewSource(2))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, w := range []string{desk, split, always, night} {
		cal := calendar(t, w, true, "2026-03-04")
		for i := 0; i < 500; i++ {
			b := base.Add(time.Duration(rng.Int63n(int64(7*365*24*time.Hour))) / time.Minute * time.Minute)
			d := time.Duration(rng.Int63n(int64(200*time.Hour))) / time.Minute * time.Minute
			a := cal.Sub(b, d)
			if a.After(b) {
				t.Fatalf("%s: Sub(%s, %v) = %s, after the end", w, b, d, a)
			}
			if got := cal.Between(a, b); got != d {
				t.Fatalf("%s: Between(Sub(%s, %v) = %s, end) = %v", w, b, d, a, got)
			}
			// Earliest: a moment before it, more than d remains (unless d is 0).
			if d > 0 && cal.Between(a.Add(-time.Minute), b) == d && cal.Open(a.Add(-time.Minute)) {
				t.Fatalf("%s: Sub(%s, %v) = %s is not the earliest", w, b, d, a)
			}
		}
	}
}
