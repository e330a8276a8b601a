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
// full text, and whether staff- and queue-only entries show. Alice is a
// member of the institute Zoologie, bob of Botanik; dora is Zoologie's IT
// delegate, emil Botanik's, fritz a plain member of Zoologie, and agentB
// (staff) a delegate of Zoologie too.
func TestVisibility(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "carl@example.org", Name: "Carl CC", Role: ticket.RoleRequester}))
		carl := w.actor(t, "carl@example.org")
		must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: "olga@example.org", Name: "Olga Auditor", Role: ticket.RoleAuditor}))
		olga := w.actor(t, "olga@example.org")

		for _, o := range []string{"Zoologie", "Botanik"} {
			must(w.svc.CreateOrganisation(ctx, w.admin, desk.NewOrganisation{Name: o}))
		}
		for _, p := range []struct {
			email, org string
			delegate   bool
		}{
			{"alice@example.org", "Zoologie", false}, {"bob@example.org", "Botanik", false},
			{"dora@example.org", "Zoologie", true}, {"emil@example.org", "Botanik", true},
			{"fritz@example.org", "Zoologie", false}, {"bernd@example.org", "Zoologie", true},
		} {
			if _, err := w.svc.User(ctx, w.admin, p.email); err != nil {
				must(w.svc.CreateUser(ctx, access.System, desk.NewUser{Email: p.email, Name: p.email, Role: ticket.RoleRequester}))
			}
			must(w.svc.AddOrganisationMember(ctx, w.admin, p.org, p.email, p.delegate))
		}
		dora, emil, fritz := w.actor(t, "dora@example.org"), w.actor(t, "emil@example.org"), w.actor(t, "fritz@example.org")
		agentB := w.actor(t, "bernd@example.org")
		if dora.DelegateOf == 0 || fritz.DelegateOf != 0 || agentB.DelegateOf == 0 {
			t.Fatalf("got delegate of %d, %d, %d, want dora and bernd delegates, fritz not", dora.DelegateOf, fritz.DelegateOf, agentB.DelegateOf)
		}

		// #1 plain ticket in Servicedesk; #2 confidential in Security (by
		// the queue's default), both by alice with carl in CC; #3 plain in
		// Servicedesk by bob (Botanik) with carl in CC.
		for i, q := range []string{"Servicedesk", "Security", "Servicedesk"} {
			by := w.alice
			if i == 2 {
				by = w.bob
			}
			tk := must(w.svc.CreateTicket(ctx, by, desk.NewTicket{Queue: q, Subject: "Zebrastreifen " + q, Description: "Beschreibung", CC: []string{"carl@example.org"}}))
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
			other  string // #3, bob's (Botanik)
			// delegate: sees some ticket only as an IT delegate, so may
			// read it but not write to it
			delegate bool
		}{
			{"requester", w.alice, "public", "public", "-", false},
			{"cc requester", carl, "public", "public", "public", false},
			{"other requester", w.bob, "-", "-", "public", false},
			{"member agent", w.agentA, "public staff queue", "-", "public staff queue", false},
			{"security member, delegate", agentB, "public staff", "public staff queue", "public staff", false},
			{"admin, no member", w.admin, "public staff", "-", "public staff", false},
			{"auditor", olga, "-", "-", "-", false},
			{"delegate of the requester's institute", dora, "public", "-", "-", true},
			{"delegate of another institute", emil, "-", "-", "public", true},
			{"member, no delegate", fritz, "-", "-", "-", false},
		}
		for _, c := range cases {
			t.Run(c.who, func(t *testing.T) {
				wants := map[int64]string{1: c.plain, 2: c.secret, 3: c.other}
				for num, want := range wants {
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
					for id := int64(1); id <= 18; id++ {
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
					// a delegate reads, and writes nothing
					if visible && c.delegate {
						_, err = w.svc.AddEntry(ctx, c.a, num, desk.NewEntry{Kind: ticket.KindComment, Body: "x"})
						wantCode(t, err, ticket.EFORBIDDEN)
						_, err = w.svc.AddAttachment(ctx, c.a, num, ticket.ChannelWeb, "x", "", strings.NewReader("x"))
						wantCode(t, err, ticket.EFORBIDDEN)
						_, err = w.svc.Act(ctx, c.a, num, desk.Action{Name: "close"})
						wantCode(t, err, ticket.EFORBIDDEN)
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
				for num, v := range wants {
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
						if strings.Contains(wants[num], v) {
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
