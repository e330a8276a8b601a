package store

import "strings"

// TEMPORARY until internal/textsearch lands: plain lower-case words.
type wipQuery []string

type wiptsPkg struct{}

var wipts wiptsPkg

func (wiptsPkg) Analyze(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
func (wiptsPkg) ParseQuery(s string) wipQuery {
	var q wipQuery
	for _, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, w)
		if w != "" {
			q = append(q, w)
		}
	}
	return q
}
func (q wipQuery) Empty() bool     { return len(q) == 0 }
func (q wipQuery) FTS5() string    { return `"` + strings.Join(q, `" AND "`) + `"` }
func (q wipQuery) TSQuery() string { return strings.Join(q, " & ") }
