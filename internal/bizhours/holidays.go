package bizhours

import (
	"fmt"
	"sort"
	"time"
)

// A Date is a day in the calendar, without a time or a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads a date written as YYYY-MM-DD; it returns an error for
// anything else, including days that do not exist (2025-02-29).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("bizhours: date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String writes the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// AddDays returns the date n days after d (before d for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// Easter returns Easter Sunday of a year of the Gregorian calendar
// (the anonymous Gregorian computus, also known as Meeus/Jones/Butcher).
func Easter(year int) Date {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, time.Month(month), day}
}

// A Holiday is a named day on which the desk is closed.
type Holiday struct {
	Date Date
	Name string
}

// austrianFixed are Austria's public holidays on a fixed date.
var austrianFixed = [...]struct {
	month time.Month
	day   int
	name  string
}{
	{time.January, 1, "Neujahr"},
	{time.January, 6, "Heilige Drei Könige"},
	{time.May, 1, "Staatsfeiertag"},
	{time.August, 15, "Mariä Himmelfahrt"},
	{time.October, 26, "Nationalfeiertag"},
	{time.November, 1, "Allerheiligen"},
	{time.December, 8, "Mariä Empfängnis"},
	{time.December, 25, "Christtag"},
	{time.December, 26, "Stefanitag"},
}

// austrianMovable are Austria's public holidays counted in days from
// Easter Sunday.
var austrianMovable = [...]struct {
	offset int
	name   string
}{
	{1, "Ostermontag"},
	{39, "Christi Himmelfahrt"},
	{50, "Pfingstmontag"},
	{60, "Fronleichnam"},
}

// closures are the days universities usually close besides the public
// holidays.
var closures = [...]struct {
	month time.Month
	day   int
	name  string
}{
	{time.December, 24, "Heiliger Abend"},
	{time.December, 31, "Silvester"},
}

// Austria returns Austria's public holidays of a year in date order: the
// nine on a fixed date and the four that follow Easter (Ostermontag,
// Christi Himmelfahrt, Pfingstmontag, Fronleichnam). With closures it
// adds 24 and 31 December, which universities usually keep closed.
// Easter Sunday and Pfingstsonntag fall on a Sunday and are not listed.
func Austria(year int, withClosures bool) []Holiday {
	out := make([]Holiday, 0, len(austrianFixed)+len(austrianMovable)+len(closures))
	for _, h := range austrianFixed {
		out = append(out, Holiday{Date{year, h.month, h.day}, h.name})
	}
	easter := Easter(year)
	for _, h := range austrianMovable {
		out = append(out, Holiday{easter.AddDays(h.offset), h.name})
	}
	if withClosures {
		for _, h := range closures {
			out = append(out, Holiday{Date{year, h.month, h.day}, h.name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// austrianHoliday reports whether d is a public holiday in Austria (or,
// with closures, 24 or 31 December), without building the year's list.
func austrianHoliday(d Date, withClosures bool) bool {
	for _, h := range austrianFixed {
		if d.Month == h.month && d.Day == h.day {
			return true
		}
	}
	if withClosures {
		for _, h := range closures {
			if d.Month == h.month && d.Day == h.day {
				return true
			}
		}
	}
	if d.Month < time.March || d.Month > time.July {
		return false
	}
	easter := Easter(d.Year)
	for _, h := range austrianMovable {
		if easter.AddDays(h.offset) == d {
			return true
		}
	}
	return false
}
