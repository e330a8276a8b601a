package mail

import (
	"regexp"
	"strconv"
	"strings"
)

// replyPrefix matches one reply or forward prefix as mail clients in German,
// English and neighbouring languages write them, with Outlook's counters
// ("AW[2]:", "Re(3):") and full-width colons: Re, AW, Antw, Antwort, WG, FW,
// Fwd, SV, VS, TR, Wtr, RIF, ODP, Enc, Doorst, VB; and the prefixes of
// Outlook's and Gmail's other language packs: RES (pt), RV (es), PD (pl),
// VL (fi), Vá and Továbbítás (hu), YNT and İLT (tr), ΑΠ, ΣΧΕΤ and ΠΡΘ (el),
// Отв and Пересл (ru), 回复, 答复, 转发, 回覆, 轉寄 (zh), 返信, 転送 (ja),
// 회신, 전달 (ko).
var replyPrefix = regexp.MustCompile(`(?i)^\s*(re|aw|antw|antwort|wg|fw|fwd|sv|vs|tr|wtr|rif|odp|enc|doorst|vb|ynt|ats|res|rv|pd|vl|vá|továbbítás|ilt|İlt|απ|σχετ|πρθ|отв|пересл|回复|答复|转发|回覆|轉寄|返信|転送|회신|전달)\s*(\[\d{1,4}\]|\(\d{1,4}\))?\s*[:：]\s*`)

// forwardPrefix matches the prefixes that mean "forwarded".
var forwardPrefix = regexp.MustCompile(`(?i)^\s*(wg|fw|fwd|tr|wtr|doorst|enc|vb|rv|pd|vl|továbbítás|ilt|İlt|πρθ|пересл|转发|轉寄|転送|전달)\s*(\[\d{1,4}\]|\(\d{1,4}\))?\s*[:：]`)

// anyTag matches a ticket tag of any prefix ("[#1234]", "[ZID #1234]",
// "[RT #12]") for NormalizeSubject.
var anyTag = regexp.MustCompile(`\[\s*[\p{L}\p{N} ._-]{0,30}#\s*\d{1,18}\s*\]`)

// SubjectTag finds the ticket tag in a subject and returns its number. The
// tag is "[#1234]" when prefix is empty and "[PREFIX #1234]" otherwise
// ("ZID" finds "[ZID #1234]"); case, spacing ("[zid#1234]", "[ ZID # 1234 ]")
// and any chain of reply prefixes around it do not matter. When several tags
// appear the first wins. ok is false when no tag is found or the number is
// not a positive int64.
func SubjectTag(subject, prefix string) (number int64, ok bool) {
	prefix = strings.TrimSpace(prefix)
	prefix = strings.TrimSuffix(strings.TrimPrefix(prefix, "["), "#")
	prefix = strings.TrimSpace(prefix)
	var pat string
	if prefix == "" {
		pat = `\[\s*#\s*(\d{1,19})\s*\]`
	} else {
		words := strings.Fields(prefix)
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		pat = `(?i)\[\s*` + strings.Join(words, `\s+`) + `\s*#\s*(\d{1,19})\s*\]`
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return 0, false
	}
	m := re.FindStringSubmatch(subject)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// NormalizeSubject returns the subject for display: ticket tags of any
// prefix removed, leading chains of reply and forward prefixes ("Re: AW: WG:
// Fwd: SV: Antw:") stripped, whitespace normalised. It returns "" for a
// subject that was nothing but prefixes and tags.
func NormalizeSubject(s string) string {
	s = anyTag.ReplaceAllString(s, " ")
	s = normalizeSpace(s)
	for {
		loc := replyPrefix.FindStringIndex(s)
		if loc == nil || loc[1] == 0 {
			break
		}
		s = s[loc[1]:]
	}
	return normalizeSpace(s)
}

// isForwardSubject reports whether the subject's first prefix (after any
// tags) says the mail is a forward.
func isForwardSubject(s string) bool {
	s = normalizeSpace(anyTag.ReplaceAllString(s, " "))
	return forwardPrefix.MatchString(s)
}
