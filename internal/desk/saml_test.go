package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestSAMLRequestsAndAssertions: on SQLite and PostgreSQL, an
// authentication request is open with its path until it is answered once
// (a second answer is refused) or it expires; an assertion ID is accepted
// once, and again only after it expired and was swept.
func TestSAMLRequestsAndAssertions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		if err := w.svc.StartSAMLSignIn(ctx, "id-1", "/tickets/7"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.StartSAMLSignIn(ctx, "id-2", "/"); err != nil {
			t.Fatal(err)
		}
		if next, err := w.svc.OpenSAMLRequest(ctx, "id-1"); err != nil || next != "/tickets/7" {
			t.Errorf("open id-1: got %q, %v; want /tickets/7", next, err)
		}
		if _, err := w.svc.OpenSAMLRequest(ctx, "id-unknown"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Errorf("unknown request: got %v, want ENOTFOUND", err)
		}
		if err := w.svc.CloseSAMLRequest(ctx, "id-1"); err != nil {
			t.Fatal(err)
		}
		wantReason(t, w.svc.CloseSAMLRequest(ctx, "id-1"), ticket.ECONFLICT, desk.ReasonSAMLRefused)
		if _, err := w.svc.OpenSAMLRequest(ctx, "id-1"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Errorf("answered request: got %v, want ENOTFOUND", err)
		}

		expires := w.clock.Now().Add(5 * time.Minute)
		if err := w.svc.UseSAMLAssertion(ctx, "a-1", expires); err != nil {
			t.Fatal(err)
		}
		wantReason(t, w.svc.UseSAMLAssertion(ctx, "a-1", expires), ticket.ECONFLICT, desk.ReasonSAMLRefused)

		w.clock.Add(desk.SAMLRequestTTL + time.Minute)
		if _, err := w.svc.OpenSAMLRequest(ctx, "id-2"); ticket.ErrorCode(err) != ticket.ENOTFOUND {
			t.Errorf("expired request: got %v, want ENOTFOUND", err)
		}
		wantReason(t, w.svc.CloseSAMLRequest(ctx, "id-2"), ticket.ECONFLICT, desk.ReasonSAMLRefused)
		if err := w.svc.UseSAMLAssertion(ctx, "a-1", w.clock.Now().Add(time.Minute)); err != nil {
			t.Errorf("an assertion ID after it expired: got %v, want it taken (the IdP's time checks refuse the old one)", err)
		}
	})
}
