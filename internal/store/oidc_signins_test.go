package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestOIDCSignIns: a sign-in under way is taken once with its secrets;
// taken again, unknown, or expired it is not found; the sweep removes
// the expired ones only.
func TestOIDCSignIns(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Open(t, d)
			now := time.Now().UTC().Truncate(time.Millisecond)
			err := db.Write(ctx, func(tx *store.Tx) error {
				for _, s := range []*store.OIDCSignIn{
					{State: "s1", Nonce: "n1", Verifier: "v1", Next: "/tickets/new", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)},
					{State: "s2", Nonce: "n2", Verifier: "v2", Next: "/", CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(-time.Minute)},
					{State: "s3", Nonce: "n3", Verifier: "v3", Next: "/", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)},
				} {
					if err := tx.InsertOIDCSignIn(ctx, s); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			take := func(state string) (*store.OIDCSignIn, error) {
				var s *store.OIDCSignIn
				err := db.Write(ctx, func(tx *store.Tx) error {
					var err error
					s, err = tx.TakeOIDCSignIn(ctx, state, now)
					return err
				})
				return s, err
			}
			s, err := take("s1")
			if err != nil || s.Nonce != "n1" || s.Verifier != "v1" || s.Next != "/tickets/new" || !s.ExpiresAt.Equal(now.Add(10*time.Minute)) {
				t.Fatalf("s1: got %+v, %v", s, err)
			}
			for _, state := range []string{"s1", "s2", "nope"} { // taken, expired, unknown
				if _, err := take(state); ticket.ErrorCode(err) != ticket.ENOTFOUND {
					t.Errorf("%s: got %v, want ENOTFOUND", state, err)
				}
			}
			var swept int64
			if err := db.Write(ctx, func(tx *store.Tx) error {
				var err error
				swept, err = tx.DeleteExpiredOIDCSignIns(ctx, now)
				return err
			}); err != nil || swept != 1 { // the refused taking of s2 was rolled back
				t.Errorf("sweep: %d, %v; want 1 (s2)", swept, err)
			}
			if err := db.Write(ctx, func(tx *store.Tx) error {
				var err error
				swept, err = tx.DeleteExpiredOIDCSignIns(ctx, now.Add(11*time.Minute))
				return err
			}); err != nil || swept != 1 {
				t.Errorf("sweep later: %d, %v; want 1 (s3)", swept, err)
			}
		})
	}
}
