package web_test

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/web"
)

// TestLoginAuditRows: a guessing client leaves a session.fail row per
// failure (bounded by the limit) and one session.limited row however
// often it is refused; a good sign-in stays session.start.
func TestLoginAuditRows(t *testing.T) {
	forEachDB(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
		noWait := func(context.Context, time.Duration) error { return nil }
		s, _ := newResetSite(t, dialect, web.Options{TrustedProxies: trusted, Sleep: noWait})
		c := s.client(t)
		const ip = "203.0.113.9"
		for range 30 {
			c.post("/login", url.Values{"email": {agentEmail}, "password": {"guess"}}, "X-Forwarded-For", ip)
		}
		if a := c.post("/login", url.Values{"email": {"ghost@uni.example"}, "password": {"guess"}}, "X-Forwarded-For", ip); a.status != http.StatusUnauthorized {
			t.Fatalf("unknown address: got %d, want 401", a.status)
		}
		rows := func(action string) []*desk.AuditEntry {
			t.Helper()
			p, err := s.svc.AuditLog(ctx, access.System, desk.AuditFilter{Action: action}, 1, 100)
			if err != nil {
				t.Fatal(err)
			}
			return p.Items
		}
		fails := rows("session.fail")
		if len(fails) != 11 {
			t.Fatalf("session.fail: got %d rows, want 11 (10 up to the limit, 1 for the unknown address)", len(fails))
		}
		if want := "ghost@uni.example from " + ip + " (no such account)"; fails[0].Detail != want {
			t.Errorf("newest session.fail: got %q, want %q", fails[0].Detail, want)
		}
		if want := agentEmail + " from " + ip; fails[1].Detail != want {
			t.Errorf("session.fail: got %q, want %q", fails[1].Detail, want)
		}
		if lim := rows("session.limited"); len(lim) != 1 || lim[0].Detail != agentEmail+" from "+ip+" (account from this client)" {
			t.Errorf("session.limited after 20 refusals: got %d rows (%+v), want 1", len(lim), lim)
		}
	})
}
