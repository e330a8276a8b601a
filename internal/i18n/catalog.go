package i18n

// catalog holds every text of servus: key → {German, English}. It starts
// empty; each catalog_*.go file holds the texts of one page or concept
// (catalog_ticket.go, catalog_errors.go …) and merges its table from its
// init. Texts may hold fmt verbs.
var catalog = map[string][2]string{}
