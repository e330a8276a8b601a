package i18n

// searchPagingCatalog holds the texts of capped totals and cursor paging in
// the ticket lists: "more than 10,000", and the refusal of a cursor that is
// no longer valid.
var searchPagingCatalog = map[string][2]string{
	"search.results_more": {"Mehr als %d Tickets", "More than %d tickets"},
	"search.showing_more": {"%d–%d von mehr als %d", "%d–%d of more than %d"},
	"search.showing_from": {"ab Ticket %d", "from ticket %d"},
	"search.first":        {"Erste Seite", "First page"},
	"err.search.cursor":   {"Diese Seitenposition gilt nicht (mehr). Bitte die Suche neu beginnen.", "This page position is not valid (any more). Please start the search again."},
	"problem.cursor":      {"ist keine gültige Position dieser Suche", "is not a valid position of this search"},
}

func init() { merge("catalog_search_paging.go", searchPagingCatalog) }
