package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/ticket"
)

// The search page's page size and the last page it links by number
// (resultsPerPage, cursorAfterPage in search.go).
const (
	resultsPerPage  = 25
	cursorAfterPage = 10
)

var (
	nextLink   = regexp.MustCompile(`href="([^"]+)" rel="next"`)
	prevLink   = regexp.MustCompile(`href="([^"]+)" rel="prev"`)
	rowNumbers = regexp.MustCompile(`<td class="nowrap hide-m"><a href="/tickets/(\d+)">`)
)

// TestSearchPagingLinks follows the search page's "next" links without
// JavaScript through more than cursorAfterPage pages, on both databases:
// the first pages are linked by number, the later ones by cursor, each
// ticket is listed once and in order, and "previous" on a page by cursor
// leads back to the page before it.
func TestSearchPagingLinks(t *testing.T) {
	forEachQueueSite(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		rita := s.actor(t, requesterEmail)
		n := resultsPerPage*(cursorAfterPage+1) + 3 // two pages by cursor
		for i := range n {
			if _, err := s.svc.CreateTicket(ctx, rita, desk.NewTicket{Queue: "Servicedesk", Subject: fmt.Sprintf("Beamer %d", i), Description: "Kein Bild", Channel: ticket.ChannelWeb}); err != nil {
				t.Fatal(err)
			}
		}
		anton := s.signedIn(t, agentEmail)
		path := "/search?q=beamer&sort=number"
		var seen []string
		var pages []string
		for range cursorAfterPage + 2 {
			a := anton.get(path)
			if a.status != http.StatusOK {
				t.Fatalf("%s: got %d\n%s", path, a.status, a.body)
			}
			pages = append(pages, path)
			for _, m := range rowNumbers.FindAllStringSubmatch(a.body, -1) {
				seen = append(seen, m[1])
			}
			m := nextLink.FindStringSubmatch(a.body)
			if m == nil {
				break
			}
			path = html.UnescapeString(m[1])
		}
		if got := len(pages); got != cursorAfterPage+2 {
			t.Fatalf("got %d pages, want %d", got, cursorAfterPage+2)
		}
		for i, p := range pages {
			if byCursor := strings.Contains(p, "cursor="); byCursor != (i >= cursorAfterPage) {
				t.Errorf("page %d: got %s, want a cursor link only after page %d", i+1, p, cursorAfterPage)
			}
		}
		if len(seen) != n {
			t.Fatalf("got %d tickets over the pages, want %d", len(seen), n)
		}
		for i := 1; i < len(seen); i++ {
			if len(seen[i]) < len(seen[i-1]) || (len(seen[i]) == len(seen[i-1]) && seen[i] <= seen[i-1]) {
				t.Fatalf("ticket #%s after #%s: not once each in order", seen[i], seen[i-1])
			}
		}
		// Back from the last page (by cursor) to the one before it.
		last := anton.get(pages[len(pages)-1])
		m := prevLink.FindStringSubmatch(last.body)
		if m == nil || !strings.Contains(m[1], "cursor=") {
			t.Fatalf("no previous link by cursor on the last page")
		}
		back := anton.get(html.UnescapeString(m[1]))
		want := seen[resultsPerPage*cursorAfterPage : resultsPerPage*(cursorAfterPage+1)]
		var got []string
		for _, m := range rowNumbers.FindAllStringSubmatch(back.body, -1) {
			got = append(got, m[1])
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("previous page: got %v, want %v", got, want)
		}
		if a := anton.get("/search?cursor=nonsense"); a.status != http.StatusBadRequest {
			t.Errorf("bad cursor: got %d, want 400", a.status)
		}
	})
}
