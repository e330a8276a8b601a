package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// Feedback is a requester's rating of the handling of one ticket. It names
// neither who handled the ticket nor who rated it.
type Feedback struct {
	ID          int64
	TicketID    int64
	Rating      int // 1 to 5
	Comment     string
	Channel     string // link, portal or api
	CreatedAt   time.Time
	ComplaintID int64 // the complaint ticket made of it; 0 for none
}

// FeedbackLink is a one-time link to rate a ticket without signing in.
// Only the SHA-256 of its token is stored.
type FeedbackLink struct {
	ID        int64
	TicketID  int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// InsertFeedback stores f and sets f.ID. ECONFLICT when the ticket has
// feedback already (the unique constraint; callers check first, under the
// ticket's lock).
func (tx *Tx) InsertFeedback(ctx context.Context, f *Feedback) error {
	err := tx.queryRow(ctx, `INSERT INTO feedback (ticket_id, rating, comment, channel, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, f.TicketID, f.Rating, f.Comment, f.Channel, ms(f.CreatedAt)).Scan(&f.ID)
	if IsUniqueViolation(tx.db.wrap(err)) {
		return ticket.E(ticket.ECONFLICT, "err.feedback.given_store")
	}
	return err
}

// FeedbackByTicket returns the feedback on ticket ticketID; ENOTFOUND if
// there is none.
func (tx *Tx) FeedbackByTicket(ctx context.Context, ticketID int64) (*Feedback, error) {
	var f Feedback
	var created int64
	var complaint sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, ticket_id, rating, comment, channel, created_at, complaint_id
		FROM feedback WHERE ticket_id = ?`, ticketID).Scan(&f.ID, &f.TicketID, &f.Rating, &f.Comment, &f.Channel, &created, &complaint)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.feedback.none")
	} else if err != nil {
		return nil, err
	}
	f.CreatedAt, f.ComplaintID = fromMS(created), complaint.Int64
	return &f, nil
}

// SetFeedbackComplaint records complaintID as the complaint made of
// feedback id, unless one was made already: ECONFLICT then.
func (tx *Tx) SetFeedbackComplaint(ctx context.Context, id, complaintID int64) error {
	res, err := tx.exec(ctx, "UPDATE feedback SET complaint_id = ? WHERE id = ? AND complaint_id IS NULL", complaintID, id)
	if err != nil {
		return err
	}
	if k, err := res.RowsAffected(); err != nil {
		return err
	} else if k != 1 {
		return ticket.E(ticket.ECONFLICT, "err.feedback.complaint_made")
	}
	return nil
}

// InsertFeedbackLink stores l under the hash of its token and sets l.ID.
func (tx *Tx) InsertFeedbackLink(ctx context.Context, l *FeedbackLink, tokenHash string) error {
	return tx.queryRow(ctx, `INSERT INTO feedback_links (ticket_id, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?) RETURNING id`, l.TicketID, tokenHash, ms(l.CreatedAt), ms(l.ExpiresAt)).Scan(&l.ID)
}

// FeedbackLinkByHash returns the feedback link whose token has tokenHash,
// whatever its state; ENOTFOUND if there is none.
func (tx *Tx) FeedbackLinkByHash(ctx context.Context, tokenHash string) (*FeedbackLink, error) {
	var l FeedbackLink
	var created, expires int64
	var used sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, ticket_id, created_at, expires_at, used_at FROM feedback_links WHERE token_hash = ?`,
		tokenHash).Scan(&l.ID, &l.TicketID, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.feedback_link.unknown")
	} else if err != nil {
		return nil, err
	}
	l.CreatedAt, l.ExpiresAt, l.UsedAt = fromMS(created), fromMS(expires), fromNullMS(used)
	return &l, nil
}

// UseFeedbackLink marks link id used at now; ECONFLICT when it was used
// meanwhile (another transaction won).
func (tx *Tx) UseFeedbackLink(ctx context.Context, id int64, now time.Time) error {
	res, err := tx.exec(ctx, "UPDATE feedback_links SET used_at = ? WHERE id = ? AND used_at IS NULL", ms(now), id)
	if err != nil {
		return err
	}
	if k, err := res.RowsAffected(); err != nil {
		return err
	} else if k != 1 {
		return ticket.E(ticket.ECONFLICT, "err.feedback_link.used")
	}
	return nil
}

// ComplaintsQueueKey is the settings key that names the complaints queue
// (its id); absent or naming no queue: there is none.
const ComplaintsQueueKey = "complaints_queue"

// ComplaintsQueue returns the complaints queue, or nil when none is set or
// the one set no longer exists.
func (tx *Tx) ComplaintsQueue(ctx context.Context) (*ticket.Queue, error) {
	var v string
	err := tx.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", ComplaintsQueueKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, nil
	}
	q, err := tx.QueueByID(ctx, id)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil, nil
	}
	return q, err
}

// TicketByID returns the ticket with id if a may see it, as TicketByNumber
// does; ENOTFOUND otherwise.
func (tx *Tx) TicketByID(ctx context.Context, a access.Actor, id int64) (*ticket.Ticket, error) {
	var number int64
	err := tx.queryRow(ctx, "SELECT number FROM tickets WHERE id = ?", id).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.feedback.ticket_gone")
	} else if err != nil {
		return nil, err
	}
	return tx.TicketByNumber(ctx, a, number)
}
