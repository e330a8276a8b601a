package i18n

// organisationsCatalog holds the texts of institutes (organisations) and
// their IT delegates: the admin page, the delegate's portal list and
// settings, opening a ticket on a member's behalf, and their refusals.
var organisationsCatalog = map[string][2]string{
	"err.org.admins_only":         {"Institute verwalten nur Admins.", "Only admins manage institutes."},
	"err.org.exists":              {"Ein Institut namens „%s“ gibt es schon.", "An institute named “%s” exists already."},
	"err.org.not_found":           {"Institut „%v“ nicht gefunden.", "Institute “%v” not found."},
	"err.org.domain_taken":        {"Die Domain %s gehört schon zu einem anderen Institut.", "The domain %s belongs to another institute already."},
	"err.org.directory_taken":     {"Der Verzeichniswert „%s“ gehört schon zu einem anderen Institut.", "The directory value “%s” belongs to another institute already."},
	"err.org.not_member":          {"%s ist kein Mitglied von %s.", "%s is not a member of %s."},
	"err.org.not_delegate":        {"Das können nur EDV-Beauftragte eines Instituts.", "Only an institute's IT delegates can do that."},
	"err.org.behalf_members_only": {"EDV-Beauftragte eröffnen Tickets nur für Mitglieder ihres Instituts.", "IT delegates open tickets only for members of their institute."},
	"err.org.behalf_confidential": {"Vertrauliche Tickets eröffnet die Person selbst; EDV-Beauftragte sehen sie nicht.", "Confidential tickets are opened by the person themself; IT delegates do not see them."},
	"problem.domain":              {"%s ist keine Domain", "%s is not a domain"},
	"problem.org_service_account": {"ein Dienstkonto gehört zu keinem Institut", "a service account belongs to no institute"},
}

func init() { merge("catalog_organisations.go", organisationsCatalog) }
