package web

import (
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/i18n"
)

// TestResetProblemKeys: every reason desk gives for refusing a reset link
// has the heading resetProblem names by value.
func TestResetProblemKeys(t *testing.T) {
	for _, reason := range []string{desk.ResetLinkUnknown, desk.ResetLinkUsed, desk.ResetLinkRevoked, desk.ResetLinkExpired} {
		if key := "pwreset." + reason + "_heading"; !i18n.Has(key) {
			t.Errorf("no text %s", key)
		}
	}
}
