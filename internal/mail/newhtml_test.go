package mail

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// htmlMail is a mail with an HTML body, and a text alternative when text
// is not empty.
func htmlMail(subject, text, body string) []byte {
	h := "From: Max <max@x.example>\r\nTo: sd@x.example\r\nSubject: " + subject + "\r\nMessage-ID: <t@x>\r\nMIME-Version: 1.0\r\n"
	if text == "" {
		return []byte(h + "Content-Type: text/html; charset=utf-8\r\n\r\n" + body)
	}
	return []byte(h + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		text + "\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body + "\r\n--b--\r\n")
}

func TestNewHTML(t *testing.T) {
	tests := []struct {
		name, subject, text, html string
		want                      string // "" for no HTML
	}{
		{"gmail quote", "Re: x", "", `<div>Neu</div><div class="gmail_quote">Am 1.3.2026 schrieb A:<blockquote>alt</blockquote></div>`,
			"<div>Neu</div>"},
		{"thunderbird attribution as text", "Re: x", "",
			`<p>Neu</p><div class="moz-cite-prefix">Am 12.03.2026 um 10:15 schrieb Max:<br></div><blockquote type="cite">alt</blockquote>`,
			"<p>Neu</p>"},
		{"signature inside a paragraph", "x", "", `<p>Hallo</p><p>-- <br>Max Muster<br>Tel. 123</p>`, "<p>Hallo</p>"},
		{"cut inside a text node", "x", "", "<pre>Hallo Welt\n\nAm 12.03.2026 um 10:15 schrieb Max &lt;max@x.example&gt;:\n&gt; alter Text</pre>",
			"<pre>Hallo Welt</pre>"},
		{"outlook desktop with text alternative", "AW: x",
			"Erledigt, danke.\n\nVon: IT <it@x>\nGesendet: Montag, 9. März 2026 10:00\nAn: Max\nBetreff: x\n\nalt",
			`<div><p>Erledigt, <b>danke</b>.</p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p><b>Von:</b> IT</p></div><p>alt</p></div>`,
			"<div><p>Erledigt, <b>danke</b>.</p></div>"},
		// The text cut history the HTML shows without any marker: the
		// HTML would show more than the text, so only the text is kept.
		{"HTML disagrees with its text", "Re: x", "Danke\n\nOn Mon, Mar 9, 2026 at 10:00 AM IT <it@x> wrote:\n> interne Notiz zum Fall",
			"<p>Danke</p><p>interne Notiz zum Fall</p>", ""},
		{"forward keeps all", "WG: x", "", `<p>Siehe unten</p><div class="gmail_quote">---------- Forwarded message ---------<br>Text</div>`,
			`<p>Siehe unten</p><div>---------- Forwarded message ---------<br/>Text</div>`},
	}
	for _, tt := range tests {
		m, err := Parse(htmlMail(tt.subject, tt.text, tt.html))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := strings.TrimSpace(m.NewHTML); got != tt.want {
			t.Errorf("%s: NewHTML = %q, want %q (NewText %q)", tt.name, got, tt.want, m.NewText)
		}
		if bad := unsafeHTML(m.NewHTML); bad != "" {
			t.Errorf("%s: NewHTML has %s", tt.name, bad)
		}
	}
}

func TestSafeHTML(t *testing.T) {
	// What a database might hold if Parse's sanitiser had let it through.
	hostile := `<html><head><style>p{}</style><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/"></head>` +
		`<body onload="x()"><p style="position:fixed" class="badge" id="main" onclick="x()">Text<script>alert(1)</script></p>` +
		`<a href="javascript:alert(1)">j</a><a href=" JaVaScRiPt:alert(1)">j2</a><a href="data:text/html,x">d</a><a href="/logout">rel</a>` +
		`<a href="//evil.example/">pr</a><a href="https://ok.example/" target="_self">ok</a>` +
		`<img src="https://evil.example/p.gif" alt="Pixel"><img src="x" onerror="alert(1)"><img src="/tickets/9/attachments/1">` +
		`<img src="cid:known@x" style="width:1px"><img src="cid:unknown@x" alt="Fremd"><img src="cid:known@x" srcset="https://evil.example/a.png 2x">` +
		`<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">` +
		`<iframe src="https://evil.example/f"></iframe><form action="https://evil.example/"><input name="pw"><button>Senden</button></form>` +
		`<svg onload="alert(1)"><script>alert(2)</script></svg><math><mi>m</mi></math><object data="x"></object><embed src="x">` +
		`<table style="width:100%"><tr><td colspan="2" onmouseover="x()" width="50%">Zelle</td></tr></table></body></html>`
	got := SafeHTML(hostile, func(id string) string {
		if id == "known@x" {
			return "/tickets/7/attachments/3"
		}
		return ""
	})
	for _, bad := range []string{"script", "style", "onload", "onclick", "onerror", "onmouseover", "javascript", "evil.example",
		"iframe", "<form", "<input", "<button", "<svg", "<math", "<object", "<embed", "<base", "<meta", "class=", "id=",
		"data:text", "/logout", "/tickets/9", "unknown@x", "svg+xml", "srcset", "alert"} {
		if strings.Contains(strings.ToLower(got), bad) {
			t.Errorf("SafeHTML kept %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{`<p>Text</p>`, `<img src="/tickets/7/attachments/3"/>`, `[Fremd]`, `[Pixel]`,
		`<a href="https://ok.example/" rel="nofollow noreferrer noopener" target="_blank">ok</a>`, `<td colspan="2" width="50%">Zelle</td>`} {
		if !strings.Contains(got, want) {
			t.Errorf("SafeHTML lacks %s:\n%s", want, got)
		}
	}
	for _, m := range regexp.MustCompile(`(?i)\b(src|href)="([^"]*)"`).FindAllStringSubmatch(got, -1) {
		if !strings.HasPrefix(m[2], "/tickets/7/attachments/") && !strings.HasPrefix(m[2], "https://ok.example/") {
			t.Errorf("SafeHTML kept %s=%q", m[1], m[2])
		}
	}
	if got := SafeHTML(`<p> </p><img src="https://evil.example/x">`, nil); got != "" {
		t.Errorf("SafeHTML of nothing to show = %q, want \"\"", got)
	}
}

// TestSafeHTMLBalanced: whatever the stored HTML is, what SafeHTML and the
// stored sanitising give closes every element it opens and closes none it
// did not open, so that it cannot swallow or leave the page's container.
func TestSafeHTMLBalanced(t *testing.T) {
	tags := []string{"a href=\"https://x.example/\"", "div", "p", "b", "table", "tr", "td", "ul", "li", "span",
		"noscript", "xmp", "noembed", "plaintext", "noframes", "textarea", "title", "template", "select", "option",
		"math", "svg", "iframe", "style", "script", "blockquote", "pre", "form", "img src=cid:x", "br"}
	rnd := rand.New(rand.NewPCG(1, 2))
	inputs := []string{`<p>Hello</p><a href="https://evil.example/login">Dear agent <plaintext>rest`,
		`<div><noscript></div><a href="https://x.example/">x</noscript>y`, `</div></div></td><b>z`}
	for range 3000 {
		var b strings.Builder
		for range 1 + rnd.IntN(12) {
			tag := tags[rnd.IntN(len(tags))]
			switch rnd.IntN(3) {
			case 0:
				b.WriteString("<" + tag + ">")
			case 1:
				b.WriteString("</" + strings.Fields(tag)[0] + ">")
			default:
				b.WriteString("text ")
			}
		}
		inputs = append(inputs, b.String())
	}
	image := func(string) string { return "/tickets/1/attachments/2" }
	for _, in := range inputs {
		for name, out := range map[string]string{
			"SafeHTML":        SafeHTML(in, image),
			"sanitizeHTML":    sanitizeHTML(parseHTML(in)),
			"SafeHTML(store)": SafeHTML(sanitizeHTML(parseHTML(in)), image),
		} {
			if err := checkBalanced(out); err != nil {
				t.Fatalf("%s(%q) = %q: %v", name, in, out, err)
			}
		}
	}
}

// checkBalanced tokenises s and reports the first element it closes
// without opening, or leaves open.
func checkBalanced(s string) error {
	z := html.NewTokenizer(strings.NewReader(s))
	var open []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if len(open) > 0 {
				return fmt.Errorf("left open: %v", open)
			}
			return nil
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElement[string(name)] {
				open = append(open, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(open) == 0 || open[len(open)-1] != string(name) {
				return fmt.Errorf("closes %s, open: %v", name, open)
			}
			open = open[:len(open)-1]
		}
	}
}

var voidElement = map[string]bool{"br": true, "img": true, "hr": true, "wbr": true, "col": true, "area": true,
	"input": true, "meta": true, "link": true, "source": true, "track": true, "embed": true, "param": true, "base": true}
