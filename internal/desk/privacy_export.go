package desk

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// exportPage is how many tickets the export reads at a time.
const exportPage = 100

// ExportReadme is the README.txt at the top of every export: what each
// file holds.
const ExportReadme = `Personal data held by servus about one person (GDPR article 15).

account.json   the account: address, name, role, language, when created, disabled;
               the institute (and whether the person is its IT delegate); the
               person's own text modules and macros
tickets.json   the tickets the person requested or is in CC of, each with what
               its requester sees of it: the public entries and the files
entries.json   every entry the person wrote, on any ticket (as requester or as
               staff), named by the ticket's number only; changes of fields
               are listed without their old and new values
mails.json     the mails the person sent that servus stored (their raw form is
               in mail/)
audit.json     the audit-log rows the person caused or whose detail names them
files/NUMBER/  the files of the tickets in tickets.json, by ticket number
mail/ID.eml    the mails the person sent, as they arrived
`

// exportTicket is one ticket as tickets.json holds it.
type exportTicket struct {
	Number       int64              `json:"number"`
	Role         string             `json:"role"` // "requester" or "cc"
	Subject      string             `json:"subject"`
	Queue        string             `json:"queue"`
	State        ticket.State       `json:"state"`
	CloseReason  ticket.CloseReason `json:"close_reason,omitempty"`
	Priority     ticket.Priority    `json:"priority"`
	Confidential bool               `json:"confidential"`
	Channel      ticket.Channel     `json:"channel"`
	Requester    string             `json:"requester"`
	CC           []string           `json:"cc"`
	Due          *time.Time         `json:"due,omitempty"`
	CreatedAt    time.Time          `json:"created_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
	ResolvedAt   *time.Time         `json:"resolved_at,omitempty"`
	ClosedAt     *time.Time         `json:"closed_at,omitempty"`
	Entries      []exportEntry      `json:"entries"`
	Files        []exportFile       `json:"files"`
}

type exportEntry struct {
	ID        int64          `json:"id"`
	Kind      ticket.Kind    `json:"kind"`
	Author    string         `json:"author,omitempty"`
	Channel   ticket.Channel `json:"channel"`
	Body      string         `json:"body,omitempty"`
	Field     string         `json:"field,omitempty"`
	Old       string         `json:"old,omitempty"`
	New       string         `json:"new,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
}

type exportFile struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Path        string    `json:"path"` // inside the zip
	CreatedAt   time.Time `json:"created_at"`
}

type exportAuthored struct {
	Ticket     int64             `json:"ticket"`
	ID         int64             `json:"id"`
	Kind       ticket.Kind       `json:"kind"`
	Channel    ticket.Channel    `json:"channel"`
	Visibility ticket.Visibility `json:"visibility"`
	Body       string            `json:"body,omitempty"`
	Field      string            `json:"field,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
}

type exportMail struct {
	ID         int64     `json:"id"`
	ReceivedAt time.Time `json:"received_at"`
	Channel    string    `json:"channel"`
	Recipient  string    `json:"recipient,omitempty"`
	MessageID  string    `json:"message_id,omitempty"`
	Subject    string    `json:"subject"`
	Size       int64     `json:"size"`
	Outcome    string    `json:"outcome,omitempty"`
	Path       string    `json:"path"`
}

type exportAudit struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Ticket int64     `json:"ticket,omitempty"`
	Detail string    `json:"detail"`
}

// ExportPerson writes everything servus holds about the person with email
// as a zip archive (see ExportReadme for its files): start is called once,
// before anything is written, and returns where to write. Rows are read a
// page or a row at a time and written straight into the archive; nothing
// is collected beyond one page of tickets. Admins and servus itself only
// (EFORBIDDEN); ENOTFOUND for an unknown address. Every export writes a
// privacy.export audit row first, in its own transaction (the export is
// recorded even when it fails halfway). started says whether start was
// called (after that an error can only cut the archive short).
func (s *Service) ExportPerson(ctx context.Context, a access.Actor, email string, start func() io.Writer) (started bool, err error) {
	if !a.Admin() {
		return false, ticket.E(ticket.EFORBIDDEN, "err.privacy.admins_export")
	}
	email = ticket.NormalizeEmail(email)
	var u *ticket.User
	err = s.db.Write(ctx, func(tx *store.Tx) (err error) {
		if u, _, err = tx.UserByEmail(ctx, email); err != nil {
			return err
		}
		detail := u.Email
		if a.IsSystem() {
			detail += " (command line)"
		}
		return tx.InsertAudit(ctx, s.now().UTC(), a.UserID, "privacy.export", 0, detail)
	})
	if err != nil {
		return false, err
	}
	// What a requester sees: the export holds the person's tickets as the
	// portal shows them to their requester, whatever the person's role.
	person := access.Actor{UserID: u.ID, Email: u.Email, Role: ticket.RoleRequester}
	z := zip.NewWriter(start())
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		return s.writeExport(ctx, tx, z, u, person)
	})
	if err != nil {
		return true, err
	}
	return true, z.Close()
}

func (s *Service) writeExport(ctx context.Context, tx *store.Tx, z *zip.Writer, u *ticket.User, person access.Actor) error {
	now := s.now().UTC()
	if err := writeZipFile(z, "README.txt", now, []byte(ExportReadme)); err != nil {
		return err
	}
	institute, err := tx.Membership(ctx, u.ID)
	if err != nil {
		return err
	}
	modules, err := tx.TextModules(ctx, person, 0) // a requester's view: the personal ones only
	if err != nil {
		return err
	}
	macros, err := tx.Macros(ctx, person, 0)
	if err != nil {
		return err
	}
	account, err := json.MarshalIndent(struct {
		*ticket.User
		Institute   *ticket.OrgMember    `json:"institute"`
		TextModules []*ticket.TextModule `json:"text_modules"`
		Macros      []*ticket.Macro      `json:"macros"`
		ExportedAt  time.Time            `json:"exported_at"`
	}{u, institute, modules, macros, now}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeZipFile(z, "account.json", now, account); err != nil {
		return err
	}

	arr, err := newJSONArray(z, "tickets.json", now)
	if err != nil {
		return err
	}
	for after := int64(0); ; {
		page, err := tx.PersonTicketPage(ctx, person, after, exportPage)
		if err != nil {
			return err
		}
		for _, t := range page {
			if err := arr.add(toExportTicket(t, u.ID)); err != nil {
				return err
			}
			after = t.ID
		}
		if len(page) < exportPage {
			break
		}
	}
	if err := arr.close(); err != nil {
		return err
	}

	if arr, err = newJSONArray(z, "entries.json", now); err != nil {
		return err
	}
	err = tx.EachAuthoredEntry(ctx, u.ID, func(ae *store.AuthoredEntry) error {
		e := ae.Entry
		return arr.add(exportAuthored{Ticket: ae.Ticket, ID: e.ID, Kind: e.Kind, Channel: e.Channel,
			Visibility: e.Visibility, Body: e.Body, Field: e.Field, CreatedAt: e.CreatedAt})
	})
	if err != nil {
		return err
	}
	if err := arr.close(); err != nil {
		return err
	}

	if arr, err = newJSONArray(z, "mails.json", now); err != nil {
		return err
	}
	err = tx.EachInboundFrom(ctx, u.Email, func(m *store.Inbound) error {
		return arr.add(exportMail{ID: m.ID, ReceivedAt: m.ReceivedAt, Channel: m.Channel, Recipient: m.Recipient,
			MessageID: m.MessageID, Subject: m.Subject, Size: m.Size, Outcome: m.Outcome, Path: mailPath(m.ID)})
	})
	if err != nil {
		return err
	}
	if err := arr.close(); err != nil {
		return err
	}

	if arr, err = newJSONArray(z, "audit.json", now); err != nil {
		return err
	}
	err = tx.EachAuditAbout(ctx, u.ID, u.Email, func(r *store.AuditRow) error {
		if r.Actor != u.Email && !mentions(r.Detail, u.Email) {
			return nil // another address that contains this one (jimbob@ for bob@)
		}
		return arr.add(exportAudit{At: r.At, Actor: r.Actor, Action: r.Action, Ticket: r.Ticket, Detail: r.Detail})
	})
	if err != nil {
		return err
	}
	if err := arr.close(); err != nil {
		return err
	}

	err = tx.EachPersonAttachment(ctx, person, func(number int64, f *ticket.Attachment) error {
		return s.copyBlob(z, filePath(number, f), f.CreatedAt, f.Hash)
	})
	if err != nil {
		return err
	}
	return tx.EachInboundFrom(ctx, u.Email, func(m *store.Inbound) error {
		return s.copyBlob(z, mailPath(m.ID), m.ReceivedAt, m.RawHash)
	})
}

// mentions reports whether detail names the address email as a whole: not
// as the end of a longer local part or the start of a longer domain.
func mentions(detail, email string) bool {
	for i := 0; ; {
		j := strings.Index(detail[i:], email)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(email)
		before := start == 0 || !addressByte(detail[start-1])
		after := end == len(detail) || !addressByte(detail[end]) || (detail[end] == '.' && (end+1 == len(detail) || !addressByte(detail[end+1])))
		if before && after {
			return true
		}
		i = start + 1
	}
}

// addressByte reports whether c may be part of a mail address.
func addressByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-@", c) >= 0
}

func toExportTicket(t *store.PersonTicket, userID int64) exportTicket {
	role := "cc"
	if t.RequesterID == userID {
		role = "requester"
	}
	out := exportTicket{Number: t.Number, Role: role, Subject: t.Subject, Queue: t.Queue, State: t.State,
		CloseReason: t.CloseReason, Priority: t.Priority, Confidential: t.Confidential, Channel: t.Channel,
		Requester: t.Requester, CC: t.CC, Due: t.Due, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		ResolvedAt: t.ResolvedAt, ClosedAt: t.ClosedAt,
		Entries: make([]exportEntry, 0, len(t.Entries)), Files: make([]exportFile, 0, len(t.Attachments))}
	for _, e := range t.Entries {
		out.Entries = append(out.Entries, exportEntry{ID: e.ID, Kind: e.Kind, Author: e.Author, Channel: e.Channel,
			Body: e.Body, Field: e.Field, Old: e.OldValue, New: e.NewValue, CreatedAt: e.CreatedAt})
	}
	for _, f := range t.Attachments {
		out.Files = append(out.Files, exportFile{ID: f.ID, Name: f.Name, ContentType: f.ContentType, Size: f.Size,
			SHA256: f.Hash, Path: filePath(t.Number, f), CreatedAt: f.CreatedAt})
	}
	return out
}

// filePath is where an attachment of ticket number lies in the export.
func filePath(number int64, f *ticket.Attachment) string {
	return "files/" + strconv.FormatInt(number, 10) + "/" + strconv.FormatInt(f.ID, 10) + "-" + blob.SafeName(f.Name)
}

// mailPath is where a raw inbound mail lies in the export.
func mailPath(id int64) string { return "mail/" + strconv.FormatInt(id, 10) + ".eml" }

// copyBlob copies the blob hash into the archive as name. A blob that is
// gone (removed by retention) is left out.
func (s *Service) copyBlob(z *zip.Writer, name string, at time.Time, hash string) error {
	f, err := s.blobs.Open(hash)
	if ticket.ErrorCode(err) == ticket.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	return nil
}

func writeZipFile(z *zip.Writer, name string, at time.Time, body []byte) error {
	w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
	if err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}

// jsonArray writes one JSON array into a file of a zip archive, an element
// at a time.
type jsonArray struct {
	w io.Writer
	n int
}

func newJSONArray(z *zip.Writer, name string, at time.Time) (*jsonArray, error) {
	w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, "["); err != nil {
		return nil, err
	}
	return &jsonArray{w: w}, nil
}

func (a *jsonArray) add(v any) error {
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if a.n == 0 {
		sep = "\n  "
	}
	a.n++
	if _, err := io.WriteString(a.w, sep); err != nil {
		return err
	}
	_, err = a.w.Write(b)
	return err
}

func (a *jsonArray) close() error {
	end := "]\n"
	if a.n > 0 {
		end = "\n]\n"
	}
	_, err := io.WriteString(a.w, end)
	return err
}
