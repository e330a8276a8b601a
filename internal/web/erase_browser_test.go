package web_test

import (
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/demo"
	"github.com/servus-desk/servus/internal/store"
)

// TestEraseInBrowser: in Chromium, on the demo, the admin finds a
// requester, opens "erase" from their page, reads on the confirmation page
// what will happen, confirms, and the person can no longer be found.
func TestEraseInBrowser(t *testing.T) {
	t.Parallel()
	browser(t)
	in := boot(t, store.SQLite, true)
	admin := signIn(t, in, "gerhard.kogler@zid.example.org", demo.Password)
	admin.open("/admin/users?q=maria.huber")
	admin.submit(`.admin-table a[href^="/admin/users/"]`)
	page := admin.location()
	admin.submit(`a[href$="/erase"]`)
	if loc := admin.location(); loc != page+"/erase" {
		t.Fatalf("the erase button leads to %s, want %s/erase", loc, page)
	}
	body := admin.body()
	for _, want := range []string{"anonymisiert", "API-Tokens", "neutralen Kennung", "nicht rückgängig"} {
		if !strings.Contains(body, want) {
			t.Fatalf("the confirmation page lacks %q:\n%s", want, body)
		}
	}
	admin.submit(`form[action$="/erase"] button.danger`)
	if h := admin.text("h1"); !strings.Contains(h, "Die Daten sind gelöscht") {
		t.Fatalf("after confirming: %q\n%s", h, admin.body())
	}
	admin.open("/admin/users?q=maria.huber")
	if body := admin.text("main"); strings.Contains(body, "maria.huber") {
		t.Fatalf("the erased person is still listed:\n%s", body)
	}
}
