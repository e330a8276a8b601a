package blob

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameLen is the longest name, in bytes, SafeName returns.
const MaxNameLen = 200

// SafeName turns a client-supplied file name into one safe to store and to
// offer for download: it keeps only the part after the last '/' or '\',
// turns tabs and Unicode spaces into ' ', drops invalid UTF-8, other control and format characters (including bidi
// overrides that disguise extensions) and double quotes, replaces characters
// Windows forbids (<>:|?*) with '_', trims spaces and leading and trailing
// dots, and cuts the result to MaxNameLen bytes on a UTF-8 boundary, keeping
// a short extension. Letters of any script (e.g. German umlauts) are kept. An
// empty result becomes "attachment". It returns no error.
func SafeName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(name, "") {
		switch {
		case r == '\t' || (unicode.IsSpace(r) && !unicode.IsControl(r)):
			b.WriteByte(' ') // tabs, non-breaking spaces, line separators
		case r == '"' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			continue
		case strings.ContainsRune(`<>:|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.Trim(b.String(), " ")
	name = strings.TrimLeft(name, ". ")
	name = strings.TrimRight(name, ". ")
	if len(name) > MaxNameLen {
		ext := path.Ext(name)
		if len(ext) > 20 || len(ext) == len(name) {
			ext = ""
		}
		name = truncate(name[:len(name)-len(ext)], MaxNameLen-len(ext)) + ext
		name = strings.TrimRight(name, ". ")
	}
	if name == "" {
		return "attachment"
	}
	return name
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
