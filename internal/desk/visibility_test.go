package desk_test

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// TestVisibility checks the one policy on every read surface, as a table
// of people × ticket kinds: whether the ticket is found by number, in its
// timeline, attachments and downloads, in search results and totals, by
// full text, and whether staff- and queue-only entries show.
func TestVisibility(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "carl@example.org", Name: "Carl CC", Role: ticket.RoleRequester}))
		carl := w.actor(t, "carl@example.org")
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "olga@example.org", Name: "Olga Auditor", Role: ticket.RoleAuditor}))
		olga := w.actor(t, "olga@example.org")

		// #1 plain ticket in Servicedesk; #2 confidential in Security (by
		// the queue's default), both by alice with carl in CC.
		for _, q := range []string{"Servicedesk", "Security"} {
			tk := must(w.svc.CreateTicket(ctx, w.alice, desk.NewTicket{Queue: q, Subject: "Zebrastreifen " + q, Description: "Beschreibung", CC: []string{"carl@example.org"}}))
			member := w.agentA
			if q == "Security" {
				member = w.agentB
			}
			for _, v := range []ticket.Visibility{ticket.VisibilityPublic, ticket.VisibilityStaff, ticket.VisibilityQueue} {
				must(w.svc.AddEntry(ctx, member, tk.Number, desk.NewEntry{Kind: ticket.KindComment, Body: "Notiz " + string(v) + " Geheimwort" + string(v), Visibility: v}))
				must(w.svc.AddAttachment(ctx, member, tk.Number, ticket.ChannelWeb, string(v)+".txt", v, strings.NewReader("Inhalt "+string(v))))
			}
		}
		if !must(w.svc.Ticket(ctx, w.agentB, 2)).Confidential {
			t.Fatal("ticket in Security is not confidential by default")
		}

		// What each person must see: for each ticket, "-" (not found) or
		// the entry visibilities they see.
		cases := []struct {
			who    string
			a      access.Actor
			plain  string
			secret string
		}{
			{"requester", w.alice, "public", "public"},
			{"cc requester", carl, "public", "public"},
			{"other requester", w.bob, "-", "-"},
			{"member agent", w.agentA, "public staff queue", "-"},
			{"security member", w.agentB, "public staff", "public staff queue"},
			{"admin, no member", w.admin, "public staff", "-"},
			{"auditor", olga, "-", "-"},
		}
		for _, c := range cases {
			t.Run(c.who, func(t *testing.T) {
				for num, want := range map[int64]string{1: c.plain, 2: c.secret} {
					visible := want != "-"
					// single ticket
					_, err := w.svc.Ticket(ctx, c.a, num)
					if visible != (err == nil) {
						t.Errorf("#%d Ticket: got err %v, want visible=%v", num, err, visible)
					}
					if !visible {
						wantCode(t, err, ticket.ENOTFOUND)
					}
					// timeline
					es, err := w.svc.Entries(ctx, c.a, num)
					if !visible {
						wantCode(t, err, ticket.ENOTFOUND)
					} else {
						var vis []string
						for _, e := range es {
							if e.Kind == ticket.KindComment {
								vis = append(vis, string(e.Visibility))
							}
						}
						if got := strings.Join(vis, " "); got != want {
							t.Errorf("#%d Entries: got comments %q, want %q", num, got, want)
						}
					}
					// attachments, listing and download
					fs, err := w.svc.Attachments(ctx, c.a, num)
					if !visible {
						wantCode(t, err, ticket.ENOTFOUND)
					} else {
						var names []string
						for _, f := range fs {
							names = append(names, strings.TrimSuffix(f.Name, ".txt"))
						}
						if got := strings.Join(names, " "); got != want {
							t.Errorf("#%d Attachments: got %q, want %q", num, got, want)
						}
					}
					for id := int64(1); id <= 6; id++ {
						f, rc, err := w.svc.OpenAttachment(ctx, c.a, num, id)
						if err != nil {
							wantCode(t, err, ticket.ENOTFOUND)
							continue
						}
						b, _ := io.ReadAll(rc)
						rc.Close()
						if !visible || !strings.Contains(want, string(f.Visibility)) || string(b) != "Inhalt "+string(f.Visibility) {
							t.Errorf("#%d OpenAttachment %d: got %s %q, want not found", num, id, f.Visibility, b)
						}
					}
					// changes to an invisible ticket are "not found" too
					if !visible {
						_, err = w.svc.Act(ctx, c.a, num, desk.Action{Name: "watch"})
						wantCode(t, err, ticket.ENOTFOUND)
						_, err = w.svc.AddEntry(ctx, c.a, num, desk.NewEntry{Kind: ticket.KindComment, Body: "x"})
						wantCode(t, err, ticket.ENOTFOUND)
						_, err = w.svc.AddAttachment(ctx, c.a, num, ticket.ChannelWeb, "x", "", strings.NewReader("x"))
						wantCode(t, err, ticket.ENOTFOUND)
					}
				}
				// search: list, totals, full text over subject and entries
				var wantNums []int64
				for num, v := range map[int64]string{1: c.plain, 2: c.secret} {
					if v != "-" {
						wantNums = append(wantNums, num)
					}
				}
				slices.Sort(wantNums)
				for _, q := range []string{"", "Zebrastreifen", "geheimwortpublic"} {
					p := must(w.svc.Search(ctx, c.a, ticket.Filter{Q: q, Sort: "number"}))
					for _, it := range p.Items {
						if fmt.Sprint(it.CC) != "[carl@example.org]" {
							t.Errorf("Search(%q): got CC %v of #%d, want carl", q, it.CC, it.Number)
						}
					}
					if got := numbers(p); p.Total != len(wantNums) || got != fmt.Sprint(wantNums) {
						t.Errorf("Search(%q): got %s total %d, want %v", q, got, p.Total, wantNums)
					}
				}
				// words of entries the person may not read never match
				for _, v := range []string{"staff", "queue"} {
					var wantHit []int64
					for _, num := range wantNums {
						if strings.Contains(map[int64]string{1: c.plain, 2: c.secret}[num], v) {
							wantHit = append(wantHit, num)
						}
					}
					p := must(w.svc.Search(ctx, c.a, ticket.Filter{Q: "Geheimwort" + v, Sort: "number"}))
					if got := numbers(p); p.Total != len(wantHit) || got != fmt.Sprint(wantHit) {
						t.Errorf("Search(Geheimwort%s): got %s total %d, want %v", v, got, p.Total, wantHit)
					}
				}
			})
		}
	})
}

func numbers(p *ticket.Page) string {
	var ns []int64
	for _, t := range p.Items {
		ns = append(ns, t.Number)
	}
	return fmt.Sprint(ns)
}
