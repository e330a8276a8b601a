package mail

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParse parses typical messages: a plain reply, an Outlook reply
// with HTML alternative, an HTML-only mail, a mail with attachments and a
// bounce. b.SetBytes makes go test report MB/s.
func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"iso-8859-1-body", "outlook-de-reply", "owa-de-html-only", "html-newsletter", "attachment-rfc2231", "inline-image-cid", "dsn-postfix"} {
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
