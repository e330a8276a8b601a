package store

import (
	"context"
	"time"
)

// Setting is one saved desk-wide setting: its value and who saved it last.
type Setting struct {
	Key       string
	Value     string
	UpdatedAt time.Time
	UpdatedBy string // the name of the admin who saved it; empty when unknown or deleted
}

// Settings returns every saved setting by key; keys never saved are absent
// (they have their built-in defaults). Its errors are database faults.
func (tx *Tx) Settings(ctx context.Context) (map[string]Setting, error) {
	rows, err := tx.query(ctx, `SELECT s.key, s.value, s.updated_at, COALESCE(u.name, '')
		FROM settings s LEFT JOIN users u ON u.id = s.updated_by`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Setting{}
	for rows.Next() {
		var s Setting
		var at int64
		if err := rows.Scan(&s.Key, &s.Value, &at, &s.UpdatedBy); err != nil {
			return nil, err
		}
		s.UpdatedAt = fromMS(at)
		out[s.Key] = s
	}
	return out, rows.Err()
}

// PutSetting saves value under key, replacing a saved one, as changed at
// at by the user byID (0 for servus itself). Its errors are database
// faults.
func (tx *Tx) PutSetting(ctx context.Context, key, value string, at time.Time, byID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		key, value, ms(at), nullID(byID))
	return err
}
