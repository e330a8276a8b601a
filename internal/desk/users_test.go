package desk_test

import (
	"context"
	"testing"

	"github.com/servus-desk/servus/internal/ticket"
)

func TestUsersAdminOnly(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		_, err := w.svc.Users(ctx, w.agentA, 0, 0)
		wantCode(t, err, ticket.EFORBIDDEN)
		l := must(w.svc.Users(ctx, w.admin, 0, 0))
		if l.Total != 5 || len(l.Items) != 5 || l.Items[0].Role != ticket.RoleAdmin || l.Items[1].Name != "Anna Agent" || l.Items[4].Role != ticket.RoleRequester {
			t.Fatalf("users: %d, %+v", l.Total, l.Items)
		}
		if l := must(w.svc.Users(ctx, w.admin, 2, 2)); len(l.Items) != 2 || l.Items[0].Name != "Bernd Agent" || l.Total != 5 {
			t.Fatalf("page 2: %+v", l.Items)
		}
	})
}
