package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/demo"
	"github.com/servus-desk/servus/internal/store"
)

// TestAssistantBrowser: on the demo, a requester (German) goes from the
// dashboard through the assistant (Drucken → Drucker defekt → Campus
// Innrain), fills the fields, reviews and creates the ticket; an admin
// sees the tree editor. Takes the screenshots assistant.png,
// assistant-review.png and assistant-admin.png (see screenshotDir).
func TestAssistantBrowser(t *testing.T) {
	t.Parallel()
	browser(t)
	in := boot(t, store.SQLite, true)
	maria := signIn(t, in, "maria.huber@uibk.example", demo.Password)

	maria.open("/")
	maria.submit(`.help a[href="/tickets/new/assistant"]`)
	for _, step := range []string{"Drucken", "Drucker defekt", "Campus Innrain"} {
		if b := maria.body(); !strings.Contains(b, step) {
			t.Fatalf("assistant lacks %q:\n%s", step, b)
		}
		maria.clickLink(step)
	}
	if got := maria.text(".crumbs"); !strings.Contains(got, "Drucken") || !strings.Contains(got, "Campus Innrain") {
		t.Fatalf("breadcrumbs: %q", got)
	}
	maria.do(chromedp.SetValue(chromedp.ID("f_room"), "5W02"),
		chromedp.SetValue(chromedp.ID("f_inventory"), "UIBK-004711"),
		chromedp.SetValue(chromedp.ID("f_symptom"), "Papierstau, Anzeige blinkt rot."),
		chromedp.SetValue(chromedp.ID("text"), "Der Drucker im Gang druckt seit heute Morgen nicht mehr."))
	maria.screenshot("assistant")
	maria.submit(`button[name=step][value=review]`)
	if got := maria.text(".review-subject"); got != "Drucker defekt: 5W02" {
		t.Fatalf("review subject: %q\n%s", got, maria.body())
	}
	if b := maria.text(".review"); !strings.Contains(b, "Vorort-Service Innrain") || !strings.Contains(b, "Inventarnummer: UIBK-004711") {
		t.Fatalf("review:\n%s", b)
	}
	maria.screenshot("assistant-review")
	// A pasted screenshot and a dropped file land in the review's file
	// input (app.js, form[data-dropzone]) and go with the ticket.
	files, err := chromedp.Run(maria.ctx, chromedp.Evaluate[string](`(() => {
		const form = document.querySelector("form[data-dropzone]"), input = form.querySelector("input[type=file]");
		const pasted = new DataTransfer();
		pasted.items.add(new File(["png"], "bildschirm.png", {type: "image/png"}));
		form.dispatchEvent(new ClipboardEvent("paste", {clipboardData: pasted, bubbles: true, cancelable: true}));
		const dropped = new DataTransfer();
		dropped.items.add(new File(["log"], "fehler.txt", {type: "text/plain"}));
		input.dispatchEvent(new DragEvent("drop", {dataTransfer: dropped, bubbles: true, cancelable: true}));
		return Array.from(input.files, f => f.name).join(",");
	})()`))
	if err != nil || files != "bildschirm.png,fehler.txt" {
		t.Fatalf("file input after paste and drop: %q (%v)", files, err)
	}
	maria.submit(`button[name=step][value=submit]`)
	if loc := maria.location(); !strings.Contains(loc, "/tickets/") || strings.Contains(loc, "assistant") {
		t.Fatalf("after submit at %s:\n%s", loc, maria.body())
	}
	if b := maria.body(); !strings.Contains(b, "Drucker defekt: 5W02") || !strings.Contains(b, "Raum: 5W02") || maria.ticketState() != "Neu" ||
		!strings.Contains(b, "bildschirm.png") || !strings.Contains(b, "fehler.txt") {
		t.Fatalf("ticket page (state %q):\n%s", maria.ticketState(), b)
	}

	// Only the admin finds the editor.
	maria.open("/admin/assistant")
	if got := maria.text(".error-code"); got != "404" {
		t.Fatalf("requester on /admin/assistant: %q", got)
	}
	admin := signIn(t, in, "gerhard.kogler@zid.example.org", demo.Password)
	admin.open("/admin/assistant")
	if b := admin.body(); !strings.Contains(b, "Moodle-Kurs anlegen") {
		t.Fatalf("admin tree:\n%s", b)
	}
	admin.screenshot("assistant-admin")
}

// clickLink follows the link whose text starts with text in main.
func (p *person) clickLink(text string) {
	p.t.Helper()
	href, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(Array.from(document.querySelectorAll("main a")).find(a => a.innerText.trim().startsWith(`+jsString(text)+`))||{}).href||""`))
	if err != nil || href == "" {
		p.t.Fatalf("no link %q (%v):\n%s", text, err, p.body())
	}
	p.do(chromedp.Navigate(href))
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
