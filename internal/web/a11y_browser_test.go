package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/servus-desk/servus/internal/desk"
)

// TestPhoneLayout: at 390 pixels no page scrolls sideways (wide tables
// scroll inside their box), and a result list fits its card.
func TestPhoneLayout(t *testing.T) {
	t.Parallel()
	browser(t)
	ctx := context.Background()
	s := newMailSite(t)
	for i := range 30 {
		s.ticket(t, requesterEmail, "Servicedesk", "Drucker im 2. Stock druckt nur leere Seiten, Nummer "+strconv.Itoa(i))
	}
	if _, err := s.svc.Receive(ctx, []byte(senderlessMail), desk.ChannelLMTP, ""); err != nil {
		t.Fatal(err)
	}
	withAdmin(t, s)
	sd := ""
	qs, err := s.svc.Queues(ctx, s.actor(t, deskAdminEmail))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if q.Name == "Servicedesk" {
			sd = strconv.FormatInt(q.ID, 10)
		}
	}
	p := signIn(t, &instance{URL: s.srv.URL}, deskAdminEmail, fixturePassword)
	p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, path := range []string{"/admin/queues", "/admin/queues/" + sd, "/admin/outbox", "/admin/mail/failed", "/admin/users",
		"/admin/settings", "/search", "/", "/settings", "/tickets/new"} {
		p.open(path)
		got, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct{ Width, Tables int }](
			`({Width: document.documentElement.scrollWidth, Tables: document.querySelectorAll("table").length})`))
		if err != nil {
			t.Fatal(err)
		}
		if got.Width > 390 {
			t.Errorf("%s: the page is %d pixels wide at 390", path, got.Width)
		}
		if strings.HasPrefix(path, "/admin/") && path != "/admin/settings" && got.Tables == 0 {
			t.Errorf("%s: no table to check", path)
		}
	}
	// The result list fits on a phone and on a small tablet, each result
	// with its number, state and queue below the subject.
	for _, width := range []int64{390, 768} {
		p.do(chromedp.EmulateViewport(width, 1000, chromedp.EmulateMobile))
		p.open("/search")
		fit, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct{ Scroll, Client, Rows int }](`(() => { const w = document.querySelector(".results .table-wrap");
			return {Scroll: w.scrollWidth, Client: w.clientWidth, Rows: w.querySelectorAll("tbody tr").length}; })()`))
		if err != nil {
			t.Fatal(err)
		}
		if fit.Rows == 0 || fit.Scroll > fit.Client {
			t.Errorf("results at %d: %d rows %d pixels wide in a %d pixel card, want them to fit", width, fit.Rows, fit.Scroll, fit.Client)
		}
		if meta := p.text(".results tbody tr .rt-meta"); !strings.Contains(meta, "#") || !strings.Contains(meta, "Servicedesk") {
			t.Errorf("a result at %d shows %q below its subject, want its number, state and queue", width, meta)
		}
	}
}

// TestDropzone: pasting text copied from Word or Excel (which carries a
// picture too) into a text field pastes the text and attaches nothing; a
// pasted screenshot is attached and its name announced; leaving the form
// while dragging removes the outline however the pointer crossed it.
func TestDropzone(t *testing.T) {
	t.Parallel()
	browser(t)
	s := newMailSite(t)
	withAdmin(t, s)
	p := signIn(t, &instance{URL: s.srv.URL}, deskAdminEmail, fixturePassword)
	p.open("/tickets/new")
	type result struct {
		WordPrevented, ShotPrevented   bool
		WordFiles, ShotFiles           int
		Status, Role                   string
		StuckAfterChild, StuckAfterAll bool
	}
	js := `(() => {
		const form = document.querySelector("form[data-dropzone]"), input = form.querySelector("input[type=file]");
		const area = form.querySelector("textarea");
		const picture = () => new File(["png"], "bild.png", {type: "image/png"});
		const paste = (target, text) => {
			const dt = new DataTransfer();
			dt.items.add(picture());
			if (text) dt.setData("text/plain", text);
			const e = new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true});
			target.dispatchEvent(e);
			return e.defaultPrevented;
		};
		const out = {};
		out.WordPrevented = paste(area, "Zeile 1\tZeile 2");
		out.WordFiles = input.files.length;
		out.ShotPrevented = paste(area, "");
		out.ShotFiles = input.files.length;
		const status = form.querySelector(".files-status");
		out.Status = status ? status.textContent : "";
		out.Role = status ? status.getAttribute("role") : "";
		const drag = (type, target) => {
			const dt = new DataTransfer();
			dt.items.add(picture());
			target.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
		};
		drag("dragenter", form); drag("dragenter", area); drag("dragleave", form);
		out.StuckAfterChild = form.classList.contains("dragging");
		drag("dragleave", area);
		out.StuckAfterAll = form.classList.contains("dragging");
		return out;
	})()`
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[result](js))
	if err != nil {
		t.Fatal(err)
	}
	if got.WordPrevented || got.WordFiles != 0 {
		t.Errorf("paste of text with a picture into the description: prevented %v, %d files; want the text pasted and no file", got.WordPrevented, got.WordFiles)
	}
	if !got.ShotPrevented || got.ShotFiles != 1 {
		t.Errorf("paste of a picture alone: prevented %v, %d files; want it attached", got.ShotPrevented, got.ShotFiles)
	}
	if got.Role != "status" || got.Status != "1 file chosen: bild.png" {
		t.Errorf("file status: role %q, text %q; want a status saying \"1 file chosen: bild.png\"", got.Role, got.Status)
	}
	if !got.StuckAfterChild || got.StuckAfterAll {
		t.Errorf("drag outline: %v while over the description, %v after leaving the form; want true, false", got.StuckAfterChild, got.StuckAfterAll)
	}
}
