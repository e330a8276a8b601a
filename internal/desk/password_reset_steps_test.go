package desk_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
)

// resetSteps runs one password reset request for email and returns the
// statements it ran, in order, with whitespace squeezed.
func resetSteps(t testing.TB, w *world, email string) []string {
	t.Helper()
	var mu sync.Mutex
	var steps []string
	w.db.TraceStatements(func(q string) {
		mu.Lock()
		steps = append(steps, strings.Join(strings.Fields(q), " "))
		mu.Unlock()
	})
	defer w.db.TraceStatements(nil)
	if err := w.svc.RequestPasswordReset(context.Background(), email, "en"); err != nil {
		t.Fatalf("RequestPasswordReset(%s): %v", email, err)
	}
	return steps
}

// TestPasswordResetSameSteps: a reset request for a known address, an
// unknown one, a disabled account and an account over its hourly links
// runs the very same statements (and writes one audit row each), so the
// answer's timing does not tell which addresses have an account; only the
// known address gets a link.
func TestPasswordResetSameSteps(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, d)
			ctx := context.Background()
			known := resetSteps(t, w, "alice@example.org")
			if n := w.pendingResetMails(t); n != 1 {
				t.Fatalf("known address: %d reset mails, want 1", n)
			}
			disabled := true
			if _, err := w.svc.UpdateUser(ctx, w.admin, "bob@example.org", desk.UserPatch{Disabled: &disabled}); err != nil {
				t.Fatal(err)
			}
			paths := map[string]string{"unknown": "nobody@example.org", "disabled": "bob@example.org"}
			for name, email := range paths {
				if got := resetSteps(t, w, email); strings.Join(got, "\n") != strings.Join(known, "\n") {
					t.Errorf("%s address ran other statements than a known one:\n got %q\nwant %q", name, got, known)
				}
			}
			resetSteps(t, w, "alice@example.org")
			resetSteps(t, w, "alice@example.org")
			if got := resetSteps(t, w, "alice@example.org"); strings.Join(got, "\n") != strings.Join(known, "\n") {
				t.Errorf("account over its hourly links ran other statements:\n got %q\nwant %q", got, known)
			}
			if n := w.pendingResetMails(t); n != 3 {
				t.Errorf("after 4 requests for alice and one each for nobody and bob: %d reset mails, want 3", n)
			}
		})
	}
}

// pendingResetMails counts the reset mails waiting in the outbox.
func (w *world) pendingResetMails(t testing.TB) int {
	t.Helper()
	page, err := w.svc.Outbox(context.Background(), w.admin, "pending", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// BenchmarkPasswordResetRequest shows the two paths of a reset request side
// by side: for an address with an account (a link is stored and mailed)
// and for one without (nothing is sent). They should cost the same.
func BenchmarkPasswordResetRequest(b *testing.B) {
	for _, d := range storetest.Dialects {
		for _, who := range []struct{ name, email string }{{"known", "alice@example.org"}, {"unknown", "nobody@example.org"}} {
			b.Run(d+"/"+who.name, func(b *testing.B) {
				w := newWorld(b, d)
				ctx := context.Background()
				for b.Loop() {
					w.clock.Add(21 * time.Minute) // at most 3 links an hour: every known request sends
					if err := w.svc.RequestPasswordReset(ctx, who.email, "en"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
