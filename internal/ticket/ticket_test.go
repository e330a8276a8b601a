package ticket_test

import (
	"testing"

	"github.com/servus-desk/servus/internal/ticket"
)

func TestParseRef(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"#1234", 1234, true},
		{(&ticket.Ticket{Number: 7}).Ref(), 7, true},
		{"1234", 0, false},
		{"#", 0, false},
		{"#0", 0, false},
		{"#-3", 0, false},
		{"#12a", 0, false},
		{"", 0, false},
	} {
		if got, ok := ticket.ParseRef(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("ParseRef(%q): got %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
