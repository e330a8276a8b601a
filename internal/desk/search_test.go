package desk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

func TestSearchFilters(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		mk := func(subject, desc string, p ticket.Priority) int64 {
			w.clock.Add(time.Hour)
			return must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: "Servicedesk", Subject: subject, Description: desc, Priority: p})).Number
		}
		n1 := mk("Drucker im Raum 3.14", "Der Drucker zeigt Papierstau.", ticket.PriorityHigh)
		n2 := mk("Passwörter vergessen", "Ich habe meine Passwörter vergessen.", ticket.PriorityLow)
		n3 := mk("Printers are offline", "All printers in the library are offline.", ticket.PriorityNormal)
		mid := w.clock.Now().Add(-30 * time.Minute) // between #2 and #3
		w.clock.Add(time.Hour)
		must(w.svc.CreateTicket(ctx, w.agentA, desk.NewTicket{Queue: "Servicedesk", Subject: "Telefon", Description: "Anruf", Requester: "bob@example.org", Channel: ticket.ChannelPhone}))
		n4 := int64(4)
		w.clock.Add(time.Hour)
		must(w.svc.Act(ctx, w.agentA, n1, desk.Action{Name: "take"}))
		w.clock.Add(time.Hour)
		must(w.svc.Act(ctx, w.agentA, n3, desk.Action{Name: "resolve"}))

		cases := []struct {
			name string
			f    ticket.Filter
			want []int64
		}{
			{"everything, newest first", ticket.Filter{}, []int64{n3, n1, n4, n2}},
			{"german plural matches singular", ticket.Filter{Q: "Druckers", Sort: "number"}, []int64{n1}},
			{"umlaut plural matches singular", ticket.Filter{Q: "passwort", Sort: "number"}, []int64{n2}},
			{"english plural", ticket.Filter{Q: "printer", Sort: "number"}, []int64{n3}},
			{"words are ANDed", ticket.Filter{Q: "drucker papierstau", Sort: "number"}, []int64{n1}},
			{"no match", ticket.Filter{Q: "drucker telefon"}, nil},
			{"state", ticket.Filter{States: []ticket.State{ticket.StateOpen, ticket.StateResolved}, Sort: "number"}, []int64{n1, n3}},
			{"assignee", ticket.Filter{Assignee: "anna@example.org"}, []int64{n1}},
			{"unassigned", ticket.Filter{Assignee: "none", Sort: "number"}, []int64{n2, n3, n4}},
			{"requester", ticket.Filter{Requester: "bob@example.org"}, []int64{n4}},
			{"priority", ticket.Filter{Priority: ticket.PriorityLow}, []int64{n2}},
			{"sort by priority", ticket.Filter{Sort: "-priority"}, []int64{n1, n4, n3, n2}},
			{"queue by name", ticket.Filter{Queue: "servicedesk", Sort: "number"}, []int64{n1, n2, n3, n4}},
			{"other queue", ticket.Filter{Queue: "Security"}, nil},
			{"created before", ticket.Filter{CreatedBefore: &mid, Sort: "number"}, []int64{n1, n2}},
			{"created after", ticket.Filter{CreatedAfter: &mid, Sort: "number"}, []int64{n3, n4}},
			{"page 2 of 3 per page", ticket.Filter{Sort: "number", PerPage: 3, Page: 2}, []int64{n4}},
			{"page past the end", ticket.Filter{Sort: "number", PerPage: 3, Page: 5}, nil},
		}
		for _, c := range cases {
			p, err := w.svc.Search(ctx, w.agentA, c.f)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if got, want := numbers(p), fmt.Sprint(c.want); got != want && !(len(c.want) == 0 && got == "[]") {
				t.Errorf("%s: got %s, want %s", c.name, got, want)
			}
			wantTotal := len(c.want)
			if c.f.PerPage == 3 {
				wantTotal = 4
			}
			if p.Total != wantTotal {
				t.Errorf("%s: got total %d, want %d", c.name, p.Total, wantTotal)
			}
		}
		for _, f := range []ticket.Filter{{Sort: "password"}, {States: []ticket.State{"lost"}}, {PerPage: 1000}, {Page: -1}, {Priority: "asap"}} {
			_, err := w.svc.Search(ctx, w.agentA, f)
			wantCode(t, err, ticket.EINVALID)
		}
	})
}
