package ticket

import "testing"

func TestCleanTextAndLine(t *testing.T) {
	for _, c := range []struct{ in, text, line string }{
		{"Drucker", "Drucker", "Drucker"},
		{"a\x00b", "ab", "ab"},
		{"M\xfcnchen", "M\uFFFDnchen", "M\uFFFDnchen"},
		{"zwei\r\nZeilen\tund\x1bmehr ", "zwei\r\nZeilen\tund\x1bmehr ", "zwei  Zeilen und mehr"},
		{"\u0085x", "\u0085x", "x"},
	} {
		if got := CleanText(c.in); got != c.text {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.text)
		}
		if got := CleanLine(c.in); got != c.line {
			t.Errorf("CleanLine(%q) = %q, want %q", c.in, got, c.line)
		}
	}
}
