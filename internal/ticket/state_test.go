package ticket_test

import (
	"testing"

	"github.com/servus-desk/servus/internal/ticket"
)

// TestNext walks every state × event pair against DESIGN.md's drawing.
func TestNext(t *testing.T) {
	// want[state][event] = "next/reason", or "" for refused.
	want := map[ticket.State]map[ticket.Event]string{
		ticket.StateNew: {
			ticket.EventTake: "open/", ticket.EventAssign: "open/", ticket.EventAsk: "waiting/", ticket.EventAnswer: "new/",
			ticket.EventResolve: "resolved/", ticket.EventWithdraw: "closed/withdrawn", ticket.EventMerge: "closed/merged",
		},
		ticket.StateOpen: {
			ticket.EventTake: "open/", ticket.EventAssign: "open/", ticket.EventAsk: "waiting/", ticket.EventAnswer: "open/",
			ticket.EventResolve: "resolved/", ticket.EventWithdraw: "closed/withdrawn", ticket.EventMerge: "closed/merged",
		},
		ticket.StateWaiting: {
			ticket.EventTake: "waiting/", ticket.EventAssign: "waiting/", ticket.EventAsk: "waiting/", ticket.EventAnswer: "open/",
			ticket.EventResolve: "resolved/", ticket.EventWithdraw: "closed/withdrawn", ticket.EventMerge: "closed/merged",
			ticket.EventAutoClose: "closed/auto-closed", ticket.EventReturn: "open/",
		},
		ticket.StateResolved: {
			ticket.EventAnswer: "open/", ticket.EventClose: "closed/solved", ticket.EventAutoClose: "closed/auto-closed",
			ticket.EventReopen: "open/", ticket.EventWithdraw: "closed/withdrawn", ticket.EventMerge: "closed/merged",
		},
		ticket.StateClosed: {
			ticket.EventReopen: "open/",
		},
	}
	events := []ticket.Event{ticket.EventTake, ticket.EventAssign, ticket.EventAsk, ticket.EventAnswer, ticket.EventResolve,
		ticket.EventClose, ticket.EventAutoClose, ticket.EventReopen, ticket.EventWithdraw, ticket.EventMerge, ticket.EventReturn}
	for _, from := range ticket.States {
		for _, ev := range events {
			next, reason, err := ticket.Next(from, ev)
			got := ""
			if err == nil {
				got = string(next) + "/" + string(reason)
			} else if code := ticket.ErrorCode(err); code != ticket.ECONFLICT {
				t.Errorf("%s --%s--> error code %q, want %q", from, ev, code, ticket.ECONFLICT)
			}
			if got != want[from][ev] {
				t.Errorf("%s --%s--> got %q, want %q", from, ev, got, want[from][ev])
			}
		}
	}
	if _, _, err := ticket.Next(ticket.StateNew, "fly"); ticket.ErrorCode(err) != ticket.EINVALID {
		t.Errorf("unknown event: got %v, want EINVALID", err)
	}
}
