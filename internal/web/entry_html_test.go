package web_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
)

// deliver hands raw to mail intake as a mail server would.
func (s *site) deliver(t *testing.T, raw []byte) *desk.Receipt {
	t.Helper()
	r, err := s.svc.Receive(context.Background(), raw, desk.ChannelLMTP, "")
	if err != nil || r.Outcome == desk.OutcomeFailed {
		t.Fatalf("deliver: got %+v, %v", r, err)
	}
	return r
}

// corpusMail reads a message of internal/mail's test corpus.
func corpusMail(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "mail", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// entryBlock is the timeline entry id of a ticket page (the <article>).
func entryBlock(t *testing.T, page string, id int64) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<li class="entry[^"]*" id="e` + strconv.FormatInt(id, 10) + `">(.*?)</article>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no entry %d on the page", id)
	}
	return m[1]
}

var styleAttr = regexp.MustCompile(`(?i)<[^>]+\sstyle\s*=`)

// TestMailHTMLOnTicketPage: HTML that came by mail shows formatted and
// sanitised on the ticket page, to whoever sees its entry, with its inline
// images from the ticket's own attachments, under the page's strict CSP.
func TestMailHTMLOnTicketPage(t *testing.T) {
	forEachQueueSite(t, func(t *testing.T, s *site) {
		agent := s.signedIn(t, agentEmail)

		// A hostile mail (script, event handlers, javascript: links, remote
		// images, styles, iframe, form, SVG with script) shows none of it.
		r := s.deliver(t, corpusMail(t, "hostile-html.eml"))
		a := agent.get(ticketPath(r.Ticket))
		if a.status != http.StatusOK {
			t.Fatalf("ticket page: got %d", a.status)
		}
		if csp := a.header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") || !strings.Contains(csp, "style-src 'self';") ||
			!strings.Contains(csp, "script-src 'self';") {
			t.Errorf("CSP = %q, want it as strict as before", csp)
		}
		block := entryBlock(t, a.body, r.Entry)
		if !strings.Contains(block, `class="entry-body entry-html"`) || !strings.Contains(block, "Sehr geehrtes IT-Team") {
			t.Fatalf("hostile mail: no HTML body shown:\n%s", block)
		}
		for _, bad := range []string{"<script", "onerror", "onload", "onclick", "javascript:", "evil.example", "<style", "<iframe",
			"<form", "<input", "<svg", "<object", "<meta", "<link", "alert(", "cid:"} {
			if strings.Contains(strings.ToLower(block), bad) {
				t.Errorf("hostile mail: the page shows %q:\n%s", bad, block)
			}
		}
		if styleAttr.MatchString(a.body) {
			t.Errorf("the ticket page has a style attribute: %s", styleAttr.FindString(a.body))
		}

		// A formatted mail with an inline image, from the requester.
		r = s.deliver(t, corpusMail(t, "html-rich-cid-reply.eml"))
		rita := s.signedIn(t, requesterEmail)
		a = rita.get(ticketPath(r.Ticket))
		if a.status != http.StatusOK {
			t.Fatalf("requester's ticket page: got %d", a.status)
		}
		files, err := s.svc.Attachments(context.Background(), s.actor(t, requesterEmail), r.Ticket)
		if err != nil || len(files) != 1 {
			t.Fatalf("attachments: got %v, %v; want the inline image", files, err)
		}
		img := ticketPath(r.Ticket) + "/attachments/" + strconv.FormatInt(files[0].ID, 10)
		block = entryBlock(t, a.body, r.Entry)
		for _, want := range []string{"<b>nicht mehr</b>", "<ul><li>Neustart des Geräts</li><li>Treiber neu installiert</li></ul>",
			"<ol><li>Gerät ausschalten</li>", "<th>Gerät</th>", "<td>HP 4050</td>",
			`<a href="https://wiki.uni-beispiel.de/drucker" rel="nofollow noreferrer noopener" target="_blank">Anleitung</a>`,
			`<img src="` + img + `" alt="Screenshot" width="120" height="40"/>`,
			`<details class="entry-plain"><summary>Show as plain text</summary>`, "* Treiber neu installiert"} {
			if !strings.Contains(block, want) {
				t.Errorf("formatted mail: the entry lacks %s:\n%s", want, block)
			}
		}
		if strings.Contains(a.body, "GEHEIMVERLAUF") {
			t.Errorf("the quoted history of the mail is on the page")
		}
		if styleAttr.MatchString(a.body) {
			t.Errorf("the ticket page has a style attribute: %s", styleAttr.FindString(a.body))
		}
		if d := rita.get(img); d.status != http.StatusOK || d.header.Get("Content-Type") != "image/png" ||
			!strings.HasPrefix(d.header.Get("Content-Disposition"), "inline") {
			t.Errorf("inline image: got %d %q %q, want a PNG shown inline", d.status, d.header.Get("Content-Type"), d.header.Get("Content-Disposition"))
		}

		// A staff-only comment by mail: staff see its HTML, the requester
		// sees neither it nor its text.
		reply := "From: Sepp Security <" + securityEmail + ">\r\nTo: servicedesk@uni.example\r\nSubject: Re: Drucker\r\n" +
			"Message-ID: <sepp-1@zid.example>\r\nIn-Reply-To: <rich-html-0001@uni.example>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Intern: <b>Toner</b> ist bestellt.</p>\r\n"
		r2 := s.deliver(t, []byte(reply))
		if r2.Ticket != r.Ticket {
			t.Fatalf("staff reply went to #%d, want #%d", r2.Ticket, r.Ticket)
		}
		if a := agent.get(ticketPath(r.Ticket)); !strings.Contains(entryBlock(t, a.body, r2.Entry), "<p>Intern: <b>Toner</b> ist bestellt.</p>") {
			t.Errorf("staff do not see the staff-only entry's HTML")
		}
		if a := rita.get(ticketPath(r.Ticket)); a.status != http.StatusOK || strings.Contains(a.body, "Toner") ||
			strings.Contains(a.body, `id="e`+strconv.FormatInt(r2.Entry, 10)+`"`) {
			t.Errorf("the requester sees the staff-only entry (status %d)", a.status)
		}
	})
}

func ticketPath(number int64) string { return "/tickets/" + strconv.FormatInt(number, 10) }

// TestMailHTMLInBrowser: in Chromium, under the page's CSP, the mail's
// inline image loads from the attachment, the formatting shows, and the
// plain text opens on demand.
func TestMailHTMLInBrowser(t *testing.T) {
	t.Parallel()
	browser(t)
	s := queueSiteOn(t, store.SQLite)
	r := s.deliver(t, corpusMail(t, "html-rich-cid-reply.eml"))
	p := signIn(t, &instance{URL: s.srv.URL}, requesterEmail, fixturePassword)
	p.open(ticketPath(r.Ticket))
	eval := func(js string) bool {
		t.Helper()
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return ok
	}
	if !eval(`(() => { const i = document.querySelector(".entry-html img"); return !!i && i.complete && i.naturalWidth > 0 })()`) {
		t.Errorf("the inline image did not load")
	}
	if !eval(`Number(getComputedStyle(document.querySelector(".entry-html b")).fontWeight) >= 600`) {
		t.Errorf("bold text is not bold")
	}
	if got := p.text(".entry-html"); !strings.Contains(got, "Treiber neu installiert") || strings.Contains(got, "GEHEIMVERLAUF") {
		t.Errorf("formatted text: got %q", got)
	}
	if got := p.text(".entry-plain .entry-body"); got != "" {
		t.Errorf("the plain text shows before it is asked for: %q", got)
	}
	p.do(chromedp.Click(chromedp.CSS(".entry-plain summary"), chromedp.NodeVisible))
	if got := p.text(".entry-plain .entry-body"); !strings.Contains(got, "* Treiber neu installiert") {
		t.Errorf("plain text after opening: got %q", got)
	}
}
