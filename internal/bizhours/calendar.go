// Package bizhours computes business time for a queue: opening hours per
// weekday in a time zone, public holidays (Austria's built in), and from
// them the due instants of response targets, with the clock paused while
// a ticket waits for its requester.
//
// The opening hours are wall-clock times in the calendar's zone, and each
// day is built from them, so days that change to or from summer time are
// an hour shorter or longer only where an opening interval spans the
// change. Long spans are walked day by day, never minute by minute.
//
// It is a leaf: it imports the standard library only.
package bizhours

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The errors of a calendar's validation; the errors returned wrap one of
// them, with the weekday or value at fault in the text.
var (
	// ErrZone: the time zone is unknown (or "Local", which depends on
	// the machine).
	ErrZone = errors.New("unknown time zone")
	// ErrInterval: an opening interval ends before it starts, or lies
	// outside 00:00–24:00, or is not in whole minutes.
	ErrInterval = errors.New("invalid opening interval")
	// ErrOverlap: two opening intervals of one day overlap.
	ErrOverlap = errors.New("opening intervals overlap")
	// ErrNoHours: the week has no opening hours at all, so no target
	// could ever fall due.
	ErrNoHours = errors.New("no opening hours in the week")
	// ErrSyntax: opening hours written in text could not be read.
	ErrSyntax = errors.New("cannot read opening hours")
	// ErrDate: a holiday's date does not exist.
	ErrDate = errors.New("no such date")
)

// A Span is one opening interval of a day, as wall-clock offsets from
// midnight: Start 8h and End 16h mean 08:00–16:00. End may be 24h (open
// until midnight).
type Span struct {
	Start, End time.Duration
}

// String writes the span as 08:00-16:00.
func (s Span) String() string {
	return clock(s.Start) + "-" + clock(s.End)
}

func clock(d time.Duration) string {
	m := int(d / time.Minute)
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// A Week holds the opening intervals of each weekday, indexed by
// time.Weekday (Sunday is 0); a day without intervals is closed.
type Week [7][]Span

var dayNames = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}

// String writes the week as ParseWeek reads it, with consecutive days of
// equal hours joined into a range: "Mon-Thu 08:00-16:00; Fri 08:00-12:00".
// A week with no hours is the empty string.
func (w Week) String() string {
	var parts []string
	order := [7]int{1, 2, 3, 4, 5, 6, 0} // Monday first
	for i := 0; i < 7; {
		day := order[i]
		j := i + 1
		for j < 7 && equalSpans(w[order[j]], w[day]) {
			j++
		}
		if len(w[day]) > 0 {
			names := dayNames[day]
			if j-i > 1 {
				names += "-" + dayNames[order[j-1]]
			}
			spans := make([]string, len(w[day]))
			for k, s := range w[day] {
				spans[k] = s.String()
			}
			parts = append(parts, names+" "+strings.Join(spans, ","))
		}
		i = j
	}
	return strings.Join(parts, "; ")
}

func equalSpans(a, b []Span) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ParseWeek reads opening hours written as groups separated by ";", each
// a weekday or a range of weekdays (Mon, Tue, Wed, Thu, Fri, Sat, Sun; a
// range runs forward and may wrap, "Sat-Sun") followed by one or more
// intervals separated by ",":
//
//	Mon-Thu 08:00-12:00,13:00-16:00; Fri 08:00-12:00
//
// "24:00" ends a day. A day named twice gets the intervals of both groups.
// The week is validated as by Config.Validate; errors wrap ErrSyntax,
// ErrInterval, ErrOverlap or ErrNoHours.
func ParseWeek(s string) (Week, error) {
	var w Week
	for _, group := range strings.Split(s, ";") {
		group = strings.TrimSpace(group)
		if group == "" {
			continue
		}
		days, spans, ok := strings.Cut(group, " ")
		if !ok {
			return Week{}, fmt.Errorf("bizhours: %q: want days and intervals, like \"Mon-Fri 08:00-16:00\": %w", group, ErrSyntax)
		}
		first, last, isRange := strings.Cut(days, "-")
		from, ok1 := weekday(first)
		to, ok2 := from, true
		if isRange {
			to, ok2 = weekday(last)
		}
		if !ok1 || !ok2 {
			return Week{}, fmt.Errorf("bizhours: %q: unknown weekday (want Mon, Tue, Wed, Thu, Fri, Sat, Sun): %w", days, ErrSyntax)
		}
		var list []Span
		for _, sp := range strings.Split(spans, ",") {
			a, b, ok := strings.Cut(strings.TrimSpace(sp), "-")
			start, ok1 := parseClock(a)
			end, ok2 := parseClock(b)
			if !ok || !ok1 || !ok2 {
				return Week{}, fmt.Errorf("bizhours: %q: want an interval like 08:00-16:00: %w", strings.TrimSpace(sp), ErrSyntax)
			}
			list = append(list, Span{start, end})
		}
		for d := from; ; d = (d + 1) % 7 {
			w[d] = append(w[d], list...)
			if d == to {
				break
			}
		}
	}
	for d := range w {
		sort.Slice(w[d], func(i, j int) bool { return w[d][i].Start < w[d][j].Start })
	}
	if err := w.validate(); err != nil {
		return Week{}, err
	}
	return w, nil
}

func weekday(s string) (time.Weekday, bool) {
	for i, n := range dayNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

func parseClock(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, m := 0, 0
	for _, c := range s[:2] {
		if c < '0' || c > '9' {
			return 0, false
		}
		h = h*10 + int(c-'0')
	}
	for _, c := range s[3:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		m = m*10 + int(c-'0')
	}
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

// validate checks each day's intervals: whole minutes within 00:00–24:00,
// ending after they start, in order and not overlapping (touching is
// fine), and at least one in the week.
func (w Week) validate() error {
	open := false
	for day, spans := range w {
		for i, s := range spans {
			switch {
			case s.Start < 0 || s.End > 24*time.Hour || s.Start%time.Minute != 0 || s.End%time.Minute != 0:
				return fmt.Errorf("bizhours: %s %s: want whole minutes between 00:00 and 24:00: %w", dayNames[day], s, ErrInterval)
			case s.End <= s.Start:
				return fmt.Errorf("bizhours: %s %s: ends before it starts: %w", dayNames[day], s, ErrInterval)
			}
			if i > 0 && s.Start < spans[i-1].End {
				return fmt.Errorf("bizhours: %s %s and %s: %w (list them in order, each starting after the last ends)", dayNames[day], spans[i-1], s, ErrOverlap)
			}
			open = true
		}
	}
	if !open {
		return fmt.Errorf("bizhours: %w", ErrNoHours)
	}
	return nil
}

// Config describes a queue's calendar as it is stored and edited.
type Config struct {
	// Zone is the IANA time zone of the opening hours, such as
	// "Europe/Vienna"; "" and "UTC" mean UTC.
	Zone string
	// Week holds the opening hours.
	Week Week
	// Austria closes the desk on Austria's public holidays, every year.
	Austria bool
	// Closures also closes it on 24 and 31 December, every year.
	Closures bool
	// Holidays are further closed dates.
	Holidays []Date
}

// Validate reports the first thing wrong with the configuration; the
// error wraps ErrZone, ErrInterval, ErrOverlap, ErrNoHours or ErrDate.
func (c Config) Validate() error {
	_, err := New(c)
	return err
}

// A Calendar is a validated Config, ready to compute with. It is not
// changed after New and is safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	week     Week
	austria  bool
	closures bool
	closed   map[Date]bool
}

// New validates c and builds its calendar; the error wraps ErrZone,
// ErrInterval, ErrOverlap, ErrNoHours or ErrDate.
func New(c Config) (*Calendar, error) {
	if c.Zone == "Local" {
		return nil, fmt.Errorf("bizhours: zone %q depends on the machine, name the zone: %w", c.Zone, ErrZone)
	}
	loc, err := time.LoadLocation(c.Zone)
	if err != nil {
		return nil, fmt.Errorf("bizhours: zone %q: %w", c.Zone, ErrZone)
	}
	if err := c.Week.validate(); err != nil {
		return nil, err
	}
	cal := &Calendar{loc: loc, austria: c.Austria, closures: c.Closures, closed: make(map[Date]bool, len(c.Holidays))}
	for d, spans := range c.Week {
		cal.week[d] = append([]Span(nil), spans...)
	}
	for _, d := range c.Holidays {
		if _, err := ParseDate(d.String()); err != nil {
			return nil, fmt.Errorf("bizhours: holiday %s: %w", d, ErrDate)
		}
		cal.closed[d] = true
	}
	return cal, nil
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Closed reports whether the desk is closed all day on d for a holiday
// (a day without opening hours in the week is not a holiday).
func (c *Calendar) Closed(d Date) bool {
	if c.closed[d] {
		return true
	}
	if c.austria && austrianHoliday(d, false) {
		return true
	}
	if c.closures && d.Month == time.December && (d.Day == 24 || d.Day == 31) {
		return true
	}
	return false
}

// Open reports whether t falls within the opening hours.
func (c *Calendar) Open(t time.Time) bool {
	t = t.Round(0)
	var buf [8]Interval
	for _, iv := range c.day(DateOf(t.In(c.loc)), buf[:0]) {
		if !t.Before(iv.Start) && t.Before(iv.End) {
			return true
		}
	}
	return false
}

// day appends the opening intervals of date d, as instants, to buf. Each
// wall-clock time is resolved in the calendar's zone on that very date, so
// summer time changes are honoured; an interval that shrinks to nothing in
// a gap is left out, and intervals never run backwards or overlap.
func (c *Calendar) day(d Date, buf []Interval) []Interval {
	spans := c.week[d.Weekday()]
	if len(spans) == 0 || c.Closed(d) {
		return buf
	}
	var prev time.Time
	for _, s := range spans {
		start := c.wall(d, s.Start)
		end := c.wall(d, s.End)
		if start.Before(prev) {
			start = prev
		}
		if !end.After(start) {
			continue
		}
		buf = append(buf, Interval{start, end})
		prev = end
	}
	return buf
}

// wall returns the instant of the wall-clock offset off on date d.
func (c *Calendar) wall(d Date, off time.Duration) time.Time {
	m := int(off / time.Minute)
	return time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, c.loc)
}
