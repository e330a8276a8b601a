package mail

import (
	"strings"
	"testing"
)

// hostileQuoteTexts are 5,000-line texts shaped to make the quote cutter
// work hard: every line almost an attribution, a signature marker or a
// header field.
func hostileQuoteTexts() map[string]string {
	rep := func(line string) string { return strings.Repeat(line+"\n", 5000) }
	long := strings.Repeat("word ", 80)
	return map[string]string{
		"dashes":        rep("--\nsome text"),
		"mobile-sig":    rep("Sent from my iPhone\nmore"),
		"on-wrote-like": rep("On " + long + " wrote something"),
		"colon-lines":   rep("On Monday " + long + ":\n> quoted"),
		"from-fields":   rep("From: a@b\nTo: c@d"),
		"verbs":         rep(long + " schrieb kirjoitti пишет 写道 @ 12:30"),
		"date-first":    rep("2014-10-17 11:28 GMT+03:00 " + long + " <x@y.example"),
		"rules":         rep("-----\n_____"),
		"long-lines":    rep("On " + strings.Repeat("on wrote schrieb 12:30 x@y ", 40) + ":"),
		"one-huge-line": "On " + strings.Repeat("on wrote schrieb 12:30 <x@y> ", 20000) + ":\n> q",
		"wrapped":       rep("On Mon\nwrote 12:30 <x@y>\nschrieb:"),
	}
}

// BenchmarkQuoteCutHostile measures the quote cutter on hostile texts.
func BenchmarkQuoteCutHostile(b *testing.B) {
	for name, text := range hostileQuoteTexts() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				QuoteCut(text)
			}
		})
	}
}
