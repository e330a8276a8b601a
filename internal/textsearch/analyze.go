// Package textsearch turns ticket text into search tokens and search input
// into database queries, the same way for SQLite FTS5 and for PostgreSQL
// (tsvector with the 'simple' configuration). Stemming happens here, in Go,
// so that both databases index and match identical tokens: the store keeps
// Analyze(text) in an FTS5 column or as to_tsvector('simple', Analyze(text)),
// and matches ParseQuery(q).FTS5() or to_tsquery('simple', ParseQuery(q).TSQuery()).
//
// # Analysis
//
// Text is split into words of Unicode letters and decimal digits; every
// other character separates words. Han, Hiragana and Katakana characters are
// words of their own (those scripts do not separate words with spaces).
// Words joined by '-' or '_' ("INV-2023-44", "E-Mail", "user_name") are
// indexed both as their parts and as one joined word ("inv", "2023", "44",
// "inv202344"), so that "email" finds "E-Mail" and an inventory number is
// found as a whole. "C++" becomes "cpp" and a single letter followed by '#'
// ("C#", "F#") becomes "csharp", "fsharp"; a lone '#' before a number
// ("#1234") just separates, so ticket numbers are plain number tokens.
//
// Each word is folded: lowercased, compatibility-normalised (NFKD, so
// "ﬁ" is "fi" and full-width letters are ASCII), stripped of diacritics
// (ä→a, ö→o, ü→u, é→e, …) and of a few special letters (ß→ss, æ→ae, œ→oe,
// ø→o, ł→l, đ/ð→d, þ→th, ı→i). Umlauts fold to the bare vowel, not to "ae",
// because that is what the Snowball German stemmer does to them anyway and
// what people without a German keyboard type: "Passwörter", "Passworter",
// "Passwort", "passwort" and "Paßwort" all become the stem "passwort".
// ("Passwoerter" does not.)
//
// Short, very common German and English words (stop words, see stopWords)
// are dropped. Each remaining word of a–z only is stemmed with the Snowball
// German and English stemmers and both stems are emitted (once if equal).
// Words containing a digit are identifiers ("1234", "win10", "inv202344")
// and are kept unstemmed. Words longer than 64 bytes after folding (or 1 KiB before; hashes,
// base64 debris) are dropped. Words of other scripts (Cyrillic, Greek, CJK,
// …) cannot be written in a–z0–9, so they are kept unstemmed and encoded as
// "x" followed by the hex of their UTF-8 bytes; a prefix of such a word
// encodes to a prefix of its encoding, so prefix search still works.
//
// Every token therefore matches [a-z0-9]+, which both FTS5's unicode61
// tokenizer and PostgreSQL's default parser keep as one token, and which
// needs no quoting beyond FTS5's double quotes.
package textsearch

import (
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/german"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

const (
	// MaxInput is how many bytes of text Analyze reads; the rest is ignored.
	MaxInput = 1 << 20
	// MaxOutput bounds the length of Analyze's result in bytes.
	MaxOutput = 1 << 20
	// maxWordLen is the longest folded word, in bytes, that is indexed.
	maxWordLen = 64
	// maxRawWordLen is the longest word, in bytes, that is folded at all.
	maxRawWordLen = 1024
	// maxParts bounds the parts of one '-'-joined group.
	maxParts = 16
)

// stopWords are dropped from text and queries: the most frequent German and
// English function words, in folded form. "it" is deliberately missing (it
// names the IT department), as are negations' partners that carry meaning in
// tickets ("kein", "nie"). "nicht"/"not" are dropped: nearly every ticket
// says something does not work.
var stopWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`
		aber als also am an auch auf aus bei bin bis bist da dann das dass dem den der des die dies
		diese diesem diesen dieser dieses du durch ein eine einem einen einer eines er es fur hab
		habe haben hat hatte ich ihr ihre im in ist ja mein meine meinem meinen meiner mich mir mit
		nach nicht noch nun nur ob oder sehr sich sie sind so uber um und uns unter vom von vor
		wenn wie wir wird wo zu zum zur
		a about and are as at be been but by can could do does for from had has have he her his
		i if is its me my not of on or our she should that the their them there these they this
		those to was we were what when which who will with would you your`) {
		m[w] = true
	}
	return m
}()

// specialFold maps letters that do not decompose to a base letter plus a
// diacritic. Applied after lowercasing.
var specialFold = strings.NewReplacer(
	"ß", "ss", "æ", "ae", "œ", "oe", "ø", "o", "ł", "l", "đ", "d", "ð", "d", "þ", "th", "ı", "i",
)

// analyzer holds per-call state: a stemmer environment and a folding
// transformer, neither safe for concurrent use.
type analyzer struct {
	env  *snowball.Env
	fold transform.Transformer
}

func newAnalyzer() *analyzer {
	return &analyzer{
		env:  snowball.NewEnv(""),
		fold: transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC),
	}
}

// Analyze returns the search tokens of text, space-separated, in text order:
// for each word its German and English stems (each word's tokens
// deduplicated; repeated words repeat, which keeps term frequencies for
// ranking). Only the first MaxInput bytes are read and the result is at most
// MaxOutput bytes. It returns no error.
func Analyze(text string) string {
	if len(text) > MaxInput {
		text = truncate(text, MaxInput)
	}
	a := newAnalyzer()
	var b strings.Builder
	full := false
	emit := func(raw string) {
		if full {
			return
		}
		var toks [2]string
		for _, tok := range a.tokens(raw, toks[:0]) {
			if b.Len()+len(tok)+1 > MaxOutput {
				full = true
				return
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(tok)
		}
	}
	scan(text, func(parts []string) bool {
		for _, p := range parts {
			emit(p)
		}
		if len(parts) > 1 {
			emit(strings.Join(parts, ""))
		}
		return !full
	})
	return b.String()
}

// tokens appends to dst the index tokens of one raw word: none for stop
// words and over-long words, else its stems (or its identifier form).
func (a *analyzer) tokens(raw string, dst []string) []string {
	w, ok := a.word(raw)
	if !ok || stopWords[w] {
		return dst
	}
	return a.stems(w, dst)
}

// word folds raw and reports whether it is worth indexing.
func (a *analyzer) word(raw string) (string, bool) {
	if len(raw) > maxRawWordLen {
		return "", false
	}
	w := a.foldWord(raw)
	return w, w != "" && len(w) <= maxWordLen
}

// stems appends the German and English stems of the folded word w (once if
// equal); words with digits and encoded words are appended as they are.
func (a *analyzer) stems(w string, dst []string) []string {
	if !isLetters(w) {
		return append(dst, encode(w))
	}
	a.env.SetCurrent(w)
	german.Stem(a.env)
	de := a.env.Current()
	a.env.SetCurrent(w)
	english.Stem(a.env)
	en := a.env.Current()
	dst = append(dst, de)
	if en != de {
		dst = append(dst, en)
	}
	return dst
}

// foldWord lowercases s and removes diacritics; see the package comment.
func (a *analyzer) foldWord(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	s = specialFold.Replace(strings.ToLower(s))
	if f, _, err := transform.String(a.fold, s); err == nil {
		s = f
	}
	// NFKD may decompose into upper-case or special letters ("ℌ" → "H").
	return specialFold.Replace(strings.ToLower(s))
}

// encode returns w if it is [a-z0-9]+, else "x" + hex of its bytes.
func encode(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return "x" + hex.EncodeToString([]byte(w))
		}
	}
	return w
}

func isLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isWordRune reports whether r belongs in a word. Marks are included so
// that decomposed diacritics stay with their letter.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Nd, r) || unicode.IsMark(r)
}

// isSingleRuneWord reports whether r is a word on its own (scripts written
// without spaces between words).
func isSingleRuneWord(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// scan splits text into groups of words joined by '-' or '_' and calls fn
// with each group's raw parts (the slice is reused). It stops when fn
// returns false.
func scan(text string, fn func(parts []string) bool) {
	parts := make([]string, 0, maxParts)
	flush := func() bool {
		if len(parts) == 0 {
			return true
		}
		ok := fn(parts)
		parts = parts[:0]
		return ok
	}
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) || (r == utf8.RuneError && size == 1) {
			i += size
			continue
		}
		start, first := i, r
		if isSingleRuneWord(first) {
			i += size
		} else {
			for i < len(text) {
				r, size = utf8.DecodeRuneInString(text[i:])
				if !isWordRune(r) || isSingleRuneWord(r) || (r == utf8.RuneError && size == 1) {
					break
				}
				i += size
			}
		}
		word := text[start:i]
		rest := text[i:]
		switch {
		case strings.HasPrefix(rest, "++") && !isSingleRuneWord(first):
			parts = append(parts, word+"pp")
			i += 2
			if !flush() {
				return
			}
			continue
		case strings.HasPrefix(rest, "#") && utf8.RuneCountInString(word) == 1 && unicode.IsLetter(first) &&
			!startsWithWordRune(rest[1:]):
			parts = append(parts, word+"sharp")
			i++
			if !flush() {
				return
			}
			continue
		}
		parts = append(parts, word)
		if len(rest) > 1 && (rest[0] == '-' || rest[0] == '_') && startsWithWordRune(rest[1:]) &&
			len(parts) < maxParts && !isSingleRuneWord(first) {
			i++ // connector: the group goes on
			continue
		}
		if !flush() {
			return
		}
	}
	flush()
}

func startsWithWordRune(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return size > 0 && r != utf8.RuneError && isWordRune(r) && !isSingleRuneWord(r)
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
