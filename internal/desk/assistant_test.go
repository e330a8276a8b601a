package desk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

func printerLeaf(parent int64) desk.AssistantInput {
	return desk.AssistantInput{ParentID: parent, Leaf: true, TitleDE: "Drucker defekt", TitleEN: "Printer broken",
		Queue: "Servicedesk", SubjectTemplate: "Drucker defekt: {room}",
		Fields: []desk.AssistantField{
			{Name: "room", LabelDE: "Raum", LabelEN: "Room", Required: true, Kind: "text"},
			{Name: "inventory", LabelDE: "Inventarnummer", LabelEN: "Inventory number", Kind: "text"},
			{Name: "notes", LabelDE: "Fehlerbild", LabelEN: "Symptoms", Kind: "textarea"},
		}}
}

func TestAssistantValidation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		menu := must(w.svc.CreateAssistantNode(ctx, w.admin, desk.AssistantInput{TitleDE: "Drucken", TitleEN: "Printing"}))
		leaf := must(w.svc.CreateAssistantNode(ctx, w.admin, printerLeaf(menu.ID)))
		for _, tc := range []struct {
			name  string
			edit  func(in *desk.AssistantInput)
			field string
		}{
			{"no queue", func(in *desk.AssistantInput) { in.Queue = "" }, "queue"},
			{"unknown queue", func(in *desk.AssistantInput) { in.Queue = "Nirgendwo" }, "queue"},
			{"no title", func(in *desk.AssistantInput) { in.TitleEN = " " }, "title_en"},
			{"undefined placeholder", func(in *desk.AssistantInput) { in.SubjectTemplate = "Defekt: {raum}" }, "subject_template"},
			{"no template", func(in *desk.AssistantInput) { in.SubjectTemplate = "" }, "subject_template"},
			{"bad field name", func(in *desk.AssistantInput) { in.Fields[0].Name = "Room No" }, "fields"},
			{"duplicate field", func(in *desk.AssistantInput) { in.Fields[1].Name = "room" }, "fields"},
			{"bad kind", func(in *desk.AssistantInput) { in.Fields[1].Kind = "select" }, "fields"},
			{"missing label", func(in *desk.AssistantInput) { in.Fields[1].LabelDE = "" }, "fields"},
			{"menu with queue", func(in *desk.AssistantInput) { in.Leaf = false }, "leaf"},
			{"leaf as parent", func(in *desk.AssistantInput) { in.ParentID = leaf.ID }, "parent"},
			{"missing parent", func(in *desk.AssistantInput) { in.ParentID = 9999 }, "parent"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := printerLeaf(menu.ID)
				in.Fields = append([]desk.AssistantField(nil), in.Fields...)
				tc.edit(&in)
				_, err := w.svc.CreateAssistantNode(ctx, w.admin, in)
				wantCode(t, err, ticket.EINVALID)
				if _, ok := ticket.ErrorFields(err)[tc.field]; !ok {
					t.Fatalf("error %v does not name field %q", err, tc.field)
				}
			})
		}
		// A menu with entries cannot become a leaf.
		_, err := w.svc.UpdateAssistantNode(ctx, w.admin, menu.ID, printerLeaf(0))
		wantCode(t, err, ticket.EINVALID)
	})
}

func TestAssistantPermissions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		menu := must(w.svc.CreateAssistantNode(ctx, w.admin, desk.AssistantInput{TitleDE: "Netz", TitleEN: "Network"}))
		for _, a := range []struct {
			name string
			err  error
		}{
			{"create", func() error { _, err := w.svc.CreateAssistantNode(ctx, w.agentA, printerLeaf(0)); return err }()},
			{"update", func() error { _, err := w.svc.UpdateAssistantNode(ctx, w.alice, menu.ID, printerLeaf(0)); return err }()},
			{"delete", w.svc.DeleteAssistantNode(ctx, w.agentB, menu.ID)},
			{"move", w.svc.MoveAssistantNode(ctx, w.alice, menu.ID, 0, 1)},
		} {
			t.Run(a.name, func(t *testing.T) { wantCode(t, a.err, ticket.EFORBIDDEN) })
		}
		tree := must(w.svc.AssistantTree(ctx, w.alice))
		if len(tree.Roots) != 1 || tree.Roots[0].TitleEN != "Network" {
			t.Fatalf("requester reads tree %+v", tree.Roots)
		}
	})
}

func TestAssistantMoveAndCycles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		mk := func(parent int64, title string) *desk.AssistantNode {
			return must(w.svc.CreateAssistantNode(ctx, w.admin, desk.AssistantInput{ParentID: parent, TitleDE: title, TitleEN: title}))
		}
		a, b, c := mk(0, "A"), mk(0, "B"), mk(0, "C")
		a1 := mk(a.ID, "A1")
		a11 := mk(a1.ID, "A11")
		wantCode(t, w.svc.MoveAssistantNode(ctx, w.admin, a.ID, a11.ID, 0), ticket.EINVALID)
		wantCode(t, w.svc.MoveAssistantNode(ctx, w.admin, a.ID, a.ID, 0), ticket.EINVALID)
		in := desk.AssistantInput{ParentID: a1.ID, TitleDE: "A", TitleEN: "A"}
		_, err := w.svc.UpdateAssistantNode(ctx, w.admin, a.ID, in)
		wantCode(t, err, ticket.EINVALID)

		// C to the front, then A1 to the top level after B.
		if err := w.svc.MoveAssistantNode(ctx, w.admin, c.ID, 0, 0); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.MoveAssistantNode(ctx, w.admin, a1.ID, 0, 3); err != nil {
			t.Fatal(err)
		}
		tree := must(w.svc.AssistantTree(ctx, w.admin))
		var got []string
		tree.Walk(func(n *desk.AssistantNode, depth int) { got = append(got, strings.Repeat("-", depth)+n.TitleEN) })
		if want := "C A B A1 -A11"; strings.Join(got, " ") != want {
			t.Fatalf("tree after moves: %q, want %q", strings.Join(got, " "), want)
		}
		// Deleting A1 takes A11 with it.
		if err := w.svc.DeleteAssistantNode(ctx, w.admin, a1.ID); err != nil {
			t.Fatal(err)
		}
		tree = must(w.svc.AssistantTree(ctx, w.admin))
		if tree.Node(a11.ID) != nil || tree.Node(b.ID) == nil || len(tree.ByID) != 3 {
			t.Fatalf("after delete: %d nodes", len(tree.ByID))
		}
	})
}

func TestAssistantDraft(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		menu := must(w.svc.CreateAssistantNode(ctx, w.admin, desk.AssistantInput{TitleDE: "Drucken", TitleEN: "Printing"}))
		leaf := must(w.svc.CreateAssistantNode(ctx, w.admin, printerLeaf(menu.ID)))

		_, err := w.svc.DraftAssistantTicket(ctx, w.alice, desk.AssistantRequest{Leaf: menu.ID})
		wantCode(t, err, ticket.EINVALID)
		_, err = w.svc.DraftAssistantTicket(ctx, w.alice, desk.AssistantRequest{Leaf: 4242})
		wantCode(t, err, ticket.ENOTFOUND)
		_, err = w.svc.DraftAssistantTicket(ctx, w.alice, desk.AssistantRequest{Leaf: leaf.ID, Values: map[string]string{"room": "  "}})
		wantCode(t, err, ticket.EINVALID)
		if _, ok := ticket.ErrorFields(err)["f_room"]; !ok {
			t.Fatalf("missing room not named: %v", err)
		}

		d := must(w.svc.DraftAssistantTicket(ctx, w.alice, desk.AssistantRequest{Leaf: leaf.ID, Lang: "en", Text: "Paper jam.",
			Values: map[string]string{"room": " 3W04 \n", "notes": "blinks\r\nred", "queue": "Security"}}))
		want := "Printing › Printer broken\nRoom: 3W04\nSymptoms:\n  blinks\n  red\n\nPaper jam."
		if d.Ticket.Subject != "Drucker defekt: 3W04" || d.Ticket.Queue != "Servicedesk" || d.Ticket.Description != want {
			t.Fatalf("draft: %+v\nwant description %q", d.Ticket, want)
		}
		tk := must(w.svc.CreateTicket(ctx, w.alice, d.Ticket))
		if tk.Subject != "Drucker defekt: 3W04" {
			t.Fatalf("ticket subject %q", tk.Subject)
		}
	})
}

func TestAssistantLinks(t *testing.T) {
	forEachDialect(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		linkLeaf := func(url string) desk.AssistantInput {
			return desk.AssistantInput{Leaf: true, TitleDE: "Software bestellen", TitleEN: "Order software", LinkURL: url,
				HelpDE: "Im Software-Shop, kein Ticket.", HelpEN: "In the software shop, no ticket."}
		}
		for _, tc := range []struct {
			name  string
			in    desk.AssistantInput
			field string
		}{
			{"javascript", linkLeaf("javascript:alert(1)"), "link_url"},
			{"data", linkLeaf("data:text/html,<script>alert(1)</script>"), "link_url"},
			{"ftp", linkLeaf("ftp://files.example.org/"), "link_url"},
			{"no host", linkLeaf("https:///shop"), "link_url"},
			{"relative", linkLeaf("/shop"), "link_url"},
			{"space", linkLeaf("https://shop.example.org/a b"), "link_url"},
			{"queue and link", func() desk.AssistantInput {
				in := linkLeaf("https://shop.example.org/")
				in.Queue = "Servicedesk"
				return in
			}(), "link_url"},
			{"link and fields", func() desk.AssistantInput {
				in := printerLeaf(0)
				in.Queue, in.LinkURL = "", "https://shop.example.org/"
				return in
			}(), "link_url"},
			{"menu with link", func() desk.AssistantInput {
				in := linkLeaf("https://shop.example.org/")
				in.Leaf = false
				return in
			}(), "leaf"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := w.svc.CreateAssistantNode(ctx, w.admin, tc.in)
				wantCode(t, err, ticket.EINVALID)
				if _, ok := ticket.ErrorFields(err)[tc.field]; !ok {
					t.Fatalf("error %v does not name field %q", err, tc.field)
				}
			})
		}

		leaf := must(w.svc.CreateAssistantNode(ctx, w.admin, linkLeaf(" https://software.example.org/shop ")))
		tree := must(w.svc.AssistantTree(ctx, w.admin))
		if n := tree.Node(leaf.ID); n == nil || n.LinkURL != "https://software.example.org/shop" || n.QueueID != 0 {
			t.Fatalf("stored link leaf %+v", n)
		}
		// No ticket from a link leaf, whatever is posted.
		_, err := w.svc.DraftAssistantTicket(ctx, w.alice, desk.AssistantRequest{Leaf: leaf.ID, Text: "Bitte Office", Lang: "de"})
		wantCode(t, err, ticket.EINVALID)
		if _, ok := ticket.ErrorFields(err)["leaf"]; !ok {
			t.Fatalf("error %v does not name the leaf", err)
		}

		// Switching between a queue and a link: the link is cleared when
		// the leaf gets a queue, and the queue when it gets a link.
		in := printerLeaf(0)
		updated := must(w.svc.UpdateAssistantNode(ctx, w.admin, leaf.ID, in))
		if updated.LinkURL != "" || updated.QueueName != "Servicedesk" {
			t.Fatalf("after setting a queue: %+v", updated)
		}
		updated = must(w.svc.UpdateAssistantNode(ctx, w.admin, leaf.ID, linkLeaf("http://rollen.example.org/")))
		if updated.LinkURL != "http://rollen.example.org/" || updated.QueueID != 0 {
			t.Fatalf("after setting a link: %+v", updated)
		}
	})
}
