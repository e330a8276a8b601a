package desk

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/bizhours"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Response targets (README "Response targets"). A ticket takes its queue's
// targets when it is opened or moved in; its due instants are computed in
// the queue's business hours from when it was opened, leaving out the time
// its clock stood still: while it waited for its requester, and while it
// was resolved or closed. They are computed again from the ticket's state
// history whenever its state changes, it moves, or staff first answer, and
// stored with the instant the next running target falls due (target_at)
// and becomes due soon (target_soon_at), so that lists and searches
// compare stored instants and never compute business time per row.

// maxTargetMinutes bounds a target: a year of business minutes.
const maxTargetMinutes = 365 * 24 * 60

// maxClosedDays bounds a queue's list of further closed days.
const maxClosedDays = 400

// soonBefore is how long before its due instant a target counts as due
// soon: a fifth of the target, at most two business hours (a 4-hour first
// response is due soon 48 minutes before, a 3-day resolution 2 hours
// before).
func soonBefore(minutes int) time.Duration {
	return min(2*time.Hour, time.Duration(minutes)*time.Minute/5)
}

// calendarOf builds the calendar of a queue's targets; the error wraps one
// of bizhours' errors.
func calendarOf(tg ticket.Targets) (*bizhours.Calendar, error) {
	week, err := bizhours.ParseWeek(tg.Hours)
	if err != nil {
		return nil, err
	}
	c := bizhours.Config{Zone: tg.Zone, Week: week, Austria: tg.Holidays == ticket.HolidaysAustria, Closures: tg.Closures}
	for _, s := range tg.ClosedDays {
		d, err := bizhours.ParseDate(s)
		if err != nil {
			return nil, err
		}
		c.Holidays = append(c.Holidays, d)
	}
	return bizhours.New(c)
}

// validTargets normalises tg and adds a problem per bad field to v (under
// "targets.<field>"): minutes within a year, opening hours bizhours reads
// with at least one opening, a known time zone, holidays "AT" or none, and
// closed days as dates.
func validTargets(v ticket.Validation, tg *ticket.Targets) {
	for _, m := range []struct {
		field string
		n     int
	}{{"first_response_minutes", tg.FirstResponse}, {"resolution_minutes", tg.Resolution}} {
		if m.n < 0 || m.n > maxTargetMinutes {
			v.Add("targets."+m.field, "problem.between", 0, maxTargetMinutes)
		}
	}
	tg.Hours = strings.TrimSpace(tg.Hours)
	if week, err := bizhours.ParseWeek(tg.Hours); err != nil {
		switch {
		case errors.Is(err, bizhours.ErrOverlap):
			v.Add("targets.hours", "problem.hours_overlap")
		case errors.Is(err, bizhours.ErrNoHours):
			v.Add("targets.hours", "problem.hours_none")
		default:
			v.Add("targets.hours", "problem.opening_hours")
		}
	} else {
		tg.Hours = week.String()
	}
	tg.Zone = strings.TrimSpace(tg.Zone)
	if tg.Zone == "" {
		v.Add("targets.time_zone", "problem.time_zone")
	} else if err := (bizhours.Config{Zone: tg.Zone, Week: bizhours.Week{1: {{Start: 0, End: time.Hour}}}}).Validate(); err != nil {
		v.Add("targets.time_zone", "problem.time_zone")
	}
	tg.Holidays = strings.ToUpper(strings.TrimSpace(tg.Holidays))
	if tg.Holidays != "" && tg.Holidays != ticket.HolidaysAustria {
		v.Add("targets.holidays", "problem.holidays")
	}
	days := []string{}
	for _, s := range tg.ClosedDays {
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
			if _, err := bizhours.ParseDate(f); err != nil {
				v.Add("targets.closed_days", "problem.date_list")
				continue
			}
			if !slices.Contains(days, f) {
				days = append(days, f)
			}
		}
	}
	slices.Sort(days)
	if len(days) > maxClosedDays {
		v.Add("targets.closed_days", "problem.max_items", maxClosedDays)
	}
	tg.ClosedDays = days
}

// retarget computes t's due instants again (computeTargets) in its queue's
// calendar from its state history, which holds the change being made.
func (s *Service) retarget(ctx context.Context, tx *store.Tx, t *ticket.Ticket) error {
	if !t.HasTargets() {
		computeTargets(nil, t, nil, s.now())
		return nil
	}
	q, err := tx.QueueByID(ctx, t.QueueID)
	if err != nil {
		return err
	}
	cal, err := calendarOf(q.Targets)
	if err != nil {
		return err
	}
	hist, err := tx.StateHistory(ctx, t.ID)
	if err != nil {
		return err
	}
	computeTargets(cal, t, hist, s.now())
	return nil
}

// markTargets sets the TargetState of the tickets of lists as of now.
func markTargets(now time.Time, lists ...[]*ticket.Ticket) {
	for _, l := range lists {
		for _, t := range l {
			t.TargetState = t.TargetStateAt(now)
		}
	}
}

// takeTargets gives t the targets of queue q (on opening or moving in).
func takeTargets(t *ticket.Ticket, q *ticket.Queue) {
	t.FirstResponseTarget, t.ResolutionTarget = q.Targets.FirstResponse, q.Targets.Resolution
}

// stopped reports whether a ticket's clock stands still in state st: it
// waits for its requester, or it is resolved or closed.
func stopped(st ticket.State) bool {
	return st == ticket.StateWaiting || st == ticket.StateResolved || st == ticket.StateClosed
}

// computeTargets sets t's due instants and the stored instants lists use,
// in cal, from t's creation, its targets, its first answer and its state
// history (the states entered and when; a ticket is opened new).
//
// Each target falls due when its business minutes have passed, not
// counting the time the clock stood still (stopped states). While it stands
// still now, the due instants are those it would have if it went on right
// away; when it goes on, they are computed again and so move by the
// business time it stood still. A first response is met when staff first
// answer publicly; a resolution when the ticket is resolved (or closed):
// a target met late stays breached (target_at is its due instant, in the
// past); one met in time, or standing still before its due instant, takes
// no part in target_at.
func computeTargets(cal *bizhours.Calendar, t *ticket.Ticket, hist []store.StateChange, now time.Time) {
	t.FirstResponseDue, t.ResolutionDue, t.TargetAt, t.TargetSoonAt = nil, nil, nil, nil
	if cal == nil || !t.HasTargets() {
		return
	}
	var pauses []bizhours.Interval
	var since *time.Time // the clock stands still since
	for _, c := range hist {
		at := c.At
		switch {
		case stopped(c.State) && since == nil:
			since = &at
		case !stopped(c.State) && since != nil:
			pauses = append(pauses, bizhours.Interval{Start: *since, End: at})
			since = nil
		}
	}
	if stopped(t.State) && since == nil {
		n := now.UTC()
		since = &n
	}
	created := t.CreatedAt.Truncate(time.Millisecond)
	var dueAt, soonAt *time.Time
	take := func(due, soon time.Time) {
		if dueAt == nil || due.Before(*dueAt) {
			dueAt = &due
		}
		if soonAt == nil || soon.Before(*soonAt) {
			soonAt = &soon
		}
	}
	target := func(minutes int, doneAt *time.Time) *time.Time {
		if minutes <= 0 {
			return nil
		}
		d := time.Duration(minutes) * time.Minute
		if doneAt == nil {
			doneAt = since
		}
		// A target met keeps its due instant: the clock stood still only
		// in the pauses before it was met.
		ps := pauses
		if doneAt != nil {
			ps = nil
			for _, p := range pauses {
				if p.Start.Before(*doneAt) {
					ps = append(ps, bizhours.Interval{Start: p.Start, End: minTime(p.End, *doneAt)})
				}
			}
		}
		due := cal.Due(created, d, ps).UTC().Truncate(time.Millisecond)
		switch {
		case doneAt != nil && doneAt.After(due): // met late, or stood still after it was missed
			take(due, due)
		case doneAt == nil: // running
			take(due, cal.Sub(due, soonBefore(minutes)).UTC().Truncate(time.Millisecond))
		}
		return &due
	}
	t.FirstResponseDue = target(t.FirstResponseTarget, t.FirstResponseAt)
	t.ResolutionDue = target(t.ResolutionTarget, nil)
	t.TargetAt, t.TargetSoonAt = dueAt, soonAt
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
