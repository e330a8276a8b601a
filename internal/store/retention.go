package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// Retention modes of a queue (and of the desk-wide default).
const (
	RetentionOff       = "off"       // closed tickets are kept
	RetentionAnonymise = "anonymise" // personal data and free text are replaced
	RetentionDelete    = "delete"    // the ticket and everything hanging off it go
)

// QueueRetention is a queue's own retention rule (a row of
// queue_retention); a queue without one follows the desk-wide default.
type QueueRetention struct {
	QueueID int64
	Mode    string
	Months  int
}

// QueueRetentions returns every queue's own rule, by queue ID.
func (tx *Tx) QueueRetentions(ctx context.Context) (map[int64]QueueRetention, error) {
	rows, err := tx.query(ctx, "SELECT queue_id, mode, months FROM queue_retention")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]QueueRetention{}
	for rows.Next() {
		var r QueueRetention
		if err := rows.Scan(&r.QueueID, &r.Mode, &r.Months); err != nil {
			return nil, err
		}
		out[r.QueueID] = r
	}
	return out, rows.Err()
}

// SetQueueRetention gives queueID its own rule r, or with r.Mode "" takes
// its rule away (it follows the default again).
func (tx *Tx) SetQueueRetention(ctx context.Context, r QueueRetention, now time.Time) error {
	if r.Mode == "" {
		_, err := tx.exec(ctx, "DELETE FROM queue_retention WHERE queue_id = ?", r.QueueID)
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO queue_retention (queue_id, mode, months, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (queue_id) DO UPDATE SET mode = excluded.mode, months = excluded.months, updated_at = excluded.updated_at`,
		r.QueueID, r.Mode, r.Months, ms(now))
	return err
}

// retentionWhere selects the tickets of queueID that retention in mode
// acts on: closed before cutoff, and for anonymise not yet anonymised.
func retentionWhere(mode string) string {
	w := "t.queue_id = ? AND t.state = 'closed' AND t.closed_at < ?"
	if mode == RetentionAnonymise {
		w += " AND t.anonymised_at IS NULL"
	}
	return w
}

// CountRetention counts the tickets of queueID that retention in mode would
// act on with cutoff (for a dry run).
func (tx *Tx) CountRetention(ctx context.Context, queueID int64, mode string, cutoff time.Time) (int, error) {
	var n int
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM tickets t WHERE "+retentionWhere(mode), queueID, ms(cutoff)).Scan(&n)
	return n, err
}

// ClaimRetention picks up to limit tickets of queueID that retention in
// mode acts on with cutoff, oldest first, and returns their IDs. On
// PostgreSQL the rows stay locked until the transaction ends and rows
// another transaction holds are skipped (FOR UPDATE SKIP LOCKED), so that
// several servus instances running retention at once never take the same
// ticket; SQLite's single writer serialises them anyway.
func (tx *Tx) ClaimRetention(ctx context.Context, queueID int64, mode string, cutoff time.Time, limit int) ([]int64, error) {
	q := "SELECT t.id FROM tickets t WHERE " + retentionWhere(mode) + " ORDER BY t.closed_at, t.id LIMIT ?"
	if tx.db.dialect == Postgres {
		q += " FOR UPDATE SKIP LOCKED"
	}
	return tx.ids(ctx, q, queueID, ms(cutoff), limit)
}

// stillClosed keeps of ids those tickets that are closed, and closed before
// cutoff: the re-check inside the transaction that acts on them.
func (tx *Tx) stillClosed(ctx context.Context, ids []int64, cutoff time.Time) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := int64Args(ids)
	return tx.ids(ctx, "SELECT id FROM tickets WHERE id IN ("+placeholders(len(ids))+") AND state = 'closed' AND closed_at < ? ORDER BY id",
		append(args, ms(cutoff))...)
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// AnonymousAddress is the address of the placeholder person that
// anonymised tickets name as their requester (and as the author of their
// requesters' entries).
const AnonymousAddress = "anonymous@" + ticket.ErasedDomain

// AnonymousRequester returns the ID of the placeholder person anonymised
// tickets name as requester, making it (disabled: nobody signs in as it)
// the first time.
func (tx *Tx) AnonymousRequester(ctx context.Context, now time.Time) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, "SELECT id FROM users WHERE email = ?", AnonymousAddress).Scan(&id)
	if err == nil {
		return id, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO users (email, name, role, language, password_hash, created_at, kind, disabled_at)
		VALUES (?, '', 'requester', 'de', '', ?, 'person', ?) ON CONFLICT (email) DO NOTHING`, AnonymousAddress, ms(now), ms(now)); err != nil {
		return 0, err
	}
	err = tx.queryRow(ctx, "SELECT id FROM users WHERE email = ?", AnonymousAddress).Scan(&id)
	return id, err
}

// AnonymisedSubject replaces the subject of an anonymised ticket.
const AnonymisedSubject = "—"

// keptEventFields are the history fields whose values anonymisation keeps:
// states, priorities, queues, dates, flags, staff assignments and links
// between tickets. Every other event (subject, cc, …) loses its values.
var keptEventFields = []string{"state", "close_reason", "priority", "queue", "due", "confidential", "assignee", "merged_into", "merged_from"}

// AnonymiseTickets replaces the personal data and free text of the tickets
// ids: the subject, the requester (by the placeholder anonymous), the
// further requesters and watchers, every entry's text and HTML, the values
// of history events other than keptEventFields, the authorship of entries
// by people who are not staff, the attachments (rows removed), the raw
// mails behind the tickets (sender, subject and Message-ID wiped, bytes
// released), the Message-IDs kept for threading, pending mail about them
// (dropped) and their search documents. Queue, times, states, priority,
// channel and assignee stay. With closedBefore not nil only tickets still
// closed before it are touched (the re-check of retention inside its
// transaction). It returns the tickets it anonymised and the blob hashes
// they no longer use (see BlobsInUse before removing them).
func (tx *Tx) AnonymiseTickets(ctx context.Context, ids []int64, anonymous int64, now time.Time, closedBefore *time.Time) ([]int64, []string, error) {
	ids, err := tx.retentionTargets(ctx, ids, closedBefore)
	if err != nil || len(ids) == 0 {
		return nil, nil, err
	}
	in, args := "("+placeholders(len(ids))+")", int64Args(ids)
	hashes, err := tx.ticketBlobs(ctx, in, args)
	if err != nil {
		return nil, nil, err
	}
	kept := "('" + strings.Join(keptEventFields, "', '") + "')"
	steps := []struct {
		q    string
		args []any
	}{
		{"UPDATE tickets SET subject = ?, requester_id = ?, anonymised_at = ?, version = version + 1 WHERE id IN " + in,
			append([]any{AnonymisedSubject, anonymous, ms(now)}, args...)},
		{"DELETE FROM ticket_cc WHERE ticket_id IN " + in, args},
		{"DELETE FROM watchers WHERE ticket_id IN " + in, args},
		{`UPDATE entries SET body = '', body_html = '',
			old_value = CASE WHEN field IN ` + kept + ` THEN old_value ELSE '' END,
			new_value = CASE WHEN field IN ` + kept + ` THEN new_value ELSE '' END,
			author_id = CASE WHEN author_id IN (SELECT id FROM users WHERE role NOT IN ('agent', 'admin')) THEN ? ELSE author_id END
			WHERE ticket_id IN ` + in, append([]any{anonymous}, args...)},
		{"DELETE FROM attachments WHERE ticket_id IN " + in, args},
		{`UPDATE inbound SET sender = '', subject = '', message_id = '', raw_hash = '', size = 0, error = ''
			WHERE ticket_id IN ` + in + ` OR id IN (SELECT inbound_id FROM entries WHERE inbound_id IS NOT NULL AND ticket_id IN ` + in + `)`,
			append(slices.Clone(args), args...)},
		{"DELETE FROM mail_ids WHERE ticket_id IN " + in, args},
		// A rating stays for the statistics; its comment is free text.
		{"UPDATE feedback SET comment = '' WHERE ticket_id IN " + in, args},
		{"DELETE FROM feedback_links WHERE ticket_id IN " + in, args},
		{`UPDATE outbox SET state = CASE WHEN state = 'pending' THEN 'dropped' ELSE state END, last_error = '', secret = NULL
			WHERE ticket_id IN ` + in, args},
	}
	for _, s := range steps {
		if _, err := tx.exec(ctx, s.q, s.args...); err != nil {
			return nil, nil, err
		}
	}
	if err := tx.dropSearchDocs(ctx, in, args); err != nil {
		return nil, nil, err
	}
	return ids, hashes, nil
}

// DeleteTickets removes the tickets ids and everything hanging off them:
// entries, attachments, the raw mails behind them, search documents, links,
// further requesters, watchers, outbox rows and Message-IDs. The audit log
// keeps its rows (they name the ticket by an ID nothing resolves any more).
// closedBefore works as for AnonymiseTickets. It returns the tickets it
// deleted and the blob hashes they no longer use.
func (tx *Tx) DeleteTickets(ctx context.Context, ids []int64, closedBefore *time.Time) ([]int64, []string, error) {
	ids, err := tx.retentionTargets(ctx, ids, closedBefore)
	if err != nil || len(ids) == 0 {
		return nil, nil, err
	}
	in, args := "("+placeholders(len(ids))+")", int64Args(ids)
	hashes, err := tx.ticketBlobs(ctx, in, args)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.dropSearchDocs(ctx, in, args); err != nil {
		return nil, nil, err
	}
	for _, q := range []string{
		"DELETE FROM attachments WHERE ticket_id IN " + in,
		"DELETE FROM inbound WHERE ticket_id IN " + in,
		"DELETE FROM inbound WHERE id IN (SELECT inbound_id FROM entries WHERE inbound_id IS NOT NULL AND ticket_id IN " + in + ")",
		"DELETE FROM tickets WHERE id IN " + in,
	} {
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return nil, nil, err
		}
	}
	return ids, hashes, nil
}

func (tx *Tx) retentionTargets(ctx context.Context, ids []int64, closedBefore *time.Time) ([]int64, error) {
	if closedBefore != nil {
		return tx.stillClosed(ctx, ids, *closedBefore)
	}
	return ids, nil
}

// ticketBlobs lists the blob hashes of the attachments and raw mails of
// the tickets "in" names.
func (tx *Tx) ticketBlobs(ctx context.Context, in string, args []any) ([]string, error) {
	rows, err := tx.query(ctx, "SELECT hash FROM attachments WHERE ticket_id IN "+in+
		" UNION SELECT raw_hash FROM inbound WHERE raw_hash <> '' AND (ticket_id IN "+in+
		" OR id IN (SELECT inbound_id FROM entries WHERE inbound_id IS NOT NULL AND ticket_id IN "+in+"))",
		append(append(slices.Clone(args), args...), args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// dropSearchDocs removes the search documents of the tickets "in" names,
// on SQLite with their terms in search_fts, so no word of theirs is found
// any more.
func (tx *Tx) dropSearchDocs(ctx context.Context, in string, args []any) error {
	if tx.db.dialect == SQLite {
		if _, err := tx.exec(ctx, "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE ticket_id IN "+in+")", args...); err != nil {
			return err
		}
	}
	_, err := tx.exec(ctx, "DELETE FROM search_docs WHERE ticket_id IN "+in, args...)
	return err
}

// BlobsInUse returns which of hashes an attachment or a raw mail still
// refers to (identical files are stored once and may be shared).
func (tx *Tx) BlobsInUse(ctx context.Context, hashes []string) (map[string]bool, error) {
	out := map[string]bool{}
	for chunk := range slices.Chunk(hashes, 500) {
		args := make([]any, len(chunk))
		for i, h := range chunk {
			args[i] = h
		}
		in := "(" + placeholders(len(chunk)) + ")"
		rows, err := tx.query(ctx, "SELECT hash FROM attachments WHERE hash IN "+in+" UNION SELECT raw_hash FROM inbound WHERE raw_hash IN "+in,
			append(slices.Clone(args), args...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, err
			}
			out[h] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CountAuditBefore counts the audit-log rows written before cutoff (what
// a dry run of the log's retention would remove).
func (tx *Tx) CountAuditBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE at < ?", ms(cutoff)).Scan(&n)
	return n, err
}
