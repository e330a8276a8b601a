package desk_test

import (
	"testing"

	"github.com/servus-desk/servus/internal/desk"
)

// TestMailNoReceiptWhenSuppressed: a mail that asks for no automatic answer
// (a mailing list, X-Auto-Response-Suppress) still opens a ticket and tells
// the queue, but its sender gets no receipt, so no mail loop can start; an
// ordinary mail gets its receipt.
func TestMailNoReceiptWhenSuppressed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		created := func(number int64) map[string]int {
			got := map[string]int{}
			for _, n := range notifications(t, w) {
				if n.TicketNumber == number && n.Event == desk.NotifyCreated {
					got[n.Recipient]++
				}
			}
			return got
		}
		for _, tc := range []struct {
			name    string
			extra   []string
			receipt bool
		}{
			{"list", []string{"List-Id: <it-announce.lists.example.org>", "List-Unsubscribe: <mailto:leave@lists.example.org>"}, false},
			{"suppress", []string{"X-Auto-Response-Suppress: All"}, false},
			{"ordinary", nil, true},
		} {
			from := "sender-" + tc.name + "@example.org"
			r := receive(t, w, testMail{From: from, To: "servicedesk@example.org", Subject: "Wartung " + tc.name,
				MessageID: tc.name + "@lists.example.org", Body: "Am Samstag ist das Netz aus.", Extra: tc.extra}.raw(), "")
			wantOutcome(t, r, desk.OutcomeCreated)
			got := created(r.Ticket)
			if got["anna@example.org"] != 1 {
				t.Errorf("%s: queue member anna got %d created notifications, want 1 (all: %v)", tc.name, got["anna@example.org"], got)
			}
			want := 0
			if tc.receipt {
				want = 1
			}
			if got[from] != want {
				t.Errorf("%s: sender got %d receipts, want %d (all: %v)", tc.name, got[from], want, got)
			}
		}
	})
}
