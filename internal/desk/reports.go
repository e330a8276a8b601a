package desk

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/bizhours"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Reports (README "Reports"): figures per queue and organisation-wide over
// a range of days, grouped by queue, channel, priority, week or month,
// added up from report_days, which the report job keeps up to date
// (RefreshReports). There is no figure about one person: no grouping,
// filter or export names an agent, and a cell over fewer than
// ReportMinCell tickets is withheld, so that a queue of one agent does not
// become a report about them.

// ReportMinCell is the fewest tickets a figure is shown for; below it the
// figure reads "< 5" and what is derived from it is withheld.
const ReportMinCell = 5

// reportMaxDays bounds a report's range.
const reportMaxDays = 5*366 + 1

// ReportGroups are the groupings a report knows.
var ReportGroups = []string{"queue", "channel", "priority", "week", "month"}

// ReportParams are the query parameters a report takes; any other is
// refused.
var ReportParams = []string{"from", "to", "queue", "group_by", "format"}

// personWords are parameter names and group_by values that would ask for
// figures about one person; they are refused with the works council's
// reason.
var personWords = []string{"assignee", "agent", "author", "user", "actor", "person", "people", "requester", "staff", "member",
	"owner", "email", "mail", "handler", "handled", "who", "employee", "worker", "creator", "editor", "rater",
	"resolver", "closer", "login", "name", "account", "individual", "team_member", "operator", "uid", "sub"}

// personal reports whether a parameter name or group_by value names a
// person (assignee, assignee_id, by_agent, agentId, ...).
func personal(s string) bool {
	s = strings.ToLower(s)
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r < 'a' || r > 'z' }) {
		for _, w := range personWords {
			if part == w || strings.TrimSuffix(part, "s") == w || strings.TrimSuffix(part, "id") == w {
				return true
			}
		}
	}
	for _, w := range []string{"assignee", "agent", "author", "user", "actor", "person", "requester", "employee", "staff"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// ReportQuery is what a report is asked for.
type ReportQuery struct {
	From, To bizhours.Date // inclusive
	Queue    string        // one queue's name, or "" for all the person sees
	GroupBy  string        // one of ReportGroups
	Format   string        // "", "json" or "csv" (the API's)
}

// ParseReportQuery reads a report's query parameters; today is the default
// end. Days are YYYY-MM-DD; the default range is the year up to today,
// grouped by month. A parameter that names a person, or group_by a person,
// is refused (EINVALID, err.report.person: the works council's reason), as
// is any parameter a report does not know.
func ParseReportQuery(q url.Values, today bizhours.Date) (ReportQuery, error) {
	for k := range q {
		if personal(k) {
			return ReportQuery{}, ticket.E(ticket.EINVALID, "err.report.person").Field(k, "problem.report_person")
		}
	}
	if g := q.Get("group_by"); personal(g) {
		return ReportQuery{}, ticket.E(ticket.EINVALID, "err.report.person").Field("group_by", "problem.report_person")
	}
	v := ticket.Validation{}
	for k := range q {
		if !slices.Contains(ReportParams, k) {
			v.Add(k, "problem.report_param")
		}
	}
	rq := ReportQuery{To: today, GroupBy: "month", Queue: strings.TrimSpace(q.Get("queue")), Format: q.Get("format")}
	if s := strings.TrimSpace(q.Get("to")); s != "" {
		d, err := bizhours.ParseDate(s)
		if err != nil {
			v.Add("to", "problem.not_date")
		}
		rq.To = d
	}
	rq.From = rq.To.AddDays(-364)
	if s := strings.TrimSpace(q.Get("from")); s != "" {
		d, err := bizhours.ParseDate(s)
		if err != nil {
			v.Add("from", "problem.not_date")
		}
		rq.From = d
	}
	if n := dayNumber(rq.To) - dayNumber(rq.From); n < 0 {
		v.Add("to", "problem.report_order")
	} else if n >= reportMaxDays {
		v.Add("from", "problem.report_range", 5)
	}
	if g := q.Get("group_by"); g != "" {
		if !slices.Contains(ReportGroups, g) {
			v.Add("group_by", "problem.one_of", strings.Join(ReportGroups, ", "))
		}
		rq.GroupBy = g
	}
	if rq.Format != "" && rq.Format != "json" && rq.Format != "csv" {
		v.Add("format", "problem.one_of", "json, csv")
	}
	return rq, v.Err()
}

// Values is rq as query parameters (without the format).
func (rq ReportQuery) Values() url.Values {
	v := url.Values{"from": {rq.From.String()}, "to": {rq.To.String()}, "group_by": {rq.GroupBy}}
	if rq.Queue != "" {
		v.Set("queue", rq.Queue)
	}
	return v
}

// Figure is one number of a report. Withheld: it counts, or is derived
// from, fewer than ReportMinCell tickets and is not shown ("< 5"). None:
// there is nothing to show (no ticket with a target, say). AtLeast: a
// duration beyond the last histogram bucket, Value its lower bound.
type Figure struct {
	Value    float64
	Withheld bool
	None     bool
	AtLeast  bool
}

// Text is f as a report cell: "< 5", "" for none, the value otherwise
// (rounded to decimals).
func (f Figure) Text(decimals int) string {
	switch {
	case f.Withheld:
		return "< 5"
	case f.None:
		return ""
	}
	s := strconv.FormatFloat(f.Value, 'f', decimals, 64)
	if f.AtLeast {
		s = ">" + s
	}
	return s
}

// ReportRow is one line of a report: a queue, channel, priority, week or
// month, the whole selection, or the praise and complaints queue.
// Durations are business minutes; rates are percent.
type ReportRow struct {
	Key     string // queue name, channel, priority, "2026-W07", "2026-02"; "" for the total
	Created Figure
	Solved  Figure
	Backlog Figure // open at the end of the row's period
	// First response and resolution in business minutes.
	FirstMedian, FirstP90 Figure
	ResMedian, ResP90     Figure
	FirstHit, ResHit      Figure // percent of the tickets with a target that met it
	ReopenRate            Figure // percent of the solved tickets that had been reopened
	FeedbackCount         Figure
	FeedbackAverage       Figure
	Feedback              [5]Figure // ratings 1..5
	TimeSpent             Figure    // minutes, of the tickets solved
}

// Report is a report's answer.
type Report struct {
	Query      ReportQuery
	Rows       []ReportRow
	Total      ReportRow
	Complaints *ReportRow // the praise and complaints queue, when set and seen
	// Load is tickets opened by weekday (Monday first) and hour of the
	// day, in the queues' time zones.
	Load [7][24]Figure
	// All says the report adds up every queue (auditors); otherwise the
	// non-confidential tickets and those of the person's own queues.
	All bool
}

// reportScope is who sees what in reports: auditors (and staff who hold
// the auditor role besides) and servus itself every ticket, aggregated;
// agents and admins what they may see of tickets (access.TicketScope):
// the non-confidential ones and those of their own queues (their own
// confidential requests aside, which a report does not single out);
// requesters nothing (EFORBIDDEN).
func reportScope(a access.Actor) (store.ReportScope, error) {
	switch {
	case a.IsSystem() || a.Auditor() || a.AlsoAuditor && a.Staff():
		return store.ReportScope{All: true}, nil
	case a.Staff():
		return store.ReportScope{Queues: a.Queues}, nil
	}
	return store.ReportScope{}, ticket.E(ticket.EFORBIDDEN, "err.report.staff")
}

// CanReadReports reports whether a may read reports: staff and auditors.
func CanReadReports(a access.Actor) bool {
	_, err := reportScope(a)
	return err == nil
}

// dayNumber is d as days since 1970-01-01.
func dayNumber(d bizhours.Date) int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dateOf is the date of day number n.
func dateOf(n int) bizhours.Date {
	return bizhours.DateOf(time.Unix(int64(n)*86400, 0).UTC())
}

// Report computes the report rq for a.
func (s *Service) Report(ctx context.Context, a access.Actor, rq ReportQuery) (*Report, error) {
	scope, err := reportScope(a)
	if err != nil {
		return nil, err
	}
	rep := &Report{Query: rq, All: scope.All}
	from, to := dayNumber(rq.From), dayNumber(rq.To)
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		qs, err := tx.Queues(ctx, false)
		if err != nil {
			return err
		}
		names := map[int64]string{}
		var queueID int64
		for _, q := range qs {
			names[q.ID] = q.Name
			if rq.Queue != "" && strings.EqualFold(q.Name, rq.Queue) {
				queueID = q.ID
				rep.Query.Queue = q.Name
			}
		}
		if rq.Queue != "" && queueID == 0 {
			return ticket.E(ticket.EINVALID, "err.queue.unknown").Field("queue", "problem.unknown_queue")
		}
		days, err := tx.ReportSums(ctx, scope, from, to, queueID, "day", nil)
		if err != nil {
			return err
		}
		backlogIdx := []int{store.RCreated, store.RSolved, store.RClosedOther}
		var total store.ReportCounts
		var load [7][24]int64
		for _, d := range days {
			total.Add(&d.ReportCounts)
			n, _ := strconv.Atoi(d.Key)
			wd := (int(dateOf(n).Weekday()) + 6) % 7 // Monday first
			for h := range 24 {
				load[wd][h] += d.Sums[store.RLoad0+h]
			}
		}
		for wd := range 7 {
			for h := range 24 {
				rep.Load[wd][h] = count(load[wd][h])
			}
		}
		// Backlog: every ticket opened up to a day and not done by then.
		// The whole history before the range is summed once, per queue (and
		// per the report's grouping when that is not by queue); each period's
		// and group's backlog is that plus what the range added.
		before, err := tx.ReportSums(ctx, scope, math.MinInt32, from-1, queueID, "queue", backlogIdx)
		if err != nil {
			return err
		}
		base := int64(0)
		beforeQueue := map[string]int64{}
		for _, b := range before {
			base += backlogOf(&b.ReportCounts)
			beforeQueue[b.Key] = backlogOf(&b.ReportCounts)
		}
		rep.Total = reportRow("", &total, base+backlogOf(&total))
		queueSums := map[int64]store.ReportCounts{} // by queue: each queue's sums over the range
		switch rq.GroupBy {
		case "week", "month":
			periods := map[string]*store.ReportCounts{}
			var keys []string
			for _, d := range days {
				n, _ := strconv.Atoi(d.Key)
				k := periodKey(dateOf(n), rq.GroupBy)
				if periods[k] == nil {
					periods[k] = &store.ReportCounts{}
				}
				periods[k].Add(&d.ReportCounts)
			}
			// Every period of the range, also those without tickets.
			for n := from; n <= to; n++ {
				if k := periodKey(dateOf(n), rq.GroupBy); len(keys) == 0 || keys[len(keys)-1] != k {
					keys = append(keys, k)
				}
			}
			running := base
			for _, k := range keys {
				c := periods[k]
				if c == nil {
					c = &store.ReportCounts{}
				}
				running += backlogOf(c)
				rep.Rows = append(rep.Rows, reportRow(k, c, running))
			}
		default:
			groups, err := tx.ReportSums(ctx, scope, from, to, queueID, store.ReportGroup(rq.GroupBy), nil)
			if err != nil {
				return err
			}
			backlog := beforeQueue
			if rq.GroupBy != "queue" {
				open, err := tx.ReportSums(ctx, scope, math.MinInt32, from-1, queueID, store.ReportGroup(rq.GroupBy), backlogIdx)
				if err != nil {
					return err
				}
				backlog = map[string]int64{}
				for _, o := range open {
					backlog[o.Key] = backlogOf(&o.ReportCounts)
				}
			}
			for _, g := range groups {
				key := g.Key
				if rq.GroupBy == "queue" {
					id, _ := strconv.ParseInt(g.Key, 10, 64)
					key = names[id]
					queueSums[id] = g.ReportCounts
				}
				rep.Rows = append(rep.Rows, reportRow(key, &g.ReportCounts, backlog[g.Key]+backlogOf(&g.ReportCounts)))
			}
			slices.SortFunc(rep.Rows, func(a, b ReportRow) int { return strings.Compare(a.Key, b.Key) })
			if rq.GroupBy == "priority" {
				rank := func(k string) int { return slices.Index(ticket.Priorities, ticket.Priority(k)) }
				slices.SortFunc(rep.Rows, func(a, b ReportRow) int { return rank(a.Key) - rank(b.Key) })
			}
		}
		cq, err := tx.ComplaintsQueue(ctx)
		if err != nil || cq == nil || (queueID != 0 && queueID != cq.ID) {
			return err
		}
		if !scope.All && cq.Confidential && !slices.Contains(scope.Queues, cq.ID) {
			return nil
		}
		var c store.ReportCounts
		if i := slices.IndexFunc(rep.Rows, func(r ReportRow) bool { return rq.GroupBy == "queue" && r.Key == cq.Name }); i >= 0 {
			c = queueSums[cq.ID]
		} else {
			cs, err := tx.ReportSums(ctx, scope, from, to, cq.ID, "", nil)
			if err != nil {
				return err
			}
			for _, x := range cs {
				c.Add(&x.ReportCounts)
			}
		}
		open := beforeQueue[strconv.FormatInt(cq.ID, 10)] + backlogOf(&c)
		row := reportRow(cq.Name, &c, open)
		rep.Complaints = &row
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// backlogOf is what c adds to the backlog: opened minus done.
func backlogOf(c *store.ReportCounts) int64 {
	return c.Sums[store.RCreated] - c.Sums[store.RSolved] - c.Sums[store.RClosedOther]
}

// periodKey is the ISO week ("2026-W07") or month ("2026-02") of d.
func periodKey(d bizhours.Date, group string) string {
	if group == "week" {
		y, w := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	}
	return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
}

// count is a number of tickets as a figure: withheld under ReportMinCell.
func count(n int64) Figure {
	if n < ReportMinCell {
		return Figure{Withheld: true}
	}
	return Figure{Value: float64(n)}
}

// derived is a figure computed over n tickets: withheld under
// ReportMinCell, none when there are none.
func derived(n int64, v float64) Figure {
	switch {
	case n == 0:
		return Figure{None: true}
	case n < ReportMinCell:
		return Figure{Withheld: true}
	}
	return Figure{Value: v}
}

// reportRow makes the figures of one row from its sums and backlog.
func reportRow(key string, c *store.ReportCounts, backlog int64) ReportRow {
	s := &c.Sums
	r := ReportRow{Key: key, Created: count(s[store.RCreated]), Solved: count(s[store.RSolved]), Backlog: count(max(backlog, 0))}
	pct := func(a, b int64) float64 {
		if b == 0 {
			return 0
		}
		return math.Round(1000*float64(a)/float64(b)) / 10
	}
	frN, rsN := s[store.RFirstN], s[store.RResN]
	r.FirstMedian = percentile(s[store.RFirst0:store.RFirst0+store.ReportBuckets], frN, 0.5)
	r.FirstP90 = percentile(s[store.RFirst0:store.RFirst0+store.ReportBuckets], frN, 0.9)
	r.ResMedian = percentile(s[store.RRes0:store.RRes0+store.ReportBuckets], rsN, 0.5)
	r.ResP90 = percentile(s[store.RRes0:store.RRes0+store.ReportBuckets], rsN, 0.9)
	r.FirstHit = derived(s[store.RFirstTarget], pct(s[store.RFirstMet], s[store.RFirstTarget]))
	r.ResHit = derived(s[store.RResTarget], pct(s[store.RResMet], s[store.RResTarget]))
	r.ReopenRate = derived(s[store.RSolved], pct(s[store.RReopened], s[store.RSolved]))
	fb := s[store.RFeedbackN]
	r.FeedbackCount = count(fb)
	avg := 0.0
	if fb > 0 {
		avg = math.Round(100*float64(s[store.RFeedbackSum])/float64(fb)) / 100
	}
	r.FeedbackAverage = derived(fb, avg)
	for k := range 5 {
		if fb < ReportMinCell {
			r.Feedback[k] = Figure{Withheld: true}
			continue
		}
		r.Feedback[k] = count(s[store.RFeedback1+k])
		if s[store.RFeedback1+k] == 0 {
			r.Feedback[k] = Figure{Value: 0}
		}
	}
	r.TimeSpent = derived(s[store.RSolved], float64(s[store.RSpent]))
	return r
}

// percentile estimates the p-th quantile of the n durations in the
// histogram h (store.ReportBuckets buckets): the bucket holding it, and
// within it geometrically interpolated (linearly in the first), so the
// estimate lies within the bucket, at most a factor 2^(1/3) (26 %) from
// the true value and in practice much closer. Withheld under
// ReportMinCell; AtLeast in the open last bucket.
func percentile(h []int64, n int64, p float64) Figure {
	switch {
	case n == 0:
		return Figure{None: true}
	case n < ReportMinCell:
		return Figure{Withheld: true}
	}
	rank := p * float64(n)
	cum := 0.0
	for i, c := range h {
		if c <= 0 {
			continue
		}
		if cum+float64(c) >= rank {
			f := (rank - cum) / float64(c)
			lo, hi := store.ReportBucketBounds(i)
			switch {
			case hi == 0:
				return Figure{Value: math.Round(lo), AtLeast: true}
			case lo == 0:
				return Figure{Value: math.Round(f * hi)}
			}
			return Figure{Value: math.Round(lo * math.Pow(hi/lo, f))}
		}
		cum += float64(c)
	}
	lo, _ := store.ReportBucketBounds(store.ReportBuckets - 1)
	return Figure{Value: math.Round(lo), AtLeast: true}
}

// ReportColumns are the columns of a report's CSV, in order.
var ReportColumns = []string{"group", "created", "solved", "backlog", "first_response_median_min", "first_response_p90_min",
	"resolution_median_min", "resolution_p90_min", "first_response_target_hit_pct", "resolution_target_hit_pct",
	"reopen_rate_pct", "feedback_count", "feedback_average", "feedback_1", "feedback_2", "feedback_3", "feedback_4",
	"feedback_5", "time_spent_min"}

// Figures lists r's figures in the order of ReportColumns (after group).
func (r *ReportRow) Figures() []Figure {
	return append([]Figure{r.Created, r.Solved, r.Backlog, r.FirstMedian, r.FirstP90, r.ResMedian, r.ResP90,
		r.FirstHit, r.ResHit, r.ReopenRate, r.FeedbackCount, r.FeedbackAverage}, append(r.Feedback[:], r.TimeSpent)...)
}

// WriteReportCSV writes rep as CSV: a header, a row per group, the
// praise-and-complaints line ("complaints:<queue>") and the total
// ("total"); withheld figures read "< 5", figures without data are empty,
// and then the load by weekday and hour ("load:<weekday>", hours 0..23).
func WriteReportCSV(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	cw.Write(ReportColumns)
	line := func(key string, r *ReportRow) {
		rec := []string{key}
		for i, f := range r.Figures() {
			d := 0
			switch i {
			case 7, 8, 9: // rates
				d = 1
			case 11: // average rating
				d = 2
			}
			rec = append(rec, f.Text(d))
		}
		cw.Write(rec)
	}
	for i := range rep.Rows {
		line(rep.Rows[i].Key, &rep.Rows[i])
	}
	if rep.Complaints != nil {
		line("complaints:"+rep.Complaints.Key, rep.Complaints)
	}
	line("total", &rep.Total)
	cw.Write(nil)
	head := []string{"weekday"}
	for h := range 24 {
		head = append(head, fmt.Sprintf("%02d", h))
	}
	cw.Write(head)
	for wd := range 7 {
		rec := []string{"load:" + time.Weekday((wd+1)%7).String()}
		for h := range 24 {
			rec = append(rec, rep.Load[wd][h].Text(0))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// reportBatch is how many tickets one transaction of the report job
// brings up to date.
const reportBatch = 1000

// reportOverlap is how far back each pass of the report job looks again,
// so that a ticket changed in a transaction that committed late is not
// missed (computing a ticket again changes nothing when nothing changed).
const reportOverlap = time.Minute

// RefreshReports brings the report aggregates up to date: it computes the
// facts of every ticket changed (or rated) since its last complete pass
// again and adds the difference to the daily sums, reportBatch tickets per
// transaction, its place kept in the database, so that a run that stops
// (budget spent, lease lost, restart) goes on where it stood. The first
// pass on a database is the backfill of every ticket. It stops after
// budget (0: when done) and returns how many tickets it looked at and
// whether it is done.
func (s *Service) RefreshReports(ctx context.Context, budget time.Duration) (n int, done bool, err error) {
	start := time.Now()
	cals := map[int64]*bizhours.Calendar{}
	for {
		if budget > 0 && time.Since(start) > budget {
			return n, false, nil
		}
		if err := ctx.Err(); err != nil {
			return n, false, err
		}
		finished := false
		err := s.db.Write(ctx, func(tx *store.Tx) error {
			p, err := tx.ReportProgress(ctx)
			if err != nil {
				return err
			}
			if p.Cursor == 0 {
				p.Pending = s.now().UTC().Add(-reportOverlap)
			}
			ids, err := tx.ReportChanged(ctx, p.Since, p.Cursor, reportBatch)
			if err != nil {
				return err
			}
			if len(ids) > 0 {
				if err := s.refreshReportFacts(ctx, tx, ids, cals); err != nil {
					return err
				}
				p.Cursor = ids[len(ids)-1]
				n += len(ids)
			}
			if len(ids) < reportBatch {
				p.Since, p.Cursor, finished = p.Pending, 0, true
			}
			return tx.SetReportProgress(ctx, p)
		})
		if err != nil {
			return n, false, err
		}
		if finished {
			return n, true, nil
		}
	}
}

// refreshReportFacts computes the facts of the tickets ids again and
// stores the difference.
func (s *Service) refreshReportFacts(ctx context.Context, tx *store.Tx, ids []int64, cals map[int64]*bizhours.Calendar) error {
	olds, err := tx.ReportFacts(ctx, ids)
	if err != nil {
		return err
	}
	ts, err := tx.ReportTickets(ctx, ids)
	if err != nil {
		return err
	}
	news := map[int64]*store.ReportFact{}
	for id, rt := range ts {
		cal := cals[rt.Ticket.QueueID]
		if cal == nil {
			q, err := tx.QueueByID(ctx, rt.Ticket.QueueID)
			if err != nil {
				return err
			}
			if cal, err = calendarOf(q.Targets); err != nil {
				// A calendar servus no longer reads: count calendar time.
				cal, _ = bizhours.New(bizhours.Config{Zone: "UTC", Week: allWeek()})
			}
			cals[rt.Ticket.QueueID] = cal
		}
		news[id] = reportFact(rt, cal)
	}
	return tx.ApplyReportFacts(ctx, olds, news)
}

// allWeek is a week open day and night.
func allWeek() bizhours.Week {
	var w bizhours.Week
	for d := range 7 {
		w[d] = []bizhours.Span{{Start: 0, End: 24 * time.Hour}}
	}
	return w
}

// done reports whether a ticket in state st is done (resolved or closed).
func done(st ticket.State) bool { return st == ticket.StateResolved || st == ticket.StateClosed }

// reportFact is what rt contributes to the reports, in cal: its day and
// hour of opening and the day it was done in cal's time zone, its first
// response and resolution in business minutes leaving out the time its
// clock stood still (waiting for the requester, resolved or closed: as
// response targets count), whether they met their targets, whether it was
// reopened, its rating and the minutes spent on it.
func reportFact(rt *store.ReportTicket, cal *bizhours.Calendar) *store.ReportFact {
	t := &rt.Ticket
	loc := cal.Location()
	local := t.CreatedAt.In(loc)
	f := &store.ReportFact{TicketID: t.ID, QueueID: t.QueueID, Channel: string(t.Channel), Priority: string(t.Priority),
		Confidential: t.Confidential, CreatedDay: dayNumber(bizhours.DateOf(local)), CreatedHour: local.Hour(),
		Rating: rt.Rating, Spent: rt.Spent}
	var pauses []bizhours.Interval
	var since *time.Time
	prev := ticket.StateNew
	for _, c := range rt.History {
		at := c.At
		switch {
		case stopped(c.State) && since == nil:
			since = &at
		case !stopped(c.State) && since != nil:
			pauses = append(pauses, bizhours.Interval{Start: *since, End: at})
			since = nil
		}
		if done(prev) && !done(c.State) {
			f.Reopened = true
		}
		prev = c.State
	}
	if since != nil {
		pauses = append(pauses, bizhours.Interval{Start: *since})
	}
	elapsed := func(end time.Time) *int64 {
		var ps []bizhours.Interval
		for _, p := range pauses {
			if p.Start.Before(end) {
				if p.End.IsZero() || p.End.After(end) {
					p.End = end
				}
				ps = append(ps, p)
			}
		}
		m := int64(cal.Elapsed(t.CreatedAt, end, ps) / time.Minute)
		return &m
	}
	first := t.FirstResponseAt
	if first == nil {
		first = rt.FirstStaffAnswer
	}
	if first != nil {
		f.FirstMinutes = elapsed(*first)
		if t.FirstResponseDue != nil {
			met := !first.After(*t.FirstResponseDue)
			f.FirstMet = &met
		}
	}
	var doneAt *time.Time
	switch {
	case t.State == ticket.StateResolved && t.ResolvedAt != nil:
		doneAt, f.Solved = t.ResolvedAt, true
	case t.State == ticket.StateClosed && t.ResolvedAt != nil && (t.CloseReason == ticket.ReasonSolved || t.CloseReason == ticket.ReasonAutoClosed):
		doneAt, f.Solved = t.ResolvedAt, true
	case t.State == ticket.StateClosed && t.ClosedAt != nil:
		doneAt = t.ClosedAt
	}
	if doneAt != nil {
		d := dayNumber(bizhours.DateOf(doneAt.In(loc)))
		f.DoneDay = &d
		if f.Solved {
			f.ResMinutes = elapsed(*doneAt)
			if t.ResolutionDue != nil {
				met := !doneAt.After(*t.ResolutionDue)
				f.ResMet = &met
			}
		}
	}
	if !f.Solved {
		f.Rating = 0
	}
	return f
}
