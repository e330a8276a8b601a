package ticket

import "time"

// Filter is a ticket search: full text plus field filters. Zero fields do
// not filter; an empty Filter lists every ticket the caller may see.
type Filter struct {
	Q             string     // full text over subject, entries and attachment names
	Queue         string     // queue name
	States        []State    // any of these
	Requester     string     // e-mail
	Assignee      string     // e-mail; "none" for unassigned
	Priority      Priority   //
	CreatedAfter  *time.Time // inclusive
	CreatedBefore *time.Time // exclusive
	DueBefore     *time.Time // with a due date before this (exclusive): overdue lists
	Sort          string     // one of SortFields, "-" prefix for descending; default "-updated"
	Page          int        // 1-based; default 1
	PerPage       int        // default 25, at most 100
}

// SortFields are the fields a search may sort by.
var SortFields = []string{"number", "created", "updated", "priority", "due", "subject", "state"}

// Page is one page of search results. Items carry no timelines.
type Page struct {
	Items   []*Ticket `json:"items"`
	Total   int       `json:"total"`
	Page    int       `json:"page"`
	PerPage int       `json:"per_page"`
}
