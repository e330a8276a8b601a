package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// dialectOnly lists the schema facts that exist in one dialect only, by
// design, each with its reason. Every other fact (table, column with its
// type class, nullability and whether it has a default, index, primary key,
// foreign key, unique constraint, number of checks) must be the same in
// both. A line listed here that no longer differs fails the test too, so
// the list stays true.
var dialectOnly = map[string]struct{ dialect, reason string }{
	// Full-text search: SQLite keeps the analysed terms in an FTS5 virtual
	// table (with its shadow tables) under search_docs' rowid; PostgreSQL
	// keeps them in a tsvector column of search_docs with a GIN index.
	"table search_fts":                                       {store.SQLite, "FTS5 virtual table for the search terms"},
	"column search_fts.terms any null nodefault":             {store.SQLite, "FTS5 columns carry no type"},
	"table search_fts_config":                                {store.SQLite, "FTS5 shadow table"},
	"column search_fts_config.k any notnull nodefault":       {store.SQLite, "FTS5 shadow table"},
	"column search_fts_config.v any null nodefault":          {store.SQLite, "FTS5 shadow table"},
	"primary key search_fts_config (k)":                      {store.SQLite, "FTS5 shadow table"},
	"table search_fts_content":                               {store.SQLite, "FTS5 shadow table"},
	"column search_fts_content.c0 any null nodefault":        {store.SQLite, "FTS5 shadow table"},
	"column search_fts_content.id integer notnull nodefault": {store.SQLite, "FTS5 shadow table"},
	"primary key search_fts_content (id)":                    {store.SQLite, "FTS5 shadow table"},
	"table search_fts_data":                                  {store.SQLite, "FTS5 shadow table"},
	"column search_fts_data.block bytes null nodefault":      {store.SQLite, "FTS5 shadow table"},
	"column search_fts_data.id integer notnull nodefault":    {store.SQLite, "FTS5 shadow table"},
	"primary key search_fts_data (id)":                       {store.SQLite, "FTS5 shadow table"},
	"table search_fts_docsize":                               {store.SQLite, "FTS5 shadow table"},
	"column search_fts_docsize.id integer notnull nodefault": {store.SQLite, "FTS5 shadow table"},
	"column search_fts_docsize.sz bytes null nodefault":      {store.SQLite, "FTS5 shadow table"},
	"primary key search_fts_docsize (id)":                    {store.SQLite, "FTS5 shadow table"},
	"table search_fts_idx":                                   {store.SQLite, "FTS5 shadow table"},
	"column search_fts_idx.segid any notnull nodefault":      {store.SQLite, "FTS5 shadow table"},
	"column search_fts_idx.term any notnull nodefault":       {store.SQLite, "FTS5 shadow table"},
	"column search_fts_idx.pgno any null nodefault":          {store.SQLite, "FTS5 shadow table"},
	"primary key search_fts_idx (segid,term)":                {store.SQLite, "FTS5 shadow table"},
	"column search_docs.terms tsvector notnull nodefault":    {store.Postgres, "the search terms as a tsvector (SQLite: search_fts)"},
	"index search_docs_terms on search_docs (terms)":         {store.Postgres, "GIN index over the search terms (SQLite: search_fts)"},
}

// TestSchemasAgree reads the catalogs of a freshly migrated SQLite and
// PostgreSQL database and compares them: a column, index or constraint
// added to one dialect's migrations only fails here.
func TestSchemasAgree(t *testing.T) {
	t.Parallel()
	sqlite, pg := migratedFacts(t, store.SQLite, ""), migratedFacts(t, store.Postgres, "")
	if len(sqlite) < 100 || len(pg) < 100 {
		t.Fatalf("read too little of the catalogs: %d SQLite facts, %d PostgreSQL facts", len(sqlite), len(pg))
	}
	for _, d := range schemaDiff(sqlite, pg) {
		t.Error(d)
	}
}

// TestSchemasAgreeNoticesOneSidedChanges makes sure the comparison sees a
// column, an index, a foreign key and a check added to one dialect only.
func TestSchemasAgreeNoticesOneSidedChanges(t *testing.T) {
	t.Parallel()
	sqlite := migratedFacts(t, store.SQLite, `
		ALTER TABLE users ADD COLUMN nickname TEXT NOT NULL DEFAULT '';
		CREATE INDEX tickets_subject ON tickets (subject);`)
	pg := migratedFacts(t, store.Postgres, `
		ALTER TABLE queues ADD COLUMN owner_id BIGINT REFERENCES users (id);
		ALTER TABLE tickets ADD CONSTRAINT tickets_short CHECK (length(subject) < 300);
		CREATE UNIQUE INDEX sessions_pair ON sessions (user_id, token_hash) WHERE expires_at > 0;`)
	want := []string{
		"only in sqlite: column users.nickname text notnull default",
		"only in sqlite: index tickets_subject on tickets (subject)",
		"only in postgres: column queues.owner_id integer null nodefault",
		"only in postgres: foreign key queues (owner_id) -> users (id) on delete no action",
		"only in postgres: unique index sessions_pair on sessions (user_id,token_hash) partial",
	}
	got := schemaDiff(sqlite, pg)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("the comparison missed %q; it found:\n%s", w, strings.Join(got, "\n"))
		}
	}
	if !slices.ContainsFunc(got, func(d string) bool { return strings.HasPrefix(d, "only in postgres: checks tickets ") }) {
		t.Errorf("the comparison missed the added check; it found:\n%s", strings.Join(got, "\n"))
	}
}

// migratedFacts migrates a new database of dialect, runs extra (DDL, may be
// empty) on it and returns its schema facts.
func migratedFacts(t *testing.T, dialect, extra string) []string {
	t.Helper()
	ctx := context.Background()
	var url string
	dir := t.TempDir()
	if dialect == store.Postgres {
		url = storetest.PostgresURL(t)
	}
	db, err := store.Open(ctx, url, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	db.Close()
	driver, dsn := "pgx", url
	if dialect == store.SQLite {
		driver, dsn = "sqlite", "file:"+filepath.Join(dir, "servus.db")
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if extra != "" {
		if _, err := raw.Exec(extra); err != nil {
			t.Fatalf("%s: %v", extra, err)
		}
	}
	if dialect == store.Postgres {
		return postgresFacts(t, raw)
	}
	return sqliteFacts(t, raw)
}

// schemaDiff lists the facts of one schema missing from the other, except
// those dialectOnly explains, and the explained ones that no longer differ.
func schemaDiff(sqlite, pg []string) []string {
	facts := map[string][]string{store.SQLite: sqlite, store.Postgres: pg}
	in := map[string]map[string]bool{}
	for d, fs := range facts {
		in[d] = map[string]bool{}
		for _, f := range fs {
			in[d][f] = true
		}
	}
	other := map[string]string{store.SQLite: store.Postgres, store.Postgres: store.SQLite}
	var out []string
	for _, d := range storetest.Dialects {
		for _, f := range facts[d] {
			if in[other[d]][f] {
				continue
			}
			if ex, ok := dialectOnly[f]; ok && ex.dialect == d {
				continue
			}
			out = append(out, "only in "+d+": "+f)
		}
	}
	for f, ex := range dialectOnly {
		switch {
		case !in[ex.dialect][f]:
			out = append(out, fmt.Sprintf("listed as %s only (%s), but %s has no %q", ex.dialect, ex.reason, ex.dialect, f))
		case in[other[ex.dialect]][f]:
			out = append(out, fmt.Sprintf("listed as %s only (%s), but %s has %q too", ex.dialect, ex.reason, other[ex.dialect], f))
		}
	}
	slices.Sort(out)
	return out
}

// typeClass maps a declared or catalog type to what both dialects mean by
// it: SQLite stores every integer in 64 bits, so INTEGER and BIGINT are one
// class.
func typeClass(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case t == "":
		return "any"
	case strings.Contains(t, "int"):
		return "integer"
	case strings.Contains(t, "char"), strings.Contains(t, "text"), strings.Contains(t, "clob"):
		return "text"
	case strings.Contains(t, "bool"):
		return "boolean"
	case strings.Contains(t, "blob"), t == "bytea":
		return "bytes"
	case strings.Contains(t, "real"), strings.Contains(t, "floa"), strings.Contains(t, "doub"), strings.Contains(t, "numeric"):
		return "real"
	}
	return t
}

func column(table, name, typ string, notNull, hasDefault bool) string {
	null, def := "null", "nodefault"
	if notNull {
		null = "notnull"
	}
	if hasDefault {
		def = "default"
	}
	return fmt.Sprintf("column %s.%s %s %s %s", table, name, typeClass(typ), null, def)
}

func index(name, table, cols string, unique, partial bool) string {
	s := "index"
	if unique {
		s = "unique " + s
	}
	s += " " + name + " on " + table + " (" + cols + ")"
	if partial {
		s += " partial"
	}
	return s
}

// onDelete names a foreign key's ON DELETE action alike for both dialects.
func onDelete(a string) string {
	switch strings.ToLower(a) {
	case "a", "no action", "":
		return "no action"
	case "r", "restrict":
		return "restrict"
	case "c", "cascade":
		return "cascade"
	case "n", "set null":
		return "set null"
	case "d", "set default":
		return "set default"
	}
	return a
}

var checkRE = regexp.MustCompile(`(?i)\bCHECK\s*\(`)

// sqliteFacts reads the schema of a SQLite database.
func sqliteFacts(t *testing.T, db *sql.DB) []string {
	t.Helper()
	type tbl struct{ name, sql string }
	var tables []tbl
	queryRows(t, db, func(r *sql.Rows) error {
		var x tbl
		err := r.Scan(&x.name, &x.sql)
		tables = append(tables, x)
		return err
	}, `SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	var out []string
	for _, tb := range tables {
		out = append(out, "table "+tb.name)
		if n := len(checkRE.FindAllString(tb.sql, -1)); n > 0 {
			out = append(out, fmt.Sprintf("checks %s %d", tb.name, n))
		}
		var pk []string
		pkPos := map[string]int{}
		queryRows(t, db, func(r *sql.Rows) error {
			var (
				cid, notNull, pkn int
				name, typ         string
				def               sql.NullString
			)
			if err := r.Scan(&cid, &name, &typ, &notNull, &def, &pkn); err != nil {
				return err
			}
			if pkn > 0 {
				pk = append(pk, name)
				pkPos[name] = pkn
			}
			// A primary key column is never NULL (SQLite's INTEGER
			// PRIMARY KEY is the rowid and reports notnull 0).
			out = append(out, column(tb.name, name, typ, notNull == 1 || pkn > 0, def.Valid))
			return nil
		}, `SELECT cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`, tb.name)
		if len(pk) > 0 {
			slices.SortFunc(pk, func(a, b string) int { return pkPos[a] - pkPos[b] })
			out = append(out, "primary key "+tb.name+" ("+strings.Join(pk, ",")+")")
		}
		type idx struct {
			name, origin    string
			unique, partial bool
		}
		var idxs []idx
		queryRows(t, db, func(r *sql.Rows) error {
			var x idx
			err := r.Scan(&x.name, &x.unique, &x.origin, &x.partial)
			idxs = append(idxs, x)
			return err
		}, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, tb.name)
		for _, x := range idxs {
			var cols []string
			queryRows(t, db, func(r *sql.Rows) error {
				var c sql.NullString
				err := r.Scan(&c)
				cols = append(cols, map[bool]string{true: c.String, false: "(expression)"}[c.Valid])
				return err
			}, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, x.name)
			switch x.origin {
			case "pk": // the primary key above
			case "u":
				out = append(out, "unique "+tb.name+" ("+strings.Join(cols, ",")+")")
			default:
				out = append(out, index(x.name, tb.name, strings.Join(cols, ","), x.unique, x.partial))
			}
		}
		type fk struct {
			id                    int
			target, from, to, del string
		}
		var fks []fk
		queryRows(t, db, func(r *sql.Rows) error {
			var (
				x  fk
				to sql.NullString
			)
			err := r.Scan(&x.id, &x.target, &x.from, &to, &x.del)
			x.to = to.String
			fks = append(fks, x)
			return err
		}, `SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, tb.name)
		for i := 0; i < len(fks); {
			j := i
			var from, to []string
			for ; j < len(fks) && fks[j].id == fks[i].id; j++ {
				from, to = append(from, fks[j].from), append(to, fks[j].to)
			}
			if to[0] == "" { // REFERENCES t without columns: t's primary key
				to = sqlitePK(t, db, fks[i].target)
			}
			out = append(out, fmt.Sprintf("foreign key %s (%s) -> %s (%s) on delete %s", tb.name, strings.Join(from, ","), fks[i].target, strings.Join(to, ","), onDelete(fks[i].del)))
			i = j
		}
	}
	return out
}

func sqlitePK(t *testing.T, db *sql.DB, table string) []string {
	var pk []string
	queryRows(t, db, func(r *sql.Rows) error {
		var c string
		err := r.Scan(&c)
		pk = append(pk, c)
		return err
	}, `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, table)
	return pk
}

// postgresFacts reads the schema "public" of a PostgreSQL database.
func postgresFacts(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var out []string
	queryRows(t, db, func(r *sql.Rows) error {
		var name string
		err := r.Scan(&name)
		out = append(out, "table "+name)
		return err
	}, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	queryRows(t, db, func(r *sql.Rows) error {
		var (
			table, name, typ, nullable string
			hasDefault                 bool
		)
		err := r.Scan(&table, &name, &typ, &nullable, &hasDefault)
		out = append(out, column(table, name, typ, nullable == "NO", hasDefault))
		return err
	}, `SELECT table_name, column_name, data_type, is_nullable, column_default IS NOT NULL
		FROM information_schema.columns WHERE table_schema = 'public'`)
	// Indexes that do not back a primary key or unique constraint.
	queryRows(t, db, func(r *sql.Rows) error {
		var (
			name, table, cols string
			unique, partial   bool
		)
		err := r.Scan(&name, &table, &cols, &unique, &partial)
		out = append(out, index(name, table, cols, unique, partial))
		return err
	}, `SELECT ic.relname, tc.relname,
			(SELECT string_agg(COALESCE(a.attname, '(expression)'), ',' ORDER BY k.o)
				FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
				LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n AND k.n > 0),
			i.indisunique, i.indpred IS NOT NULL
		FROM pg_index i
		JOIN pg_class ic ON ic.oid = i.indexrelid
		JOIN pg_class tc ON tc.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = tc.relnamespace
		WHERE n.nspname = 'public'
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))`)
	checks := map[string]int{}
	queryRows(t, db, func(r *sql.Rows) error {
		var (
			kind, table, cols, target, targetCols, del string
		)
		if err := r.Scan(&kind, &table, &cols, &target, &targetCols, &del); err != nil {
			return err
		}
		switch kind {
		case "p":
			out = append(out, "primary key "+table+" ("+cols+")")
		case "u":
			out = append(out, "unique "+table+" ("+cols+")")
		case "f":
			out = append(out, fmt.Sprintf("foreign key %s (%s) -> %s (%s) on delete %s", table, cols, target, targetCols, onDelete(del)))
		case "c":
			checks[table]++
		default:
			out = append(out, "constraint of kind "+kind+" on "+table)
		}
		return nil
	}, `SELECT c.contype::text, tc.relname,
			COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.o) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
				JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n), ''),
			COALESCE(fc.relname, ''),
			COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.o) FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
				JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n), ''),
			c.confdeltype::text
		FROM pg_constraint c
		JOIN pg_class tc ON tc.oid = c.conrelid
		JOIN pg_namespace n ON n.oid = tc.relnamespace
		LEFT JOIN pg_class fc ON fc.oid = c.confrelid
		WHERE n.nspname = 'public' AND c.contype <> 'n'`)
	for table, n := range checks {
		out = append(out, fmt.Sprintf("checks %s %d", table, n))
	}
	return out
}

func queryRows(t *testing.T, db *sql.DB, each func(*sql.Rows) error, query string, args ...any) {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
