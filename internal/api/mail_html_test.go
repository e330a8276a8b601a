package api

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// TestMailHTMLAPI: an entry that came by mail with HTML carries body_html,
// sanitised again, its inline image a cid: reference to the content_id of
// the entry's attachment; both fields are in openapi.json (checked on
// every answer).
func TestMailHTMLAPI(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "mail", "testdata", "html-rich-cid-reply.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, storetest.Open(t, d))
			if _, err := e.svc.CreateQueue(context.Background(), access.System, desk.NewQueue{Name: "Servicedesk", Default: true}); err != nil {
				t.Fatal(err)
			}
			rfc822 := map[string]string{"Content-Type": "message/rfc822"}
			e.run(t, []scenario{
				{name: "the mail makes a ticket", method: "POST", path: "/api/v1/mail", as: "admin", header: rfc822, body: raw,
					status: http.StatusOK, want: map[string]any{"outcome": "created", "ticket": 1.0}},
				{name: "its attachment keeps the Content-ID", method: "GET", path: "/api/v1/tickets/1/attachments", as: "admin", status: http.StatusOK,
					want: map[string]any{"items.#": 1.0, "items.0.content_id": "screenshot.png@rita.uni", "items.0.content_type": "image/png"}},
				{name: "its entry has body_html", method: "GET", path: "/api/v1/tickets/1/entries", as: "admin", status: http.StatusOK,
					check: func(t *testing.T, _ *env, _ *http.Response, body []byte) {
						var got struct {
							Items []struct {
								BodyHTML string `json:"body_html"`
							}
						}
						if err := json.Unmarshal(body, &got); err != nil || len(got.Items) == 0 {
							t.Fatalf("entries: %v %s", err, body)
						}
						h := got.Items[0].BodyHTML
						for _, want := range []string{"<b>nicht mehr</b>", `<img src="cid:screenshot.png@rita.uni"`, `rel="nofollow noreferrer noopener" target="_blank"`} {
							if !strings.Contains(h, want) {
								t.Errorf("body_html lacks %s: %s", want, h)
							}
						}
						if strings.Contains(h, "GEHEIMVERLAUF") || strings.Contains(h, "style=") {
							t.Errorf("body_html: %s", h)
						}
					}},
			})
		})
	}
}
