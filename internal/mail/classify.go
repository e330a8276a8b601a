package mail

import (
	"mime"
	"net/textproto"
	"regexp"
	"strings"

	"github.com/jhillyerd/enmime/v2"
)

// Classify decides from a message's top-level header (keys in canonical
// form, values as received) whether it was sent by a machine. Parse calls it;
// it is exported for channels that see headers before the body.
//
// Bounces (AutoBounce), checked first:
//   - Content-Type multipart/report; report-type=delivery-status (RFC 3464);
//   - From a MAILER-DAEMON or postmaster mailbox, also without a domain or
//     address ("MAILER-DAEMON <>", "<MAILER-DAEMON>");
//   - an X-Failed-Recipients header (Exim);
//   - the null envelope sender (Return-Path: <>) on a mail that is not an
//     auto-reply by the rules below (RFC 3834 auto-replies use <> too).
//
// Auto-replies (AutoReply):
//   - Auto-Submitted with any value but "no" (RFC 3834: auto-replied,
//     auto-generated, auto-notified);
//   - X-Autoreply, X-Autorespond, X-Autoresponder, X-Autoresponse or
//     X-Mail-Autoreply with a value other than "no"/"false"/"0";
//   - Precedence bulk, junk, list or auto_reply;
//   - multipart/report; report-type=disposition-notification (read
//     receipts);
//   - subjects of out-of-office replies in German and English, matched only
//     as a prefix followed by ":" ("Abwesenheitsnotiz: …", "Automatische
//     Antwort: …", "Out of Office: …", "Autoreply: …", "Auto-Reply: …",
//     "Urlaub: …") or as the whole subject ("Out of Office", "Urlaub",
//     "I am out of the office until 20.03.2026"), so that "Abwesenheitsnotiz
//     einrichten?" from a person still makes a ticket; and the prefixes of
//     Outlook's other language packs (oooSubjects: "Réponse automatique :",
//     "Automatisch antwoord:", "自动回复:", …).
//
// Parse also classifies by content (bounce.go): a mail whose opening is a
// mail server's bounce template (Postfix, Exim, qmail, Sendmail, Exchange,
// Domino, Amazon SES, SendGrid, Gmail, carriers, list managers' rejections)
// or that comes from a system sender under a bounce subject is a bounce;
// replies and forwards ("Re:", "Fwd:") never are.
//
// Deliberately not used:
//   - X-Auto-Response-Suppress: Outlook and Exchange put it on ordinary mail
//     that systems send (and servus itself does); it asks the receiver not to
//     answer automatically, so Parse reports it in SuppressAutoResponse but
//     the mail may be a person's request.
//   - List-Id, List-Unsubscribe: a functional address is often a list or
//     group alias (Mailman, Google Groups, Sympa) that adds them to every
//     request a person writes. They also set SuppressAutoResponse, so servus
//     never answers a list automatically.
func Classify(h textproto.MIMEHeader) AutoKind {
	k, _ := classify(h, normalizeSpace(decodeHeader(h.Get("Subject"))))
	return k
}

var (
	reOOOPrefix = regexp.MustCompile(`(?i)^(abwesenheitsnotiz|abwesenheit|automatische antwort|automatic reply|auto(matic)?[- ]?reply|autoresponse|auto[- ]?response|out of (the )?office( reply| autoreply)?|ooo|urlaub|vacation( reply)?|away from (the )?office|nicht im büro|ich bin nicht im büro|i am out of the office|ich bin (bis .{1,30} )?(nicht im büro|abwesend))\s*:`)
	reOOOWhole  = regexp.MustCompile(`(?i)^(abwesenheitsnotiz|automatische antwort|automatic reply|auto-?reply|out of (the )?office|urlaub|vacation|i am out of the office( until .{1,40})?\.?|i will be out of the office( until .{1,40})?\.?|ich bin (bis .{1,40} )?(nicht im büro|abwesend)\.?|ich bin nicht im büro( bis .{1,40})?\.?)$`)
)

// oooSubject is one language's subject prefixes of out-of-office replies,
// as Outlook's language packs ("Automatic reply:"), Exchange's and
// Gmail's vacation responders and webmailers write them. A subject must
// start with one and go on with ":" to count.
type oooSubject struct {
	lang, source string
	prefixes     []string
}

var oooSubjects = []oooSubject{
	{"fr", "Outlook, OWA", []string{"réponse automatique", "absence du bureau", "absent du bureau", "message d'absence"}},
	{"es", "Outlook, OWA", []string{"respuesta automática", "fuera de la oficina"}},
	{"it", "Outlook, OWA", []string{"risposta automatica", "fuori sede", "fuori ufficio"}},
	{"pt", "Outlook, OWA", []string{"resposta automática", "ausente do escritório", "fora do escritório"}},
	{"nl", "Outlook, OWA", []string{"automatisch antwoord", "afwezig", "niet aanwezig", "buiten kantoor"}},
	{"pl", "Outlook, OWA", []string{"automatyczna odpowiedź", "poza biurem"}},
	{"cs", "Outlook, OWA", []string{"automatická odpověď", "mimo kancelář"}},
	{"sk", "Outlook, OWA", []string{"automatická odpoveď", "mimo kancelárie"}},
	{"hu", "Outlook, OWA", []string{"automatikus válasz", "házon kívül"}},
	{"sl", "Outlook, OWA", []string{"samodejni odgovor"}},
	{"hr", "Outlook, OWA", []string{"automatski odgovor", "izvan ureda"}},
	{"ro", "Outlook, OWA", []string{"răspuns automat", "în afara biroului"}},
	{"da no", "Outlook, OWA", []string{"automatisk svar", "ikke på kontoret", "fraværende"}},
	{"sv", "Outlook, OWA", []string{"automatiskt svar", "frånvarande", "inte på kontoret"}},
	{"fi", "Outlook, OWA", []string{"automaattinen vastaus", "poissa toimistosta", "lomavastaaja"}},
	{"ru", "Outlook, OWA", []string{"автоматический ответ", "вне офиса", "нет на работе"}},
	{"uk", "Outlook, OWA", []string{"автоматична відповідь", "поза офісом"}},
	{"tr", "Outlook, OWA", []string{"otomatik yanıt", "otomatik cevap", "ofis dışında"}},
	{"el", "Outlook, OWA", []string{"αυτόματη απάντηση", "εκτός γραφείου"}},
	{"zh", "Outlook, QQ Mail", []string{"自动回复", "自動回覆", "自动答复", "不在办公室"}},
	{"ja", "Outlook", []string{"自動応答", "自動返信"}},
	{"ko", "Outlook", []string{"자동 회신"}},
	{"vi", "Outlook", []string{"trả lời tự động"}},
}

var reOOOLang = func() *regexp.Regexp {
	var ps []string
	for _, o := range oooSubjects {
		for _, p := range o.prefixes {
			ps = append(ps, regexp.QuoteMeta(p))
		}
	}
	return regexp.MustCompile(`(?i)^(` + strings.Join(ps, "|") + `)\s*[:：]`)
}()

// classify is Classify with the decoded subject supplied, returning also the
// reason for logs.
func classify(h textproto.MIMEHeader, subject string) (AutoKind, string) {
	ct := strings.ToLower(h.Get("Content-Type"))
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, params = "", map[string]string{}
		if strings.HasPrefix(ct, "multipart/report") {
			mt = "multipart/report"
			if strings.Contains(ct, "delivery-status") {
				params["report-type"] = "delivery-status"
			} else if strings.Contains(ct, "disposition-notification") {
				params["report-type"] = "disposition-notification"
			}
		}
	}
	if mt == "multipart/report" {
		switch strings.ToLower(params["report-type"]) {
		case "delivery-status", "global-delivery-status":
			return AutoBounce, "multipart/report delivery-status"
		case "disposition-notification", "global-disposition-notification":
			return AutoReply, "read receipt (disposition-notification)"
		}
	}
	from := parseAddressList(h.Get("From"))
	for _, a := range from {
		local, _, _ := strings.Cut(a.Email, "@")
		if local == "mailer-daemon" || local == "postmaster" {
			return AutoBounce, "From " + a.Email
		}
	}
	if len(from) == 0 && nullSender(h.Get("From")) {
		// "MAILER-DAEMON <>", "<MAILER-DAEMON>": no address to answer.
		return AutoBounce, "From " + strings.TrimSpace(h.Get("From"))
	}
	if h.Get("X-Failed-Recipients") != "" {
		return AutoBounce, "X-Failed-Recipients"
	}

	if v := token(h.Get("Auto-Submitted")); v != "" && v != "no" {
		return AutoReply, "Auto-Submitted: " + v
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Autoresponse", "X-Mail-Autoreply"} {
		if vs, ok := h[k]; ok {
			v := ""
			if len(vs) > 0 {
				v = token(vs[0])
			}
			if v != "no" && v != "false" && v != "0" {
				return AutoReply, k
			}
		}
	}
	switch v := token(h.Get("Precedence")); v {
	case "bulk", "junk", "list", "auto_reply", "auto-reply":
		return AutoReply, "Precedence: " + v
	}
	if s := strings.TrimSpace(subject); reOOOPrefix.MatchString(s) || reOOOWhole.MatchString(s) || reOOOLang.MatchString(s) {
		return AutoReply, "out-of-office subject"
	}

	if rps := h["Return-Path"]; len(rps) > 0 {
		rp := strings.Join(strings.Fields(rps[len(rps)-1]), "")
		if rp == "<>" {
			return AutoBounce, "null return path"
		}
	}
	return AutoNone, ""
}

// token returns the first word of a header value, lowercased, without
// parameters or comments.
func token(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if i := strings.IndexAny(v, ";( \t"); i >= 0 {
		v = v[:i]
	}
	return v
}

// suppressAutoResponse reports whether the header asks not to be answered
// automatically or comes through a mailing list.
func suppressAutoResponse(h textproto.MIMEHeader) bool {
	if v := strings.ToLower(h.Get("X-Auto-Response-Suppress")); v != "" && v != "none" {
		return true
	}
	for _, k := range []string{"List-Id", "List-Unsubscribe", "List-Post"} {
		if h.Get(k) != "" {
			return true
		}
	}
	return false
}

var reBodyMessageID = regexp.MustCompile(`(?im)^\s*message-id:\s*<([^<>\s]{3,900})>`)

// readBounce extracts the failed recipients, the reason and the original
// Message-ID from a bounce: the RFC 3464 delivery-status part and the returned
// message/rfc822 or text/rfc822-headers part, else X-Failed-Recipients and a
// "Message-ID:" line in the text (Exim and qmail quote the original headers).
func readBounce(root *enmime.Part, h textproto.MIMEHeader, text string) *Bounce {
	b := &Bounce{}
	seen := map[string]bool{}
	addRcpt := func(v string) {
		if _, addr, ok := strings.Cut(v, ";"); ok {
			v = addr
		}
		for _, a := range parseAddressList(v) {
			if !seen[a.Email] {
				seen[a.Email] = true
				b.Recipients = append(b.Recipients, a.Email)
			}
		}
	}
	visited := 0
	var walk func(p *enmime.Part, depth int)
	walk = func(p *enmime.Part, depth int) {
		if p == nil || depth > maxDepth || visited > MaxParts {
			return
		}
		visited++
		switch strings.ToLower(p.ContentType) {
		case "message/delivery-status", "message/global-delivery-status", "text/delivery-status":
			b.Report = true
			perMsg, perRcpt := dsnFields(p.Content)
			for _, f := range perRcpt {
				action := strings.ToLower(token(f.Get("Action")))
				status := strings.TrimSpace(f.Get("Status"))
				if b.Status == "" && (action == "failed" || action == "delayed" || strings.HasPrefix(status, "5")) {
					b.Status = reStatusCode.FindString(status)
					b.Reason = reasonFromText(f.Get("Diagnostic-Code"))
					if b.Reason == "" {
						b.Reason = reasonFromStatus(status)
					}
				}
				if action == "failed" || (action == "" && strings.HasPrefix(status, "5")) {
					rcpt := f.Get("Final-Recipient")
					if rcpt == "" {
						rcpt = f.Get("Original-Recipient")
					}
					addRcpt(rcpt)
				}
			}
			if b.OriginalMessageID == "" {
				for _, f := range perMsg {
					if ids := parseMsgIDs(f.Get("Original-Message-Id")); len(ids) > 0 {
						b.OriginalMessageID = ids[0]
					}
				}
			}
		case "message/rfc822", "message/global", "text/rfc822-headers", "message/rfc822-headers", "message/global-headers":
			if b.OriginalMessageID == "" {
				oh, _ := splitHeader(p.Content)
				if ids := parseMsgIDs(firstHeader(oh, "Message-Id")); len(ids) > 0 {
					b.OriginalMessageID = ids[0]
				}
			}
		}
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	if len(b.Recipients) == 0 {
		for _, v := range h["X-Failed-Recipients"] {
			addRcpt(v)
		}
	}
	if len(b.Recipients) == 0 && !b.Report {
		b.Recipients = proseRecipients(text)
	}
	if b.Reason == "" {
		b.Reason = reasonFromText(text)
	}
	if b.Status == "" {
		if c := reStatusCode.FindString(text); c != "" && c[0] != '2' {
			b.Status = c
		}
	}
	if b.OriginalMessageID == "" {
		if m := reBodyMessageID.FindStringSubmatch(text); m != nil {
			b.OriginalMessageID = m[1]
		}
	}
	return b
}

// dsnFields splits a message/delivery-status body into its per-message
// field group and the per-recipient groups.
func dsnFields(b []byte) (perMsg, perRcpt []textproto.MIMEHeader) {
	s := strings.ReplaceAll(fixUTF8(b), "\r\n", "\n")
	for _, block := range strings.Split(s, "\n\n") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		h, _ := splitHeader([]byte(strings.TrimLeft(block, "\n") + "\n\n"))
		if h.Get("Final-Recipient") != "" || h.Get("Original-Recipient") != "" || h.Get("Action") != "" {
			perRcpt = append(perRcpt, h)
		} else {
			perMsg = append(perMsg, h)
		}
	}
	return perMsg, perRcpt
}
