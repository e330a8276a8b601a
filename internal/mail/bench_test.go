package mail

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkParse parses typical messages: a plain reply, an Outlook reply
// with HTML alternative, an HTML-only mail, a mail with attachments and a
// bounce. b.SetBytes makes go test report MB/s.
func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"iso-8859-1-body", "outlook-de-reply", "owa-de-html-only", "html-newsletter", "attachment-rfc2231", "inline-image-cid", "html-rich-cid-reply", "dsn-postfix"} {
		raw, err := os.ReadFile(filepath.Join("testdata", name+".eml"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkQuoteCut measures the quote cutter on a long reply.
func BenchmarkQuoteCut(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "outlook-de-reply.eml"))
	if err != nil {
		b.Fatal(err)
	}
	m, err := Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(m.Text)))
	for b.Loop() {
		QuoteCut(m.Text)
	}
}

// BenchmarkNewHTMLLong cuts a long HTML reply whose history starts with a
// plain-text attribution line (the slow path: the cut is searched for).
func BenchmarkNewHTMLLong(b *testing.B) {
	var sb strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&sb, "<p>Absatz %d mit <b>etwas</b> Text und <a href=\"https://x.example/%d\">Link</a>.</p>\n", i, i)
	}
	sb.WriteString("<div>Am 12.03.2026 um 10:15 schrieb Max:</div><blockquote>")
	for i := range 2000 {
		fmt.Fprintf(&sb, "<p>Alt %d</p>", i)
	}
	sb.WriteString("</blockquote>")
	raw := htmlMail("Re: x", "", sb.String())
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		m, err := Parse(raw)
		if err != nil || m.NewHTML == "" {
			b.Fatalf("Parse: %v, NewHTML %d bytes", err, len(m.NewHTML))
		}
	}
}
