package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/textsearch"

	"github.com/servus-desk/servus/internal/ticket"
)

// IndexText makes text searchable as part of ticketID: source is "subject",
// "entry" or "attachment" and sourceID the entry's or attachment's ID (0 for
// the subject). An earlier text of the same source is replaced. Visibility
// travels with the text, so a search never matches words its caller may not
// read.
func (tx *Tx) IndexText(ctx context.Context, ticketID int64, source string, sourceID int64, vis ticket.Visibility, text string) error {
	if err := tx.unindex(ctx, ticketID, source, sourceID); err != nil {
		return err
	}
	return tx.IndexNewText(ctx, ticketID, source, sourceID, vis, text)
}

// unindex removes the search documents of one source of ticketID.
func (tx *Tx) unindex(ctx context.Context, ticketID int64, source string, sourceID int64) error {
	var oldIDs []int64
	rows, err := tx.query(ctx, "SELECT id FROM search_docs WHERE ticket_id = ? AND source = ? AND source_id = ?", ticketID, source, sourceID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		oldIDs = append(oldIDs, id)
	}
	rows.Close()
	for _, id := range oldIDs {
		if tx.db.dialect == SQLite {
			if _, err := tx.exec(ctx, "DELETE FROM search_fts WHERE rowid = ?", id); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, "DELETE FROM search_docs WHERE id = ?", id); err != nil {
			return err
		}
	}
	return nil
}

// IndexNewText is IndexText for a source that has never been indexed: a
// ticket's subject as the ticket is made, an entry or attachment as it is
// inserted. It skips looking for an earlier text (a round trip per text on
// PostgreSQL).
func (tx *Tx) IndexNewText(ctx context.Context, ticketID int64, source string, sourceID int64, vis ticket.Visibility, text string) error {
	terms := textsearch.Analyze(text)
	if terms == "" {
		return nil
	}
	if tx.db.dialect == Postgres {
		_, err := tx.exec(ctx, `INSERT INTO search_docs (ticket_id, source, source_id, visibility, terms)
			VALUES (?, ?, ?, ?, to_tsvector('simple', ?))`, ticketID, source, sourceID, vis, terms)
		return err
	}
	var id int64
	if err := tx.queryRow(ctx, "INSERT INTO search_docs (ticket_id, source, source_id, visibility) VALUES (?, ?, ?, ?) RETURNING id",
		ticketID, source, sourceID, vis).Scan(&id); err != nil {
		return err
	}
	_, err := tx.exec(ctx, "INSERT INTO search_fts (rowid, terms) VALUES (?, ?)", id, terms)
	return err
}

// sortColumns maps the allowed sort fields to their columns.
var sortColumns = map[string]string{
	"number":   "t.number",
	"created":  "t.created_at",
	"updated":  "t.updated_at",
	"priority": "t.priority_rank",
	"due":      "t.due_at",
	"subject":  "t.subject",
	"state":    "t.state",
	"target":   "t.target_at",
}

// TargetCondition is the condition on tickets t whose response targets
// stand in any of states (ticket.TargetStates) at nowMS, with its
// arguments: comparisons of the stored instants (target_at, target_soon_at,
// both indexed), the same as ticket.Ticket.TargetStateAt makes. Due soon
// and breached together are one range: target_soon_at <= now.
func TargetCondition(states []string, nowMS int64) (string, []any) {
	has := func(s string) bool { return slices.Contains(states, s) }
	var parts []string
	var args []any
	switch {
	case has(ticket.TargetDueSoon) && has(ticket.TargetBreached):
		parts, args = append(parts, "t.target_soon_at <= ?"), append(args, nowMS)
	case has(ticket.TargetBreached):
		parts, args = append(parts, "t.target_at < ?"), append(args, nowMS)
	case has(ticket.TargetDueSoon):
		parts, args = append(parts, "(t.target_soon_at <= ? AND t.target_at >= ?)"), append(args, nowMS, nowMS)
	}
	if has(ticket.TargetOK) {
		parts = append(parts, `((t.first_response_target IS NOT NULL OR t.resolution_target IS NOT NULL)
			AND (t.target_soon_at IS NULL OR t.target_soon_at > ?) AND (t.target_at IS NULL OR t.target_at >= ?))`)
		args = append(args, nowMS, nowMS)
	}
	if len(parts) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// Search returns one page of the tickets a may see that match f, and the
// count of matches under the same visibility: exact, or at most f.TotalCap
// when that is set (Page.TotalIsLowerBound when there are more). f must
// have been validated (page, per-page, sort, states); unknown sort fields
// fall back to "-updated". f.Cursor, when set, replaces the page: the
// items after (or before) the cursor's key in the sort order, found through
// the sort's index without counting the rows before it. Every page has
// cursors to its neighbours.
//
// The visibility scope and every condition stay inside the one query; how
// the text condition is written depends on how common the searched words
// are (textPlan): rare words are looked up in the full-text index and their
// few tickets sorted; common ones are checked ticket by ticket while the
// tickets are read in sort order, so the query stops after the page.
func (tx *Tx) Search(ctx context.Context, a access.Actor, f ticket.Filter) (*ticket.Page, error) {
	scope, args := access.TicketScope(a)
	where := []string{scope}
	add := func(cond string, vals ...any) {
		where = append(where, cond)
		args = append(args, vals...)
	}
	if f.Queue != "" {
		// The queue's ID first: "t.queue_id = ?" lets the planner read a
		// queue's tickets in sort order off its index and stop after the
		// page, which a subquery's list of IDs does not (SQLite sorted
		// every ticket of the queue).
		ids, err := tx.queueIDsByName(ctx, f.Queue)
		if err != nil {
			return nil, err
		}
		switch len(ids) {
		case 0:
			add("1 = 0")
		case 1:
			add("t.queue_id = ?", ids[0])
		default:
			add("t.queue_id IN ("+placeholders(len(ids))+")", ids...)
		}
	}
	if len(f.States) > 0 {
		vals := make([]any, len(f.States))
		for i, s := range f.States {
			vals[i] = s
		}
		add("t.state IN ("+placeholders(len(vals))+")", vals...)
	}
	if f.Requester != "" {
		add("t.requester_id IN (SELECT id FROM users WHERE email = ?)", ticket.NormalizeEmail(f.Requester))
	}
	switch {
	case f.Assignee == "none":
		add("t.assignee_id IS NULL")
	case f.Assignee != "":
		add("t.assignee_id IN (SELECT id FROM users WHERE email = ?)", ticket.NormalizeEmail(f.Assignee))
	}
	if f.Priority != "" {
		add("t.priority_rank = ?", f.Priority.Rank())
	}
	if f.CreatedAfter != nil {
		add("t.created_at >= ?", ms(*f.CreatedAfter))
	}
	if f.CreatedBefore != nil {
		add("t.created_at < ?", ms(*f.CreatedBefore))
	}
	if f.DueBefore != nil {
		add("t.due_at IS NOT NULL AND t.due_at < ?", ms(*f.DueBefore))
	}
	if (len(f.Targets) > 0 || f.DueWithin > 0) && f.TargetNow != nil {
		now := ms(*f.TargetNow)
		if len(f.Targets) > 0 {
			cond, vals := TargetCondition(f.Targets, now)
			add(cond, vals...)
		}
		if f.DueWithin > 0 {
			add("t.target_at >= ? AND t.target_at < ?", now, now+f.DueWithin.Milliseconds())
		}
	}
	base, baseArgs := strings.Join(where, " AND "), slices.Clone(args)

	sortKey := f.Sort
	field, desc := strings.TrimPrefix(f.Sort, "-"), strings.HasPrefix(f.Sort, "-")
	col, ok := sortColumns[field]
	if !ok {
		col, desc, sortKey = "t.updated_at", true, "-updated"
	}
	var cur *ticket.Cursor
	if f.Cursor != "" {
		c, err := ticket.DecodeCursor(f.Cursor, sortKey)
		if err != nil {
			return nil, err
		}
		cur = &c
	}
	offset := 0
	if cur == nil {
		offset = (f.Page - 1) * f.PerPage
	}

	// The text condition; countDocs when the count reads the matching
	// documents rather than the tickets.
	var countDocs string
	var countDocsArgs []any
	if q := textsearch.ParseQuery(f.Q); !q.Empty() {
		plan := planTickets // PostgreSQL: a requester's few tickets are probed one by one
		if a.Staff() || tx.db.dialect == SQLite {
			var err error
			if plan, err = tx.textPlan(ctx, q, offset+f.PerPage+1); err != nil {
				return nil, err
			}
		}
		entry := access.EntryScope(a, "d")
		switch {
		case tx.db.dialect == Postgres && plan == planDocs && a.Staff():
			// The few matching documents from the GIN index, their tickets
			// looked up by ID (the planner, left to itself, expects many
			// more and joins them to every visible ticket).
			// ARRAY(…) is computed once, before the tickets are read; an IN
			// subquery the planner turns back into a probe per ticket in
			// sort order (measured: 16 s instead of milliseconds for a rare
			// word at 100,000 tickets).
			// The queue of a queue-only document's ticket is looked up for
			// that document alone: joined with tickets, the planner read
			// every ticket into a hash table to check a few documents
			// (measured at 100,000 tickets: 302 ms instead of 20 ms).
			docEntry := access.EntryScopeQueue(a, "d", "(SELECT tq.queue_id FROM tickets tq WHERE tq.id = d.ticket_id)")
			add(`t.id = ANY (ARRAY(SELECT d.ticket_id FROM search_docs d
				WHERE d.terms @@ to_tsquery('simple', ?) AND `+docEntry+`))`, q.TSQuery())
		case tx.db.dialect == Postgres:
			// Checking a common word's documents costs PostgreSQL a
			// tsvector test each (about 7 per ticket): its count stops at
			// CommonWordCap.
			if a.Staff() && f.TotalCap > CommonWordCap {
				f.TotalCap = CommonWordCap
			}
			add(`EXISTS (SELECT 1 FROM search_docs d WHERE d.ticket_id = t.id
				AND d.terms @@ to_tsquery('simple', ?) AND `+entry+`)`, q.TSQuery())
		case plan == planDocs:
			// Matching tickets found once (the inner query names its own t),
			// then sorted: cheap while the matches are few. (For a
			// requester, probing their tickets costs a full-text lookup per
			// document of each, more than a rare word's few matches.)
			add(`t.id IN (SELECT d.ticket_id FROM search_docs d JOIN tickets t ON t.id = d.ticket_id
				WHERE d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?) AND `+entry+`)`, q.FTS5())
		default:
			// Each candidate ticket's documents probed in the full-text
			// index by rowid: a requester's few tickets, or staff reading
			// tickets in sort order until the page is full.
			add(`EXISTS (SELECT 1 FROM search_docs d CROSS JOIN search_fts f ON f.rowid = d.id
				WHERE d.ticket_id = t.id AND f.search_fts MATCH ? AND `+entry+`)`, q.FTS5())
			if a.Staff() {
				// Counting through the probes would read every ticket: the
				// count reads the matching documents instead, each ticket
				// once, and stops at the cap, CommonWordCap at most (a
				// word this common matches more tickets than anyone reads;
				// counting 10,000 of them was 85 % of the search's time).
				if f.TotalCap > CommonWordCap {
					f.TotalCap = CommonWordCap
				}
				countDocs = `SELECT DISTINCT d.ticket_id FROM search_fts f
					CROSS JOIN search_docs d ON d.id = f.rowid CROSS JOIN tickets t ON t.id = d.ticket_id
					WHERE f.search_fts MATCH ? AND ` + entry + ` AND ` + base
				countDocsArgs = append([]any{q.FTS5()}, baseArgs...)
			}
		}
	}
	cond := strings.Join(where, " AND ")
	countSQL, countArgs := "SELECT 1 FROM tickets t WHERE "+cond, slices.Clone(args)
	if countDocs != "" {
		countSQL, countArgs = countDocs, countDocsArgs
	}
	if f.TotalCap > 0 {
		countSQL += " LIMIT ?"
		countArgs = append(countArgs, f.TotalCap+1)
	}
	page := &ticket.Page{Page: f.Page, PerPage: f.PerPage, Items: []*ticket.Ticket{}}
	if cur != nil {
		page.Page = 0
	}
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM ("+countSQL+") c", countArgs...).Scan(&page.Total); err != nil {
		return nil, tx.db.wrap(err)
	}
	if f.TotalCap > 0 && page.Total > f.TotalCap {
		page.Total, page.TotalIsLowerBound = f.TotalCap, true
	}
	if page.Total == 0 || (cur == nil && !page.TotalIsLowerBound && offset >= page.Total) {
		return page, nil
	}

	nullable := col == "t.due_at" || col == "t.target_at"
	backward := cur != nil && cur.Before
	asc := desc == backward // the direction rows are read in
	keyCond, keyArgs := "", []any(nil)
	if cur != nil {
		keyCond, keyArgs = keysetCondition(col, nullable, asc, cur)
	}
	dir := " DESC"
	if asc {
		dir = " ASC"
	}
	var order string
	switch {
	case col == "t.target_at" && tx.db.dialect == Postgres:
		// The same order, which PostgreSQL reads off the index and stops
		// after the page (measured: 26 ms instead of 0.9 s for the first
		// page of 300,000 breached tickets among 1,000,000).
		nulls := " NULLS LAST"
		if backward {
			nulls = " NULLS FIRST"
		}
		order = col + dir + nulls
	case nullable: // tickets without a due date last either way
		nullsLast := " ASC"
		if backward {
			nullsLast = " DESC"
		}
		order = "(" + col + " IS NULL)" + nullsLast + "," + col + dir
	default:
		order = col + dir
	}
	order += ", t.number" + dir
	pageCond, pageArgs := cond, slices.Clone(args)
	if keyCond != "" {
		pageCond += " AND " + keyCond
		pageArgs = append(pageArgs, keyArgs...)
	}
	pageArgs = append(pageArgs, f.PerPage+1, offset)
	// The page's tickets by ID first, from the tickets table alone: joined
	// with the queues and users, SQLite's planner would read the tickets
	// queue by queue and sort them, instead of reading them in sort order
	// off the index and stopping after the page.
	idRows, err := tx.query(ctx, "SELECT t.id FROM tickets t WHERE "+pageCond+" ORDER BY "+order+" LIMIT ? OFFSET ?", pageArgs...)
	if err != nil {
		return nil, err
	}
	var pageIDs []any
	for idRows.Next() {
		var id int64
		if err := idRows.Scan(&id); err != nil {
			idRows.Close()
			return nil, err
		}
		pageIDs = append(pageIDs, id)
	}
	idRows.Close()
	if err := idRows.Err(); err != nil {
		return nil, err
	}
	if len(pageIDs) == 0 {
		return page, nil
	}
	rows, err := tx.query(ctx, ticketSelect+" WHERE t.id IN ("+placeholders(len(pageIDs))+")", pageIDs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]*ticket.Ticket, len(pageIDs))
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		byID[t.ID] = t
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for _, id := range pageIDs {
		if t := byID[id.(int64)]; t != nil {
			page.Items = append(page.Items, t)
		}
	}
	more := len(page.Items) > f.PerPage
	if more {
		page.Items = page.Items[:f.PerPage]
	}
	if backward {
		slices.Reverse(page.Items)
	}
	if n := len(page.Items); n > 0 {
		// more rows in the reading direction; and whether we came from the
		// other side (a cursor, or an offset past the first row).
		after, before := more, offset > 0 || cur != nil
		if backward {
			after, before = true, more
		}
		if after {
			page.NextCursor = ticket.EncodeCursor(cursorOf(sortKey, col, page.Items[n-1], false))
		}
		if before {
			page.PrevCursor = ticket.EncodeCursor(cursorOf(sortKey, col, page.Items[0], true))
		}
	}
	ids := make([]any, 0, len(page.Items))
	for _, t := range page.Items {
		ids = append(ids, t.ID)
	}
	// The page's further requesters, in one query.
	cc, err := tx.query(ctx, "SELECT c.ticket_id, u.email FROM ticket_cc c JOIN users u ON u.id = c.user_id WHERE c.ticket_id IN ("+
		placeholders(len(ids))+") ORDER BY u.email", ids...)
	if err != nil {
		return nil, err
	}
	defer cc.Close()
	for cc.Next() {
		var id int64
		var email string
		if err := cc.Scan(&id, &email); err != nil {
			return nil, err
		}
		byID[id].CC = append(byID[id].CC, email)
	}
	return page, cc.Err()
}

// queueIDsByName returns the IDs of the queues named name, in any case.
func (tx *Tx) queueIDsByName(ctx context.Context, name string) ([]any, error) {
	rows, err := tx.query(ctx, "SELECT id FROM queues WHERE LOWER(name) = LOWER(?) ORDER BY id", name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// How a text condition is evaluated (textPlan): PlanDocs collects the
// matching documents' tickets, then sorts them; PlanTickets probes tickets
// read in sort order and stops after the page.
const (
	PlanDocs    = "docs"
	PlanTickets = "tickets"
	planDocs    = PlanDocs
	planTickets = PlanTickets
)

// sqliteProbeDepth is how many rows a page may need (offset and page) for
// SQLite to probe tickets in sort order: deeper pages by number collect
// the matches instead. An FTS5 probe by rowid costs more than textPlan's
// balance assumes while the index has many segments. Probing every page by
// number a text search allows (ticket.MaxTextDepth) was faster on a
// merged index (page 50 of 20 at 100,000 tickets: 0.37 s against 4.5 s)
// but took over a minute in the bench test's small, freshly written
// database under the race detector; until that is understood, pages past
// this depth collect. Cursors (offset 0) keep probing; the web pages by
// number up to page 10 only.
const sqliteProbeDepth = 201

// CommonWordCap is where the count of a common word's matches stops for
// staff, on both databases (a lower cap than ticket.TotalCap: each ticket
// counted costs a look at its documents; the page itself stops after its
// rows). A rare word's matches are counted up to ticket.TotalCap.
const CommonWordCap = 1000

// SetTextPlan makes every text search of db use plan (PlanDocs or
// PlanTickets) instead of choosing by how common the words are; "" restores
// the choice. Both plans give the same results; tests use it to show that.
// Call it before db serves searches.
func (db *DB) SetTextPlan(plan string) { db.plan = plan }

// textPlan chooses between the two ways to evaluate text query q for a page
// that needs need rows in sort order. Collecting the matches costs about
// one lookup per matching document (m); probing tickets in sort order costs
// a few index probes per ticket read, and reads about need × docs / m
// tickets before the page is full. The two cost the same near
// m = √(need × docs × 2), so the query's documents are counted up to there
// (SQLite: in the FTS5 index, which stops at the limit; PostgreSQL: the
// planner's estimate from the column's statistics, which costs no index
// read).
func (tx *Tx) textPlan(ctx context.Context, q textsearch.Query, need int) (string, error) {
	if tx.db.plan != "" {
		return tx.db.plan, nil
	}
	if tx.db.dialect == SQLite && need > sqliteProbeDepth {
		return planDocs, nil
	}
	var docs float64
	if tx.db.dialect == Postgres {
		if err := tx.queryRow(ctx, "SELECT reltuples FROM pg_class WHERE relname = 'search_docs'").Scan(&docs); err != nil {
			return "", err
		}
	} else {
		var maxID sql.NullInt64
		if err := tx.queryRow(ctx, "SELECT MAX(id) FROM search_docs").Scan(&maxID); err != nil {
			return "", err
		}
		docs = float64(maxID.Int64)
	}
	limit := int64(math.Sqrt(float64(need) * max(docs, 0) * 2))
	limit = min(max(limit, 1000), 100_000)
	var n int64
	if tx.db.dialect == Postgres {
		est, err := tx.estimateRows(ctx, "SELECT 1 FROM search_docs d WHERE d.terms @@ to_tsquery('simple', ?)", q.TSQuery())
		if err != nil {
			return "", err
		}
		n = est
	} else if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ?) c",
		q.FTS5(), limit).Scan(&n); err != nil {
		return "", tx.db.wrap(err)
	}
	if n >= limit {
		return planTickets, nil
	}
	return planDocs, nil
}

// estimateRows is PostgreSQL's estimate of the rows query returns, from its
// plan (EXPLAIN, which runs nothing).
func (tx *Tx) estimateRows(ctx context.Context, query string, args ...any) (int64, error) {
	var out string
	if err := tx.queryRow(ctx, "EXPLAIN (FORMAT JSON) "+query, args...).Scan(&out); err != nil {
		return 0, tx.db.wrap(err)
	}
	var plan []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil || len(plan) == 0 {
		return 0, fmt.Errorf("read the plan of %q: %v", query, err)
	}
	return int64(plan[0].Plan.Rows), nil
}

// keysetCondition renders "rows after cur's key" for rows read in the order
// col (ascending when asc), t.number, with NULLs of a nullable column last
// in the page's own order (and so first when reading backward).
func keysetCondition(col string, nullable, asc bool, cur *ticket.Cursor) (string, []any) {
	op := "<"
	if asc {
		op = ">"
	}
	var key any = cur.Int
	if col == "t.subject" || col == "t.state" {
		key = cur.Str
	}
	if col == "t.number" {
		return "t.number " + op + " ?", []any{cur.Number}
	}
	after := "(" + col + ", t.number) " + op + " (?, ?)"
	if !nullable {
		return after, []any{key, cur.Number}
	}
	switch {
	case cur.Null && !cur.Before:
		return "(" + col + " IS NULL AND t.number " + op + " ?)", []any{cur.Number}
	case cur.Null:
		return "(" + col + " IS NOT NULL OR (" + col + " IS NULL AND t.number " + op + " ?))", []any{cur.Number}
	case !cur.Before:
		return "(" + col + " IS NULL OR (" + col + " IS NOT NULL AND " + after + "))", []any{key, cur.Number}
	}
	return "(" + col + " IS NOT NULL AND " + after + ")", []any{key, cur.Number}
}

// cursorOf is the cursor at t's key in the order of col for sort; before
// for the rows before t.
func cursorOf(sort, col string, t *ticket.Ticket, before bool) ticket.Cursor {
	c := ticket.Cursor{Sort: sort, Before: before, Number: t.Number}
	msOf := func(p *time.Time) {
		if p == nil {
			c.Null = true
			return
		}
		c.Int = ms(*p)
	}
	switch col {
	case "t.created_at":
		c.Int = ms(t.CreatedAt)
	case "t.updated_at":
		c.Int = ms(t.UpdatedAt)
	case "t.priority_rank":
		c.Int = int64(t.Priority.Rank())
	case "t.due_at":
		msOf(t.Due)
	case "t.target_at":
		msOf(t.TargetAt)
	case "t.subject":
		c.Str = t.Subject
	case "t.state":
		c.Str = string(t.State)
	}
	return c
}
