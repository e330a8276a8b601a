package delivery_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/delivery"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestStaffDigestMail: replies that come while the queue member's window
// runs reach them as one digest mail naming each reply under who wrote it.
func TestStaffDigestMail(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d := startSMTPD(t, nil)
			f := newFixture(t, dialect, d, desk.MailOptions{})
			tk := must(f.svc.CreateTicket(ctx, f.alice, desk.NewTicket{Queue: "Servicedesk", Subject: "Flut", Description: "Es geht los"}))
			f.round(t)
			d.wait(2) // alice's receipt, anna's new ticket
			for i := 1; i <= 5; i++ {
				f.clock.Add(10 * time.Second)
				must(f.svc.AddEntry(ctx, f.alice, tk.Number, desk.NewEntry{Kind: ticket.KindAnswer, Body: fmt.Sprintf("Nachtrag %d", i)}))
				f.round(t)
			}
			d.none()
			f.clock.Add(5 * time.Minute)
			f.round(t)
			got := byRecipient(t, d.wait(1))
			anna, ok := got["anna@example.org"]
			if !ok {
				t.Fatalf("digest went to %v, want anna", got)
			}
			contains(t, "digest", anna.Text, fmt.Sprintf("5 new entries on #%d", tk.Number), "Alice Requester wrote:",
				"Nachtrag 1", "Nachtrag 2", "Nachtrag 3", "Nachtrag 4", "Nachtrag 5", delivery.Marker)
			d.none()
		})
	}
}
