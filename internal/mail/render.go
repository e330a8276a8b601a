package mail

import (
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// SafeHTML sanitises mail HTML kept from Parse (Message.NewHTML) once more,
// right before it is shown, with a policy stricter than Parse's: text
// formatting, lists, tables, quotes and links only; no script, style or
// style attribute, class, id, event handler, form, frame, object, SVG or
// MathML. Links must be http, https or mailto and get rel="nofollow
// noreferrer" (and target="_blank" with rel="noopener" when they leave for
// another host). Images stay only when they load from here: image maps a
// cid: reference (the Content-ID, without "cid:") to a root-relative URL
// (or "cid:…" again, for an API client), or to "" to drop the image;
// data:image/ sources of PNG, JPEG, GIF and WebP stay, every other source
// goes. It returns "" when nothing is left to show.
func SafeHTML(src string, image func(contentID string) string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	doc := parseHTML(src)
	body := findBody(doc)
	if body == nil {
		return ""
	}
	prepareForPage(body, image, 0)
	var b strings.Builder
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			return ""
		}
	}
	out := balanced(pagePolicy().Sanitize(b.String()))
	if strings.TrimSpace(htmlToText(parseHTML(out))) == "" && !strings.Contains(out, "<img") {
		return ""
	}
	return out
}

// rawText are the elements whose content an HTML tokenizer reads as raw
// text, or that end the document (plaintext).
var rawText = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Noembed: true,
	atom.Noframes: true, atom.Xmp: true, atom.Plaintext: true, atom.Iframe: true, atom.Textarea: true,
	atom.Title: true, atom.Template: true}

// balanced parses sanitised HTML as the content of a <div> and renders it
// again, so that every element it opens is closed inside it: the sanitiser
// drops tags one by one and may leave an <a> or <div> open, or a stray
// closing tag that would end the page's own container.
func balanced(s string) string {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, n := range nodes {
		if n.Type == html.ElementNode && rawText[n.DataAtom] {
			continue
		}
		if err := html.Render(&b, n); err != nil {
			return ""
		}
	}
	return strings.TrimSpace(b.String())
}

// findBody returns the <body> element of a parsed document.
func findBody(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == atom.Body {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

var (
	reDataImage = regexp.MustCompile(`^(?i)data:image/(png|jpeg|gif|webp);base64,`)
	// reLocalSrc is what an image may load after prepareForPage: a path on
	// this server, a cid: reference, a data: image.
	reLocalSrc = regexp.MustCompile(`^(/[^/\\]|(?i:cid:)|(?i:data:image/(png|jpeg|gif|webp);base64,))`)
	reLinkHref = regexp.MustCompile(`^(?i)(https?://|mailto:)`)
	reNumber   = regexp.MustCompile(`^[0-9]{1,4}%?$`)
	reAlign    = regexp.MustCompile(`^(?i)(left|right|center|justify)$`)
	reDir      = regexp.MustCompile(`^(?i)(ltr|rtl|auto)$`)
)

// prepareForPage drops from the tree below n what the sanitiser must not
// even be asked about: style and event attributes, and images that do not
// come from here. cid: sources become what image maps them to.
func prepareForPage(n *html.Node, image func(string) string, depth int) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if depth > maxHTMLDepth {
			n.RemoveChild(c)
			c = next
			continue
		}
		if c.Type == html.ElementNode && rawText[c.DataAtom] {
			// Parsed as markup (scripting off) but read as raw text by
			// the sanitiser's tokenizer, and <plaintext> stops rendering:
			// neither may reach it.
			n.RemoveChild(c)
			c = next
			continue
		}
		if c.Type == html.ElementNode {
			kept := c.Attr[:0]
			for _, a := range c.Attr {
				k := strings.ToLower(a.Key)
				if a.Namespace != "" || strings.HasPrefix(k, "on") || k == "style" || k == "class" || k == "id" ||
					k == "srcset" || k == "background" || k == "formaction" || k == "action" {
					continue
				}
				kept = append(kept, a)
			}
			c.Attr = kept
			if c.DataAtom == atom.Img {
				if !localImage(c, image) {
					if alt := normalizeSpace(attr(c, "alt")); alt != "" {
						n.InsertBefore(&html.Node{Type: html.TextNode, Data: "[" + alt + "]"}, c)
					}
					n.RemoveChild(c)
					c = next
					continue
				}
			}
		}
		prepareForPage(c, image, depth+1)
		c = next
	}
}

// localImage rewrites the src of img for the page and reports whether the
// image may stay.
func localImage(img *html.Node, image func(string) string) bool {
	for i, a := range img.Attr {
		if strings.ToLower(a.Key) != "src" {
			continue
		}
		v := strings.TrimSpace(a.Val)
		switch {
		case reDataImage.MatchString(v):
			return true
		case len(v) > 4 && strings.EqualFold(v[:4], "cid:") && image != nil:
			id := v[4:]
			if u, err := url.PathUnescape(id); err == nil {
				id = u
			}
			u := image(strings.Trim(id, "<>"))
			if u == "" || !reLocalSrc.MatchString(u) {
				return false
			}
			img.Attr[i].Val = u
			return true
		}
		return false
	}
	return false
}

// pagePolicy is SafeHTML's sanitiser, built once.
var pagePolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "strike", "del", "ins",
		"sub", "sup", "small", "big", "mark", "abbr", "cite", "q", "dfn", "blockquote", "pre", "code", "kbd", "samp",
		"tt", "var", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
		"tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "center", "font", "address",
		"figure", "figcaption")
	p.AllowAttrs("href").Matching(reLinkHref).OnElements("a")
	p.AllowAttrs("src").Matching(reLocalSrc).OnElements("img")
	p.AllowAttrs("alt", "title").OnElements("img")
	p.AllowAttrs("width", "height").Matching(reNumber).OnElements("img", "td", "th", "table", "col")
	p.AllowAttrs("colspan", "rowspan").Matching(reNumber).OnElements("td", "th")
	p.AllowAttrs("start").Matching(reNumber).OnElements("ol")
	p.AllowAttrs("align").Matching(reAlign).OnElements("p", "div", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("dir").Matching(reDir).Globally()
	p.AllowAttrs("title").OnElements("abbr", "a", "span")
	p.AllowURLSchemes("http", "https", "mailto", "cid")
	p.AllowDataURIImages()
	p.AllowRelativeURLs(true) // for images only: href must match reLinkHref
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.SkipElementsContent("script", "style", "title", "head", "noscript", "template", "svg", "math", "iframe",
		"frame", "frameset", "object", "embed", "applet", "textarea", "select", "option", "button", "noembed", "noframes")
	return p
})
