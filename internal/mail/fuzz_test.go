package mail

import (
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// seedCorpus adds every corpus message to f.
func seedCorpus(f *testing.F, asString bool) {
	for _, file := range corpus(f) {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if asString {
			f.Add(string(raw))
		} else {
			f.Add(raw)
		}
	}
}

// FuzzParse checks that Parse never panics, fails only with its documented
// errors, and always returns valid UTF-8 and sanitised HTML.
func FuzzParse(f *testing.F) {
	seedCorpus(f, false)
	f.Add([]byte("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\nx\n--b--\n--a--\n"))
	f.Add([]byte("Subject: =?utf-8?B?=?= =?x?Q?=\n\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnreadable) {
				t.Fatalf("Parse returned undocumented error %v", err)
			}
			if errors.Is(err, ErrUnreadable) {
				t.Fatalf("Parse recovered from a panic: %v", err)
			}
			return
		}
		for name, s := range map[string]string{"Subject": m.Subject, "Text": m.Text, "NewText": m.NewText, "HTML": m.HTML, "NewHTML": m.NewHTML, "From.Name": m.From.Name} {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not valid UTF-8: %q", name, s)
			}
		}
		if m.MessageID == "" {
			t.Errorf("MessageID is empty")
		}
		if bad := unsafeHTML(m.HTML); bad != "" {
			t.Errorf("sanitised HTML has %s: %q", bad, m.HTML)
		}
		if bad := unsafeHTML(m.NewHTML); bad != "" {
			t.Errorf("sanitised new HTML has %s: %q", bad, m.NewHTML)
		}
		if strings.TrimSpace(m.Text) != "" && strings.TrimSpace(m.NewText) == "" {
			t.Errorf("NewText is empty while Text is %q", m.Text)
		}
	})
}

// unsafeHTML re-parses sanitised HTML and names the first thing in it that
// could run script or load from elsewhere, or returns "".
func unsafeHTML(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return "unparseable HTML"
	}
	var bad string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if bad != "" {
			return
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "iframe", "object", "embed", "form", "link", "meta", "svg", "math", "base":
				bad = "element " + n.Data
				return
			}
			for _, a := range n.Attr {
				k, v := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(k, "on"), k == "style", k == "srcset", k == "background":
					bad = "attribute " + k
				case (k == "href" || k == "src") && strings.HasPrefix(strings.Join(strings.Fields(v), ""), "javascript:"):
					bad = "javascript: URL"
				case k == "src" && !strings.HasPrefix(v, "cid:") && !strings.HasPrefix(v, "data:image/"):
					bad = "remote src " + v
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return bad
}

// FuzzQuoteCut checks that QuoteCut never panics, returns only lines of
// its input (in order, quoted lines and history dropped, a line that ended
// in an attribution shortened), and never cuts a non-blank text to nothing.
func FuzzQuoteCut(f *testing.F) {
	seedCorpus(f, true)
	for _, s := range []string{
		"new\n\nOn Tue, Mar 12, 2026 at 10:15 AM Max <\nmax@x> wrote:\n> old",
		"a\nVon: x\nGesendet: y\nAn: z\nBetreff: w\n",
		"-- \n", ">\n>\n", "> q\na\n> q\nb", "On x wrote:\n> q\n\nanswer", "Thanks. On Tue, 12 Mar 2026 10:15 Max <m@x> wrote:\n> q",
		"---- Max wrote ----\nold", "De : a\nEnvoyé : b\nÀ : c\nObjet : d", "发件人：a\n发送时间：b\n收件人：c\n主题：d", "An\nx\nKopie\nThema\n", "________\nFrom: a\nTo: b\nSubject: c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := QuoteCut(in)
		norm := strings.ReplaceAll(strings.ReplaceAll(in, "\r\n", "\n"), "\r", "\n")
		inLines := strings.Split(norm, "\n")
		for i, l := range inLines {
			inLines[i] = normLine(l)
		}
		j := 0
		for _, l := range strings.Split(out, "\n") {
			l = normLine(l)
			for j < len(inLines) && !strings.Contains(inLines[j], l) {
				j++
			}
			if j == len(inLines) {
				t.Fatalf("QuoteCut(%q) = %q: line %q is not from the input, in order", in, out, l)
			}
		}
		if strings.TrimSpace(in) != "" && strings.TrimSpace(out) == "" {
			t.Fatalf("QuoteCut(%q) cut everything", in)
		}
	})
}
