package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/ticket"
)

// A backup copies servus's tables row by row in a dialect-neutral form, so
// that an archive of a SQLite database restores into PostgreSQL and back.
// These are the store's side of it: the tables in an order that satisfies
// their foreign keys, a consistent snapshot to read them from, and batched
// inserts to load them. The search index is not copied (its form differs
// between the dialects); RebuildSearch derives it again from the rows.

// Table is one of servus's tables as a backup sees it.
type Table struct {
	Name    string
	Columns []Column
	Key     []string // primary key columns: rows are read in this order
	// Deferred are columns whose foreign key points to a table loaded later
	// (two tables that refer to each other, as entries and inbound mails
	// do): a restore loads them as NULL and sets them when every table is in.
	Deferred []string
	serial   bool // PostgreSQL: an identity "id" column whose sequence follows the rows
}

// fk is a foreign key: the referencing column, the table it points to and
// whether the column may be NULL.
type fk struct {
	column, table string
	nullable      bool
}

// Column is a column of a Table with its kind of value: "int", "float",
// "text", "bool" or "bytes".
type Column struct{ Name, Kind string }

// BlobColumns name the columns that hold blob hashes (attachments' files and
// the raw mails): a backup copies the files they name. A test checks that
// every other column named like a hash is none.
var BlobColumns = [][2]string{{"attachments", "hash"}, {"inbound", "raw_hash"}}

// notCopied are the tables a backup leaves out: the migration bookkeeping
// (a restore migrates), SQLite's own, the search index (rebuilt) and the
// files kept in the database (the archive holds them as files, like those
// of the data folder).
func notCopied(name string) bool {
	return name == "schema_migrations" || name == "blobs" || name == "blob_chunks" || name == "search_docs" || strings.HasPrefix(name, "sqlite_") || strings.HasPrefix(name, "search_fts")
}

// Snapshot runs fn in a read-only transaction that sees one consistent
// state of the whole database while others write: REPEATABLE READ on
// PostgreSQL, a read transaction on SQLite (WAL keeps its snapshot).
func (db *DB) Snapshot(ctx context.Context, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: db.dialect == Postgres}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return db.run(ctx, db.read, opts, fn)
}

// LatestMigration is the highest migration version this servus carries.
func (db *DB) LatestMigration() int {
	files, _ := fs.Glob(migrations, "migrations/"+db.dialect+"/*.sql")
	latest := 0
	for _, f := range files {
		if v, err := strconv.Atoi(strings.SplitN(filepath.Base(f), "_", 2)[0]); err == nil && v > latest {
			latest = v
		}
	}
	return latest
}

// SchemaVersion is the highest migration applied to the database, 0 for a
// database servus never migrated.
func (tx *Tx) SchemaVersion(ctx context.Context) (int, error) {
	exists, err := tx.tableExists(ctx, "schema_migrations")
	if err != nil || !exists {
		return 0, err
	}
	var v sql.NullInt64
	if err := tx.queryRow(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// HoldsData reports whether the database holds any user or ticket: a
// restore goes only into a database that holds neither (a schema without
// rows, as a restore that crashed leaves it, counts as empty).
func (tx *Tx) HoldsData(ctx context.Context) (bool, error) {
	for _, t := range []string{"users", "tickets"} {
		exists, err := tx.tableExists(ctx, t)
		if err != nil {
			return false, err
		}
		if !exists {
			continue
		}
		var n int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+t+" LIMIT 1) x").Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

func (tx *Tx) tableExists(ctx context.Context, name string) (bool, error) {
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	if tx.db.dialect == Postgres {
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	var n int
	err := tx.queryRow(ctx, q, name).Scan(&n)
	return n > 0, err
}

// Tables lists the tables a backup copies, each after the tables its
// foreign keys point to; where two tables point to each other, one nullable
// column of the cycle is Deferred. A column of a type a backup cannot carry
// is an error: a migration that adds one must teach the backup first.
func (tx *Tx) Tables(ctx context.Context) ([]Table, error) {
	names, err := tx.tableNames(ctx)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	byName := map[string]*Table{}
	fks := map[string][]fk{}
	for _, n := range names {
		t, refs, err := tx.describe(ctx, n)
		if err != nil {
			return nil, err
		}
		byName[n] = t
		sort.Slice(refs, func(i, j int) bool { return refs[i].table+refs[i].column < refs[j].table+refs[j].column })
		fks[n] = refs
	}
	for range 100 {
		out, cycle := order(names, byName, fks)
		if cycle == nil {
			return out, nil
		}
		// Break the cycle at its first nullable column and try again.
		broken := false
		for i := 0; i+1 < len(cycle) && !broken; i++ {
			from, to := cycle[i], cycle[i+1]
			for k, f := range fks[from] {
				if f.table == to && f.nullable {
					byName[from].Deferred = append(byName[from].Deferred, f.column)
					fks[from] = append(fks[from][:k:k], fks[from][k+1:]...)
					broken = true
					break
				}
			}
		}
		if !broken {
			return nil, fmt.Errorf("backup: foreign keys form a cycle without a nullable column: %s", strings.Join(cycle, " → "))
		}
	}
	return nil, fmt.Errorf("backup: cannot order the tables by their foreign keys")
}

// order sorts the tables topologically along fks (ties by name, so that
// archives are reproducible); on a cycle it returns the cycle's path.
func order(names []string, byName map[string]*Table, fks map[string][]fk) ([]Table, []string) {
	var out []Table
	state := map[string]int{} // 1 visiting, 2 done
	var cycle []string
	var visit func(n string, path []string) bool
	visit = func(n string, path []string) bool {
		switch state[n] {
		case 2:
			return true
		case 1:
			for i, p := range path {
				if p == n {
					cycle = append(append([]string(nil), path[i:]...), n)
					break
				}
			}
			return false
		}
		state[n] = 1
		for _, f := range fks[n] {
			if f.table == n || byName[f.table] == nil {
				continue // a row refers to its own table (ordered by key), or to a table not copied
			}
			if !visit(f.table, append(path, n)) {
				return false
			}
		}
		state[n] = 2
		out = append(out, *byName[n])
		return true
	}
	for _, n := range names {
		if !visit(n, nil) {
			return nil, cycle
		}
	}
	return out, nil
}

func (tx *Tx) tableNames(ctx context.Context) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if tx.db.dialect == Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	rows, err := tx.query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if !notCopied(n) {
			names = append(names, n)
		}
	}
	return names, rows.Err()
}

// describe reads a table's columns, primary key and the tables its foreign
// keys refer to.
func (tx *Tx) describe(ctx context.Context, name string) (*Table, []fk, error) {
	t := &Table{Name: name}
	var refs []fk
	notNull := map[string]bool{}
	if tx.db.dialect == SQLite {
		rows, err := tx.query(ctx, "SELECT name, type, pk, \"notnull\" FROM pragma_table_info(?) ORDER BY cid", name)
		if err != nil {
			return nil, nil, err
		}
		type keyCol struct {
			name string
			pos  int
		}
		var keys []keyCol
		for rows.Next() {
			var col, typ string
			var pk, nn int
			if err := rows.Scan(&col, &typ, &pk, &nn); err != nil {
				rows.Close()
				return nil, nil, err
			}
			kind, ok := columnKind(typ)
			if !ok {
				rows.Close()
				return nil, nil, fmt.Errorf("backup: column %s.%s has type %s, which a backup cannot carry", name, col, typ)
			}
			t.Columns = append(t.Columns, Column{col, kind})
			notNull[col] = nn != 0 || pk > 0
			if pk > 0 {
				keys = append(keys, keyCol{col, pk})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].pos < keys[j].pos })
		for _, k := range keys {
			t.Key = append(t.Key, k.name)
		}
		if len(t.Key) == 0 {
			t.Key = []string{"rowid"}
		}
		fks, err := tx.query(ctx, `SELECT "from", "table" FROM pragma_foreign_key_list(?)`, name)
		if err != nil {
			return nil, nil, err
		}
		defer fks.Close()
		for fks.Next() {
			var f fk
			if err := fks.Scan(&f.column, &f.table); err != nil {
				return nil, nil, err
			}
			f.nullable = !notNull[f.column]
			refs = append(refs, f)
		}
		return t, refs, fks.Err()
	}

	rows, err := tx.query(ctx, `SELECT column_name, data_type, is_identity, is_nullable FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, name)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var col, typ, identity, nullable string
		if err := rows.Scan(&col, &typ, &identity, &nullable); err != nil {
			rows.Close()
			return nil, nil, err
		}
		kind, ok := columnKind(typ)
		if !ok {
			rows.Close()
			return nil, nil, fmt.Errorf("backup: column %s.%s has type %s, which a backup cannot carry", name, col, typ)
		}
		t.Columns = append(t.Columns, Column{col, kind})
		notNull[col] = nullable != "YES"
		if identity == "YES" && col == "id" {
			t.serial = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	keys, err := tx.query(ctx, `SELECT a.attname FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
		WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`, name)
	if err != nil {
		return nil, nil, err
	}
	for keys.Next() {
		var k string
		if err := keys.Scan(&k); err != nil {
			keys.Close()
			return nil, nil, err
		}
		t.Key = append(t.Key, k)
	}
	keys.Close()
	if len(t.Key) == 0 {
		for _, c := range t.Columns { // no primary key: order by every column
			t.Key = append(t.Key, c.Name)
		}
	}
	fks, err := tx.query(ctx, `SELECT a.attname, c.confrelid::regclass::text FROM pg_constraint c
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.contype = 'f' AND c.conrelid = ?::regclass`, name)
	if err != nil {
		return nil, nil, err
	}
	defer fks.Close()
	for fks.Next() {
		var f fk
		if err := fks.Scan(&f.column, &f.table); err != nil {
			return nil, nil, err
		}
		f.table = strings.Trim(f.table, `"`)
		f.nullable = !notNull[f.column]
		refs = append(refs, f)
	}
	return t, refs, fks.Err()
}

// columnKind maps a declared column type of either dialect to the kind of
// value a backup carries.
func columnKind(typ string) (string, bool) {
	switch t := strings.ToLower(strings.TrimSpace(typ)); {
	case t == "integer" || t == "bigint" || t == "smallint" || t == "int":
		return "int", true
	case t == "text" || strings.HasPrefix(t, "varchar") || t == "character varying":
		return "text", true
	case t == "boolean" || t == "bool":
		return "bool", true
	case t == "blob" || t == "bytea":
		return "bytes", true
	case t == "real" || t == "double precision" || t == "double" || t == "float":
		return "float", true
	}
	return "", false
}

// DumpTable calls fn with every row of t in key order; a row's values are
// int64, float64, string, bool, []byte or nil as its columns' kinds say.
// The slice is reused between calls.
func (tx *Tx) DumpTable(ctx context.Context, t Table, fn func(row []any) error) error {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quoteIdent(c.Name)
	}
	keys := make([]string, len(t.Key))
	for i, k := range t.Key {
		keys[i] = quoteIdent(k)
	}
	rows, err := tx.query(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+quoteIdent(t.Name)+" ORDER BY "+strings.Join(keys, ", "))
	if err != nil {
		return err
	}
	defer rows.Close()
	dest := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		switch c.Kind {
		case "int":
			dest[i] = new(sql.NullInt64)
		case "float":
			dest[i] = new(sql.NullFloat64)
		case "bool":
			dest[i] = new(sql.NullBool)
		case "bytes":
			dest[i] = new([]byte)
		default:
			dest[i] = new(sql.NullString)
		}
	}
	row := make([]any, len(t.Columns))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("backup: read %s: %w", t.Name, err)
		}
		for i, d := range dest {
			row[i] = nil
			switch v := d.(type) {
			case *sql.NullInt64:
				if v.Valid {
					row[i] = v.Int64
				}
			case *sql.NullFloat64:
				if v.Valid {
					row[i] = v.Float64
				}
			case *sql.NullBool:
				if v.Valid {
					row[i] = v.Bool
				}
			case *[]byte:
				if *v != nil {
					row[i] = append([]byte(nil), *v...)
				}
			case *sql.NullString:
				if v.Valid {
					row[i] = v.String
				}
			}
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ClearTables deletes every row of tables, last first (a fresh schema's
// seeded rows make way for the archive's).
func (tx *Tx) ClearTables(ctx context.Context, tables []Table) error {
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.exec(ctx, "DELETE FROM "+quoteIdent(tables[i].Name)); err != nil {
			return err
		}
	}
	if tx.db.dialect == SQLite {
		if _, err := tx.exec(ctx, "DELETE FROM search_fts"); err != nil {
			return err
		}
	}
	_, err := tx.exec(ctx, "DELETE FROM search_docs")
	return err
}

// LoadRows inserts rows into t; each row holds t's columns in order, with
// values as DumpTable gives them (an int for a bool column is taken as
// 0/1, so an archive of either dialect loads into the other).
func (tx *Tx) LoadRows(ctx context.Context, t Table, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quoteIdent(c.Name)
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	per := max(1, min(500, 30000/len(cols)))
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(len(rows), start+per)]
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + quoteIdent(t.Name) + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, len(batch)*len(cols))
		for i, r := range batch {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(one)
			for j, v := range r {
				args = append(args, loadValue(t.Columns[j].Kind, v))
			}
		}
		if _, err := tx.tx.ExecContext(ctx, tx.db.rebind(sb.String()), args...); err != nil {
			return fmt.Errorf("restore %s: %w", t.Name, err)
		}
	}
	return nil
}

func loadValue(kind string, v any) any {
	if kind == "bool" {
		switch b := v.(type) {
		case int64:
			return b != 0
		}
	}
	return v
}

// SetDeferred sets column col of t's rows, identified by their one-column
// key, to vals: the second half of loading a Deferred column.
func (tx *Tx) SetDeferred(ctx context.Context, t Table, col string, keys, vals []any) error {
	if len(t.Key) != 1 {
		return fmt.Errorf("restore %s: a deferred column needs a one-column key", t.Name)
	}
	q := "UPDATE " + quoteIdent(t.Name) + " SET " + quoteIdent(col) + " = ? WHERE " + quoteIdent(t.Key[0]) + " = ?"
	stmt, err := tx.tx.PrepareContext(ctx, tx.db.rebind(q))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range keys {
		if _, err := stmt.ExecContext(ctx, vals[i], keys[i]); err != nil {
			return fmt.Errorf("restore %s.%s: %w", t.Name, col, err)
		}
	}
	return nil
}

// FixSequences moves the ticket number counter and PostgreSQL's sequences
// past the loaded rows, so that the next insert does not collide with a
// restored ID or number.
func (tx *Tx) FixSequences(ctx context.Context, tables []Table) error {
	// The ticket number counter follows the highest restored number: an
	// archive of PostgreSQL, which numbers from a sequence, may carry a
	// counter row that lags behind.
	if _, err := tx.exec(ctx, "UPDATE counters SET value = (SELECT COALESCE(MAX(number), 0) FROM tickets) WHERE name = 'ticket'"); err != nil {
		return fmt.Errorf("restore: ticket counter: %w", err)
	}
	if tx.db.dialect != Postgres {
		return nil
	}
	if _, err := tx.exec(ctx, `SELECT setval(seq, (SELECT COALESCE(MAX(number), 0) FROM tickets) + 1, false)
		FROM (SELECT to_regclass('ticket_numbers') AS seq) s WHERE seq IS NOT NULL`); err != nil {
		return fmt.Errorf("restore: ticket number sequence: %w", err)
	}
	for _, t := range tables {
		if !t.serial {
			continue
		}
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)`, t.Name, quoteIdent(t.Name))
		if _, err := tx.exec(ctx, q); err != nil {
			return fmt.Errorf("restore %s: sequence: %w", t.Name, err)
		}
	}
	return nil
}

// RebuildSearch indexes every ticket's subject, entry text and attachment
// name again, as creating them does (IndexText), after a restore.
func (tx *Tx) RebuildSearch(ctx context.Context, progress func(done int)) error {
	type doc struct {
		ticketID, sourceID int64
		source             string
		vis                ticket.Visibility
		text               string
	}
	// Read in pages by ID: the index is written while the rows are read.
	page := func(q string, after int64) ([]doc, int64, error) {
		rows, err := tx.query(ctx, q, after)
		if err != nil {
			return nil, after, err
		}
		defer rows.Close()
		var out []doc
		for rows.Next() {
			var d doc
			if err := rows.Scan(&d.sourceID, &d.ticketID, &d.source, &d.vis, &d.text); err != nil {
				return nil, after, err
			}
			out = append(out, d)
			after = d.sourceID
		}
		return out, after, rows.Err()
	}
	queries := []string{
		"SELECT id, id, 'subject', 'public', subject FROM tickets WHERE id > ? ORDER BY id LIMIT 1000",
		"SELECT id, ticket_id, 'entry', visibility, body FROM entries WHERE id > ? AND kind <> '" + string(ticket.KindEvent) + "' AND body <> '' ORDER BY id LIMIT 1000",
		"SELECT id, ticket_id, 'attachment', visibility, name FROM attachments WHERE id > ? ORDER BY id LIMIT 1000",
	}
	done := 0
	for _, q := range queries {
		var after int64
		for {
			docs, next, err := page(q, after)
			if err != nil {
				return fmt.Errorf("rebuild search: %w", err)
			}
			if len(docs) == 0 {
				break
			}
			after = next
			for _, d := range docs {
				id := d.sourceID
				if d.source == "subject" {
					id = 0
				}
				if err := tx.IndexText(ctx, d.ticketID, d.source, id, d.vis, d.text); err != nil {
					return fmt.Errorf("rebuild search: %w", err)
				}
			}
			done += len(docs)
			if progress != nil {
				progress(done)
			}
		}
	}
	return nil
}

// quoteIdent quotes a table or column name for either dialect.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
