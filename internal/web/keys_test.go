package web

import (
	"testing"

	"github.com/servus-desk/servus/internal/i18n"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestDynamicKeys: the texts the templates and handlers name by value
// (states, priorities, actions, …) exist; the literal ones are checked at
// boot by parsePages.
func TestDynamicKeys(t *testing.T) {
	var keys []string
	for _, s := range ticket.States {
		keys = append(keys, "state."+string(s))
	}
	for _, p := range ticket.Priorities {
		keys = append(keys, "priority."+string(p))
	}
	for _, r := range []ticket.CloseReason{ticket.ReasonSolved, ticket.ReasonWithdrawn, ticket.ReasonAutoClosed, ticket.ReasonMerged} {
		keys = append(keys, "reason."+string(r))
	}
	for _, k := range []ticket.Kind{ticket.KindDescription, ticket.KindMessage, ticket.KindQuestion, ticket.KindAnswer, ticket.KindComment, ticket.KindAttachment} {
		keys = append(keys, "kind."+string(k))
	}
	for _, k := range []ticket.Kind{ticket.KindMessage, ticket.KindQuestion, ticket.KindAnswer, ticket.KindComment} {
		keys = append(keys, "flash.entry."+string(k))
	}
	for _, v := range []ticket.Visibility{ticket.VisibilityPublic, ticket.VisibilityStaff, ticket.VisibilityQueue} {
		keys = append(keys, "visibility."+string(v))
	}
	for _, c := range []ticket.Channel{ticket.ChannelWeb, ticket.ChannelMail, ticket.ChannelAPI, ticket.ChannelPhone, ticket.ChannelSystem} {
		keys = append(keys, "channel."+string(c))
	}
	for _, r := range []ticket.Role{ticket.RoleRequester, ticket.RoleAgent, ticket.RoleAdmin} {
		keys = append(keys, "role."+string(r))
	}
	for _, f := range ticket.SortFields {
		keys = append(keys, "sort."+f)
	}
	for _, l := range ticket.LinkKinds {
		keys = append(keys, "link."+l)
	}
	for a := range webActions {
		keys = append(keys, "action."+a, "flash.action."+a)
	}
	for _, l := range i18n.Languages {
		keys = append(keys, "lang."+l)
	}
	for _, code := range []string{ticket.ECONFLICT, ticket.EINVALID, ticket.ENOTFOUND, ticket.EFORBIDDEN, ticket.ETOOLARGE, ticket.EUNAUTHORIZED, ticket.EINTERNAL} {
		keys = append(keys, "error."+code)
	}
	for _, f := range []string{"subject", "description", "queue", "priority", "channel", "requester", "cc", "body", "visibility",
		"kind", "version", "assignee", "due", "language", "time_zone", "created_after", "created_before", "page", "per_page",
		"sort", "state", "q", "action", "link_kind", "ticket"} {
		keys = append(keys, "field."+f)
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("catalog lacks %s", k)
		}
	}
}

// TestLocalPath: a sign-in only ever redirects to this site.
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/tickets/5": "/tickets/5", "/search?q=a": "/search?q=a", "": "/", "https://evil.example": "/",
		"//evil.example": "/", "/\\evil.example": "/", "/a\r\nSet-Cookie: x": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q): got %q, want %q", in, got, want)
		}
	}
}
