package blob

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("ä", 150) + ".pdf" // 304 bytes
	tests := []struct {
		name, in, want string
	}{
		{"plain", "report.pdf", "report.pdf"},
		{"unix traversal", "../../etc/passwd", "passwd"},
		{"windows path", `C:\x\y.txt`, "y.txt"},
		{"mixed separators", `a/b\c/d.txt`, "d.txt"},
		{"nul", "\x00a", "a"},
		{"control chars", "a\x01b\x7fc\r\n.txt", "abc.txt"},
		{"htaccess", ".htaccess", "htaccess"},
		{"dot", ".", "attachment"},
		{"dotdot", "..", "attachment"},
		{"trailing slash", "dir/", "attachment"},
		{"empty", "", "attachment"},
		{"only spaces", "   ", "attachment"},
		{"quotes", `a"b".txt`, "ab.txt"},
		{"apostrophe kept", "O'Brien.txt", "O'Brien.txt"},
		{"windows reserved chars", "a<b>c:d|e?f*.txt", "a_b_c_d_e_f_.txt"},
		{"bidi override", "invoice\u202egpj.exe", "invoicegpj.exe"},
		{"zero width", "a\u200bb.txt", "ab.txt"},
		{"umlauts kept", "Übersicht Größe ß.docx", "Übersicht Größe ß.docx"},
		{"tab to space", "a\tb.txt", "a b.txt"},
		{"trailing dots", "name.txt. . ", "name.txt"},
		{"invalid utf8", "a\xff\xfeb.txt", "ab.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SafeName(tt.in); got != tt.want {
				t.Errorf("SafeName(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}

	lengths := []struct {
		name, in, wantSuffix string
	}{
		{"long with extension", long, ".pdf"},
		{"long ascii", strings.Repeat("a", 1000), "a"},
		{"long with huge extension", "a." + strings.Repeat("ü", 300), "ü"},
	}
	for _, tt := range lengths {
		t.Run(tt.name, func(t *testing.T) {
			got := SafeName(tt.in)
			if len(got) > MaxNameLen || len(got) < MaxNameLen-4 {
				t.Errorf("length: got %d bytes, want %d-%d", len(got), MaxNameLen-4, MaxNameLen)
			}
			if !utf8.ValidString(got) {
				t.Errorf("got invalid UTF-8 %q, want valid", got)
			}
			if !strings.HasSuffix(got, tt.wantSuffix) {
				t.Errorf("got %q, want suffix %q", got, tt.wantSuffix)
			}
		})
	}
}
