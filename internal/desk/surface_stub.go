package desk

// TEMPORARY: signatures of the use cases, so that the packages built on desk
// compile while their bodies are written. This file is replaced by the
// real implementation files before anything lands.

import (
	"context"
	"io"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/ticket"
)

var errTODO = ticket.Errorf(ticket.EINTERNAL, "not implemented")

// ActorByToken returns the owner of an API token; EUNAUTHORIZED if unknown.
func (s *Service) ActorByToken(ctx context.Context, token string) (access.Actor, error) {
	return access.Actor{}, errTODO
}

// ActorByPassword checks an e-mail and password; EUNAUTHORIZED if wrong.
func (s *Service) ActorByPassword(ctx context.Context, email, password string) (access.Actor, error) {
	return access.Actor{}, errTODO
}

// ActorByEmail returns the actor for a known user; ENOTFOUND if unknown.
func (s *Service) ActorByEmail(ctx context.Context, email string) (access.Actor, error) {
	return access.Actor{}, errTODO
}

// CreateUser adds a user; admins (and System) only. ECONFLICT if the e-mail exists.
func (s *Service) CreateUser(ctx context.Context, a access.Actor, u NewUser) (*ticket.User, error) {
	return nil, errTODO
}

// User returns a user by e-mail; staff, or the user themself.
func (s *Service) User(ctx context.Context, a access.Actor, email string) (*ticket.User, error) {
	return nil, errTODO
}

// CreateToken makes a new API token for the user with email and returns it;
// admins, or the user themself. Only its hash is stored.
func (s *Service) CreateToken(ctx context.Context, a access.Actor, email string) (string, error) {
	return "", errTODO
}

// CreateQueue adds a queue; admins only.
func (s *Service) CreateQueue(ctx context.Context, a access.Actor, q NewQueue) (*ticket.Queue, error) {
	return nil, errTODO
}

// Queues lists all queues (everyone may see which queues exist), with
// members for staff.
func (s *Service) Queues(ctx context.Context, a access.Actor) ([]*ticket.Queue, error) {
	return nil, errTODO
}

// AddQueueMember makes the agent or admin with email a member of queue; admins only.
func (s *Service) AddQueueMember(ctx context.Context, a access.Actor, queue, email string) error {
	return errTODO
}

// CreateTicket opens a ticket with its description as first entry.
func (s *Service) CreateTicket(ctx context.Context, a access.Actor, nt NewTicket) (*ticket.Ticket, error) {
	return nil, errTODO
}

// Ticket returns the ticket with number, with CC, watchers and links.
func (s *Service) Ticket(ctx context.Context, a access.Actor, number int64) (*ticket.Ticket, error) {
	return nil, errTODO
}

// UpdateTicket changes fields, checking p.Version.
func (s *Service) UpdateTicket(ctx context.Context, a access.Actor, number int64, p Patch) (*ticket.Ticket, error) {
	return nil, errTODO
}

// AddEntry adds a message, question, answer or comment.
func (s *Service) AddEntry(ctx context.Context, a access.Actor, number int64, e NewEntry) (*ticket.Entry, error) {
	return nil, errTODO
}

// Entries returns the timeline entries a may see, oldest first.
func (s *Service) Entries(ctx context.Context, a access.Actor, number int64) ([]*ticket.Entry, error) {
	return nil, errTODO
}

// Act applies a state, assignment, watch, link or merge action.
func (s *Service) Act(ctx context.Context, a access.Actor, number int64, act Action) (*ticket.Ticket, error) {
	return nil, errTODO
}

// Search returns one page of the tickets a may see that match f.
func (s *Service) Search(ctx context.Context, a access.Actor, f ticket.Filter) (*ticket.Page, error) {
	return nil, errTODO
}

// AddAttachment stores r (at most MaxAttachment bytes, else ETOOLARGE) as a
// file named name on the ticket.
func (s *Service) AddAttachment(ctx context.Context, a access.Actor, number int64, name string, vis ticket.Visibility, r io.Reader) (*ticket.Attachment, error) {
	return nil, errTODO
}

// Attachments lists the ticket's attachments a may see.
func (s *Service) Attachments(ctx context.Context, a access.Actor, number int64) ([]*ticket.Attachment, error) {
	return nil, errTODO
}

// OpenAttachment returns an attachment's record and its bytes.
func (s *Service) OpenAttachment(ctx context.Context, a access.Actor, number, id int64) (*ticket.Attachment, io.ReadCloser, error) {
	return nil, nil, errTODO
}

// AutoClose closes every resolved ticket whose requester has not reacted for
// after, and returns how many it closed.
func (s *Service) AutoClose(ctx context.Context, after time.Duration) (int, error) {
	return 0, errTODO
}
