package mail

import (
	"regexp"
	"strings"
)

// QuoteCut returns only the new text of a reply: it cuts at the first line
// that starts quoted history or a signature, and drops ">"-quoted lines. It
// recognises, in the languages of the tables in quote_lang.go (English,
// German, French, Spanish, Italian, Portuguese, Dutch, Polish, Czech,
// Slovak, Hungarian, Slovenian, Croatian, Romanian, Danish, Norwegian,
// Swedish, Finnish, Russian, Ukrainian, Turkish, Greek, Chinese, Japanese,
// Korean, Vietnamese, and the right-to-left Hebrew, Arabic and Persian, whose
// lines Gmail wraps in bidi embedding marks that matching ignores):
//
//   - separator lines ("-----Original Message-----", "---- Ursprüngliche
//     Nachricht ----" of servus itself, "-------- Oprindelig besked
//     --------", "------------------ 原始邮件 ------------------", …) and
//     attributions between dashes (Zoho's "---- On … wrote ----", Android's
//     "---- Max wrote ----");
//   - reply header blocks of Outlook, Notes and webmailers ("Von: …
//     Gesendet: … An: … Betreff: …", "De : … Envoyé : … À : … Objet : …",
//     "发件人：…", also starting with "Date:"), with an underscore rule or a
//     Notes name line just above;
//   - attribution lines ("On … wrote:", "Le … a écrit :", "W dniu …
//     napisał(a):", "… kirjoitti:", date-first lines such as "2014-10-17
//     11:28 GMT+03:00 Max <max@x>:"), also when wrapped over two or three
//     lines, indented, or sharing a line with the last words of the reply;
//   - mobile signatures ("Sent from my iPhone", "Envoyé de mon iPhone",
//     "iPhoneから送信", … but not "Sent from my desk, is …") and the
//     signature separator "-- ".
//
// A reply written below the quote it answers, or between quotes, keeps its
// text wherever it stands; the ">"-quoted lines are dropped.
//
// A forwarded message ("---------- Forwarded message ---------", "Begin
// forwarded message:", …) is content, not history: nothing at or after its
// marker is cut, and no signature cut above it either.
//
// QuoteCut never cuts to nothing: if no new text would remain (a bare
// quote, a bare forward), it returns the whole text. Line ends are
// normalised to "\n" and trailing blank space is trimmed.
func QuoteCut(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	whole := strings.TrimRight(text, " \t\n")
	out := quoteCut(strings.Split(whole, "\n"), 0)
	if strings.TrimSpace(out) == "" {
		return whole
	}
	return out
}

// quoteCut is QuoteCut on lines; depth bounds the recursion for replies
// written below their quote.
func quoteCut(lines []string, depth int) string {
	lines = splitInlineAttribution(lines)
	norm := make([]string, len(lines))
	for i, l := range lines {
		norm[i] = normLine(l)
	}

	cut := len(lines)
	forward := -1
	for i := range norm[:min(len(norm), maxQuoteLines)] {
		if isForwardHeader(norm[i]) {
			forward = i
			break
		}
	}
	limit := len(lines)
	if forward >= 0 {
		limit = forward
	}
	limit = min(limit, maxQuoteLines)
	for i := 0; i < limit; i++ {
		if c, ok := cutAt(norm, i, forward >= 0); ok {
			cut = c
			break
		}
	}
	if forward < 0 && cut == len(lines) {
		cut = trailingQuoteStart(norm)
	}
	if forward < 0 && depth < 4 && !hasNewText(norm[:cut]) {
		// Nothing new above the history: the reply may stand below a
		// ">"-quote that opens with an attribution line.
		if j := afterQuote(norm, cut); j > cut && j < len(lines) {
			return quoteCut(lines[j:], depth+1)
		}
	}
	kept := lines[:cut]
	if forward < 0 {
		kept = dropQuoted(kept, norm[:cut])
	}
	out := strings.TrimRight(strings.Join(kept, "\n"), " \t\n")
	out = strings.TrimLeft(out, "\n")
	return trimTrailingRules(out)
}

// hasNewText reports whether norm holds a line that is neither blank nor
// ">"-quoted.
func hasNewText(norm []string) bool {
	for _, l := range norm {
		if l != "" && !strings.HasPrefix(l, ">") {
			return true
		}
	}
	return false
}

// afterQuote returns the first line after the history that starts at line
// i, when that history is a ">"-quote (optionally opened by an attribution
// of up to three lines); else i.
func afterQuote(norm []string, i int) int {
	j := i
	for n := 0; j < len(norm) && n < 3 && norm[j] != "" && !strings.HasPrefix(norm[j], ">"); n++ {
		j++
	}
	for j < len(norm) && norm[j] == "" {
		j++
	}
	if j >= len(norm) || !strings.HasPrefix(norm[j], ">") {
		return i
	}
	for j < len(norm) && (norm[j] == "" || strings.HasPrefix(norm[j], ">")) {
		j++
	}
	return j
}

// dropQuoted removes ">"-quoted lines (answers written between quotes keep
// their own text only) and the blank lines they leave doubled.
func dropQuoted(lines, norm []string) []string {
	quoted := false
	for _, l := range norm {
		if strings.HasPrefix(l, ">") {
			quoted = true
			break
		}
	}
	if !quoted {
		return lines
	}
	var out []string
	for i, l := range lines {
		if strings.HasPrefix(norm[i], ">") {
			continue
		}
		if norm[i] == "" && (len(out) == 0 || strings.TrimSpace(out[len(out)-1]) == "") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// splitInlineAttribution breaks a line that ends in an attribution after
// the last words of the reply ("Thanks. On Tue, … wrote:") into two lines,
// when a ">"-quote follows. It looks at no more than 20 such lines.
func splitInlineAttribution(lines []string) []string {
	tries := 0
	for i := 0; i < len(lines) && i < maxQuoteLines && tries < 20; i++ {
		l := normLine(lines[i])
		if len(l) > 600 || !(strings.HasSuffix(l, ":") || strings.HasSuffix(l, "：")) {
			continue
		}
		// Only before a quote: "…. On …" wrote:" followed by "> ".
		next := i + 1
		for next < len(lines) && strings.TrimSpace(lines[next]) == "" {
			next++
		}
		if next == len(lines) || !strings.HasPrefix(normLine(lines[next]), ">") {
			continue
		}
		tries++
		if isAttribution(trimColon(l)) {
			continue
		}
		for _, lead := range inlineLeads {
			k := strings.Index(l, " "+lead)
			if k <= 0 {
				continue
			}
			head, tail := l[:k], l[k+1:]
			if isAttribution(trimColon(tail)) {
				out := make([]string, 0, len(lines)+1)
				out = append(out, lines[:i]...)
				out = append(out, head, tail)
				return append(out, lines[i+1:]...)
			}
		}
	}
	return lines
}

// trimColon removes the final ":" or "：" and the space before it.
func trimColon(s string) string {
	s = strings.TrimSuffix(s, ":")
	s = strings.TrimSuffix(s, "：")
	return strings.TrimRight(s, " ")
}

// maxQuoteLines bounds the lines QuoteCut looks at for markers; history
// that starts further down is kept. It bounds the time spent on huge texts.
const maxQuoteLines = 5000

// normLine prepares a line for matching: no-break and zero-width spaces
// become spaces, surrounding space and Markdown-ish bold stars go. Bytes
// that are not UTF-8 stay as they are (so a cut line is still found in the
// input).
func normLine(l string) string {
	if !strings.ContainsAny(l, "\u00a0\u2007\u202f\t\u200b\u200e\u200f\ufeff\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		return strings.TrimSpace(l)
	}
	return strings.TrimSpace(lineSpaces.Replace(l))
}

// lineSpaces maps the no-break spaces and tabs to a space and drops the
// zero-width characters: zero-width space, direction marks, BOM, the Arabic
// letter mark and the bidi embeddings and isolates Gmail wraps Hebrew and
// Arabic lines in.
var lineSpaces = strings.NewReplacer(
	"\u00a0", " ", "\u2007", " ", "\u202f", " ", "\t", " ",
	"\u200b", "", "\u200e", "", "\u200f", "", "\ufeff", "",
	"\u061c", "", "\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "",
	"\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "",
)

var (

	// A short "Max Muster wrote:" or "max@x schrieb:" line, accepted only when
	// ">"-quoted lines follow.
	reShortAttribution = regexp.MustCompile(`(?i)^.{1,150}\s(wrote|schrieb|writes|schreibt)\s?:$`)

	// A Notes hierarchical name ("Max Muster/ORG/DE") or a bare date/time line
	// just above a Notes header block.
	reNotesName = regexp.MustCompile(`^[\p{L}][\p{L} .'-]{0,60}/[\p{L}0-9 ._-]{1,40}(/[\p{L}0-9 ._-]{1,40})*$`)
	reDateLine  = regexp.MustCompile(`^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s+\d{1,2}:\d{2}`)
	reRule      = regexp.MustCompile(`^(_{5,}|-{5,}|={5,}|\*{5,})$`)
)

// isForwardHeader reports whether text starts with a forwarded-message
// marker.
func isForwardHeader(text string) bool {
	return reForwardLang.MatchString(foldTurkish(normLine(text)))
}

// headerKey classifies a reply-header field name ("From:", "De :",
// "*Von:*", "发件人：") as "from", "date", "to", "cc", "subject" or "other";
// "" if the line is no header field of a reply header block.
func headerKey(line string) string {
	colon := strings.IndexByte(line, ':')
	if fw := strings.Index(line, "："); fw >= 0 && (colon < 0 || fw < colon) {
		colon = fw
	}
	if colon < 0 || colon > 40 {
		return ""
	}
	name := strings.Trim(line[:colon], "*> ")
	name = strings.ToLower(strings.Join(strings.Fields(name), " "))
	return headerKeys[name]
}

// cutAt decides whether history starts at line i and where to cut. When
// forwardBelow is set, signature cuts are not taken (they would drop the
// forwarded content).
func cutAt(norm []string, i int, forwardBelow bool) (int, bool) {
	l := norm[i]
	if l == "" {
		return 0, false
	}
	if strings.ContainsRune("-_=*", rune(l[0])) {
		if reSeparatorLang.MatchString(foldTurkish(l)) {
			return i, true
		}
		// Zoho's "---- On … wrote ----", Android's "---- Max wrote ----".
		if m := reWrappedSep.FindStringSubmatch(l); m != nil && (isAttribution(m[1]) || reShortAttribution.MatchString(m[1]+":")) {
			return i, true
		}
	}
	if k := headerKey(l); k == "from" || k == "to" || k == "date" {
		if headerBlock(norm, i) {
			return extendUp(norm, i), true
		}
	}
	if notesTable(norm, i) {
		return extendUpNotes(norm, i), true
	}
	if attributionAt(norm, i) {
		return i, true
	}
	if strings.HasSuffix(l, ":") && len(l) < 200 && reShortAttribution.MatchString(l) && quotedFollows(norm, i+1) {
		return i, true
	}
	if forwardBelow {
		return 0, false
	}
	if reMobileSigLang.MatchString(l) && signatureEnds(norm, i, 3) {
		return i, true
	}
	if l == "--" && signatureEnds(norm, i, 30) { // "-- " with its space often lost on the way
		return i, true
	}
	return 0, false
}

// signatureEnds reports whether a signature that starts at line i ends the
// new text: at most max non-blank lines follow before the end, a quote, a
// rule or the start of history. "Sent via the portal as you asked." with
// the request below it, or a lone "--" in a long text, is no signature.
func signatureEnds(norm []string, i, max int) bool {
	n := 0
	for j := i + 1; j < len(norm) && j < i+200; j++ {
		l := norm[j]
		switch {
		case l == "":
			continue
		case strings.HasPrefix(l, ">") || reRule.MatchString(l) || isForwardHeader(l):
			return true
		}
		if _, ok := cutAt(norm, j, true); ok {
			return true
		}
		n++
		if n > max {
			return false
		}
	}
	return n <= max
}

// headerBlock reports whether a reply header block (Outlook, Notes) starts
// at line i: within the next lines at least three different fields, one of
// them the subject, with at most two blank and three continuation lines.
func headerBlock(norm []string, i int) bool {
	keys := map[string]bool{}
	blank, cont := 0, 0
	for j := i; j < len(norm) && j < i+14; j++ {
		l := norm[j]
		if l == "" {
			blank++
			if blank > 2 {
				break
			}
			continue
		}
		if k := headerKey(l); k != "" {
			keys[k] = true
			if keys["subject"] && len(keys) >= 3 {
				return true
			}
			continue
		}
		cont++
		if cont > 3 {
			break
		}
	}
	return false
}

// notesTable reports whether Lotus Notes' reply header table starts at line
// i: the field names alone on their lines ("An", "Kopie", "Thema" or "To",
// "cc", "Subject"), values on the lines between.
func notesTable(norm []string, i int) bool {
	if !strings.EqualFold(norm[i], "an") && !strings.EqualFold(norm[i], "to") {
		return false
	}
	is := func(l string, words ...string) bool {
		for _, w := range words {
			if strings.EqualFold(l, w) {
				return true
			}
		}
		return false
	}
	cc, subj := false, false
	for j := i + 1; j < len(norm) && j <= i+8; j++ {
		if len(norm[j]) > 10 {
			continue
		}
		cc = cc || is(norm[j], "kopie", "cc", "blindkopie", "bcc")
		subj = subj || is(norm[j], "thema", "betreff", "subject")
	}
	return cc && subj
}

// extendUp moves a header-block cut up over a rule line ("_____", Outlook)
// above it.
func extendUp(norm []string, i int) int {
	j := i - 1
	for j >= 0 && norm[j] == "" {
		j--
	}
	if j >= 0 && reRule.MatchString(norm[j]) {
		return j
	}
	return i
}

// extendUpNotes moves a Notes header cut up over the name and date lines.
func extendUpNotes(norm []string, i int) int {
	// Notes puts the sender's hierarchical name and the date above its
	// header, maybe after a blank line.
	k := i
	for j, n := i-1, 0; j >= 0 && n < 4; j-- {
		l := norm[j]
		if l == "" {
			n++
			continue
		}
		if reNotesName.MatchString(l) || reDateLine.MatchString(l) {
			k = j
			n++
			continue
		}
		break
	}
	return k
}

// attributionAt reports whether an attribution line starts at line i,
// joining up to two following lines when a client wrapped it.
func attributionAt(norm []string, i int) bool {
	joined := norm[i]
	for n := 0; n < 3 && i+n < len(norm); n++ {
		if n > 0 {
			next := norm[i+n]
			if next == "" || len(joined) > 400 || strings.HasPrefix(next, ">") {
				return false
			}
			if strings.HasSuffix(joined, "<") {
				joined += next
			} else {
				joined += " " + next
			}
		}
		if !strings.HasSuffix(joined, ":") && !strings.HasSuffix(joined, "：") {
			continue
		}
		// A line that ends in a colon is complete: it is the attribution
		// or none.
		return isAttribution(trimColon(joined))
	}
	return false
}

// quotedFollows reports whether the next non-blank line from i is quoted.
func quotedFollows(norm []string, i int) bool {
	for ; i < len(norm); i++ {
		if norm[i] != "" {
			return strings.HasPrefix(norm[i], ">")
		}
	}
	return false
}

// trailingQuoteStart returns the first line of a trailing block of
// ">"-quoted (and blank) lines, or len(norm) if the text does not end with
// one.
func trailingQuoteStart(norm []string) int {
	start := len(norm)
	sawQuote := false
	for j := len(norm) - 1; j >= 0; j-- {
		switch {
		case norm[j] == "":
			start = j
		case strings.HasPrefix(norm[j], ">"):
			start, sawQuote = j, true
		default:
			if !sawQuote {
				return len(norm)
			}
			return start
		}
	}
	if !sawQuote {
		return len(norm)
	}
	return start
}

// trimTrailingRules drops rule lines ("_____", "-----") and blank lines left
// at the end after a cut.
func trimTrailingRules(s string) string {
	for {
		i := strings.LastIndexByte(s, '\n')
		last := normLine(s[i+1:])
		if !reRule.MatchString(last) {
			return s
		}
		if i < 0 {
			return ""
		}
		s = strings.TrimRight(s[:i], " \t\n")
	}
}
