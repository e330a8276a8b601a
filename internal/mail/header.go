package mail

import (
	"encoding/base64"
	"io"
	"mime"
	netmail "net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Address is one mailbox of an address header.
type Address struct {
	Name  string `json:"name,omitempty"`  // display name, decoded; may be empty
	Email string `json:"email,omitempty"` // addr-spec, lowercased
}

// String formats the address for display: "Name <email>" or just the email.
func (a Address) String() string {
	if a.Name == "" {
		return a.Email
	}
	return (&netmail.Address{Name: a.Name, Address: a.Email}).String()
}

// decodeHeader decodes a raw header value into UTF-8 text: raw 8-bit bytes
// (not allowed by RFC 5322 but common) are read as UTF-8 when valid and as
// windows-1252 otherwise, and RFC 2047 encoded words are decoded leniently:
// unknown charsets, spaces inside Q words, missing "?=" at the end, bad
// base64 padding and multi-byte characters split across adjacent words are
// all tolerated.
func decodeHeader(raw string) string {
	s := fixUTF8String(raw)
	if !strings.Contains(s, "=?") {
		return s
	}
	var out strings.Builder
	var pending []byte      // decoded bytes of adjacent encoded words in one charset
	var pendingCS string    // their charset
	var gap strings.Builder // whitespace after the last encoded word
	flush := func() {
		if pending != nil {
			out.WriteString(decodeCharset(pending, pendingCS))
			pending, pendingCS = nil, ""
		}
	}
	for len(s) > 0 {
		i := strings.Index(s, "=?")
		if i < 0 {
			break
		}
		cs, enc, text, rest, ok := cutEncodedWord(s[i:])
		if !ok {
			// Not an encoded word: copy up to and including "=?".
			flush()
			out.WriteString(gap.String())
			gap.Reset()
			out.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		before := s[:i]
		if strings.TrimSpace(before) != "" || pending == nil {
			// Text between words, or the first word: keep it.
			flush()
			out.WriteString(gap.String())
			out.WriteString(before)
		}
		// Whitespace between two encoded words is dropped (RFC 2047 §6.2).
		gap.Reset()
		b := decodeWordBytes(enc, text)
		if hasNonASCII(text) && utf8.Valid(b) {
			// Raw 8-bit bytes inside an encoded word: they were read as
			// UTF-8 (or repaired to it) above, whatever the word declares.
			cs = "utf-8"
		}
		if pending != nil && !strings.EqualFold(cs, pendingCS) {
			flush()
		}
		if pending == nil {
			pendingCS = cs
			pending = []byte{}
		}
		pending = append(pending, b...)
		s = rest
		// Remember trailing whitespace: dropped if another word follows.
		j := 0
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
			j++
		}
		gap.WriteString(s[:j])
		s = s[j:]
	}
	flush()
	out.WriteString(gap.String())
	out.WriteString(s)
	return strings.ToValidUTF8(out.String(), "\uFFFD")
}

// cutEncodedWord parses "=?charset?E?text?=" at the start of s. A missing
// final "?=" is accepted at the end of the value; "charset*lang" (RFC 2231)
// loses its language.
func cutEncodedWord(s string) (charset string, enc byte, text, rest string, ok bool) {
	if !strings.HasPrefix(s, "=?") {
		return "", 0, "", "", false
	}
	t := s[2:]
	q := strings.IndexByte(t, '?')
	if q <= 0 || q > 64 || q+2 >= len(t) || t[q+2] != '?' {
		return "", 0, "", "", false
	}
	charset = t[:q]
	if strings.ContainsAny(charset, " \t\r\n=") {
		return "", 0, "", "", false
	}
	if star := strings.IndexByte(charset, '*'); star >= 0 {
		charset = charset[:star]
	}
	enc = t[q+1] | 0x20 // lowercase
	if enc != 'b' && enc != 'q' {
		return "", 0, "", "", false
	}
	t = t[q+3:]
	end := strings.Index(t, "?=")
	if end < 0 {
		// Broken: no terminator. Accept up to the next whitespace for B, or
		// the rest of the value for Q.
		end = len(t)
		if enc == 'b' {
			if sp := strings.IndexAny(t, " \t\r\n"); sp >= 0 {
				end = sp
			}
		}
		return charset, enc, t[:end], t[end:], true
	}
	return charset, enc, t[:end], t[end+2:], true
}

// decodeWordBytes decodes the text of one encoded word to raw bytes.
func decodeWordBytes(enc byte, text string) []byte {
	if enc == 'b' {
		return lenientBase64(text)
	}
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			out = append(out, unhex(text[i+1])<<4|unhex(text[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// lenientBase64 decodes base64 ignoring characters outside the alphabet and
// missing or extra padding.
func lenientBase64(s string) []byte {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' {
			clean = append(clean, c)
		} else if c == '-' {
			clean = append(clean, '+') // URL-safe alphabet
		} else if c == '_' {
			clean = append(clean, '/')
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

// normalizeSpace collapses runs of whitespace (including folded line breaks)
// into single spaces, drops control characters and trims the ends.
func normalizeSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			space = true
			continue
		}
		if unicode.IsControl(r) {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// wordDecoder is an RFC 2047 decoder for net/mail that knows every charset
// x/text knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	return strings.NewReader(decodeCharset(b, charset)), nil
}}

// parseAddressList parses an address header leniently. It tries net/mail
// first and falls back to a forgiving splitter for headers net/mail rejects
// (unquoted commas in names, garbage between addresses, missing brackets).
// Entries without an "@" are dropped; emails are lowercased.
func parseAddressList(raw string) []Address {
	raw = fixUTF8String(raw)
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	var out []Address
	p := netmail.AddressParser{WordDecoder: wordDecoder}
	if list, err := p.ParseList(raw); err == nil {
		for _, a := range list {
			out = appendAddr(out, a.Name, a.Address)
		}
		return out
	}
	pendingName := ""
	for _, piece := range splitAddressList(raw) {
		piece = strings.TrimSpace(piece)
		if piece == "" {
			continue
		}
		if lt := strings.LastIndexByte(piece, '<'); lt >= 0 {
			gt := strings.IndexByte(piece[lt:], '>')
			email := piece[lt+1:]
			if gt >= 0 {
				email = piece[lt+1 : lt+gt]
			}
			name := strings.TrimSpace(pendingName + " " + piece[:lt])
			pendingName = ""
			out = appendAddr(out, name, email)
			continue
		}
		if at := strings.IndexByte(piece, '@'); at >= 0 {
			// Bare address, maybe with a "(comment)" name.
			name := ""
			if lp := strings.IndexByte(piece, '('); lp >= 0 {
				rp := strings.LastIndexByte(piece, ')')
				if rp > lp {
					name = piece[lp+1 : rp]
					piece = piece[:lp] + piece[rp+1:]
				}
			}
			email := ""
			for _, f := range strings.Fields(piece) {
				if strings.Contains(f, "@") {
					email = f
					break
				}
			}
			if name == "" {
				name = pendingName
			}
			pendingName = ""
			out = appendAddr(out, name, email)
			continue
		}
		// No address at all: probably "Muster, Max <max@x>" split at the comma.
		pendingName = strings.TrimSpace(pendingName + " " + piece + ",")
	}
	return out
}

// splitAddressList splits at commas and semicolons outside quotes, angle
// brackets and comments.
func splitAddressList(s string) []string {
	var parts []string
	depthAngle, depthParen, quoted, start := 0, 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<':
			depthAngle++
		case c == '>' && depthAngle > 0:
			depthAngle--
		case c == '(':
			depthParen++
		case c == ')' && depthParen > 0:
			depthParen--
		case (c == ',' || c == ';') && depthAngle == 0 && depthParen == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// appendAddr cleans name and email and appends them if the email looks like
// one.
func appendAddr(out []Address, name, email string) []Address {
	email = strings.ToLower(strings.TrimSpace(email))
	email = strings.TrimPrefix(email, "mailto:")
	email = strings.Trim(email, `"'<>[]();:,. `)
	if !strings.Contains(email, "@") || len(email) > 320 || strings.ContainsAny(email, " \t\r\n<>") {
		return out
	}
	name = normalizeSpace(decodeHeader(name))
	name = strings.TrimSpace(strings.Trim(name, `"' `))
	name = strings.TrimSuffix(name, ",")
	if strings.EqualFold(name, email) {
		name = ""
	}
	if len(out) >= maxAddresses {
		return out
	}
	return append(out, Address{Name: name, Email: email})
}

// parseMsgIDs returns the message IDs in a Message-ID, In-Reply-To or
// References value, without angle brackets. Values without brackets are split
// at whitespace and commas; comments and phrases (as in "<id> (Max's message
// of …)") are skipped. At most maxIDs are kept (the last ones, which matter
// most for threading).
func parseMsgIDs(raw string) []string {
	raw = fixUTF8String(raw)
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		id = strings.TrimSpace(id)
		if id == "" || len(id) > 998 || seen[id] || strings.ContainsAny(id, " \t\r\n<>") {
			return
		}
		seen[id] = true
		ids = append(ids, id)
	}
	if strings.Contains(raw, "<") {
		rest := raw
		for {
			lt := strings.IndexByte(rest, '<')
			if lt < 0 {
				break
			}
			gt := strings.IndexByte(rest[lt:], '>')
			if gt < 0 {
				// Unclosed "<id": take the word after it.
				if f := strings.Fields(rest[lt+1:]); len(f) > 0 {
					add(f[0])
				}
				break
			}
			add(rest[lt+1 : lt+gt])
			rest = rest[lt+gt+1:]
		}
	} else {
		for _, f := range strings.FieldsFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
			if strings.Contains(f, "@") {
				add(f)
			}
		}
	}
	if len(ids) > maxIDs {
		ids = ids[len(ids)-maxIDs:]
	}
	return ids
}

// parseDate parses a Date header with net/mail and, failing that, a few
// layouts that broken clients write. It returns the zero time when nothing
// fits.
func parseDate(raw string) time.Time {
	s := normalizeSpace(fixUTF8String(raw))
	if s == "" {
		return time.Time{}
	}
	if t, err := netmail.ParseDate(s); err == nil {
		return t
	}
	// Drop a trailing "(CET)" style comment and retry.
	if i := strings.IndexByte(s, '('); i > 0 {
		if t, err := netmail.ParseDate(strings.TrimSpace(s[:i])); err == nil {
			return t
		}
	}
	for _, layout := range []string{
		time.RFC3339,
		"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
		"Mon, 2 Jan 2006 15:04 -0700",
		"2 Jan 2006 15:04:05 MST",
		"Mon Jan 2 15:04:05 2006",
		"Mon Jan 2 15:04:05 MST 2006",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05",
		"02.01.2006 15:04:05",
		"Mon, 2 Jan 06 15:04:05 -0700",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// firstHeader returns the first value of key, or "".
func firstHeader(h map[string][]string, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
