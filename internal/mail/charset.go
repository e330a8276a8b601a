package mail

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
)

// lookupCharset finds the decoder for a MIME charset name. It tries the WHATWG
// names (htmlindex, which also maps "iso-8859-1" and "us-ascii" to
// windows-1252, as browsers do) first and the IANA registry second, then a few
// spellings seen in the wild. It returns nil when nothing matches.
func lookupCharset(name string) encoding.Encoding {
	name = strings.ToLower(strings.Trim(strings.TrimSpace(name), `"'`))
	if name == "" {
		return nil
	}
	// Strip junk such as "utf-8;format=flowed" or "charset=utf-8".
	if i := strings.IndexAny(name, "; "); i > 0 {
		name = name[:i]
	}
	name = strings.TrimPrefix(name, "charset=")
	switch name {
	case "utf-8", "utf8", "unicode-1-1-utf-8":
		return unicode.UTF8
	case "utf-7", "x-unknown", "unknown", "unknown-8bit", "x-user-defined", "default", "8bit", "binary":
		// Nobody can say what these are: let the UTF-8/windows-1252 guess decide.
		return nil
	case "cp1252", "win-1252", "ansi_x3.4-1968", "ascii":
		return charmap.Windows1252
	case "latin-1", "latin_1", "iso8859_1", "iso-8859-1:1987":
		return charmap.Windows1252
	case "cp850", "ibm850":
		return charmap.CodePage850
	case "cp437", "ibm437":
		return charmap.CodePage437
	}
	if e, err := htmlindex.Get(name); err == nil && e != nil {
		return e
	}
	if e, err := ianaindex.IANA.Encoding(name); err == nil && e != nil {
		return e
	}
	if e, err := ianaindex.MIME.Encoding(name); err == nil && e != nil {
		return e
	}
	// "iso8859-15", "iso_8859_15", "windows1252" …
	if fixed := strings.NewReplacer("_", "-").Replace(name); fixed != name {
		return lookupCharset(fixed)
	}
	if strings.HasPrefix(name, "iso8859") {
		return lookupCharset("iso-8859" + strings.TrimPrefix(name, "iso8859"))
	}
	if strings.HasPrefix(name, "windows") && !strings.HasPrefix(name, "windows-") {
		return lookupCharset("windows-" + strings.TrimPrefix(name, "windows"))
	}
	return nil
}

// decodeCharset converts b from the named charset to UTF-8. An unknown or
// empty charset, or bytes that fail to convert, fall back to fixUTF8. The
// result is always valid UTF-8.
func decodeCharset(b []byte, charset string) string {
	e := lookupCharset(charset)
	if e == nil || e == unicode.UTF8 {
		return fixUTF8(b)
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return fixUTF8(b)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// fixUTF8 returns b as a string if it is valid UTF-8, else decodes it as
// windows-1252, the most common charset of undeclared 8-bit mail in Western
// Europe (a superset of ISO-8859-1's printable range).
func fixUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// fixUTF8String is fixUTF8 for strings.
func fixUTF8String(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return fixUTF8([]byte(s))
}
