package mail

import (
	"net/textproto"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"
)

// bodyWalker sorts the MIME tree into body text, body HTML and attachments.
type bodyWalker struct {
	m       *Message
	plain   []string // body text/plain parts, decoded
	html    []string // body text/html parts, decoded
	parts   []*enmime.Part
	visited int
	capped  bool
}

// readBody fills Text, HTML, NewText and Attachments from the MIME tree.
func (m *Message) readBody(root *enmime.Part, raw []byte) {
	w := &bodyWalker{m: m}
	w.walk(root, 0)
	for _, e := range collectErrors(root) {
		m.warn("%s", e)
	}
	if len(w.plain) == 0 && len(w.html) == 0 {
		// No body part, but a text shown inline that carries a file name
		// (some mobile clients and gateways name their body "body.txt"):
		// that is the body.
		for i, p := range w.parts {
			if strings.EqualFold(p.ContentType, "text/plain") && strings.EqualFold(p.Disposition, "inline") {
				w.plain = append(w.plain, bodyString(p))
				w.parts = append(w.parts[:i:i], w.parts[i+1:]...)
				break
			}
		}
	}
	if len(w.plain) == 0 && len(w.html) == 0 && isMultipartType(root) {
		// Text before the first boundary (or a multipart whose boundary
		// never comes) is the only text: some gateways and scripts write
		// the message there and attach files after it.
		if pre := preamble(root, raw); pre != "" {
			w.plain = append(w.plain, pre)
			m.warn("body text found before the first MIME boundary")
		}
	}

	htmlSrc := strings.Join(w.html, "\n")
	text := strings.TrimSpace(strings.Join(w.plain, "\n\n"))
	fromHTML := false
	if text == "" && strings.TrimSpace(htmlSrc) != "" {
		text = htmlToText(parseHTML(htmlSrc))
		fromHTML = true
	}
	m.Text = text
	if strings.TrimSpace(htmlSrc) != "" {
		m.HTML = sanitizeHTML(parseHTML(htmlSrc))
	}

	forward := isForwardSubject(m.Subject)
	switch {
	case forward:
		// A forward's "quoted" part is the content the sender wants us to see.
		m.NewText = strings.TrimSpace(m.Text)
	case fromHTML:
		doc := parseHTML(htmlSrc)
		if cutHTMLQuote(doc) {
			m.NewText = QuoteCut(htmlToText(doc))
		}
		if strings.TrimSpace(m.NewText) == "" {
			m.NewText = QuoteCut(m.Text)
		}
	default:
		m.NewText = QuoteCut(m.Text)
	}

	if strings.TrimSpace(htmlSrc) != "" {
		m.NewHTML = newHTML(htmlSrc, m.NewText, forward)
	}

	// Inline: referenced from the HTML by cid:, or an image shown inline.
	for _, p := range w.parts {
		a := m.attachment(p, len(m.Attachments)+1)
		if a.ContentID != "" && strings.Contains(htmlSrc, "cid:"+a.ContentID) {
			a.Inline = true
		}
		m.Attachments = append(m.Attachments, a)
	}
	m.Text = replaceCIDPlaceholders(m.Text, m.Attachments)
	m.NewText = replaceCIDPlaceholders(m.NewText, m.Attachments)
}

var reCIDPlaceholder = regexp.MustCompile(`\[cid:([^\]\s]{1,250})\]`)

// replaceCIDPlaceholders turns Outlook's "[cid:image001.png@01DC…]" in the
// text alternative into "[image001.png]", the name of the inline image.
func replaceCIDPlaceholders(s string, parts []Part) string {
	if !strings.Contains(s, "[cid:") {
		return s
	}
	return reCIDPlaceholder.ReplaceAllStringFunc(s, func(ph string) string {
		id := reCIDPlaceholder.FindStringSubmatch(ph)[1]
		for _, a := range parts {
			if a.ContentID == id {
				return "[" + a.Name + "]"
			}
		}
		return ph
	})
}

// collectErrors returns the parser's notes on every part, deduplicated.
func collectErrors(root *enmime.Part) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(p *enmime.Part, depth int)
	walk = func(p *enmime.Part, depth int) {
		if p == nil || depth > maxDepth || len(out) > 20 {
			return
		}
		for _, e := range p.Errors {
			s := e.Error()
			if e.Name == enmime.ErrorMissingContentType || e.Name == enmime.ErrorCharsetDeclaration || seen[s] {
				continue
			}
			seen[s] = true
			out = append(out, s)
		}
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return out
}

func (w *bodyWalker) count() bool {
	w.visited++
	if w.visited > MaxParts {
		if !w.capped {
			w.capped = true
			w.m.warn("more than %d MIME parts; the rest are skipped", MaxParts)
		}
		return false
	}
	return true
}

// isMultipartType reports whether p declares a multipart type (with or
// without parts).
func isMultipartType(p *enmime.Part) bool {
	return p != nil && strings.HasPrefix(strings.ToLower(p.ContentType), "multipart/")
}

// preamble returns the text of the top-level multipart before its first
// boundary line, without the "This is a multi-part message in MIME format."
// notice that clients put there for old readers; "" if there is none.
func preamble(root *enmime.Part, raw []byte) string {
	boundary := root.Boundary
	if boundary == "" {
		_, params := partMediaType(root)
		boundary = params["boundary"]
	}
	if boundary == "" {
		return ""
	}
	_, body := splitHeader(raw)
	s := strings.ReplaceAll(fixUTF8(body), "\r\n", "\n")
	if i := strings.Index(s, "\n--"+boundary); i >= 0 {
		s = s[:i]
	} else if strings.HasPrefix(s, "--"+boundary) {
		return ""
	}
	s = strings.TrimSpace(s)
	for _, notice := range []string{
		"This is a multi-part message in MIME format.",
		"This is a multipart message in MIME format.",
		"This is a MIME-encapsulated message.",
		"This is a MIME encoded message.",
		"This is a message in MIME format.",
		"This message is in MIME format. Since your mail reader does not understand\nthis format, some or all of this message may not be legible.",
		"This is a multi-part message in MIME format...",
		"Dies ist eine mehrteilige Nachricht im MIME-Format.",
	} {
		if strings.EqualFold(s, notice) || strings.HasPrefix(s, notice) && strings.TrimSpace(s[len(notice):]) == "" {
			return ""
		}
	}
	if strings.HasPrefix(strings.ToLower(s), "this is a multi-part message") || strings.HasPrefix(strings.ToLower(s), "this is a multipart message") {
		return ""
	}
	return s
}

func isMultipart(p *enmime.Part) bool {
	return strings.HasPrefix(strings.ToLower(p.ContentType), "multipart/") && p.FirstChild != nil
}

// isBodyText reports whether p is text meant to be read as the body (not a
// file that happens to be text).
func isBodyText(p *enmime.Part) bool {
	ct := strings.ToLower(p.ContentType)
	if ct == "" && (p.Parent == nil || !strings.EqualFold(p.Parent.ContentType, "multipart/digest")) {
		ct = "text/plain" // RFC 2046's default, also for a part of a multipart
	}
	if ct != "text/plain" && ct != "text/html" {
		return false
	}
	return !strings.EqualFold(p.Disposition, "attachment") && p.FileName == ""
}

// isSignature reports whether p is a detached S/MIME or PGP signature, which
// is noise in a ticket.
func isSignature(p *enmime.Part) bool {
	switch strings.ToLower(p.ContentType) {
	case "application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature":
		return true
	}
	return false
}

func (w *bodyWalker) walk(p *enmime.Part, depth int) {
	if p == nil || !w.count() {
		return
	}
	if depth > maxDepth {
		w.m.warn("MIME nesting deeper than %d; deeper parts skipped", maxDepth)
		return
	}
	ct := strings.ToLower(p.ContentType)
	switch {
	case isMultipart(p) && ct == "multipart/alternative":
		w.alternative(p, depth)
	case isMultipart(p):
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c, depth+1)
		}
	case strings.HasPrefix(ct, "multipart/"):
		// A multipart without parts (or without a boundary): nothing to show
		// unless the parser kept its content.
		if len(p.Content) > 0 {
			w.plain = append(w.plain, bodyString(p))
		}
	case isBodyText(p):
		if ct == "text/html" {
			w.html = append(w.html, bodyString(p))
		} else {
			w.plain = append(w.plain, bodyString(p))
		}
	case isSignature(p):
	default:
		w.parts = append(w.parts, p)
	}
}

// alternative picks text/plain for Text and text/html for HTML from a
// multipart/alternative; other alternatives (text/calendar of an invitation)
// become attachments, and the rest (text/enriched, text/watch-html) are
// dropped.
func (w *bodyWalker) alternative(p *enmime.Part, depth int) {
	var plain, html []string
	var files []*enmime.Part
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if !w.count() {
			break
		}
		ct := strings.ToLower(c.ContentType)
		switch {
		case isMultipart(c):
			sub := &bodyWalker{m: w.m, visited: w.visited, capped: w.capped}
			sub.walk(c, depth+1)
			w.visited, w.capped = sub.visited, sub.capped
			if len(sub.html) > 0 && len(html) == 0 {
				html = sub.html
			}
			if len(sub.plain) > 0 && len(plain) == 0 {
				plain = sub.plain
			}
			files = append(files, sub.parts...)
		case isBodyText(c) && ct == "text/plain":
			if len(plain) == 0 {
				plain = []string{bodyString(c)}
			}
		case isBodyText(c) && ct == "text/html":
			if len(html) == 0 {
				html = []string{bodyString(c)}
			}
		case strings.HasPrefix(ct, "text/") && c.FileName == "" && ct != "text/calendar":
		case isSignature(c):
		default:
			files = append(files, c)
		}
	}
	// An empty text/plain next to real HTML is a client's placeholder.
	if len(plain) == 1 && strings.TrimSpace(plain[0]) == "" && len(html) > 0 {
		plain = nil
	}
	w.plain = append(w.plain, plain...)
	w.html = append(w.html, html...)
	w.parts = append(w.parts, files...)
}

// bodyString returns the decoded content of a text part as valid UTF-8:
// the declared charset (any x/text knows), else the HTML's meta charset, else
// UTF-8 if valid, else windows-1252. A part declared US-ASCII (or not at all)
// that is valid UTF-8 is read as UTF-8: that is what such mail really is.
// Line ends become "\n", format=flowed is unwrapped and trailing spaces are
// trimmed (except in the signature separator "-- ").
func bodyString(p *enmime.Part) string {
	b := p.Content
	_, params := partMediaType(p)
	cs := strings.ToLower(strings.TrimSpace(params["charset"]))
	if cs == "" && strings.EqualFold(p.ContentType, "text/html") {
		cs = strings.ToLower(metaCharset(b))
	}
	var s string
	switch cs {
	case "", "us-ascii", "ascii", "ansi_x3.4-1968", "us", "iso646-us":
		s = fixUTF8(b)
	default:
		s = decodeCharset(b, cs)
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == 0 || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
	if strings.EqualFold(params["format"], "flowed") {
		s = unflow(s, strings.EqualFold(params["delsp"], "yes"))
	}
	if !strings.EqualFold(p.ContentType, "text/html") {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			if l != "-- " {
				lines[i] = strings.TrimRight(l, " \t")
			}
		}
		s = strings.Join(lines, "\n")
	}
	return s
}

// partMediaType parses the part's Content-Type header as sent (with the
// declared charset, unlike p.ContentType).
func partMediaType(p *enmime.Part) (string, map[string]string) {
	mt, params, _, err := mediatype.ParseWithOptions(p.Header.Get("Content-Type"), mediatype.ParseOptions{StripMediaTypeInvalidCharacters: true})
	if err != nil || params == nil {
		return strings.ToLower(p.ContentType), map[string]string{}
	}
	lower := make(map[string]string, len(params))
	for k, v := range params {
		lower[strings.ToLower(k)] = v
	}
	return strings.ToLower(mt), lower
}

var reMetaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// metaCharset finds the charset an HTML document declares in a <meta> tag.
func metaCharset(b []byte) string {
	if len(b) > 4096 {
		b = b[:4096]
	}
	if m := reMetaCharset.FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

// unflow joins the soft line breaks of RFC 3676 format=flowed text: a line
// that ends in a space continues on the next line of the same quote depth.
// Space-stuffing is removed; the signature separator "-- " stays a hard break.
func unflow(s string, delsp bool) string {
	lines := strings.Split(s, "\n")
	var out []string
	var cur strings.Builder
	curDepth, open := 0, false
	flush := func() {
		if open {
			out = append(out, quotePrefix(curDepth)+cur.String())
			cur.Reset()
			open = false
		}
	}
	for _, line := range lines {
		depth := 0
		for depth < len(line) && line[depth] == '>' {
			depth++
		}
		content := line[depth:]
		content = strings.TrimPrefix(content, " ") // space-stuffing
		if open && depth != curDepth {
			flush()
		}
		soft := strings.HasSuffix(content, " ") && content != "-- "
		if soft && delsp {
			content = content[:len(content)-1]
		}
		cur.WriteString(content)
		curDepth, open = depth, true
		if !soft {
			flush()
		}
	}
	flush()
	return strings.Join(out, "\n")
}

func quotePrefix(depth int) string {
	if depth == 0 {
		return ""
	}
	return strings.Repeat(">", depth) + " "
}

// attachment turns a leaf part into a Part with a safe, non-empty name.
func (m *Message) attachment(p *enmime.Part, n int) Part {
	ct := strings.ToLower(p.ContentType)
	if ct == "" {
		ct = "application/octet-stream"
	}
	a := Part{
		ContentType: ct,
		ContentID:   strings.Trim(strings.TrimSpace(p.ContentID), "<>"),
		Inline:      strings.EqualFold(p.Disposition, "inline") && strings.HasPrefix(ct, "image/"),
		Data:        p.Content,
	}
	fileName := p.FileName
	if fileName == "" {
		fileName = paramFileName(p)
	}
	name := cleanFileName(decodeHeader(fileName))
	if name == "" && (ct == "message/rfc822" || ct == "message/global") {
		h, _ := splitHeader(p.Content)
		if subj := cleanFileName(normalizeSpace(decodeHeader(firstHeader(h, "Subject")))); subj != "" {
			name = subj + ".eml"
		}
	}
	if name == "" {
		name = baseNameFor(ct, n) + extensionFor(ct)
	}
	a.Name = name
	return a
}

// paramFileName finds a file name the parser missed: "filename" of the
// Content-Disposition or "name" of the Content-Type, RFC 2231 encoded and
// continued ("name*=iso-8859-1”Pr%FCfung.pdf", "filename*0*=…;
// filename*1*=…").
func paramFileName(p *enmime.Part) string {
	for _, hk := range []string{"Content-Disposition", "Content-Type"} {
		v := p.Header.Get(hk)
		if v == "" {
			continue
		}
		_, params, _, err := mediatype.ParseWithOptions(v, mediatype.ParseOptions{StripMediaTypeInvalidCharacters: true})
		if err != nil {
			continue
		}
		for k, val := range params {
			if k = strings.ToLower(k); (k == "filename" || k == "name") && strings.TrimSpace(val) != "" {
				return val
			}
		}
		if name := rfc2231Param(v); name != "" {
			return name
		}
	}
	return ""
}

var reRFC2231 = regexp.MustCompile(`(?i)\b(?:file)?name\*(?:(\d{1,2})\*?|)=\s*("[^"]*"|[^;\s]*)`)

// rfc2231Param decodes an RFC 2231 (file)name parameter by hand, joining
// its continuations in order and decoding "charset'lang'%XX" values; used
// when the media type parser gave up on the header.
func rfc2231Param(v string) string {
	ms := reRFC2231.FindAllStringSubmatch(v, 50)
	if len(ms) == 0 {
		return ""
	}
	parts := map[int]string{}
	maxN := 0
	for _, m := range ms {
		n := 0
		if m[1] != "" {
			n, _ = strconv.Atoi(m[1])
		}
		parts[n] = strings.Trim(m[2], `"`)
		maxN = max(maxN, n)
	}
	var b strings.Builder
	for i := 0; i <= maxN; i++ {
		b.WriteString(parts[i])
	}
	s := b.String()
	charset := "utf-8"
	if cs, rest, ok := strings.Cut(s, "'"); ok {
		if _, val, ok := strings.Cut(rest, "'"); ok {
			charset, s = cs, val
		}
	}
	raw := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			raw = append(raw, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		raw = append(raw, s[i])
	}
	return decodeCharset(raw, charset)
}

// cleanFileName strips directories, control characters and characters that
// are unsafe in file names on common systems, and bounds the length.
func cleanFileName(s string) string {
	s = strings.ReplaceAll(s, "\\", "/")
	s = path.Base(strings.TrimSpace(s))
	if s == "." || s == "/" || s == ".." {
		return ""
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), r == utf8.RuneError:
			return -1
		case strings.ContainsRune(`<>:"|?*/`, r):
			return '_'
		}
		return r
	}, s)
	s = strings.Trim(normalizeSpace(s), ". ")
	if len(s) > 200 {
		ext := path.Ext(s)
		if len(ext) > 20 {
			ext = ""
		}
		cut := 200 - len(ext)
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + ext
	}
	return s
}

// baseNameFor names an unnamed part after what it is.
func baseNameFor(ct string, n int) string {
	switch ct {
	case "message/delivery-status", "message/global-delivery-status":
		return "delivery-status"
	case "message/disposition-notification", "message/global-disposition-notification":
		return "disposition-notification"
	case "text/rfc822-headers", "message/rfc822-headers", "message/global-headers":
		return "original-headers"
	case "message/rfc822", "message/global":
		return "message-" + strconv.Itoa(n)
	}
	if strings.HasPrefix(ct, "image/") {
		return "image-" + strconv.Itoa(n)
	}
	return "attachment-" + strconv.Itoa(n)
}

// extensionFor returns a file extension for common media types. A fixed
// table, so the result does not depend on the host's mime.types.
func extensionFor(ct string) string {
	switch ct {
	case "message/rfc822", "message/global":
		return ".eml"
	case "message/delivery-status", "message/global-delivery-status", "text/plain", "text/rfc822-headers",
		"message/rfc822-headers", "message/global-headers", "message/disposition-notification", "message/global-disposition-notification":
		return ".txt"
	case "text/html":
		return ".html"
	case "text/calendar":
		return ".ics"
	case "image/png":
		return ".png"
	case "image/jpeg", "image/jpg", "image/pjpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	case "application/pdf":
		return ".pdf"
	case "application/ms-tnef", "application/vnd.ms-tnef":
		return ".dat"
	case "application/zip":
		return ".zip"
	}
	return ".bin"
}

// canonicalHeader returns h with every key in canonical form, merging keys
// that differed only in case.
func canonicalHeader(h textproto.MIMEHeader) textproto.MIMEHeader {
	out := make(textproto.MIMEHeader, len(h))
	for k, v := range h {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		out[ck] = append(out[ck], v...)
	}
	return out
}

// newHTML returns the sanitised new part of the HTML body src, cut as
// newText was (nothing is cut of a forward), or "" when the cut HTML does
// not say what newText says.
func newHTML(src, newText string, forward bool) string {
	doc, ok := parseHTML(src), true
	if !forward {
		doc, ok = newPartHTML(src)
	}
	if !ok || !sameWords(htmlToText(doc), newText) {
		return ""
	}
	return sanitizeHTML(doc)
}
