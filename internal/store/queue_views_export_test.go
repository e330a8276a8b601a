package store

import (
	"context"
	"strings"

	"github.com/servus-desk/servus/internal/access"
)

// QueueTallyPlan returns the database's plan for QueueTallies' query
// (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL), one line per
// step; for the tests.
func (db *DB) QueueTallyPlan(ctx context.Context, a access.Actor, q TallyQuery) (string, error) {
	query, args := queueTallySQL(a, q)
	return db.explain(ctx, query, args...)
}

// explain returns the database's plan for query (EXPLAIN QUERY PLAN on
// SQLite, EXPLAIN on PostgreSQL), one line per step.
func (db *DB) explain(ctx context.Context, query string, args ...any) (string, error) {
	explain := "EXPLAIN "
	if db.dialect == SQLite {
		explain = "EXPLAIN QUERY PLAN "
	}
	rows, err := db.read.QueryContext(ctx, db.rebind(explain+query), args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		line := vals[len(vals)-1] // SQLite: id, parent, notused, detail; PostgreSQL: one text column
		switch v := line.(type) {
		case []byte:
			lines = append(lines, string(v))
		case string:
			lines = append(lines, v)
		}
	}
	return strings.Join(lines, "\n"), rows.Err()
}
