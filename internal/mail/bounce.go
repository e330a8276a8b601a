package mail

import (
	"net/textproto"
	"regexp"
	"strings"
)

// Bounces recognised by what they say, for the mail servers that send
// their delivery reports as plain text or from an address that names no
// mailer daemon. The phrases are those of the servers' own templates: one
// row per server, with the source.
type bounceText struct {
	server, source string
	phrases        []string // lowercase; one in the opening of the text is enough
}

var bounceTexts = []bounceText{
	{"Postfix", "bounce(5) templates", []string{"this is the mail system at host", "i'm sorry to have to inform you that your message could not"}},
	{"Exim", "exim's bounce_message_text", []string{"this message was created automatically by mail delivery software", "a message that you sent could not be delivered to one or more of its"}},
	{"qmail", "qmail-send", []string{"this is the qmail-send program at", "i wasn't able to deliver your message to the following addresses"}},
	{"Sendmail", "sendmail's DSN text", []string{"the following addresses had permanent fatal errors", "----- transcript of session follows -----", "the original message was received at"}},
	{"Exchange, Microsoft 365", "NDR texts (en, de)", []string{"delivery has failed to these recipients or groups", "your message did not reach some or all of the intended recipients", "die zustellung an folgende empfänger oder gruppen ist fehlgeschlagen", "your message couldn't be delivered"}},
	{"Domino", "Notes mail router", []string{"was not delivered to:", "wurde nicht zugestellt an:", "not listed in domino directory", "nicht im domino-verzeichnis"}},
	{"Amazon SES", "SES bounce mail", []string{"an error occurred while trying to deliver the mail to the following recipients"}},
	{"SendGrid", "SendGrid bounce mail", []string{"was undeliverable.\nthe reason for the problem:"}},
	{"Gmail", "Google's delivery failure mail", []string{"your message wasn't delivered to", "the group you tried to contact"}},
	{"au/KDDI, docomo", "carrier mail gateways", []string{"this message was undeliverable due to the following reason"}},
	{"Verizon", "vtext.com gateway", []string{"message could not be delivered to mobile"}},
	{"MDaemon", "MDaemon's delivery failure and warning messages", []string{"the attached message had permanent fatal delivery errors", "your message was not delivered to one or more recipients", "the attached message has not yet been delivered", "your message has not yet been delivered to one or more recipients"}},
	{"Kerio Connect, hMailServer", "their non-delivery reports", []string{"the following recipient(s) could not be reached"}},
	{"Mimecast", "Mimecast's rejection notice", []string{"this notification was sent by mimecast"}},
	{"Barracuda", "Barracuda Email Security's block notice", []string{"was blocked by our spam firewall", "the email you sent with the following subject has not been delivered"}},
	{"Proofpoint", "Proofpoint Protection Server and Essentials", []string{"your message could not be delivered to the following recipients"}},
	{"Mailman, Sympa, LISTSERV, Google Groups", "list managers' rejection notices", []string{"you are not allowed to post to this mailing list", "is not a subscriber of the list", "you are not authorized to send mail to the", "you are not a member of", "only members can post", "you may not have permission to post"}},
}

// Subjects of bounces; a reply or forward ("Re:", "Fwd:", "AW:", "WG:") is
// a person's mail about a bounce, not a bounce.
var (
	reBounceSubject = regexp.MustCompile(`(?i)^(undelivered mail|undeliverable|unzustellbar|non remis|non recapitabile|no se puede entregar|onbestelbaar|mail delivery failed|delivery status notification|delivery failure|returned mail|failure notice|mail system error|delivery notification|message not delivered|nondeliverable|delayed mail|warning: message|message rejected|rejected posting|zustellungsfehler|message distribution: authorization denied|undeliverable mail|permanent delivery failure|message delivery failure|message undeliverable|mimecast email rejection|\*{0,2}\s*message you sent blocked)`)
	reReplySubject  = regexp.MustCompile(`(?i)^\s*(re|aw|fwd?|wg|tr|sv|vs|antw|rif|r|odp|pd)\s*(\[\d+\])?\s*:`)
	reSystemSender  = regexp.MustCompile(`(?i)(^|[^a-z])(mailer-?daemon|mail-?daemon|postmaster|post_master|mail delivery|mail router|mail administrator|postfix|listserv|sympa|majordomo|mailman|no-?reply|[a-z0-9-]+-(owner|bounces|request))([^a-z]|$)`)
)

// classifyContent decides by what a mail says whether it is a bounce, for
// mail whose headers did not tell. A person's mail about a bounce (a reply
// or forward, or a question with a bounce pasted further down) is none: the
// bounce text must open the mail (at most one line before it), or come from a system sender under a
// bounce subject.
func classifyContent(h textproto.MIMEHeader, subject, text string) (bool, string) {
	if reReplySubject.MatchString(subject) {
		return false, ""
	}
	opening := strings.ToLower(text)
	if len(opening) > 2000 {
		opening = opening[:2000]
	}
	system := reSystemSender.MatchString(strings.Join(h["From"], " ")) || reSystemSender.MatchString(strings.Join(h["Sender"], " "))
	bounceSubject := reBounceSubject.MatchString(subject)
	for _, bt := range bounceTexts {
		for _, p := range bt.phrases {
			i := strings.Index(opening, p)
			if i < 0 {
				continue
			}
			if system || bounceSubject || opensWith(opening[:i]) {
				return true, "bounce text (" + bt.server + ")"
			}
		}
	}
	if system && bounceSubject {
		return true, "bounce subject from " + strings.TrimSpace(firstHeader(h, "From"))
	}
	return false, ""
}

// opensWith reports whether the text before a bounce phrase is at most one
// line: a bounce opens with its template, a person writes something first.
func opensWith(before string) bool {
	n := 0
	for _, l := range strings.Split(before, "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n <= 1
}

// nullSender reports whether a From header names a mailer daemon without a
// usable address ("MAILER-DAEMON <>", "<MAILER-DAEMON>", "MAILER-DAEMON").
func nullSender(from string) bool {
	f := strings.ToLower(from)
	return strings.Contains(f, "mailer-daemon") || strings.Contains(f, "postmaster")
}

// The reason a bounce gives, from the DSN status code or its prose.
var (
	bounceReasons = []struct {
		reason string
		re     *regexp.Regexp
	}{
		{"mailbox full", regexp.MustCompile(`(?i)mailbox (is )?full|over ?quota|quota exceeded|exceeded (its|the) (storage|quota)|insufficient (system )?storage|postfach des empfängers ist voll|postfach (ist )?voll|mailbox size limit`)},
		{"unknown user", regexp.MustCompile(`(?i)user unknown|unknown user|no such user|no mailbox here|does not exist|doesn't exist|couldn't be found|could not be found|recipnotfound|recipient not found|unknown recipient|invalid recipient|no valid recipients|mailbox unavailable|mailbox not found|not listed in domino directory|nicht im domino-verzeichnis|address not found|bad destination email address|account does not exist|e-mail account does not exist`)},
		{"unknown domain", regexp.MustCompile(`(?i)unrouteable address|unroutable|host not found|domain not found|no mx|name or service not known|host or domain name not found|domain does not exist`)},
		{"not a list member", regexp.MustCompile(`(?i)not allowed to post|not a subscriber|not a member|only members|non-member|may not have permission to post|not authorized to send mail to the`)},
		{"message too large", regexp.MustCompile(`(?i)message size exceeds|message too (large|big)|size limit exceeded|exceeds (the )?(maximum|fixed maximum) (message )?size`)},
		{"mail loop", regexp.MustCompile(`(?i)mail loop|too many hops|loops back to myself`)},
		{"rejected", regexp.MustCompile(`(?i)rejected|blocked|blacklist|spam|denied|refused|policy`)},
		{"delayed", regexp.MustCompile(`(?i)warning only|still being retried|will be retried|delivery (is|has been) delayed|not yet been delivered|delayed mail`)},
	}
	reStatusCode = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)
)

// reasonFromStatus maps an RFC 3463 status code to a reason.
func reasonFromStatus(code string) string {
	m := reStatusCode.FindStringSubmatch(code)
	if m == nil {
		return ""
	}
	if m[1] == "4" {
		return "delayed"
	}
	switch m[2] + "." + m[3] {
	case "2.2":
		return "mailbox full"
	case "1.1", "1.0", "1.6", "1.10", "2.1":
		return "unknown user"
	case "1.2", "4.4":
		return "unknown domain"
	case "3.4", "2.3":
		return "message too large"
	case "4.6":
		return "mail loop"
	}
	if m[2] == "7" {
		return "rejected"
	}
	return ""
}

// reasonFromText finds the reason in a bounce's prose.
func reasonFromText(s string) string {
	if len(s) > 8000 {
		s = s[:8000]
	}
	// The copy of the original mail is no reason.
	for _, marker := range []string{"------ This is a copy of the message", "--- Below this line is a copy of the message", "----- Original message -----"} {
		if i := strings.Index(s, marker); i >= 0 {
			s = s[:i]
		}
	}
	for _, r := range bounceReasons {
		if r.re.MatchString(s) {
			return r.reason
		}
	}
	if m := reStatusCode.FindString(s); m != "" {
		return reasonFromStatus(m)
	}
	return ""
}

// Failed recipients named in a bounce's prose: Postfix, qmail, Sendmail
// ("<ann@x>: …", "<ann@x>... User unknown", "<ann@x>" alone), Exim and
// Domino (the address alone, indented), Exchange ("ann@x (ann@x)"), SES and
// SendGrid ("… to <ann@x> was undeliverable", the address alone), MDaemon's
// and Sendmail's transcripts ("RCPT To:<ann@x>"), Barracuda ("Your message
// to: ann@x").
var reProseRecipient = regexp.MustCompile(`(?m)^\s*(?:recipient:\s*)?<?([^\s<>()@:;,"']+@[a-z0-9.-]+\.[a-z]{2,})>?(?::|\.\.\.|\s*\([^()]*\))?\s*$|^\s*<([^\s<>@]+@[a-z0-9.-]+\.[a-z]{2,})>(?::|\.\.\.)|message to <([^\s<>@]+@[^\s<>]+)> was undeliverable|wasn't delivered to ([^\s<>@]+@[a-z0-9.-]+\.[a-z]{2,})|rcpt to:\s*<([^\s<>@]+@[a-z0-9.-]+\.[a-z]{2,})>|your message to:?\s+<?([^\s<>@]+@[a-z0-9.-]+\.[a-z]{2,})>?`)

// proseRecipients returns the failed recipients a plain-text bounce names,
// lowercased, before the copy of the original message.
func proseRecipients(s string) []string {
	if len(s) > 8000 {
		s = s[:8000]
	}
	for _, marker := range []string{"------ This is a copy of the message", "--- Below this line is a copy of the message", "Return-path:", "Return-Path:"} {
		if i := strings.Index(s, marker); i >= 0 {
			s = s[:i]
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, m := range reProseRecipient.FindAllStringSubmatch(strings.ToLower(s), 20) {
		for _, a := range m[1:] {
			a = strings.TrimSuffix(a, ".")
			if a != "" && !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	return out
}
