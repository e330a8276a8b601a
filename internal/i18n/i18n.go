// Package i18n holds servus's German and English texts and formats dates
// and times for a person's language and time zone. It is a leaf: it
// depends on the standard library only.
//
// Every text lives in a table with both languages side by side, so a text
// cannot exist in one language only: one catalog_*.go per page or concept
// (catalog_ticket.go, catalog_search.go, catalog_errors.go …) merges its
// table into catalog at start (merge panics on a key given twice). The
// reasons of servus's errors (err.…, problem.…) are keys like any other;
// internal/errtext renders them.
// Keys are stable, dotted names ("ticket.take"); a text may hold fmt verbs
// for its arguments. Plurals are two keys, KEY.one and KEY.other.
package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones even on systems without a zone database
)

// Languages servus speaks, the default first.
var Languages = []string{"de", "en"}

// DefaultLanguage is the language of people who chose none and whose
// browser asks for neither.
const DefaultLanguage = "de"

// DefaultTimeZone is the time zone of people who chose none.
const DefaultTimeZone = "Europe/Vienna"

func index(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

// merge adds a table of texts kept in its own file (named by file) to the
// catalog; each such file calls it from its init. A key in two tables is
// a bug, and panics at start.
func merge(file string, table map[string][2]string) {
	for k, v := range table {
		if _, dup := catalog[k]; dup {
			panic("i18n: key " + k + " of " + file + " is already in the catalog")
		}
		catalog[k] = v
	}
}

// Has reports whether key has a text.
func Has(key string) bool {
	_, ok := catalog[key]
	return ok
}

// Keys returns every key of the catalog.
func Keys() []string {
	keys := make([]string, 0, len(catalog))
	for k := range catalog {
		keys = append(keys, k)
	}
	return keys
}

// Text returns the text of key in lang, formatted with args; a missing key
// returns the key itself in brackets, so that it shows and a test can find
// it.
func Text(lang, key string, args ...any) string {
	m, ok := catalog[key]
	if !ok {
		return "[" + key + "]"
	}
	s := m[index(lang)]
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Supported returns lang when servus speaks it, else "".
func Supported(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	for _, l := range Languages {
		if lang == l {
			return l
		}
	}
	return ""
}

// Negotiate picks the language for an Accept-Language header: the first
// one servus speaks by the header's weights, else DefaultLanguage.
func Negotiate(acceptLanguage string) string {
	best, bestQ := "", -1.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if l := Supported(primary); l != "" && q > bestQ && q > 0 {
			best, bestQ = l, q
		}
	}
	if best == "" {
		return DefaultLanguage
	}
	return best
}

// Location returns the time zone called name, or DefaultTimeZone's for an
// empty or unknown name.
func Location(name string) *time.Location {
	if name != "" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil { // embedded tzdata makes this impossible
		return time.UTC
	}
	return loc
}

// Localizer formats texts, numbers and times for one person.
type Localizer struct {
	Lang string
	Loc  *time.Location
	now  func() time.Time
}

// New returns a Localizer for lang (falling back to DefaultLanguage) and the
// time zone called zone (falling back to DefaultTimeZone).
func New(lang, zone string) *Localizer {
	if Supported(lang) == "" {
		lang = DefaultLanguage
	}
	return &Localizer{Lang: lang, Loc: Location(zone), now: time.Now}
}

// WithClock returns a copy of l that takes "now" from now (for tests).
func (l *Localizer) WithClock(now func() time.Time) *Localizer {
	c := *l
	c.now = now
	return &c
}

// T returns the text of key in l's language, formatted with args.
func (l *Localizer) T(key string, args ...any) string { return Text(l.Lang, key, args...) }

// N returns the plural text KEY.one or KEY.other for n, formatted with n.
func (l *Localizer) N(key string, n int) string {
	if n == 1 {
		return l.T(key+".one", n)
	}
	return l.T(key+".other", n)
}

// Time formats t as date and time in l's zone: 24.03.2026, 14:05 or
// 24 Mar 2026, 14:05.
func (l *Localizer) Time(t time.Time) string {
	t = t.In(l.Loc)
	if l.Lang == "en" {
		return t.Format("2 Jan 2006, 15:04")
	}
	return t.Format("02.01.2006, 15:04")
}

// Date formats the date of t in l's zone.
func (l *Localizer) Date(t time.Time) string {
	t = t.In(l.Loc)
	if l.Lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02.01.2006")
}

// DateInput formats t for an <input type="date"> in l's zone.
func (l *Localizer) DateInput(t time.Time) string { return t.In(l.Loc).Format("2006-01-02") }

// Bytes formats a size of n bytes: 512 B, 12 KB, 3,4 MB in German and
// 3.4 MB in English, with a no-break space before the unit.
func (l *Localizer) Bytes(n int64) string {
	var s string
	switch {
	case n < 1024:
		s = strconv.FormatInt(n, 10) + "\u00a0B"
	case n < 1<<20-512: // rounds to 1023 KB at most
		s = strconv.FormatInt((n+512)/1024, 10) + "\u00a0KB"
	case n < 1<<30 && n%(1<<20) == 0: // a limit such as 25 MB
		s = strconv.FormatInt(n>>20, 10) + "\u00a0MB"
	case n < 1<<30-1<<20/20: // rounds to 1023.9 MB at most
		s = strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + "\u00a0MB"
	default:
		s = strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + "\u00a0GB"
	}
	if l.Lang == "de" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// ISO formats t for a <time datetime> attribute.
func (l *Localizer) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Ago formats t relative to now: "just now", "5 minutes ago", "yesterday,
// 14:05", else as Time.
func (l *Localizer) Ago(t time.Time) string {
	now := l.now().In(l.Loc)
	t = t.In(l.Loc)
	d := now.Sub(t)
	switch {
	case d < 0:
		return l.Time(t)
	case d < time.Minute:
		return l.T("time.just_now")
	case d < time.Hour:
		return l.N("time.minutes_ago", int(d/time.Minute))
	}
	y1, m1, d1 := now.Date()
	y2, m2, d2 := t.Date()
	today := time.Date(y1, m1, d1, 0, 0, 0, 0, l.Loc)
	day := time.Date(y2, m2, d2, 0, 0, 0, 0, l.Loc)
	switch days := int(today.Sub(day).Hours()/24 + 0.5); {
	case days == 0:
		return l.T("time.today", t.Format("15:04"))
	case days == 1:
		return l.T("time.yesterday", t.Format("15:04"))
	}
	return l.Time(t)
}

// ParseDate reads a date as the end of that day in l's zone (23:59:59),
// the natural meaning of a due date: YYYY-MM-DD, as date inputs send it, or
// the German DD.MM.YYYY (also D.M.YYYY), as people type it where a browser
// offers a plain text field. The end of the day is built from the calendar,
// not by adding 24 hours, so days that change to or from summer time keep
// their date.
func (l *Localizer) ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var d time.Time
	var err error
	if strings.Contains(s, ".") {
		d, err = time.ParseInLocation("2.1.2006", s, l.Loc)
	} else {
		d, err = time.ParseInLocation("2006-01-02", s, l.Loc)
	}
	if err != nil {
		return time.Time{}, err
	}
	y, m, day := d.Date()
	return time.Date(y, m, day, 23, 59, 59, 0, l.Loc), nil
}
