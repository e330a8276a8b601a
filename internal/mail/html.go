package mail

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLDepth bounds the nesting the converter walks; deeper content is
// flattened into its ancestor at that depth (html.Parse itself caps the
// open-element stack at 512).
const maxHTMLDepth = 256

// parseHTML parses an HTML document leniently; x/net/html never fails on
// bad markup, only on reader errors, which strings.Reader has none of.
func parseHTML(s string) *html.Node {
	doc, err := html.ParseWithOptions(strings.NewReader(s), html.ParseOptionEnableScripting(false))
	if err != nil {
		return &html.Node{Type: html.DocumentNode}
	}
	return doc
}

// quoteStart reports whether n starts the quoted history in HTML written by
// Outlook (desktop, OWA, new Outlook), Gmail, Yahoo or Zoho.
func quoteStart(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	id, class, style := attr(n, "id"), attr(n, "class"), attr(n, "style")
	switch strings.ToLower(id) {
	case "divrplyfwdmsg", "appendonsend", "stopspelling", "x_divrplyfwdmsg", "mail-editor-reference-message-container":
		return true
	}
	for _, c := range strings.Fields(strings.ToLower(class)) {
		switch c {
		case "gmail_quote", "gmail_quote_container", "outlookmessageheader", "yahoo_quoted", "zmail_extra", "x_gmail_quote":
			// Gmail wraps forwarded messages in gmail_quote too: those are
			// content, not history.
			return !isForwardHeader(nodeText(n, 300))
		}
	}
	if n.DataAtom == atom.Div || n.DataAtom == atom.P {
		st := strings.ToLower(strings.Join(strings.Fields(style), ""))
		// Outlook desktop: <div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">
		// (#B5C4DF in Outlook 2007/2010).
		if strings.Contains(st, "border-top:solid#e1e1e1") || strings.Contains(st, "border-top:solid#b5c4df") ||
			strings.Contains(st, "border-top:1ptsolid#e1e1e1") || strings.Contains(st, "border-top:1ptsolid#b5c4df") {
			return !isForwardHeader(nodeText(n, 300))
		}
	}
	return false
}

// cutHTMLQuote removes the first quote-start node and everything after it
// in document order. It reports whether anything was cut.
func cutHTMLQuote(doc *html.Node) bool {
	var found *html.Node
	var find func(n *html.Node, depth int)
	find = func(n *html.Node, depth int) {
		if found != nil || depth > maxHTMLDepth {
			return
		}
		if quoteStart(n) {
			found = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c, depth+1)
		}
	}
	find(doc, 0)
	if found == nil {
		return false
	}
	removeFollowing(found)
	found.Parent.RemoveChild(found)
	return true
}

// attr returns the value of the named attribute of n.
func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// nodeText returns up to max bytes of the text below n.
func nodeText(n *html.Node, max int) string {
	var b strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if b.Len() >= max || depth > maxHTMLDepth {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

// textWriter collects text with collapsed whitespace, explicit line breaks
// and a per-line prefix (for blockquotes and list indentation).
type textWriter struct {
	b        strings.Builder
	prefix   string // written at the start of every line
	nlPrefix string // prefix when the pending line breaks were asked for
	lineLen  int    // bytes written on the current line after the prefix
	newlines int    // newlines pending before the next text
	space    bool   // a space is pending before the next text
	pre      int    // inside <pre>: keep whitespace
	started  bool   // some text was written

	// With mark set, convertNode records each text node it writes and the
	// length of b before it (for newPartHTML).
	mark    bool
	nodes   []*html.Node
	offsets []int
}

// text writes s, collapsing whitespace unless inside <pre>.
func (w *textWriter) text(s string) {
	if s == "" {
		return
	}
	if w.pre > 0 {
		for i, line := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
			if i > 0 {
				w.br()
			}
			if line != "" {
				w.raw(line)
			}
		}
		return
	}
	isSpace := func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' }
	if r, _ := utf8.DecodeRuneInString(s); isSpace(r) {
		w.space = true
	}
	for i, f := range strings.FieldsFunc(s, isSpace) {
		if i > 0 {
			w.space = true
		}
		if w.space && w.lineLen > 0 && w.newlines == 0 {
			w.b.WriteByte(' ')
			w.lineLen++
		}
		w.space = false
		w.raw(f)
	}
	if r, _ := utf8.DecodeLastRuneInString(s); isSpace(r) {
		w.space = true
	}
}

// raw writes s as it is, after any pending line breaks and the line prefix.
func (w *textWriter) raw(s string) {
	if w.newlines > 0 && w.started {
		// Blank lines belong to the quote level both sides share.
		blank := strings.TrimRight(commonPrefix(w.nlPrefix, w.prefix), " ")
		for i := 0; i < w.newlines; i++ {
			w.b.WriteByte('\n')
			if i < w.newlines-1 {
				w.b.WriteString(blank)
			}
		}
		w.lineLen = 0
	}
	w.newlines = 0
	if w.lineLen == 0 {
		w.b.WriteString(w.prefix)
	}
	w.b.WriteString(s)
	w.lineLen += len(s)
	w.started = true
}

// newline asks for at least n line breaks before the next text.
func (w *textWriter) newline(n int) {
	if w.started && n > w.newlines {
		if w.newlines == 0 {
			w.nlPrefix = w.prefix
		}
		w.newlines = n
	}
	w.space = false
}

// br adds one line break.
func (w *textWriter) br() {
	if w.started {
		if w.newlines == 0 {
			w.nlPrefix = w.prefix
		}
		w.newlines++
	}
	w.space = false
}

// commonPrefix returns the longest common prefix of a and b.
func commonPrefix(a, b string) string {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return a[:i]
		}
	}
	return a[:n]
}

// htmlToText converts an HTML document into readable plain text: paragraphs
// and headings separated by blank lines, line breaks kept, lists as "- " or
// "1. ", blockquotes as "> ", links as "text (url)", images as their alt
// text, and no content of script, style, head and similar elements.
func htmlToText(doc *html.Node) string {
	w := &textWriter{}
	convertNode(w, doc, 0, nil)
	return tidyText(w.b.String())
}

// listState numbers ordered lists.
type listState struct {
	ordered bool
	n       int
}

func convertNode(w *textWriter, n *html.Node, depth int, list *listState) {
	if depth > maxHTMLDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		if w.mark {
			w.nodes = append(w.nodes, n)
			w.offsets = append(w.offsets, w.b.Len())
		}
		w.text(strings.ReplaceAll(n.Data, "\u00a0", " "))
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			convertNode(w, c, depth+1, list)
		}
		return
	}
	children := func(l *listState) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			convertNode(w, c, depth+1, l)
		}
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Head, atom.Title, atom.Noscript, atom.Template,
		atom.Svg, atom.Math, atom.Object, atom.Iframe, atom.Select, atom.Button, atom.Audio, atom.Video:
		return
	case atom.Br:
		w.br()
		return
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table, atom.Dl, atom.Hr, atom.Address, atom.Figure:
		w.newline(2)
		children(nil)
		w.newline(2)
		return
	case atom.Ul, atom.Ol:
		w.newline(1)
		// A nested list is indented by its <li>'s prefix already.
		children(&listState{ordered: n.DataAtom == atom.Ol})
		w.newline(2)
		return
	case atom.Li:
		w.newline(1)
		marker := "- "
		if list != nil && list.ordered {
			list.n++
			marker = strconv.Itoa(list.n) + ". "
		}
		w.raw(marker)
		w.space = false
		old := w.prefix
		w.prefix += strings.Repeat(" ", len(marker))
		// The marker is already on this line: continue without a new prefix.
		children(list)
		w.prefix = old
		w.newline(1)
		return
	case atom.Blockquote:
		w.newline(1)
		old := w.prefix
		w.prefix += "> "
		children(nil)
		w.prefix = old
		w.newline(1)
		return
	case atom.Pre:
		w.newline(2)
		w.pre++
		children(nil)
		w.pre--
		w.newline(2)
		return
	case atom.Div, atom.P:
		if blankWithNbsp(n) {
			// Outlook and Gmail write an empty line as <div>&nbsp;</div>.
			w.newline(1)
			w.br()
			return
		}
		if n.DataAtom == atom.P && !strings.Contains(strings.ToLower(attr(n, "class")), "msonormal") {
			// Word's MsoNormal paragraphs have no margin: they are lines.
			w.newline(2)
			children(nil)
			w.newline(2)
			return
		}
		w.newline(1)
		children(list)
		w.newline(1)
		return
	case atom.Tr, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Main, atom.Nav,
		atom.Aside, atom.Dt, atom.Dd, atom.Center, atom.Form, atom.Fieldset, atom.Caption, atom.Tbody, atom.Thead, atom.Tfoot:
		w.newline(1)
		children(list)
		w.newline(1)
		return
	case atom.Td, atom.Th:
		if w.lineLen > 0 {
			w.space = true
		}
		children(nil)
		w.space = true
		return
	case atom.Img:
		alt := normalizeSpace(attr(n, "alt"))
		if alt != "" {
			w.text(" [" + alt + "] ")
		}
		return
	case atom.A:
		href := strings.TrimSpace(attr(n, "href"))
		before := w.b.Len()
		children(list)
		label := normalizeSpace(w.b.String()[before:])
		if u := linkTarget(href); u != "" && !sameLink(label, u) {
			if label == "" {
				w.text(u)
			} else {
				w.text(" (" + u + ")")
			}
			// text() collapses the leading space into the separator.
		}
		return
	}
	children(list)
}

// blankWithNbsp reports whether n holds nothing but white space with at
// least one no-break space, and no images or line breaks.
func blankWithNbsp(n *html.Node) bool {
	nbsp := false
	var walk func(n *html.Node, depth int) bool
	walk = func(n *html.Node, depth int) bool {
		if depth > 8 {
			return false
		}
		switch n.Type {
		case html.TextNode:
			if strings.TrimSpace(strings.ReplaceAll(n.Data, "\u00a0", "")) != "" {
				return false
			}
			nbsp = nbsp || strings.Contains(n.Data, "\u00a0")
		case html.ElementNode:
			if n.DataAtom == atom.Img || n.DataAtom == atom.Br || n.DataAtom == atom.Hr {
				return false
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c, depth+1) {
				return false
			}
		}
		return true
	}
	return walk(n, 0) && nbsp
}

// linkTarget returns the URL worth showing for an href: http(s), ftp and
// mailto only, never javascript: or fragments.
func linkTarget(href string) string {
	l := strings.ToLower(href)
	switch {
	case strings.HasPrefix(l, "http://"), strings.HasPrefix(l, "https://"), strings.HasPrefix(l, "ftp://"):
		return href
	case strings.HasPrefix(l, "mailto:"):
		return href
	}
	return ""
}

// sameLink reports whether the link text already says where it goes.
func sameLink(label, u string) bool {
	if label == "" {
		return false
	}
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		for _, p := range []string{"mailto:", "https://", "http://", "www."} {
			s = strings.TrimPrefix(s, p)
		}
		return strings.TrimRight(s, "/")
	}
	lu := norm(u)
	if i := strings.IndexByte(lu, '?'); i >= 0 && strings.HasPrefix(strings.ToLower(u), "mailto:") {
		lu = lu[:i]
	}
	return norm(label) == lu
}

var (
	reManyBlank = regexp.MustCompile(`\n{3,}`)
)

// tidyText trims trailing spaces on each line, collapses more than one blank
// line and trims the ends.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	s = strings.Join(lines, "\n")
	s = reManyBlank.ReplaceAllString(s, "\n\n")
	return strings.Trim(s, "\n")
}

// prepareHTMLForDisplay removes what may load from elsewhere before the
// sanitiser runs: <img> (and <input type=image>, <source>) src values that are
// not cid: or data:image/ are dropped, as are srcset and background
// attributes. The mail's own inline images keep their cid: reference, which
// the web layer maps to the attachment with that Content-ID.
func prepareHTMLForDisplay(doc *html.Node) {
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		if n.Type == html.ElementNode {
			kept := n.Attr[:0]
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				switch k {
				case "srcset", "background", "poster", "lowsrc", "dynsrc", "longdesc", "style":
					continue
				case "src":
					v := strings.ToLower(strings.TrimSpace(a.Val))
					if !strings.HasPrefix(v, "cid:") && !strings.HasPrefix(v, "data:image/") {
						continue
					}
				}
				kept = append(kept, a)
			}
			n.Attr = kept
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
}

// displayPolicy is the sanitising policy for mail HTML, built once: the
// user-generated-content policy plus cid: and data: image sources, links that
// open in a new tab without referrer, and nothing that loads remotely.
var displayPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("cid")
	p.AllowDataURIImages()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("align").OnElements("p", "div", "td", "th")
	return p
})

// sanitizeHTML renders doc without remote resources and sanitises it.
func sanitizeHTML(doc *html.Node) string {
	prepareHTMLForDisplay(doc)
	var b strings.Builder
	if err := html.Render(&b, doc); err != nil {
		return ""
	}
	return balanced(displayPolicy().Sanitize(b.String()))
}
