package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

// moduleColumns are the columns scanModule reads.
const moduleColumns = `m.id, m.name, m.language, m.body, COALESCE(m.owner_id, 0), COALESCE(u.email, ''),
	COALESCE(m.queue_id, 0), COALESCE(q.name, ''), m.created_at, m.updated_at
	FROM text_modules m LEFT JOIN users u ON u.id = m.owner_id LEFT JOIN queues q ON q.id = m.queue_id`

func scanModule(row interface{ Scan(...any) error }) (*ticket.TextModule, error) {
	var m ticket.TextModule
	var created, updated int64
	if err := row.Scan(&m.ID, &m.Name, &m.Language, &m.Body, &m.OwnerID, &m.Owner, &m.QueueID, &m.Queue,
		&created, &updated); err != nil {
		return nil, err
	}
	m.CreatedAt, m.UpdatedAt = fromMS(created), fromMS(updated)
	return &m, nil
}

// ownedBy is the predicate of the modules or macros (alias m) a may see:
// their own personal ones and those of the queues a is a member of (all
// shared ones for admins and servus itself).
func ownedBy(a access.Actor) (string, []any) {
	if a.Admin() {
		return "(m.owner_id = ? OR m.queue_id IS NOT NULL)", []any{a.UserID}
	}
	if len(a.Queues) == 0 {
		return "m.owner_id = ?", []any{a.UserID}
	}
	args := []any{a.UserID}
	for _, q := range a.Queues {
		args = append(args, q)
	}
	return "(m.owner_id = ? OR m.queue_id IN (" + placeholders(len(a.Queues)) + "))", args
}

// TextModules lists the text modules a may see (ownedBy), by name and
// language; queueID, when not 0, keeps the personal ones and those of that
// queue only.
func (tx *Tx) TextModules(ctx context.Context, a access.Actor, queueID int64) ([]*ticket.TextModule, error) {
	where, args := ownedBy(a)
	if queueID != 0 {
		where += " AND (m.queue_id IS NULL OR m.queue_id = ?)"
		args = append(args, queueID)
	}
	rows, err := tx.query(ctx, "SELECT "+moduleColumns+" WHERE "+where+" ORDER BY LOWER(m.name), m.language, m.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*ticket.TextModule{}
	for rows.Next() {
		m, err := scanModule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// TextModule returns the text module id if a may see it; ENOTFOUND
// otherwise.
func (tx *Tx) TextModule(ctx context.Context, a access.Actor, id int64) (*ticket.TextModule, error) {
	where, args := ownedBy(a)
	m, err := scanModule(tx.queryRow(ctx, "SELECT "+moduleColumns+" WHERE m.id = ? AND "+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.text_module.not_found", id)
	}
	return m, err
}

// TextModuleSibling returns the module of m's owner (person or queue) with
// m's name in language, or nil when there is none.
func (tx *Tx) TextModuleSibling(ctx context.Context, m *ticket.TextModule, language string) (*ticket.TextModule, error) {
	s, err := scanModule(tx.queryRow(ctx, "SELECT "+moduleColumns+` WHERE LOWER(m.name) = LOWER(?) AND m.language = ?
		AND COALESCE(m.owner_id, 0) = ? AND COALESCE(m.queue_id, 0) = ?`, m.Name, language, m.OwnerID, m.QueueID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return s, err
}

// InsertTextModule adds m and sets m.ID. ECONFLICT when its owner has a
// module of that name and language.
func (tx *Tx) InsertTextModule(ctx context.Context, m *ticket.TextModule) error {
	err := tx.queryRow(ctx, `INSERT INTO text_modules (name, language, body, owner_id, queue_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.Name, m.Language, m.Body, nullID(m.OwnerID), nullID(m.QueueID),
		ms(m.CreatedAt), ms(m.UpdatedAt)).Scan(&m.ID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.text_module.exists", m.Name, m.Language)
	}
	return err
}

// UpdateTextModule writes m's name, language, body and time. ECONFLICT as
// for InsertTextModule.
func (tx *Tx) UpdateTextModule(ctx context.Context, m *ticket.TextModule) error {
	_, err := tx.exec(ctx, "UPDATE text_modules SET name = ?, language = ?, body = ?, updated_at = ? WHERE id = ?",
		m.Name, m.Language, m.Body, ms(m.UpdatedAt), m.ID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.text_module.exists", m.Name, m.Language)
	}
	return err
}

// DeleteTextModule removes the module id; macros that used it keep their
// other changes and lose their text.
func (tx *Tx) DeleteTextModule(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, "DELETE FROM text_modules WHERE id = ?", id)
	return err
}

// macroColumns are the columns scanMacro reads.
const macroColumns = `m.id, m.name, COALESCE(m.owner_id, 0), COALESCE(u.email, ''), COALESCE(m.queue_id, 0),
	COALESCE(q.name, ''), COALESCE(m.module_id, 0), m.body, m.language, m.entry_kind, m.visibility, m.state,
	m.priority, m.assign_me, COALESCE(m.move_queue_id, 0), COALESCE(mq.name, ''), m.created_at, m.updated_at
	FROM macros m LEFT JOIN users u ON u.id = m.owner_id LEFT JOIN queues q ON q.id = m.queue_id
	LEFT JOIN queues mq ON mq.id = m.move_queue_id`

func scanMacro(row interface{ Scan(...any) error }) (*ticket.Macro, error) {
	var m ticket.Macro
	var created, updated int64
	if err := row.Scan(&m.ID, &m.Name, &m.OwnerID, &m.Owner, &m.QueueID, &m.Queue, &m.ModuleID, &m.Body,
		&m.Language, &m.EntryKind, &m.Visibility, &m.State, &m.Priority, &m.AssignMe, &m.MoveQueueID,
		&m.MoveQueue, &created, &updated); err != nil {
		return nil, err
	}
	m.CreatedAt, m.UpdatedAt = fromMS(created), fromMS(updated)
	return &m, nil
}

// Macros lists the macros a may see (as TextModules does), by name;
// queueID as for TextModules.
func (tx *Tx) Macros(ctx context.Context, a access.Actor, queueID int64) ([]*ticket.Macro, error) {
	where, args := ownedBy(a)
	if queueID != 0 {
		where += " AND (m.queue_id IS NULL OR m.queue_id = ?)"
		args = append(args, queueID)
	}
	rows, err := tx.query(ctx, "SELECT "+macroColumns+" WHERE "+where+" ORDER BY LOWER(m.name), m.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*ticket.Macro{}
	for rows.Next() {
		m, err := scanMacro(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Macro returns the macro id if a may see it; ENOTFOUND otherwise.
func (tx *Tx) Macro(ctx context.Context, a access.Actor, id int64) (*ticket.Macro, error) {
	where, args := ownedBy(a)
	m, err := scanMacro(tx.queryRow(ctx, "SELECT "+macroColumns+" WHERE m.id = ? AND "+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ticket.E(ticket.ENOTFOUND, "err.macro.not_found", id)
	}
	return m, err
}

// InsertMacro adds m and sets m.ID. ECONFLICT when its owner has a macro
// of that name.
func (tx *Tx) InsertMacro(ctx context.Context, m *ticket.Macro) error {
	err := tx.queryRow(ctx, `INSERT INTO macros (name, owner_id, queue_id, module_id, body, language, entry_kind,
		visibility, state, priority, assign_me, move_queue_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.Name, nullID(m.OwnerID), nullID(m.QueueID),
		nullID(m.ModuleID), m.Body, m.Language, m.EntryKind, m.Visibility, m.State, m.Priority, m.AssignMe,
		nullID(m.MoveQueueID), ms(m.CreatedAt), ms(m.UpdatedAt)).Scan(&m.ID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.macro.exists", m.Name)
	}
	return err
}

// UpdateMacro writes every field of m but its owner. ECONFLICT as for
// InsertMacro.
func (tx *Tx) UpdateMacro(ctx context.Context, m *ticket.Macro) error {
	_, err := tx.exec(ctx, `UPDATE macros SET name = ?, module_id = ?, body = ?, language = ?, entry_kind = ?,
		visibility = ?, state = ?, priority = ?, assign_me = ?, move_queue_id = ?, updated_at = ? WHERE id = ?`,
		m.Name, nullID(m.ModuleID), m.Body, m.Language, m.EntryKind, m.Visibility, m.State, m.Priority, m.AssignMe,
		nullID(m.MoveQueueID), ms(m.UpdatedAt), m.ID)
	if err = tx.db.wrap(err); IsUniqueViolation(err) {
		return ticket.E(ticket.ECONFLICT, "err.macro.exists", m.Name)
	}
	return err
}

// DeleteMacro removes the macro id.
func (tx *Tx) DeleteMacro(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, "DELETE FROM macros WHERE id = ?", id)
	return err
}
