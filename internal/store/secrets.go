package store

import (
	"context"
	"time"
)

// Secret returns the secret called name, first storing fresh (made by the
// caller from a random source) when there is none yet; every instance on
// the database gets the one stored first. Its errors are database faults.
func (tx *Tx) Secret(ctx context.Context, name, fresh string, now time.Time) (string, error) {
	if _, err := tx.exec(ctx, "INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
		name, fresh, ms(now)); err != nil {
		return "", err
	}
	var v string
	err := tx.queryRow(ctx, "SELECT value FROM secrets WHERE name = ?", name).Scan(&v)
	return v, err
}
