package ticket

import "testing"

func TestCheckTemplate(t *testing.T) {
	tests := []struct {
		body       string
		wantReason string
	}{
		{"Hallo {requester.name}, Ticket {ticket.number}.", ""},
		{"{ agent.name }", ""},
		{"Klammern {{so}} bleiben", ""},
		{"no placeholders at all", ""},
		{"Hallo {requester.nmae}", ProblemTemplateUnknown},
		{"Hallo {requester.name", ProblemTemplateOpen},
		{"Hallo requester.name}", ProblemTemplateStrayEnd},
		{"Hallo {}", ProblemTemplateEmpty},
		{"Hallo {a {ticket.number}}", ProblemTemplateNested},
	}
	for _, tt := range tests {
		got, _ := CheckTemplate(tt.body)
		if got != tt.wantReason {
			t.Errorf("CheckTemplate(%q) = %q, want %q", tt.body, got, tt.wantReason)
		}
	}
	if _, args := CheckTemplate("{x.y}"); len(args) != 1 || args[0] != "{x.y}" {
		t.Errorf("got args %v, want the unknown placeholder named", args)
	}
}

func TestRenderTemplate(t *testing.T) {
	vals := map[string]string{"requester.name": "Maria {Huber}", "ticket.number": "42"}
	tests := []struct{ body, want string }{
		{"Hallo {requester.name}, #{ticket.number}", "Hallo Maria {Huber}, #42"},
		{"{{literal}} {ticket.number}", "{literal} 42"},
		{"{agent.name}|", "|"},
	}
	for _, tt := range tests {
		if got := RenderTemplate(tt.body, vals); got != tt.want {
			t.Errorf("RenderTemplate(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}
