package textsearch

import (
	"database/sql"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// openFTS returns an in-memory SQLite database with an FTS5 table docs(body)
// holding the analyzed matchCases documents; rowid i+1 is matchCases[i].
func openFTS(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection: one in-memory database
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')`); err != nil {
		tb.Fatal(err)
	}
	for i, c := range matchCases {
		if _, err := db.Exec(`INSERT INTO docs(rowid, body) VALUES (?, ?)`, i+1, Analyze(c.doc)); err != nil {
			tb.Fatal(err)
		}
	}
	return db
}

func TestFTS5Matches(t *testing.T) {
	db := openFTS(t)
	for i, tt := range matchCases {
		t.Run(tt.doc+"/"+tt.q, func(t *testing.T) {
			q := ParseQuery(tt.q)
			if q.Empty() {
				if tt.want {
					t.Fatalf("query %q: got Empty, want a match", tt.q)
				}
				return
			}
			rows, err := db.Query(`SELECT rowid FROM docs WHERE docs MATCH ?`, q.FTS5())
			if err != nil {
				t.Fatalf("MATCH %s: got error %v, want nil", q.FTS5(), err)
			}
			defer rows.Close()
			got := false
			for rows.Next() {
				var id int
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				if id == i+1 {
					got = true
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("MATCH %s: got error %v, want nil", q.FTS5(), err)
			}
			if got != tt.want {
				t.Errorf("MATCH %s against %q: got %v, want %v", q.FTS5(), Analyze(tt.doc), got, tt.want)
			}
		})
	}
}

func TestFTS5Ranking(t *testing.T) {
	db := openFTS(t)
	// Documents matching "drucker", best first by bm25: all must mention it.
	rows, err := db.Query(`SELECT body FROM docs WHERE docs MATCH ? ORDER BY rank`, ParseQuery("Drucker").FTS5())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(" "+body+" ", " druck ") {
			t.Errorf("got %q, want a document with the token druck", body)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Errorf("got %d matches, want at least 5", n)
	}
}

var (
	fts5RE = regexp.MustCompile(`^(\(|\)|"[a-z0-9]+"\*?| AND | OR | NOT )*$`)
	tsqRE  = regexp.MustCompile(`^(\(|\)|!|[a-z0-9]+(:\*)?| & | \| )*$`)
	outRE  = regexp.MustCompile(`^[a-z0-9]+( [a-z0-9]+)*$`)
)

func FuzzParseQuery(f *testing.F) {
	for _, c := range matchCases {
		f.Add(c.q)
	}
	for _, s := range []string{"", `"`, `""*`, "*", "-", "-*", "- -", "NOT", "a OR b", "(x", "x)", `col:x`, "^x", "x + y",
		"NEAR(a b)", "\x00", "\xff\xfe", "a-", "-a-b-c*", "ä*", "ß", "🙂", "x AND", "{a b}: c", "\u0301*"} {
		f.Add(s)
	}
	db := openFTS(f)
	f.Fuzz(func(t *testing.T, in string) {
		q := ParseQuery(in)
		fts, tsq := q.FTS5(), q.TSQuery()
		if q.Empty() != (fts == "") || q.Empty() != (tsq == "") {
			t.Fatalf("ParseQuery(%q): Empty %v, FTS5 %q, TSQuery %q: want all empty or none", in, q.Empty(), fts, tsq)
		}
		if !fts5RE.MatchString(fts) {
			t.Fatalf("ParseQuery(%q).FTS5(): got %q, want only quoted [a-z0-9] tokens and operators", in, fts)
		}
		if !tsqRE.MatchString(tsq) {
			t.Fatalf("ParseQuery(%q).TSQuery(): got %q, want only [a-z0-9] tokens and operators", in, tsq)
		}
		if strings.Count(fts, "(") != strings.Count(fts, ")") || strings.Count(tsq, "(") != strings.Count(tsq, ")") {
			t.Fatalf("ParseQuery(%q): unbalanced parentheses in %q / %q", in, fts, tsq)
		}
		if fts == "" {
			return
		}
		rows, err := db.Query(`SELECT rowid FROM docs WHERE docs MATCH ?`, fts)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		if err != nil {
			t.Fatalf("ParseQuery(%q).FTS5() = %q: SQLite says %v", in, fts, err)
		}
	})
}

func FuzzAnalyze(f *testing.F) {
	for _, c := range matchCases {
		f.Add(c.doc)
	}
	f.Add("a-b_c-- -d_ C++ C# #1 \x00\xff ẞ ǿ 打印 Привет")
	f.Fuzz(func(t *testing.T, in string) {
		out := Analyze(in)
		if out != "" && !outRE.MatchString(out) {
			t.Fatalf("Analyze(%q): got %q, want space-separated [a-z0-9]+ tokens", in, out)
		}
	})
}
