// Package mail turns one raw RFC 5322 message into what the ticket system
// needs: decoded headers and addresses, the readable body, the new text of a
// reply without its quoted history, sanitised HTML, attachments, and whether
// the mail is an auto-reply or a bounce.
//
// It is a leaf package: it knows nothing about tickets or storage. Parse is
// lenient (real mail is broken in every way imaginable) and never panics;
// QuoteCut, SubjectTag, NormalizeSubject and Classify are pure functions that
// the inbound path can also use on their own.
package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/textproto"
	"strings"
	"time"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"
)

// Limits that bound the memory and time Parse spends on one message.
const (
	// MaxSize is the largest raw message Parse accepts (50 MiB).
	MaxSize = 50 << 20
	// MaxParts is the most MIME parts Parse looks at; further parts are
	// skipped with a warning.
	MaxParts = 1000
	// maxDepth bounds the nesting of multiparts Parse walks.
	maxDepth = 50
	// maxBoundaries bounds the multipart containers handed to the MIME
	// parser; a message with more is read in degraded mode (headers and the
	// body as text), because the parser's cost grows with their nesting.
	maxBoundaries = 300
	maxAddresses  = 1000
	maxIDs        = 100
)

// Errors returned by Parse.
var (
	// ErrEmpty is returned for an empty message.
	ErrEmpty = errors.New("mail: empty message")
	// ErrTooLarge is returned for a message larger than MaxSize.
	ErrTooLarge = errors.New("mail: message larger than 50 MiB")
	// ErrUnreadable is returned when nothing usable could be read (the
	// parser failed in a way it could not recover from).
	ErrUnreadable = errors.New("mail: message unreadable")
)

// AutoKind says whether a message was sent by a machine in response to
// another one, and so must neither make a ticket nor be answered.
type AutoKind int

// The kinds of automatic mail.
const (
	// AutoNone is a mail written by a person (or at least not known to be
	// automatic).
	AutoNone AutoKind = iota
	// AutoReply is an automatic reply or notification: out-of-office and
	// vacation replies, RFC 3834 auto-generated mail, bulk/list precedence,
	// read receipts.
	AutoReply
	// AutoBounce is a delivery status notification or other bounce.
	AutoBounce
)

// String returns "none", "auto-reply" or "bounce".
func (k AutoKind) String() string {
	switch k {
	case AutoReply:
		return "auto-reply"
	case AutoBounce:
		return "bounce"
	default:
		return "none"
	}
}

// MarshalText implements encoding.TextMarshaler with String's names.
func (k AutoKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler for String's names.
func (k *AutoKind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "none", "":
		*k = AutoNone
	case "auto-reply":
		*k = AutoReply
	case "bounce":
		*k = AutoBounce
	default:
		return fmt.Errorf("mail: unknown auto kind %q", b)
	}
	return nil
}

// Part is an attachment or an inline image.
type Part struct {
	Name        string // file name, never empty, without directories
	ContentType string // lowercased media type without parameters
	ContentID   string // without <>, for cid: references from the HTML
	Inline      bool   // shown within the body (an image referenced by cid:, or disposition inline)
	Data        []byte // decoded content (for message/rfc822: the attached mail as .eml)
}

// Bounce holds what a delivery status notification says about the mail
// that bounced.
type Bounce struct {
	// Recipients are the addresses delivery failed for (Action: failed, or
	// X-Failed-Recipients), lowercased. A delay notification has none.
	Recipients []string `json:"recipients,omitempty"`
	// OriginalMessageID is the Message-ID (without <>) of the mail that
	// bounced, from the returned message or its headers; "" if unknown.
	OriginalMessageID string `json:"original_message_id,omitempty"`
	// Report is true when the mail held a delivery-status report (RFC
	// 3464); without one (qmail, some gateways) a bounce names its failed
	// recipients only in prose, if at all.
	Report bool `json:"report,omitempty"`
	// Status is the RFC 3463 status code of the first failed (or delayed)
	// recipient ("5.1.1"), if the report or the text gives one.
	Status string `json:"status,omitempty"`
	// Reason says in a few words why delivery failed, for the note on the
	// ticket: "mailbox full", "unknown user", "unknown domain", "rejected",
	// "message too large", "mail loop", "not a list member" or "delayed";
	// "" if the bounce does not say.
	Reason string `json:"reason,omitempty"`
}

// Message is a parsed inbound mail.
type Message struct {
	MessageID   string    // without <>; synthesised from the content if missing (see MessageIDSynthesized)
	InReplyTo   []string  // message IDs without <>
	References  []string  // message IDs without <>, oldest first, at most the last 100
	From        Address   // first From mailbox (Sender, then Reply-To, then Return-Path, if From has none)
	ReplyTo     []Address // Reply-To mailboxes
	To, Cc      []Address // recipients
	DeliveredTo []string  // Delivered-To, X-Original-To and Envelope-To addresses, lowercased, deduplicated
	ReturnPath  string    // envelope sender, lowercased; "" for the null sender <> or when absent
	Subject     string    // decoded (RFC 2047), whitespace-normalised
	Date        time.Time // the Date header; zero if missing or unparseable
	Text        string    // the readable body: text/plain part(s), else the HTML converted to text
	HTML        string    // sanitised HTML, if the mail had HTML; cid: image references are kept
	NewHTML     string    // HTML's new part, cut like NewText and sanitised like HTML; "" when it does not say what NewText says
	NewText     string    // Text without quoted history and signature (see QuoteCut)
	Attachments []Part    // attachments and inline images, in MIME order
	Auto        AutoKind  // see Classify
	AutoReason  string    // why Auto was set, for logs ("Auto-Submitted: auto-replied", …)
	Bounce      *Bounce   // for AutoBounce: what bounced, if the report says
	Hash        string    // hex SHA-256 of the raw bytes

	// MessageIDSynthesized is true when the mail had no usable Message-ID
	// and MessageID was made from a hash of its stable headers and body.
	MessageIDSynthesized bool
	// SuppressAutoResponse is true when servus must not answer this mail
	// automatically: it is automatic itself, it asks for no auto-responses
	// (X-Auto-Response-Suppress), or it came through a mailing list.
	SuppressAutoResponse bool
	// Header is the top-level header as received (values not decoded).
	Header textproto.MIMEHeader
	// Warnings lists what was broken and repaired while parsing, for the
	// failed-mail view and logs; a message with warnings is still usable.
	Warnings []string
}

// newParser is the enmime configuration: as lenient as it gets, and with
// enmime's charset conversion switched off (see parseMediaTypeRaw): bodyString
// decodes text parts with every charset x/text knows and repairs mislabelled
// ones, and text attachments keep their bytes.
func newParser() *enmime.Parser {
	return enmime.NewParser(
		enmime.SkipMalformedParts(true),
		enmime.MultipartWOBoundaryAsSinglePart(true),
		enmime.SetReadPartErrorPolicy(func(*enmime.Part, error) bool { return true }),
		enmime.SetCustomParseMediaType(parseMediaTypeRaw),
		enmime.DisableCharacterDetection(true),
		enmime.MinCharsetDetectRunes(1<<30),
		enmime.DisableTextConversion(true),
		enmime.MaxStoredPartErrors(50),
	)
}

// Parse reads one raw RFC 5322 message. It is lenient: broken headers,
// charsets, encodings and MIME structure are repaired where possible and
// noted in Message.Warnings. It returns ErrEmpty for an empty message,
// ErrTooLarge above MaxSize, and ErrUnreadable when nothing usable could be
// read; it never panics.
func Parse(raw []byte) (msg *Message, err error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, ErrEmpty
	}
	if len(raw) > MaxSize {
		return nil, ErrTooLarge
	}
	defer func() {
		if r := recover(); r != nil {
			msg, err = nil, fmt.Errorf("%w: %v", ErrUnreadable, r)
		}
	}()
	sum := sha256.Sum256(raw)
	m := &Message{Hash: hex.EncodeToString(sum[:])}

	data := normalizeNewlines(raw)
	var root *enmime.Part
	if countBoundaries(data) <= maxBoundaries {
		root, err = newParser().ReadParts(bytes.NewReader(data))
		if err != nil {
			m.warn("MIME structure unreadable, read as plain text: %v", err)
			root = nil
		}
	} else {
		m.warn("more than %d multipart boundaries, read as plain text", maxBoundaries)
	}
	if root == nil {
		root = degradedPart(data)
	}
	m.Header = canonicalHeader(root.Header)
	m.readHeaders(data)
	m.readBody(root, data)
	m.Auto, m.AutoReason = classify(m.Header, m.Subject)
	if m.Auto != AutoBounce {
		if ok, why := classifyContent(m.Header, m.Subject, m.Text); ok {
			m.Auto, m.AutoReason = AutoBounce, why
		}
	}
	if m.Auto == AutoBounce {
		m.Bounce = readBounce(root, m.Header, m.Text)
	}
	m.SuppressAutoResponse = m.Auto != AutoNone || suppressAutoResponse(m.Header)
	return m, nil
}

func (m *Message) warn(format string, args ...any) {
	if len(m.Warnings) < 50 {
		m.Warnings = append(m.Warnings, fmt.Sprintf(format, args...))
	}
}

// parseMediaTypeRaw is enmime's lenient media type parser, except that text
// parts are declared UTF-8 (which enmime passes through unchanged, without
// guessing); the declared charset stays in the part's header for bodyString.
func parseMediaTypeRaw(ctype string) (string, map[string]string, []string, error) {
	mt, params, invalid, err := mediatype.ParseWithOptions(ctype, mediatype.ParseOptions{StripMediaTypeInvalidCharacters: true})
	if err == nil && strings.HasPrefix(strings.ToLower(mt), "text/") {
		if params == nil {
			params = map[string]string{}
		}
		params["charset"] = "utf-8"
	}
	return mt, params, invalid, err
}

// normalizeNewlines turns a message with only CR line ends (classic Mac) into
// LF; CRLF and LF are both fine for the parser.
func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\n') < 0 && bytes.IndexByte(b, '\r') >= 0 {
		return bytes.ReplaceAll(b, []byte{'\r'}, []byte{'\n'})
	}
	return b
}

// countBoundaries counts "boundary=" parameters, case-insensitively, in the
// first MaxSize bytes.
func countBoundaries(b []byte) int {
	n := 0
	for i := 0; i+9 <= len(b); {
		j := bytes.IndexByte(b[i:], '=')
		if j < 0 {
			break
		}
		i += j + 1
		if i >= 9 && bytes.EqualFold(b[i-9:i-1], []byte("boundary")) {
			n++
		}
	}
	return n
}

// degradedPart builds a single text part from a message the MIME parser
// could not read: our own lenient header split, and the body as it is.
func degradedPart(raw []byte) *enmime.Part {
	h, body := splitHeader(raw)
	p := enmime.NewPart("text/plain")
	p.Header = h
	p.Content = body
	return p
}

// readHeaders fills the header fields of m.
func (m *Message) readHeaders(raw []byte) {
	h := m.Header
	get := func(k string) string { return firstHeader(h, k) }

	m.Subject = normalizeSpace(decodeHeader(get("Subject")))

	if ids := parseMsgIDs(get("Message-Id")); len(ids) > 0 {
		m.MessageID = ids[0]
	} else {
		m.MessageID = synthMessageID(h, raw)
		m.MessageIDSynthesized = true
		m.warn("no Message-ID; synthesised %s", m.MessageID)
	}
	m.InReplyTo = parseMsgIDs(strings.Join(h["In-Reply-To"], " "))
	m.References = parseMsgIDs(strings.Join(h["References"], " "))

	if from := parseAddressList(get("From")); len(from) > 0 {
		m.From = from[0]
	} else if sender := parseAddressList(get("Sender")); len(sender) > 0 {
		m.From = sender[0]
		m.warn("no usable From; using Sender")
	} else if rt := parseAddressList(strings.Join(h["Reply-To"], ", ")); len(rt) > 0 {
		m.From = rt[0]
		m.warn("no usable From; using Reply-To")
	} else if rp := parseAddressList(get("Return-Path")); len(rp) > 0 {
		m.From = rp[0]
		m.warn("no usable From; using Return-Path")
	} else {
		m.warn("no usable From")
	}
	m.ReplyTo = parseAddressList(strings.Join(h["Reply-To"], ", "))
	m.To = parseAddressList(strings.Join(h["To"], ", "))
	m.Cc = parseAddressList(strings.Join(h["Cc"], ", "))

	seen := map[string]bool{}
	for _, k := range []string{"Delivered-To", "X-Original-To", "Envelope-To"} {
		for _, v := range h[k] {
			for _, a := range parseAddressList(v) {
				if !seen[a.Email] {
					seen[a.Email] = true
					m.DeliveredTo = append(m.DeliveredTo, a.Email)
				}
			}
		}
	}
	// The last Return-Path is the one the final MTA added.
	if rps := h["Return-Path"]; len(rps) > 0 {
		if rp := parseAddressList(rps[len(rps)-1]); len(rp) > 0 {
			m.ReturnPath = rp[0].Email
		}
	}
	m.Date = parseDate(get("Date"))
}

// synthMessageID makes a stable Message-ID for a mail without one, from the
// headers a redelivery keeps and the body (not the trace headers that each
// hop adds), so the same mail delivered twice gets the same ID.
func synthMessageID(h textproto.MIMEHeader, raw []byte) string {
	s := sha256.New()
	for _, k := range []string{"From", "To", "Cc", "Date", "Subject"} {
		fmt.Fprintf(s, "%s:%s\n", k, strings.Join(h[k], ","))
	}
	_, body := splitHeader(raw)
	s.Write(body)
	return hex.EncodeToString(s.Sum(nil))[:40] + "@servus.invalid"
}

// splitHeader reads the header block of raw leniently (unfolding, skipping
// lines that are not fields) and returns it with the body that follows.
func splitHeader(raw []byte) (textproto.MIMEHeader, []byte) {
	h := textproto.MIMEHeader{}
	var body []byte
	end := len(raw)
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		end, body = i, raw[i+2:]
	}
	if i := bytes.Index(raw, []byte("\n\r\n")); i >= 0 && i < end {
		end, body = i, raw[i+3:]
	}
	var key string
	for _, line := range strings.Split(string(raw[:end]), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && key != "" {
			vs := h[key]
			vs[len(vs)-1] += " " + strings.TrimSpace(line)
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			key = ""
			continue
		}
		key = textproto.CanonicalMIMEHeaderKey(k)
		h[key] = append(h[key], strings.TrimSpace(v))
	}
	return h, body
}
