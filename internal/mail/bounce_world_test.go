package mail

import (
	"strings"
	"testing"
)

// Bounces and list rejections as the mail servers of the world write them,
// each reduced to the header fields and text that server produces (written
// from the servers' templates and documentation, see testdata/README.md,
// "Bounce fixtures"); and mails from people that only talk about bounces,
// which must stay tickets.

type bounceCase struct {
	name   string
	raw    string
	auto   AutoKind
	reason string
	rcpt   string // one failed recipient expected in Bounce.Recipients, "" for none
}

func hdr(from, subject string, extra ...string) string {
	h := "From: " + from + "\nTo: servicedesk@uni-beispiel.de\nSubject: " + subject +
		"\nDate: Tue, 12 Mar 2026 10:20:00 +0100\nMessage-ID: <b" + strings.ReplaceAll(subject, " ", "") + "@mx.example>\n"
	for _, e := range extra {
		h += e + "\n"
	}
	return h + "\n"
}

const origHeaders = "\nReturn-path: <servicedesk@uni-beispiel.de>\nMessage-ID: <ticket-1400.1.1@servus.uni-beispiel.de>\nSubject: [#1400] Drucker\n"

var bounceCases = []bounceCase{
	{"null sender MAILER-DAEMON <>", hdr("MAILER-DAEMON <>", "Undelivered Mail Returned to Sender") +
		"This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<eva@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1\n    <eva@example.org>: Recipient address rejected: User unknown in local\n    recipient table (in reply to RCPT TO command)\n",
		AutoBounce, "unknown user", "eva@example.org"},
	{"null sender <MAILER-DAEMON>", hdr("<MAILER-DAEMON>", "failure notice") +
		"Hi. This is the qmail-send program at mail.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<tom@example.net>:\nSorry, no mailbox here by that name. (#5.1.1)\n",
		AutoBounce, "unknown user", "tom@example.net"},
	{"bare MAILER-DAEMON", hdr("MAILER-DAEMON", "Returned mail: see transcript for details") +
		"The original message was received at Tue, 12 Mar 2026 10:15:00 +0100\nfrom servus.uni-beispiel.de [192.0.2.10]\n\n   ----- The following addresses had permanent fatal errors -----\n<ann@example.com>\n    (reason: 550 5.2.2 Mailbox full)\n\n   ----- Transcript of session follows -----\n... while talking to mx.example.com.:\n>>> RCPT To:<ann@example.com>\n<<< 550 5.2.2 <ann@example.com>... Mailbox full\n",
		AutoBounce, "mailbox full", "ann@example.com"},
	{"exim plain text", hdr("Mail Delivery System <Mailer-Daemon@mx.example.org>", "Mail delivery failed: returning message to sender", "Auto-Submitted: auto-replied") +
		"This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  jan@example.org\n    mailbox is full: retry timeout exceeded\n\n------ This is a copy of the message, including all the headers. ------\n" + origHeaders,
		AutoBounce, "mailbox full", "jan@example.org"},
	{"exim without Mailer-Daemon address", hdr("Mail Delivery System <mail@mx.example.org>", "Mail delivery failed: returning message to sender", "Auto-Submitted: auto-replied") +
		"This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  jan@example.org\n    Unrouteable address\n",
		AutoBounce, "unknown domain", "jan@example.org"},
	{"postfix variant, own sender name", hdr("Mail Delivery Service <postfix@mx.example.org>", "Undelivered Mail Returned to Sender") +
		"This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n<lea@example.org>: host mx2.example.org[192.0.2.7] said: 554 5.7.1\n    Service unavailable; Client host blocked using zen.spamhaus.org\n",
		AutoBounce, "rejected", "lea@example.org"},
	{"postfix delay", hdr("Mail Delivery System <postfix@mx.example.org>", "Delayed Mail (still being retried)") +
		"This is the mail system at host mx.example.org.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n",
		AutoBounce, "delayed", ""},
	{"qmail from a person-like address", hdr("noreply@mail.example.net", "failure notice") +
		"Hi. This is the qmail-send program at mail.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<tom@example.net>:\n192.0.2.5 does not like recipient.\nRemote host said: 552 5.2.2 Quota exceeded\n",
		AutoBounce, "mailbox full", "tom@example.net"},
	{"exchange plain text", hdr("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>", "Undeliverable: [#1400] Drucker") +
		"Delivery has failed to these recipients or groups:\n\nkim@example.com (kim@example.com)\nThe email address you entered couldn't be found. Please check the recipient's email address and try to resend the message.\n\nDiagnostic information for administrators:\n\nGenerating server: EX1.example.com\n\nkim@example.com\nRemote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n",
		AutoBounce, "unknown user", "kim@example.com"},
	{"exchange 2003 plain text", hdr("System Administrator <admin@example.com>", "Undeliverable: [#1400] Drucker") +
		"Your message did not reach some or all of the intended recipients.\n\n      Subject:\t[#1400] Drucker\n      Sent:\t12.03.2026 10:15\n\nThe following recipient(s) cannot be reached:\n\n      Kim Beispiel on 12.03.2026 10:16\n            The e-mail account does not exist at the organization this message was sent to.\n            <mx.example.com #5.1.1>\n",
		AutoBounce, "unknown user", ""},
	{"exchange german", hdr("Microsoft Outlook <postmaster@example.de>", "Unzustellbar: [#1400] Drucker") +
		"Die Zustellung an folgende Empfänger oder Gruppen ist fehlgeschlagen:\n\nkim@example.de\nDas Postfach des Empfängers ist voll, und die Nachricht kann nicht zugestellt werden.\n",
		AutoBounce, "mailbox full", "kim@example.de"},
	{"domino", hdr("Mail Router <router@notes.example.com>", "DELIVERY FAILURE: User kim (kim@example.com) not listed in Domino Directory") +
		"Your message\n\n  Subject: [#1400] Drucker\n\nwas not delivered to:\n\n  kim@example.com\n\nbecause:\n\n  User kim (kim@example.com) not listed in Domino Directory\n",
		AutoBounce, "unknown user", "kim@example.com"},
	{"domino german", hdr("Mail Router <router@notes.example.de>", "Zustellungsfehler: Benutzer kim (kim@example.de) nicht im Domino-Verzeichnis aufgeführt") +
		"Ihre Nachricht\n\n  Betreff: [#1400] Drucker\n\nwurde nicht zugestellt an:\n\n  kim@example.de\n\nweil:\n\n  Benutzer kim (kim@example.de) nicht im Domino-Verzeichnis aufgeführt\n",
		AutoBounce, "unknown user", "kim@example.de"},
	{"amazon ses", hdr("MAILER-DAEMON@amazonses.com", "Delivery Status Notification (Failure)") +
		"An error occurred while trying to deliver the mail to the following recipients:\nbob@example.com\n",
		AutoBounce, "", "bob@example.com"},
	{"sendgrid", hdr("SendGrid <no-reply@sendgrid.net>", "Undelivered Mail Returned to Sender") +
		"The following message to <bob@example.com> was undeliverable.\nThe reason for the problem:\n5.1.1 - Bad destination email address - Reject due to 550 5.1.1 The email account that you tried to reach does not exist.\n",
		AutoBounce, "unknown user", "bob@example.com"},
	{"gmail plain", hdr("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Failure)") +
		"Address not found\n\nYour message wasn't delivered to ann@example.com because the address couldn't be found, or is unable to receive mail.\n",
		AutoBounce, "unknown user", "ann@example.com"},
	{"au kddi", hdr("Mail Administrator <Postmaster@ezweb.ne.jp>", "Mail System Error - Returned Mail") +
		"This Message was undeliverable due to the following reason:\n\nThe user(s) account is temporarily over quota.\n\n<taro@ezweb.ne.jp>\n",
		AutoBounce, "mailbox full", "taro@ezweb.ne.jp"},
	{"au kddi unknown", hdr("Mail Administrator <Postmaster@ezweb.ne.jp>", "Mail System Error - Returned Mail") +
		"This Message was undeliverable due to the following reason:\n\nEach of the following recipients was rejected by a remote mail server.\nThe reasons given by the server are included to help you determine why\neach recipient was rejected.\n\n    Recipient: <hanako@ezweb.ne.jp>\n    Reason:    550 <hanako@ezweb.ne.jp>... User unknown\n",
		AutoBounce, "unknown user", "hanako@ezweb.ne.jp"},
	{"docomo", hdr("Mail Delivery Subsystem <MAILER-DAEMON@docomo.ne.jp>", "Returned mail: see transcript for details") +
		"The original message was received at Tue, 12 Mar 2026 18:15:00 +0900\n\n   ----- The following addresses had permanent fatal errors -----\n<jiro@docomo.ne.jp>\n    (reason: 550 Unknown user jiro@docomo.ne.jp)\n",
		AutoBounce, "unknown user", "jiro@docomo.ne.jp"},
	{"verizon", hdr("post_master@vtext.com", "Mail delivery failed") +
		"Message could not be delivered to mobile.\nError: No valid recipients for this MM\n",
		AutoBounce, "unknown user", ""},
	{"mailman not a member", hdr("lug-owner@lists.example.org", "Message rejected: [#1400] Drucker") +
		"You are not allowed to post to this mailing list, and your message has\nbeen automatically rejected.  If you think that your messages are\nbeing rejected in error, contact the mailing list owner at\nlug-owner@lists.example.org.\n",
		AutoBounce, "not a list member", ""},
	{"google groups not a member", hdr("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Failure)") +
		"We're writing to let you know that the group you tried to contact (lug) may not exist, or you may not have permission to post messages to the group.\n",
		AutoBounce, "not a list member", ""},
	{"sympa not a subscriber", hdr("sympa@lists.example.org", "Message distribution: Authorization denied") +
		"Your message for list 'lug' (attached below) was rejected.\nYou are not allowed to send this message for the following reason:\n\n  The sender is not a subscriber of the list lug.\n",
		AutoBounce, "not a list member", ""},
	{"listserv non-member", hdr("L-Soft list server at LISTSERV.EXAMPLE.EDU (16.0) <LISTSERV@LISTSERV.EXAMPLE.EDU>", "Rejected posting to LUG@LISTSERV.EXAMPLE.EDU") +
		"You are not authorized to send mail to the LUG list from your\nservicedesk@uni-beispiel.de account. You might be authorized to send to the\nlist from another of your accounts, or perhaps when using another mail\nprogram. You are not a member of the list.\n",
		AutoBounce, "not a list member", ""},
	{"postmaster with too large", hdr("postmaster@example.org", "Undeliverable mail") +
		"Your message to ann@example.org was rejected:\n552 5.3.4 Message size exceeds fixed maximum message size\n",
		AutoBounce, "message too large", ""},
	{"report with status 5.2.2", "From: MAILER-DAEMON@mx.example.org\nTo: servicedesk@uni-beispiel.de\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <r1@mx.example.org>\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nThis is the mail system.\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; ann@example.org\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Over quota\n--b--\n",
		AutoBounce, "mailbox full", "ann@example.org"},
	{"mdaemon permanent failure", hdr("MDaemon@mail.example.com", "Permanent Delivery Failure") +
		"The attached message had PERMANENT fatal delivery errors!\n\nAfter one or more unsuccessful delivery attempts the attached message has\nbeen removed from the mail queue on this server.  The number and frequency\nof delivery attempts are determined by local configuration parameters.\n\nYOUR MESSAGE WAS NOT DELIVERED TO ONE OR MORE RECIPIENTS!\n\n--- Session Transcript ---\n Tue 2026-03-12 10:16:01: Parsing message <c:\\mdaemon\\remoteq\\pd50000012345.msg>\n Tue 2026-03-12 10:16:01: *  From: servicedesk@uni-beispiel.de\n Tue 2026-03-12 10:16:01: *  To: kim@example.com\n Tue 2026-03-12 10:16:02: --> RCPT To:<kim@example.com>\n Tue 2026-03-12 10:16:02: <-- 550 5.1.1 <kim@example.com>... User unknown\n--- End Transcript ---\n",
		AutoBounce, "unknown user", "kim@example.com"},
	{"mdaemon warning", hdr("MDaemon@mail.example.com", "Warning: message delivery delayed") +
		"The attached message has not yet been delivered.\n\nDelivery attempts will continue to be made for 4 more days.\n\nYOUR MESSAGE HAS NOT YET BEEN DELIVERED TO ONE OR MORE RECIPIENTS!\n\n--- Session Transcript ---\n Tue 2026-03-12 10:16:02: --> RCPT To:<kim@example.com>\n Tue 2026-03-12 10:16:02: <-- 451 4.3.0 Temporary failure\n--- End Transcript ---\n",
		AutoBounce, "delayed", "kim@example.com"},
	{"zimbra over quota", hdr("Mail Delivery System <MAILER-DAEMON@zimbra.example.org>", "Undelivered Mail Returned to Sender") +
		"This is the mail system at host zimbra.example.org.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n<lena@example.org>: host 127.0.0.1[127.0.0.1] said: 552 5.2.2 Over quota\n    (in reply to end of DATA command)\n",
		AutoBounce, "mailbox full", "lena@example.org"},
	{"kerio connect", hdr("\"Kerio Connect\" <kerio@mail.example.net>", "Undeliverable: [#1400] Drucker") +
		"Your message did not reach some or all of the intended recipients.\n\n   Subject: [#1400] Drucker\n   Sent: 12.03.2026 10:15\n\nThe following recipient(s) could not be reached:\n\n   kim@example.net\n      Error Type: SMTP\n      Remote server (192.0.2.9) issued an error.\n      Remote server replied: 550 5.1.1 Mailbox not found\n",
		AutoBounce, "unknown user", "kim@example.net"},
	{"hmailserver", hdr("mailer-daemon@mail.example.net", "Message undeliverable: [#1400] Drucker") +
		"Your message did not reach some or all of the intended recipients.\n\n   Sent: Tue, 12 Mar 2026 10:15:00 +0100\n   Subject: [#1400] Drucker\n\nThe following recipient(s) could not be reached:\n\nkim@example.net\n   Error Type: SMTP\n   Remote server (192.0.2.9) issued an error.\n   hMailServer sent: RCPT TO:<kim@example.net>\n   Remote server replied: 550 5.1.1 <kim@example.net>: Recipient address rejected: User unknown\n",
		AutoBounce, "unknown user", "kim@example.net"},
	{"mimecast rejection", hdr("Mimecast <noreply@mimecast.example.com>", "Mimecast Email Rejection: [#1400] Drucker") +
		"Your message couldn't be delivered to the following recipient(s):\n\nkim@example.co.uk\n\nReason: Rejected by recipient's mail server\nRemote server response: 550 Administrative prohibition - envelope blocked\n\nThis notification was sent by Mimecast on behalf of the recipient's organisation.\n",
		AutoBounce, "rejected", "kim@example.co.uk"},
	{"barracuda blocked", hdr("Barracuda Email Security Service <bounce@barracuda.example.com>", "**Message you sent blocked by our bulk email filter**") +
		"Your message to: kim@example.com\nwas blocked by our Spam Firewall. The email you sent with the following subject has NOT BEEN DELIVERED:\n\nSubject: [#1400] Drucker\n\nReason: Message content rejected\n",
		AutoBounce, "rejected", "kim@example.com"},
	{"proofpoint undeliverable", hdr("\"Proofpoint Essentials\" <noreply@proofpointessentials.example.com>", "Delivery Status Notification (Failure)") +
		"The following message to <kim@example.com> was undeliverable.\nThe reason for the problem:\n5.1.0 - Unknown address error 550-'5.1.1 <kim@example.com>: Recipient address rejected: User unknown in virtual mailbox table'\n",
		AutoBounce, "unknown user", "kim@example.com"},
	{"proofpoint policy reject", hdr("Proofpoint Protection <pps@mx0.example.com>", "Message Delivery Failure") +
		"Your message could not be delivered to the following recipients:\n\n  kim@example.com\n\nReason: 554 5.7.1 Message blocked due to policy (in reply to end of DATA command)\n",
		AutoBounce, "rejected", "kim@example.com"},

	// People who talk about bounces make tickets.
	{"person forwards a bounce", hdr("Eva Beispiel <eva@uni-beispiel.de>", "Fwd: Undelivered Mail Returned to Sender") +
		"Hallo, was heißt das?\n\n---------- Forwarded message ---------\nFrom: MAILER-DAEMON\n\nThis is the mail system at host mx.example.org.\n\n<ann@example.org>: User unknown\n",
		AutoNone, "", ""},
	{"person pastes a bounce below a question", hdr("Eva Beispiel <eva@uni-beispiel.de>", "Mail kommt zurück") +
		"Hallo,\nmeine Mail an Ann kommt immer zurück, mit diesem Text:\n\nThis is the mail system at host mx.example.org.\n\n<ann@example.org>: User unknown\n\nWas kann ich tun?\nEva\n",
		AutoNone, "", ""},
	{"person with a full mailbox", hdr("Eva Beispiel <eva@uni-beispiel.de>", "Postfach voll") +
		"Mein Postfach ist voll (mailbox full), bitte Quota erhöhen.\n",
		AutoNone, "", ""},
	{"person named Postmeister", hdr("Paul Postmeister <p.postmeister@uni-beispiel.de>", "Delivery failed?") +
		"Hi, my mail to the list was rejected, am I not a member?\n",
		AutoNone, "", ""},
	{"monitoring notice from a no-reply sender", hdr("Monitoring <noreply@monitor.uni-beispiel.de>", "Alarm: mail queue") +
		"The mail queue on mx2 holds 420 messages.\nOne message to ann@example.org was undeliverable.\nPlease check the relay.\n",
		AutoNone, "", ""},
	{"person replies to a bounce thread", hdr("Eva Beispiel <eva@uni-beispiel.de>", "Re: Undeliverable: [#1400] Drucker") +
		"Die Adresse stimmt aber.\n\n-----Original Message-----\nDelivery has failed to these recipients or groups:\n",
		AutoNone, "", ""},
}

// TestBounceWorld checks the classification, reason and failed recipient
// of each bounce case and reports the pass figure.
func TestBounceWorld(t *testing.T) {
	pass, total := map[string]int{}, map[string]int{}
	for _, c := range bounceCases {
		kind := "bounce"
		if c.auto == AutoNone {
			kind = "not-bounce"
		}
		total[kind]++
		m, err := Parse([]byte(c.raw))
		if err != nil {
			t.Errorf("%s: Parse: %v", c.name, err)
			continue
		}
		ok := m.Auto == c.auto
		reason, rcpts := "", []string(nil)
		if m.Bounce != nil {
			reason, rcpts = bounceReasonOf(m.Bounce), m.Bounce.Recipients
		}
		if c.auto == AutoBounce && reason != c.reason {
			ok = false
		}
		if c.rcpt != "" && !contains(rcpts, c.rcpt) {
			ok = false
		}
		if !ok {
			t.Errorf("%s: got auto %v (%s), reason %q, recipients %v; want %v, %q, %q", c.name, m.Auto, m.AutoReason, reason, rcpts, c.auto, c.reason, c.rcpt)
			continue
		}
		pass[kind]++
	}
	reportKinds(t, pass, total)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func bounceReasonOf(b *Bounce) string { return b.Reason }

// oooReplies are out-of-office subjects of Outlook's language packs, sent
// without Auto-Submitted (older Exchange, some hosted mail).
var oooReplies = []string{
	"Réponse automatique : [#1400] Imprimante", "Respuesta automática: [#1400] Impresora", "Risposta automatica: [#1400] Stampante",
	"Resposta automática: [#1400] Impressora", "Automatisch antwoord: [#1400] Printer", "Automatyczna odpowiedź: [#1400] Drukarka",
	"Automatická odpověď: [#1400] Tiskárna", "Automatikus válasz: [#1400] Nyomtató", "Automatisk svar: [#1400] Printer",
	"Automatiskt svar: [#1400] Skrivare", "Automaattinen vastaus: [#1400] Tulostin", "Автоматический ответ: [#1400] Принтер",
	"Otomatik yanıt: [#1400] Yazıcı", "Αυτόματη απάντηση: [#1400] Εκτυπωτής", "自动回复: [#1400] 打印机", "自動応答: [#1400] プリンター",
	"자동 회신: [#1400] 프린터", "Trả lời tự động: [#1400] Máy in", "Răspuns automat: [#1400] Imprimantă", "Automatski odgovor: [#1400] Pisač",
}

func TestAutoReplyWorld(t *testing.T) {
	pass := 0
	for _, s := range oooReplies {
		m, err := Parse([]byte(hdr("Eva <eva@example.org>", s) + "Ich bin bis 20.03. nicht im Büro.\n"))
		if err != nil {
			t.Fatal(err)
		}
		if m.Auto != AutoReply {
			t.Errorf("%q: auto %v, want auto-reply", s, m.Auto)
			continue
		}
		pass++
	}
	t.Logf("auto-reply %d/%d", pass, len(oooReplies))
}
