package access_test

import (
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

func TestPolicy(t *testing.T) {
	const queue = 7
	const institute = 9 // the requester's
	plain := &ticket.Ticket{QueueID: queue, RequesterID: 1, RequesterOrg: institute, CC: []string{"cc@example.org"}}
	secret := &ticket.Ticket{QueueID: queue, RequesterID: 1, RequesterOrg: institute, CC: []string{"cc@example.org"}, Confidential: true}
	people := []struct {
		name string
		a    access.Actor
		// want: plain seen, secret seen, entry visibilities seen on plain,
		// may resolve plain, may close plain
		plain, secret     bool
		entries           string
		resolve, withdraw bool
	}{
		{"requester", access.Actor{UserID: 1, Email: "r@example.org", Role: ticket.RoleRequester}, true, true, "public", false, true},
		{"cc", access.Actor{UserID: 2, Email: "cc@example.org", Role: ticket.RoleRequester}, true, true, "public", false, true},
		{"stranger", access.Actor{UserID: 3, Email: "s@example.org", Role: ticket.RoleRequester}, false, false, "", false, false},
		{"member", access.Actor{UserID: 4, Role: ticket.RoleAgent, Queues: []int64{queue}}, true, true, "public staff queue", true, true},
		{"other agent", access.Actor{UserID: 5, Role: ticket.RoleAgent, Queues: []int64{8}}, true, false, "public staff", false, false},
		{"admin", access.Actor{UserID: 6, Role: ticket.RoleAdmin}, true, false, "public staff", true, true},
		{"auditor", access.Actor{UserID: 1, Email: "cc@example.org", Role: ticket.RoleAuditor}, false, false, "", false, false},
		{"system", access.System, true, true, "public staff queue", true, true},
		{"delegate", access.Actor{UserID: 10, Role: ticket.RoleRequester, DelegateOf: institute}, true, false, "public", false, false},
		{"delegate elsewhere", access.Actor{UserID: 11, Role: ticket.RoleRequester, DelegateOf: institute + 1}, false, false, "", false, false},
		{"delegate, agent", access.Actor{UserID: 12, Role: ticket.RoleAgent, Queues: []int64{8}, DelegateOf: institute}, true, false, "public staff", false, false},
		{"delegate, auditor", access.Actor{UserID: 13, Role: ticket.RoleAuditor, DelegateOf: institute}, false, false, "", false, false},
	}
	for _, p := range people {
		t.Run(p.name, func(t *testing.T) {
			if got := access.CanSeeTicket(p.a, plain); got != p.plain {
				t.Errorf("CanSeeTicket(plain): got %v, want %v", got, p.plain)
			}
			if got := access.CanSeeTicket(p.a, secret); got != p.secret {
				t.Errorf("CanSeeTicket(secret): got %v, want %v", got, p.secret)
			}
			var vis string
			for _, v := range access.Visibilities(p.a, plain) {
				if vis != "" {
					vis += " "
				}
				vis += string(v)
			}
			if vis != p.entries {
				t.Errorf("Visibilities: got %q, want %q", vis, p.entries)
			}
			if got := access.CanAct(p.a, plain, access.ActResolve); got != p.resolve {
				t.Errorf("CanAct(resolve): got %v, want %v", got, p.resolve)
			}
			if got := access.CanAct(p.a, plain, access.ActWithdraw); got != p.withdraw {
				t.Errorf("CanAct(withdraw): got %v, want %v", got, p.withdraw)
			}
			if access.CanAct(p.a, secret, access.ActComment) != p.secret {
				t.Errorf("CanAct(comment, secret) disagrees with CanSeeTicket")
			}
			if p.a.DelegateOf != 0 && !p.a.Staff() && p.plain {
				if access.CanAct(p.a, plain, access.ActComment) || !access.CanAct(p.a, plain, access.ActWatch) {
					t.Errorf("a delegate may comment %v, watch %v; want watch only", access.CanAct(p.a, plain, access.ActComment), access.CanAct(p.a, plain, access.ActWatch))
				}
			}
		})
	}
}

// TestAlsoAuditor: an agent who holds the auditor role besides reads the
// audit log and sees what an agent sees; the flag gives a requester
// nothing, and the auditor role alone no ticket.
func TestAlsoAuditor(t *testing.T) {
	secret := &ticket.Ticket{QueueID: 7, RequesterID: 1, Confidential: true}
	plain := &ticket.Ticket{QueueID: 7, RequesterID: 1}
	for _, c := range []struct {
		name              string
		a                 access.Actor
		audit, plain, sec bool
	}{
		{"agent", access.Actor{UserID: 4, Role: ticket.RoleAgent, Queues: []int64{7}}, false, true, true},
		{"agent and auditor", access.Actor{UserID: 4, Role: ticket.RoleAgent, Queues: []int64{7}, AlsoAuditor: true}, true, true, true},
		{"admin and auditor", access.Actor{UserID: 6, Role: ticket.RoleAdmin, AlsoAuditor: true}, true, true, false},
		{"requester with the flag", access.Actor{UserID: 2, Role: ticket.RoleRequester, AlsoAuditor: true}, false, false, false},
		{"auditor", access.Actor{UserID: 1, Role: ticket.RoleAuditor}, true, false, false},
	} {
		if got := access.CanReadAudit(c.a); got != c.audit {
			t.Errorf("%s: CanReadAudit got %v, want %v", c.name, got, c.audit)
		}
		if got := access.CanSeeTicket(c.a, plain); got != c.plain {
			t.Errorf("%s: CanSeeTicket(plain) got %v, want %v", c.name, got, c.plain)
		}
		if got := access.CanSeeTicket(c.a, secret); got != c.sec {
			t.Errorf("%s: CanSeeTicket(secret) got %v, want %v", c.name, got, c.sec)
		}
	}
}
