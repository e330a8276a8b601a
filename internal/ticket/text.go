package ticket

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanText is s as servus stores text, alike on every database: NUL bytes
// removed (PostgreSQL refuses them in text) and invalid UTF-8 replaced by
// U+FFFD. Text that is clean already comes back unchanged.
func CleanText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// CleanLine is CleanText for a one-line field (a subject, a name, a
// Message-ID): line breaks, tabs and other control characters become
// spaces, and surrounding space is trimmed.
func CleanLine(s string) string {
	s = CleanText(s)
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}
