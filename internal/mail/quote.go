package mail

import (
	"regexp"
	"strings"
)

// QuoteCut returns only the new text of a reply: it cuts at the first line
// that starts quoted history or a signature, and drops a trailing block of
// ">"-quoted lines. It recognises
//
//   - servus's own marker "---- Ursprüngliche Nachricht ----" and the
//     separators "-----Original Message-----", "-----Ursprüngliche
//     Nachricht-----", "-------- Original-Nachricht --------" and kin;
//   - reply header blocks of Outlook and Lotus Notes in German and English
//     ("Von: … Gesendet: … An: … Betreff: …", "From: … Sent: … To: …
//     Subject: …", "An: … Kopie: … Thema: …"), with an underscore rule or a
//     Notes name line just above;
//   - attribution lines of Gmail, Thunderbird, Apple Mail and Lotus Notes
//     ("Am 12.03.2026 um 10:15 schrieb Max <max@x>:", "On Tue, Mar 12, 2026
//     at 10:15 AM Max <max@x> wrote:", also when wrapped over two or three
//     lines, "Max Muster/ORG/DE wrote on 12.03.2026 10:15:");
//   - mobile signatures ("Sent from my iPhone", "Von meinem iPhone
//     gesendet", "Get Outlook for iOS", …) and the signature separator "-- ".
//
// A forwarded message ("---------- Forwarded message ---------", "Begin
// forwarded message:", …) is content, not history: nothing at or after its
// marker is cut, and no signature cut above it either.
//
// QuoteCut never cuts to nothing: if no new text would remain (an inline
// reply, a bare forward), it returns the whole text. Line ends are
// normalised to "\n" and trailing blank space is trimmed.
func QuoteCut(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	whole := strings.TrimRight(text, " \t\n")
	lines := strings.Split(whole, "\n")
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
	out := strings.TrimRight(strings.Join(lines[:cut], "\n"), " \t\n")
	out = trimTrailingRules(out)
	if strings.TrimSpace(out) == "" {
		return whole
	}
	return out
}

// maxQuoteLines bounds the lines QuoteCut looks at for markers; history
// that starts further down is kept. It bounds the time spent on huge texts.
const maxQuoteLines = 5000

// normLine prepares a line for matching: no-break and zero-width spaces
// become spaces, surrounding space and Markdown-ish bold stars go.
func normLine(l string) string {
	if !strings.ContainsAny(l, "\u00a0\u2007\u202f\t\u200b\u200e\u200f\ufeff") {
		return strings.TrimSpace(l)
	}
	l = strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u2007', '\u202f', '\t':
			return ' '
		case '\u200b', '\u200e', '\u200f', '\ufeff':
			return -1
		}
		return r
	}, l)
	return strings.TrimSpace(l)
}

var (
	// Separator lines: "-----Original Message-----", "---- Ursprüngliche
	// Nachricht ----" (servus), "-------- Original-Nachricht --------" (GMX,
	// web.de), "----- Reply message -----", French and Italian variants.
	reSeparator = regexp.MustCompile(`(?i)^[-_=*]{2,}\s*(original message|ursprüngliche nachricht|urspr.{1,2}ngliche nachricht|original-nachricht|originalnachricht|reply message|antwort-nachricht|message d'origine|messaggio originale|mensaje original)\s*[-_=*]{2,}$`)

	// Forwarded-message markers.
	reForward = regexp.MustCompile(`(?i)^([-_=*]{2,}\s*(forwarded message|weitergeleitete nachricht|original message follows|message transféré|messaggio inoltrato|mensaje reenviado)\s*[-_=*]{2,}|(begin forwarded message|anfang der weitergeleiteten nachricht|beginn der weitergeleiteten nachricht)\s*:)`)

	// Attribution lines, whole (joined when wrapped).
	reAttribution = []*regexp.Regexp{
		// Gmail, Thunderbird, Apple Mail (English): "On … wrote:".
		regexp.MustCompile(`(?i)^on\s.{4,300}\swrote\s?:$`),
		// German: "Am … schrieb Max Muster <max@x>:".
		regexp.MustCompile(`(?i)^am\s.{4,300}\sschrieb(\s.{0,200})?:$`),
		// "Max Muster <max@x> schrieb am 12.03.2026 um 10:15:" and Lotus
		// Notes "Max Muster/ORG/DE schrieb am …:" / "… wrote on …:".
		regexp.MustCompile(`(?i)^.{1,200}\s(schrieb am|wrote on|hat am)\s.{3,120}:$`),
		// Outlook for Mac (German): "Von: … Datum: …" is a block; its
		// one-line form: "Am 12.03.26, 10:15 schrieb …:" is covered above.
		// French, Spanish, Dutch, Italian for the odd international student.
		regexp.MustCompile(`(?i)^(le|el|op|il)\s.{4,300}\s(a écrit|escribió|schreef|ha scritto)\s?:$`),
	}
	// A short "Max Muster wrote:" or "max@x schrieb:" line, accepted only when
	// ">"-quoted lines follow.
	reShortAttribution = regexp.MustCompile(`(?i)^.{1,150}\s(wrote|schrieb|writes|schreibt)\s?:$`)

	// Mobile and webmail signatures.
	reMobileSig = regexp.MustCompile(`(?i)^(sent from my .{1,60}|sent from outlook for (ios|android)|get outlook for (ios|android).*|sent from (mail|outlook) for windows.*|sent from yahoo mail.*|sent from samsung .{1,40}|sent with proton ?mail.*|sent via .{1,40}|von meinem .{1,60} gesendet\.?|gesendet von meinem .{1,60}|gesendet von (mail|outlook) für windows.*|von outlook für (ios|android) gesendet|outlook für (ios|android) beziehen|diese nachricht wurde von meinem .{1,60} gesendet\.?|gesendet mit der .{1,40} app)$`)

	// Header field names of reply header blocks.
	reHeaderLine = regexp.MustCompile(`(?i)^[*>]*\s*(from|von|de|da|sent|gesendet|date|datum|envoyé|inviato|to|an|à|cc|kopie|bcc|blindkopie|subject|betreff|thema|objet|oggetto|asunto|enviado|para|importance|wichtigkeit|priorität|reply-to|antwort an)\s*:\*?(\s|$)`)

	// A Notes hierarchical name ("Max Muster/ORG/DE") or a bare date/time line
	// just above a Notes header block.
	reNotesName = regexp.MustCompile(`^[\p{L}][\p{L} .'-]{0,60}/[\p{L}0-9 ._-]{1,40}(/[\p{L}0-9 ._-]{1,40})*$`)
	reDateLine  = regexp.MustCompile(`^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s+\d{1,2}:\d{2}`)
	reRule      = regexp.MustCompile(`^(_{5,}|-{5,}|={5,}|\*{5,})$`)
)

// isForwardHeader reports whether text starts with a forwarded-message
// marker.
func isForwardHeader(text string) bool {
	return reForward.MatchString(normLine(text))
}

// headerKey classifies a reply-header field name.
func headerKey(line string) string {
	colon := strings.IndexByte(line, ':')
	if colon < 0 || colon > 24 {
		return ""
	}
	m := reHeaderLine.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	switch strings.ToLower(m[1]) {
	case "from", "von", "de", "da":
		return "from"
	case "sent", "gesendet", "date", "datum", "envoyé", "inviato", "enviado":
		return "date"
	case "to", "an", "à", "para":
		return "to"
	case "cc", "kopie", "bcc", "blindkopie":
		return "cc"
	case "subject", "betreff", "thema", "objet", "oggetto", "asunto":
		return "subject"
	}
	return "other"
}

// cutAt decides whether history starts at line i and where to cut. When
// forwardBelow is set, signature cuts are not taken (they would drop the
// forwarded content).
func cutAt(norm []string, i int, forwardBelow bool) (int, bool) {
	l := norm[i]
	if l == "" {
		return 0, false
	}
	if strings.ContainsRune("-_=*", rune(l[0])) && reSeparator.MatchString(l) {
		return i, true
	}
	if k := headerKey(l); k == "from" || k == "to" {
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
	if reMobileSig.MatchString(l) {
		return i, true
	}
	if l == "--" { // "-- " with its space often lost on the way
		return i, true
	}
	return 0, false
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
			if next == "" || len(joined) > 400 {
				return false
			}
			joined += " " + next
		}
		if !strings.HasSuffix(joined, ":") {
			continue
		}
		for _, re := range reAttribution {
			if re.MatchString(joined) {
				return true
			}
		}
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
