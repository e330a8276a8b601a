package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/servus-desk/servus/internal/ticket"
)

// SavedFilter is a saved search ("filter favourite"): personal, or shared
// with the members of one queue (QueueID > 0). Query is the search page's
// URL query.
type SavedFilter struct {
	ID        int64
	OwnerID   int64
	Owner     string // e-mail of the owner
	OwnerName string
	QueueID   int64 // 0: personal
	Queue     string
	Name      string
	Query     string
	CreatedAt time.Time
}

const savedFilterSelect = `SELECT f.id, f.owner_id, u.email, u.name, COALESCE(f.queue_id, 0), COALESCE(q.name, ''),
	f.name, f.query, f.created_at
	FROM saved_filters f JOIN users u ON u.id = f.owner_id LEFT JOIN queues q ON q.id = f.queue_id`

func scanSavedFilter(row interface{ Scan(...any) error }) (*SavedFilter, error) {
	var f SavedFilter
	var created int64
	if err := row.Scan(&f.ID, &f.OwnerID, &f.Owner, &f.OwnerName, &f.QueueID, &f.Queue, &f.Name, &f.Query, &created); err != nil {
		return nil, err
	}
	f.CreatedAt = fromMS(created)
	return &f, nil
}

// InsertSavedFilter adds f and sets f.ID.
func (tx *Tx) InsertSavedFilter(ctx context.Context, f *SavedFilter) error {
	var queue any
	if f.QueueID > 0 {
		queue = f.QueueID
	}
	return tx.queryRow(ctx, `INSERT INTO saved_filters (owner_id, queue_id, name, query, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, f.OwnerID, queue, f.Name, f.Query, ms(f.CreatedAt)).Scan(&f.ID)
}

// SavedFilters returns the filters userID owns and those shared with any of
// queueIDs, the own ones first, each group by name.
func (tx *Tx) SavedFilters(ctx context.Context, userID int64, queueIDs []int64) ([]*SavedFilter, error) {
	cond := "f.owner_id = ?"
	args := []any{userID}
	if len(queueIDs) > 0 {
		cond += " OR f.queue_id IN (" + placeholders(len(queueIDs)) + ")"
		for _, id := range queueIDs {
			args = append(args, id)
		}
	}
	args = append(args, userID)
	rows, err := tx.query(ctx, savedFilterSelect+" WHERE "+cond+
		" ORDER BY CASE WHEN f.owner_id = ? THEN 0 ELSE 1 END, LOWER(f.name), f.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*SavedFilter
	for rows.Next() {
		f, err := scanSavedFilter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SavedFilterByID returns filter id; ENOTFOUND if there is none.
func (tx *Tx) SavedFilterByID(ctx context.Context, id int64) (*SavedFilter, error) {
	f, err := scanSavedFilter(tx.queryRow(ctx, savedFilterSelect+" WHERE f.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.filter.not_found", id)
	}
	return f, err
}

// DeleteSavedFilter removes filter id.
func (tx *Tx) DeleteSavedFilter(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, "DELETE FROM saved_filters WHERE id = ?", id)
	return err
}
