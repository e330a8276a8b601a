package app

import (
	"context"
	"log/slog"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// groupRules are the group rules of one identity source's mapping
// (--ldap-group, --oidc-group, --saml-group); they apply to the accounts
// of that source only.
func groupRules(ms config.GroupMappings, source ticket.AuthSource) []desk.GroupRule {
	var rules []desk.GroupRule
	for _, m := range ms {
		rules = append(rules, desk.GroupRule{Group: m.Group, Role: ticket.Role(m.Role), Queues: m.Queues, Source: source})
	}
	return rules
}

// checkGroupQueues logs the queues the group mapping of source names that
// servus does not have (sign-ins skip them; nothing is created). The log
// lines start with the source ("ldap: …") and give the group under key.
func checkGroupQueues(ctx context.Context, svc *desk.Service, source ticket.AuthSource, key string, ms config.GroupMappings, log *slog.Logger) {
	if len(ms) == 0 {
		return
	}
	qs, err := svc.Queues(ctx, access.System)
	if err != nil {
		log.Warn(string(source)+": cannot check the queues of the group mapping", "err", err)
		return
	}
	have := map[string]bool{}
	for _, q := range qs {
		have[q.Name] = true
	}
	for _, m := range ms {
		for _, q := range m.Queues {
			if !have[q] {
				log.Warn(string(source)+": the group mapping names a queue servus does not have; sign-ins skip it", key, m.Group, "queue", q)
			}
		}
	}
}
