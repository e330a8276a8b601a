package i18n

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// detailPattern is one English problem text as a regular expression that
// captures its arguments, with its German text.
type detailPattern struct {
	re    *regexp.Regexp
	verbs []string
	de    string
	size  int // literal length: longer patterns are tried first
}

var detailPatterns = compileDetails(detailCatalog)

// compileDetails turns the table's English patterns into regular
// expressions: %d matches digits, %q a Go-quoted string, %s anything.
func compileDetails(table map[string]string) []detailPattern {
	var out []detailPattern
	verb := regexp.MustCompile(`%[dqs]`)
	for en, de := range table {
		var b strings.Builder
		b.WriteString("^")
		last := 0
		var verbs []string
		for _, loc := range verb.FindAllStringIndex(en, -1) {
			b.WriteString(regexp.QuoteMeta(strings.ReplaceAll(en[last:loc[0]], "%%", "%")))
			v := en[loc[0]:loc[1]]
			verbs = append(verbs, v)
			switch v {
			case "%d":
				b.WriteString(`(-?\d+)`)
			case "%q":
				b.WriteString(`("(?:[^"\\]|\\.)*")`)
			default:
				b.WriteString(`(.+?)`)
			}
			last = loc[1]
		}
		b.WriteString(regexp.QuoteMeta(strings.ReplaceAll(en[last:], "%%", "%")))
		b.WriteString("$")
		out = append(out, detailPattern{re: regexp.MustCompile(b.String()), verbs: verbs, de: de,
			size: len(verb.ReplaceAllString(en, ""))})
	}
	slices.SortFunc(out, func(a, b detailPattern) int {
		return cmp.Or(cmp.Compare(b.size, a.size), strings.Compare(a.re.String(), b.re.String()))
	})
	return out
}

// HasDetail reports whether the English problem pattern (with %d, %q, %s
// for its computed parts) has a German text: the pattern itself is in the
// table, or the text matches a more general one ("must be at most 100
// characters" matches "must be at most %d characters").
func HasDetail(pattern string) bool {
	if _, ok := detailCatalog[pattern]; ok {
		return true
	}
	text := strings.ReplaceAll(pattern, "%%", "%")
	for _, p := range detailPatterns {
		if p.re.MatchString(text) {
			return true
		}
	}
	return false
}

// Detail returns a field's problem text (ticket.Error's Fields, which the
// API gives in English) in lang. In German it is the table's text with the
// English text's arguments put in; a text the table does not know stays
// English rather than disappearing.
func Detail(lang, msg string) string {
	if lang == "en" || msg == "" {
		return msg
	}
	for _, p := range detailPatterns {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		out := p.de
		for i, v := range p.verbs {
			out = strings.Replace(out, v, m[i+1], 1)
		}
		return strings.ReplaceAll(out, "%%", "%")
	}
	return msg
}
