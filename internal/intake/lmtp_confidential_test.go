package intake_test

import (
	"context"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestLMTPConfidentialRecipientWins: one mail to the service desk and to
// a confidential-by-default queue (Security) makes one ticket, in the
// confidential queue and confidential, whatever the order of the
// recipients and whether Security is named in the header or only in the
// envelope (Bcc).
func TestLMTPConfidentialRecipientWins(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			svc := newDesk(t, d)
			must(svc.CreateQueue(ctx, access.System, desk.NewQueue{Name: "Security", Address: "security@example.org", Confidential: true}))
			addr := startLMTP(t, svc)
			for i, tc := range []struct {
				name, to string
				rcpts    []string
			}{
				{"Bcc, desk first", "servicedesk@example.org", []string{"servicedesk@example.org", "security@example.org"}},
				{"Bcc, security first", "servicedesk@example.org", []string{"security@example.org", "servicedesk@example.org"}},
				{"both in To, three queues", "servicedesk@example.org, innet-admin@example.org, security@example.org",
					[]string{"servicedesk@example.org", "innet-admin@example.org", "security@example.org"}},
			} {
				msgID := "leak" + string(rune('a'+i)) + "@eve"
				codes := lmtpSend(t, addr, "eve@example.org", tc.rcpts,
					mailText("Eve <eve@example.org>", tc.to, "Passwort von Prof. X im Klartext", msgID, "", "Siehe Anhang."))
				for _, r := range tc.rcpts {
					if codes[r] != 250 {
						t.Fatalf("%s: got replies %v, want 250 for every recipient", tc.name, codes)
					}
				}
				page := must(svc.Search(ctx, access.System, ticket.Filter{Requester: "eve@example.org"}))
				if page.Total != i+1 {
					t.Fatalf("%s: got %d tickets, want %d (one per mail)", tc.name, page.Total, i+1)
				}
				var got *ticket.Ticket
				for _, it := range page.Items {
					tk := must(svc.Ticket(ctx, access.System, it.Number))
					if got == nil || tk.Number > got.Number {
						got = tk
					}
				}
				if got.Queue != "Security" || !got.Confidential {
					t.Errorf("%s: got a ticket in %s, confidential %v; want a confidential ticket in Security", tc.name, got.Queue, got.Confidential)
				}
			}
		})
	}
}
