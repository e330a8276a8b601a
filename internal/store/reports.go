package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// Reports (README "Reports"): per ticket its facts (ReportFact), summed per
// day x queue x channel x priority x confidentiality in report_days
// (ReportCounts). Nothing here names a person.

// ReportBuckets is how many histogram buckets a duration has: bucket 0 is
// below one minute, bucket i (1 ≤ i < ReportBuckets-1) from 2^((i-1)/3) up
// to 2^(i/3) business minutes, the last one everything above.
const ReportBuckets = 54

// ReportHours is how many load columns (hours of the day) a row has.
const ReportHours = 24

// reportCounterNames are report_days' counters in the order of
// ReportCounts.Sums.
var reportCounterNames = []string{"created", "solved", "closed_other", "reopened", "fr_n", "fr_t", "fr_met",
	"rs_n", "rs_t", "rs_met", "fb_n", "fb_sum", "fb_1", "fb_2", "fb_3", "fb_4", "fb_5", "spent"}

// Indexes of the counters in ReportCounts.Sums.
const (
	RCreated = iota
	RSolved
	RClosedOther
	RReopened
	RFirstN
	RFirstTarget
	RFirstMet
	RResN
	RResTarget
	RResMet
	RFeedbackN
	RFeedbackSum
	RFeedback1 // RFeedback1+k-1 is rating k
	_
	_
	_
	_
	RSpent
	RLoad0 // RLoad0+h: opened in hour h
)

// RFirst0 and RRes0 are the first histogram buckets in ReportCounts.Sums.
const (
	RFirst0 = RLoad0 + ReportHours
	RRes0   = RFirst0 + ReportBuckets
	// RCount is how many sums a ReportCounts has.
	RCount = RRes0 + ReportBuckets
)

// reportColumns are all of report_days' sums, in order.
var reportColumns = func() []string {
	cols := append([]string{}, reportCounterNames...)
	for h := range ReportHours {
		cols = append(cols, fmt.Sprintf("ld_%02d", h))
	}
	for i := range ReportBuckets {
		cols = append(cols, fmt.Sprintf("fr_%02d", i))
	}
	for i := range ReportBuckets {
		cols = append(cols, fmt.Sprintf("rs_%02d", i))
	}
	if len(cols) != RCount {
		panic("store: report columns out of step")
	}
	return cols
}()

// ReportCounts is one sum of report_days rows.
type ReportCounts struct {
	Sums [RCount]int64
}

// Add adds o to c.
func (c *ReportCounts) Add(o *ReportCounts) {
	for i := range c.Sums {
		c.Sums[i] += o.Sums[i]
	}
}

// ReportCell identifies one row of report_days.
type ReportCell struct {
	Day          int
	QueueID      int64
	Channel      string
	Priority     string
	Confidential bool
}

// ReportFact is what one ticket contributes to the reports.
type ReportFact struct {
	TicketID     int64
	QueueID      int64
	Channel      string
	Priority     string
	Confidential bool
	CreatedDay   int
	CreatedHour  int
	DoneDay      *int   // solved or closed; nil while open
	Solved       bool   // done as solved (resolved, or closed as solved)
	FirstMinutes *int64 // business minutes to the first response
	FirstMet     *bool  // nil: no target
	ResMinutes   *int64 // business minutes to the resolution
	ResMet       *bool
	Reopened     bool
	Rating       int // 0 for none
	Spent        int64
}

// ReportBucket is the histogram bucket of a duration of minutes business
// minutes.
func ReportBucket(minutes int64) int {
	if minutes < 1 {
		return 0
	}
	// The smallest i with minutes < 2^(i/3).
	for i := 1; i < ReportBuckets-1; i++ {
		if float64(minutes) < bucketBound(i) {
			return i
		}
	}
	return ReportBuckets - 1
}

// ReportBucketBounds are the lower and upper bounds of bucket i in
// minutes; the last bucket's upper bound is 0 (open).
func ReportBucketBounds(i int) (lo, hi float64) {
	switch {
	case i == 0:
		return 0, 1
	case i == ReportBuckets-1:
		return bucketBound(i - 1), 0
	}
	return bucketBound(i - 1), bucketBound(i)
}

var bounds = func() []float64 {
	b := make([]float64, ReportBuckets)
	for i := range b {
		b[i] = pow2(float64(i) / 3)
	}
	return b
}()

func bucketBound(i int) float64 { return bounds[i] }

func pow2(x float64) float64 { return math.Pow(2, x) }

// contributions adds f's contributions to the cells of m, times sign.
func (f *ReportFact) contributions(m map[ReportCell]*ReportCounts, sign int64) {
	at := func(day int) *ReportCounts {
		k := ReportCell{Day: day, QueueID: f.QueueID, Channel: f.Channel, Priority: f.Priority, Confidential: f.Confidential}
		c := m[k]
		if c == nil {
			c = &ReportCounts{}
			m[k] = c
		}
		return c
	}
	b2i := func(b bool) int64 {
		if b {
			return 1
		}
		return 0
	}
	c := at(f.CreatedDay)
	c.Sums[RCreated] += sign
	c.Sums[RLoad0+f.CreatedHour] += sign
	if f.FirstMinutes != nil {
		c.Sums[RFirstN] += sign
		c.Sums[RFirst0+ReportBucket(*f.FirstMinutes)] += sign
		if f.FirstMet != nil {
			c.Sums[RFirstTarget] += sign
			c.Sums[RFirstMet] += sign * b2i(*f.FirstMet)
		}
	}
	if f.DoneDay == nil {
		return
	}
	d := at(*f.DoneDay)
	if !f.Solved {
		d.Sums[RClosedOther] += sign
		return
	}
	d.Sums[RSolved] += sign
	d.Sums[RReopened] += sign * b2i(f.Reopened)
	d.Sums[RSpent] += sign * f.Spent
	if f.ResMinutes != nil {
		d.Sums[RResN] += sign
		d.Sums[RRes0+ReportBucket(*f.ResMinutes)] += sign
		if f.ResMet != nil {
			d.Sums[RResTarget] += sign
			d.Sums[RResMet] += sign * b2i(*f.ResMet)
		}
	}
	if f.Rating >= 1 && f.Rating <= 5 {
		d.Sums[RFeedbackN] += sign
		d.Sums[RFeedbackSum] += sign * int64(f.Rating)
		d.Sums[RFeedback1+f.Rating-1] += sign
	}
}

// ReportProgress is where the report job stands (see report_progress).
type ReportProgress struct {
	Since, Pending time.Time
	Cursor         int64
}

// ReportProgress reads the report job's place.
func (tx *Tx) ReportProgress(ctx context.Context) (ReportProgress, error) {
	var since, pending int64
	var p ReportProgress
	q := "SELECT since_ms, pending_ms, cursor_id FROM report_progress WHERE id = 1"
	if tx.db.dialect == Postgres {
		q += " FOR UPDATE" // one pass at a time: two would add the same difference twice
	}
	err := tx.queryRow(ctx, q).Scan(&since, &pending, &p.Cursor)
	p.Since, p.Pending = fromMS(since), fromMS(pending)
	return p, err
}

// SetReportProgress stores the report job's place.
func (tx *Tx) SetReportProgress(ctx context.Context, p ReportProgress) error {
	_, err := tx.exec(ctx, "UPDATE report_progress SET since_ms = ?, pending_ms = ?, cursor_id = ? WHERE id = 1",
		ms(p.Since), ms(p.Pending), p.Cursor)
	return err
}

// ReportChanged lists up to limit IDs above after of the tickets changed
// (or rated) at or after since, in order.
func (tx *Tx) ReportChanged(ctx context.Context, since time.Time, after int64, limit int) ([]int64, error) {
	// Each part read in ID order from after and stopped at limit, then
	// merged: a union sorted as a whole read every changed ticket for each
	// batch, which made the backfill (since 0: every ticket) quadratic. The
	// backfill walks the primary keys; a later pass the tickets changed
	// since, through their index.
	tq := "SELECT id FROM tickets WHERE updated_at >= ? AND +id > ? ORDER BY +id LIMIT ?"
	fq := "SELECT ticket_id FROM feedback WHERE created_at >= ? AND ticket_id > ? ORDER BY ticket_id LIMIT ?"
	args := []any{ms(since), after, limit}
	if ms(since) <= 0 {
		tq = "SELECT id FROM tickets WHERE id > ? ORDER BY id LIMIT ?"
		fq = "SELECT ticket_id FROM feedback WHERE ticket_id > ? ORDER BY ticket_id LIMIT ?"
		args = args[1:]
	}
	var ids []int64
	for _, q := range []string{tq, fq} {
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > limit {
		ids = ids[:limit]
	}
	return ids, nil
}

// ReportTicket is what the report job reads of one ticket to compute its
// facts.
type ReportTicket struct {
	Ticket  ticket.Ticket
	History []StateChange // states entered, in order
	// FirstStaffAnswer is the first public message by someone else than
	// the requester (for tickets from before first_response_at existed).
	FirstStaffAnswer *time.Time
	Rating           int
	Spent            int64
}

// ReportTickets reads the tickets ids for the report job; a ticket that no
// longer exists is missing from the result.
func (tx *Tx) ReportTickets(ctx context.Context, ids []int64) (map[int64]*ReportTicket, error) {
	out := map[int64]*ReportTicket{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := "(" + placeholders(len(ids)) + ")"
	rows, err := tx.query(ctx, `SELECT id, queue_id, requester_id, channel, priority, confidential, state, close_reason,
		created_at, resolved_at, closed_at, first_response_at, first_response_due, resolution_due
		FROM tickets WHERE id IN `+in, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var rt ReportTicket
		t := &rt.Ticket
		var created int64
		var resolved, closed, first, firstDue, resDue sql.NullInt64
		if err := rows.Scan(&t.ID, &t.QueueID, &t.RequesterID, &t.Channel, &t.Priority, &t.Confidential, &t.State, &t.CloseReason,
			&created, &resolved, &closed, &first, &firstDue, &resDue); err != nil {
			rows.Close()
			return nil, err
		}
		t.CreatedAt = fromMS(created)
		t.ResolvedAt, t.ClosedAt, t.FirstResponseAt = optMS(resolved), optMS(closed), optMS(first)
		t.FirstResponseDue, t.ResolutionDue = optMS(firstDue), optMS(resDue)
		out[t.ID] = &rt
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, `SELECT e.ticket_id, e.kind, e.new_value, e.author_id, e.visibility, e.created_at, e.time_spent
		FROM entries e WHERE e.ticket_id IN `+in+`
		AND ((e.kind = 'event' AND e.field = 'state') OR e.kind = 'message' OR e.time_spent IS NOT NULL)
		ORDER BY e.ticket_id, e.id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, at int64
		var kind, val, vis string
		var author, spent sql.NullInt64
		if err := rows.Scan(&id, &kind, &val, &author, &vis, &at, &spent); err != nil {
			rows.Close()
			return nil, err
		}
		rt := out[id]
		if rt == nil {
			continue
		}
		rt.Spent += spent.Int64
		switch {
		case kind == "event":
			rt.History = append(rt.History, StateChange{State: ticket.State(val), At: fromMS(at)})
		case kind == "message" && vis == "public" && rt.FirstStaffAnswer == nil && author.Valid && author.Int64 != rt.Ticket.RequesterID:
			t := fromMS(at)
			rt.FirstStaffAnswer = &t
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, "SELECT ticket_id, rating FROM feedback WHERE ticket_id IN "+in, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r int
		if err := rows.Scan(&id, &r); err != nil {
			return nil, err
		}
		if rt := out[id]; rt != nil {
			rt.Rating = r
		}
	}
	return out, rows.Err()
}

func optMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// ReportFacts reads the stored facts of the tickets ids.
func (tx *Tx) ReportFacts(ctx context.Context, ids []int64) (map[int64]*ReportFact, error) {
	out := map[int64]*ReportFact{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.query(ctx, `SELECT ticket_id, queue_id, channel, priority, confidential, created_day, created_hour,
		done_day, solved, fr_minutes, fr_met, rs_minutes, rs_met, reopened, rating, spent
		FROM report_facts WHERE ticket_id IN (`+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f ReportFact
		var done, frMet, rsMet, rating sql.NullInt64
		var fr, rs sql.NullInt64
		if err := rows.Scan(&f.TicketID, &f.QueueID, &f.Channel, &f.Priority, &f.Confidential, &f.CreatedDay, &f.CreatedHour,
			&done, &f.Solved, &fr, &frMet, &rs, &rsMet, &f.Reopened, &rating, &f.Spent); err != nil {
			return nil, err
		}
		if done.Valid {
			d := int(done.Int64)
			f.DoneDay = &d
		}
		if fr.Valid {
			f.FirstMinutes = &fr.Int64
		}
		if rs.Valid {
			f.ResMinutes = &rs.Int64
		}
		if frMet.Valid {
			b := frMet.Int64 != 0
			f.FirstMet = &b
		}
		if rsMet.Valid {
			b := rsMet.Int64 != 0
			f.ResMet = &b
		}
		f.Rating = int(rating.Int64)
		out[f.TicketID] = &f
	}
	return out, rows.Err()
}

// ApplyReportFacts replaces the stored facts of tickets by news (a ticket
// of olds missing from news keeps its facts: a deleted ticket stays in the
// reports) and adds the difference to report_days.
func (tx *Tx) ApplyReportFacts(ctx context.Context, olds, news map[int64]*ReportFact) error {
	delta := map[ReportCell]*ReportCounts{}
	for id, nf := range news {
		if of := olds[id]; of != nil {
			if sameFact(of, nf) {
				continue
			}
			of.contributions(delta, -1)
		}
		nf.contributions(delta, 1)
		if err := tx.putReportFact(ctx, nf); err != nil {
			return err
		}
	}
	if err := tx.addReportCells(ctx, delta); err != nil {
		return err
	}
	return nil
}

func sameFact(a, b *ReportFact) bool {
	eqI := func(x, y *int) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqL := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqB := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.TicketID == b.TicketID && a.QueueID == b.QueueID && a.Channel == b.Channel && a.Priority == b.Priority &&
		a.Confidential == b.Confidential && a.CreatedDay == b.CreatedDay && a.CreatedHour == b.CreatedHour &&
		eqI(a.DoneDay, b.DoneDay) && a.Solved == b.Solved && eqL(a.FirstMinutes, b.FirstMinutes) && eqB(a.FirstMet, b.FirstMet) &&
		eqL(a.ResMinutes, b.ResMinutes) && eqB(a.ResMet, b.ResMet) && a.Reopened == b.Reopened && a.Rating == b.Rating && a.Spent == b.Spent
}

func (tx *Tx) putReportFact(ctx context.Context, f *ReportFact) error {
	var done, frMet, rsMet, rating, fr, rs any
	if f.DoneDay != nil {
		done = *f.DoneDay
	}
	if f.FirstMinutes != nil {
		fr = *f.FirstMinutes
	}
	if f.ResMinutes != nil {
		rs = *f.ResMinutes
	}
	b2i := func(b *bool) any {
		switch {
		case b == nil:
			return nil
		case *b:
			return 1
		}
		return 0
	}
	frMet, rsMet = b2i(f.FirstMet), b2i(f.ResMet)
	if f.Rating > 0 {
		rating = f.Rating
	}
	_, err := tx.exec(ctx, `INSERT INTO report_facts (ticket_id, queue_id, channel, priority, confidential, created_day, created_hour,
		done_day, solved, fr_minutes, fr_met, rs_minutes, rs_met, reopened, rating, spent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (ticket_id) DO UPDATE SET queue_id = excluded.queue_id, channel = excluded.channel, priority = excluded.priority,
		confidential = excluded.confidential, created_day = excluded.created_day, created_hour = excluded.created_hour,
		done_day = excluded.done_day, solved = excluded.solved, fr_minutes = excluded.fr_minutes, fr_met = excluded.fr_met,
		rs_minutes = excluded.rs_minutes, rs_met = excluded.rs_met, reopened = excluded.reopened, rating = excluded.rating,
		spent = excluded.spent`,
		f.TicketID, f.QueueID, f.Channel, f.Priority, f.Confidential, f.CreatedDay, f.CreatedHour,
		done, f.Solved, fr, frMet, rs, rsMet, f.Reopened, rating, f.Spent)
	return err
}

// AddReportCell adds c to the report_days row k and to the coarser rows
// that hold it (benchmarks fill the tables with it; the report job goes
// through ApplyReportFacts).
func (tx *Tx) AddReportCell(ctx context.Context, k ReportCell, c *ReportCounts) error {
	return tx.addReportCells(ctx, map[ReportCell]*ReportCounts{k: c})
}

// The report tables, finest first: report_days (day x queue x channel x
// priority x confidentiality), report_queue_days (day x queue x
// confidentiality) and report_months (as report_days, by the month's first
// day). Each holds the same sums; migration 0034 says which report reads
// which.
var (
	reportDays      = newReportGrain("report_days", "day", "queue_id", "channel", "priority", "confidential")
	reportQueueDays = newReportGrain("report_queue_days", "day", "queue_id", "confidential")
	reportMonths    = newReportGrain("report_months", "day", "queue_id", "channel", "priority", "confidential")
)

type reportGrain struct {
	table  string
	keys   []string
	upsert string // addReportRow's statement
}

func newReportGrain(table string, keys ...string) reportGrain {
	cols := append(slices.Clone(keys), reportColumns...)
	set := make([]string, len(reportColumns))
	for i, c := range reportColumns {
		set[i] = c + " = " + table + "." + c + " + excluded." + c
	}
	return reportGrain{table: table, keys: keys,
		upsert: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + placeholders(len(cols)) +
			") ON CONFLICT (" + strings.Join(keys, ", ") + ") DO UPDATE SET " + strings.Join(set, ", ")}
}

// of is the row of g that cell k adds to.
func (g reportGrain) of(k ReportCell) ReportCell {
	switch g.table {
	case reportQueueDays.table:
		return ReportCell{Day: k.Day, QueueID: k.QueueID, Confidential: k.Confidential}
	case reportMonths.table:
		k.Day = MonthStart(k.Day)
		return k
	}
	return k
}

// MonthStart is the first day of the month of day (days since 1970-01-01).
func MonthStart(day int) int {
	t := time.Unix(int64(day)*86400, 0).UTC()
	return int(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// addReportCells adds each cell's counts to its rows of every grain.
func (tx *Tx) addReportCells(ctx context.Context, cells map[ReportCell]*ReportCounts) error {
	for _, g := range []reportGrain{reportDays, reportQueueDays, reportMonths} {
		rows := map[ReportCell]*ReportCounts{}
		for k, c := range cells {
			r := g.of(k)
			if rows[r] == nil {
				rows[r] = &ReportCounts{}
			}
			rows[r].Add(c)
		}
		for k, c := range rows {
			if err := tx.addReportRow(ctx, g, k, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// addReportRow adds c to g's row k. The statement names every sum, zeros
// included, so that it is one text per table, prepared once on each
// connection (stmtcache.go; pgx caches it too): a statement of the
// non-zero sums alone was a new text for nearly every row (1,104 texts for
// 1,127 rows in a backfill of 3,000 tickets), each parsed and planned anew.
func (tx *Tx) addReportRow(ctx context.Context, g reportGrain, k ReportCell, c *ReportCounts) error {
	if c.Sums == ([RCount]int64{}) {
		return nil
	}
	args := make([]any, 0, 5+RCount)
	if g.table == reportQueueDays.table {
		args = append(args, k.Day, k.QueueID, k.Confidential)
	} else {
		args = append(args, k.Day, k.QueueID, k.Channel, k.Priority, k.Confidential)
	}
	for _, v := range c.Sums {
		args = append(args, v)
	}
	_, err := tx.exec(ctx, g.upsert, args...)
	return err
}

// ReportScope says which report_days rows a person's report adds up: All
// (auditors), or the non-confidential rows and those of the queues Queues.
type ReportScope struct {
	All    bool
	Queues []int64
}

func (s ReportScope) sql() string {
	if s.All {
		return "(1=1)"
	}
	if len(s.Queues) == 0 {
		return "(confidential = FALSE)"
	}
	ids := make([]string, len(s.Queues))
	for i, q := range s.Queues {
		ids[i] = strconv.FormatInt(q, 10)
	}
	return "(confidential = FALSE OR queue_id IN (" + strings.Join(ids, ", ") + "))"
}

// ReportGroup is what ReportSums groups by: "day", "queue", "channel",
// "priority" or "" (one row).
type ReportGroup string

// ReportSum is one group's sums: Key is the day (days since 1970-01-01),
// queue ID, channel or priority as text; "" for no grouping.
type ReportSum struct {
	Key string
	ReportCounts
}

// ReportSums adds up the report sums for the days from..to (inclusive)
// that scope lets through, of queue queueID only unless 0, grouped by
// group. Only the counters with an index in only are summed when only is
// not empty (the others stay 0), which keeps backlog queries small.
// Grouped by day or queue, or not at all, it reads report_queue_days; by
// channel or priority report_months for the whole months of the range and
// report_days for the days around them.
func (tx *Tx) ReportSums(ctx context.Context, scope ReportScope, from, to int, queueID int64, group ReportGroup, only []int) ([]ReportSum, error) {
	switch group {
	case "day", "queue", "":
		return tx.reportSums(ctx, reportQueueDays, scope, from, to, queueID, group, only)
	case "channel", "priority":
	default:
		return nil, fmt.Errorf("report: unknown group %q", group)
	}
	// Whole months lo..hi-1 from report_months, the days before and after
	// from report_days.
	lo, hi := from, MonthStart(to)
	if from != math.MinInt32 && MonthStart(from) != from {
		lo = nextMonth(from)
	}
	if MonthStart(to+1) != hi { // to is its month's last day
		hi = to + 1
	}
	if lo >= hi {
		return tx.reportSums(ctx, reportDays, scope, from, to, queueID, group, only)
	}
	sums := map[string]*ReportSum{}
	var keys []string
	part := func(g reportGrain, from, to int) error {
		if from > to {
			return nil
		}
		rows, err := tx.reportSums(ctx, g, scope, from, to, queueID, group, only)
		for _, r := range rows {
			if sums[r.Key] == nil {
				sums[r.Key] = &ReportSum{Key: r.Key}
				keys = append(keys, r.Key)
			}
			sums[r.Key].Add(&r.ReportCounts)
		}
		return err
	}
	if err := part(reportDays, from, lo-1); err != nil {
		return nil, err
	}
	if err := part(reportMonths, lo, hi-1); err != nil {
		return nil, err
	}
	if err := part(reportDays, hi, to); err != nil {
		return nil, err
	}
	out := make([]ReportSum, len(keys))
	for i, k := range keys {
		out[i] = *sums[k]
	}
	return out, nil
}

// nextMonth is the first day of the month after day's.
func nextMonth(day int) int {
	t := time.Unix(int64(day)*86400, 0).UTC()
	return int(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// reportSums is ReportSums over one table.
func (tx *Tx) reportSums(ctx context.Context, g reportGrain, scope ReportScope, from, to int, queueID int64, group ReportGroup, only []int) ([]ReportSum, error) {
	key := "''"
	switch group {
	case "day":
		key = "day"
	case "queue":
		key = "queue_id"
	case "channel":
		key = "channel"
	case "priority":
		key = "priority"
	case "":
	default:
		return nil, fmt.Errorf("report: unknown group %q", group)
	}
	if g.table == reportQueueDays.table && (key == "channel" || key == "priority") {
		return nil, fmt.Errorf("report: %s has no %s", g.table, key)
	}
	idx := only
	if len(idx) == 0 {
		idx = make([]int, RCount)
		for i := range idx {
			idx[i] = i
		}
	}
	sums := make([]string, len(idx))
	for i, k := range idx {
		sums[i] = "SUM(" + reportColumns[k] + ")"
	}
	q := "SELECT " + key + ", " + strings.Join(sums, ", ") + " FROM " + g.table + " WHERE day >= ? AND day <= ? AND " + scope.sql()
	args := []any{from, to}
	if queueID != 0 {
		q += " AND queue_id = ?"
		args = append(args, queueID)
	}
	if key != "''" {
		q += " GROUP BY " + key
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReportSum
	dest := make([]any, len(idx)+1)
	vals := make([]sql.NullInt64, len(idx))
	for rows.Next() {
		var k any
		dest[0] = &k
		for i := range vals {
			dest[i+1] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		s := ReportSum{}
		switch v := k.(type) {
		case []byte:
			s.Key = string(v)
		case string:
			s.Key = v
		case int64:
			s.Key = strconv.FormatInt(v, 10)
		case int32:
			s.Key = strconv.FormatInt(int64(v), 10)
		case nil:
		default:
			s.Key = fmt.Sprint(v)
		}
		for i, k := range idx {
			s.Sums[k] = vals[i].Int64
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
