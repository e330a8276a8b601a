package mail

import (
	"strings"
	"unicode/utf16"
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
	case "utf-8", "utf8", "unicode-1-1-utf-8", "uft-8", "uft8", "utf-8-bom", "x-utf8", "x-utf-8", "utf_8", "ut-8", "utf-08":
		return unicode.UTF8
	case "x-unknown", "unknown", "unknown-8bit", "x-user-defined", "default", "8bit", "binary":
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
	// "win-1251", "win1250", "cp-1251", "x-cp1250", "x-mac-…" spellings.
	for _, p := range []string{"x-", "win-", "win", "cp-", "ms-"} {
		if rest := strings.TrimPrefix(name, p); rest != name && rest != "" {
			if rest[0] >= '0' && rest[0] <= '9' && p != "x-" {
				rest = "windows-" + rest
			}
			return lookupCharset(rest)
		}
	}
	return nil
}

// decodeCharset converts b from the named charset to UTF-8. An unknown or
// empty charset, or bytes that fail to convert, fall back to fixUTF8. The
// result is always valid UTF-8.
func decodeCharset(b []byte, charset string) string {
	if isUTF7(charset) {
		return decodeUTF7(b)
	}
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

// isUTF7 reports whether a charset name means UTF-7 (RFC 2152), which old
// Outlook Express and some gateways used for subjects.
func isUTF7(name string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(name), `"'`)) {
	case "utf-7", "utf7", "unicode-1-1-utf-7", "x-unicode-2-0-utf-7", "unicode-2-0-utf-7", "csunicode11utf7":
		return true
	}
	return false
}

// decodeUTF7 decodes UTF-7: "+" starts base64 of UTF-16 code units, "-" or
// any character outside the base64 alphabet ends it, "+-" is a plus sign.
// Invalid sequences are kept as they are.
func decodeUTF7(b []byte) string {
	var out strings.Builder
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '+' {
			if c < 0x80 {
				out.WriteByte(c)
			} else {
				out.WriteString(fixUTF8(b[i : i+1]))
			}
			continue
		}
		j := i + 1
		for j < len(b) && isBase64Char(b[j]) {
			j++
		}
		if j == i+1 {
			out.WriteByte('+')
			if j < len(b) && b[j] == '-' {
				i = j
			}
			continue
		}
		raw := lenientBase64(string(b[i+1 : j]))
		units := make([]uint16, 0, len(raw)/2)
		for k := 0; k+1 < len(raw); k += 2 {
			units = append(units, uint16(raw[k])<<8|uint16(raw[k+1]))
		}
		out.WriteString(string(utf16.Decode(units)))
		if j < len(b) && b[j] == '-' {
			j++
		}
		i = j - 1
	}
	return strings.ToValidUTF8(out.String(), "\uFFFD")
}

func isBase64Char(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/'
}
