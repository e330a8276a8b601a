package desk_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store/storetest"
	"github.com/servus-desk/servus/internal/ticket"
)

// BenchmarkReceive measures mail intake end to end (store the raw bytes
// durably, parse, thread, write the ticket or entry, the notifications and
// the Message-ID) in mails per second, for a new ticket from an unknown
// sender and for a requester's reply threaded by In-Reply-To.
//
//	go test -run '^$' -bench Receive -benchtime 3s ./internal/desk
func BenchmarkReceive(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d+"/new-ticket", func(b *testing.B) {
			w := newWorld(b, d)
			r := rand.New(rand.NewPCG(1, 2))
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				raw := testMail{From: fmt.Sprintf("Person %d <p%d@uni.example.org>", i, i), To: "servicedesk@example.org",
					Subject: "Frage " + sentence(r, 5), MessageID: fmt.Sprintf("new-%d@uni.example.org", i),
					Body: "Guten Tag,\n\n" + sentence(r, 60) + "\n\nViele Grüße\nPerson"}.raw()
				if rc, err := w.svc.Receive(ctx, raw, desk.ChannelLMTP, ""); err != nil || rc.Outcome != desk.OutcomeCreated {
					b.Fatalf("%+v %v", rc, err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
		})
		b.Run(d+"/reply", func(b *testing.B) {
			w := newWorld(b, d)
			ctx := context.Background()
			r := rand.New(rand.NewPCG(3, 4))
			var refs []string
			for i := range 50 {
				tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: fmt.Sprintf("Ticket %d", i), Description: sentence(r, 40)}))
				must(w.svc.AddEntry(ctx, w.agentA, tk.Number, desk.NewEntry{Kind: ticket.KindQuestion, Body: "Rückfrage?"}))
				refs = append(refs, sentID(b, w, tk.Number))
			}
			b.ResetTimer()
			for i := range b.N {
				ref := refs[i%len(refs)]
				raw := testMail{From: "Alice <alice@example.org>", To: "servicedesk@example.org", Subject: "AW: Rückfrage",
					MessageID: fmt.Sprintf("reply-%d@example.org", i), InReplyTo: ref, References: "<" + ref + ">",
					Body: sentence(r, 40) + "\n\nViele Grüße\nAlice\n\nVon: IT-Servicedesk <servicedesk@example.org>\nGesendet: Montag, 2. März 2026 10:00\nAn: Alice\nBetreff: Rückfrage\n\n" + sentence(r, 80)}.raw()
				if rc, err := w.svc.Receive(ctx, raw, desk.ChannelLMTP, ""); err != nil || rc.Outcome != desk.OutcomeAppended {
					b.Fatalf("%+v %v", rc, err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
		})
	}
}
