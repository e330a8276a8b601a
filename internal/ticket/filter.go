package ticket

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Filter is a ticket search: full text plus field filters. Zero fields do
// not filter; an empty Filter lists every ticket the caller may see.
//
// A Filter is the value of the one filter language (FilterParams): the
// API's search, the search page, saved filters and the queue views all
// read and write it with ParseFilter and Encode. Assignee "me" and
// Overdue stay symbolic in it, so that a saved filter means the same for
// whoever opens it whenever; the search resolves them (desk.ResolveFilter).
type Filter struct {
	Q             string        // full text over subject, entries and attachment names
	Queue         string        // queue name
	States        []State       // any of these
	Requester     string        // e-mail
	Assignee      string        // e-mail; AssigneeNone for unassigned, AssigneeMe for the searching person
	Priority      Priority      //
	CreatedAfter  *time.Time    // inclusive
	CreatedBefore *time.Time    // exclusive
	Overdue       bool          // new, open or waiting (within States) with a due date that has passed
	DueBefore     *time.Time    // with a due date before this (exclusive): what Overdue resolves to; not in the language
	Targets       []string      // response target state any of these (TargetStates), as of the search
	DueWithin     time.Duration // next response target falls due within this much (wall-clock) time from the search, not yet missed
	TargetNow     *time.Time    // the instant Targets and DueWithin are judged at: set by the search (desk.ResolveFilter); not in the language
	Sort          string        // one of SortFields, "-" prefix for descending; default "-updated"
	Page          int           // 1-based; default 1
	PerPage       int           // default 25, at most MaxPerPage
	// Cursor, when set, is the position to list from instead of Page: a
	// Page's NextCursor or PrevCursor (keyset paging; not in the language).
	Cursor string
	// TotalCap, when above 0, stops counting matches there: the Page's
	// Total is then at most TotalCap and TotalIsLowerBound says whether
	// there are more (not in the language).
	TotalCap int
}

// The symbolic assignees of a Filter.
const (
	AssigneeNone = "none" // nobody assigned
	AssigneeMe   = "me"   // the person searching
)

// SortFields are the fields a search may sort by.
// "target" sorts by the instant the next response target falls due.
var SortFields = []string{"number", "created", "updated", "priority", "due", "subject", "state", "target"}

// Limits of a search (the problem texts spell them out, for the catalog).
const (
	MaxPage    = 100_000
	MaxPerPage = 100
	// MaxTextDepth is how deep a text search (Q) pages by number: its
	// pages end within its first MaxTextDepth matches. Further pages come
	// by cursor (Page.NextCursor), which costs the same however deep; a
	// page by number costs all the matches before it (at 1,000,000
	// tickets, page 50 of a common word took 7.9 s).
	MaxTextDepth = 1000
	// DefaultPerPage is the page size when PerPage is 0.
	DefaultPerPage = 25
	maxQ           = 1000
	// MaxDueWithin bounds due_within.
	MaxDueWithin = 90 * 24 * time.Hour
)

// FilterParams are the URL query parameters of the filter language, in
// the order a canonical query lists them (by name). Any other parameter is
// ignored.
var FilterParams = []string{"assignee", "created_after", "created_before", "due_within", "overdue", "page", "per_page", "priority", "q", "queue", "requester", "sort", "state", "target"}

// ParseFilter reads a filter from the URL query q, with dates in loc (UTC
// when nil). Text values are trimmed; a parameter given twice counts once
// (the first), except state, which may repeat or be comma-separated
// (duplicates count once). created_after and created_before take an RFC
// 3339 time or a date YYYY-MM-DD, a whole day in loc: created_after from
// its start, created_before up to its end. overdue takes 1, true, yes, on
// or 0, false, no, off. target takes ok, due_soon or breached, and like
// state may repeat or be comma-separated; due_within a span in whole
// minutes such as 2h, 90m or 1h30m (at most MaxDueWithin). Unknown
// parameters are ignored. The error is
// EINVALID with a problem per parameter; the filter it returns then is
// not to be searched.
func ParseFilter(q url.Values, loc *time.Location) (Filter, error) {
	if loc == nil {
		loc = time.UTC
	}
	v := Validation{}
	get := func(k string) string {
		if vs := q[k]; len(vs) > 0 {
			return strings.TrimSpace(vs[0])
		}
		return ""
	}
	f := Filter{Q: get("q"), Queue: get("queue"), Requester: get("requester"), Assignee: get("assignee"),
		Priority: Priority(get("priority")), Sort: get("sort")}
	for _, s := range q["state"] {
		for part := range strings.SplitSeq(s, ",") {
			if st := State(strings.TrimSpace(part)); st != "" && !slices.Contains(f.States, st) {
				f.States = append(f.States, st)
			}
		}
	}
	for _, s := range q["target"] {
		for part := range strings.SplitSeq(s, ",") {
			if ts := strings.TrimSpace(part); ts != "" && !slices.Contains(f.Targets, ts) {
				f.Targets = append(f.Targets, ts)
			}
		}
	}
	if s := get("due_within"); s != "" {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			v.Add("due_within", "problem.due_within")
		} else {
			f.DueWithin = d
		}
	}
	if s := get("created_after"); s != "" {
		if t, _, ok := parseFilterTime(s, loc); !ok { // a day from its start
			v.Add("created_after", "problem.time")
		} else {
			f.CreatedAfter = &t
		}
	}
	if s := get("created_before"); s != "" {
		if t, day, ok := parseFilterTime(s, loc); !ok {
			v.Add("created_before", "problem.time")
		} else {
			if day {
				t = t.AddDate(0, 0, 1) // up to the end of that day, exclusive
			}
			f.CreatedBefore = &t
		}
	}
	if s := get("overdue"); s != "" {
		switch strings.ToLower(s) {
		case "1", "true", "yes", "on":
			f.Overdue = true
		case "0", "false", "no", "off":
		default:
			v.Add("overdue", "problem.flag")
		}
	}
	if s := get("page"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= MaxPage {
			f.Page = n
		} else {
			v.Add("page", "problem.between", 1, MaxPage)
		}
	}
	if s := get("per_page"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= MaxPerPage {
			f.PerPage = n
		} else {
			v.Add("per_page", "problem.between", 1, MaxPerPage)
		}
	}
	f.validate(v)
	return f, v.Err()
}

// ParseFilterQuery is ParseFilter of an encoded query, such as a saved
// filter's; a malformed one is EINVALID on "query".
func ParseFilterQuery(query string, loc *time.Location) (Filter, error) {
	q, err := url.ParseQuery(query)
	if err != nil {
		return Filter{}, E(EINVALID, "err.search.malformed").Field("query", "problem.not_search")
	}
	return ParseFilter(q, loc)
}

// parseFilterTime reads an RFC 3339 time (as UTC) or a date (its start in
// loc; day is true). Times outside the years 1 to 9999 are refused: they
// could not be written back.
func parseFilterTime(s string, loc *time.Location) (t time.Time, day, ok bool) {
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, true, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.UTC().Year() < 1 || t.UTC().Year() > 9999 {
		return time.Time{}, false, false
	}
	return t.UTC(), false, true
}

// Validate returns EINVALID with a problem per field whose value the
// language does not know (Page and PerPage 0 mean the defaults), or nil.
// ParseFilter checks the same.
func (f Filter) Validate() error {
	v := Validation{}
	f.validate(v)
	return v.Err()
}

func (f Filter) validate(v Validation) {
	if len(f.Q) > maxQ {
		v.Add("q", "problem.max_chars", maxQ)
	}
	active := false
	for _, st := range f.States {
		if !st.Valid() {
			v.Add("state", "problem.state")
		}
		active = active || st.Active()
	}
	if f.Overdue && len(f.States) > 0 && !active {
		v.Add("state", "problem.overdue_states")
	}
	if f.Priority != "" && !f.Priority.Valid() {
		v.Add("priority", "problem.priority")
	}
	for _, ts := range f.Targets {
		if !slices.Contains(TargetStates, ts) {
			v.Add("target", "problem.target_state")
			break
		}
	}
	if f.DueWithin < 0 || f.DueWithin > MaxDueWithin || f.DueWithin%time.Minute != 0 {
		v.Add("due_within", "problem.due_within")
	}
	if f.Sort != "" && !slices.Contains(SortFields, strings.TrimPrefix(f.Sort, "-")) {
		v.Add("sort", "problem.sort_one_of", strings.Join(SortFields, ", "))
	}
	if f.Page < 0 || f.Page > MaxPage {
		v.Add("page", "problem.between", 1, MaxPage)
	}
	if f.PerPage < 0 || f.PerPage > MaxPerPage {
		v.Add("per_page", "problem.between", 1, MaxPerPage)
	}
	perPage := f.PerPage
	if perPage == 0 {
		perPage = DefaultPerPage
	}
	if strings.TrimSpace(f.Q) != "" && f.Page > 1 && f.Cursor == "" && f.Page*perPage > MaxTextDepth {
		v.Add("page", "problem.text_depth", MaxTextDepth)
	}
}

// Values writes f back as a URL query, with dates in loc (UTC when nil):
// the canonical query, which ParseFilter reads back as f. Only the
// parameters that filter are set; a time at the start of a day in loc is
// written as that date (created_before as the day before, which it ends),
// any other as RFC 3339 in UTC. DueBefore is not part of the language and
// is not written.
func (f Filter) Values(loc *time.Location) url.Values {
	if loc == nil {
		loc = time.UTC
	}
	q := url.Values{}
	set := func(k, s string) {
		if s != "" {
			q.Set(k, s)
		}
	}
	set("q", f.Q)
	set("queue", f.Queue)
	for _, st := range f.States {
		q.Add("state", string(st))
	}
	set("requester", f.Requester)
	set("assignee", f.Assignee)
	set("priority", string(f.Priority))
	if t := f.CreatedAfter; t != nil {
		set("created_after", filterTime(*t, loc, 0))
	}
	if t := f.CreatedBefore; t != nil {
		set("created_before", filterTime(*t, loc, -1))
	}
	if f.Overdue {
		set("overdue", "1")
	}
	for _, ts := range f.Targets {
		q.Add("target", ts)
	}
	if f.DueWithin > 0 {
		set("due_within", FormatSpan(f.DueWithin))
	}
	set("sort", f.Sort)
	if f.Page != 0 {
		set("page", strconv.Itoa(f.Page))
	}
	if f.PerPage != 0 {
		set("per_page", strconv.Itoa(f.PerPage))
	}
	return q
}

// FormatSpan writes a span of whole minutes as due_within reads it: 2h,
// 45m, 1h30m.
func FormatSpan(d time.Duration) string {
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	switch {
	case m == 0:
		return strconv.FormatInt(h, 10) + "h"
	case h == 0:
		return strconv.FormatInt(m, 10) + "m"
	}
	return strconv.FormatInt(h, 10) + "h" + strconv.FormatInt(m, 10) + "m"
}

// Encode is Values encoded: parameters sorted by name.
func (f Filter) Encode(loc *time.Location) string { return f.Values(loc).Encode() }

// filterTime writes t as the date of the day it starts in loc, shifted by
// days, or else as RFC 3339 in UTC.
func filterTime(t time.Time, loc *time.Location, days int) string {
	if l := t.In(loc); l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0 {
		return l.AddDate(0, 0, days).Format(time.DateOnly)
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Page is one page of search results. Items carry no timelines.
type Page struct {
	Items   []*Ticket `json:"items"`
	Total   int       `json:"total"`
	Page    int       `json:"page"`
	PerPage int       `json:"per_page"`
	// TotalIsLowerBound is true when counting stopped at the filter's
	// TotalCap: there are more than Total matches.
	TotalIsLowerBound bool `json:"total_is_lower_bound,omitempty"`
	// NextCursor and PrevCursor are the positions after the last and
	// before the first item, "" at the ends (Filter.Cursor).
	NextCursor string `json:"next_cursor,omitempty"`
	PrevCursor string `json:"prev_cursor,omitempty"`
}
