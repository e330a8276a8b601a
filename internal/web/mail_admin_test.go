package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/auth"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/web"
)

// newMailSite is newSite with notifications on.
func newMailSite(t *testing.T) *site {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	seedFixture(t, db)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cheap := auth.CheapParams()
	svc := desk.New(db, blobs, desk.Options{PasswordParams: &cheap})
	h, err := web.New(svc, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{srv: srv, svc: svc}
}

// permanentErr is an SMTP answer that says trying again is no use.
type permanentErr struct{}

func (permanentErr) Error() string   { return "550 5.1.1 <rita@uni.example>: mailbox unknown" }
func (permanentErr) Permanent() bool { return true }

var retryForm = regexp.MustCompile(`action="/admin/outbox/(\d+)/retry"`)

func TestAdminOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newMailSite(t)
	s.ticket(t, requesterEmail, "Servicedesk", "Beamer in HS 1")
	ms, err := s.svc.ClaimMail(ctx, time.Minute, 10)
	if err != nil || len(ms) == 0 {
		t.Fatalf("claim: %d, %v", len(ms), err)
	}
	for _, m := range ms {
		if err := s.svc.FinishMail(ctx, m.ID, permanentErr{}); err != nil {
			t.Fatal(err)
		}
	}
	admin := withAdmin(t, s)
	a := admin.get("/admin/outbox?state=failed")
	ids := retryForm.FindAllStringSubmatch(a.body, -1)
	if a.status != http.StatusOK || len(ids) != len(ms) || !strings.Contains(a.body, "mailbox unknown") || !strings.Contains(a.body, requesterEmail) {
		t.Fatalf("failed outbox: %d, %d retry buttons\n%s", a.status, len(ids), a.body)
	}
	if a := admin.get("/admin/outbox?state=sent"); !strings.Contains(a.body, "No mail in this view.") {
		t.Fatalf("sent view:\n%s", a.body)
	}
	a = admin.post("/admin/outbox/"+ids[0][1]+"/retry", url.Values{"state": {"failed"}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/admin/outbox?state=failed" {
		t.Fatalf("retry: %d to %q\n%s", a.status, a.header.Get("Location"), a.body)
	}
	p, err := s.svc.Outbox(ctx, access.System, "pending", 1, 50)
	if err != nil || p.Total != 1 {
		t.Fatalf("pending after retry: %+v %v", p, err)
	}
	if a := admin.get("/admin/outbox?state=pending"); !strings.Contains(a.body, "delivered again") || !strings.Contains(a.body, "next attempt") {
		t.Fatalf("pending view after retry:\n%s", a.body)
	}
	if a := admin.post("/admin/outbox/99999/retry", nil); a.status != http.StatusNotFound {
		t.Fatalf("retry of nothing: %d", a.status)
	}
	if a := admin.post("/admin/outbox/"+ids[0][1]+"/retry", nil, "Sec-Fetch-Site", "cross-site"); a.status != http.StatusForbidden {
		t.Fatalf("cross-site retry: %d", a.status)
	}
}

const senderlessMail = "To: servicedesk@zid.example\r\nSubject: Who am I\r\nMessage-ID: <nobody-1@example.org>\r\n\r\nNo sender here.\r\n"

var emlLink = regexp.MustCompile(`href="/admin/mail/(\d+)/eml"`)

func TestAdminFailedMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newMailSite(t)
	rc, err := s.svc.Receive(ctx, []byte(senderlessMail), "api", "")
	if err != nil || rc.Outcome != "failed" {
		t.Fatalf("receive: %+v %v", rc, err)
	}
	admin := withAdmin(t, s)
	a := admin.get("/admin/mail/failed")
	m := emlLink.FindStringSubmatch(a.body)
	if a.status != http.StatusOK || m == nil || !strings.Contains(a.body, "Who am I") || !strings.Contains(a.body, `action="/admin/mail/failed/`+m[1]+`/retry"`) {
		t.Fatalf("failed mail page: %d\n%s", a.status, a.body)
	}
	eml := admin.get("/admin/mail/" + m[1] + "/eml")
	if eml.status != http.StatusOK || eml.body != senderlessMail || eml.header.Get("Content-Type") != "message/rfc822" ||
		!strings.HasPrefix(eml.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("eml: %d %v\n%q", eml.status, eml.header, eml.body)
	}
	a = admin.post("/admin/mail/failed/"+m[1]+"/retry", nil)
	if a.status != http.StatusSeeOther {
		t.Fatalf("retry: %d\n%s", a.status, a.body)
	}
	if a := admin.get("/admin/mail/failed"); !strings.Contains(a.body, "failed again") || !strings.Contains(a.body, "Who am I") {
		t.Fatalf("after a retry that fails again:\n%s", a.body)
	}
	if a := admin.get("/admin/mail/99999/eml"); a.status != http.StatusNotFound {
		t.Fatalf("eml of nothing: %d", a.status)
	}
}
