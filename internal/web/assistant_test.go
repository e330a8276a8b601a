package web_test

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
	"github.com/servus-desk/servus/internal/web"
)

const adminEmail = "ada.admin@zid.example"

// assistantSite is a site with an admin and a small assistant tree: the
// menu Printing with the leaf Printer broken (room required).
func assistantSite(t *testing.T) (s *site, menu, leaf int64) {
	t.Helper()
	return assistantSiteWith(t, desk.Options{})
}

// assistantSiteWith is assistantSite with desk options (limits).
func assistantSiteWith(t *testing.T, do desk.Options) (s *site, menu, leaf int64) {
	t.Helper()
	s = newSiteWith(t, web.Options{}, do)
	ctx := context.Background()
	if _, err := s.svc.CreateUser(ctx, access.System, desk.NewUser{Email: adminEmail, Name: "Ada Admin", Role: ticket.RoleAdmin,
		Password: fixturePassword, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	admin := s.actor(t, adminEmail)
	m, err := s.svc.CreateAssistantNode(ctx, admin, desk.AssistantInput{TitleDE: "Drucken", TitleEN: "Printing"})
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.svc.CreateAssistantNode(ctx, admin, desk.AssistantInput{ParentID: m.ID, Leaf: true, TitleDE: "Drucker defekt",
		TitleEN: "Printer broken", HelpEN: "For printers of the university.", Queue: "Servicedesk", SubjectTemplate: "Drucker defekt: {room}",
		Fields: []desk.AssistantField{
			{Name: "room", LabelDE: "Raum", LabelEN: "Room", Required: true, Kind: "text"},
			{Name: "inventory", LabelDE: "Inventarnummer", LabelEN: "Inventory number", Kind: "text", HelpEN: "On the sticker."},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return s, m.ID, l.ID
}

func TestAssistantSteps(t *testing.T) {
	s, menu, leaf := assistantSite(t)
	rita := s.signedIn(t, requesterEmail)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	// Step 1: the top, the menu; a missing node is a 404 page.
	if a := rita.get("/tickets/new/assistant"); a.status != 200 || !strings.Contains(a.body, `href="/tickets/new/assistant?node=`+id(menu)+`"`) {
		t.Fatalf("top: %d\n%s", a.status, a.body)
	}
	if a := rita.get("/tickets/new/assistant?node=" + id(menu)); a.status != 200 || !strings.Contains(a.body, "Printer broken") {
		t.Fatalf("menu: %d\n%s", a.status, a.body)
	}
	for _, bad := range []string{"9999", "x"} {
		if a := rita.get("/tickets/new/assistant?node=" + bad); a.status != 404 {
			t.Fatalf("node=%s: got %d, want 404", bad, a.status)
		}
	}
	// Step 2: the leaf's fields.
	a := rita.get("/tickets/new/assistant?node=" + id(leaf))
	if a.status != 200 || !strings.Contains(a.body, `name="f_room"`) || !strings.Contains(a.body, "On the sticker.") {
		t.Fatalf("leaf: %d\n%s", a.status, a.body)
	}
	post := func(step string, leaf string, kv ...string) answer {
		f := url.Values{"step": {step}, "leaf": {leaf}}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return rita.post("/tickets/new/assistant", f)
	}
	// A missing required field: step 2 again, the field marked.
	a = post("review", id(leaf), "f_room", " ", "text", "Paper jam")
	if a.status != 400 || !strings.Contains(a.body, `aria-invalid="true"`) || !strings.Contains(a.body, "Please check: Room") ||
		!strings.Contains(a.body, "Paper jam") {
		t.Fatalf("missing room: %d\n%s", a.status, a.body)
	}
	// Step 3: the review; a queue in the form is ignored.
	a = post("review", id(leaf), "f_room", "3W04", "f_inventory", "4711", "f_queue", "Security", "text", "Paper jam")
	if a.status != 200 || !strings.Contains(a.body, "Drucker defekt: 3W04") || !strings.Contains(a.body, "Inventory number: 4711") ||
		!strings.Contains(a.body, `<dd>Servicedesk</dd>`) || !strings.Contains(a.body, `name="f_room" value="3W04"`) {
		t.Fatalf("review: %d\n%s", a.status, a.body)
	}
	// Tampered hidden fields are checked again.
	for _, tc := range []struct {
		name   string
		answer answer
		status int
	}{
		{"menu as leaf", post("submit", id(menu), "f_room", "3W04"), 400},
		{"unknown leaf", post("submit", "9999", "f_room", "3W04"), 404},
		{"no leaf", post("submit", "abc", "f_room", "3W04"), 404},
		{"room removed", post("submit", id(leaf), "f_room", "", "text", "x"), 400},
		{"unknown step", post("publish", id(leaf), "f_room", "3W04"), 400},
	} {
		if tc.answer.status != tc.status {
			t.Errorf("%s: got %d, want %d", tc.name, tc.answer.status, tc.status)
		}
	}
	if p, err := s.svc.Search(context.Background(), s.actor(t, requesterEmail), ticket.Filter{Page: 1, PerPage: 10}); err != nil || p.Total != 0 {
		t.Fatalf("a refused post made a ticket: %v %v", p, err)
	}
	// Back to edit keeps the values.
	if a := post("edit", id(leaf), "f_room", "3W04", "text", "Paper jam"); a.status != 200 || !strings.Contains(a.body, `value="3W04"`) {
		t.Fatalf("edit: %d\n%s", a.status, a.body)
	}
	// Submit: the ticket, in the leaf's queue.
	a = post("submit", id(leaf), "f_room", "3W04", "f_inventory", "4711", "f_queue", "Security", "text", "Paper jam")
	if a.status != http.StatusSeeOther || !strings.HasPrefix(a.header.Get("Location"), "/tickets/") {
		t.Fatalf("submit: %d %s\n%s", a.status, a.header.Get("Location"), a.body)
	}
	n, _ := strconv.ParseInt(strings.TrimPrefix(a.header.Get("Location"), "/tickets/"), 10, 64)
	tk, err := s.svc.Ticket(context.Background(), s.actor(t, agentEmail), n)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Subject != "Drucker defekt: 3W04" || tk.Channel != ticket.ChannelWeb {
		t.Fatalf("ticket: %+v", tk)
	}
	if page := rita.get(a.header.Get("Location")); !strings.Contains(page.body, "Room: 3W04") || !strings.Contains(page.body, "Paper jam") {
		t.Fatalf("ticket page lacks the fields block:\n%s", page.body)
	}
}

func TestAdminAssistant(t *testing.T) {
	s, menu, leaf := assistantSite(t)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	// Nobody but an admin finds the editor.
	for _, who := range []string{requesterEmail, agentEmail} {
		c := s.signedIn(t, who)
		for _, a := range []answer{
			c.get("/admin/assistant"), c.get("/admin/assistant/" + id(leaf)), c.get("/admin/assistant/new"),
			c.post("/admin/assistant/new", url.Values{"kind": {"menu"}, "title_de": {"X"}, "title_en": {"X"}}),
			c.post("/admin/assistant/"+id(leaf)+"/delete", nil),
			c.post("/admin/assistant/"+id(leaf)+"/move", url.Values{"position": {"0"}}),
		} {
			if a.status != 404 {
				t.Fatalf("%s: got %d, want 404", who, a.status)
			}
		}
	}
	ada := s.signedIn(t, adminEmail)
	if a := ada.get("/admin/assistant"); a.status != 200 || !strings.Contains(a.body, "Printer broken") || !strings.Contains(a.body, "Drucker defekt: {room}") {
		t.Fatalf("tree: %d\n%s", a.status, a.body)
	}
	if a := ada.get("/admin/assistant/" + id(leaf)); a.status != 200 || !strings.Contains(a.body, `value="room"`) {
		t.Fatalf("edit form: %d\n%s", a.status, a.body)
	}
	form := url.Values{"kind": {"leaf"}, "parent": {id(menu)}, "title_de": {"WLAN"}, "title_en": {"Wi-Fi"}, "queue": {"Servicedesk"},
		"subject_template": {"WLAN in {building}"}, "field_count": {"2"},
		"field_name_0": {"room"}, "field_label_de_0": {"Raum"}, "field_label_en_0": {"Room"}, "field_kind_0": {"text"}}
	// A template naming an undefined field is refused, the form kept.
	if a := ada.post("/admin/assistant/new", form); a.status != 400 || !strings.Contains(a.body, `id="subject_template" name="subject_template" type="text" maxlength="200" value="WLAN in {building}" aria-describedby="subject-hint" aria-invalid="true"`) {
		t.Fatalf("bad template: %d\n%s", a.status, a.body)
	}
	form.Set("subject_template", "WLAN in {room}")
	if a := ada.post("/admin/assistant/new", form); a.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", a.status, a.body)
	}
	// A cycle: the menu into its own leaf's place is refused.
	menuForm := url.Values{"kind": {"menu"}, "parent": {id(leaf)}, "title_de": {"Drucken"}, "title_en": {"Printing"}}
	if a := ada.post("/admin/assistant/"+id(menu), menuForm); a.status != 400 {
		t.Fatalf("menu below its leaf: %d", a.status)
	}
	menuForm.Set("parent", "0")
	menuForm.Set("title_en", "Printing & copying")
	if a := ada.post("/admin/assistant/"+id(menu), menuForm); a.status != http.StatusSeeOther {
		t.Fatalf("rename: %d\n%s", a.status, a.body)
	}
	if a := ada.post("/admin/assistant/"+id(leaf)+"/move", url.Values{"parent": {id(menu)}, "position": {"1"}}); a.status != http.StatusSeeOther {
		t.Fatalf("move: %d\n%s", a.status, a.body)
	}
	tree, err := s.svc.AssistantTree(context.Background(), s.actor(t, adminEmail))
	if err != nil {
		t.Fatal(err)
	}
	kids := tree.Children(menu)
	if len(kids) != 2 || kids[0].TitleEN != "Wi-Fi" || kids[1].ID != leaf || tree.Node(menu).TitleEN != "Printing & copying" {
		t.Fatalf("tree after edits: %+v", kids)
	}
	// The editor is in the admin navigation, marked as the current section.
	if a := ada.get("/admin/assistant/" + id(leaf)); !strings.Contains(a.body, `<a href="/admin/assistant" aria-current="page">`) {
		t.Fatalf("admin navigation does not mark the assistant:\n%s", a.body)
	}
	if a := ada.post("/admin/assistant/"+id(menu)+"/delete", nil); a.status != 400 {
		t.Fatalf("delete without confirm: %d", a.status)
	}
	if a := ada.post("/admin/assistant/"+id(menu)+"/delete", url.Values{"confirm": {"yes"}}); a.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", a.status)
	}
	// The menu went with everything in it; the fixture's other menu stays.
	if a := ada.get("/admin/assistant"); strings.Contains(a.body, "Wi-Fi") || strings.Contains(a.body, "Printing &amp; copying") ||
		!strings.Contains(a.body, "Media technology") {
		t.Fatalf("after delete:\n%s", a.body)
	}
}

// postFiles sends a multipart form with files (name → content) in the
// field "files", as the review step's form does.
func (c *client) postFiles(path string, form url.Values, files map[string]string) answer {
	c.t.Helper()
	var body strings.Builder
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, content := range files {
		fw, _ := mw.CreateFormFile("files", name)
		io.WriteString(fw, content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.s.srv.URL+path, strings.NewReader(body.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// TestAssistantNeedsInput: a request must give the free text or at least
// one extra field; the path alone (always in the description) is not a
// request.
func TestAssistantNeedsInput(t *testing.T) {
	s, _, _ := assistantSite(t)
	ctx := context.Background()
	admin := s.actor(t, adminEmail)
	netz, err := s.svc.CreateAssistantNode(ctx, admin, desk.AssistantInput{TitleDE: "Netz", TitleEN: "Network"})
	if err != nil {
		t.Fatal(err)
	}
	vpn, err := s.svc.CreateAssistantNode(ctx, admin, desk.AssistantInput{ParentID: netz.ID, Leaf: true, TitleDE: "VPN", TitleEN: "VPN",
		Queue: "Servicedesk", SubjectTemplate: "VPN", Fields: []desk.AssistantField{
			{Name: "client", LabelDE: "Client", LabelEN: "Client", Kind: "text"},
			{Name: "since", LabelDE: "Seit wann", LabelEN: "Since when", Kind: "text"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := s.svc.CreateAssistantNode(ctx, admin, desk.AssistantInput{ParentID: netz.ID, Leaf: true, TitleDE: "Sonstiges",
		TitleEN: "Other", Queue: "Servicedesk", SubjectTemplate: "Netz"})
	if err != nil {
		t.Fatal(err)
	}
	rita := s.signedIn(t, requesterEmail)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"nothing", url.Values{"step": {"review"}, "leaf": {id(vpn.ID)}, "f_client": {"  "}, "text": {" \r\n "}}, 400,
			`<div class="notice notice-error" role="alert">Please fill in at least one field or describe your request.</div>`},
		{"nothing, submitted", url.Values{"step": {"submit"}, "leaf": {id(vpn.ID)}}, 400, "Please fill in at least one field"},
		{"no fields, no text", url.Values{"step": {"review"}, "leaf": {id(plain.ID)}, "text": {" "}}, 400,
			`<div class="notice notice-error" role="alert">Please describe your request.</div>`},
		{"one field", url.Values{"step": {"review"}, "leaf": {id(vpn.ID)}, "f_since": {"Monday"}}, 200, "Since when: Monday"},
		{"text only", url.Values{"step": {"review"}, "leaf": {id(vpn.ID)}, "text": {"Cannot connect."}}, 200, "Cannot connect."},
		{"back to edit with nothing", url.Values{"step": {"edit"}, "leaf": {id(vpn.ID)}}, 200, `name="f_client"`},
	} {
		a := rita.post("/tickets/new/assistant", tc.form)
		if a.status != tc.status || !strings.Contains(a.body, tc.want) {
			t.Errorf("%s: got %d, want %d with %q\n%s", tc.name, a.status, tc.status, tc.want, a.body)
		}
		_, tag, _ := strings.Cut(a.body, `<textarea id="text"`)
		tag, _, _ = strings.Cut(tag, ">")
		if tc.status == 400 && !strings.Contains(tag, `aria-invalid="true"`) {
			t.Errorf("%s: the text is not marked", tc.name)
		}
	}
	if p, err := s.svc.Search(ctx, s.actor(t, requesterEmail), ticket.Filter{Page: 1, PerPage: 10}); err != nil || p.Total != 0 {
		t.Fatalf("an empty request made a ticket: %v %v", p, err)
	}
	if a := rita.get("/tickets/new/assistant?node=" + id(vpn.ID)); !strings.Contains(a.body, `<p class="hint" id="need-hint">Please fill in at least one field or describe your request.</p>`) {
		t.Fatalf("all-optional leaf does not say what it needs:\n%s", a.body)
	}
}

// TestAssistantFiles: the hints name the size limit in both languages;
// files go with the submit; files posted with "change details" are named
// as not kept.
func TestAssistantFiles(t *testing.T) {
	s, _, leaf := assistantSite(t)
	rita := s.signedIn(t, requesterEmail)
	id := strconv.FormatInt(leaf, 10)
	form := url.Values{"leaf": {id}, "f_room": {"3W04"}, "text": {"Paper jam"}}
	step := func(name string) url.Values {
		f := url.Values{"step": {name}}
		for k, v := range form {
			f[k] = v
		}
		return f
	}
	if a := rita.get("/tickets/new/assistant?node=" + id); !strings.Contains(a.body, "You attach files (up to 25\u00a0MB each) in the last step") {
		t.Fatalf("details step does not name the limit:\n%s", a.body)
	}
	a := rita.post("/tickets/new/assistant", step("review"))
	if !strings.Contains(a.body, "Up to 25\u00a0MB per file.") || !strings.Contains(a.body, `<form method="post" action="/tickets/new/assistant" enctype="multipart/form-data" class="form" data-dropzone>`) {
		t.Fatalf("review lacks the limit or the drop zone:\n%s", a.body)
	}
	// Back to the details with a file chosen: the page says it was not kept.
	a = rita.postFiles("/tickets/new/assistant", step("edit"), map[string]string{"screen.png": "png"})
	if a.status != 200 || !strings.Contains(a.body, "These files were not kept: screen.png.") || !strings.Contains(a.body, `value="3W04"`) {
		t.Fatalf("edit with a file: %d\n%s", a.status, a.body)
	}
	if a := rita.post("/tickets/new/assistant", step("edit")); strings.Contains(a.body, "not kept") {
		t.Fatalf("edit without files warns:\n%s", a.body)
	}
	// German.
	if a := rita.post("/settings", url.Values{"language": {"de"}, "time_zone": {"Europe/Vienna"}}); a.status != http.StatusSeeOther {
		t.Fatalf("settings: %d", a.status)
	}
	if a := rita.get("/tickets/new/assistant?node=" + id); !strings.Contains(a.body, "Dateien (bis 25\u00a0MB je Datei) hängen Sie im letzten Schritt an") {
		t.Fatalf("German details step does not name the limit:\n%s", a.body)
	}
	if a := rita.post("/tickets/new/assistant", step("review")); !strings.Contains(a.body, "Bis 25\u00a0MB je Datei.") {
		t.Fatalf("German review does not name the limit:\n%s", a.body)
	}
	// Submit with the file: the ticket has it.
	a = rita.postFiles("/tickets/new/assistant", step("submit"), map[string]string{"screen.png": "png"})
	if a.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", a.status, a.body)
	}
	n, _ := strconv.ParseInt(strings.TrimPrefix(a.header.Get("Location"), "/tickets/"), 10, 64)
	if files, err := s.svc.Attachments(context.Background(), s.actor(t, requesterEmail), n); err != nil || len(files) != 1 || files[0].Name != "screen.png" {
		t.Fatalf("attachments: %v %v", files, err)
	}
}

// TestAssistantFileTooLarge: a request whose file is over the limit opens
// no ticket (the ticket and its files are one step): the review page comes
// back with the problem and what was typed, and names the files to choose
// again.
func TestAssistantFileTooLarge(t *testing.T) {
	s, _, leaf := assistantSiteWith(t, desk.Options{MaxAttachment: 1000})
	rita := s.signedIn(t, requesterEmail)
	form := url.Values{"step": {"submit"}, "leaf": {strconv.FormatInt(leaf, 10)}, "f_room": {"3W04"}, "text": {"Paper jam"}}
	a := rita.postFiles("/tickets/new/assistant", form, map[string]string{"big.bin": strings.Repeat("x", 1500)})
	if a.status != http.StatusRequestEntityTooLarge || !strings.Contains(a.body, "Paper jam") || !strings.Contains(a.body, "big.bin") {
		t.Fatalf("file over the limit: got %d, want 413 with the text kept and the file named\n%s", a.status, a.body)
	}
	if p, err := s.svc.Search(context.Background(), s.actor(t, requesterEmail), ticket.Filter{Page: 1, PerPage: 10}); err != nil || p.Total != 0 {
		t.Fatalf("a refused file left %d tickets (%v), want none", p.Total, err)
	}
}

// TestAdminAssistantProblemsOnce: the editor names each field's problem
// once, in the page's language.
func TestAdminAssistantProblemsOnce(t *testing.T) {
	s, menu, _ := assistantSite(t)
	ada := s.signedIn(t, adminEmail)
	form := url.Values{"kind": {"leaf"}, "parent": {strconv.FormatInt(menu, 10)}, "title_de": {"WLAN"}, "title_en": {"Wi-Fi"},
		"field_count": {"1"}, "field_name_0": {"Bad Name"}, "field_label_de_0": {"Raum"}, "field_label_en_0": {"Room"}, "field_kind_0": {"text"}}
	a := ada.post("/admin/assistant/new", form)
	for _, want := range []string{"lower-case letters", "a leaf needs a queue", "must be 1 to 200 characters"} {
		if got := strings.Count(a.body, want); a.status != 400 || got != 1 {
			t.Errorf("English: %q %d times, want once (status %d)", want, got, a.status)
		}
	}
	if a := ada.post("/settings", url.Values{"language": {"de"}, "time_zone": {"Europe/Vienna"}}); a.status != http.StatusSeeOther {
		t.Fatalf("settings: %d", a.status)
	}
	a = ada.post("/admin/assistant/new", form)
	for _, want := range []string{"Kleinbuchstaben, Ziffern und _", "ein Anliegen braucht eine Queue", "muss 1 bis 200 Zeichen lang sein"} {
		if got := strings.Count(a.body, want); got != 1 {
			t.Errorf("German: %q %d times, want once", want, got)
		}
	}
	for _, english := range []string{"lower-case letters", "a leaf needs a queue", "must be 1 to 200"} {
		if strings.Contains(a.body, english) {
			t.Errorf("German page holds the English %q:\n%s", english, a.body)
		}
	}
}

// TestAssistantLinks: a leaf that points to another application is set in
// the admin's editor (http or https only), shown with its text and a link
// there, and makes no ticket, not even from a forged post.
func TestAssistantLinks(t *testing.T) {
	s, menu, _ := assistantSite(t)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	ada := s.signedIn(t, adminEmail)
	form := url.Values{"kind": {"leaf"}, "parent": {id(menu)}, "title_de": {"Software bestellen"}, "title_en": {"Order software"},
		"help_en": {"Software is ordered in the software shop."}, "link_url": {"javascript:alert(1)"}}
	if a := ada.post("/admin/assistant/new", form); a.status != 400 || !strings.Contains(a.body, `name="link_url"`) ||
		!strings.Contains(a.body, `aria-describedby="link-hint" aria-invalid="true"`) {
		t.Fatalf("javascript link: %d\n%s", a.status, a.body)
	}
	form.Set("link_url", "https://software.example.org/shop")
	form.Set("queue", "Servicedesk")
	if a := ada.post("/admin/assistant/new", form); a.status != 400 {
		t.Fatalf("queue and link: got %d, want 400", a.status)
	}
	form.Del("queue")
	if a := ada.post("/admin/assistant/new", form); a.status != http.StatusSeeOther {
		t.Fatalf("link leaf: got %d\n%s", a.status, a.body)
	}
	tree, err := s.svc.AssistantTree(context.Background(), s.actor(t, adminEmail))
	if err != nil {
		t.Fatal(err)
	}
	var leaf int64
	for _, c := range tree.Children(menu) {
		if c.LinkURL != "" {
			leaf = c.ID
		}
	}
	if leaf == 0 {
		t.Fatal("no link leaf stored")
	}
	if a := ada.get("/admin/assistant/" + id(leaf)); a.status != 200 || !strings.Contains(a.body, `value="https://software.example.org/shop"`) {
		t.Fatalf("edit form: %d\n%s", a.status, a.body)
	}

	rita := s.signedIn(t, requesterEmail)
	if a := rita.get("/tickets/new/assistant?node=" + id(menu)); a.status != 200 || !strings.Contains(a.body, "Order software") {
		t.Fatalf("menu: %d\n%s", a.status, a.body)
	}
	a := rita.get("/tickets/new/assistant?node=" + id(leaf))
	if a.status != 200 || !strings.Contains(a.body, `href="https://software.example.org/shop" target="_blank" rel="noopener noreferrer"`) ||
		!strings.Contains(a.body, "Software is ordered in the software shop.") || strings.Contains(a.body, `name="step"`) {
		t.Fatalf("link leaf: %d\n%s", a.status, a.body)
	}
	for _, step := range []string{"review", "submit"} {
		if a := rita.post("/tickets/new/assistant", url.Values{"step": {step}, "leaf": {id(leaf)}, "text": {"Office please"}}); a.status != 400 {
			t.Fatalf("forged %s: got %d, want 400\n%s", step, a.status, a.body)
		}
	}
	if p, err := s.svc.Search(context.Background(), s.actor(t, requesterEmail), ticket.Filter{Page: 1, PerPage: 10}); err != nil || p.Total != 0 {
		t.Fatalf("tickets after forged posts: %v, %v", p, err)
	}

	// Clearing the link and naming a queue makes it an ordinary leaf again.
	form.Set("link_url", "")
	form.Set("queue", "Servicedesk")
	form.Set("subject_template", "Software")
	if a := ada.post("/admin/assistant/"+id(leaf), form); a.status != http.StatusSeeOther {
		t.Fatalf("clear link: %d\n%s", a.status, a.body)
	}
	if a := rita.get("/tickets/new/assistant?node=" + id(leaf)); a.status != 200 || !strings.Contains(a.body, `name="step"`) ||
		strings.Contains(a.body, "software.example.org") {
		t.Fatalf("cleared: %d\n%s", a.status, a.body)
	}
}
