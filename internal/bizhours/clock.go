package bizhours

import (
	"sort"
	"time"
)

// An Interval is a stretch of time from Start up to End. As a pause, a
// zero End means the pause has not ended yet.
type Interval struct {
	Start, End time.Time
}

// forever stands for the end of a pause that has not ended.
var forever = time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)

// Add returns the instant at which d of business time has passed after
// start, in the calendar's zone. A start outside the opening hours counts
// from the next opening; an amount that runs out exactly at a closing
// returns that closing (16:00), not the next opening. For d <= 0 it
// returns start. It walks the calendar a day at a time.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	start = start.Round(0)
	if d <= 0 {
		return start.In(c.loc)
	}
	var buf [8]Interval
	// Begin a day early: in zones that change the clock at midnight a
	// day's last interval may reach into the next date.
	for day := DateOf(start.In(c.loc)).AddDays(-1); ; day = day.AddDays(1) {
		for _, iv := range c.day(day, buf[:0]) {
			if !iv.End.After(start) {
				continue
			}
			s := iv.Start
			if s.Before(start) {
				s = start
			}
			if n := iv.End.Sub(s); d > n {
				d -= n
				continue
			}
			return s.Add(d).In(c.loc)
		}
	}
}

// Between returns the business time from a to b: the part of [a, b) that
// lies within opening hours. It is negative when b is before a, so that
// Between(due, now) tells by how much a target was missed.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	a, b = a.Round(0), b.Round(0)
	if b.Before(a) {
		return -c.Between(b, a)
	}
	var sum time.Duration
	var buf [8]Interval
	last := DateOf(b.In(c.loc))
	for day := DateOf(a.In(c.loc)).AddDays(-1); !last.Before(day); day = day.AddDays(1) {
		for _, iv := range c.day(day, buf[:0]) {
			s, e := iv.Start, iv.End
			if s.Before(a) {
				s = a
			}
			if e.After(b) {
				e = b
			}
			if e.After(s) {
				sum += e.Sub(s)
			}
		}
	}
	return sum
}

// Due returns the instant at which d of business time has passed after
// start when the clock stops during the pauses (a ticket waiting for its
// requester): business time accrues only outside them. Pauses may be
// given in any order and may overlap; parts before start do not count.
// While a pause that has not ended (zero End) begins before the target is
// reached, the due instant is unknown and Due returns the zero Time.
func (c *Calendar) Due(start time.Time, d time.Duration, pauses []Interval) time.Time {
	start = start.Round(0)
	if d <= 0 {
		return start.In(c.loc)
	}
	cur := start
	for _, p := range merge(pauses, start) {
		if p.Start.After(cur) {
			avail := c.Between(cur, p.Start)
			if d <= avail {
				return c.Add(cur, d)
			}
			d -= avail
		}
		if p.End.After(cur) {
			cur = p.End
		}
		if cur.Equal(forever) {
			return time.Time{}
		}
	}
	return c.Add(cur, d)
}

// Elapsed returns the business time used from start until now, leaving
// out the pauses (a pause that has not ended lasts until now). It is 0
// when now is not after start. For a target d that Due put at instant t,
// Elapsed(start, t, pauses) is d.
func (c *Calendar) Elapsed(start, now time.Time, pauses []Interval) time.Duration {
	start, now = start.Round(0), now.Round(0)
	if !now.After(start) {
		return 0
	}
	used := c.Between(start, now)
	for _, p := range merge(pauses, start) {
		if !p.Start.Before(now) {
			break
		}
		end := p.End
		if end.After(now) {
			end = now
		}
		used -= c.Between(p.Start, end)
	}
	return used
}

// merge returns the pauses that reach past from, cut to begin no earlier
// than from, sorted and merged where they overlap or touch; a pause with
// a zero End ends at forever, and one ending before it starts is dropped.
func merge(pauses []Interval, from time.Time) []Interval {
	out := make([]Interval, 0, len(pauses))
	for _, p := range pauses {
		p.Start, p.End = p.Start.Round(0), p.End.Round(0)
		if p.End.IsZero() {
			p.End = forever
		}
		if p.Start.Before(from) {
			p.Start = from
		}
		if p.End.After(p.Start) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	merged := out[:0]
	for _, p := range out {
		if n := len(merged); n > 0 && !p.Start.After(merged[n-1].End) {
			if p.End.After(merged[n-1].End) {
				merged[n-1].End = p.End
			}
			continue
		}
		merged = append(merged, p)
	}
	return merged
}

// The states of a response target, as State reports them.
const (
	StateOK       = "ok"
	StateDueSoon  = "due_soon"
	StateBreached = "breached"
)

// State tells how a target due at due stands at now: "breached" once now
// is after due, "due_soon" when due is at most soon away (wall-clock
// time), "ok" otherwise and when due is the zero Time (a paused clock).
// For a target already met, pass the instant it was met as now.
func State(due, now time.Time, soon time.Duration) string {
	switch {
	case due.IsZero():
		return StateOK
	case now.After(due):
		return StateBreached
	case !now.Before(due.Add(-soon)):
		return StateDueSoon
	}
	return StateOK
}

// Sub returns the earliest instant from which d of business time remains
// until end: the instant at which a target due at end has d left. Where d
// runs out exactly at an opening it returns the closing before it (Friday
// 16:00 rather than Monday 08:00), since from that closing on only d
// remains. For d <= 0 it returns end. It walks the calendar a day at a
// time, backwards.
func (c *Calendar) Sub(end time.Time, d time.Duration) time.Time {
	end = end.Round(0)
	if d <= 0 {
		return end.In(c.loc)
	}
	var buf [8]Interval
	// End a day late: a day's last interval may reach into the next date.
	for day := DateOf(end.In(c.loc)).AddDays(1); ; day = day.AddDays(-1) {
		ivs := c.day(day, buf[:0])
		for i := len(ivs) - 1; i >= 0; i-- {
			iv := ivs[i]
			if !iv.Start.Before(end) {
				continue
			}
			e := iv.End
			if e.After(end) {
				e = end
			}
			if d == 0 {
				return e.In(c.loc)
			}
			if n := e.Sub(iv.Start); d < n {
				return e.Add(-d).In(c.loc)
			} else {
				d -= n
			}
		}
	}
}
