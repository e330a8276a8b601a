package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/servus-desk/servus/internal/mail"
	"github.com/servus-desk/servus/internal/ticket"
)

// entryHTML is the HTML that came by mail with entry e of ticket number,
// sanitised once more for the page (mail.SafeHTML, whatever the database
// holds): a cid: image shows only when it is an image attachment of that
// same entry among files (the attachments the person may see), from its
// download address; every other image goes. "" when the entry has no HTML
// or nothing of it is left: the page then shows the text.
func entryHTML(number int64, e *ticket.Entry, files []*ticket.Attachment) template.HTML {
	if e == nil || e.BodyHTML == "" {
		return ""
	}
	return template.HTML(mail.SafeHTML(e.BodyHTML, func(id string) string {
		for _, f := range files {
			if f.EntryID == e.ID && f.ContentID != "" && strings.EqualFold(f.ContentID, id) && inlineImage(f.ContentType) {
				return ticketPath(number) + "/attachments/" + strconv.FormatInt(f.ID, 10)
			}
		}
		return ""
	}))
}

// inlineImage reports whether downloadAttachment shows files of type ct
// inline (as an image may be shown in a page).
func inlineImage(ct string) bool {
	switch ct {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}
