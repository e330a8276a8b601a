package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/web"
)

// TestFeedbackBrowser: in Chromium, someone who is not signed in opens the
// feedback link of a resolution mail, picks a rating by its label (every
// radio button has one, the group a legend), writes a comment and sends
// it; the page thanks them, and the link then says it was used. Takes the
// screenshot feedback.png (see screenshotDir).
func TestFeedbackBrowser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newResetSite(t, store.SQLite, web.Options{})
	tk := s.ticket(t, requesterEmail, "Servicedesk", "Beamer im HS A flackert")
	if _, err := s.svc.Act(ctx, s.actor(t, agentEmail), tk.Number, desk.Action{Name: "resolve"}); err != nil {
		t.Fatal(err)
	}
	ms, err := s.svc.ClaimMail(ctx, time.Minute, 20)
	if err != nil {
		t.Fatal(err)
	}
	token := ""
	for _, m := range ms {
		if m.Event == desk.NotifyResolved && m.Feedback != nil {
			token = m.Feedback.Token
		}
	}
	if token == "" {
		t.Fatal("no resolution mail with a feedback link")
	}

	bctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	bctx, cancelT := context.WithTimeout(bctx, 2*time.Minute)
	t.Cleanup(cancelT)
	p := &person{t: t, ctx: bctx, base: s.srv.URL}
	p.do(chromedp.EmulateViewport(1280, 900))
	p.open("/feedback/" + token + "?lang=en")
	if h := p.text("h1"); h != "How satisfied are you?" {
		t.Fatalf("heading %q\n%s", h, p.body())
	}
	if b := p.body(); !strings.Contains(b, "#1") || !strings.Contains(b, "Beamer im HS A flackert") {
		t.Fatalf("page lacks the ticket's number and subject:\n%s", b)
	}
	labelled, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(() => {
		const radios = Array.from(document.querySelectorAll('fieldset.rating input[type=radio][name=rating]'));
		return radios.length === 5 && radios.every(r => r.labels.length === 1 && r.labels[0].innerText.trim() !== "") &&
			document.querySelector('fieldset.rating > legend').innerText.trim() === "Your rating" &&
			document.querySelector('#feedback-comment').labels.length === 1;
	})()`))
	if err != nil || !labelled {
		t.Fatalf("radio group not labelled (%v)", err)
	}
	p.do(chromedp.Click(`fieldset.rating label:nth-of-type(4)`, chromedp.NodeVisible),
		chromedp.SetValue(chromedp.ID("feedback-comment"), "Schnell behoben, danke."))
	checked, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector('input[name=rating]:checked').value`))
	if err != nil || checked != "4" {
		t.Fatalf("checked rating %q (%v)", checked, err)
	}
	p.screenshot("feedback")
	p.submit(`form[action^="/feedback/"] button[type=submit]`)
	if h := p.text("h1"); h != "Thank you!" {
		t.Fatalf("after sending: %q\n%s", h, p.body())
	}
	f, err := s.svc.TicketFeedback(ctx, s.actor(t, agentEmail), tk.Number)
	if err != nil || f == nil || f.Rating != 4 || f.Comment != "Schnell behoben, danke." {
		t.Fatalf("stored rating %+v (%v)", f, err)
	}
	p.open("/feedback/" + token)
	if b := p.body(); !strings.Contains(b, "This link was used to rate already") {
		t.Fatalf("used link:\n%s", b)
	}
}
