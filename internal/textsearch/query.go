package textsearch

import (
	"strings"
)

const (
	// MaxQueryLen is how many bytes of a search query ParseQuery reads.
	MaxQueryLen = 1024
	// MaxQueryTerms bounds the words of one query (positive and excluded
	// together); further words are ignored.
	MaxQueryTerms = 16
	// minPrefixLen is the shortest folded prefix searched as a prefix;
	// shorter ones ("a*") are searched as whole words.
	minPrefixLen = 2
)

// Query is a parsed search: every positive term must match, and no excluded
// term may. Its zero value is empty. A Query only ever holds [a-z0-9] tokens,
// so its renderings are always well-formed.
type Query struct {
	must, not []term
}

// term is one query word: any of its alternatives matches it.
type term struct {
	alts   []string // [a-z0-9]+, deduplicated
	prefix bool     // each alternative matches as a prefix
}

// ParseQuery parses a search box's input (only its first MaxQueryLen bytes,
// and at most MaxQueryTerms words).
//
//   - Words are separated by spaces and are ANDed. Each word is analyzed as
//     Analyze does and matches if any of its stems matches: "Druckers"
//     matches a text with "Drucker" (stems "druck", "drucker").
//   - Words joined by '-' or '_' are searched in their joined form only, so
//     "INV-2023-44" matches exactly that inventory number and "E-Mail"
//     matches "email". Other punctuation inside a word separates words, each
//     ANDed ("foo/bar" is "foo bar").
//   - Double quotes are ignored: a quoted phrase is its words, ANDed.
//   - A trailing '*' makes the word (or, for "a-b*", the joined form) a
//     prefix search: it matches tokens starting with the folded word or with
//     one of its stems ("rechnungen*" matches "Rechnungsnummer" through the
//     stem "rechnung"). A prefix shorter than two characters is searched as a
//     plain word. Prefix words are kept even when they are stop words.
//   - A leading '-' excludes the word. Exclusions only narrow a query with at
//     least one positive word; a query of exclusions alone is empty.
//   - Stop words and words that fold to nothing are dropped. When no positive
//     word remains, the query is Empty and callers list without text search.
//
// It returns no error: any input yields a valid Query.
func ParseQuery(q string) Query {
	q = truncate(q, MaxQueryLen)
	q = strings.ReplaceAll(q, `"`, " ")
	a := newAnalyzer()
	var out Query
	seen := make(map[string]bool)
	for _, chunk := range strings.Fields(q) {
		neg := strings.HasPrefix(chunk, "-")
		chunk = strings.TrimLeft(chunk, "-")
		prefix := strings.HasSuffix(chunk, "*")
		chunk = strings.TrimRight(chunk, "*")
		var groups [][]string
		scan(chunk, func(parts []string) bool {
			groups = append(groups, append([]string(nil), parts...))
			return true
		})
		for i, parts := range groups {
			t, ok := a.term(strings.Join(parts, ""), prefix && i == len(groups)-1)
			if !ok {
				continue
			}
			key := termKey(t, neg)
			if seen[key] {
				continue
			}
			if len(out.must)+len(out.not) >= MaxQueryTerms {
				break
			}
			seen[key] = true
			if neg {
				out.not = append(out.not, t)
			} else {
				out.must = append(out.must, t)
			}
		}
	}
	if len(out.must) == 0 {
		return Query{}
	}
	return out
}

// term builds the query term for one raw word.
func (a *analyzer) term(raw string, prefix bool) (term, bool) {
	w, ok := a.word(raw)
	if !ok {
		return term{}, false
	}
	if prefix && len(w) < minPrefixLen {
		prefix = false
	}
	if !prefix {
		alts := a.tokens(raw, nil)
		return term{alts: alts}, len(alts) > 0
	}
	alts := a.stems(w, []string{encode(w)})
	// Drop alternatives that another alternative's prefix already covers.
	var kept []string
	for i, x := range alts {
		covered := false
		for j, y := range alts {
			if i != j && strings.HasPrefix(x, y) && (len(y) < len(x) || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			kept = append(kept, x)
		}
	}
	return term{alts: kept, prefix: true}, true
}

func termKey(t term, neg bool) string {
	k := strings.Join(t.alts, "|")
	if t.prefix {
		k += "*"
	}
	if neg {
		k = "-" + k
	}
	return k
}

// Empty reports whether q has no positive term, so that a search should list
// without a text condition. FTS5 and TSQuery return "" for an empty Query.
// It returns no error.
func (q Query) Empty() bool { return len(q.must) == 0 }

// FTS5 renders q as an SQLite FTS5 MATCH expression over a column holding
// Analyze's tokens, e.g. `("druck" OR "drucker") AND "kaputt" NOT "toner"`
// with prefixes as `"rechnung"*`. Tokens are always double-quoted and are
// [a-z0-9]+, so the expression is never an FTS5 syntax error. It returns ""
// for an empty Query, and no error.
func (q Query) FTS5() string {
	if q.Empty() {
		return ""
	}
	render := func(t term) string {
		alts := make([]string, len(t.alts))
		for i, a := range t.alts {
			alts[i] = `"` + a + `"`
			if t.prefix {
				alts[i] += "*"
			}
		}
		if len(alts) == 1 {
			return alts[0]
		}
		return "(" + strings.Join(alts, " OR ") + ")"
	}
	parts := make([]string, len(q.must))
	for i, t := range q.must {
		parts[i] = render(t)
	}
	s := strings.Join(parts, " AND ")
	if len(q.not) > 0 {
		if len(parts) > 1 {
			s = "(" + s + ")"
		}
		for _, t := range q.not {
			s += " NOT " + render(t)
		}
	}
	return s
}

// TSQuery renders q for PostgreSQL's to_tsquery('simple', …) over
// to_tsvector('simple', Analyze(text)), e.g. `(druck | drucker) & kaputt &
// !toner`, with prefixes as `rechnung:*`. It returns "" for an empty Query,
// and no error.
func (q Query) TSQuery() string {
	if q.Empty() {
		return ""
	}
	render := func(t term) string {
		alts := make([]string, len(t.alts))
		for i, a := range t.alts {
			alts[i] = a
			if t.prefix {
				alts[i] += ":*"
			}
		}
		if len(alts) == 1 {
			return alts[0]
		}
		return "(" + strings.Join(alts, " | ") + ")"
	}
	parts := make([]string, 0, len(q.must)+len(q.not))
	for _, t := range q.must {
		parts = append(parts, render(t))
	}
	for _, t := range q.not {
		parts = append(parts, "!"+render(t))
	}
	return strings.Join(parts, " & ")
}

// String returns the FTS5 rendering, for logs and tests. It returns no error.
func (q Query) String() string { return q.FTS5() }
