package intake_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestLMTPLongLines: lines longer than the 998 characters RFC 5322 allows
// (an unfolded header of a few thousand characters, a body without line
// breaks) are real-world mail: each is taken with 250 and becomes a
// ticket, never answered with a temporary error that makes the mail server
// retry for days.
func TestLMTPLongLines(t *testing.T) {
	refs := strings.Repeat("<a-long-reference-id.0123456789@mail.example.org> ", 60) // one line of ~3,000 characters
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			svc := newDesk(t, d)
			addr := startLMTP(t, svc)
			cases := []struct{ name, raw string }{
				{"References header of 3,000 characters", "From: Dora <dora@example.org>\r\nTo: servicedesk@example.org\r\n" +
					"Subject: Lange Referenzen\r\nMessage-ID: <long1@dora>\r\nReferences: " + refs + "\r\n" +
					"Content-Type: text/plain; charset=utf-8\r\n\r\nDrucker kaputt.\r\n"},
				{"Subject of 2,500 characters", mailText("dora@example.org", "servicedesk@example.org",
					"Betreff "+strings.Repeat("sehr lang ", 250), "long2@dora", "", "Noch ein Problem.")},
				{"X- header of 100,000 characters", "From: dora@example.org\r\nTo: servicedesk@example.org\r\nSubject: Riesiger Header\r\n" +
					"Message-ID: <long3@dora>\r\nX-Spam-Report: " + strings.Repeat("x", 100_000) + "\r\n\r\nDrittes Problem.\r\n"},
				{"HTML body in one line of 200,000 characters", "From: dora@example.org\r\nTo: servicedesk@example.org\r\n" +
					"Subject: HTML in einer Zeile\r\nMessage-ID: <long4@dora>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Viertes Problem.</p>" +
					strings.Repeat("<span>x</span>", 14_000) + "\r\n"},
			}
			for i, tc := range cases {
				codes := lmtpSend(t, addr, "dora@example.org", []string{"servicedesk@example.org"}, tc.raw)
				if codes["servicedesk@example.org"] != 250 {
					t.Errorf("%s: got reply %v, want 250", tc.name, codes)
				}
				if n := must(svc.Search(ctx, access.System, ticket.Filter{})).Total; n != i+1 {
					t.Errorf("%s: got %d tickets, want %d", tc.name, n, i+1)
				}
			}
			if failed := must(svc.FailedMail(ctx, access.System, 1, 100)); failed.Total != 0 {
				t.Errorf("got %d failed mails, want none: %s", failed.Total, fmt.Sprint(failed.Items))
			}
		})
	}
}
