package ticket

import "time"

// Organisation is an institute: requesters belong to at most one, by an
// admin's choice, by the directory's institute value (DirectoryValue) at
// each outside sign-in, or by the domain of their mail address (Domains)
// when their account is made. Its IT delegates see the non-confidential
// tickets of its members.
type Organisation struct {
	ID             int64     `json:"-"`
	Name           string    `json:"name"`
	Domains        []string  `json:"domains"`
	DirectoryValue string    `json:"directory_value,omitempty"`
	Members        int       `json:"members"`
	CreatedAt      time.Time `json:"created_at"`
}

// How a person came to belong to an organisation.
const (
	OrgSourceAdmin     = "admin"     // an admin's choice; kept against the directory
	OrgSourceDirectory = "directory" // the directory's institute value at sign-in
	OrgSourceDomain    = "domain"    // the mail domain when the account was made
)

// OrgMember is a person's membership in an organisation.
type OrgMember struct {
	UserID         int64  `json:"-"`
	OrganisationID int64  `json:"-"`
	Organisation   string `json:"organisation,omitempty"`
	Email          string `json:"email"`
	Name           string `json:"name"`
	Source         string `json:"source"` // OrgSourceAdmin, OrgSourceDirectory, OrgSourceDomain
	// Delegate makes the person the organisation's IT delegate.
	Delegate bool `json:"delegate"`
	// DelegateMail is the delegate's own choice to be mailed about the
	// members' tickets (public updates, as a requester is).
	DelegateMail bool `json:"delegate_mail,omitempty"`
}
