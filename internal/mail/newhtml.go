package mail

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The new part of a mail's HTML is cut the way its text is: first at the
// quote markup of known clients (cutHTMLQuote: Outlook's divRplyFwdMsg and
// border-top header, Gmail's gmail_quote, Yahoo, Zoho), then where QuoteCut
// cuts the text of what is left (attribution lines, separators, reply
// header blocks and signatures that are plain text in the HTML, as Apple
// Mail and Thunderbird write them). The HTML is kept only when its words
// are those of NewText: a client whose HTML and text alternative disagree
// gets the text alone, so the HTML never shows history that the text cut.

// newPartHTML returns the document of src cut like the text (see above);
// ok is false when QuoteCut's cut could not be placed exactly on the HTML
// (it must leave the very words QuoteCut leaves).
func newPartHTML(src string) (doc *html.Node, ok bool) {
	doc = parseHTML(src)
	cutHTMLQuote(doc)
	w := &textWriter{mark: true}
	convertNode(w, doc, 0, nil)
	raw := w.b.String()
	full := tidyText(raw)
	kept := QuoteCut(full)
	want := len(textWords(kept))
	if want == len(textWords(full)) {
		return doc, true
	}
	nodes, n := w.nodes, len(w.nodes)
	// before[k] is how many words precede text node k: cutting there
	// leaves them. It grows with k, so the cut lands where it reaches want.
	before := prefixWords(raw, w.offsets)
	first := sort.Search(n, func(k int) bool { return before[k] >= want })
	var k, keep int
	switch {
	case first < n && before[first] == want:
		// Nodes first…last leave the same words (white space, punctuation,
		// a "-- " line): take the latest that leaves just kept's text.
		k = first
		last := sort.Search(n, func(k int) bool { return before[k] > want }) - 1
		collapsed := strings.Join(strings.Fields(kept), " ")
		for j := last; j > first && j > last-20; j-- {
			if strings.Join(strings.Fields(tidyText(raw[:w.offsets[j]])), " ") == collapsed {
				k = j
				break
			}
		}
	case first > 0:
		// The cut falls within text node first-1.
		k, keep = first-1, want-before[first-1]
	default:
		return nil, false
	}
	truncateAt(nodes[k], keep)
	if !slices.Equal(textWords(htmlToText(doc)), textWords(kept)) {
		return nil, false
	}
	return doc, true
}

// prefixWords returns, for each offset into s, how many words (as
// textWords counts them) start before it. offsets are ascending.
func prefixWords(s string, offsets []int) []int {
	out := make([]int, len(offsets))
	count, in, j := 0, false, 0
	for i, r := range s {
		for ; j < len(offsets) && offsets[j] <= i; j++ {
			out[j] = count
		}
		w := isWordRune(r)
		if w && !in {
			count++
		}
		in = w
	}
	for ; j < len(offsets); j++ {
		out[j] = count
	}
	return out
}

// textNodes lists the text nodes below doc in document order, as deep as
// the converter walks.
func textNodes(doc *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		if n.Type == html.TextNode {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	return out
}

// truncateAt keeps the first keep words of text node n and removes the rest
// of it and everything after it in document order; elements left empty by
// that (a blockquote whose text went) go too.
func truncateAt(n *html.Node, keep int) {
	removeFollowing(n)
	if keep > 0 {
		n.Data = n.Data[:wordsEnd(n.Data, keep)]
		return
	}
	p := n.Parent
	p.RemoveChild(n)
	for p != nil && p.Type == html.ElementNode && p.Parent != nil &&
		p.DataAtom != atom.Body && p.DataAtom != atom.Html && emptyElement(p) {
		gp := p.Parent
		gp.RemoveChild(p)
		p = gp
	}
}

// removeFollowing removes every node after n in document order (the later
// siblings of n and of each of its ancestors), keeping n.
func removeFollowing(n *html.Node) {
	for ; n != nil && n.Parent != nil; n = n.Parent {
		for s := n.NextSibling; s != nil; {
			next := s.NextSibling
			n.Parent.RemoveChild(s)
			s = next
		}
	}
}

// emptyElement reports whether n holds no text but white space and no
// image.
func emptyElement(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(strings.ReplaceAll(c.Data, "\u00a0", " ")) != "":
			return false
		case c.Type == html.ElementNode && (c.DataAtom == atom.Img || !emptyElement(c)):
			return false
		}
	}
	return true
}

// wordsEnd returns the byte offset in s just after its first n words (as
// textWords counts them).
func wordsEnd(s string, n int) int {
	in := false
	for i, r := range s {
		w := isWordRune(r)
		if in && !w {
			n--
			if n == 0 {
				return i
			}
		}
		in = w
	}
	return len(s)
}

var (
	reBracketed = regexp.MustCompile(`\[[^\]\n]{0,200}\]`)
	reURL       = regexp.MustCompile(`(?i)\b(https?|ftp|mailto):[^\s<>()\[\]"]+`)
)

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// textWords returns the lowercased runs of letters and digits of s.
func textWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
}

// comparableWords are the words of s without what text and HTML
// alternatives render differently: image placeholders and alt texts in
// brackets, and link targets.
func comparableWords(s string) []string {
	return textWords(reURL.ReplaceAllString(reBracketed.ReplaceAllString(s, " "), " "))
}

// sameWords reports whether the text of the cut HTML (htmlText) says what
// the cut text alternative says: at most a few words of the HTML are not in
// the text (they might be history the text cut), and few of the text are
// missing from the HTML.
func sameWords(htmlText, text string) bool {
	h, t := comparableWords(htmlText), comparableWords(text)
	count := map[string]int{}
	for _, w := range t {
		count[w]++
	}
	extra := 0
	for _, w := range h {
		if count[w] > 0 {
			count[w]--
		} else {
			extra++
		}
	}
	missing := len(t) - (len(h) - extra)
	return extra <= 2+len(t)/50 && missing <= 5+len(t)/10
}
