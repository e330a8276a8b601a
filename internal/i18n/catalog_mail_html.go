package i18n

// mailHTMLCatalog holds the texts of HTML that came by mail on the ticket
// page; merged into catalog at start (a key in two tables panics).
var mailHTMLCatalog = map[string][2]string{
	"ticket.show_plain": {"Als reinen Text anzeigen", "Show as plain text"},
}

func init() { merge("catalog_mail_html.go", mailHTMLCatalog) }
